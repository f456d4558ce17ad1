-- Hiring: core values, jobs, candidates, interviews, scorecards, observations, hires.
-- Mirrors migrations/postgres; tests/schema_parity.rs proves they match.
CREATE TABLE core_values (
    id INTEGER PRIMARY KEY,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    sample_questions TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX core_values_name_idx ON core_values (name);

-- The ten core values the culture interview scores (the seeded default; an admin edits
-- the list at /hiring/values). sample_questions holds one question per line.
INSERT INTO core_values (position, name, description, sample_questions, active, created_at, updated_at) VALUES
(1, 'Deliver WOW Through Service', 'Go above and beyond for customers and colleagues, so that every interaction leaves a lasting, positive impression.', 'Tell us about a time you went far beyond what was expected to help someone.
What does great service mean to you, and when did you last receive it?
Describe a time you turned an unhappy customer or colleague around.', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(2, 'Embrace and Drive Change', 'Welcome change as an opportunity rather than a threat, and help bring it about instead of waiting for it.', 'Tell us about a big change at work and how you handled it.
Describe a change you started yourself. How did you win people over?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(3, 'Create Fun and A Little Weirdness', 'Bring your individuality to work and help make it a place where people enjoy themselves and the work.', 'What is the most unusual thing about you?
How have you made a workplace more fun for the people around you?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(4, 'Be Adventurous, Creative, and Open-Minded', 'Take risks, try new ideas and listen to other points of view, even when it means making mistakes.', 'Tell us about a risk you took at work. What happened?
Describe an idea of someone else''s that changed your mind.
What is something new you tried recently?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(5, 'Pursue Growth and Learning', 'Keep challenging yourself to learn and grow, personally and professionally.', 'What have you taught yourself in the last year, and how?
Tell us about feedback that was hard to hear and what you did with it.', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(6, 'Build Open and Honest Relationships With Communication', 'Be open, honest and respectful with everyone; listen first, and trust that others do the same.', 'Tell us about a time you had to deliver bad news.
Describe a disagreement with a colleague and how you resolved it.
How do you build trust with someone new?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(7, 'Build a Positive Team and Family Spirit', 'Care about the people you work with, help them succeed and put the team ahead of yourself.', 'Tell us about a time you helped a teammate succeed at your own expense.
What makes a team feel like a family to you?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(8, 'Do More With Less', 'Be resourceful and efficient; find ways to do better work without waiting for more budget or people.', 'Tell us about a time you achieved a goal with fewer resources than you wanted.
What waste have you cut from a process you worked in?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(9, 'Be Passionate and Determined', 'Care deeply about the work and keep going when things get hard.', 'What are you most passionate about, in or out of work?
Tell us about a time you kept going when others gave up.', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00'),
(10, 'Be Humble', 'Stay modest about success, respect everyone equally and give others the credit they deserve.', 'Tell us about a mistake you made and what you learned from it.
Who deserves credit for your biggest success, and why?
How do you treat people who can do nothing for you?', TRUE, '2026-11-22 00:00:00', '2026-11-22 00:00:00');

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    location TEXT NOT NULL,
    description TEXT NOT NULL,
    hiring_manager_id BIGINT REFERENCES users (id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX jobs_status_idx ON jobs (status, title);

-- What the technical interview scores for a job.
CREATE TABLE competencies (
    id INTEGER PRIMARY KEY,
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    good_looks_like TEXT NOT NULL
);
CREATE INDEX competencies_job_idx ON competencies (job_id, position);

-- email is stored normalised (trimmed, lower case), so the unique index is
-- case-insensitive; name_key is the lower-cased name for prefix search.
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    source TEXT NOT NULL,
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    resume_text TEXT NOT NULL,
    resume_url TEXT NOT NULL,
    notes TEXT NOT NULL,
    stage TEXT NOT NULL,
    stage_entered_at TIMESTAMP NOT NULL,
    red_flag BOOLEAN NOT NULL DEFAULT FALSE,
    applied_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX candidates_email_idx ON candidates (email);
CREATE INDEX candidates_name_idx ON candidates (name_key, id);
CREATE INDEX candidates_applied_idx ON candidates (applied_at, id);
CREATE INDEX candidates_job_stage_idx ON candidates (job_id, stage, applied_at, id);
-- The board's cards: per stage, the most recently moved first.
CREATE INDEX candidates_board_idx ON candidates (job_id, stage, stage_entered_at, id);
-- The list filtered by job alone, sorted by applied date or by name.
CREATE INDEX candidates_job_applied_idx ON candidates (job_id, applied_at, id);
CREATE INDEX candidates_job_name_idx ON candidates (job_id, name_key, id);
CREATE INDEX candidates_stage_idx ON candidates (stage, applied_at, id);
CREATE INDEX candidates_source_idx ON candidates (source, applied_at, id);

-- Every move between pipeline stages; time in stage is the gap to the next move.
CREATE TABLE stage_changes (
    id INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    job_id BIGINT NOT NULL REFERENCES jobs (id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    reason TEXT,
    note TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    at TIMESTAMP NOT NULL
);
CREATE INDEX stage_changes_candidate_idx ON stage_changes (candidate_id, at);
CREATE INDEX stage_changes_job_idx ON stage_changes (job_id, to_stage, at);

CREATE TABLE interviews (
    id INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    track TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    duration_minutes BIGINT NOT NULL,
    location TEXT NOT NULL,
    video_url TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The .ics UID stays the same for the life of the interview; SEQUENCE rises.
    ical_uid TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX interviews_candidate_idx ON interviews (candidate_id, starts_at);
CREATE INDEX interviews_status_idx ON interviews (status, starts_at);

CREATE TABLE interview_panel (
    interview_id BIGINT NOT NULL REFERENCES interviews (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    reminded_at TIMESTAMP,
    PRIMARY KEY (interview_id, user_id)
);
CREATE INDEX interview_panel_user_idx ON interview_panel (user_id, interview_id);

-- One per interviewer per interview. The columns hold the current version; every
-- version (the original and each amendment) is kept in scorecard_versions.
CREATE TABLE scorecards (
    id INTEGER PRIMARY KEY,
    interview_id BIGINT NOT NULL REFERENCES interviews (id),
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    interviewer_id BIGINT NOT NULL REFERENCES users (id),
    track TEXT NOT NULL,
    recommendation TEXT NOT NULL,
    version BIGINT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    amended_at TIMESTAMP
);
CREATE UNIQUE INDEX scorecards_interview_idx ON scorecards (interview_id, interviewer_id);
CREATE INDEX scorecards_candidate_idx ON scorecards (candidate_id, track);
CREATE INDEX scorecards_interviewer_idx ON scorecards (interviewer_id, submitted_at);

CREATE TABLE scorecard_versions (
    id INTEGER PRIMARY KEY,
    scorecard_id BIGINT NOT NULL REFERENCES scorecards (id),
    version BIGINT NOT NULL,
    recommendation TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- Why an amendment was made; empty for the original.
    reason TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX scorecard_versions_idx ON scorecard_versions (scorecard_id, version);

-- attribute_id is a competency (technical) or a core value (culture); the name is
-- copied so a later edit of the list does not rewrite what was scored.
CREATE TABLE scorecard_ratings (
    id INTEGER PRIMARY KEY,
    scorecard_version_id BIGINT NOT NULL REFERENCES scorecard_versions (id),
    attribute_id BIGINT NOT NULL,
    attribute_name TEXT NOT NULL,
    rating BIGINT,
    evidence TEXT NOT NULL
);
CREATE INDEX scorecard_ratings_version_idx ON scorecard_ratings (scorecard_version_id);

-- Links for people who meet the candidate outside the interviews (shuttle driver,
-- receptionist). Only the token's hash is stored.
CREATE TABLE observation_links (
    id INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    token_hash TEXT NOT NULL,
    observer_role TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE UNIQUE INDEX observation_links_token_idx ON observation_links (token_hash);
CREATE INDEX observation_links_candidate_idx ON observation_links (candidate_id);

CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    link_id BIGINT REFERENCES observation_links (id),
    observer_name TEXT NOT NULL,
    observer_role TEXT NOT NULL,
    treatment TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    acknowledged_by BIGINT REFERENCES users (id),
    acknowledged_at TIMESTAMP,
    acknowledgement TEXT
);
CREATE INDEX observations_candidate_idx ON observations (candidate_id, created_at);

CREATE TABLE hires (
    id INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    start_date DATE NOT NULL,
    department TEXT NOT NULL,
    title TEXT NOT NULL,
    hourly_rate_cents BIGINT NOT NULL,
    hired_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX hires_candidate_idx ON hires (candidate_id);
CREATE UNIQUE INDEX hires_user_idx ON hires (user_id);
CREATE INDEX hires_start_idx ON hires (start_date);

-- A private, revocable calendar subscription URL per person.
CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE UNIQUE INDEX calendar_feeds_token_idx ON calendar_feeds (token_hash);
CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id);

-- A calendar invitation (.ics text, METHOD inside) sent with an outbox message; the
-- mail worker attaches it as text/calendar.
ALTER TABLE outbox ADD COLUMN calendar_ics TEXT;
