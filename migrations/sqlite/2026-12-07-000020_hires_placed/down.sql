DROP INDEX hires_waiting_idx;
ALTER TABLE hires DROP COLUMN placed;
