-- How many candidates each job has in each stage, kept in step in the same transaction
-- as every insert, stage move and job change, so the pipeline board does not count a
-- popular job's candidates (hundreds of thousands) on every view.
CREATE TABLE job_stage_counts (
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    stage TEXT NOT NULL,
    candidates BIGINT NOT NULL,
    PRIMARY KEY (job_id, stage)
);
INSERT INTO job_stage_counts (job_id, stage, candidates)
SELECT job_id, stage, COUNT(*) FROM candidates GROUP BY job_id, stage;
