-- HR's audit of the Offer: running tallies the uptake and retention reports read, so a
-- report page costs a few index reads however many offers there are. Every change to an
-- offer, a payout, a cohort's trainers or an employee's leaving date updates them in the
-- same transaction; offer::reports::tally::rebuild recomputes them from the rows.
-- Mirrors migrations/sqlite; tests/schema_parity.rs proves they match.

-- Offers by outcome, one row per (kind, dimension, key). dimension: overall, cohort,
-- trainer, bonus, department, band, month or month_bonus. key_num holds the cohort id,
-- trainer's user id or bonus in cents (0 when unused); key_text the department, culture
-- band or month as YYYY-MM ('' when unused). paid_cents: the payouts' totals.
CREATE TABLE offer_tallies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    dimension TEXT NOT NULL,
    key_num BIGINT NOT NULL,
    key_text TEXT NOT NULL,
    made BIGINT NOT NULL,
    pending BIGINT NOT NULL,
    accepted BIGINT NOT NULL,
    declined BIGINT NOT NULL,
    expired BIGINT NOT NULL,
    void BIGINT NOT NULL,
    paid_cents BIGINT NOT NULL
);
CREATE UNIQUE INDEX offer_tallies_key_idx ON offer_tallies (kind, dimension, key_num, key_text);

-- Graduates who declined the training offer or let it expire, by cohort, bonus, that
-- outcome and graduation day: how many, and how many had left within 90, 180 and 365
-- days of graduating.
CREATE TABLE retention_tallies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cohort_id BIGINT NOT NULL REFERENCES cohorts (id),
    bonus_cents BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    graduated_on DATE NOT NULL,
    people BIGINT NOT NULL,
    left_by_90 BIGINT NOT NULL,
    left_by_180 BIGINT NOT NULL,
    left_by_365 BIGINT NOT NULL
);
CREATE UNIQUE INDEX retention_tallies_key_idx ON retention_tallies (cohort_id, bonus_cents, outcome, graduated_on);
CREATE INDEX retention_tallies_graduated_idx ON retention_tallies (graduated_on, bonus_cents, outcome);
