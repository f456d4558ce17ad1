//! HR's report pages: uptake of the offer with its chart over time, and retention of
//! those who stayed. Read-only, so no service.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::CohortId;
use crate::error::AppResult;
use crate::money::Currency;
use crate::offer::reports::model::After;
use crate::offer::reports::rules::{month_label, Dimension, PAGED};
use crate::offer::reports::view::{self, RetentionLine, UptakeLine, UptakeReport};
use crate::offer::rules::{OfferKind, OfferStatus};
use crate::web::chart::{self, Line};
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(uptake).service(retention);
}

/// Rows per page of a breakdown.
pub const PAGE: i64 = 50;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct UptakeQuery {
    /// training (the default) or yearly.
    pub kind: Option<String>,
    /// The paged breakdown: cohort (the default), trainer or department.
    pub by: Option<String>,
    /// The `next_cursor` of the previous page of the breakdown.
    pub cursor: Option<String>,
}

impl UptakeQuery {
    pub fn kind(&self) -> OfferKind {
        self.kind
            .as_deref()
            .and_then(OfferKind::parse)
            .unwrap_or(OfferKind::Training)
    }

    pub fn by(&self) -> Dimension {
        self.by
            .as_deref()
            .and_then(Dimension::parse)
            .filter(|d| PAGED.contains(d))
            .unwrap_or(Dimension::Cohort)
    }

    pub fn after(&self) -> Option<After> {
        let c = self.cursor.as_deref().filter(|c| !c.is_empty())?;
        if self.by().numeric() {
            c.parse().ok().map(After::Num)
        } else {
            Some(After::Text(c.to_string()))
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "–".into())
}

/// A line of figures as the page shows it, under `label`.
fn figures(label: String, href: Option<String>, l: &UptakeLine, money: &Currency) -> Value {
    json!({
        "label": label,
        "href": href,
        "c": l.counts,
        "decided": l.counts.decided(),
        "rate": pct(l.rate_percent),
        "paid": money.format(l.counts.paid_cents),
    })
}

/// Uptake by month against the bonus offered: one line per amount.
fn chart(r: &UptakeReport, money: &Currency) -> Option<String> {
    let months: Vec<String> = r.by_month.iter().map(|l| l.key_text.clone()).collect();
    let amounts: BTreeSet<i64> = r.by_month_bonus.iter().map(|l| l.key_num).collect();
    let rates: BTreeMap<(&str, i64), Option<f64>> = r
        .by_month_bonus
        .iter()
        .map(|l| ((l.key_text.as_str(), l.key_num), l.rate_percent))
        .collect();
    if rates.values().all(Option::is_none) {
        return None;
    }
    let lines: Vec<Line> = amounts
        .iter()
        .map(|b| Line {
            name: format!("{} bonus", money.format(*b)),
            points: months
                .iter()
                .map(|m| rates.get(&(m.as_str(), *b)).copied().flatten())
                .collect(),
        })
        .collect();
    let top = rates.values().flatten().fold(0.0_f64, |a, b| a.max(*b));
    let y_max = ((top / 5.0).ceil() * 5.0).max(5.0);
    let labels: Vec<String> = months.iter().map(|m| month_label(m)).collect();
    Some(chart::lines(
        "uptake-by-bonus",
        "Uptake by month and bonus amount",
        "The share of decided offers that were accepted, per month the offers opened, one line per bonus amount offered.",
        &labels,
        &lines,
        y_max,
        "%",
    ))
}

#[get("/offers/uptake")]
async fn uptake(auth: Auth<OfferOversight>, q: web::Query<UptakeQuery>) -> AppResult<HttpResponse> {
    let (kind, by, after) = (q.kind(), q.by(), q.after());
    let r = auth
        .req
        .db(move |c| Ok(view::uptake(c, kind, by, after, PAGE)?))
        .await?;
    let money = auth.req.state.settings.currency();
    let overall: Vec<Value> = OfferKind::ALL
        .iter()
        .filter_map(|k| {
            r.overall
                .get(k.as_str())
                .map(|l| figures(k.label().into(), None, l, &money))
        })
        .collect();
    let amounts_in = |month: &str| -> String {
        r.by_month_bonus
            .iter()
            .filter(|l| l.key_text == month)
            .map(|l| money.format(l.key_num))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let by_month: Vec<Value> = r
        .by_month
        .iter()
        .rev()
        .map(|l| {
            let mut v = figures(month_label(&l.key_text), None, l, &money);
            v["amounts"] = json!(amounts_in(&l.key_text));
            v
        })
        .collect();
    let by_bonus: Vec<Value> = r
        .by_bonus
        .iter()
        .map(|l| figures(money.format(l.key_num), None, l, &money))
        .collect();
    let by_band: Vec<Value> = r
        .by_band
        .iter()
        .map(|l| figures(l.key_text.clone(), None, l, &money))
        .collect();
    let breakdown: Vec<Value> = r
        .breakdown
        .items
        .iter()
        .map(|l| match by {
            Dimension::Cohort => figures(
                l.name
                    .clone()
                    .unwrap_or_else(|| format!("Cohort {}", l.key_num)),
                Some(format!("/training/cohorts/{}/offers", l.key_num)),
                l,
                &money,
            ),
            Dimension::Trainer => figures(
                l.name
                    .clone()
                    .unwrap_or_else(|| format!("User {}", l.key_num)),
                None,
                l,
                &money,
            ),
            _ => figures(l.key_text.clone(), None, l, &money),
        })
        .collect();
    let tabs = |items: Vec<(String, &'static str, bool)>| -> Vec<Value> {
        items
            .into_iter()
            .map(|(v, l, s)| json!({"value": v, "label": l, "selected": s}))
            .collect()
    };
    let kinds = tabs(
        OfferKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label(), *k == kind))
            .collect(),
    );
    let bys = tabs(
        PAGED
            .iter()
            .map(|d| (d.as_str().to_string(), d.label(), *d == by))
            .collect(),
    );
    let next = r.breakdown.next_cursor.as_ref().map(|c| {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("kind", kind.as_str())
            .append_pair("by", by.as_str())
            .append_pair("cursor", c)
            .finish()
    });
    auth.req.page(
        "offer/uptake",
        "Offer uptake",
        json!({
            "kind": kind.as_str(),
            "kind_label": kind.label(),
            "kinds": kinds,
            "by": by.as_str(),
            "by_label": by.label(),
            "bys": bys,
            "definition": r.definition,
            "overall": overall,
            "chart": chart(&r, &money),
            "by_month": by_month,
            "by_bonus": by_bonus,
            "by_band": by_band,
            "breakdown": breakdown,
            "paged": q.cursor.as_deref().is_some_and(|c| !c.is_empty()),
            "next": next,
        }),
    )
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct RetentionQuery {
    /// The `next_cursor` of the previous page of cohorts.
    pub cursor: Option<CohortId>,
}

fn outcome_label(o: &str) -> &'static str {
    match OfferStatus::parse(o) {
        Some(OfferStatus::Declined) => "Declined",
        Some(OfferStatus::Expired) => "Let it expire (stayed)",
        _ => "Other",
    }
}

fn retention_view(l: &RetentionLine, money: &Currency) -> Value {
    let horizons: Vec<Value> = l
        .horizons
        .iter()
        .map(|h| {
            json!({
                "share": pct(h.percent),
                "stayed": h.stayed,
                "counted": h.counted,
            })
        })
        .collect();
    json!({
        "cohort_id": l.cohort_id,
        "cohort": l.cohort,
        "graduated_on": l.graduated_on,
        "bonus": l.bonus_cents.map(|b| money.format(b)),
        "outcome": outcome_label(&l.outcome),
        "graduates": l.graduates,
        "horizons": horizons,
    })
}

#[get("/offers/retention")]
async fn retention(
    auth: Auth<OfferOversight>,
    q: web::Query<RetentionQuery>,
) -> AppResult<HttpResponse> {
    let (today, before) = (auth.req.ctx().today(), q.cursor);
    let r = auth
        .req
        .db(move |c| Ok(view::retention(c, today, before, PAGE)?))
        .await?;
    let money = auth.req.state.settings.currency();
    let lines = |v: &[RetentionLine]| -> Vec<Value> {
        v.iter().map(|l| retention_view(l, &money)).collect()
    };
    auth.req.page(
        "offer/retention",
        "Retention of those who stayed",
        json!({
            "today": r.today,
            "definition": r.definition,
            "overall": lines(&r.overall),
            "by_bonus": lines(&r.by_bonus),
            "by_cohort": lines(&r.by_cohort.items),
            "paged": before.is_some(),
            "next": r.by_cohort.next_cursor,
        }),
    )
}
