-- The cohort page keeps its modules and trainers with the roster: their changes move the
-- cohort's revision too, and so does a trainer's new name or email.
CREATE TRIGGER cohort_modules_insert_revision AFTER INSERT ON cohort_modules BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = NEW.cohort_id;
END;
CREATE TRIGGER cohort_modules_update_revision AFTER UPDATE ON cohort_modules BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id IN (OLD.cohort_id, NEW.cohort_id);
END;
CREATE TRIGGER cohort_modules_delete_revision AFTER DELETE ON cohort_modules BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = OLD.cohort_id;
END;

CREATE TRIGGER cohort_trainers_insert_revision AFTER INSERT ON cohort_trainers BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = NEW.cohort_id;
END;
CREATE TRIGGER cohort_trainers_update_revision AFTER UPDATE ON cohort_trainers BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id IN (OLD.cohort_id, NEW.cohort_id);
END;
CREATE TRIGGER cohort_trainers_delete_revision AFTER DELETE ON cohort_trainers BEGIN
    UPDATE cohorts SET revision = revision + 1 WHERE id = OLD.cohort_id;
END;

CREATE TRIGGER users_trainer_revision AFTER UPDATE OF name, email ON users BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id IN (SELECT cohort_id FROM cohort_trainers WHERE user_id = NEW.id);
END;
