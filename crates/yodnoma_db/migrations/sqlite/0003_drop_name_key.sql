-- The folded name served the substring lookup that the search index replaced; nothing reads it,
-- and computing it cost every imported row.
ALTER TABLE source_records DROP COLUMN name_key;
