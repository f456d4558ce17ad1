-- A name search sorted by applied date walks this index when the prefix is common
-- (hiring::candidates::model::list). PostgreSQL tests the prefix on each row it reads, so
-- the name here serves only to keep the two schemas alike (tests/schema_parity.rs); as
-- INCLUDE it changes neither the index's order nor its uniqueness.
DROP INDEX candidates_applied_idx;
CREATE INDEX candidates_applied_idx ON candidates (applied_at, id) INCLUDE (name_key);
