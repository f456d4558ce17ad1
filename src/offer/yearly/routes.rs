//! HR's yearly pay-to-quit page: the windows with their offers by outcome, a form to add
//! the next one, and changing or removing a window before it opens.

use crate::auth::role::OfferOversight;
use crate::auth::Auth;
use crate::db::ids::YearlyWindowId;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::money::Currency;
use crate::offer::yearly::model::{self, YearlyWindow};
use crate::offer::yearly::rules::{self, WindowInput};
use crate::offer::yearly::service::{self, WindowView};
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(page)
        .service(create)
        .service(edit)
        .service(update)
        .service(remove);
}

const PAGE: i64 = 50;

/// An amount as the form shows it: "2,000.00", without the currency sign.
fn typed(money: &Currency, cents: i64) -> String {
    let shown = money.format(cents);
    shown
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .to_string()
}

fn window_row(v: &WindowView, money: &Currency, today: NaiveDate) -> Value {
    let w = &v.window;
    json!({
        "planned": rules::still_planned(w.opens_on, today),
        "w": w,
        "u": v.uptake,
        "base": money.format(w.base_cents),
        "step": money.format(w.step_cents),
        "max": money.format(w.max_cents),
        "rate": v.uptake.rate_percent().map(|r| format!("{r}%")),
    })
}

async fn render(
    auth: &Auth<OfferOversight>,
    before: Option<YearlyWindowId>,
    form: WindowInput,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let windows = auth
        .req
        .db(move |c| service::windows_page(c, before, PAGE + 1))
        .await?;
    let money = auth.req.state.settings.currency();
    let today = auth.req.ctx().today();
    let more = windows.len() as i64 > PAGE;
    let rows: Vec<Value> = windows
        .iter()
        .take(PAGE as usize)
        .map(|v| window_row(v, &money, today))
        .collect();
    let next = more.then(|| windows[PAGE as usize - 1].window.id);
    let data = json!({
        "windows": rows,
        "next": next,
        "form": form,
        "currency": money.code,
    });
    match errors {
        Some(e) => auth
            .req
            .form_errors("offer/yearly", "Yearly pay-to-quit", &e, data),
        None => auth.req.page("offer/yearly", "Yearly pay-to-quit", data),
    }
}

#[derive(Deserialize)]
struct PageQuery {
    before: Option<YearlyWindowId>,
}

#[get("/offers/yearly")]
async fn page(auth: Auth<OfferOversight>, q: web::Query<PageQuery>) -> AppResult<HttpResponse> {
    let money = auth.req.state.settings.currency();
    let form = WindowInput {
        base: typed(&money, rules::DEFAULT_BASE_CENTS),
        step: typed(&money, rules::DEFAULT_STEP_CENTS),
        max: typed(&money, rules::DEFAULT_MAX_CENTS),
        ..Default::default()
    };
    render(&auth, q.before, form, None).await
}

#[post("/offers/yearly")]
async fn create(
    auth: Auth<OfferOversight>,
    form: web::Form<WindowInput>,
) -> AppResult<HttpResponse> {
    let input = form.into_inner();
    let (sctx, inp) = (auth.req.ctx(), input.clone());
    match auth
        .req
        .db(move |c| service::create_window(c, &sctx, &inp))
        .await
    {
        Ok(_) => Ok(auth.req.redirect_ok(
            "/offers/yearly",
            "Window saved. On its opening day every eligible employee is offered the bonus and mailed.",
        )),
        Err(AppError::Invalid(e)) => render(&auth, None, input, Some(e)).await,
        Err(e) => Err(e),
    }
}

/// A window's terms as its form shows them.
fn as_typed(w: &YearlyWindow, money: &Currency) -> WindowInput {
    WindowInput {
        opens_on: w.opens_on.to_string(),
        closes_on: w.closes_on.to_string(),
        base: typed(money, w.base_cents),
        step: typed(money, w.step_cents),
        max: typed(money, w.max_cents),
    }
}

async fn render_window(
    auth: &Auth<OfferOversight>,
    id: YearlyWindowId,
    form: Option<WindowInput>,
    errors: Option<FieldErrors>,
) -> AppResult<HttpResponse> {
    let window = auth.req.db(move |c| Ok(model::find(c, id)?)).await?;
    let money = auth.req.state.settings.currency();
    if !rules::still_planned(window.opens_on, auth.req.ctx().today()) {
        return Ok(auth.req.redirect_ok(
            "/offers/yearly",
            &format!(
                "The window opening {} has opened: it can no longer be changed.",
                window.opens_on
            ),
        ));
    }
    let data = json!({
        "form": form.unwrap_or_else(|| as_typed(&window, &money)),
        "window": window,
        "currency": money.code,
    });
    let title = "Change a yearly window";
    match errors {
        Some(e) => auth.req.form_errors("offer/yearly_window", title, &e, data),
        None => auth.req.page("offer/yearly_window", title, data),
    }
}

#[get("/offers/yearly/{id}")]
async fn edit(
    auth: Auth<OfferOversight>,
    id: web::Path<YearlyWindowId>,
) -> AppResult<HttpResponse> {
    render_window(&auth, *id, None, None).await
}

#[post("/offers/yearly/{id}")]
async fn update(
    auth: Auth<OfferOversight>,
    id: web::Path<YearlyWindowId>,
    form: web::Form<WindowInput>,
) -> AppResult<HttpResponse> {
    let (id, input) = (*id, form.into_inner());
    let (sctx, inp) = (auth.req.ctx(), input.clone());
    match auth
        .req
        .db(move |c| service::update_window(c, &sctx, id, &inp))
        .await
    {
        Ok(()) => Ok(auth.req.redirect_ok("/offers/yearly", "Window changed.")),
        Err(AppError::Invalid(e)) => render_window(&auth, id, Some(input), Some(e)).await,
        Err(e) => Err(e),
    }
}

#[post("/offers/yearly/{id}/delete")]
async fn remove(
    auth: Auth<OfferOversight>,
    id: web::Path<YearlyWindowId>,
) -> AppResult<HttpResponse> {
    let (id, sctx) = (*id, auth.req.ctx());
    auth.req
        .db(move |c| service::delete_window(c, &sctx, id))
        .await?;
    Ok(auth.req.redirect_ok(
        "/offers/yearly",
        "Window removed: nobody is offered anything for it.",
    ))
}
