//! What the gate reads (scorecards, panels, red flags) and the hires table.

use crate::db::ids::{CandidateId, HireId, InterviewId, JobId, UserId};
use crate::db::schema::{hires, jobs, stage_changes, users};
use crate::db::DbConn;
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::observations::model::unacknowledged_red_flags;
use crate::hiring::rules::{Recommendation, Track};
use crate::hiring::scorecards::model::Scorecard;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// The gate's inputs for one candidate.
#[derive(Debug, Default, Clone)]
pub struct GateInputs {
    pub technical: Vec<Recommendation>,
    pub culture: Vec<Recommendation>,
    pub unacknowledged_red_flags: usize,
    /// (interviewer name, track) for each panel seat of a scheduled interview with no scorecard.
    pub missing: Vec<(String, Track)>,
}

/// Reads the candidate's interview file and red flags not yet acknowledged, for the gate.
pub fn gate_inputs(conn: &mut DbConn, candidate: CandidateId) -> QueryResult<GateInputs> {
    let file = InterviewFile::load(conn, candidate)?;
    let flags = unacknowledged_red_flags(conn, candidate)?;
    Ok(inputs_from(&file, flags as usize))
}

/// The current recommendation of each interviewer per track (an interviewer with
/// scorecards on two interviews of one track counts once, by their latest), the panel
/// seats of scheduled interviews still missing a scorecard, and the red flags not yet
/// acknowledged. Scorecards of cancelled interviews do not count.
pub fn inputs_from(file: &InterviewFile, unacknowledged_red_flags: usize) -> GateInputs {
    let scheduled: HashSet<InterviewId> = file
        .interviews
        .iter()
        .filter(|i| i.is_scheduled())
        .map(|i| i.id)
        .collect();
    let mut cards: Vec<&Scorecard> = file
        .scorecards
        .iter()
        .map(|(s, _)| s)
        .filter(|s| scheduled.contains(&s.interview_id))
        .collect();
    cards.sort_by_key(|s| s.id);
    let mut latest: BTreeMap<(UserId, &str), (NaiveDateTime, &str)> = BTreeMap::new();
    for s in cards {
        let at = s.amended_at.unwrap_or(s.submitted_at);
        let slot = latest
            .entry((s.interviewer_id, s.track.as_str()))
            .or_insert((at, &s.recommendation));
        if at >= slot.0 {
            *slot = (at, &s.recommendation);
        }
    }
    let mut inputs = GateInputs {
        unacknowledged_red_flags,
        ..GateInputs::default()
    };
    for ((_, track), (_, rec)) in latest {
        let Some(rec) = Recommendation::parse(rec) else {
            continue;
        };
        match Track::parse(track) {
            Some(Track::Technical) => inputs.technical.push(rec),
            Some(Track::Culture) => inputs.culture.push(rec),
            None => {}
        }
    }
    let submitted = file.submitted();
    for interview in file.interviews.iter().filter(|i| i.is_scheduled()) {
        for seat in file.panel(interview.id) {
            if !submitted.contains(&(interview.id, seat.id)) {
                if let Some(track) = Track::parse(&interview.track) {
                    inputs.missing.push((seat.name.clone(), track));
                }
            }
        }
    }
    inputs
}

/// The job's title and department: the defaults for the hire form.
pub fn job_defaults(conn: &mut DbConn, job: JobId) -> QueryResult<(String, String)> {
    jobs::table
        .find(job)
        .select((jobs::title, jobs::department))
        .first(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = hires)]
pub struct Hire {
    pub id: HireId,
    pub candidate_id: CandidateId,
    pub user_id: UserId,
    pub start_date: NaiveDate,
    pub department: String,
    pub title: String,
    pub hourly_rate_cents: i64,
    pub hired_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    /// Given a cohort once: never waiting for one again.
    pub placed: bool,
}

pub struct NewHire<'a> {
    pub candidate_id: CandidateId,
    pub user_id: UserId,
    pub start_date: NaiveDate,
    pub department: &'a str,
    pub title: &'a str,
    pub hourly_rate_cents: i64,
    pub hired_by: Option<UserId>,
    pub created_at: NaiveDateTime,
}

pub fn insert_hire(conn: &mut DbConn, h: &NewHire) -> QueryResult<HireId> {
    diesel::insert_into(hires::table)
        .values((
            hires::candidate_id.eq(h.candidate_id),
            hires::user_id.eq(h.user_id),
            hires::start_date.eq(h.start_date),
            hires::department.eq(h.department),
            hires::title.eq(h.title),
            hires::hourly_rate_cents.eq(h.hourly_rate_cents),
            hires::hired_by.eq(h.hired_by),
            hires::created_at.eq(h.created_at),
        ))
        .returning(hires::id)
        .get_result(conn)
}

pub fn hire_of(conn: &mut DbConn, candidate: CandidateId) -> QueryResult<Option<Hire>> {
    hires::table
        .filter(hires::candidate_id.eq(candidate))
        .select(Hire::as_select())
        .first(conn)
        .optional()
}

pub fn hire_for_user(conn: &mut DbConn, user: UserId) -> QueryResult<Option<Hire>> {
    hires::table
        .filter(hires::user_id.eq(user))
        .select(Hire::as_select())
        .first(conn)
        .optional()
}

/// The move that ended the pipeline: reason, note, who and when.
#[derive(Debug, Clone, Serialize)]
pub struct FinalMove {
    pub to_stage: String,
    pub reason: Option<String>,
    pub note: String,
    pub by: Option<String>,
    pub at: NaiveDateTime,
}

impl From<&crate::hiring::candidates::model::StageEntry> for FinalMove {
    fn from(e: &crate::hiring::candidates::model::StageEntry) -> FinalMove {
        FinalMove {
            to_stage: e.to_stage.clone(),
            reason: e.reason.clone(),
            note: e.note.clone(),
            by: e.actor.clone(),
            at: e.at,
        }
    }
}

/// How a candidate's pipeline ended: the hire, if hired, and the move that ended it.
#[derive(Default)]
pub struct Ending {
    pub hire: Option<Hire>,
    pub last_move: Option<FinalMove>,
}

/// One row of the stage history, as read.
#[derive(Queryable)]
struct MoveRow {
    to_stage: String,
    reason: Option<String>,
    note: String,
    actor: Option<UserId>,
    at: NaiveDateTime,
}

pub fn last_move(conn: &mut DbConn, candidate: CandidateId) -> QueryResult<Option<FinalMove>> {
    let row: Option<MoveRow> = stage_changes::table
        .filter(stage_changes::candidate_id.eq(candidate))
        .order((stage_changes::at.desc(), stage_changes::id.desc()))
        .select((
            stage_changes::to_stage,
            stage_changes::reason,
            stage_changes::note,
            stage_changes::actor_id,
            stage_changes::at,
        ))
        .first(conn)
        .optional()?;
    let Some(MoveRow {
        to_stage,
        reason,
        note,
        actor,
        at,
    }) = row
    else {
        return Ok(None);
    };
    let by = match actor {
        Some(id) => users::table
            .find(id)
            .select(users::name)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(Some(FinalMove {
        to_stage,
        reason,
        note,
        by,
        at,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiring::interviews::model::{Interview, Member};
    use chrono::NaiveDate;
    use std::collections::HashMap;

    fn at(hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    fn interview(id: i64, track: Track, status: &str) -> Interview {
        Interview {
            id: InterviewId(id),
            candidate_id: CandidateId(1),
            track: track.as_str().to_string(),
            starts_at: at(9 + id as u32),
            duration_minutes: 60,
            location: String::new(),
            video_url: String::new(),
            status: status.to_string(),
            ical_uid: format!("uid-{id}"),
            sequence: 0,
            created_by: None,
            created_at: at(8),
            updated_at: at(8),
        }
    }

    fn card(id: i64, interview: &Interview, who: i64, rec: Recommendation, hour: u32) -> Scorecard {
        Scorecard {
            id: crate::db::ids::ScorecardId(id),
            interview_id: interview.id,
            candidate_id: CandidateId(1),
            interviewer_id: UserId(who),
            track: interview.track.clone(),
            recommendation: rec.as_str().to_string(),
            version: 1,
            submitted_at: at(hour),
            amended_at: None,
        }
    }

    fn member(id: i64, name: &str) -> Member {
        Member {
            id: UserId(id),
            name: name.to_string(),
            email: format!("{name}@acme.test"),
        }
    }

    #[test]
    fn the_gate_counts_each_interviewers_latest_card_on_scheduled_interviews_only() {
        let tech1 = interview(1, Track::Technical, "scheduled");
        let tech2 = interview(2, Track::Technical, "scheduled");
        let culture = interview(3, Track::Culture, "scheduled");
        let cancelled = interview(4, Track::Culture, "cancelled");
        // Ann sits on both technical interviews: her later card (a yes) is the one that
        // counts, once. Bob's culture card on the cancelled interview counts for nothing.
        let mut amended = card(3, &culture, 12, Recommendation::No, 12);
        amended.amended_at = Some(at(16));
        amended.recommendation = Recommendation::StrongYes.as_str().to_string();
        let scorecards = vec![
            (
                card(1, &tech1, 11, Recommendation::No, 11),
                "Ann".to_string(),
            ),
            (
                card(2, &tech2, 11, Recommendation::Yes, 13),
                "Ann".to_string(),
            ),
            (amended, "Cid".to_string()),
            (
                card(4, &cancelled, 13, Recommendation::StrongNo, 14),
                "Bob".to_string(),
            ),
        ];
        let panels = HashMap::from([
            (tech1.id, vec![member(11, "Ann")]),
            (tech2.id, vec![member(11, "Ann")]),
            (culture.id, vec![member(12, "Cid"), member(14, "Dee")]),
            (cancelled.id, vec![member(13, "Bob"), member(15, "Eve")]),
        ]);
        let file = InterviewFile {
            interviews: vec![tech1, tech2, culture, cancelled],
            panels,
            scorecards,
        };
        let inputs = inputs_from(&file, 2);
        assert_eq!(inputs.technical, vec![Recommendation::Yes]);
        assert_eq!(inputs.culture, vec![Recommendation::StrongYes]);
        assert_eq!(inputs.unacknowledged_red_flags, 2);
        // Dee has not handed in her culture card; Eve's seat was on a cancelled interview.
        assert_eq!(inputs.missing, vec![("Dee".to_string(), Track::Culture)]);
    }
}
