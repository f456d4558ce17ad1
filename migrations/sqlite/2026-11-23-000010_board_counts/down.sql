DROP TABLE job_stage_counts;
