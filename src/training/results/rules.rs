//! Module results decided without I/O: what a valid result is for a module with or
//! without an assessment, and which rows a save inserts, updates or removes.

use crate::db::ids::EnrolmentId;
use crate::error::FieldErrors;
use crate::training::rules::passes;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One trainee's result as sent. Not completed removes a result recorded before.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ResultInput {
    pub enrolment_id: EnrolmentId,
    #[serde(default)]
    pub completed: bool,
    /// 0-100; required when the module has a pass mark, refused when it has none.
    #[serde(default)]
    pub score: Option<i64>,
}

/// A stored result: (score, passed).
pub type Outcome = (Option<i64>, bool);

/// The field a trainee's row reports its error under.
pub fn row_field(id: EnrolmentId) -> String {
    format!("result_{id}")
}

/// Checks every row against the module's pass mark; `roster` are the cohort's active
/// trainees. Returns each trainee's wanted outcome (None: not completed).
pub fn validate(
    inputs: &[ResultInput],
    pass_mark: Option<i64>,
    roster: &HashSet<EnrolmentId>,
) -> Result<Vec<(EnrolmentId, Option<Outcome>)>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut seen = HashSet::new();
    let mut valid = vec![];
    for r in inputs {
        let field = row_field(r.enrolment_id);
        let problem = if !roster.contains(&r.enrolment_id) {
            Some("This person is not in training in this cohort.".to_string())
        } else if !seen.insert(r.enrolment_id) {
            Some("This trainee is listed twice.".into())
        } else {
            match (r.completed, r.score, pass_mark) {
                (_, Some(s), _) if !(0..=100).contains(&s) => {
                    Some("Enter a score from 0 to 100.".into())
                }
                (false, Some(_), _) => Some("Tick completed to record a score.".into()),
                (true, None, Some(m)) => Some(format!(
                    "Enter the assessment score (the pass mark is {m})."
                )),
                (_, Some(_), None) => {
                    Some("This module has no assessment: leave the score empty.".into())
                }
                _ => None,
            }
        };
        match problem {
            Some(p) => {
                errors.insert(field, p);
            }
            None => valid.push((
                r.enrolment_id,
                r.completed.then(|| (r.score, passes(r.score, pass_mark))),
            )),
        }
    }
    if errors.is_empty() {
        Ok(valid)
    } else {
        Err(errors)
    }
}

/// What saving a module's results writes.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub inserts: Vec<(EnrolmentId, Outcome)>,
    /// Changed results grouped by their new outcome: one UPDATE each.
    pub updates: BTreeMap<Outcome, Vec<EnrolmentId>>,
    pub removals: Vec<EnrolmentId>,
    pub changes: Vec<(EnrolmentId, Option<Outcome>, Option<Outcome>)>,
}

pub fn plan(
    existing: &HashMap<EnrolmentId, Outcome>,
    wanted: Vec<(EnrolmentId, Option<Outcome>)>,
) -> Plan {
    let mut p = Plan::default();
    for (id, want) in wanted {
        let before = existing.get(&id).copied();
        if before == want {
            continue;
        }
        match (before, want) {
            (None, Some(o)) => p.inserts.push((id, o)),
            (Some(_), Some(o)) => p.updates.entry(o).or_default().push(id),
            (Some(_), None) => p.removals.push(id),
            (None, None) => {}
        }
        p.changes.push((id, before, want));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(id: i64, completed: bool, score: Option<i64>) -> ResultInput {
        ResultInput {
            enrolment_id: EnrolmentId(id),
            completed,
            score,
        }
    }

    #[test]
    fn a_scored_module_needs_a_score_and_passes_at_the_mark() {
        let roster: HashSet<_> = [EnrolmentId(1), EnrolmentId(2), EnrolmentId(3)].into();
        let ok = validate(
            &[
                input(1, true, Some(80)),
                input(2, true, Some(79)),
                input(3, false, None),
            ],
            Some(80),
            &roster,
        )
        .unwrap();
        assert_eq!(
            ok,
            vec![
                (EnrolmentId(1), Some((Some(80), true))),
                (EnrolmentId(2), Some((Some(79), false))),
                (EnrolmentId(3), None),
            ]
        );
        let e = validate(
            &[
                input(1, true, None),
                input(2, true, Some(101)),
                input(9, true, Some(90)),
            ],
            Some(80),
            &roster,
        )
        .unwrap_err();
        assert_eq!(e.len(), 3);
        assert!(validate(&[input(1, true, Some(50))], None, &roster).is_err());
        assert_eq!(
            validate(&[input(1, true, None)], None, &roster).unwrap(),
            vec![(EnrolmentId(1), Some((None, true)))]
        );
    }

    #[test]
    fn a_save_inserts_updates_and_removes() {
        let existing: HashMap<_, _> = [
            (EnrolmentId(1), (Some(70), false)),
            (EnrolmentId(2), (Some(90), true)),
            (EnrolmentId(3), (Some(85), true)),
        ]
        .into();
        let p = plan(
            &existing,
            vec![
                (EnrolmentId(1), Some((Some(85), true))),
                (EnrolmentId(2), None),
                (EnrolmentId(3), Some((Some(85), true))),
                (EnrolmentId(4), Some((Some(85), true))),
            ],
        );
        assert_eq!(p.inserts, vec![(EnrolmentId(4), (Some(85), true))]);
        assert_eq!(
            p.updates,
            BTreeMap::from([((Some(85), true), vec![EnrolmentId(1)])])
        );
        assert_eq!(p.removals, vec![EnrolmentId(2)]);
        assert_eq!(p.changes.len(), 3);
    }
}
