ALTER TABLE cohorts DROP COLUMN training_days;
