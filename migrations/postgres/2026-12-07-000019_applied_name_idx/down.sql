DROP INDEX candidates_applied_idx;
CREATE INDEX candidates_applied_idx ON candidates (applied_at, id);
