-- Families' contributions (stories with photos) and reports of problems, under moderation.

-- The name a contributor's approved material is shown under; never the e-mail.
ALTER TABLE users ADD COLUMN display_name TEXT;

CREATE TABLE contributions (
    -- SQLite's rowid; GENERATED AS IDENTITY in a PostgreSQL migration.
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('story', 'report')),
    -- The person it is about; NULL when it proposes a person the registry lacks.
    person_id TEXT,
    -- The account that sent it; NULL for a report sent without signing in.
    user_id INTEGER REFERENCES users (id),
    -- How to reach the sender of a report: for moderators only, never shown.
    contact TEXT,
    -- Where it came from, for the limits on submissions.
    address TEXT NOT NULL,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    -- Markdown, sanitized when shown.
    body TEXT NOT NULL,
    relation TEXT,
    dates TEXT,
    places TEXT,
    rights TEXT,
    consent INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    moderator_note TEXT,
    -- Why it was rejected: the contributor reads it.
    reason TEXT,
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    -- Soft delete: hidden everywhere until restored.
    deleted_at TEXT
);

CREATE INDEX contributions_status ON contributions (status, created_at);
CREATE INDEX contributions_person ON contributions (person_id, status);
CREATE INDEX contributions_user ON contributions (user_id, created_at);
CREATE INDEX contributions_address ON contributions (address, created_at);

CREATE TABLE contribution_images (
    contribution_id INTEGER NOT NULL REFERENCES contributions (id),
    position INTEGER NOT NULL,
    image_id TEXT NOT NULL REFERENCES images (id),
    PRIMARY KEY (contribution_id, position)
);
