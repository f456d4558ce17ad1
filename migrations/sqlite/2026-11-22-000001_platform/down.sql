DROP TABLE outbox;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE one_time_tokens;
DROP TABLE login_attempts;
DROP TABLE sessions;
DROP TABLE user_roles;
DROP TABLE users;
