-- When a person was merged into another: the datestamp of its deletion for OAI-PMH harvesters.
-- Merges made before this was kept are dated now, as a harvester could not have seen them
-- as deletions yet.
ALTER TABLE person_redirects ADD COLUMN at TEXT NOT NULL DEFAULT '';
UPDATE person_redirects SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');
