//! When graduation may happen and what a let-go needs.

use chrono::NaiveDate;

/// The longest reason kept for letting a trainee go.
pub const MAX_REASON: usize = 2000;

/// Graduation opens on the cohort's last training day.
pub fn is_open(last_day: Option<NaiveDate>, today: NaiveDate) -> bool {
    last_day.is_some_and(|d| today >= d)
}

/// The trimmed reason, or the message to show next to the field.
pub fn reason(raw: &str) -> Result<String, String> {
    let r = raw.trim();
    if r.is_empty() {
        Err("Say why the trainee is let go; the reason is kept in their record.".into())
    } else if r.chars().count() > MAX_REASON {
        Err(format!("Keep the reason under {MAX_REASON} characters."))
    } else {
        Ok(r.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn opens_on_the_last_day() {
        let last = Some(d("2026-12-18"));
        assert!(!is_open(last, d("2026-12-17")));
        assert!(is_open(last, d("2026-12-18")));
        assert!(is_open(last, d("2027-01-04")));
        assert!(!is_open(None, d("2027-01-04")));
    }

    #[test]
    fn a_reason_is_required() {
        assert!(reason("   ").is_err());
        assert!(reason(&"x".repeat(MAX_REASON + 1)).is_err());
        assert_eq!(
            reason("  missed the phones weeks ").unwrap(),
            "missed the phones weeks"
        );
    }
}
