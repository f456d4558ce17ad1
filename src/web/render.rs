//! Handlebars templates, embedded in the binary and registered once.

use actix_web::http::StatusCode;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderError,
};
use serde::Serialize;
use serde_json::Value;
use std::sync::LazyLock;

#[derive(rust_embed::RustEmbed)]
#[folder = "templates/"]
#[include = "*.hbs"]
struct Templates;

static REGISTRY: LazyLock<Handlebars<'static>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.register_escape_fn(escape_html);
    hb.register_embed_templates_with_extension::<Templates>(".hbs")
        .expect("templates compile");
    hb.register_helper("eq", Box::new(eq_helper));
    hb.register_helper("when", Box::new(when_helper));
    hb.register_helper("csrf_field", Box::new(CsrfField));
    hb.register_helper("field", Box::new(Part("partials/field")));
    hb
});

/// Mail subjects and text parts: the same templates without HTML escaping.
static TEXT_REGISTRY: LazyLock<Handlebars<'static>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_embed_templates_with_extension::<Templates>(".hbs")
        .expect("templates compile");
    hb
});

handlebars::handlebars_helper!(eq_helper: |a: Json, b: Json| a == b);

// Timestamps arrive as ISO text with fractions of a second; people read minutes.
handlebars::handlebars_helper!(when_helper: |t: str| {
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| t.to_string())
});

/// `{{csrf_field}}`: every form's hidden CSRF input, from the page's layout data.
struct CsrfField;

impl HelperDef for CsrfField {
    fn call<'reg: 'rc, 'rc>(
        &self,
        _: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let token = ctx
            .data()
            .pointer("/layout/csrf_token")
            .and_then(Value::as_str)
            .unwrap_or_default();
        out.write(&format!(
            r#"<input type="hidden" name="csrf_token" value="{}">"#,
            escape_html(token)
        ))?;
        Ok(())
    }
}

/// `{{field name=... label=...}}`: a template drawn from the helper's hash alone. A
/// handlebars partial copies the whole page's data at each use, which on a page of 50
/// rows cost more than drawing the page.
struct Part(&'static str);

impl HelperDef for Part {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let data: serde_json::Map<String, Value> = h
            .hash()
            .iter()
            .map(|(k, v)| (k.to_string(), v.value().clone()))
            .collect();
        out.write(&r.render_with_context(self.0, &Context::from(Value::Object(data)))?)?;
        Ok(())
    }
}

fn needs_escape(b: u8) -> bool {
    matches!(b, b'<' | b'>' | b'"' | b'&' | b'\'' | b'`' | b'=')
}

/// Handlebars' own escaping, the same characters and entities, for every `{{value}}` of
/// every page. Handlebars grows its result a character at a time; most values hold nothing
/// to escape and are copied whole, the rest written with room for a few entities.
fn escape_html(s: &str) -> String {
    let Some(first) = s.bytes().position(needs_escape) else {
        return s.to_owned();
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#x27;"),
            '`' => out.push_str("&#x60;"),
            '=' => out.push_str("&#x3D;"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders a template by its path under templates/ without the extension. The data is
/// handed over as it is: `Handlebars::render` would first copy it through serde.
pub fn render(name: &str, data: Value) -> Result<String, RenderError> {
    REGISTRY.render_with_context(name, &Context::from(data))
}

/// A whole page in one buffer: the layout's head, the page, the layout's foot, all from
/// the page's data (its `layout` key). Drawing the page first and pasting it into the
/// layout copied it twice and grew two strings a doubling at a time.
///
/// Pages with many rows build `data` with `json!` and move the row vectors in afterwards
/// (`data["rows"] = rows.into()`): `json!` serialises each value it is given, so rows put
/// inside it are copied whole and then dropped.
pub fn render_page(template: &str, data: Value) -> Result<Vec<u8>, RenderError> {
    in_layout(data, |ctx, html| {
        REGISTRY.render_with_context_to_write(template, ctx, html)
    })
}

/// A page whose body is a compiled (askama) template, inside the same layout, which is
/// drawn from `data` alone. The pages of many rows use it (a cohort's roster and
/// attendance sheet, the cohort and candidate lists, the pipeline board): handlebars looks
/// up every `{{value}}` of every row by name at run time, about 8 µs a row, which capped
/// the attendance sheet at a few hundred pages a second; askama's Rust code writes the
/// same row in well under a microsecond.
pub fn render_compiled_page(
    data: Value,
    page: &impl askama::Template,
) -> Result<Vec<u8>, RenderError> {
    in_layout(data, |_, html| {
        Ok(askama::Template::write_into(page, html)?)
    })
}

fn in_layout(
    data: Value,
    body: impl FnOnce(&Context, &mut Vec<u8>) -> Result<(), RenderError>,
) -> Result<Vec<u8>, RenderError> {
    let ctx = Context::from(data);
    let mut html = Vec::with_capacity(PAGE_BUFFER);
    REGISTRY.render_with_context_to_write("layout/head", &ctx, &mut html)?;
    body(&ctx, &mut html)?;
    REGISTRY.render_with_context_to_write("layout/foot", &ctx, &mut html)?;
    Ok(html)
}

/// Room for most pages at the first try (a 50-row list is about 40 KiB).
const PAGE_BUFFER: usize = 64 * 1024;

pub fn render_text(name: &str, data: &impl Serialize) -> Result<String, handlebars::RenderError> {
    TEXT_REGISTRY.render(name, data)
}

/// The stand-alone error page: it needs no request, so it can be drawn from anywhere.
pub fn error_page(status: StatusCode, title: &str, detail: &str) -> String {
    let data = serde_json::json!({
        "status": status.as_u16(),
        "title": title,
        "detail": detail,
    });
    render("error", data).unwrap_or_else(|_| format!("{} {}", status.as_u16(), title))
}

/// Fails at start-up rather than on the first request if a template does not compile.
pub fn check_templates() {
    LazyLock::force(&REGISTRY);
    LazyLock::force(&TEXT_REGISTRY);
}

/// A CSV download.
pub fn csv_response(filename: &str, body: String) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
}

/// A CSV download written a batch at a time, so a million rows never sit in memory.
/// `batch(cursor)` gives the next batch's lines and the cursor after it (None: the end);
/// the first call gets None.
pub fn csv_stream<F, Fut>(filename: &str, header: String, batch: F) -> actix_web::HttpResponse
where
    F: Fn(Option<i64>) -> Fut + 'static,
    Fut: std::future::Future<Output = crate::error::AppResult<(String, Option<i64>)>> + 'static,
{
    let batch = std::rc::Rc::new(batch);
    // State: the header still to send, and the cursor (outer None: finished).
    let body = futures_util::stream::unfold(
        (Some(header), Some(None::<i64>), batch),
        |(header, cursor, batch)| async move {
            if let Some(h) = header {
                return Some((Ok(actix_web::web::Bytes::from(h)), (None, cursor, batch)));
            }
            let cursor = cursor?;
            match batch(cursor).await {
                Ok((lines, next)) if !lines.is_empty() || next.is_some() => Some((
                    Ok(actix_web::web::Bytes::from(lines)),
                    (None, next.map(Some), batch),
                )),
                Ok(_) => None,
                Err(e) => Some((Err(actix_web::Error::from(e)), (None, None, batch))),
            }
        },
    );
    actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(body)
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escaping_matches_handlebars_own() {
        for s in [
            "",
            "plain text, nothing to do",
            "<script>alert('x')</script>",
            "a & b = \"c\" `d` > e",
            "Zoë <zoe@example.com> · 5 €",
            "ends with &",
        ] {
            assert_eq!(escape_html(s), handlebars::html_escape(s), "{s}");
        }
    }
}
