DROP INDEX candidates_board_idx;
CREATE INDEX candidates_board_idx ON candidates (job_id, stage, stage_entered_at, id);
