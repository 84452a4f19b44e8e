-- When a person's records last changed hands (linkage, a curator's decision, an undo): with
-- imported_at, when the person last changed, which harvesters read as its datestamp.
ALTER TABLE source_records ADD COLUMN moved_at TEXT;
