//! The audit log page (filters, pagination) and its CSV export, for HR and admins.

use crate::audit::model::{self, Entry, Filter};
use crate::auth::role::AuditReaders;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::web::pagination::PageQuery;
use crate::web::render::csv_stream;
use actix_web::{get, web, HttpResponse};
use serde_json::json;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(log_page).service(export);
}

struct AuditQuery {
    filter: Filter,
    page: PageQuery,
}

/// Blank form fields arrive as empty strings; a blank date means "no bound", not an error.
/// Filter and page are read separately: serde's `flatten` cannot read numbers from a query.
fn parse_query(raw: &str) -> Result<AuditQuery, AppError> {
    let cleaned: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&cleaned)
        .finish();
    let filter = serde_urlencoded::from_str(&encoded).map_err(|_| {
        AppError::field(
            "form",
            "Write dates as YYYY-MM-DD and the subject # as a number.",
        )
    })?;
    let paging = serde_urlencoded::from_str(&encoded).unwrap_or_default();
    Ok(AuditQuery {
        filter,
        page: paging,
    })
}

fn filter_query(f: &Filter) -> String {
    serde_urlencoded::to_string(f).unwrap_or_default()
}

#[get("/audit")]
async fn log_page(
    auth: Auth<AuditReaders>,
    req: actix_web::HttpRequest,
) -> AppResult<HttpResponse> {
    let q = parse_query(req.query_string())?;
    let limit = q.page.limit();
    let (filter, cursor) = (q.filter.clone(), q.page.cursor);
    let rows = auth
        .req
        .db(move |c| Ok(model::list(c, &filter, cursor, limit + 1)?))
        .await?;
    let page = crate::web::pagination::Paged::from_rows(rows, limit, |e: &Entry| e.id.0);
    let entries: Vec<_> = page
        .items
        .iter()
        .map(|e| {
            let changes: Vec<_> = model::changes(e.before_json.as_deref(), e.after_json.as_deref())
                .into_iter()
                .map(|(field, before, after)| json!({"field": field, "before": before, "after": after}))
                .collect();
            json!({"entry": e, "at": e.at.format("%Y-%m-%d %H:%M:%S").to_string(), "changes": changes})
        })
        .collect();
    let base = filter_query(&q.filter);
    let next = page.next_cursor.map(|c| {
        format!(
            "/audit?{base}{}cursor={c}",
            if base.is_empty() { "" } else { "&" }
        )
    });
    auth.req.page(
        "audit/list",
        "Audit log",
        json!({"entries": entries, "filter": q.filter, "next": next, "csv": format!("/audit.csv?{base}"), "paged": q.page.cursor.is_some()}),
    )
}

/// The whole filtered log as CSV, read in batches so a large log streams in constant memory.
#[get("/audit.csv")]
async fn export(auth: Auth<AuditReaders>, req: actix_web::HttpRequest) -> AppResult<HttpResponse> {
    let filter = parse_query(req.query_string())?.filter;
    let state = auth.req.state.clone();
    const BATCH: i64 = 1000;
    let header_row = csv_line(&[
        "id",
        "at",
        "actor_id",
        "actor",
        "action",
        "subject_type",
        "subject_id",
        "before",
        "after",
        "request_id",
    ]);
    Ok(csv_stream("audit-log.csv", header_row, move |cursor| {
        let (state, filter) = (state.clone(), filter.clone());
        async move {
            let rows = state
                .db(move |c| Ok(model::list(c, &filter, cursor, BATCH)?))
                .await?;
            let next = (rows.len() as i64 == BATCH)
                .then(|| rows.last().map(|r| r.id.0))
                .flatten();
            let mut out = String::new();
            for e in &rows {
                out.push_str(&csv_line(&[
                    &e.id.to_string(),
                    &e.at.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    &e.actor_id.map(|a| a.to_string()).unwrap_or_default(),
                    &e.actor_label,
                    &e.action,
                    &e.subject_type,
                    &e.subject_id.map(|s| s.to_string()).unwrap_or_default(),
                    e.before_json.as_deref().unwrap_or(""),
                    e.after_json.as_deref().unwrap_or(""),
                    &e.request_id,
                ]));
            }
            Ok((out, next))
        }
    }))
}

/// One CSV record. Cells that a spreadsheet would run as a formula are prefixed with `'`.
pub fn csv_line(cells: &[&str]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(vec![]);
    let safe: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.starts_with(['=', '+', '-', '@']) {
                format!("'{c}")
            } else {
                c.to_string()
            }
        })
        .collect();
    w.write_record(&safe).expect("writing to memory");
    String::from_utf8(w.into_inner().expect("flush to memory")).expect("utf-8 in, utf-8 out")
}

#[cfg(test)]
mod tests {
    use super::{csv_line, parse_query};

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_line(&["a", "b,c", "=SUM(A1)"]), "a,\"b,c\",'=SUM(A1)\n");
    }

    #[test]
    fn blank_filters_are_ignored() {
        let q =
            parse_query("actor=&action=user.invited&from=&to=2026-01-31&subject_id=7&cursor=99")
                .unwrap();
        assert_eq!(q.filter.subject_id, Some(7));
        assert_eq!(q.page.cursor, Some(99));
        assert!(parse_query("from=yesterday").is_err());
        assert_eq!(q.filter.action.as_deref(), Some("user.invited"));
        assert_eq!(q.filter.actor, None);
        assert_eq!(
            q.filter.to.map(|d| d.to_string()).as_deref(),
            Some("2026-01-31")
        );
    }
}
