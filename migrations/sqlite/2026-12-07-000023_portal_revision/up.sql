-- The portal keeps a trainee's records per cohort revision: their module results and call
-- shifts move the revision too.
CREATE TRIGGER call_shifts_insert_revision AFTER INSERT ON call_shifts BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = NEW.cohort_id;
END;
CREATE TRIGGER call_shifts_update_revision AFTER UPDATE ON call_shifts BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id IN (OLD.cohort_id, NEW.cohort_id);
END;
CREATE TRIGGER call_shifts_delete_revision AFTER DELETE ON call_shifts BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = OLD.cohort_id;
END;

-- A result names its enrolment, whose cohort is the one to move.
CREATE TRIGGER module_results_insert_revision AFTER INSERT ON module_results BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id = (SELECT cohort_id FROM enrolments WHERE id = NEW.enrolment_id);
END;
CREATE TRIGGER module_results_update_revision AFTER UPDATE ON module_results BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id IN (SELECT cohort_id FROM enrolments WHERE id IN (OLD.enrolment_id, NEW.enrolment_id));
END;
CREATE TRIGGER module_results_delete_revision AFTER DELETE ON module_results BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id = (SELECT cohort_id FROM enrolments WHERE id = OLD.enrolment_id);
END;
