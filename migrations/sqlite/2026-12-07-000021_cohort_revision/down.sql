DROP TRIGGER attendance_delete_revision;
DROP TRIGGER attendance_update_revision;
DROP TRIGGER attendance_insert_revision;
DROP TRIGGER enrolments_delete_revision;
DROP TRIGGER enrolments_update_revision;
DROP TRIGGER enrolments_insert_revision;
ALTER TABLE cohorts DROP COLUMN revision;
