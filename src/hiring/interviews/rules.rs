//! Scheduling decisions with no I/O: reading the time a recruiter typed in the company's
//! zone, what a valid interview is, where scheduling moves a candidate, what a change
//! to an interview means for the people on it, and when a scorecard reminder is due.

use crate::db::ids::UserId;
use crate::error::FieldErrors;
use crate::hiring::rules::{Stage, Track};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// Durations offered on the form, in minutes; the API accepts any value in range.
pub const DURATIONS: [i64; 6] = [30, 45, 60, 90, 120, 180];
pub const MIN_MINUTES: i64 = 15;
pub const MAX_MINUTES: i64 = 8 * 60;
/// A scorecard is missing once this long has passed after the interview ended.
pub const REMINDER_AFTER_HOURS: i64 = 24;
/// How far back the calendar feed reaches.
pub const FEED_DAYS_BACK: i64 = 30;
const MAX_TEXT: usize = 500;

/// An interview as typed into the form or sent to the API. The time is either `starts_at`
/// (RFC 3339 with an offset, API) or `date` + `time` in the company's time zone.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InterviewInput {
    /// technical or culture (ignored when rescheduling).
    #[serde(default)]
    pub track: String,
    /// Start as RFC 3339, e.g. `2026-12-03T14:30:00+01:00`. Overrides `date` and `time`.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub starts_at: Option<DateTime<FixedOffset>>,
    /// `YYYY-MM-DD` in the company time zone.
    #[serde(default)]
    pub date: String,
    /// `HH:MM` (24 hours) in the company time zone.
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub duration_minutes: i64,
    /// Where: a room, an address. A place, a video link or both.
    #[serde(default)]
    pub location: String,
    /// An http(s) link to the video call.
    #[serde(default)]
    pub video_url: String,
    /// Users holding interviewer, recruiter, hr or admin.
    #[serde(default)]
    pub interviewer_ids: Vec<UserId>,
}

/// A checked interview, ready to store. `starts_at` is UTC.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidInterview {
    pub track: Track,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i64,
    pub location: String,
    pub video_url: String,
    pub interviewers: Vec<UserId>,
}

impl ValidInterview {
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + Duration::minutes(self.duration_minutes)
    }
}

/// A local date and time in `tz` as UTC. A time skipped by a clock change is refused; a
/// repeated one (clocks going back) takes the earlier instant.
pub fn local_to_utc(date: &str, time: &str, tz: Tz) -> Result<NaiveDateTime, (String, String)> {
    let d = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        (
            "date".to_string(),
            "Enter a date as YYYY-MM-DD.".to_string(),
        )
    })?;
    let t = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| {
        (
            "time".to_string(),
            "Enter a time as HH:MM (24 hours).".to_string(),
        )
    })?;
    tz.from_local_datetime(&d.and_time(t))
        .earliest()
        .map(|dt| dt.naive_utc())
        .ok_or_else(|| {
            (
                "time".to_string(),
                format!("{time} does not exist on {date} in {tz}: the clocks change then."),
            )
        })
}

/// A UTC time as people in `tz` read it, e.g. "Thu 3 Dec 2026, 14:30".
pub fn show(t: NaiveDateTime, tz: Tz) -> String {
    tz.from_utc_datetime(&t)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// The `date` and `time` fields of the form for a stored UTC time.
pub fn form_date_time(t: NaiveDateTime, tz: Tz) -> (String, String) {
    let local = tz.from_utc_datetime(&t);
    (
        local.format("%Y-%m-%d").to_string(),
        local.format("%H:%M").to_string(),
    )
}

fn is_web_link(s: &str) -> bool {
    url::Url::parse(s)
        .map(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
        .unwrap_or(false)
}

/// Checks an interview. `track` is the stored one when rescheduling. `eligible` are the
/// active users who may sit on a panel; `candidate_stage` refuses final candidates.
pub fn validate(
    input: &InterviewInput,
    track: Option<Track>,
    candidate_stage: Stage,
    eligible: &[UserId],
    tz: Tz,
    now: NaiveDateTime,
) -> Result<ValidInterview, FieldErrors> {
    let mut errors = FieldErrors::new();
    if candidate_stage.is_final() {
        errors.insert(
            "form".into(),
            format!(
                "This candidate is {}: no more interviews can be scheduled.",
                candidate_stage.label().to_lowercase()
            ),
        );
    }
    let track = track.or_else(|| Track::parse(input.track.trim()));
    if track.is_none() {
        errors.insert(
            "track".into(),
            "Choose the technical or the culture interview.".into(),
        );
    }
    let starts_at = match input.starts_at {
        Some(t) => Some(t.naive_utc()),
        None => match local_to_utc(&input.date, &input.time, tz) {
            Ok(t) => Some(t),
            Err((field, message)) => {
                errors.insert(field, message);
                None
            }
        },
    };
    if let Some(t) = starts_at {
        if t <= now {
            errors.insert(
                "date".into(),
                "This time has passed. Choose a time in the future.".into(),
            );
        }
    }
    if !(MIN_MINUTES..=MAX_MINUTES).contains(&input.duration_minutes) {
        errors.insert(
            "duration_minutes".into(),
            format!("Choose a duration from {MIN_MINUTES} minutes to 8 hours."),
        );
    }
    let location = input.location.trim().to_string();
    let video_url = input.video_url.trim().to_string();
    if location.is_empty() && video_url.is_empty() {
        errors.insert(
            "location".into(),
            "Give a place, a video link, or both.".into(),
        );
    }
    if location.chars().count() > MAX_TEXT {
        errors.insert(
            "location".into(),
            format!("Keep the place under {MAX_TEXT} characters."),
        );
    }
    if !video_url.is_empty() && (!is_web_link(&video_url) || video_url.len() > MAX_TEXT) {
        errors.insert(
            "video_url".into(),
            "Enter the video call's full link, starting with https://.".into(),
        );
    }
    let mut interviewers = input.interviewer_ids.clone();
    interviewers.sort();
    interviewers.dedup();
    if interviewers.is_empty() {
        errors.insert(
            "interviewers".into(),
            "Choose at least one interviewer.".into(),
        );
    } else if interviewers.iter().any(|id| !eligible.contains(id)) {
        errors.insert(
            "interviewers".into(),
            "Choose interviewers from the list: active people who interview, recruit, or work in HR."
                .into(),
        );
    }
    match (track, starts_at) {
        (Some(track), Some(starts_at)) if errors.is_empty() => Ok(ValidInterview {
            track,
            starts_at,
            duration_minutes: input.duration_minutes,
            location,
            video_url,
            interviewers,
        }),
        _ => Err(errors),
    }
}

/// The stage scheduling moves a candidate to: a candidate still in applied or screening
/// enters the track's interview stage; one further along stays where they are.
pub fn stage_after_scheduling(current: Stage, track: Track) -> Option<Stage> {
    match current {
        Stage::Applied | Stage::Screening => Some(match track {
            Track::Technical => Stage::Technical,
            Track::Culture => Stage::Culture,
        }),
        _ => None,
    }
}

/// What an edit means for the people on the interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdatePlan {
    /// Time, length, place or link changed: everyone staying gets an updated invitation.
    pub details_changed: bool,
    /// New to the panel: they get an invitation.
    pub added: Vec<UserId>,
    /// Taken off the panel: they get a cancellation.
    pub removed: Vec<UserId>,
    /// On the panel before and after.
    pub kept: Vec<UserId>,
}

impl UpdatePlan {
    pub fn is_change(&self) -> bool {
        self.details_changed || !self.added.is_empty() || !self.removed.is_empty()
    }
}

/// Compares the stored interview with the edited one.
pub fn plan_update(old: &ValidInterview, old_panel: &[UserId], new: &ValidInterview) -> UpdatePlan {
    let details_changed = old.starts_at != new.starts_at
        || old.duration_minutes != new.duration_minutes
        || old.location != new.location
        || old.video_url != new.video_url;
    let added = new
        .interviewers
        .iter()
        .filter(|u| !old_panel.contains(u))
        .copied()
        .collect();
    let removed = old_panel
        .iter()
        .filter(|u| !new.interviewers.contains(u))
        .copied()
        .collect();
    let kept = old_panel
        .iter()
        .filter(|u| new.interviewers.contains(u))
        .copied()
        .collect();
    UpdatePlan {
        details_changed,
        added,
        removed,
        kept,
    }
}

/// True once a day has passed since the interview ended.
pub fn reminder_due(ends_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    now >= ends_at + Duration::hours(REMINDER_AFTER_HOURS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn input() -> InterviewInput {
        InterviewInput {
            track: "technical".into(),
            date: "2026-12-03".into(),
            time: "14:30".into(),
            duration_minutes: 60,
            location: "Room 4".into(),
            interviewer_ids: vec![UserId(2), UserId(3), UserId(2)],
            ..Default::default()
        }
    }

    const ELIGIBLE: [UserId; 2] = [UserId(2), UserId(3)];

    #[test]
    fn a_good_interview_is_stored_in_utc() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let v = validate(
            &input(),
            None,
            Stage::Applied,
            &ELIGIBLE,
            berlin,
            at("2026-11-01 00:00"),
        )
        .unwrap();
        assert_eq!(v.track, Track::Technical);
        assert_eq!(
            v.starts_at,
            at("2026-12-03 13:30"),
            "CET is UTC+1 in December"
        );
        assert_eq!(v.ends_at(), at("2026-12-03 14:30"));
        assert_eq!(v.interviewers, vec![UserId(2), UserId(3)], "deduplicated");
        assert_eq!(show(v.starts_at, berlin), "Thu 3 Dec 2026, 14:30");
        assert_eq!(
            form_date_time(v.starts_at, berlin),
            ("2026-12-03".into(), "14:30".into())
        );
    }

    #[test]
    fn an_api_time_with_an_offset_wins_over_date_and_time() {
        let mut i = input();
        i.starts_at = Some(DateTime::parse_from_rfc3339("2026-12-03T09:00:00-05:00").unwrap());
        let v = validate(
            &i,
            None,
            Stage::Screening,
            &ELIGIBLE,
            chrono_tz::UTC,
            at("2026-11-01 00:00"),
        )
        .unwrap();
        assert_eq!(v.starts_at, at("2026-12-03 14:00"));
    }

    #[test]
    fn each_problem_is_named_next_to_its_field() {
        let bad = InterviewInput {
            track: "lunch".into(),
            date: "2026-10-01".into(),
            time: "09:00".into(),
            duration_minutes: 5,
            video_url: "meet.example/x".into(),
            ..Default::default()
        };
        let e = validate(
            &bad,
            None,
            Stage::Applied,
            &ELIGIBLE,
            chrono_tz::UTC,
            at("2026-11-01 00:00"),
        )
        .unwrap_err();
        for field in [
            "track",
            "date",
            "duration_minutes",
            "video_url",
            "interviewers",
        ] {
            assert!(e.contains_key(field), "{field} missing from {e:?}");
        }
        assert!(!e.contains_key("form"));
        let mut no_place = input();
        no_place.location = " ".into();
        let e = validate(
            &no_place,
            None,
            Stage::Applied,
            &ELIGIBLE,
            chrono_tz::UTC,
            at("2026-11-01 00:00"),
        )
        .unwrap_err();
        assert_eq!(e.keys().collect::<Vec<_>>(), ["location"]);
    }

    #[test]
    fn unreadable_dates_and_strangers_are_refused() {
        let mut i = input();
        i.date = "03/12/2026".into();
        i.interviewer_ids = vec![UserId(9)];
        let e = validate(
            &i,
            None,
            Stage::Applied,
            &ELIGIBLE,
            chrono_tz::UTC,
            at("2026-11-01 00:00"),
        )
        .unwrap_err();
        assert!(e["date"].contains("YYYY-MM-DD"));
        assert!(e["interviewers"].contains("from the list"));
    }

    #[test]
    fn a_final_candidate_gets_no_interview() {
        for stage in [Stage::Hired, Stage::Rejected, Stage::Withdrawn] {
            let e = validate(
                &input(),
                None,
                stage,
                &ELIGIBLE,
                chrono_tz::UTC,
                at("2026-11-01 00:00"),
            )
            .unwrap_err();
            assert!(e["form"].contains("no more interviews"), "{stage}");
        }
    }

    #[test]
    fn a_time_skipped_by_the_clock_change_is_refused() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let err = local_to_utc("2027-03-28", "02:30", berlin).unwrap_err();
        assert_eq!(err.0, "time");
        // Clocks going back: 02:30 happens twice; the first one (still CEST, UTC+2) counts.
        assert_eq!(
            local_to_utc("2026-10-25", "02:30", berlin).unwrap(),
            at("2026-10-25 00:30")
        );
    }

    #[test]
    fn scheduling_moves_only_early_candidates() {
        assert_eq!(
            stage_after_scheduling(Stage::Applied, Track::Technical),
            Some(Stage::Technical)
        );
        assert_eq!(
            stage_after_scheduling(Stage::Screening, Track::Culture),
            Some(Stage::Culture)
        );
        assert_eq!(
            stage_after_scheduling(Stage::Technical, Track::Culture),
            None
        );
        assert_eq!(
            stage_after_scheduling(Stage::Decision, Track::Technical),
            None
        );
    }

    #[test]
    fn an_edit_sorts_people_into_added_removed_and_kept() {
        let old = validate(
            &input(),
            None,
            Stage::Applied,
            &[UserId(2), UserId(3), UserId(4)],
            chrono_tz::UTC,
            at("2026-11-01 00:00"),
        )
        .unwrap();
        let mut new = old.clone();
        new.interviewers = vec![UserId(3), UserId(4)];
        let plan = plan_update(&old, &old.interviewers, &new);
        assert_eq!(plan.added, vec![UserId(4)]);
        assert_eq!(plan.removed, vec![UserId(2)]);
        assert_eq!(plan.kept, vec![UserId(3)]);
        assert!(!plan.details_changed && plan.is_change());

        let mut later = old.clone();
        later.starts_at += Duration::hours(1);
        let plan = plan_update(&old, &old.interviewers, &later);
        assert!(plan.details_changed && plan.added.is_empty() && plan.removed.is_empty());
        assert!(!plan_update(&old, &old.interviewers, &old).is_change());
    }

    #[test]
    fn a_reminder_is_due_a_day_after_the_end() {
        let end = at("2026-12-03 15:00");
        assert!(!reminder_due(end, at("2026-12-04 14:59")));
        assert!(reminder_due(end, at("2026-12-04 15:00")));
    }
}
