-- When a person was merged into another: the datestamp of its deletion for OAI-PMH harvesters.
-- Merges made before this was kept are dated now, as a harvester could not have seen them
-- as deletions yet.
ALTER TABLE person_redirects ADD COLUMN at TEXT NOT NULL DEFAULT '';
UPDATE person_redirects SET at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now');

-- The merge that set a "not one person" decision aside: undoing the merge brings it back.
ALTER TABLE link_decisions ADD COLUMN cancelled_by INTEGER REFERENCES link_decisions (id);
CREATE INDEX link_decisions_cancelled_by ON link_decisions (cancelled_by);
