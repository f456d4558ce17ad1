//! What the cohort list page and the API show, built once for both.

use crate::db::ids::CohortId;
use crate::db::DbConn;
use crate::training::cohorts::model;
use crate::training::cohorts::rules::{Cursor, ListFilter};
use crate::training::rules::CohortStatus;
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

/// One page of the list. Three queries whatever the page: the page's cohorts, then their
/// trainers and trainee counts, each for the page's rows at once.
pub fn list(conn: &mut DbConn, f: &ListFilter, today: NaiveDate) -> QueryResult<Paged<ListItem>> {
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
    if rows.is_empty() {
        return Ok(Paged {
            items: vec![],
            next_cursor,
        });
    }
    let ids: Vec<CohortId> = rows.iter().map(|c| c.id).collect();
    let mut trainers = model::trainer_names(conn, &ids)?;
    let counts = model::active_counts(conn, &ids)?;
    let items = rows
        .into_iter()
        .map(|c| ListItem {
            status: c.status(today),
            first_day: c.first_day,
            last_day: c.last_day,
            trainers: trainers.remove(&c.id).unwrap_or_default(),
            trainees: counts.get(&c.id).copied().unwrap_or(0),
            capacity: c.capacity,
            start_date: c.start_date,
            name: c.name,
            id: c.id,
        })
        .collect();
    Ok(Paged { items, next_cursor })
}
