//! What makes a scorecard acceptable: a rating (1 to 5 or N/A) for every attribute,
//! evidence for the ratings that stand out (1, 2 and 5), an overall recommendation with
//! no neutral option, a summary, and for an amendment the reason.

use crate::error::FieldErrors;
use crate::hiring::rules::Recommendation;
use serde::{Deserialize, Serialize};

const MAX_TEXT: usize = 20_000;

/// One rating as chosen: a score from 1 to 5, or not applicable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rating {
    Score(i64),
    NotApplicable,
}

impl Rating {
    /// "1".."5" or "na" (what the form sends).
    pub fn parse(s: &str) -> Option<Rating> {
        match s.trim() {
            "na" | "NA" | "n/a" | "N/A" => Some(Rating::NotApplicable),
            t => t
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=5).contains(n))
                .map(Rating::Score),
        }
    }

    /// As stored: the score, or NULL for N/A.
    pub fn value(self) -> Option<i64> {
        match self {
            Rating::Score(n) => Some(n),
            Rating::NotApplicable => None,
        }
    }

    pub fn from_value(v: Option<i64>) -> Rating {
        v.map_or(Rating::NotApplicable, Rating::Score)
    }

    /// The form's value for this rating.
    pub fn as_form(self) -> String {
        match self {
            Rating::Score(n) => n.to_string(),
            Rating::NotApplicable => "na".into(),
        }
    }

    /// A 1, 2 or 5 must be backed by an evidence note; 3, 4 and N/A need none.
    pub fn needs_evidence(self) -> bool {
        matches!(self, Rating::Score(1) | Rating::Score(2) | Rating::Score(5))
    }
}

/// What is rated: a competency of the job (technical) or a core value (culture).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    pub id: i64,
    pub name: String,
    /// What good looks like, or the value's description.
    pub help: String,
    /// Sample questions (core values only).
    pub questions: String,
}

/// One row as typed. `rating` is the form's text ("1".."5", "na", or empty).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct RatingInput {
    pub attribute_id: i64,
    pub rating: String,
    pub evidence: String,
}

/// A scorecard as typed into the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ScorecardInput {
    pub recommendation: String,
    pub summary: String,
    pub ratings: Vec<RatingInput>,
    /// Why an amendment is made; ignored for a first submission.
    pub reason: String,
}

impl ScorecardInput {
    pub fn rating_for(&self, attribute_id: i64) -> Option<&RatingInput> {
        self.ratings.iter().find(|r| r.attribute_id == attribute_id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRating {
    pub attribute_id: i64,
    pub attribute_name: String,
    pub rating: Rating,
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidScorecard {
    pub recommendation: Recommendation,
    pub summary: String,
    pub reason: String,
    pub ratings: Vec<ValidRating>,
}

pub fn rating_field(attribute_id: i64) -> String {
    format!("rating_{attribute_id}")
}

pub fn evidence_field(attribute_id: i64) -> String {
    format!("evidence_{attribute_id}")
}

/// Checks a scorecard against the attributes it must rate. Field errors are keyed
/// `rating_<id>`, `evidence_<id>`, `recommendation`, `summary` and `reason`.
pub fn validate(
    attributes: &[Attribute],
    input: &ScorecardInput,
    amending: bool,
) -> Result<ValidScorecard, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut ratings = Vec::with_capacity(attributes.len());
    for a in attributes {
        let typed = input.rating_for(a.id);
        let evidence = typed.map_or("", |r| r.evidence.trim()).to_string();
        match typed.and_then(|r| Rating::parse(&r.rating)) {
            None => {
                errors.insert(
                    rating_field(a.id),
                    format!("Rate {} from 1 to 5, or choose N/A.", a.name),
                );
            }
            Some(rating) => {
                if rating.needs_evidence() && evidence.is_empty() {
                    errors.insert(
                        evidence_field(a.id),
                        "A rating of 1, 2 or 5 needs an evidence note: what did you see or hear?"
                            .into(),
                    );
                } else if evidence.chars().count() > MAX_TEXT {
                    errors.insert(evidence_field(a.id), "This note is too long.".into());
                }
                ratings.push(ValidRating {
                    attribute_id: a.id,
                    attribute_name: a.name.clone(),
                    rating,
                    evidence,
                });
            }
        }
    }
    let recommendation = Recommendation::parse(input.recommendation.trim());
    if recommendation.is_none() {
        errors.insert(
            "recommendation".into(),
            "Choose an overall recommendation: strong no, no, yes or strong yes.".into(),
        );
    }
    let summary = input.summary.trim().to_string();
    if summary.is_empty() {
        errors.insert(
            "summary".into(),
            "Sum up your recommendation in a few sentences.".into(),
        );
    } else if summary.chars().count() > MAX_TEXT {
        errors.insert("summary".into(), "Keep the summary shorter.".into());
    }
    let reason = if amending {
        input.reason.trim().to_string()
    } else {
        String::new()
    };
    if amending && reason.is_empty() {
        errors.insert(
            "reason".into(),
            "Say why you are amending this scorecard.".into(),
        );
    }
    match recommendation {
        Some(recommendation) if errors.is_empty() => Ok(ValidScorecard {
            recommendation,
            summary,
            reason,
            ratings,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs() -> Vec<Attribute> {
        [(1, "Craft"), (2, "Teamwork")]
            .iter()
            .map(|(id, name)| Attribute {
                id: *id,
                name: name.to_string(),
                help: String::new(),
                questions: String::new(),
            })
            .collect()
    }

    fn input(r1: &str, e1: &str, r2: &str, e2: &str) -> ScorecardInput {
        ScorecardInput {
            recommendation: "yes".into(),
            summary: "Solid.".into(),
            ratings: vec![
                RatingInput {
                    attribute_id: 1,
                    rating: r1.into(),
                    evidence: e1.into(),
                },
                RatingInput {
                    attribute_id: 2,
                    rating: r2.into(),
                    evidence: e2.into(),
                },
            ],
            reason: String::new(),
        }
    }

    #[test]
    fn ratings_parse_one_to_five_or_na_only() {
        assert_eq!(Rating::parse("1"), Some(Rating::Score(1)));
        assert_eq!(Rating::parse(" 5 "), Some(Rating::Score(5)));
        assert_eq!(Rating::parse("na"), Some(Rating::NotApplicable));
        for bad in ["0", "6", "", "3.5", "yes", "-1"] {
            assert_eq!(Rating::parse(bad), None, "{bad}");
        }
        assert_eq!(Rating::from_value(None), Rating::NotApplicable);
        assert_eq!(Rating::Score(4).as_form(), "4");
    }

    #[test]
    fn evidence_is_needed_for_one_two_and_five_only() {
        let needs: Vec<String> = ["1", "2", "3", "4", "5", "na"]
            .iter()
            .filter(|s| Rating::parse(s).unwrap().needs_evidence())
            .map(|s| s.to_string())
            .collect();
        assert_eq!(needs, ["1", "2", "5"]);
    }

    #[test]
    fn a_five_without_evidence_is_refused_next_to_its_row() {
        let errors = validate(&attrs(), &input("5", " ", "3", ""), false).unwrap_err();
        assert!(errors["evidence_1"].contains("needs an evidence note"));
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn n_a_and_middle_ratings_need_no_evidence() {
        let ok = validate(&attrs(), &input("na", "", "4", ""), false).unwrap();
        assert_eq!(ok.ratings[0].rating, Rating::NotApplicable);
        assert_eq!(ok.ratings[1].rating.value(), Some(4));
        assert_eq!(ok.ratings[1].attribute_name, "Teamwork");
        assert_eq!(ok.recommendation, Recommendation::Yes);
    }

    #[test]
    fn every_attribute_needs_a_rating() {
        let mut i = input("2", "Struggled with the exercise", "", "");
        i.ratings.pop();
        let errors = validate(&attrs(), &i, false).unwrap_err();
        assert!(errors["rating_2"].contains("Rate Teamwork"));
        assert!(!errors.contains_key("rating_1"));
    }

    #[test]
    fn there_is_no_neutral_recommendation_and_a_summary_is_needed() {
        let mut i = input("3", "", "3", "");
        i.recommendation = "neutral".into();
        i.summary = "  ".into();
        let errors = validate(&attrs(), &i, false).unwrap_err();
        assert!(errors.contains_key("recommendation"));
        assert!(errors.contains_key("summary"));
        i.recommendation = String::new();
        assert!(validate(&attrs(), &i, false)
            .unwrap_err()
            .contains_key("recommendation"));
    }

    #[test]
    fn an_amendment_needs_a_reason() {
        let mut i = input("3", "", "3", "");
        assert!(validate(&attrs(), &i, true)
            .unwrap_err()
            .contains_key("reason"));
        i.reason = "Mixed up two candidates".into();
        assert_eq!(
            validate(&attrs(), &i, true).unwrap().reason,
            "Mixed up two candidates"
        );
        // A first submission ignores a stray reason.
        assert_eq!(validate(&attrs(), &i, false).unwrap().reason, "");
    }
}
