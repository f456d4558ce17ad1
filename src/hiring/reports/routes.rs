//! The recruiters' reports: the funnel per job and interviewer calibration, each a page
//! with SVG charts and a table, and the same figures as CSV. Read-only, so no service.

use crate::audit::routes::csv_line;
use crate::auth::role::HiringOversight;
use crate::auth::Auth;
use crate::db::ids::{JobId, UserId};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::hiring::reports::model::{
    self, CalibrationFilter, FunnelData, FunnelFilter, InterviewerStats,
};
use crate::hiring::reports::rules::{self, fixed, FUNNEL};
use crate::hiring::rules::{Recommendation, Stage, Track};
use crate::web::chart::{self, Bar, Layout, Pair, Row, Series};
use crate::web::render::csv_response;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(funnel_page)
        .service(funnel_csv)
        .service(calibration_page)
        .service(calibration_csv);
}

#[get("/hiring/reports")]
async fn index(auth: Auth<HiringOversight>) -> AppResult<HttpResponse> {
    auth.req
        .page("hiring/reports/index", "Hiring reports", json!({}))
}

/// The query string as typed, blank fields dropped (a blank date means the default).
fn query_map(raw: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The period from `from` and `to` (YYYY-MM-DD), defaulting to the last 90 days.
fn period(
    q: &HashMap<String, String>,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> (NaiveDate, NaiveDate) {
    let (def_from, def_to) = rules::default_period(today);
    let mut date = |key: &str, default: NaiveDate| match q.get(key) {
        None => default,
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").unwrap_or_else(|_| {
            errors.insert(key.into(), "Write the date as YYYY-MM-DD.".into());
            default
        }),
    };
    let from = date("from", def_from);
    let to = date("to", def_to);
    if from > to && errors.is_empty() {
        errors.insert(
            "to".into(),
            "The end of the period comes before its start.".into(),
        );
    }
    (from, to)
}

fn query_string(pairs: &[(&str, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().filter(|(_, v)| !v.is_empty()))
        .finish()
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

fn days(v: Option<f64>) -> String {
    fixed(v, 1)
}

struct FunnelQuery {
    filter: FunnelFilter,
    form: Value,
    qs: String,
}

fn funnel_query(raw: &str, today: NaiveDate) -> Result<FunnelQuery, (FieldErrors, Value)> {
    let q = query_map(raw);
    let mut errors = FieldErrors::new();
    let (from, to) = period(&q, today, &mut errors);
    let job = match q.get("job") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(id) => Some(JobId(id)),
            Err(_) => {
                errors.insert("job".into(), "Choose a job from the list.".into());
                None
            }
        },
    };
    let form = json!({
        "job": q.get("job").cloned().unwrap_or_default(),
        "from": q.get("from").cloned().unwrap_or_else(|| from.to_string()),
        "to": q.get("to").cloned().unwrap_or_else(|| to.to_string()),
    });
    if !errors.is_empty() {
        return Err((errors, form));
    }
    let qs = query_string(&[
        ("job", job.map(|j| j.to_string()).unwrap_or_default()),
        ("from", from.to_string()),
        ("to", to.to_string()),
    ]);
    Ok(FunnelQuery {
        filter: FunnelFilter { job, from, to },
        form,
        qs,
    })
}

/// One line of the funnel: a stage with everything the page, the chart and the CSV show.
struct FunnelLine {
    stage: Stage,
    reached: i64,
    next: Option<Stage>,
    rate: Option<f64>,
    median_days: Option<f64>,
    stays: i64,
}

struct FunnelFigures {
    lines: Vec<FunnelLine>,
    rejected: i64,
    withdrawn: i64,
    hired: i64,
    hire_median_days: Option<f64>,
    hire_mean_days: Option<f64>,
}

fn figures(d: &FunnelData) -> FunnelFigures {
    let reached = rules::reached(&d.furthest);
    let lines = FUNNEL
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let next = FUNNEL.get(i + 1).copied();
            let stays = d.stage_hours.get(s).cloned().unwrap_or_default();
            FunnelLine {
                stage: *s,
                reached: reached[i],
                next,
                rate: next.and_then(|_| rules::pass_through(reached[i], reached[i + 1])),
                median_days: rules::hours_to_days(rules::median(&stays)),
                stays: stays.iter().map(|(_, c)| c).sum(),
            }
        })
        .collect();
    let current = |s: Stage| d.current.get(&s).copied().unwrap_or(0);
    FunnelFigures {
        lines,
        rejected: current(Stage::Rejected),
        withdrawn: current(Stage::Withdrawn),
        hired: d.hire_hours.iter().map(|(_, c)| c).sum(),
        hire_median_days: rules::hours_to_days(rules::median(&d.hire_hours)),
        hire_mean_days: rules::hours_to_days(rules::mean(&d.hire_hours)),
    }
}

#[get("/hiring/reports/funnel")]
async fn funnel_page(auth: Auth<HiringOversight>, req: HttpRequest) -> AppResult<HttpResponse> {
    let today = auth.req.ctx().now.date();
    let jobs = auth.req.db(|c| Ok(model::job_options(c)?)).await?;
    let parsed = funnel_query(req.query_string(), today);
    let q = match parsed {
        Ok(q) => q,
        Err((errors, form)) => {
            return auth.req.form_errors(
                "hiring/reports/funnel",
                "Hiring funnel",
                &errors,
                json!({"jobs": job_choices(&jobs, &form), "form": form}),
            )
        }
    };
    let job_title = match q.filter.job {
        None => None,
        Some(id) => Some(
            jobs.iter()
                .find(|j| j.id == id.0)
                .map(|j| j.title.clone())
                .ok_or(AppError::NotFound)?,
        ),
    };
    let filter = q.filter.clone();
    let data = auth.req.db(move |c| Ok(model::funnel(c, &filter)?)).await?;
    let f = figures(&data);
    let applied = f.lines[0].reached;
    let bars: Vec<Bar> = f
        .lines
        .iter()
        .map(|l| Bar {
            label: l.stage.label().into(),
            value: l.reached as f64,
            text: if applied > 0 {
                format!(
                    "{} ({:.0}%)",
                    l.reached,
                    l.reached as f64 * 100.0 / applied as f64
                )
            } else {
                l.reached.to_string()
            },
        })
        .collect();
    let scope = job_title.clone().unwrap_or_else(|| "all jobs".into());
    let svg = chart::hbar(
        "funnel-chart",
        &format!("Candidates reaching each stage, {scope}, {} to {}", q.filter.from, q.filter.to),
        "One bar per pipeline stage: how many of the candidates who applied in the period reached it, and their share of all who applied.",
        &bars,
    );
    let rows: Vec<Value> = f
        .lines
        .iter()
        .map(|l| {
            json!({
                "stage": l.stage.label(),
                "reached": l.reached,
                "next": l.next.map(|s| s.label()),
                "rate": l.next.map(|_| pct(l.rate)),
                "median_days": days(l.median_days),
                "stays": l.stays,
            })
        })
        .collect();
    auth.req.page(
        "hiring/reports/funnel",
        "Hiring funnel",
        json!({
            "jobs": job_choices(&jobs, &q.form),
            "form": q.form,
            "scope": scope,
            "from": q.filter.from.to_string(),
            "to": q.filter.to.to_string(),
            "chart": svg,
            "rows": rows,
            "applied": applied,
            "rejected": f.rejected,
            "withdrawn": f.withdrawn,
            "hired": f.hired,
            "hire_median": days(f.hire_median_days),
            "hire_mean": days(f.hire_mean_days),
            "csv": format!("/hiring/reports/funnel.csv?{}", q.qs),
        }),
    )
}

/// The job select box, with the chosen job marked.
fn job_choices(jobs: &[model::JobOption], form: &Value) -> Vec<Value> {
    let chosen = form["job"].as_str().unwrap_or("");
    jobs.iter()
        .map(|j| json!({"id": j.id, "title": j.title, "selected": j.id.to_string() == chosen}))
        .collect()
}

fn bad_query(errors: FieldErrors) -> AppError {
    AppError::Invalid(errors)
}

#[get("/hiring/reports/funnel.csv")]
async fn funnel_csv(auth: Auth<HiringOversight>, req: HttpRequest) -> AppResult<HttpResponse> {
    let today = auth.req.ctx().now.date();
    let q = funnel_query(req.query_string(), today).map_err(|(e, _)| bad_query(e))?;
    let filter = q.filter.clone();
    let (data, jobs) = auth
        .req
        .db(move |c| Ok((model::funnel(c, &filter)?, model::job_options(c)?)))
        .await?;
    let job = match q.filter.job {
        None => "all jobs".to_string(),
        Some(id) => jobs
            .iter()
            .find(|j| j.id == id.0)
            .map(|j| j.title.clone())
            .ok_or(AppError::NotFound)?,
    };
    let f = figures(&data);
    let (from, to) = (q.filter.from.to_string(), q.filter.to.to_string());
    let mut out = csv_line(&[
        "from",
        "to",
        "job",
        "stage",
        "reached",
        "next_stage",
        "pass_through_percent",
        "median_days_in_stage",
        "stays_measured",
        "time_to_hire_median_days",
        "time_to_hire_mean_days",
    ]);
    for l in &f.lines {
        let hired = l.stage == Stage::Hired;
        out.push_str(&csv_line(&[
            &from,
            &to,
            &job,
            l.stage.as_str(),
            &l.reached.to_string(),
            l.next.map(|s| s.as_str()).unwrap_or(""),
            &fixed(l.rate.map(|r| r * 100.0), 1),
            &days(l.median_days),
            &if hired {
                String::new()
            } else {
                l.stays.to_string()
            },
            &if hired {
                days(f.hire_median_days)
            } else {
                String::new()
            },
            &if hired {
                days(f.hire_mean_days)
            } else {
                String::new()
            },
        ]));
    }
    for (stage, n) in [
        (Stage::Rejected, f.rejected),
        (Stage::Withdrawn, f.withdrawn),
    ] {
        out.push_str(&csv_line(&[
            &from,
            &to,
            &job,
            stage.as_str(),
            &n.to_string(),
            "",
            "",
            "",
            "",
            "",
            "",
        ]));
    }
    Ok(csv_response("hiring-funnel.csv", out))
}

struct CalibrationQuery {
    filter: CalibrationFilter,
    interviewer: Option<UserId>,
    form: Value,
    qs: String,
}

fn calibration_query(
    raw: &str,
    today: NaiveDate,
) -> Result<CalibrationQuery, (FieldErrors, Value)> {
    let q = query_map(raw);
    let mut errors = FieldErrors::new();
    let (from, to) = period(&q, today, &mut errors);
    let track = match q.get("track") {
        None => None,
        Some(v) => Track::parse(v).or_else(|| {
            errors.insert("track".into(), "Choose technical or culture fit.".into());
            None
        }),
    };
    let interviewer = match q.get("interviewer") {
        None => None,
        Some(v) => v.parse::<i64>().ok().map(UserId).or_else(|| {
            errors.insert(
                "interviewer".into(),
                "Choose an interviewer from the list.".into(),
            );
            None
        }),
    };
    let form = json!({
        "track": q.get("track").cloned().unwrap_or_default(),
        "interviewer": q.get("interviewer").cloned().unwrap_or_default(),
        "from": q.get("from").cloned().unwrap_or_else(|| from.to_string()),
        "to": q.get("to").cloned().unwrap_or_else(|| to.to_string()),
    });
    if !errors.is_empty() {
        return Err((errors, form));
    }
    let qs = query_string(&[
        ("from", from.to_string()),
        ("to", to.to_string()),
        (
            "track",
            track.map(|t| t.as_str().to_string()).unwrap_or_default(),
        ),
    ]);
    Ok(CalibrationQuery {
        filter: CalibrationFilter { from, to, track },
        interviewer,
        form,
        qs,
    })
}

/// Recommendation colours: dark to light from strong no to strong yes, so the order
/// also reads in greyscale.
const REC_FILLS: [&str; 4] = ["#7a1f1f", "#e07b7b", "#8fd19e", "#d8f5dd"];

fn interviewer_json(s: &InterviewerStats) -> Value {
    let attributes: Vec<Value> = s
        .attributes
        .iter()
        .map(|(name, c)| {
            json!({
                "name": name,
                "mine": fixed(c.mine, 2),
                "mine_count": c.mine_count,
                "panel": fixed(c.panel, 2),
                "panel_count": c.panel_count,
                "difference": c.difference().map(|d| format!("{d:+.2}")).unwrap_or_default(),
                "lean": c.lean(),
            })
        })
        .collect();
    let pairs: Vec<Pair> = s
        .attributes
        .iter()
        .map(|(name, c)| Pair {
            label: name.clone(),
            mine: c.mine,
            other: c.panel,
        })
        .collect();
    let chart = (!pairs.is_empty()).then(|| {
        chart::paired_dots(
            &format!("dots-{}", s.id),
            &format!("{}: mean rating per attribute against the panel", s.name),
            "For each attribute, a filled dot for this interviewer's mean rating and a ring for the other interviewers' mean on the same candidates, on the 1 to 5 scale.",
            ("Theirs", "Panel"),
            (1.0, 5.0),
            &pairs,
        )
    });
    json!({
        "id": s.id,
        "name": s.name,
        "submitted": s.submitted,
        "late": s.late,
        "recommendations": s.recommendations,
        "attributes": attributes,
        "chart": chart,
    })
}

#[get("/hiring/reports/calibration")]
async fn calibration_page(
    auth: Auth<HiringOversight>,
    req: HttpRequest,
) -> AppResult<HttpResponse> {
    let today = auth.req.ctx().now.date();
    let tracks = Track::options();
    let q = match calibration_query(req.query_string(), today) {
        Ok(q) => q,
        Err((errors, form)) => {
            return auth.req.form_errors(
                "hiring/reports/calibration",
                "Interviewer calibration",
                &errors,
                json!({"form": form, "tracks": tracks}),
            )
        }
    };
    let filter = q.filter.clone();
    let stats = auth
        .req
        .db(move |c| Ok(model::calibration(c, &filter)?))
        .await?;
    let series: Vec<Series> = Recommendation::ALL
        .iter()
        .zip(REC_FILLS)
        .map(|(r, fill)| Series {
            name: r.label().into(),
            fill: fill.into(),
        })
        .collect();
    let rows: Vec<Row> = stats
        .iter()
        .map(|s| Row {
            label: s.name.clone(),
            values: s.recommendations.iter().map(|n| *n as f64).collect(),
        })
        .collect();
    let spread = (!rows.is_empty()).then(|| {
        chart::multi_hbar(
            "recommendations-chart",
            &format!("Recommendations per interviewer, {} to {}", q.filter.from, q.filter.to),
            "One stacked bar per interviewer: how many of their scorecards ended in strong no, no, yes and strong yes.",
            Layout::Stacked,
            &series,
            &rows,
        )
    });
    let shown: Vec<Value> = stats
        .iter()
        .filter(|s| q.interviewer.is_none_or(|id| s.id == id))
        .map(interviewer_json)
        .collect();
    let people: Vec<Value> = stats
        .iter()
        .map(|s| json!({"id": s.id, "name": s.name, "selected": Some(s.id) == q.interviewer}))
        .collect();
    auth.req.page(
        "hiring/reports/calibration",
        "Interviewer calibration",
        json!({
            "form": q.form,
            "tracks": tracks,
            "people": people,
            "from": q.filter.from.to_string(),
            "to": q.filter.to.to_string(),
            "track": q.filter.track.map(|t| t.label()),
            "spread": spread,
            "interviewers": stats.iter().map(interviewer_json).collect::<Vec<_>>(),
            "shown": shown,
            "csv": format!("/hiring/reports/calibration.csv?{}", q.qs),
        }),
    )
}

#[get("/hiring/reports/calibration.csv")]
async fn calibration_csv(auth: Auth<HiringOversight>, req: HttpRequest) -> AppResult<HttpResponse> {
    let today = auth.req.ctx().now.date();
    let q = calibration_query(req.query_string(), today).map_err(|(e, _)| bad_query(e))?;
    let filter = q.filter.clone();
    let stats = auth
        .req
        .db(move |c| Ok(model::calibration(c, &filter)?))
        .await?;
    let (from, to) = (q.filter.from.to_string(), q.filter.to.to_string());
    let track = q.filter.track.map(|t| t.as_str()).unwrap_or("all");
    let mut out = csv_line(&[
        "from",
        "to",
        "track",
        "interviewer_id",
        "interviewer",
        "scorecards_submitted",
        "scorecards_late",
        "strong_no",
        "no",
        "yes",
        "strong_yes",
        "attribute",
        "their_mean",
        "their_ratings",
        "panel_mean",
        "panel_ratings",
    ]);
    for s in stats
        .iter()
        .filter(|s| q.interviewer.is_none_or(|id| s.id == id))
    {
        let head = [
            from.clone(),
            to.clone(),
            track.to_string(),
            s.id.to_string(),
            s.name.clone(),
            s.submitted.to_string(),
            s.late.to_string(),
            s.recommendations[0].to_string(),
            s.recommendations[1].to_string(),
            s.recommendations[2].to_string(),
            s.recommendations[3].to_string(),
        ];
        let attrs: Vec<[String; 5]> = if s.attributes.is_empty() {
            vec![Default::default()]
        } else {
            s.attributes
                .iter()
                .map(|(name, c)| {
                    [
                        name.clone(),
                        fixed(c.mine, 2),
                        c.mine_count.to_string(),
                        fixed(c.panel, 2),
                        c.panel_count.to_string(),
                    ]
                })
                .collect()
        };
        for a in &attrs {
            let cells: Vec<&str> = head.iter().chain(a.iter()).map(String::as_str).collect();
            out.push_str(&csv_line(&cells));
        }
    }
    Ok(csv_response("interviewer-calibration.csv", out))
}
