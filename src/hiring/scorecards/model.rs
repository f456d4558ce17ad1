//! Scorecard rows and who may see them.

use crate::db::ids::{CandidateId, InterviewId, JobId, ScorecardId, UserId};
use crate::db::schema::{
    competencies, core_values, interview_panel, interviews, scorecard_ratings, scorecard_versions,
    scorecards, users,
};
use crate::db::DbConn;
use crate::hiring::interviews::file::{sees_everything, InterviewFile};
use crate::hiring::rules::{InterviewStatus, Track};
use crate::hiring::scorecards::rules::{Attribute, ValidScorecard};
use crate::web::context::Viewer;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

/// Blind until submitted (see `InterviewFile::unblinded`), for one candidate.
pub fn unblinded(conn: &mut DbConn, viewer: &Viewer, candidate: CandidateId) -> QueryResult<bool> {
    if sees_everything(viewer) {
        return Ok(true);
    }
    Ok(InterviewFile::load(conn, candidate)?.unblinded(viewer))
}

/// What a scorecard needs to know about its interview.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = interviews)]
pub struct InterviewFacts {
    pub id: InterviewId,
    pub candidate_id: CandidateId,
    pub track: String,
    pub starts_at: NaiveDateTime,
    pub status: String,
}

impl InterviewFacts {
    pub fn track(&self) -> Track {
        Track::parse(&self.track).unwrap_or(Track::Technical)
    }

    pub fn cancelled(&self) -> bool {
        self.status == InterviewStatus::Cancelled.as_str()
    }
}

pub fn interview(conn: &mut DbConn, id: InterviewId) -> QueryResult<InterviewFacts> {
    interviews::table
        .find(id)
        .select(InterviewFacts::as_select())
        .first(conn)
}

pub fn on_panel(conn: &mut DbConn, interview: InterviewId, user: UserId) -> QueryResult<bool> {
    let n: i64 = interview_panel::table
        .filter(interview_panel::interview_id.eq(interview))
        .filter(interview_panel::user_id.eq(user))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// What an interview of this track rates: the job's competencies (technical) or the
/// active core values (culture), in their set order.
pub fn attributes(conn: &mut DbConn, track: Track, job: JobId) -> QueryResult<Vec<Attribute>> {
    match track {
        Track::Technical => Ok(competencies::table
            .filter(competencies::job_id.eq(job))
            .order((competencies::position.asc(), competencies::id.asc()))
            .select((
                competencies::id,
                competencies::name,
                competencies::good_looks_like,
            ))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, help)| Attribute {
                id,
                name,
                help,
                questions: String::new(),
            })
            .collect()),
        Track::Culture => Ok(core_values::table
            .filter(core_values::active.eq(true))
            .order((core_values::position.asc(), core_values::id.asc()))
            .select((
                core_values::id,
                core_values::name,
                core_values::description,
                core_values::sample_questions,
            ))
            .load::<(i64, String, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, help, questions)| Attribute {
                id,
                name,
                help,
                questions,
            })
            .collect()),
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = scorecards)]
pub struct Scorecard {
    pub id: ScorecardId,
    pub interview_id: InterviewId,
    pub candidate_id: CandidateId,
    pub interviewer_id: UserId,
    /// technical or culture.
    pub track: String,
    /// The current version's recommendation.
    pub recommendation: String,
    pub version: i64,
    pub submitted_at: NaiveDateTime,
    pub amended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = scorecard_versions)]
pub struct Version {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub scorecard_id: ScorecardId,
    pub version: i64,
    pub recommendation: String,
    pub summary: String,
    /// Why the amendment was made; empty for the original.
    pub reason: String,
    pub author_id: UserId,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = scorecard_ratings)]
pub struct RatingRow {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub scorecard_version_id: i64,
    pub attribute_id: i64,
    pub attribute_name: String,
    /// 1 to 5; null is N/A.
    pub rating: Option<i64>,
    pub evidence: String,
}

pub fn find(conn: &mut DbConn, id: ScorecardId) -> QueryResult<Scorecard> {
    scorecards::table
        .find(id)
        .select(Scorecard::as_select())
        .first(conn)
}

pub fn find_for(
    conn: &mut DbConn,
    interview: InterviewId,
    user: UserId,
) -> QueryResult<Option<Scorecard>> {
    scorecards::table
        .filter(scorecards::interview_id.eq(interview))
        .filter(scorecards::interviewer_id.eq(user))
        .select(Scorecard::as_select())
        .first(conn)
        .optional()
}

pub fn for_interview(
    conn: &mut DbConn,
    interview: InterviewId,
) -> QueryResult<Vec<(Scorecard, String)>> {
    scorecards::table
        .inner_join(users::table)
        .filter(scorecards::interview_id.eq(interview))
        .order(scorecards::submitted_at.asc())
        .select((Scorecard::as_select(), users::name))
        .load(conn)
}

/// Every version, oldest first, each with its ratings.
pub fn versions(
    conn: &mut DbConn,
    scorecard: ScorecardId,
) -> QueryResult<Vec<(Version, Vec<RatingRow>)>> {
    let versions: Vec<Version> = scorecard_versions::table
        .filter(scorecard_versions::scorecard_id.eq(scorecard))
        .order(scorecard_versions::version.asc())
        .select(Version::as_select())
        .load(conn)?;
    let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
    let ratings: Vec<RatingRow> = scorecard_ratings::table
        .filter(scorecard_ratings::scorecard_version_id.eq_any(&ids))
        .order(scorecard_ratings::id.asc())
        .select(RatingRow::as_select())
        .load(conn)?;
    Ok(versions
        .into_iter()
        .map(|v| {
            let mine = ratings
                .iter()
                .filter(|r| r.scorecard_version_id == v.id)
                .cloned()
                .collect();
            (v, mine)
        })
        .collect())
}

/// Stores one version and its ratings (row by row: the connection enum takes no
/// multi-row insert).
pub fn insert_version(
    conn: &mut DbConn,
    scorecard: ScorecardId,
    version: i64,
    card: &ValidScorecard,
    author: UserId,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let version_id: i64 = diesel::insert_into(scorecard_versions::table)
        .values((
            scorecard_versions::scorecard_id.eq(scorecard),
            scorecard_versions::version.eq(version),
            scorecard_versions::recommendation.eq(card.recommendation.as_str()),
            scorecard_versions::summary.eq(&card.summary),
            scorecard_versions::reason.eq(&card.reason),
            scorecard_versions::author_id.eq(author),
            scorecard_versions::created_at.eq(now),
        ))
        .returning(scorecard_versions::id)
        .get_result(conn)?;
    for r in &card.ratings {
        diesel::insert_into(scorecard_ratings::table)
            .values((
                scorecard_ratings::scorecard_version_id.eq(version_id),
                scorecard_ratings::attribute_id.eq(r.attribute_id),
                scorecard_ratings::attribute_name.eq(&r.attribute_name),
                scorecard_ratings::rating.eq(r.rating.value()),
                scorecard_ratings::evidence.eq(&r.evidence),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores a new scorecard (version 1). Fails with a unique violation when this
/// interviewer already has one for this interview.
pub fn insert(
    conn: &mut DbConn,
    interview: &InterviewFacts,
    interviewer: UserId,
    card: &ValidScorecard,
    now: NaiveDateTime,
) -> QueryResult<ScorecardId> {
    let id: ScorecardId = diesel::insert_into(scorecards::table)
        .values((
            scorecards::interview_id.eq(interview.id),
            scorecards::candidate_id.eq(interview.candidate_id),
            scorecards::interviewer_id.eq(interviewer),
            scorecards::track.eq(&interview.track),
            scorecards::recommendation.eq(card.recommendation.as_str()),
            scorecards::version.eq(1i64),
            scorecards::submitted_at.eq(now),
        ))
        .returning(scorecards::id)
        .get_result(conn)?;
    insert_version(conn, id, 1, card, interviewer, now)?;
    Ok(id)
}

/// Records an amendment as the scorecard's new current version.
pub fn amend(
    conn: &mut DbConn,
    current: &Scorecard,
    card: &ValidScorecard,
    author: UserId,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let next = current.version + 1;
    insert_version(conn, current.id, next, card, author, now)?;
    diesel::update(scorecards::table.find(current.id))
        .set((
            scorecards::recommendation.eq(card.recommendation.as_str()),
            scorecards::version.eq(next),
            scorecards::amended_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(next)
}
