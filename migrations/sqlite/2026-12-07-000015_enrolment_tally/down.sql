CREATE INDEX attendance_cohort_tally_idx ON attendance (cohort_id, enrolment_id, status);
ALTER TABLE enrolments DROP COLUMN absent_days;
ALTER TABLE enrolments DROP COLUMN excused_days;
ALTER TABLE enrolments DROP COLUMN late_days;
ALTER TABLE enrolments DROP COLUMN present_days;
