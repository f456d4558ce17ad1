-- Every training page reads the cohort and then its days, one statement each. Kept on the
-- cohort row as ISO dates joined by commas (`set_days` writes them with the cohort_days
-- rows, which stay for queries by date), the days come with the cohort.
ALTER TABLE cohorts ADD COLUMN training_days TEXT NOT NULL DEFAULT '';
UPDATE cohorts SET training_days = COALESCE(
    (SELECT string_agg(to_char(d.date, 'YYYY-MM-DD'), ',' ORDER BY d.day_number)
     FROM cohort_days d WHERE d.cohort_id = cohorts.id),
    '');
