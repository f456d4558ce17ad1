-- A cohort's revision goes up in the same transaction as every change to its enrolments
-- or attendance, whoever makes it (the app, the generator, a hand-run UPDATE): the server
-- keeps the roster and attendance sheet it built for a revision and rebuilds them once
-- the revision it reads with the cohort row has moved on.
ALTER TABLE cohorts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER enrolments_insert_revision AFTER INSERT ON enrolments BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = NEW.cohort_id;
END;
CREATE TRIGGER enrolments_update_revision AFTER UPDATE ON enrolments BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id IN (OLD.cohort_id, NEW.cohort_id);
END;
CREATE TRIGGER enrolments_delete_revision AFTER DELETE ON enrolments BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = OLD.cohort_id;
END;

CREATE TRIGGER attendance_insert_revision AFTER INSERT ON attendance BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = NEW.cohort_id;
END;
CREATE TRIGGER attendance_update_revision AFTER UPDATE ON attendance BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id IN (OLD.cohort_id, NEW.cohort_id);
END;
CREATE TRIGGER attendance_delete_revision AFTER DELETE ON attendance BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = OLD.cohort_id;
END;
