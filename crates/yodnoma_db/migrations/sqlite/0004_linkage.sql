-- Record linkage: which source records are one person, why, and what curators decided.

-- A curator's decision about two records: one person (same_person = 1) or never one
-- (0). Active decisions win over the model on every run of `yodnoma link`. An undone decision
-- stays, marked, for the history. `moved` lists what applying it changed, as JSON
-- [[record, person before, person after], ...], so that undoing it can move them back.
CREATE TABLE link_decisions (
    id INTEGER PRIMARY KEY,
    record_a INTEGER NOT NULL REFERENCES source_records (id),
    record_b INTEGER NOT NULL REFERENCES source_records (id),
    same_person INTEGER NOT NULL CHECK (same_person IN (0, 1)),
    actor TEXT NOT NULL,
    note TEXT,
    decided_at TEXT NOT NULL,
    moved TEXT NOT NULL,
    undone_at TEXT,
    undone_by TEXT,
    -- The decision this one came with (a split is apart from every record left behind),
    -- undone with it.
    parent INTEGER REFERENCES link_decisions (id)
);

CREATE INDEX link_decisions_a ON link_decisions (record_a);
CREATE INDEX link_decisions_b ON link_decisions (record_b);

-- One run of `yodnoma link`: the records it covered (ids up to last_record) and the model it
-- used (JSON), which the next incremental run reuses.
CREATE TABLE link_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    last_record INTEGER NOT NULL,
    full_run INTEGER NOT NULL,
    model TEXT NOT NULL,
    summary TEXT NOT NULL
);

-- The pairs a run found worth keeping: every pair within a person (why its records were
-- merged) and the pairs near the threshold (for review). record_a < record_b. explanation is
-- JSON [{"field": ..., "level": ..., "weight": ...}, ...].
CREATE TABLE link_pairs (
    record_a INTEGER NOT NULL REFERENCES source_records (id),
    record_b INTEGER NOT NULL REFERENCES source_records (id),
    probability REAL NOT NULL,
    matched INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    PRIMARY KEY (record_a, record_b)
);

CREATE INDEX link_pairs_b ON link_pairs (record_b);
CREATE INDEX link_pairs_review ON link_pairs (matched, probability);

-- A person id that linkage merged into another keeps working: its pages redirect there.
CREATE TABLE person_redirects (
    old_id TEXT PRIMARY KEY,
    new_id TEXT NOT NULL
);

-- Redirects to an id follow it when it is merged in turn.
CREATE INDEX person_redirects_new ON person_redirects (new_id);
