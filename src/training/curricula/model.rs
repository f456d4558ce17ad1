//! Curriculum template rows and their modules.

use crate::db::ids::{CurriculumId, CurriculumModuleId};
use crate::db::schema::{curricula, curriculum_modules};
use crate::db::DbConn;
use crate::training::curricula::rules::{ValidCurriculum, ValidModule};
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

/// The template's own columns, as written by create and edit.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = curricula)]
struct Fields<'a> {
    name: &'a str,
    description: &'a str,
    weeks: i64,
    days_per_week: i64,
    live_call_target_minutes: i64,
    max_unexcused_absences: i64,
    max_lates: i64,
    day_minutes: i64,
    updated_at: NaiveDateTime,
}

impl<'a> Fields<'a> {
    fn of(v: &'a ValidCurriculum, now: NaiveDateTime) -> Fields<'a> {
        Fields {
            name: &v.name,
            description: &v.description,
            weeks: v.weeks,
            days_per_week: v.days_per_week,
            live_call_target_minutes: v.live_call_target_minutes,
            max_unexcused_absences: v.max_unexcused_absences,
            max_lates: v.max_lates,
            day_minutes: v.day_minutes,
            updated_at: now,
        }
    }
}

pub fn insert(
    conn: &mut DbConn,
    v: &ValidCurriculum,
    now: NaiveDateTime,
) -> QueryResult<CurriculumId> {
    diesel::insert_into(curricula::table)
        .values((Fields::of(v, now), curricula::created_at.eq(now)))
        .returning(curricula::id)
        .get_result(conn)
}

pub fn update(
    conn: &mut DbConn,
    id: CurriculumId,
    v: &ValidCurriculum,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(curricula::table.find(id))
        .set(Fields::of(v, now))
        .execute(conn)
        .map(|_| ())
}

/// Replaces a template's modules. Nothing points at them: cohorts keep their own copies.
pub fn replace_modules(
    conn: &mut DbConn,
    id: CurriculumId,
    modules: &[ValidModule],
) -> QueryResult<()> {
    diesel::delete(curriculum_modules::table.filter(curriculum_modules::curriculum_id.eq(id)))
        .execute(conn)?;
    let rows: Vec<_> = modules
        .iter()
        .map(|m| {
            (
                curriculum_modules::curriculum_id.eq(id),
                curriculum_modules::week.eq(m.week),
                curriculum_modules::day.eq(m.day),
                curriculum_modules::position.eq(m.position),
                curriculum_modules::title.eq(&m.title),
                curriculum_modules::kind.eq(m.kind.as_str()),
                curriculum_modules::description.eq(&m.description),
                curriculum_modules::pass_mark.eq(m.pass_mark),
            )
        })
        .collect();
    crate::per_backend!(conn, |c| diesel::insert_into(curriculum_modules::table)
        .values(&rows)
        .execute(c))
    .map(|_| ())
}

/// Another template with this name (curricula_name_idx).
pub fn name_taken(
    conn: &mut DbConn,
    name: &str,
    except: Option<CurriculumId>,
) -> QueryResult<bool> {
    let mut q = curricula::table
        .filter(curricula::name.eq(name))
        .select(curricula::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(curricula::id.ne(id));
    }
    Ok(q.first::<CurriculumId>(conn).optional()?.is_some())
}
