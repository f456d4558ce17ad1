-- A name search sorted by applied date walks this index when the prefix is common
-- (hiring::candidates::model::list). With the name in the index, SQLite tests each entry
-- against the prefix before it reads the row, so only the rows shown are read.
DROP INDEX candidates_applied_idx;
CREATE INDEX candidates_applied_idx ON candidates (applied_at, id, name_key);
