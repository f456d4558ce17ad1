-- The roster and the attendance sheet read a cohort's active trainees (with their tallies)
-- and each one's mark of the day. With every column they read in these two indexes, SQLite
-- answers both from the indexes alone, without looking up each of the 200 rows in its
-- table; the leading columns stay as they were, so every other query keeps its index.
DROP INDEX enrolments_cohort_idx;
CREATE INDEX enrolments_cohort_idx ON enrolments (
    cohort_id, status, name, id,
    user_id, hire_id, department, title, first_day,
    present_days, late_days, excused_days, absent_days
);
DROP INDEX attendance_cohort_day_idx;
CREATE INDEX attendance_cohort_day_idx ON attendance (
    cohort_id, day_number, enrolment_id, status, note
);
