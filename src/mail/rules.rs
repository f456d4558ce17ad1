//! When to try a failed delivery again.

use chrono::Duration;

/// After the `attempts`-th failure: wait `base * 2^(attempts-1)`, or give up (None) once
/// `max_attempts` have been made.
pub fn retry_after(attempts: i64, max_attempts: i64, base_secs: f64) -> Option<Duration> {
    if attempts >= max_attempts {
        return None;
    }
    let factor = 2f64.powi((attempts - 1).clamp(0, 30) as i32);
    Some(Duration::milliseconds((base_secs * factor * 1000.0) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_gives_up() {
        assert_eq!(retry_after(1, 8, 30.0), Some(Duration::seconds(30)));
        assert_eq!(retry_after(2, 8, 30.0), Some(Duration::seconds(60)));
        assert_eq!(retry_after(7, 8, 30.0), Some(Duration::seconds(30 * 64)));
        assert_eq!(retry_after(8, 8, 30.0), None);
    }
}
