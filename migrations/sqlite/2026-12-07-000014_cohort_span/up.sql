-- The cohort list shows each cohort's first and last training day. Read from cohort_days
-- they were two index seeks and two row reads per cohort (a quarter of the list's time);
-- kept on the cohort they come with the row. `set_days` writes both with the days.
ALTER TABLE cohorts ADD COLUMN first_day DATE;
ALTER TABLE cohorts ADD COLUMN last_day DATE;
UPDATE cohorts SET
    first_day = (SELECT d.date FROM cohort_days d WHERE d.cohort_id = cohorts.id AND d.day_number = 1),
    last_day = (SELECT d.date FROM cohort_days d
                WHERE d.cohort_id = cohorts.id AND d.day_number = cohorts.weeks * cohorts.days_per_week);
