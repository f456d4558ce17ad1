-- The cohort page keeps its modules and trainers with the roster: their changes move the
-- cohort's revision too, and so does a trainer's new name or email.
CREATE TRIGGER cohort_modules_insert_revision AFTER INSERT ON cohort_modules
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_insert();
CREATE TRIGGER cohort_modules_update_revision AFTER UPDATE ON cohort_modules
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_update();
CREATE TRIGGER cohort_modules_delete_revision AFTER DELETE ON cohort_modules
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_delete();

CREATE TRIGGER cohort_trainers_insert_revision AFTER INSERT ON cohort_trainers
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_insert();
CREATE TRIGGER cohort_trainers_update_revision AFTER UPDATE ON cohort_trainers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_update();
CREATE TRIGGER cohort_trainers_delete_revision AFTER DELETE ON cohort_trainers
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_delete();

CREATE FUNCTION cohort_revision_after_trainer_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id IN (SELECT cohort_id FROM cohort_trainers WHERE user_id = NEW.id);
    RETURN NULL;
END
$$;
-- Fires only for an UPDATE that sets name or email (a sign-in sets neither).
CREATE TRIGGER users_trainer_revision AFTER UPDATE OF name, email ON users
    FOR EACH ROW EXECUTE FUNCTION cohort_revision_after_trainer_rename();
