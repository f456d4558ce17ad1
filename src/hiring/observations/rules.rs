//! The shuttle-driver check: who observes, what makes an observation or an
//! acknowledgement acceptable, and when a link still works.

use crate::error::FieldErrors;
use crate::hiring::rules::Treatment;
use crate::text_enum;
use chrono::{Duration, NaiveDateTime};

text_enum! {
    /// Who meets the candidate outside the interviews.
    ObserverRole {
        ShuttleDriver => ("shuttle_driver", "Shuttle driver"),
        Receptionist => ("receptionist", "Receptionist"),
        Other => ("other", "Other"),
    }
}

/// An observation link works for a week.
pub fn link_lifetime() -> Duration {
    Duration::days(7)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Open,
    Used,
    Expired,
}

impl LinkState {
    pub fn of(
        used_at: Option<NaiveDateTime>,
        expires_at: NaiveDateTime,
        now: NaiveDateTime,
    ) -> Self {
        if used_at.is_some() {
            LinkState::Used
        } else if now >= expires_at {
            LinkState::Expired
        } else {
            LinkState::Open
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            LinkState::Open => "",
            LinkState::Used => {
                "This link has already been used. Thank you: your answer was recorded."
            }
            LinkState::Expired => {
                "This link has expired. Ask the recruiter who sent it for a new one if you still want to answer."
            }
        }
    }
}

const MAX_NAME: usize = 200;
const MAX_NOTE: usize = 10_000;

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct ObservationInput {
    #[serde(default)]
    pub observer_name: String,
    #[serde(default)]
    pub treatment: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidObservation {
    pub observer_name: String,
    pub treatment: Treatment,
    pub note: String,
}

pub fn validate(input: &ObservationInput) -> Result<ValidObservation, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.observer_name.trim();
    if name.is_empty() {
        errors.insert("observer_name".into(), "Tell us your name.".into());
    } else if name.chars().count() > MAX_NAME {
        errors.insert("observer_name".into(), "Keep your name shorter.".into());
    }
    let treatment = Treatment::parse(input.treatment.trim());
    let note = input.note.trim();
    match treatment {
        None => {
            errors.insert(
                "treatment".into(),
                "Choose how the candidate treated you: well, neutral or badly.".into(),
            );
        }
        Some(Treatment::Badly) if note.is_empty() => {
            errors.insert(
                "note".into(),
                "Please tell us what happened: a note is needed when the candidate treated you badly."
                    .into(),
            );
        }
        _ => {}
    }
    if note.chars().count() > MAX_NOTE {
        errors.insert("note".into(), "Keep the note shorter.".into());
    }
    match treatment {
        Some(treatment) if errors.is_empty() => Ok(ValidObservation {
            observer_name: name.to_string(),
            treatment,
            note: note.to_string(),
        }),
        _ => Err(errors),
    }
}

/// An acknowledgement of a red flag is a written note.
pub fn acknowledgement(note: &str) -> Result<String, FieldErrors> {
    let note = note.trim();
    if note.is_empty() {
        return Err(FieldErrors::from([(
            "note".to_string(),
            "Write what you make of this red flag: the acknowledgement needs a note.".to_string(),
        )]));
    }
    if note.chars().count() > MAX_NOTE {
        return Err(FieldErrors::from([(
            "note".to_string(),
            "Keep the note shorter.".to_string(),
        )]));
    }
    Ok(note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, t: &str, note: &str) -> ObservationInput {
        ObservationInput {
            observer_name: name.into(),
            treatment: t.into(),
            note: note.into(),
        }
    }

    #[test]
    fn badly_needs_a_note_well_and_neutral_do_not() {
        assert!(validate(&input("Sam", "well", "")).is_ok());
        assert!(validate(&input("Sam", "neutral", "")).is_ok());
        let e = validate(&input("Sam", "badly", " ")).unwrap_err();
        assert!(e["note"].contains("treated you badly"));
        let ok = validate(&input(" Sam ", "badly", "Rude about the wait")).unwrap();
        assert_eq!(ok.observer_name, "Sam");
        assert_eq!(ok.treatment, Treatment::Badly);
    }

    #[test]
    fn name_and_treatment_are_required() {
        let e = validate(&input("", "meh", "")).unwrap_err();
        assert!(e.contains_key("observer_name") && e.contains_key("treatment"));
    }

    #[test]
    fn a_link_is_open_until_used_or_a_week_has_passed() {
        let t0 = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let exp = t0 + link_lifetime();
        assert_eq!(LinkState::of(None, exp, t0), LinkState::Open);
        assert_eq!(
            LinkState::of(None, exp, exp - Duration::seconds(1)),
            LinkState::Open
        );
        assert_eq!(LinkState::of(None, exp, exp), LinkState::Expired);
        assert_eq!(LinkState::of(Some(t0), exp, t0), LinkState::Used);
    }

    #[test]
    fn an_acknowledgement_needs_words() {
        assert!(acknowledgement("  ").is_err());
        assert_eq!(
            acknowledgement(" Discussed; a misunderstanding ").unwrap(),
            "Discussed; a misunderstanding"
        );
    }
}
