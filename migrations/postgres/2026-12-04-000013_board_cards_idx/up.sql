-- The pipeline board reads 20 cards per stage column. With (job_id, stage, stage_entered_at,
-- id) each card was a heap fetch (wide rows: resume, notes) for its name and red flag; with
-- both included the board is an index-only scan.
DROP INDEX candidates_board_idx;
CREATE INDEX candidates_board_idx ON candidates (job_id, stage, stage_entered_at, id) INCLUDE (name, red_flag);
