DROP TRIGGER module_results_delete_revision ON module_results;
DROP TRIGGER module_results_update_revision ON module_results;
DROP TRIGGER module_results_insert_revision ON module_results;
DROP FUNCTION cohort_revision_after_result_change();
DROP TRIGGER call_shifts_delete_revision ON call_shifts;
DROP TRIGGER call_shifts_update_revision ON call_shifts;
DROP TRIGGER call_shifts_insert_revision ON call_shifts;
