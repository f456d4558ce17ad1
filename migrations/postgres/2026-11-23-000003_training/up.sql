-- Training: curriculum templates, company holidays, cohorts with their own copy of the
-- curriculum and laid-out days, enrolments, attendance, module results, live-call
-- shifts, coaching notes, the pre-start checklist and the employment record that
-- graduation starts. Mirrors migrations/sqlite; tests/schema_parity.rs proves they match.

-- A template: weeks of days of modules, with the rules a cohort copies when it starts.
CREATE TABLE curricula (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    weeks BIGINT NOT NULL,
    days_per_week BIGINT NOT NULL,
    live_call_target_minutes BIGINT NOT NULL,
    max_unexcused_absences BIGINT NOT NULL,
    max_lates BIGINT NOT NULL,
    -- Paid minutes in an attended training day (the offer pays for time worked).
    day_minutes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX curricula_name_idx ON curricula (name);

-- kind: classroom, shadowing, phones or graduation. pass_mark (0-100) means the module
-- has an assessment.
CREATE TABLE curriculum_modules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    curriculum_id BIGINT NOT NULL REFERENCES curricula (id),
    week BIGINT NOT NULL,
    day BIGINT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    pass_mark BIGINT
);
CREATE INDEX curriculum_modules_curriculum_idx ON curriculum_modules (curriculum_id, week, day, position);

INSERT INTO curricula (name, description, weeks, days_per_week, live_call_target_minutes, max_unexcused_absences, max_lates, day_minutes, created_at, updated_at) VALUES
('Customer Loyalty Training', 'Four weeks every new hire takes, whatever their role: two in the classroom, two on the phones taking live customer calls with coaching, then graduation.', 4, 5, 2400, 1, 2, 480, '2026-11-23 00:00:00', '2026-11-23 00:00:00');

INSERT INTO curriculum_modules (curriculum_id, week, day, position, title, kind, description, pass_mark) VALUES
(1, 1, 1, 1, 'Welcome and company history', 'classroom', 'Where the company came from and why service is the whole business.', NULL),
(1, 1, 1, 2, 'The culture book', 'classroom', 'Reading and discussing what past classes wrote about the culture.', NULL),
(1, 1, 2, 1, 'The core values, one to five', 'classroom', 'Deliver WOW through service to Be adventurous, creative and open-minded: stories and practice.', NULL),
(1, 1, 3, 1, 'The core values, six to ten', 'classroom', 'Pursue growth and learning to Be humble: stories and practice.', NULL),
(1, 1, 3, 2, 'Core values check', 'classroom', 'A short written check on the ten values.', 80),
(1, 1, 4, 1, 'Systems and tools: orders and returns', 'classroom', 'The order system: finding an order, returns, exchanges, refunds.', NULL),
(1, 1, 5, 1, 'Systems and tools: the knowledge base', 'classroom', 'Finding answers fast, and adding what was missing.', NULL),
(1, 1, 5, 2, 'Systems check', 'classroom', 'Hands-on: find, change and return an order in the training system.', 70),
(1, 2, 1, 1, 'Phone skills: listening and tone', 'classroom', 'No scripts, no call timers: listening, tone and making a personal emotional connection.', NULL),
(1, 2, 2, 1, 'Role-play: returns and exchanges', 'classroom', 'Trainees take turns as customer and agent.', NULL),
(1, 2, 3, 1, 'Role-play: the difficult call', 'classroom', 'Upset customers, long calls, saying yes when the system says no.', NULL),
(1, 2, 3, 2, 'Phone skills role-play assessment', 'classroom', 'A trainer plays the customer; scored against the phone skills rubric.', 75),
(1, 2, 4, 1, 'Shadowing experienced agents', 'shadowing', 'A day beside an agent on live calls, headset on, listening.', NULL),
(1, 2, 5, 1, 'Shadowing experienced agents', 'shadowing', 'A second day beside a different agent.', NULL),
(1, 3, 1, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls; a coach nearby.', NULL),
(1, 3, 2, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls; a coach nearby.', NULL),
(1, 3, 3, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls; a coach nearby.', NULL),
(1, 3, 4, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls; a coach nearby.', NULL),
(1, 3, 5, 1, 'Live calls with coaching', 'phones', 'On the phones; end-of-week review of WOW stories.', NULL),
(1, 4, 1, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls.', NULL),
(1, 4, 2, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls.', NULL),
(1, 4, 3, 1, 'Live calls with coaching', 'phones', 'On the phones taking customer calls.', NULL),
(1, 4, 4, 1, 'Live calls with coaching', 'phones', 'On the phones; last coaching review.', NULL),
(1, 4, 5, 1, 'Graduation', 'graduation', 'The class graduates and heads to their departments.', NULL);

-- Days the company is closed; cohort days skip them (and weekends).
CREATE TABLE holidays (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    day DATE NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX holidays_day_idx ON holidays (day);

-- A class. It keeps its own copy of the curriculum it started with (cohort_modules and
-- the rule columns), so editing the template later changes nothing here. Status is
-- derived: graduated once graduated_at is set, else running from start_date, else planned.
CREATE TABLE cohorts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    -- Lower-cased name: the cohort list's prefix search ranges over it.
    name_key TEXT NOT NULL,
    start_date DATE NOT NULL,
    capacity BIGINT NOT NULL,
    curriculum_id BIGINT REFERENCES curricula (id),
    curriculum_name TEXT NOT NULL,
    weeks BIGINT NOT NULL,
    days_per_week BIGINT NOT NULL,
    live_call_target_minutes BIGINT NOT NULL,
    max_unexcused_absences BIGINT NOT NULL,
    max_lates BIGINT NOT NULL,
    day_minutes BIGINT NOT NULL,
    graduated_at TIMESTAMP,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX cohorts_name_idx ON cohorts (name);
CREATE INDEX cohorts_start_idx ON cohorts (start_date, id);
-- The list's running filter (graduated_at IS NULL, start_date <= today) as one range.
CREATE INDEX cohorts_open_idx ON cohorts (graduated_at, start_date, id);
CREATE INDEX cohorts_name_key_idx ON cohorts (name_key);

CREATE TABLE cohort_modules (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    week BIGINT NOT NULL,
    day BIGINT NOT NULL,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    pass_mark BIGINT
);
CREATE INDEX cohort_modules_cohort_idx ON cohort_modules (cohort_id, week, day, position);

-- The cohort's training days, laid out from its start date skipping weekends and holidays.
CREATE TABLE cohort_days (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    day_number BIGINT NOT NULL,
    date DATE NOT NULL
);
CREATE UNIQUE INDEX cohort_days_cohort_idx ON cohort_days (cohort_id, day_number);
CREATE INDEX cohort_days_date_idx ON cohort_days (date, cohort_id);

CREATE TABLE cohort_trainers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    user_id BIGINT NOT NULL REFERENCES users (id)
);
CREATE UNIQUE INDEX cohort_trainers_cohort_idx ON cohort_trainers (cohort_id, user_id);
CREATE INDEX cohort_trainers_user_idx ON cohort_trainers (user_id, cohort_id);

-- A hire in a cohort. first_day is the cohort day number they joined on (late joiners
-- count attendance from it). status: active, graduated, moved, let_go or left_with_offer;
-- a hire has at most one active enrolment.
CREATE TABLE enrolments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    hire_id BIGINT NOT NULL REFERENCES hires (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    first_day BIGINT NOT NULL,
    status TEXT NOT NULL,
    end_reason TEXT NOT NULL,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enrolments_cohort_idx ON enrolments (cohort_id, status, id);
CREATE INDEX enrolments_hire_idx ON enrolments (hire_id, status);
CREATE INDEX enrolments_user_idx ON enrolments (user_id, status);

-- status: present, late, excused or absent (absent is unexcused).
CREATE TABLE attendance (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    day_number BIGINT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX attendance_enrolment_idx ON attendance (enrolment_id, day_number);
CREATE INDEX attendance_cohort_day_idx ON attendance (cohort_id, day_number);

CREATE TABLE module_results (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    cohort_module_id BIGINT NOT NULL REFERENCES cohort_modules (id),
    score BIGINT,
    passed BOOLEAN NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX module_results_enrolment_idx ON module_results (enrolment_id, cohort_module_id);
CREATE INDEX module_results_module_idx ON module_results (cohort_module_id);

-- A phone shift. No handle-time figure on purpose: service is not rushed.
CREATE TABLE call_shifts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP NOT NULL,
    -- Whole minutes from start to end, kept so both databases can sum them.
    minutes BIGINT NOT NULL,
    calls_taken BIGINT NOT NULL,
    connections BIGINT NOT NULL,
    wow_story TEXT NOT NULL,
    logged_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX call_shifts_enrolment_idx ON call_shifts (enrolment_id, started_at);
CREATE INDEX call_shifts_cohort_idx ON call_shifts (cohort_id, started_at);

-- Trainers and HR only.
CREATE TABLE coaching_notes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id),
    author_id BIGINT REFERENCES users (id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX coaching_notes_enrolment_idx ON coaching_notes (enrolment_id, created_at);

-- The pre-start checklist template; each hire gets a copy of the active items.
CREATE TABLE checklist_items (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    days_before_start BIGINT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

INSERT INTO checklist_items (position, title, description, days_before_start, active, created_at, updated_at) VALUES
(1, 'Sign the employment agreement', 'Read it, ask HR anything, sign it.', 5, TRUE, '2026-11-23 00:00:00', '2026-11-23 00:00:00'),
(2, 'Tax forms', 'Fill in the withholding forms HR sent you.', 3, TRUE, '2026-11-23 00:00:00', '2026-11-23 00:00:00'),
(3, 'Direct deposit', 'Give payroll the account your pay goes to.', 3, TRUE, '2026-11-23 00:00:00', '2026-11-23 00:00:00'),
(4, 'Read the culture book', 'Written by the people you are about to work with.', 0, TRUE, '2026-11-23 00:00:00', '2026-11-23 00:00:00');

CREATE TABLE checklist_tasks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hire_id BIGINT NOT NULL REFERENCES hires (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    due_date DATE NOT NULL,
    done_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX checklist_tasks_user_idx ON checklist_tasks (user_id, position);
CREATE INDEX checklist_tasks_open_idx ON checklist_tasks (done_at, due_date);

-- An employee record, started by graduation; HR records when and why they later leave.
CREATE TABLE employees (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hire_id BIGINT NOT NULL REFERENCES hires (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    department TEXT NOT NULL,
    title TEXT NOT NULL,
    started_on DATE NOT NULL,
    left_on DATE,
    leave_reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX employees_hire_idx ON employees (hire_id);
CREATE INDEX employees_department_idx ON employees (department, started_on);
