//! A candidate's interview file: the interviews, their panels and the scorecards, read
//! in at most three queries. The candidate page's sections, blindness and the hire gate
//! all answer their questions from it, so the page reads them once (on PostgreSQL each
//! query is a round trip, and the sections used to ask the same things five times over).

use crate::auth::role::Role;
use crate::db::ids::{CandidateId, InterviewId, UserId};
use crate::db::schema::{interview_panel, interviews, scorecards, users};
use crate::db::DbConn;
use crate::hiring::interviews::model::{Interview, Member};
use crate::hiring::rules::Track;
use crate::hiring::scorecards::model::Scorecard;
use crate::web::context::Viewer;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

pub struct InterviewFile {
    /// Soonest first.
    pub interviews: Vec<Interview>,
    /// Each interview's panel, by name.
    pub panels: HashMap<InterviewId, Vec<Member>>,
    /// Every scorecard with its interviewer's name, by track then submission.
    pub scorecards: Vec<(Scorecard, String)>,
}

impl InterviewFile {
    pub fn load(conn: &mut DbConn, candidate: CandidateId) -> QueryResult<InterviewFile> {
        let interviews: Vec<Interview> = interviews::table
            .filter(interviews::candidate_id.eq(candidate))
            .order((interviews::starts_at.asc(), interviews::id.asc()))
            .select(Interview::as_select())
            .load(conn)?;
        // Panels and scorecards hang off interviews: with none, there is nothing to read.
        if interviews.is_empty() {
            return Ok(InterviewFile {
                interviews,
                panels: HashMap::new(),
                scorecards: vec![],
            });
        }
        let seats: Vec<(InterviewId, UserId, String, String)> = interview_panel::table
            .inner_join(users::table)
            .inner_join(interviews::table)
            .filter(interviews::candidate_id.eq(candidate))
            .select((
                interview_panel::interview_id,
                users::id,
                users::name,
                users::email,
            ))
            .order((users::name.asc(), users::id.asc()))
            .load(conn)?;
        let mut panels: HashMap<InterviewId, Vec<Member>> = HashMap::new();
        for (interview, id, name, email) in seats {
            panels
                .entry(interview)
                .or_default()
                .push(Member { id, name, email });
        }
        let scorecards = scorecards::table
            .inner_join(users::table)
            .filter(scorecards::candidate_id.eq(candidate))
            .order((scorecards::track.asc(), scorecards::submitted_at.asc()))
            .select((Scorecard::as_select(), users::name))
            .load(conn)?;
        Ok(InterviewFile {
            interviews,
            panels,
            scorecards,
        })
    }

    pub fn panel(&self, interview: InterviewId) -> &[Member] {
        self.panels.get(&interview).map_or(&[], Vec::as_slice)
    }

    /// (interview, interviewer) of every scorecard handed in.
    pub fn submitted(&self) -> HashSet<(InterviewId, UserId)> {
        self.scorecards
            .iter()
            .map(|(s, _)| (s.interview_id, s.interviewer_id))
            .collect()
    }

    /// The scheduled interviews `user` sits on, soonest first.
    pub fn scheduled_for(&self, user: UserId) -> impl Iterator<Item = &Interview> {
        self.interviews
            .iter()
            .filter(move |i| i.is_scheduled() && self.panel(i.id).iter().any(|m| m.id == user))
    }

    pub fn card(&self, interview: InterviewId, user: UserId) -> Option<&Scorecard> {
        self.scorecards
            .iter()
            .map(|(s, _)| s)
            .find(|s| s.interview_id == interview && s.interviewer_id == user)
    }

    /// Blind until submitted: recruiters, HR and admins see every scorecard and verdict;
    /// an interviewer only once their own scorecard is in for every scheduled interview of
    /// this candidate they sit on (and someone on no panel never).
    pub fn unblinded(&self, viewer: &Viewer) -> bool {
        if sees_everything(viewer) {
            return true;
        }
        let mut mine = self.scheduled_for(viewer.user_id).peekable();
        mine.peek().is_some() && mine.all(|i| self.card(i.id, viewer.user_id).is_some())
    }

    /// True when `user` sits on a scheduled culture interview: the people who may
    /// acknowledge a red flag.
    pub fn on_culture_panel(&self, user: UserId) -> bool {
        self.scheduled_for(user)
            .any(|i| i.track == Track::Culture.as_str())
    }
}

/// The roles that are never blinded.
pub fn sees_everything(viewer: &Viewer) -> bool {
    viewer.has_any(&[Role::Recruiter, Role::Hr, Role::Admin])
}
