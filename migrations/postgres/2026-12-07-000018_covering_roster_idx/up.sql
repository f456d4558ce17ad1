-- The same columns as on SQLite (see its migration), the ones only read carried as
-- INCLUDE: PostgreSQL can then answer the roster and the day's marks by index-only scans
-- where the visibility map allows.
DROP INDEX enrolments_cohort_idx;
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id, status, name, id)
    INCLUDE (
        user_id, hire_id, department, title, first_day,
        present_days, late_days, excused_days, absent_days
    );
DROP INDEX attendance_cohort_day_idx;
CREATE INDEX attendance_cohort_day_idx ON attendance (cohort_id, day_number, enrolment_id)
    INCLUDE (status, note);
