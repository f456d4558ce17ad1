-- A trainee's name and where they go after training, copied onto their enrolment when it
-- is made (a person's name and a hire's department and title are never edited). Every
-- roster, attendance sheet and graduation board lists a cohort's active trainees by name:
-- read from the enrolments alone they come in name order from one index, with no join
-- and no sort.
ALTER TABLE enrolments ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolments ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE enrolments ADD COLUMN title TEXT NOT NULL DEFAULT '';
UPDATE enrolments SET
    name = (SELECT u.name FROM users u WHERE u.id = enrolments.user_id),
    department = (SELECT h.department FROM hires h WHERE h.id = enrolments.hire_id),
    title = (SELECT h.title FROM hires h WHERE h.id = enrolments.hire_id);
DROP INDEX enrolments_cohort_idx;
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id, status, name, id);
