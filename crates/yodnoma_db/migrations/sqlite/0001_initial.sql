-- The first schema of yodnoma. Applied migrations are never edited: change the schema by adding
-- a new file. Written in the SQL that SQLite and PostgreSQL share, so that the PostgreSQL
-- migrations differ only in their types.

-- One run of `yodnoma import records`: which file went into which source, and how it went.
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    file_name TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    imported INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
);

-- Source records as imported. Only a re-import of the same (source, record_id) changes a row's
-- fields. person_id is the person the record currently belongs to: linkage and curators move
-- records between persons, never edit them.
CREATE TABLE source_records (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    record_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    surname TEXT,
    given_name TEXT,
    patronymic TEXT,
    birth_date TEXT,
    death_date TEXT,
    award_date TEXT,
    birth_place TEXT,
    region TEXT,
    country TEXT,
    category TEXT NOT NULL,
    nationality TEXT,
    rank TEXT,
    unit TEXT,
    award TEXT,
    fate TEXT,
    death_place TEXT,
    burial_place TEXT,
    source_ref TEXT,
    notes TEXT,
    -- Columns the contract does not name, as a JSON array of [name, value] pairs in file order.
    extra TEXT NOT NULL,
    -- The folded full name, for lookups; derived from the name fields on every write.
    name_key TEXT NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES import_batches (id),
    -- The line of the imported file the record starts on: with batch_id, where it came from.
    source_line INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (source, record_id)
);

CREATE INDEX source_records_person ON source_records (person_id);

-- Images in the media store. The bytes live in the media store under the same id.
CREATE TABLE images (
    id TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    -- Language map (JSON object) of alt texts. Never empty: checked before every write.
    alt TEXT NOT NULL,
    rights TEXT,
    placeholder INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Language maps are JSON objects such as {"ru": "...", "en": "..."}.
CREATE TABLE exhibits (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    creator TEXT,
    date_text TEXT,
    technique TEXT NOT NULL,
    dimensions TEXT,
    institution TEXT NOT NULL,
    inventory_number TEXT,
    rights TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE exhibit_images (
    exhibit_id TEXT NOT NULL REFERENCES exhibits (id),
    position INTEGER NOT NULL,
    image_id TEXT NOT NULL REFERENCES images (id),
    PRIMARY KEY (exhibit_id, position)
);

CREATE TABLE exhibit_persons (
    exhibit_id TEXT NOT NULL REFERENCES exhibits (id),
    person_id TEXT NOT NULL,
    PRIMARY KEY (exhibit_id, person_id)
);

CREATE INDEX exhibit_persons_person ON exhibit_persons (person_id);

CREATE TABLE exhibitions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL,
    curator TEXT,
    institution TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE exhibition_sections (
    exhibition_id TEXT NOT NULL REFERENCES exhibitions (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    -- JSON array of blocks, each {"kind": "text", "text": {...}} or a quote.
    blocks TEXT NOT NULL,
    PRIMARY KEY (exhibition_id, position)
);

CREATE TABLE section_exhibits (
    exhibition_id TEXT NOT NULL,
    section_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    exhibit_id TEXT NOT NULL REFERENCES exhibits (id),
    PRIMARY KEY (exhibition_id, section_position, position),
    FOREIGN KEY (exhibition_id, section_position)
        REFERENCES exhibition_sections (exhibition_id, position)
);

CREATE INDEX section_exhibits_exhibit ON section_exhibits (exhibit_id);

-- Every change, by anyone: who, when, what, and the state before and after (JSON).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT
);
