-- Redirects a decision re-pointed when it emptied a person, as JSON
-- [{"old_id": ..., "was": ..., "now": ...}]: undoing the decision points them back.
ALTER TABLE link_decisions ADD COLUMN redirected TEXT NOT NULL DEFAULT '[]';

-- Records an undo could not move back because they had moved again since (another decision,
-- a linkage run): the decision list says so instead of claiming the undo whole.
ALTER TABLE link_decisions ADD COLUMN undo_stayed INTEGER NOT NULL DEFAULT 0;
