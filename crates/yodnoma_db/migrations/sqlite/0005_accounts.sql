-- Accounts, their sessions, and failed sign-ins (for throttling).

CREATE TABLE users (
    -- SQLite's rowid; GENERATED AS IDENTITY in a PostgreSQL migration.
    id INTEGER PRIMARY KEY,
    -- Trimmed and lower-cased.
    email TEXT NOT NULL UNIQUE,
    -- An argon2id PHC string; never the password.
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'curator', 'moderator', 'contributor')),
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
    -- A hash of the value in the browser's cookie: a copy of the database opens no session.
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    -- The value every form that changes something must carry.
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
