//! What the cohort list page and the API show, built once for both.

use crate::db::ids::CohortId;
use crate::db::DbConn;
use crate::training::cohorts::model;
use crate::training::cohorts::rules::{Cursor, ListFilter};
use crate::training::rules::CohortStatus;
use crate::web::kept::Kept;
use crate::web::pagination::Paged;
use chrono::NaiveDate;
use diesel::QueryResult;
use serde::Serialize;

/// A row of the cohort list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListItem {
    pub id: CohortId,
    pub name: String,
    pub start_date: NaiveDate,
    /// The first and last training day (weekends and holidays skipped).
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub status: CohortStatus,
    pub trainers: Vec<String>,
    /// Active trainees.
    pub trainees: i64,
    pub capacity: i64,
}

/// A cohort's trainers and active trainees as the list shows them, kept per cohort
/// revision (`KeptPages::listings`): triggers move it with every change to either.
pub struct Listing {
    trainers: Vec<String>,
    trainees: i64,
}

/// One page of the list: the page's cohorts, then (only for those whose revision moved
/// since they were last listed) their trainers and trainee counts, each for those rows
/// at once.
pub fn list(
    conn: &mut DbConn,
    kept: &Kept<(CohortId, i64), Listing>,
    f: &ListFilter,
    today: NaiveDate,
) -> QueryResult<Paged<ListItem>> {
    let mut rows = model::list(conn, f, today)?;
    let more = rows.len() as i64 > f.limit;
    rows.truncate(f.limit as usize);
    let next_cursor = rows.last().filter(|_| more).map(|c| {
        Cursor {
            start_date: c.start_date,
            id: c.id.0,
        }
        .encode()
    });
    let keys: Vec<(CohortId, i64)> = rows.iter().map(|c| (c.id, c.revision)).collect();
    let listings = kept.get_all_or_build(&keys, |missing| {
        let ids: Vec<CohortId> = missing.iter().map(|(id, _)| *id).collect();
        let mut trainers = model::trainer_names(conn, &ids)?;
        let counts = model::active_counts(conn, &ids)?;
        Ok::<_, diesel::result::Error>(
            ids.iter()
                .map(|id| Listing {
                    trainers: trainers.remove(id).unwrap_or_default(),
                    trainees: counts.get(id).copied().unwrap_or(0),
                })
                .collect(),
        )
    })?;
    let items = rows
        .into_iter()
        .zip(listings)
        .map(|(c, listing)| ListItem {
            status: c.status(today),
            first_day: c.first_day,
            last_day: c.last_day,
            trainers: listing.trainers.clone(),
            trainees: listing.trainees,
            capacity: c.capacity,
            start_date: c.start_date,
            name: c.name,
            id: c.id,
        })
        .collect();
    Ok(Paged { items, next_cursor })
}
