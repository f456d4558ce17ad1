//! Server-rendered SVG charts for reports: horizontal bars, stacked or grouped bars with
//! a legend, paired dots ("theirs vs panel") on a shared scale, and lines over time.
//!
//! Every chart is one self-contained `<svg>` string: a `<title>` and `<desc>` named by
//! `aria-labelledby`, text labels (escaped here, so any user text is safe), colours given
//! as presentation attributes (`fill=`, `stroke=`; the CSP forbids `style=`), and classes
//! that `static/app.css` sizes. Colours within a chart differ in lightness as well as hue,
//! so they still read in greyscale; values are written beside or inside the bars too.
//! Templates insert the string with a triple-stash: it holds no unescaped input.

use std::fmt::Write;

/// Width of every chart's coordinate system; the CSS scales it to the page.
const WIDTH: f64 = 720.0;
/// Room for the row labels on the left and for the value text on the right.
const LABEL_W: f64 = 190.0;
const VALUE_W: f64 = 80.0;
const ROW_H: f64 = 28.0;
const BAR_H: f64 = 18.0;
const TOP: f64 = 8.0;
/// Labels longer than this are shortened; the full text stays in a tooltip `<title>`.
const MAX_LABEL: usize = 28;

/// Escapes text for SVG element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_string()
    } else {
        let cut: String = label.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Numbers in coordinates: one decimal is plenty, and never "NaN".
fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// An identifier safe inside `id=`: letters, digits, `-` and `_` only.
fn safe_id(id: &str) -> String {
    let s: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if s.is_empty() {
        "chart".into()
    } else {
        s
    }
}

/// A colour's relative luminance (0 black .. 1 white), to pick readable text on it.
fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    if h.len() != 6 {
        return 1.0;
    }
    let ch = |i: usize| {
        let v = u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(255) as f64 / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(0) + 0.7152 * ch(2) + 0.0722 * ch(4)
}

fn ink_on(fill: &str) -> &'static str {
    if luminance(fill) < 0.3 {
        "#ffffff"
    } else {
        "#1d2433"
    }
}

/// The opening tag with title and description, and the matching close.
fn open(out: &mut String, id: &str, title: &str, desc: &str, height: f64) {
    let id = safe_id(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{t}</title><desc id=\"{id}-desc\">{d}</desc>",
        w = n(WIDTH),
        h = n(height),
        t = esc(title),
        d = esc(desc),
    );
}

fn row_label(out: &mut String, label: &str, y: f64) {
    let _ = write!(
        out,
        "<text class=\"chart-label\" x=\"{x}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{t}</text>",
        x = n(LABEL_W - 8.0),
        y = n(y),
        t = esc(&short(label)),
    );
}

/// Scales `v` from `0..=max` onto `0..=width`; a zero or negative max draws nothing.
pub fn scale(v: f64, max: f64, width: f64) -> f64 {
    if max <= 0.0 || !v.is_finite() || v <= 0.0 {
        0.0
    } else {
        (v.min(max) / max) * width
    }
}

/// One bar of a [`hbar`] chart: its label, its length, and the text written after it.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

pub const BAR_FILL: &str = "#3b5bdb";

/// A horizontal bar chart, one bar per row, scaled to the largest value.
pub fn hbar(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let height = TOP * 2.0 + ROW_H * bars.len().max(1) as f64;
    let plot = WIDTH - LABEL_W - VALUE_W;
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let w = scale(b.value, max, plot);
        let _ = write!(
            out,
            "<g class=\"chart-row\"><title>{}: {}</title>",
            esc(&b.label),
            esc(&b.text)
        );
        row_label(&mut out, &b.label, y + ROW_H / 2.0);
        let _ = write!(
            out,
            "<rect class=\"chart-bar\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{BAR_FILL}\"/>\
             <text class=\"chart-value\" x=\"{tx}\" y=\"{ty}\" dominant-baseline=\"middle\">{t}</text></g>",
            x = n(LABEL_W),
            y = n(y + (ROW_H - BAR_H) / 2.0),
            w = n(w),
            h = n(BAR_H),
            tx = n(LABEL_W + w + 6.0),
            ty = n(y + ROW_H / 2.0),
            t = esc(&b.text),
        );
    }
    out.push_str("</svg>");
    out
}

/// A named series of a [`multi_hbar`] chart and its fill colour (`#rrggbb`).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub fill: String,
}

/// Series colours that step from dark to light, so they stay apart in greyscale.
pub const RAMP: [&str; 5] = ["#1b2a5e", "#3b5bdb", "#748ffc", "#bac8ff", "#edf2ff"];

/// One row of a [`multi_hbar`] chart: one value per series.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    pub values: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Segments end to end; the total is written after the bar.
    Stacked,
    /// One thin bar per series under each other, each with its value.
    Grouped,
}

const LEGEND_H: f64 = 26.0;

fn legend(out: &mut String, series: &[Series]) {
    let mut x = LABEL_W;
    for s in series {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{f}\" stroke=\"#1d2433\" stroke-width=\"0.5\"/>\
             <text class=\"chart-legend\" x=\"{tx}\" y=\"{ty}\" dominant-baseline=\"middle\">{t}</text>",
            x = n(x),
            y = n(TOP),
            f = esc(&s.fill),
            tx = n(x + 17.0),
            ty = n(TOP + 6.0),
            t = esc(&s.name),
        );
        x += 17.0 + 7.5 * s.name.chars().count() as f64 + 18.0;
    }
}

/// Bars split by series, stacked end to end or grouped under each other, with a legend.
/// Missing values count as zero. Stacked bars scale to the largest row total.
pub fn multi_hbar(
    id: &str,
    title: &str,
    desc: &str,
    layout: Layout,
    series: &[Series],
    rows: &[Row],
) -> String {
    let per_row = match layout {
        Layout::Stacked => ROW_H,
        Layout::Grouped => (BAR_H * 0.7) * series.len().max(1) as f64 + 10.0,
    };
    let height = TOP * 2.0 + LEGEND_H + per_row * rows.len().max(1) as f64;
    let plot = WIDTH - LABEL_W - VALUE_W;
    let value = |r: &Row, i: usize| r.values.get(i).copied().unwrap_or(0.0).max(0.0);
    let max = match layout {
        Layout::Stacked => rows
            .iter()
            .map(|r| (0..series.len()).map(|i| value(r, i)).sum::<f64>())
            .fold(0.0, f64::max),
        Layout::Grouped => rows
            .iter()
            .flat_map(|r| (0..series.len()).map(move |i| value(r, i)))
            .fold(0.0, f64::max),
    };
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    legend(&mut out, series);
    for (ri, r) in rows.iter().enumerate() {
        let y0 = TOP + LEGEND_H + per_row * ri as f64;
        let parts: Vec<String> = series
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{} {}", s.name, n(value(r, i))))
            .collect();
        let _ = write!(
            out,
            "<g class=\"chart-row\"><title>{}: {}</title>",
            esc(&r.label),
            esc(&parts.join(", "))
        );
        row_label(&mut out, &r.label, y0 + per_row / 2.0);
        match layout {
            Layout::Stacked => {
                let mut x = LABEL_W;
                let mut total = 0.0;
                for (i, s) in series.iter().enumerate() {
                    let v = value(r, i);
                    total += v;
                    let w = scale(v, max, plot);
                    if w <= 0.0 {
                        continue;
                    }
                    let _ = write!(
                        out,
                        "<rect class=\"chart-seg\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{f}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                        x = n(x),
                        y = n(y0 + (ROW_H - BAR_H) / 2.0),
                        w = n(w),
                        h = n(BAR_H),
                        f = esc(&s.fill),
                    );
                    if w >= 22.0 {
                        let _ = write!(
                            out,
                            "<text class=\"chart-inside\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\" dominant-baseline=\"middle\" fill=\"{ink}\">{t}</text>",
                            tx = n(x + w / 2.0),
                            ty = n(y0 + ROW_H / 2.0),
                            ink = ink_on(&s.fill),
                            t = n(v),
                        );
                    }
                    x += w;
                }
                let _ = write!(
                    out,
                    "<text class=\"chart-value\" x=\"{tx}\" y=\"{ty}\" dominant-baseline=\"middle\">{t}</text>",
                    tx = n(x + 6.0),
                    ty = n(y0 + ROW_H / 2.0),
                    t = n(total),
                );
            }
            Layout::Grouped => {
                let bh = BAR_H * 0.7;
                for (i, s) in series.iter().enumerate() {
                    let v = value(r, i);
                    let w = scale(v, max, plot);
                    let y = y0 + 5.0 + bh * i as f64;
                    let _ = write!(
                        out,
                        "<rect class=\"chart-seg\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{f}\" stroke=\"#1d2433\" stroke-width=\"0.5\"/>\
                         <text class=\"chart-value small\" x=\"{tx}\" y=\"{ty}\" dominant-baseline=\"middle\">{t}</text>",
                        x = n(LABEL_W),
                        y = n(y),
                        w = n(w),
                        h = n(bh - 1.0),
                        f = esc(&s.fill),
                        tx = n(LABEL_W + w + 5.0),
                        ty = n(y + bh / 2.0),
                        t = n(v),
                    );
                }
            }
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// One row of a [`paired_dots`] chart: the subject's value and the comparison value.
#[derive(Debug, Clone)]
pub struct Pair {
    pub label: String,
    pub mine: Option<f64>,
    pub other: Option<f64>,
}

/// Two values per row on one scale (`lo..=hi`): `mine` as a filled dot, `other` as a
/// hollow ring, joined by a line. Shape, not colour, tells them apart.
pub fn paired_dots(
    id: &str,
    title: &str,
    desc: &str,
    names: (&str, &str),
    range: (f64, f64),
    rows: &[Pair],
) -> String {
    let (lo, hi) = if range.1 > range.0 {
        range
    } else {
        (range.0, range.0 + 1.0)
    };
    let axis_h = 20.0;
    let height = TOP * 2.0 + LEGEND_H + axis_h + ROW_H * rows.len().max(1) as f64;
    let plot = WIDTH - LABEL_W - VALUE_W;
    let x_of = |v: f64| LABEL_W + scale(v - lo, hi - lo, plot);
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    // Legend: the shapes themselves.
    let _ = write!(
        out,
        "<circle cx=\"{x1}\" cy=\"{y}\" r=\"6\" fill=\"#1d2433\"/>\
         <text class=\"chart-legend\" x=\"{t1}\" y=\"{y}\" dominant-baseline=\"middle\">{a}</text>\
         <circle cx=\"{x2}\" cy=\"{y}\" r=\"5.5\" fill=\"#ffffff\" stroke=\"#1d2433\" stroke-width=\"2\"/>\
         <text class=\"chart-legend\" x=\"{t2}\" y=\"{y}\" dominant-baseline=\"middle\">{b}</text>",
        x1 = n(LABEL_W + 6.0),
        t1 = n(LABEL_W + 17.0),
        x2 = n(LABEL_W + 40.0 + 7.5 * names.0.chars().count() as f64),
        t2 = n(LABEL_W + 51.0 + 7.5 * names.0.chars().count() as f64),
        y = n(TOP + 6.0),
        a = esc(names.0),
        b = esc(names.1),
    );
    // Grid: a line and a label at each whole step of the scale.
    let plot_top = TOP + LEGEND_H;
    let plot_bottom = plot_top + ROW_H * rows.len().max(1) as f64;
    let steps = (hi - lo).round().clamp(1.0, 20.0) as i64;
    for k in 0..=steps {
        let v = lo + (hi - lo) * k as f64 / steps as f64;
        let x = x_of(v);
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{y1}\" x2=\"{x}\" y2=\"{y2}\" stroke=\"#dfe3ea\" stroke-width=\"1\"/>\
             <text class=\"chart-axis\" x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\">{t}</text>",
            x = n(x),
            y1 = n(plot_top),
            y2 = n(plot_bottom),
            ty = n(plot_bottom + 15.0),
            t = n(v),
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let cy = plot_top + ROW_H * i as f64 + ROW_H / 2.0;
        let show = |v: Option<f64>| v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "n/a".into());
        let _ = write!(
            out,
            "<g class=\"chart-row\"><title>{l}: {a} {va}, {b} {vb}</title>",
            l = esc(&r.label),
            a = esc(names.0),
            va = show(r.mine),
            b = esc(names.1),
            vb = show(r.other),
        );
        row_label(&mut out, &r.label, cy);
        if let (Some(a), Some(b)) = (r.mine, r.other) {
            let _ = write!(
                out,
                "<line x1=\"{x1}\" y1=\"{cy}\" x2=\"{x2}\" y2=\"{cy}\" stroke=\"#5f6878\" stroke-width=\"2\"/>",
                x1 = n(x_of(a)),
                x2 = n(x_of(b)),
                cy = n(cy),
            );
        }
        if let Some(b) = r.other {
            let _ = write!(
                out,
                "<circle class=\"chart-other\" cx=\"{x}\" cy=\"{cy}\" r=\"5.5\" fill=\"#ffffff\" stroke=\"#1d2433\" stroke-width=\"2\"/>",
                x = n(x_of(b)),
                cy = n(cy),
            );
        }
        if let Some(a) = r.mine {
            let _ = write!(
                out,
                "<circle class=\"chart-mine\" cx=\"{x}\" cy=\"{cy}\" r=\"6\" fill=\"#1d2433\"/>",
                x = n(x_of(a)),
                cy = n(cy),
            );
        }
        let _ = write!(
            out,
            "<text class=\"chart-value small\" x=\"{x}\" y=\"{cy}\" dominant-baseline=\"middle\">{a} / {b}</text></g>",
            x = n(WIDTH - VALUE_W + 8.0),
            cy = n(cy),
            a = r.mine.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into()),
            b = r.other.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into()),
        );
    }
    out.push_str("</svg>");
    out
}

/// One series of a [`lines`] chart: its name and a value (or a gap) at each x position.
#[derive(Debug, Clone)]
pub struct Line {
    pub name: String,
    pub points: Vec<Option<f64>>,
}

const LINE_PLOT_H: f64 = 220.0;
const LINE_LEFT: f64 = 56.0;
const LINE_RIGHT: f64 = 24.0;
/// Room under the plot for the x labels.
const LINE_BOTTOM: f64 = 30.0;

/// A marker for series `i`: a different shape for each, so series differ without colour.
fn marker(out: &mut String, i: usize, cx: f64, cy: f64, fill: &str) {
    let (x, y) = (n(cx), n(cy));
    let _ = match i % 4 {
        0 => write!(
            out,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"4.5\" fill=\"{fill}\"/>"
        ),
        1 => write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{fill}\"/>",
            n(cx - 4.0),
            n(cy - 4.0)
        ),
        2 => write!(
            out,
            "<path d=\"M{x} {y} m0 -5 l5 9 l-10 0 z\" fill=\"{fill}\"/>"
        ),
        _ => write!(
            out,
            "<path d=\"M{x} {y} m0 -5.5 l5.5 5.5 l-5.5 5.5 l-5.5 -5.5 z\" fill=\"{fill}\"/>"
        ),
    };
}

/// Values over time: one line per series across `x_labels` on a `0..=y_max` scale, the
/// axis numbers followed by `unit`. A missing value breaks its line. Each series has its
/// own marker shape and a colour from [`RAMP`] (dark to light), named in a legend; every
/// point carries its value in a tooltip.
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    x_labels: &[String],
    series: &[Line],
    y_max: f64,
    unit: &str,
) -> String {
    let y_max = if y_max > 0.0 && y_max.is_finite() {
        y_max
    } else {
        1.0
    };
    let plot_top = TOP + LEGEND_H;
    let plot_w = WIDTH - LINE_LEFT - LINE_RIGHT;
    let height = plot_top + LINE_PLOT_H + LINE_BOTTOM;
    let count = x_labels.len();
    let x_of = |i: usize| {
        if count <= 1 {
            LINE_LEFT + plot_w / 2.0
        } else {
            LINE_LEFT + plot_w * i as f64 / (count - 1) as f64
        }
    };
    let y_of = |v: f64| plot_top + LINE_PLOT_H - scale(v, y_max, LINE_PLOT_H);
    let colour = |i: usize| RAMP[i % (RAMP.len() - 1)];
    let mut out = String::new();
    open(&mut out, id, title, desc, height);
    // Legend: each series' marker and name.
    let mut lx = LINE_LEFT;
    for (i, s) in series.iter().enumerate() {
        marker(&mut out, i, lx + 5.0, TOP + 6.0, colour(i));
        let _ = write!(
            out,
            "<text class=\"chart-legend\" x=\"{x}\" y=\"{y}\" dominant-baseline=\"middle\">{t}</text>",
            x = n(lx + 14.0),
            y = n(TOP + 6.0),
            t = esc(&s.name),
        );
        lx += 14.0 + 7.5 * s.name.chars().count() as f64 + 18.0;
    }
    // Grid: four steps up the value axis.
    for k in 0..=4 {
        let v = y_max * k as f64 / 4.0;
        let y = y_of(v);
        let _ = write!(
            out,
            "<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#dfe3ea\" stroke-width=\"1\"/>\
             <text class=\"chart-axis\" x=\"{tx}\" y=\"{y}\" text-anchor=\"end\" dominant-baseline=\"middle\">{t}{u}</text>",
            x1 = n(LINE_LEFT),
            x2 = n(WIDTH - LINE_RIGHT),
            y = n(y),
            tx = n(LINE_LEFT - 6.0),
            t = n(v),
            u = esc(unit),
        );
    }
    // Time axis: at most about twelve labels.
    let every = count.div_ceil(12).max(1);
    for (i, l) in x_labels.iter().enumerate() {
        if i % every == 0 || i + 1 == count {
            let _ = write!(
                out,
                "<text class=\"chart-axis\" x=\"{x}\" y=\"{y}\" text-anchor=\"middle\">{t}</text>",
                x = n(x_of(i)),
                y = n(plot_top + LINE_PLOT_H + 18.0),
                t = esc(l),
            );
        }
    }
    for (si, s) in series.iter().enumerate() {
        let fill = colour(si);
        let _ = write!(
            out,
            "<g class=\"chart-line\"><title>{}</title>",
            esc(&s.name)
        );
        let mut run: Vec<(f64, f64)> = vec![];
        let flush = |out: &mut String, run: &mut Vec<(f64, f64)>| {
            if run.len() > 1 {
                let pts: Vec<String> = run
                    .iter()
                    .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
                    .collect();
                let _ = write!(
                    out,
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{fill}\" stroke-width=\"2\"/>",
                    pts.join(" ")
                );
            }
            run.clear();
        };
        for (i, p) in s.points.iter().enumerate().take(count) {
            match p {
                Some(v) if v.is_finite() => run.push((x_of(i), y_of(*v))),
                _ => flush(&mut out, &mut run),
            }
        }
        flush(&mut out, &mut run);
        for (i, p) in s.points.iter().enumerate().take(count) {
            if let Some(v) = p.filter(|v| v.is_finite()) {
                let _ = write!(
                    out,
                    "<g class=\"chart-point\"><title>{s}, {x}: {v}{u}</title>",
                    s = esc(&s.name),
                    x = esc(&x_labels[i]),
                    v = n(v),
                    u = esc(unit),
                );
                marker(&mut out, si, x_of(i), y_of(v), fill);
                out.push_str("</g>");
            }
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small check that the output is well-formed XML: every tag closes in order,
    /// attribute values are quoted, and no raw `<` or `&` sits in text.
    fn well_formed(svg: &str) -> Result<(), String> {
        let mut stack: Vec<String> = vec![];
        let mut rest = svg;
        while let Some(i) = rest.find(['<', '&']) {
            let text = &rest[..i];
            if text.contains('>') {
                return Err(format!("stray '>' in text {text:?}"));
            }
            rest = &rest[i..];
            if rest.starts_with('&') {
                let end = rest.find(';').ok_or("entity without ;")?;
                let ent = &rest[1..end];
                if !matches!(ent, "amp" | "lt" | "gt" | "quot" | "#39") {
                    return Err(format!("unknown entity {ent}"));
                }
                rest = &rest[end + 1..];
                continue;
            }
            let end = rest.find('>').ok_or("unclosed tag")?;
            let tag = &rest[1..end];
            rest = &rest[end + 1..];
            if tag.contains('<') {
                return Err(format!("'<' inside tag {tag}"));
            }
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
            } else {
                let name: String = tag
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '/')
                    .collect();
                if !tag.matches('"').count().is_multiple_of(2) {
                    return Err(format!("unbalanced quotes in <{tag}>"));
                }
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
        }
        if stack.is_empty() {
            Ok(())
        } else {
            Err(format!("unclosed {stack:?}"))
        }
    }

    fn widths(svg: &str, class: &str) -> Vec<f64> {
        svg.split(&format!("<rect class=\"{class}\""))
            .skip(1)
            .map(|s| {
                let w = s.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect()
    }

    fn bars(values: &[(&str, f64)]) -> Vec<Bar> {
        values
            .iter()
            .map(|(l, v)| Bar {
                label: l.to_string(),
                value: *v,
                text: n(*v),
            })
            .collect()
    }

    #[test]
    fn bar_chart_is_well_formed_titled_and_scaled_to_the_largest_bar() {
        let svg = hbar(
            "funnel",
            "Funnel",
            "How far candidates got",
            &bars(&[("Applied", 10.0), ("Screening", 5.0), ("Hired", 0.0)]),
        );
        well_formed(&svg).unwrap();
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("<title id=\"funnel-title\">Funnel</title>"));
        assert!(svg.contains("aria-labelledby=\"funnel-title funnel-desc\""));
        assert!(!svg.contains("style="), "the CSP forbids style attributes");
        let plot = WIDTH - LABEL_W - VALUE_W;
        assert_eq!(
            widths(&svg, "chart-bar"),
            vec![
                n(plot).parse::<f64>().unwrap(),
                n(plot / 2.0).parse().unwrap(),
                0.0
            ]
        );
    }

    #[test]
    fn all_zero_or_empty_charts_draw_no_bars_and_stay_well_formed() {
        let svg = hbar("z", "Nothing", "", &bars(&[("A", 0.0), ("B", 0.0)]));
        well_formed(&svg).unwrap();
        assert_eq!(widths(&svg, "chart-bar"), vec![0.0, 0.0]);
        let empty = multi_hbar("e", "Empty", "", Layout::Stacked, &[], &[]);
        well_formed(&empty).unwrap();
        assert!(!empty.contains("NaN"));
        let dots = paired_dots("d", "Dots", "", ("Mine", "Panel"), (1.0, 5.0), &[]);
        well_formed(&dots).unwrap();
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let svg = hbar(
            "x\"><script>",
            "Tom & Jerry <b>",
            "a \"quoted\" 'desc'",
            &bars(&[("<script>alert(1)</script>", 1.0)]),
        );
        well_formed(&svg).unwrap();
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("Tom &amp; Jerry &lt;b&gt;"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(
            svg.contains("id=\"xscript-title\""),
            "ids keep only safe characters"
        );
        let dots = paired_dots(
            "p",
            "T",
            "D",
            ("Mine & co", "Panel <all>"),
            (1.0, 5.0),
            &[Pair {
                label: "Be \"Humble\"".into(),
                mine: Some(2.0),
                other: None,
            }],
        );
        well_formed(&dots).unwrap();
        assert!(dots.contains("Be &quot;Humble&quot;"));
        assert!(dots.contains("Panel &lt;all&gt;"));
    }

    #[test]
    fn long_labels_are_shortened_but_kept_whole_in_the_tooltip() {
        let long = "Build Open and Honest Relationships With Communication";
        let svg = hbar("l", "T", "D", &bars(&[(long, 1.0)]));
        assert!(svg.contains(&format!("<title>{long}: 1</title>")));
        assert!(svg.contains("Build Open and Honest Relat…"));
    }

    #[test]
    fn stacked_segments_share_one_scale_and_grouped_bars_scale_to_the_largest_value() {
        let series: Vec<Series> = ["Strong no", "No", "Yes"]
            .iter()
            .zip(RAMP)
            .map(|(name, fill)| Series {
                name: name.to_string(),
                fill: fill.into(),
            })
            .collect();
        let rows = vec![
            Row {
                label: "Ann".into(),
                values: vec![1.0, 1.0, 2.0],
            },
            Row {
                label: "Bob".into(),
                values: vec![0.0, 2.0],
            },
        ];
        let svg = multi_hbar("s", "Stacked", "D", Layout::Stacked, &series, &rows);
        well_formed(&svg).unwrap();
        let plot = WIDTH - LABEL_W - VALUE_W;
        // Ann's total of 4 fills the plot; Bob's zero segment is not drawn.
        let w = widths(&svg, "chart-seg");
        assert_eq!(w.len(), 4);
        assert!((w[0] - plot / 4.0).abs() < 0.1 && (w[2] - plot / 2.0).abs() < 0.1);
        assert!((w[3] - plot / 2.0).abs() < 0.1);
        assert!(svg.contains(">Strong no</text>"), "legend names the series");
        assert!(svg.contains("<title>Ann: Strong no 1, No 1, Yes 2</title>"));
        let grouped = multi_hbar("g", "Grouped", "D", Layout::Grouped, &series, &rows);
        well_formed(&grouped).unwrap();
        let w = widths(&grouped, "chart-seg");
        assert_eq!(w.len(), 6, "grouped draws every series, zero included");
        assert!((w[2] - plot).abs() < 0.1 && (w[4] - plot).abs() < 0.1);
    }

    #[test]
    fn text_on_dark_segments_is_white_and_the_ramp_steps_in_lightness() {
        assert_eq!(ink_on(RAMP[0]), "#ffffff");
        assert_eq!(ink_on(RAMP[4]), "#1d2433");
        let l: Vec<f64> = RAMP.iter().map(|c| luminance(c)).collect();
        assert!(l.windows(2).all(|w| w[1] - w[0] > 0.08), "{l:?}");
    }

    #[test]
    fn paired_dots_place_values_on_the_scale() {
        let rows = vec![
            Pair {
                label: "Be Humble".into(),
                mine: Some(5.0),
                other: Some(3.0),
            },
            Pair {
                label: "Do More With Less".into(),
                mine: Some(1.0),
                other: None,
            },
        ];
        let svg = paired_dots(
            "c",
            "Calibration",
            "D",
            ("Theirs", "Panel"),
            (1.0, 5.0),
            &rows,
        );
        well_formed(&svg).unwrap();
        let plot = WIDTH - LABEL_W - VALUE_W;
        let mine_x = format!("class=\"chart-mine\" cx=\"{}\"", n(LABEL_W + plot));
        let panel_x = format!("class=\"chart-other\" cx=\"{}\"", n(LABEL_W + plot / 2.0));
        assert!(svg.contains(&mine_x) && svg.contains(&panel_x), "{svg}");
        assert!(svg.contains(&format!("class=\"chart-mine\" cx=\"{}\"", n(LABEL_W))));
        assert_eq!(
            svg.matches("class=\"chart-other\"").count(),
            1,
            "no panel value, no ring"
        );
        assert!(svg.contains("<title>Do More With Less: Theirs 1.00, Panel n/a</title>"));
    }

    #[test]
    fn lines_place_points_on_the_scale_and_break_at_gaps() {
        let labels: Vec<String> = ["Jan", "Feb", "Mar"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let svg = lines(
            "uptake",
            "Uptake <by> bonus",
            "",
            &labels,
            &[
                Line {
                    name: "$1,000".into(),
                    points: vec![Some(0.0), Some(5.0), None],
                },
                Line {
                    name: "$2,000".into(),
                    points: vec![None, Some(10.0), Some(2.5)],
                },
                Line {
                    name: "$3,000".into(),
                    points: vec![Some(1.0), None, Some(1.0)],
                },
            ],
            10.0,
            "%",
        );
        well_formed(&svg).unwrap();
        assert!(svg.contains("Uptake &lt;by&gt; bonus"));
        assert!(!svg.contains("style="));
        // Two joined points each for the first two; the third is broken by its gap.
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert_eq!(svg.matches("class=\"chart-point\"").count(), 6);
        let bottom = TOP + LEGEND_H + LINE_PLOT_H;
        // Jan at 0% sits on the axis at the left; Feb at 10% at the top in the middle.
        assert!(svg.contains(&format!("cx=\"{}\" cy=\"{}\"", n(LINE_LEFT), n(bottom))));
        assert!(svg.contains(&format!(
            "points=\"{},{} {},{}\"",
            n(LINE_LEFT + (WIDTH - LINE_LEFT - LINE_RIGHT) / 2.0),
            n(TOP + LEGEND_H),
            n(WIDTH - LINE_RIGHT),
            n(bottom - LINE_PLOT_H / 4.0)
        )));
        assert!(svg.contains("<title>$2,000, Feb: 10%</title>"));
        let empty = lines("e", "Empty", "", &[], &[], 0.0, "%");
        well_formed(&empty).unwrap();
        assert!(!empty.contains("NaN"));
    }
}
