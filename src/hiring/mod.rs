//! Hiring: jobs and candidates through two separate interviews (technical ability and
//! culture fit), structured scorecards, the shuttle-driver check and the hiring gate.
//! Each part is a folder with the usual rooms (model, rules, service, routes, api).

pub mod candidates;
pub mod decision;
pub mod demo;
pub mod import;
pub mod interviews;
pub mod jobs;
pub mod observations;
pub mod reports;
pub mod rules;
pub mod scorecards;
pub mod values;

use crate::db::ids::{CandidateId, JobId};
use crate::web::kept::Kept;
use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

/// What the board, a job's candidate list and the candidate page build from many rows,
/// kept per revision (`jobs.revision`, `candidates.revision`, `people_revision`, which
/// triggers move with every change to those rows): each request reads the revision with
/// the row it needs anyway and rebuilds only after a change. At about 10 KB per board,
/// 15 KB per list page and 5 KB per candidate, the limits stay under 45 MB.
pub struct KeptPages {
    pub boards: Kept<(JobId, i64), jobs::routes::BoardParts>,
    pub job_lists:
        Kept<candidates::view::ListKey, crate::web::pagination::Paged<candidates::view::ListItem>>,
    pub candidates: Kept<(CandidateId, i64, i64), candidates::records::CandidateRecords>,
}

impl Default for KeptPages {
    fn default() -> KeptPages {
        KeptPages {
            boards: Kept::new(256),
            job_lists: Kept::new(1024),
            candidates: Kept::new(4096),
        }
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(values::routes::routes)
        .configure(jobs::routes::routes)
        .configure(candidates::routes::routes)
        .configure(import::routes::routes)
        .configure(interviews::routes::routes)
        .configure(scorecards::routes::routes)
        .configure(observations::routes::routes)
        .configure(decision::routes::routes)
        .configure(reports::routes::routes);
}

pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(jobs::api::routes)
        .configure(candidates::api::routes)
        .configure(interviews::api::routes)
        .configure(scorecards::api::routes)
        .configure(observations::api::routes)
        .configure(decision::api::routes);
}
