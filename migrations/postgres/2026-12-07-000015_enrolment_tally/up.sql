-- A trainee's attendance tally (days marked present, late, excused, absent) kept on their
-- enrolment by the one writer of marks (`attendance::service::save_day`, in the same
-- transaction). The sheet, roster, trainer home and offer pages read a cohort's tallies:
-- counted from the marks that was every mark of the cohort grouped on each page view.
ALTER TABLE enrolments ADD COLUMN present_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enrolments ADD COLUMN late_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enrolments ADD COLUMN excused_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enrolments ADD COLUMN absent_days BIGINT NOT NULL DEFAULT 0;
UPDATE enrolments SET
    present_days = (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = enrolments.id AND a.status = 'present'),
    late_days = (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = enrolments.id AND a.status = 'late'),
    excused_days = (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = enrolments.id AND a.status = 'excused'),
    absent_days = (SELECT COUNT(*) FROM attendance a WHERE a.enrolment_id = enrolments.id AND a.status = 'absent');
-- Only the grouped count read attendance by (cohort, enrolment, status).
DROP INDEX attendance_cohort_tally_idx;
