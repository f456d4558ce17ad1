//! Training: the four-week all-hands customer-loyalty rotation every new hire joins,
//! whatever their role. Curriculum templates, cohorts with their laid-out days,
//! enrolments, and the pre-start checklist. Each part is a folder with the usual rooms.

pub mod attendance;
pub mod calls;
pub mod checklist;
pub mod coaching;
pub mod cohorts;
pub mod curricula;
pub mod demo;
pub mod enrolments;
pub mod generate;
pub mod graduation;
pub mod holidays;
pub mod home;
pub mod portal;
pub mod progress;
pub mod results;
pub mod rules;
pub mod trainees;

use crate::db::ids::{CohortId, EnrolmentId};
use crate::web::kept::Kept;
use actix_web::web;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(attendance::routes::routes);
    cfg.configure(results::routes::routes);
    cfg.configure(calls::routes::routes);
    cfg.configure(trainees::routes::routes);
    cfg.configure(cohorts::routes::routes);
    cfg.configure(curricula::routes::routes);
    cfg.configure(holidays::routes::routes);
    cfg.configure(enrolments::routes::routes);
    cfg.configure(graduation::routes::routes);
    cfg.configure(home::routes::routes);
    cfg.configure(portal::routes::routes);
    cfg.configure(checklist::routes::routes);
}

pub fn api_routes(cfg: &mut ServiceConfig) {
    cfg.configure(cohorts::api::routes);
    cfg.configure(attendance::api::routes);
    cfg.configure(results::api::routes);
    cfg.configure(calls::api::routes);
    cfg.configure(coaching::api::routes);
    cfg.configure(curricula::api::routes);
    cfg.configure(holidays::api::routes);
    cfg.configure(enrolments::api::routes);
    cfg.configure(graduation::api::routes);
    cfg.configure(portal::api::routes);
    cfg.configure(checklist::api::routes);
}

/// The cohort page's roster, modules and trainers, the attendance sheet's 200 rows, each
/// portal's records and each listed cohort's trainers and count, kept per cohort revision:
/// a request reads the cohort row (and its revision) and rebuilds them only after a
/// change. At about 40 KB per cohort page, 150 KB per sheet, 8 KB per portal and 100
/// bytes per listing, the limits stay under 26 MB.
pub struct KeptPages {
    pub cohort_pages: Kept<(CohortId, i64), cohorts::routes::CohortParts>,
    pub sheets: Kept<attendance::routes::SheetKey, attendance::routes::SheetRowsHtml>,
    pub portals: Kept<(EnrolmentId, i64), portal::model::PortalRecords>,
    pub listings: Kept<(CohortId, i64), cohorts::view::Listing>,
}

impl Default for KeptPages {
    fn default() -> KeptPages {
        KeptPages {
            cohort_pages: Kept::new(128),
            sheets: Kept::new(64),
            portals: Kept::new(1024),
            listings: Kept::new(16384),
        }
    }
}
