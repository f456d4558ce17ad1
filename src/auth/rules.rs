//! Pure decisions for accounts: password policy, login throttling, token lifetimes.

use chrono::{Duration, NaiveDateTime};

pub const MIN_PASSWORD_LEN: usize = 10;
pub const MAX_PASSWORD_LEN: usize = 256;

/// Failed sign-ins counted over this window.
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
/// Failures for one account within the window before it must wait.
pub const MAX_FAILURES_PER_ACCOUNT: usize = 5;
/// Failures from one address within the window before it must wait.
pub const MAX_FAILURES_PER_ADDRESS: usize = 20;

pub fn password_problem(password: &str, email: &str) -> Option<String> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Some(format!("Use at least {MIN_PASSWORD_LEN} characters."));
    }
    if len > MAX_PASSWORD_LEN {
        return Some(format!("Use at most {MAX_PASSWORD_LEN} characters."));
    }
    if !email.is_empty() && password.eq_ignore_ascii_case(email) {
        return Some("Your password cannot be your email address.".into());
    }
    None
}

/// A plausible address: something@something.something, no spaces. Real proof is the mail.
pub fn email_problem(email: &str) -> Option<String> {
    let email = email.trim();
    if email.is_empty() {
        return Some("Enter an email address.".into());
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    };
    (!valid).then(|| "Enter an email address like name@example.com.".into())
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    Account { wait_minutes: i64 },
    Address { wait_minutes: i64 },
}

impl Throttled {
    pub fn message(self) -> String {
        match self {
            Throttled::Account { wait_minutes } => format!(
                "Too many failed sign-ins for this account. Try again in {wait_minutes} minute{}, or reset your password.",
                plural(wait_minutes)
            ),
            Throttled::Address { wait_minutes } => format!(
                "Too many failed sign-ins from your network. Try again in {wait_minutes} minute{}.",
                plural(wait_minutes)
            ),
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Given the times of recent failures (newest first) for the account and for the address,
/// says whether a sign-in may be tried now. The wait ends when the oldest failure that
/// counts toward the limit leaves the window.
pub fn throttle(
    account_failures: &[NaiveDateTime],
    address_failures: &[NaiveDateTime],
    now: NaiveDateTime,
) -> Option<Throttled> {
    let window = Duration::minutes(THROTTLE_WINDOW_MINUTES);
    let wait = |failures: &[NaiveDateTime], limit: usize| -> Option<i64> {
        let recent: Vec<_> = failures.iter().filter(|t| **t > now - window).collect();
        if recent.len() < limit {
            return None;
        }
        let oldest_counted = *recent[limit - 1];
        let secs = (oldest_counted + window - now).num_seconds().max(1);
        Some((secs + 59) / 60)
    };
    if let Some(m) = wait(account_failures, MAX_FAILURES_PER_ACCOUNT) {
        return Some(Throttled::Account { wait_minutes: m });
    }
    wait(address_failures, MAX_FAILURES_PER_ADDRESS).map(|m| Throttled::Address { wait_minutes: m })
}

/// What a one-time link is for, and how long it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Create the first admin of an empty installation.
    Setup,
    /// An invited user chooses their password.
    Invite,
    /// A forgotten password.
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Setup => "setup",
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }

    pub fn lifetime(self) -> Duration {
        match self {
            TokenPurpose::Setup => Duration::hours(24),
            TokenPurpose::Invite => Duration::days(7),
            TokenPurpose::Reset => Duration::hours(1),
        }
    }
}

/// A session ends after `idle` without a request or `max` after sign-in, whichever is first.
pub fn session_alive(
    last_seen: NaiveDateTime,
    expires: NaiveDateTime,
    idle: Duration,
    now: NaiveDateTime,
) -> bool {
    now < expires && now < last_seen + idle
}

/// Touching `last_seen_at` on every request would turn every page view into a write;
/// once a minute is precise enough for an idle timeout counted in minutes.
pub fn session_needs_touch(last_seen: NaiveDateTime, now: NaiveDateTime) -> bool {
    now - last_seen >= Duration::seconds(60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(min: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 5)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap()
            + Duration::minutes(min)
    }

    #[test]
    fn password_policy() {
        assert!(password_problem("short", "").is_some());
        assert!(password_problem("long enough pass", "").is_none());
        assert!(password_problem("Me@Example.com", "me@example.com").is_some());
        assert!(password_problem(&"x".repeat(257), "").is_some());
    }

    #[test]
    fn email_shapes() {
        assert!(email_problem("a@b.co").is_none());
        for bad in ["", "a", "a@b", "@b.co", "a b@c.co", "a@.co", "a@co."] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(normalize_email("  Ann@Example.COM "), "ann@example.com");
    }

    #[test]
    fn four_failures_do_not_throttle_five_do() {
        let now = t(10);
        let four: Vec<_> = (0..4).map(|i| t(9 - i)).collect();
        assert_eq!(throttle(&four, &four, now), None);
        let five: Vec<_> = (0..5).map(|i| t(9 - i)).collect();
        // The fifth-newest failure was at minute 5: it leaves the window at minute 20.
        assert_eq!(
            throttle(&five, &five, now),
            Some(Throttled::Account { wait_minutes: 10 })
        );
    }

    #[test]
    fn old_failures_leave_the_window() {
        // Failures at minutes 0, -1, ..., -4: the fifth leaves the window at minute 11.
        let five: Vec<_> = (0..5).map(|i| t(-i)).collect();
        assert_eq!(throttle(&five, &[], t(11)), None);
        assert_eq!(
            throttle(&five, &[], t(10)),
            Some(Throttled::Account { wait_minutes: 1 })
        );
    }

    #[test]
    fn address_limit_is_separate() {
        let many: Vec<_> = (0..20).map(|i| t(-i / 4)).collect();
        assert!(matches!(
            throttle(&[], &many, t(1)),
            Some(Throttled::Address { .. })
        ));
        assert_eq!(throttle(&[], &many[..19], t(1)), None);
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        let idle = Duration::minutes(60);
        assert!(session_alive(t(0), t(600), idle, t(59)));
        assert!(!session_alive(t(0), t(600), idle, t(60)));
        assert!(!session_alive(t(590), t(600), idle, t(600)));
        assert!(!session_needs_touch(t(0), t(0) + Duration::seconds(59)));
        assert!(session_needs_touch(t(0), t(1)));
    }
}
