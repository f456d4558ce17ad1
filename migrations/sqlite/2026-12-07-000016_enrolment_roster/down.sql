DROP INDEX enrolments_cohort_idx;
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id, status, id);
ALTER TABLE enrolments DROP COLUMN title;
ALTER TABLE enrolments DROP COLUMN department;
ALTER TABLE enrolments DROP COLUMN name;
