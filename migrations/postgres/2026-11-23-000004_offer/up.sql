-- The Offer: money to quit during training (and, optionally, once a year after it).
-- Mirrors migrations/sqlite; tests/schema_parity.rs proves they match.

-- Every training-offer policy ever in force, kept as a history: the one in force on a
-- date is the latest effective_on at or before it. Days are cohort training days.
CREATE TABLE offer_policies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bonus_cents BIGINT NOT NULL,
    offer_day BIGINT NOT NULL,
    closes_day BIGINT NOT NULL,
    pays_time_worked BOOLEAN NOT NULL,
    effective_on DATE NOT NULL,
    note TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX offer_policies_effective_idx ON offer_policies (effective_on, id);

INSERT INTO offer_policies (bonus_cents, offer_day, closes_day, pays_time_worked, effective_on, note, created_at) VALUES
(200000, 5, 10, TRUE, '2000-01-01', 'The default: $2,000 at the end of the first week, open to the end of the second.', '2026-11-23 00:00:00');

-- The policy a cohort took when it was created (or that HR later applied to it).
ALTER TABLE cohorts ADD COLUMN offer_policy_id BIGINT REFERENCES offer_policies (id);

-- A yearly pay-to-quit window for graduated employees (Amazon's variant): the bonus is
-- base + step per full year of tenure, capped.
CREATE TABLE yearly_windows (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opens_on DATE NOT NULL,
    closes_on DATE NOT NULL,
    base_cents BIGINT NOT NULL,
    step_cents BIGINT NOT NULL,
    max_cents BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX yearly_windows_opens_idx ON yearly_windows (opens_on);

-- One offer. kind: training (enrolment_id, cohort_id, policy_id set) or yearly
-- (employee_id, yearly_window_id set). status: pending, accepted, declined, expired, void.
-- minutes_worked and time_pay_cents follow attendance while pending and are fixed on
-- acceptance. department and culture_band are copied at offer time for the uptake report.
CREATE TABLE offers (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    enrolment_id BIGINT REFERENCES enrolments (id),
    cohort_id BIGINT REFERENCES cohorts (id),
    policy_id BIGINT REFERENCES offer_policies (id),
    employee_id BIGINT REFERENCES employees (id),
    yearly_window_id BIGINT REFERENCES yearly_windows (id),
    department TEXT NOT NULL,
    culture_band TEXT NOT NULL,
    bonus_cents BIGINT NOT NULL,
    hourly_rate_cents BIGINT NOT NULL,
    pays_time_worked BOOLEAN NOT NULL,
    minutes_worked BIGINT NOT NULL,
    time_pay_cents BIGINT NOT NULL,
    opens_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    status TEXT NOT NULL,
    answered_at TIMESTAMP,
    void_reason TEXT NOT NULL,
    made_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX offers_enrolment_idx ON offers (enrolment_id);
CREATE UNIQUE INDEX offers_yearly_idx ON offers (employee_id, yearly_window_id);
CREATE INDEX offers_user_idx ON offers (user_id, id);
CREATE INDEX offers_pending_idx ON offers (status, expires_at);
CREATE INDEX offers_cohort_idx ON offers (cohort_id, status);

-- What payroll pays for an accepted offer; the arithmetic is kept as shown to the person.
CREATE TABLE payouts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id BIGINT NOT NULL REFERENCES offers (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    bonus_cents BIGINT NOT NULL,
    minutes_worked BIGINT NOT NULL,
    hourly_rate_cents BIGINT NOT NULL,
    time_pay_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    arithmetic TEXT NOT NULL,
    due_on DATE NOT NULL,
    paid_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX payouts_offer_idx ON payouts (offer_id);
CREATE INDEX payouts_due_idx ON payouts (paid_at, due_on);

-- An account that left with the offer keeps the farewell page until this time, then the
-- daily job deactivates it.
ALTER TABLE users ADD COLUMN access_until TIMESTAMP;
CREATE INDEX users_access_until_idx ON users (access_until);
