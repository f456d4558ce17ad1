-- The portal keeps a trainee's records per cohort revision: their module results and call
-- shifts move the revision too, once per statement.
CREATE TRIGGER call_shifts_insert_revision AFTER INSERT ON call_shifts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_insert();
CREATE TRIGGER call_shifts_update_revision AFTER UPDATE ON call_shifts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_update();
CREATE TRIGGER call_shifts_delete_revision AFTER DELETE ON call_shifts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_delete();

-- A result names its enrolment, whose cohort is the one to move. Each branch reads only
-- the transition tables its trigger has.
CREATE FUNCTION cohort_revision_after_result_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE cohorts SET revision = revision + 1
        WHERE id IN (SELECT e.cohort_id FROM enrolments e JOIN new_rows r ON r.enrolment_id = e.id);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE cohorts SET revision = revision + 1
        WHERE id IN (SELECT e.cohort_id FROM enrolments e
                     WHERE e.id IN (SELECT enrolment_id FROM old_rows
                                    UNION SELECT enrolment_id FROM new_rows));
    ELSE
        UPDATE cohorts SET revision = revision + 1
        WHERE id IN (SELECT e.cohort_id FROM enrolments e JOIN old_rows r ON r.enrolment_id = e.id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER module_results_insert_revision AFTER INSERT ON module_results
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_result_change();
CREATE TRIGGER module_results_update_revision AFTER UPDATE ON module_results
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_result_change();
CREATE TRIGGER module_results_delete_revision AFTER DELETE ON module_results
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cohort_revision_after_result_change();
