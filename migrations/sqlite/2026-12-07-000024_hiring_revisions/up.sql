-- Revisions for the hiring pages, moved in the same transaction as every change to the rows
-- behind them, whoever makes it (the app, the generator, an import, a hand-run UPDATE): the
-- server keeps what it built for a revision and rebuilds it once the revision it reads has
-- moved on.
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

-- A changed or deleted candidate moves their job. A new one moves it through the job's
-- stage count, which every writer (the app, the import, the generator) adds to in the
-- same transaction (the generator last in each batch): a trigger on the insert itself held
-- the job's row locked for the rest of each batch, and the parallel batches queued behind it.
CREATE TRIGGER candidates_update_revision AFTER UPDATE ON candidates BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id IN (OLD.job_id, NEW.job_id);
END;
CREATE TRIGGER candidates_delete_revision AFTER DELETE ON candidates BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id = OLD.job_id;
END;

CREATE TRIGGER job_stage_counts_insert_revision AFTER INSERT ON job_stage_counts BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id = NEW.job_id;
END;
CREATE TRIGGER job_stage_counts_update_revision AFTER UPDATE ON job_stage_counts BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id IN (OLD.job_id, NEW.job_id);
END;
CREATE TRIGGER job_stage_counts_delete_revision AFTER DELETE ON job_stage_counts BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id = OLD.job_id;
END;

CREATE TRIGGER competencies_insert_revision AFTER INSERT ON competencies BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id = NEW.job_id;
END;
CREATE TRIGGER competencies_update_revision AFTER UPDATE ON competencies BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id IN (OLD.job_id, NEW.job_id);
END;
CREATE TRIGGER competencies_delete_revision AFTER DELETE ON competencies BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id = OLD.job_id;
END;

-- The list shows each candidate's job as "title (location)".
CREATE TRIGGER jobs_rename_revision AFTER UPDATE OF title, location ON jobs
    WHEN OLD.title IS NOT NEW.title OR OLD.location IS NOT NEW.location BEGIN
    UPDATE jobs SET revision = revision + 1 WHERE id = NEW.id;
END;

-- A new history row comes with a change to the candidate's own row (a stage move sets
-- the stage), which moves the revision itself: no second write per row in a bulk load.
CREATE TRIGGER candidates_own_revision AFTER UPDATE ON candidates
    WHEN NEW.revision = OLD.revision BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = NEW.id;
END;
CREATE TRIGGER stage_changes_update_revision AFTER UPDATE ON stage_changes BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id IN (OLD.candidate_id, NEW.candidate_id);
END;
CREATE TRIGGER stage_changes_delete_revision AFTER DELETE ON stage_changes BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = OLD.candidate_id;
END;

CREATE TRIGGER interviews_insert_revision AFTER INSERT ON interviews BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = NEW.candidate_id;
END;
CREATE TRIGGER interviews_update_revision AFTER UPDATE ON interviews BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id IN (OLD.candidate_id, NEW.candidate_id);
END;
CREATE TRIGGER interviews_delete_revision AFTER DELETE ON interviews BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = OLD.candidate_id;
END;

-- A panel seat names its interview, whose candidate is the one to move.
CREATE TRIGGER interview_panel_insert_revision AFTER INSERT ON interview_panel BEGIN
    UPDATE candidates SET revision = revision + 1
    WHERE id = (SELECT candidate_id FROM interviews WHERE id = NEW.interview_id);
END;
CREATE TRIGGER interview_panel_update_revision AFTER UPDATE ON interview_panel BEGIN
    UPDATE candidates SET revision = revision + 1
    WHERE id IN (SELECT candidate_id FROM interviews WHERE id IN (OLD.interview_id, NEW.interview_id));
END;
CREATE TRIGGER interview_panel_delete_revision AFTER DELETE ON interview_panel BEGIN
    UPDATE candidates SET revision = revision + 1
    WHERE id = (SELECT candidate_id FROM interviews WHERE id = OLD.interview_id);
END;

CREATE TRIGGER scorecards_insert_revision AFTER INSERT ON scorecards BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = NEW.candidate_id;
END;
CREATE TRIGGER scorecards_update_revision AFTER UPDATE ON scorecards BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id IN (OLD.candidate_id, NEW.candidate_id);
END;
CREATE TRIGGER scorecards_delete_revision AFTER DELETE ON scorecards BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = OLD.candidate_id;
END;

CREATE TRIGGER observations_insert_revision AFTER INSERT ON observations BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = NEW.candidate_id;
END;
CREATE TRIGGER observations_update_revision AFTER UPDATE ON observations BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id IN (OLD.candidate_id, NEW.candidate_id);
END;
CREATE TRIGGER observations_delete_revision AFTER DELETE ON observations BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = OLD.candidate_id;
END;

CREATE TRIGGER observation_links_insert_revision AFTER INSERT ON observation_links BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = NEW.candidate_id;
END;
CREATE TRIGGER observation_links_update_revision AFTER UPDATE ON observation_links BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id IN (OLD.candidate_id, NEW.candidate_id);
END;
CREATE TRIGGER observation_links_delete_revision AFTER DELETE ON observation_links BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = OLD.candidate_id;
END;

CREATE TRIGGER hires_insert_revision AFTER INSERT ON hires BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = NEW.candidate_id;
END;
CREATE TRIGGER hires_update_revision AFTER UPDATE ON hires BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id IN (OLD.candidate_id, NEW.candidate_id);
END;
CREATE TRIGGER hires_delete_revision AFTER DELETE ON hires BEGIN
    UPDATE candidates SET revision = revision + 1 WHERE id = OLD.candidate_id;
END;


-- A sign-in or a new password sets neither name nor email. (A trainer's new name moves
-- their cohorts' revisions too: users_trainer_revision.)
CREATE TRIGGER users_rename_revision AFTER UPDATE OF name, email ON users
    WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email BEGIN
    UPDATE people_revision SET revision = revision + 1;
END;
