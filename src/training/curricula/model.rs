//! Curriculum template rows and their modules.

use crate::db::ids::{CurriculumId, CurriculumModuleId};
use crate::db::schema::{curricula, curriculum_modules};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = curricula)]
pub struct Curriculum {
    pub id: CurriculumId,
    pub name: String,
    pub description: String,
    pub weeks: i64,
    pub days_per_week: i64,
    pub live_call_target_minutes: i64,
    pub max_unexcused_absences: i64,
    pub max_lates: i64,
    /// Paid minutes in an attended day.
    pub day_minutes: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Curriculum {
    pub fn day_count(&self) -> i64 {
        self.weeks * self.days_per_week
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = curriculum_modules)]
pub struct CurriculumModule {
    pub id: CurriculumModuleId,
    pub curriculum_id: CurriculumId,
    pub week: i64,
    pub day: i64,
    pub position: i64,
    pub title: String,
    /// classroom, shadowing, phones or graduation.
    pub kind: String,
    pub description: String,
    /// 0-100; set when the module has an assessment.
    pub pass_mark: Option<i64>,
}

pub fn find(conn: &mut DbConn, id: CurriculumId) -> QueryResult<Curriculum> {
    curricula::table
        .find(id)
        .select(Curriculum::as_select())
        .first(conn)
}

/// Every template by name: few rows.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Curriculum>> {
    curricula::table
        .select(Curriculum::as_select())
        .order((curricula::name.asc(), curricula::id.asc()))
        .load(conn)
}

/// A template's modules in teaching order.
pub fn modules(conn: &mut DbConn, id: CurriculumId) -> QueryResult<Vec<CurriculumModule>> {
    curriculum_modules::table
        .filter(curriculum_modules::curriculum_id.eq(id))
        .select(CurriculumModule::as_select())
        .order((
            curriculum_modules::week.asc(),
            curriculum_modules::day.asc(),
            curriculum_modules::position.asc(),
            curriculum_modules::id.asc(),
        ))
        .load(conn)
}
