-- A story about a person the registry lacks carries the person it proposes: a JSON object of
-- source-record columns (surname, given_name, birth_date, …), which becomes a record of the
-- `families` source when a moderator approves it.
ALTER TABLE contributions ADD COLUMN proposed TEXT;
