//! The one clock every time rule reads. Tests move it forward instead of sleeping.

use chrono::{Duration, NaiveDateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc() + Duration::seconds(self.offset_secs.load(Ordering::Relaxed))
    }

    pub fn advance(&self, by: Duration) {
        self.offset_secs
            .fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

/// A wall-clock time on a date in the company's zone, as UTC; across a clock change the
/// earlier instant, and the time as given if it does not exist locally.
pub fn local_to_utc(
    tz: chrono_tz::Tz,
    date: chrono::NaiveDate,
    hour: u32,
    minute: u32,
) -> NaiveDateTime {
    use chrono::TimeZone;
    let local = date.and_time(chrono::NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default());
    tz.from_local_datetime(&local)
        .earliest()
        .map_or(local, |t| t.naive_utc())
}
