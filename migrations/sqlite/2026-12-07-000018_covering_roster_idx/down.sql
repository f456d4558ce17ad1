DROP INDEX enrolments_cohort_idx;
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id, status, name, id);
DROP INDEX attendance_cohort_day_idx;
CREATE INDEX attendance_cohort_day_idx ON attendance (cohort_id, day_number);
