-- Whether a person holds any role but new_hire, kept by the code that sets roles. The admin's
-- home page counts staff on every view; counting them through user_roles needs the staff roles
-- as a bound list, which PostgreSQL plans anew on every run and SQLite prepares anew.
ALTER TABLE users ADD COLUMN staff BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET staff = TRUE
WHERE id IN (SELECT user_id FROM user_roles WHERE role <> 'new_hire');
CREATE INDEX users_staff_idx ON users (id) WHERE staff;
