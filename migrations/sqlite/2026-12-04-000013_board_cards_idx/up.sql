-- The pipeline board reads 20 cards per stage column. With (job_id, stage, stage_entered_at,
-- id) each card was a lookup into the candidates table (wide rows: resume, notes) for its
-- name and red flag; with both in the index the board reads the index alone.
DROP INDEX candidates_board_idx;
CREATE INDEX candidates_board_idx ON candidates (job_id, stage, stage_entered_at, id, name, red_flag);
