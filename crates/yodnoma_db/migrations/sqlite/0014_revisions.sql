-- Each save of an exhibition or an exhibit counts one revision. A curator's page carries the
-- revision it showed, and a save over a newer one is refused instead of silently undoing
-- another curator's change. Rows stored before count as their first revision.
ALTER TABLE exhibitions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE exhibits ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
