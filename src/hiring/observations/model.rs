//! Observation links (only the token's hash is stored) and the observations made through
//! them.

use crate::auth::password::{random_token, token_hash};
use crate::db::ids::{CandidateId, ObservationId, ObservationLinkId, UserId};
use crate::db::schema::{candidates, observation_links, observations, users};
use crate::db::DbConn;
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::observations::rules::{
    link_lifetime, LinkState, ObserverRole, ValidObservation,
};
use crate::hiring::rules::Treatment;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = observation_links)]
pub struct ObservationLink {
    pub id: ObservationLinkId,
    pub candidate_id: CandidateId,
    #[serde(skip)]
    pub token_hash: String,
    /// shuttle_driver, receptionist or other.
    pub observer_role: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

impl ObservationLink {
    pub fn state(&self, now: NaiveDateTime) -> LinkState {
        LinkState::of(self.used_at, self.expires_at, now)
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = observations)]
pub struct Observation {
    pub id: ObservationId,
    pub candidate_id: CandidateId,
    pub link_id: Option<ObservationLinkId>,
    pub observer_name: String,
    pub observer_role: String,
    /// well, neutral or badly. A "badly" is a red flag.
    pub treatment: String,
    pub note: String,
    pub created_at: NaiveDateTime,
    pub acknowledged_by: Option<UserId>,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledgement: Option<String>,
}

impl Observation {
    pub fn is_red_flag(&self) -> bool {
        self.treatment == Treatment::Badly.as_str()
    }
}

/// Creates a link; the raw token is returned once and only its hash is kept.
pub fn create_link(
    conn: &mut DbConn,
    candidate: CandidateId,
    role: ObserverRole,
    created_by: Option<UserId>,
    now: NaiveDateTime,
) -> QueryResult<(String, ObservationLinkId)> {
    let raw = random_token();
    let id = diesel::insert_into(observation_links::table)
        .values((
            observation_links::candidate_id.eq(candidate),
            observation_links::token_hash.eq(token_hash(&raw)),
            observation_links::observer_role.eq(role.as_str()),
            observation_links::created_by.eq(created_by),
            observation_links::created_at.eq(now),
            observation_links::expires_at.eq(now + link_lifetime()),
        ))
        .returning(observation_links::id)
        .get_result(conn)?;
    Ok((raw, id))
}

pub fn find_link(conn: &mut DbConn, id: ObservationLinkId) -> QueryResult<ObservationLink> {
    observation_links::table
        .find(id)
        .select(ObservationLink::as_select())
        .first(conn)
}

/// The link behind a raw token, whatever its state.
pub fn link_by_token(conn: &mut DbConn, raw: &str) -> QueryResult<Option<ObservationLink>> {
    observation_links::table
        .filter(observation_links::token_hash.eq(token_hash(raw)))
        .select(ObservationLink::as_select())
        .first(conn)
        .optional()
}

/// Marks a link used. False when another request used it first: exactly one use wins.
pub fn use_link(conn: &mut DbConn, id: ObservationLinkId, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        observation_links::table
            .find(id)
            .filter(observation_links::used_at.is_null()),
    )
    .set(observation_links::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn links_for(conn: &mut DbConn, candidate: CandidateId) -> QueryResult<Vec<ObservationLink>> {
    observation_links::table
        .filter(observation_links::candidate_id.eq(candidate))
        .order(observation_links::id.desc())
        .select(ObservationLink::as_select())
        .load(conn)
}

pub fn insert(
    conn: &mut DbConn,
    link: &ObservationLink,
    o: &ValidObservation,
    now: NaiveDateTime,
) -> QueryResult<ObservationId> {
    diesel::insert_into(observations::table)
        .values((
            observations::candidate_id.eq(link.candidate_id),
            observations::link_id.eq(Some(link.id)),
            observations::observer_name.eq(&o.observer_name),
            observations::observer_role.eq(&link.observer_role),
            observations::treatment.eq(o.treatment.as_str()),
            observations::note.eq(&o.note),
            observations::created_at.eq(now),
        ))
        .returning(observations::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: ObservationId) -> QueryResult<Observation> {
    observations::table
        .find(id)
        .select(Observation::as_select())
        .first(conn)
}

/// A candidate's observations, newest first, with the acknowledger's name.
pub fn list_for(
    conn: &mut DbConn,
    candidate: CandidateId,
) -> QueryResult<Vec<(Observation, Option<String>)>> {
    observations::table
        .left_join(users::table.on(observations::acknowledged_by.eq(users::id.nullable())))
        .filter(observations::candidate_id.eq(candidate))
        .order((observations::created_at.desc(), observations::id.desc()))
        .select((Observation::as_select(), users::name.nullable()))
        .load(conn)
}

pub fn acknowledge(
    conn: &mut DbConn,
    id: ObservationId,
    by: UserId,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        observations::table
            .find(id)
            .filter(observations::acknowledged_at.is_null()),
    )
    .set((
        observations::acknowledged_by.eq(Some(by)),
        observations::acknowledged_at.eq(Some(now)),
        observations::acknowledgement.eq(Some(note)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Marks the candidate red-flagged. False when the flag was already up.
pub fn raise_red_flag(
    conn: &mut DbConn,
    candidate: CandidateId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        candidates::table
            .find(candidate)
            .filter(candidates::red_flag.eq(false)),
    )
    .set((
        candidates::red_flag.eq(true),
        candidates::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Red flags ("badly" observations) no culture interviewer has acknowledged yet. The
/// culture track cannot pass while this is above zero.
pub fn unacknowledged_red_flags(conn: &mut DbConn, candidate_id: CandidateId) -> QueryResult<i64> {
    observations::table
        .filter(observations::candidate_id.eq(candidate_id))
        .filter(observations::treatment.eq(Treatment::Badly.as_str()))
        .filter(observations::acknowledged_at.is_null())
        .count()
        .get_result(conn)
}

/// True when the user sits on a scheduled culture interview of this candidate: the
/// people who may acknowledge a red flag.
pub fn on_culture_panel(
    conn: &mut DbConn,
    user: UserId,
    candidate: CandidateId,
) -> QueryResult<bool> {
    Ok(InterviewFile::load(conn, candidate)?.on_culture_panel(user))
}

/// Red flags no culture interviewer has acknowledged yet, among `observed`.
pub fn count_unacknowledged<'a>(observed: impl IntoIterator<Item = &'a Observation>) -> usize {
    observed
        .into_iter()
        .filter(|o| o.is_red_flag() && o.acknowledged_at.is_none())
        .count()
}
