-- The records of one import: the search index reads them after the import to index the persons
-- it touched, and provenance lists them.
CREATE INDEX source_records_batch ON source_records (batch_id);
