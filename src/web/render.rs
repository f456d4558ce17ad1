//! Handlebars templates, embedded in the binary and registered once.

use actix_web::http::StatusCode;
use handlebars::Handlebars;
use serde::Serialize;
use std::sync::LazyLock;

#[derive(rust_embed::RustEmbed)]
#[folder = "templates/"]
struct Templates;

static REGISTRY: LazyLock<Handlebars<'static>> = LazyLock::new(|| {
    let mut hb = Handlebars::new();
    hb.register_embed_templates_with_extension::<Templates>(".hbs")
        .expect("templates compile");
    hb.register_helper("eq", Box::new(eq_helper));
    hb.register_helper("when", Box::new(when_helper));
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

/// Renders a template by its path under templates/ without the extension.
pub fn render(name: &str, data: &impl Serialize) -> Result<String, handlebars::RenderError> {
    REGISTRY.render(name, data)
}

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
    render("error", &data).unwrap_or_else(|_| format!("{} {}", status.as_u16(), title))
}

/// Fails at start-up rather than on the first request if a template does not compile.
pub fn check_templates() {
    LazyLock::force(&REGISTRY);
    LazyLock::force(&TEXT_REGISTRY);
}
