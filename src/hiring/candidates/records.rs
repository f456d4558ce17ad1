//! What the candidate page shows besides the candidate's own row: the stage history, the
//! interview file, the observations and their links, and the hire. Read together and kept
//! per (candidate, candidate revision, people revision) in `hiring::KeptPages::candidates`:
//! triggers move the candidate's revision with every change to those rows (a new history
//! row through the change to the candidate's stage that comes with it), and the people
//! revision with every change to a name or email the page shows.

use crate::db::ids::CandidateId;
use crate::db::DbConn;
use crate::hiring::candidates::model::{self, StageEntry};
use crate::hiring::decision::model::{hire_of, Hire};
use crate::hiring::interviews::file::InterviewFile;
use crate::hiring::observations::model::{self as observations, Observation, ObservationLink};
use diesel::QueryResult;

pub struct CandidateRecords {
    /// Oldest first.
    pub history: Vec<StageEntry>,
    pub file: InterviewFile,
    /// Newest first, each with the name of who acknowledged it.
    pub observed: Vec<(Observation, Option<String>)>,
    /// Newest first.
    pub links: Vec<ObservationLink>,
    pub hire: Option<Hire>,
}

pub fn load(conn: &mut DbConn, id: CandidateId) -> QueryResult<CandidateRecords> {
    Ok(CandidateRecords {
        history: model::history(conn, id)?,
        file: InterviewFile::load(conn, id)?,
        observed: observations::list_for(conn, id)?,
        links: observations::links_for(conn, id)?,
        hire: hire_of(conn, id)?,
    })
}
