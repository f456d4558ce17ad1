ALTER TABLE cohorts DROP COLUMN last_day;
ALTER TABLE cohorts DROP COLUMN first_day;
