DROP INDEX users_staff_idx;
ALTER TABLE users DROP COLUMN staff;
