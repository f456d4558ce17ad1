DROP INDEX users_access_until_idx;
ALTER TABLE users DROP COLUMN access_until;
DROP TABLE payouts;
DROP TABLE offers;
DROP TABLE yearly_windows;
ALTER TABLE cohorts DROP COLUMN offer_policy_id;
DROP TABLE offer_policies;
