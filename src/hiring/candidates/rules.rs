//! What makes a candidate record acceptable, shared by the form, the API and the import.

use crate::auth::rules::{email_problem, normalize_email};
use crate::error::FieldErrors;
use crate::hiring::rules::Source;
use serde::{Deserialize, Serialize};

/// A candidate as typed into a form, sent to the API or read from a CSV row.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct CandidateInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    /// careers_page, referral, agency, job_board, event or other.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub resume_text: String,
    /// A link to the resume (http or https).
    #[serde(default)]
    pub resume_url: String,
    #[serde(default)]
    pub notes: String,
}

/// A checked candidate, ready to store: trimmed, email normalised, source parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidCandidate {
    pub name: String,
    pub name_key: String,
    pub email: String,
    pub phone: String,
    pub source: Source,
    pub resume_text: String,
    pub resume_url: String,
    pub notes: String,
}

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 100_000;

/// The lower-cased name that prefix search runs against.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub fn validate(input: &CandidateInput) -> Result<ValidCandidate, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.insert("name".into(), "Enter the candidate's name.".into());
    } else if name.chars().count() > MAX_NAME {
        errors.insert(
            "name".into(),
            format!("Keep the name under {MAX_NAME} characters."),
        );
    }
    let email = normalize_email(&input.email);
    if let Some(problem) = email_problem(&email) {
        errors.insert("email".into(), problem);
    }
    let phone = input.phone.trim();
    let phone_ok = phone
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && phone.chars().filter(char::is_ascii_digit).count() <= 20;
    if !phone_ok {
        errors.insert(
            "phone".into(),
            "Use digits, spaces and + - ( ) only, at most 20 digits.".into(),
        );
    }
    let source = match input.source.trim() {
        "" => Some(Source::Other),
        s => Source::parse(s),
    };
    if source.is_none() {
        let known: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
        errors.insert(
            "source".into(),
            format!("Unknown source; use one of {}.", known.join(", ")),
        );
    }
    let resume_url = input.resume_url.trim();
    let link_ok = resume_url.is_empty()
        || resume_url.starts_with("https://")
        || resume_url.starts_with("http://");
    if !link_ok {
        errors.insert(
            "resume_url".into(),
            "A resume link starts with https:// or http://.".into(),
        );
    }
    if input.resume_text.len() > MAX_TEXT || input.notes.len() > MAX_TEXT {
        errors.insert(
            "resume_text".into(),
            "Keep the text under 100,000 characters.".into(),
        );
    }
    match source {
        Some(source) if errors.is_empty() => Ok(ValidCandidate {
            name: name.to_string(),
            name_key: name_key(name),
            email,
            phone: phone.to_string(),
            source,
            resume_text: input.resume_text.trim().to_string(),
            resume_url: resume_url.to_string(),
            notes: input.notes.trim().to_string(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, email: &str) -> CandidateInput {
        CandidateInput {
            name: name.into(),
            email: email.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_candidate_is_normalised() {
        let v = validate(&input("  Ada Lovelace ", " Ada@Example.COM ")).unwrap();
        assert_eq!(v.name, "Ada Lovelace");
        assert_eq!(v.name_key, "ada lovelace");
        assert_eq!(v.email, "ada@example.com");
        assert_eq!(v.source, Source::Other);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut bad = input("", "not-an-email");
        bad.phone = "call me".into();
        bad.source = "billboard".into();
        bad.resume_url = "ftp://x".into();
        let errors = validate(&bad).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["email", "name", "phone", "resume_url", "source"]);
    }

    #[test]
    fn phone_numbers_in_common_shapes_pass() {
        let mut ok = input("Bo", "bo@example.com");
        ok.phone = "+1 (702) 555-0100".into();
        ok.source = "referral".into();
        assert!(validate(&ok).is_ok());
    }
}
