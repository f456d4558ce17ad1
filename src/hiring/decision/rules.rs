//! The hiring gate, as pure decisions: each track's verdict under a written policy, the
//! veto of a culture fail, what blocks a hire, and the pay rate typed in dollars.
//!
//! There is deliberately no way to override the gate: no role, flag or parameter of
//! `hire_gate` lets a hire through when a track has not passed.

use crate::hiring::rules::{Recommendation, Stage, Track};
use chrono::NaiveDate;
use serde::Serialize;

/// How a track's submitted scorecards become a verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Policy {
    /// At least this many submitted scorecards before the track can pass.
    pub min_scorecards: usize,
    /// A single strong no fails the track, whatever the other scorecards say.
    pub strong_no_fails: bool,
    /// The culture track passes only once every red flag is acknowledged.
    pub culture_needs_red_flags_acknowledged: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_scorecards: 1,
            strong_no_fails: true,
            culture_needs_red_flags_acknowledged: true,
        }
    }
}

impl Policy {
    /// The policy in plain words, as shown on the candidate page.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "Each track (technical, culture fit) is judged on its own submitted scorecards: \
             at least {} scorecard{}, one per interviewer (an amended scorecard counts as \
             its latest version; scorecards of cancelled interviews do not count).",
            self.min_scorecards,
            if self.min_scorecards == 1 { "" } else { "s" }
        )];
        if self.strong_no_fails {
            lines.push(
                "A single \"strong no\" fails the track, however many yeses there are.".into(),
            );
        }
        lines.push(
            "More than half of the scorecards must say \"yes\" or \"strong yes\"; a tie does \
             not pass."
                .into(),
        );
        if self.culture_needs_red_flags_acknowledged {
            lines.push(
                "The culture track also needs every red flag (someone outside the interviews \
                 was treated badly) acknowledged by a culture interviewer with a note."
                    .into(),
            );
        }
        lines.push(
            "Hiring needs both tracks passed and every scorecard of every scheduled \
             interview submitted. A culture fail vetoes the hire whatever the technical \
             result, and no role can override it."
                .into(),
        );
        lines
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// No scorecard submitted yet.
    Pending,
    Passed,
    NotPassed,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pending => "Pending",
            Outcome::Passed => "Passed",
            Outcome::NotPassed => "Not passed",
        }
    }
}

/// A track's verdict with the reasons behind it, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Verdict {
    pub track: Track,
    pub passed: bool,
    pub outcome: Outcome,
    pub reasons: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Judges one track from its current recommendations (one per interviewer).
/// `unacknowledged_red_flags` only matters for the culture track.
pub fn track_verdict(
    policy: &Policy,
    track: Track,
    recommendations: &[Recommendation],
    unacknowledged_red_flags: usize,
) -> Verdict {
    let name = track.label();
    let n = recommendations.len();
    let count = |r: Recommendation| recommendations.iter().filter(|x| **x == r).count();
    let yes = recommendations.iter().filter(|r| r.is_yes()).count();
    let strong_no = count(Recommendation::StrongNo);
    let mut reasons = vec![];
    let mut passed = true;

    if n == 0 {
        passed = false;
        reasons.push(format!("No {name} scorecard has been submitted yet."));
    } else {
        reasons.push(format!(
            "{} submitted: {} strong yes, {} yes, {} no, {} strong no.",
            plural(n, "scorecard", "scorecards"),
            count(Recommendation::StrongYes),
            count(Recommendation::Yes),
            count(Recommendation::No),
            strong_no
        ));
        if n < policy.min_scorecards {
            passed = false;
            reasons.push(format!(
                "The policy needs at least {} scorecards.",
                policy.min_scorecards
            ));
        }
        if policy.strong_no_fails && strong_no > 0 {
            passed = false;
            reasons.push(format!(
                "{} — a strong no fails the track however many yeses there are.",
                plural(strong_no, "strong no", "strong noes")
            ));
        }
        if yes * 2 <= n {
            passed = false;
            reasons.push(format!(
                "Only {yes} of {n} say yes; more than half must say yes or strong yes."
            ));
        } else {
            reasons.push(format!("{yes} of {n} say yes, a strict majority."));
        }
    }
    if track == Track::Culture
        && policy.culture_needs_red_flags_acknowledged
        && unacknowledged_red_flags > 0
    {
        passed = false;
        reasons.push(format!(
            "{} not acknowledged: a culture interviewer must acknowledge {} with a written note.",
            plural(unacknowledged_red_flags, "red flag", "red flags"),
            if unacknowledged_red_flags == 1 {
                "it"
            } else {
                "each"
            }
        ));
    }
    let outcome = if n == 0 {
        Outcome::Pending
    } else if passed {
        Outcome::Passed
    } else {
        Outcome::NotPassed
    };
    Verdict {
        track,
        passed,
        outcome,
        reasons,
    }
}

/// Everything that blocks a hire, or `Ok` when nothing does. `missing_scorecards` lists
/// (interviewer, track) for every panel member of a scheduled interview who has not
/// submitted. A culture fail is a veto: it is reported first and nothing here can
/// override it.
pub fn hire_gate(
    technical: &Verdict,
    culture: &Verdict,
    missing_scorecards: &[(String, Track)],
) -> Result<(), Vec<String>> {
    let mut reasons = vec![];
    match culture.outcome {
        Outcome::NotPassed => reasons.push(
            "The culture fit track has not passed. A culture fail vetoes the hire whatever \
             the technical result, and no role can override it."
                .to_string(),
        ),
        Outcome::Pending => {
            reasons.push("The culture fit track has no submitted scorecard yet.".into())
        }
        Outcome::Passed => {}
    }
    match technical.outcome {
        Outcome::NotPassed => reasons.push("The technical track has not passed.".into()),
        Outcome::Pending => {
            reasons.push("The technical track has no submitted scorecard yet.".into())
        }
        Outcome::Passed => {}
    }
    for (who, track) in missing_scorecards {
        reasons.push(format!(
            "{who} has not submitted a scorecard for the {} interview.",
            track.label().to_lowercase()
        ));
    }
    if reasons.is_empty() && technical.passed && culture.passed {
        Ok(())
    } else {
        Err(reasons)
    }
}

/// Hire, reject and withdraw all need a candidate still in the pipeline.
pub fn open_stage_problem(stage: Stage) -> Option<String> {
    stage.is_final().then(|| {
        format!(
            "This candidate is already {}; a final decision cannot be changed.",
            stage.label().to_lowercase()
        )
    })
}

pub const MAX_HOURLY_CENTS: i64 = 100_000;

/// An hourly rate typed in dollars and cents ("18.50", "$18.5", "18") as integer cents,
/// exactly and without floating point: an optional `$`, one to four digits of dollars,
/// then optionally a point and one or two digits of cents. No signs, commas or exponents.
/// The rate must be more than $0.00 and at most $1,000.00.
pub fn parse_hourly_cents(input: &str) -> Result<i64, String> {
    const FORMAT: &str = "Type the hourly rate in dollars and cents, like 18.50.";
    let s = input.trim();
    if s.is_empty() {
        return Err("Enter the hourly pay rate, like 18.50.".into());
    }
    let s = s.strip_prefix('$').unwrap_or(s).trim_start();
    let (dollars, cents) = match s.split_once('.') {
        Some((d, c)) => (d, Some(c)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(dollars) || dollars.len() > 4 {
        return Err(FORMAT.into());
    }
    let cents = match cents {
        None => 0,
        Some(c) if digits(c) && c.len() <= 2 => {
            let v: i64 = c.parse().map_err(|_| FORMAT.to_string())?;
            if c.len() == 1 {
                v * 10
            } else {
                v
            }
        }
        Some(_) => return Err(FORMAT.into()),
    };
    let dollars: i64 = dollars.parse().map_err(|_| FORMAT.to_string())?;
    let total = dollars * 100 + cents;
    if total <= 0 {
        return Err("The hourly rate must be more than $0.00.".into());
    }
    if total > MAX_HOURLY_CENTS {
        return Err("The hourly rate can be at most $1,000.00.".into());
    }
    Ok(total)
}

/// Cents as "$18.50".
pub fn format_cents(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// A start date typed as YYYY-MM-DD, today or later.
pub fn parse_start_date(input: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("Choose the start date.".into());
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| "Type the start date as YYYY-MM-DD, like 2027-03-01.".to_string())?;
    if date < today {
        return Err(format!(
            "The start date cannot be in the past (today is {today})."
        ));
    }
    Ok(date)
}

/// A required line of text (department, title): trimmed, not empty, not too long.
pub fn required_line(input: &str, what: &str) -> Result<String, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    if s.chars().count() > 200 {
        return Err(format!("Keep the {what} under 200 characters."));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Recommendation::*;

    fn tech(recs: &[Recommendation]) -> Verdict {
        track_verdict(&Policy::default(), Track::Technical, recs, 0)
    }

    fn culture(recs: &[Recommendation], flags: usize) -> Verdict {
        track_verdict(&Policy::default(), Track::Culture, recs, flags)
    }

    #[test]
    fn zero_scorecards_is_pending_not_passed() {
        let v = tech(&[]);
        assert!(!v.passed);
        assert_eq!(v.outcome, Outcome::Pending);
        assert!(v.reasons[0].contains("No Technical scorecard"));
    }

    #[test]
    fn a_strict_majority_of_yes_passes() {
        assert!(tech(&[Yes]).passed);
        assert!(tech(&[StrongYes, Yes, No]).passed);
        assert_eq!(tech(&[Yes, Yes, No]).outcome, Outcome::Passed);
    }

    #[test]
    fn a_tie_does_not_pass() {
        let v = tech(&[Yes, No]);
        assert!(!v.passed);
        assert_eq!(v.outcome, Outcome::NotPassed);
        assert!(v.reasons.iter().any(|r| r.contains("Only 1 of 2 say yes")));
        assert!(!tech(&[StrongYes, StrongYes, No, No]).passed);
    }

    #[test]
    fn a_minority_of_yes_does_not_pass() {
        assert!(!tech(&[No]).passed);
        assert!(!tech(&[Yes, No, No]).passed);
    }

    #[test]
    fn one_strong_no_fails_however_many_yeses() {
        let v = tech(&[StrongYes, StrongYes, StrongYes, Yes, Yes, StrongNo]);
        assert!(!v.passed);
        assert!(v.reasons.iter().any(|r| r.contains("1 strong no")));
    }

    #[test]
    fn a_policy_can_ask_for_more_scorecards() {
        let p = Policy {
            min_scorecards: 2,
            ..Policy::default()
        };
        let v = track_verdict(&p, Track::Technical, &[StrongYes], 0);
        assert!(!v.passed);
        assert!(v.reasons.iter().any(|r| r.contains("at least 2")));
        assert!(track_verdict(&p, Track::Technical, &[Yes, Yes], 0).passed);
    }

    #[test]
    fn an_unacknowledged_red_flag_blocks_only_culture() {
        let v = culture(&[StrongYes, StrongYes], 1);
        assert!(!v.passed);
        assert_eq!(v.outcome, Outcome::NotPassed);
        assert!(v
            .reasons
            .iter()
            .any(|r| r.contains("1 red flag not acknowledged")));
        assert!(culture(&[StrongYes, StrongYes], 0).passed);
        // The technical track ignores red flags.
        assert!(track_verdict(&Policy::default(), Track::Technical, &[Yes], 3).passed);
        // With no culture scorecard yet it stays pending, but names the flag too.
        let v = culture(&[], 2);
        assert_eq!(v.outcome, Outcome::Pending);
        assert!(v.reasons.iter().any(|r| r.contains("2 red flags")));
    }

    #[test]
    fn the_gate_opens_only_when_both_pass_and_every_scorecard_is_in() {
        assert_eq!(hire_gate(&tech(&[Yes]), &culture(&[Yes], 0), &[]), Ok(()));
        let missing = vec![("Dana".to_string(), Track::Technical)];
        let err = hire_gate(&tech(&[Yes]), &culture(&[Yes], 0), &missing).unwrap_err();
        assert_eq!(
            err,
            ["Dana has not submitted a scorecard for the technical interview."]
        );
    }

    #[test]
    fn a_culture_fail_vetoes_a_strong_technical_pass() {
        let strong = tech(&[StrongYes, StrongYes, StrongYes]);
        assert!(strong.passed);
        let err = hire_gate(&strong, &culture(&[No], 0), &[]).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(err[0].contains("vetoes the hire"));
        assert!(err[0].contains("no role can override"));
        // An unacknowledged red flag is a culture fail too.
        let err = hire_gate(&strong, &culture(&[StrongYes], 1), &[]).unwrap_err();
        assert!(err[0].contains("vetoes"));
    }

    #[test]
    fn every_blocking_reason_is_listed() {
        let err = hire_gate(
            &tech(&[]),
            &culture(&[StrongNo], 0),
            &[("Sam".into(), Track::Culture)],
        )
        .unwrap_err();
        assert_eq!(err.len(), 3, "{err:?}");
        assert!(err[0].contains("culture fit track has not passed"));
        assert!(err[1].contains("technical track has no submitted scorecard"));
        assert!(err[2].contains("Sam"));
        assert!(hire_gate(&tech(&[No]), &culture(&[Yes], 0), &[])
            .unwrap_err()
            .contains(&"The technical track has not passed.".to_string()));
    }

    #[test]
    fn final_stages_refuse_decisions() {
        assert!(open_stage_problem(Stage::Decision).is_none());
        assert!(open_stage_problem(Stage::Applied).is_none());
        assert!(open_stage_problem(Stage::Hired)
            .unwrap()
            .contains("already hired"));
        assert!(open_stage_problem(Stage::Withdrawn).is_some());
        assert!(open_stage_problem(Stage::Rejected).is_some());
    }

    #[test]
    fn the_policy_is_written_in_plain_words() {
        let text = Policy::default().describe().join(" ");
        assert!(text.contains("at least 1 scorecard,"));
        assert!(text.contains("strong no"));
        assert!(text.contains("tie does not pass"));
        assert!(text.contains("red flag"));
        assert!(text.contains("no role can override"));
    }

    #[test]
    fn hourly_rates_parse_exactly_into_cents() {
        for (input, cents) in [
            ("18.50", 1850),
            ("18.5", 1850),
            ("18", 1800),
            ("$18.50", 1850),
            (" 18.05 ", 1805),
            ("0.01", 1),
            ("1000", 100_000),
            ("1000.00", 100_000),
            ("7.25", 725),
            ("0019.99", 1999),
        ] {
            assert_eq!(parse_hourly_cents(input), Ok(cents), "{input}");
        }
    }

    #[test]
    fn bad_hourly_rates_say_what_is_wrong() {
        for input in [
            "abc", "18.505", "-5", "+5", "18.", ".50", "1e3", "18,50", "1,000", "18.5x", "$",
            "12345", "18 .50", "NaN",
        ] {
            let e = parse_hourly_cents(input).unwrap_err();
            assert!(e.contains("dollars and cents"), "{input}: {e}");
        }
        assert!(parse_hourly_cents("").unwrap_err().contains("Enter"));
        assert!(parse_hourly_cents("0").unwrap_err().contains("more than"));
        assert!(parse_hourly_cents("0.00")
            .unwrap_err()
            .contains("more than"));
        assert!(parse_hourly_cents("1000.01")
            .unwrap_err()
            .contains("at most"));
    }

    #[test]
    fn cents_format_back_to_dollars() {
        assert_eq!(format_cents(1850), "$18.50");
        assert_eq!(format_cents(5), "$0.05");
        assert_eq!(format_cents(100_000), "$1000.00");
    }

    #[test]
    fn start_dates_are_today_or_later() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(parse_start_date("2026-12-01", today), Ok(today));
        assert!(parse_start_date("2026-11-30", today)
            .unwrap_err()
            .contains("past"));
        assert!(parse_start_date("12/01/2026", today)
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(parse_start_date(" ", today).unwrap_err().contains("Choose"));
    }

    #[test]
    fn required_lines_are_trimmed() {
        assert_eq!(required_line("  Ops ", "department"), Ok("Ops".into()));
        assert!(required_line(" ", "title").unwrap_err().contains("title"));
        assert!(required_line(&"x".repeat(201), "title").is_err());
    }
}
