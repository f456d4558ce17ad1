-- A cohort's attendance tally (per trainee, per mark) is read by the attendance, graduation,
-- trainer-home and offer pages. With (cohort_id, day_number) only, each mark was a table
-- lookup and the GROUP BY a sort; this index answers it alone, already in group order.
CREATE INDEX attendance_cohort_tally_idx ON attendance (cohort_id, enrolment_id, status);
