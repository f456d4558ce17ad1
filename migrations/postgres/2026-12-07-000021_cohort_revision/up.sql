-- A cohort's revision goes up in the same transaction as every change to its enrolments
-- or attendance, whoever makes it (the app, the generator, a hand-run UPDATE): the server
-- keeps the roster and attendance sheet it built for a revision and rebuilds them once
-- the revision it reads with the cohort row has moved on. Statement triggers: a save of
-- 200 marks moves the revision once, not 200 times.
ALTER TABLE cohorts ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION cohort_revision_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id IN (SELECT cohort_id FROM new_rows);
    RETURN NULL;
END
$$;
CREATE FUNCTION cohort_revision_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id IN (SELECT cohort_id FROM old_rows UNION SELECT cohort_id FROM new_rows);
    RETURN NULL;
END
$$;
CREATE FUNCTION cohort_revision_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cohorts SET revision = revision + 1
    WHERE id IN (SELECT cohort_id FROM old_rows);
    RETURN NULL;
END
$$;

CREATE TRIGGER enrolments_insert_revision AFTER INSERT ON enrolments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_insert();
CREATE TRIGGER enrolments_update_revision AFTER UPDATE ON enrolments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_update();
CREATE TRIGGER enrolments_delete_revision AFTER DELETE ON enrolments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_delete();

CREATE TRIGGER attendance_insert_revision AFTER INSERT ON attendance
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_insert();
CREATE TRIGGER attendance_update_revision AFTER UPDATE ON attendance
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_update();
CREATE TRIGGER attendance_delete_revision AFTER DELETE ON attendance
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_delete();
