-- Revisions for the hiring pages, moved in the same transaction as every change to the rows
-- behind them, whoever makes it (the app, the generator, an import, a hand-run UPDATE): the
-- server keeps what it built for a revision and rebuilds it once the revision it reads has
-- moved on. Statement triggers: an import of 100,000 candidates moves each job once.
--   jobs.revision: the job's candidates, stage counts and competencies, and its own title
--     and location (the board, and the candidate list filtered by the job).
--   candidates.revision: the candidate's own row, stage history, interviews and their
--     panels, scorecards, observations and observation links, and hire (the candidate page).
--   people_revision: any user's name or email, which the candidate page shows.
ALTER TABLE jobs ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
ALTER TABLE candidates ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
CREATE TABLE people_revision (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO people_revision (id, revision) VALUES (1, 0);

-- Each branch reads only the transition tables its trigger has.
CREATE FUNCTION job_revision_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE jobs SET revision = revision + 1 WHERE id IN (SELECT job_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE jobs SET revision = revision + 1
        WHERE id IN (SELECT job_id FROM old_rows UNION SELECT job_id FROM new_rows);
    ELSE
        UPDATE jobs SET revision = revision + 1 WHERE id IN (SELECT job_id FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION candidate_revision_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE candidates SET revision = revision + 1
        WHERE id IN (SELECT candidate_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE candidates SET revision = revision + 1
        WHERE id IN (SELECT candidate_id FROM old_rows UNION SELECT candidate_id FROM new_rows);
    ELSE
        UPDATE candidates SET revision = revision + 1
        WHERE id IN (SELECT candidate_id FROM old_rows);
    END IF;
    RETURN NULL;
END
$$;
-- A panel seat names its interview, whose candidate is the one to move.
CREATE FUNCTION candidate_revision_after_panel_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE candidates SET revision = revision + 1
        WHERE id IN (SELECT i.candidate_id FROM interviews i JOIN new_rows r ON r.interview_id = i.id);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE candidates SET revision = revision + 1
        WHERE id IN (SELECT i.candidate_id FROM interviews i
                     WHERE i.id IN (SELECT interview_id FROM old_rows
                                    UNION SELECT interview_id FROM new_rows));
    ELSE
        UPDATE candidates SET revision = revision + 1
        WHERE id IN (SELECT i.candidate_id FROM interviews i JOIN old_rows r ON r.interview_id = i.id);
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION people_revision_after_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE people_revision SET revision = revision + 1;
    RETURN NULL;
END
$$;

-- A changed or deleted candidate moves their job. A new one moves it through the job's
-- stage count, which every writer (the app, the import, the generator) adds to in the
-- same transaction (the generator last in each batch): a trigger on the insert itself held
-- the job's row locked for the rest of each batch, and the parallel batches queued behind it.
CREATE TRIGGER candidates_update_revision AFTER UPDATE ON candidates
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER candidates_delete_revision AFTER DELETE ON candidates
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER job_stage_counts_insert_revision AFTER INSERT ON job_stage_counts
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER job_stage_counts_update_revision AFTER UPDATE ON job_stage_counts
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER job_stage_counts_delete_revision AFTER DELETE ON job_stage_counts
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER competencies_insert_revision AFTER INSERT ON competencies
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER competencies_update_revision AFTER UPDATE ON competencies
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
CREATE TRIGGER competencies_delete_revision AFTER DELETE ON competencies
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION job_revision_after_change();
-- The list shows each candidate's job as "title (location)".
CREATE FUNCTION job_revision_on_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER jobs_rename_revision BEFORE UPDATE OF title, location ON jobs
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.location IS DISTINCT FROM NEW.location)
    EXECUTE FUNCTION job_revision_on_rename();

-- A new history row comes with a change to the candidate's own row (a stage move sets
-- the stage), which moves the revision itself (below): a trigger on inserting history would
-- rewrite every new candidate a second time in a bulk load (the generator took 240 s for a
-- million instead of 68).
CREATE FUNCTION candidate_revision_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER candidates_own_revision BEFORE UPDATE ON candidates
    FOR EACH ROW WHEN (NEW.revision = OLD.revision)
    EXECUTE FUNCTION candidate_revision_on_update();
CREATE TRIGGER stage_changes_update_revision AFTER UPDATE ON stage_changes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER stage_changes_delete_revision AFTER DELETE ON stage_changes
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER interviews_insert_revision AFTER INSERT ON interviews
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER interviews_update_revision AFTER UPDATE ON interviews
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER interviews_delete_revision AFTER DELETE ON interviews
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER interview_panel_insert_revision AFTER INSERT ON interview_panel
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_panel_change();
CREATE TRIGGER interview_panel_update_revision AFTER UPDATE ON interview_panel
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_panel_change();
CREATE TRIGGER interview_panel_delete_revision AFTER DELETE ON interview_panel
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_panel_change();
CREATE TRIGGER scorecards_insert_revision AFTER INSERT ON scorecards
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER scorecards_update_revision AFTER UPDATE ON scorecards
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER scorecards_delete_revision AFTER DELETE ON scorecards
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER observations_insert_revision AFTER INSERT ON observations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER observations_update_revision AFTER UPDATE ON observations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER observations_delete_revision AFTER DELETE ON observations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER observation_links_insert_revision AFTER INSERT ON observation_links
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER observation_links_update_revision AFTER UPDATE ON observation_links
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER observation_links_delete_revision AFTER DELETE ON observation_links
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER hires_insert_revision AFTER INSERT ON hires
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER hires_update_revision AFTER UPDATE ON hires
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();
CREATE TRIGGER hires_delete_revision AFTER DELETE ON hires
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_revision_after_change();

-- A sign-in or a new password sets neither name nor email. (A trainer's new name moves
-- their cohorts' revisions too: users_trainer_revision.)
CREATE TRIGGER users_rename_revision AFTER UPDATE OF name, email ON users
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION people_revision_after_change();
