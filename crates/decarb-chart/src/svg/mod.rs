//! The one SVG renderer of the dashboard, the briefs and the CLI's chart files: lines over years
//! (with uncertainty bands and year markers), stacked columns and horizontal bars, built with maud
//! (every text escaped). Series take their colours from the palette ([`crate::colour_for`]) by
//! what they name, so a series has one colour on every page, in every brief and in every file.
//! The dashboard's and the briefs' charts are `<figure>`s (this module); the CLI's are standalone
//! documents of small multiples ([`doc`]); [`check`] tests what both promise about their layout.
//!
//! A chart is drawn the same way in both places; its [`Frame`] decides only what surrounds it: on
//! a dashboard page the figure carries its data as JSON (the CSV download), hover values on every
//! point and legend buttons that toggle series (`assets/app.js`); in print (a brief) the legend
//! and unit are drawn inside the SVG, and the caption goes under it.

use crate::{colour_for, neutral, num, okabe_ito};
use maud::html;
pub use maud::{Markup, PreEscaped};
use std::fmt::Write as _;

pub mod check;
pub mod doc;

/// The data behind a chart, as the dashboard's CSV download writes it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Dataset {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// One named series of (x, y) points, with an optional band (x, low, high) drawn under it.
#[derive(Debug, Clone, Default)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    pub band: Vec<(f64, f64, f64)>,
}

/// What surrounds a chart.
#[derive(Debug, Clone)]
pub enum Frame<'a> {
    /// A dashboard figure: its id (also the CSV file's name), title, unit and data.
    Page { id: &'a str, title: &'a str, unit: &'a str, data: &'a Dataset },
    /// A printed figure (a brief): the unit drawn in the chart and a caption under it (markup:
    /// it may carry footnote references).
    Print { unit: &'a str, caption: Markup },
}

impl Frame<'_> {
    fn unit(&self) -> &str {
        match self {
            Frame::Page { unit, .. } | Frame::Print { unit, .. } => unit,
        }
    }

    fn title(&self) -> &str {
        match self {
            Frame::Page { title, .. } => title,
            Frame::Print { .. } => "",
        }
    }

    fn is_print(&self) -> bool {
        matches!(self, Frame::Print { .. })
    }
}

const W: f64 = 720.0;
const H: f64 = 320.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;
/// Room right of the plot for a printed chart's legend.
const LEGEND: f64 = 230.0;
/// The charts' font size (the `font-size` of their `svg` element), for fitting labels.
const FONT: f64 = 11.0;
/// The longest a turned category label may be: its lower end stays above the figure's bottom.
const TURNED: f64 = 110.0;

pub(crate) fn f1(v: f64) -> String {
    format!("{v:.1}")
}

/// Round tick values covering `[lo, hi]` (steps of 1, 2, 2.5 or 5 x 10^n).
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let span = (hi - lo).max(f64::EPSILON);
    let raw = span / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| span / s <= count as f64)
        .unwrap_or(10.0 * magnitude);
    let start = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut v = start;
    while v <= hi + step * 0.5 && out.len() < 50 {
        out.push(v);
        v += step;
    }
    out
}

/// `data` as JSON to sit inside a `<script>` element: every `<` (which JSON holds only inside
/// strings) written as `\u003c`, so no text of the data can end or open an element there.
pub fn script_json(data: &impl serde::Serialize) -> String {
    serde_json::to_string(data).unwrap_or_else(|_| "{}".to_owned()).replace('<', "\\u003c")
}

/// The figure around an SVG: the dashboard's (title, CSV button, data, legend buttons) or print's.
fn figure(frame: &Frame, svg: &Markup, legend: &[String]) -> Markup {
    match frame {
        Frame::Page { id, title, unit, data } => {
            let json = script_json(data);
            html! {
                figure.chart id=(id) data-name=(id) {
                    figcaption {
                        span.title { (title) } " " span.unit { (unit) } " "
                        button.csv type="button" data-for=(id) { "CSV" }
                    }
                    script.chart-data type="application/json" { (PreEscaped(json)) }
                    (svg)
                    @if !legend.is_empty() {
                        div.legend {
                            @for (i, name) in legend.iter().enumerate() {
                                button.legend-item type="button" data-series=(i) aria-pressed="true" {
                                    span.swatch style={ "background:" (colour_for(name).hex()) } {}
                                    (name)
                                }
                            }
                        }
                    }
                }
            }
        }
        Frame::Print { caption, .. } => html! { figure { (svg) figcaption { (caption) } } },
    }
}

fn empty(frame: &Frame) -> Markup {
    match frame {
        Frame::Page { .. } => figure(frame, &html! { p.empty { "No data." } }, &[]),
        Frame::Print { .. } => html! {},
    }
}

/// The SVG element: the plot, and in print the legend and unit beside it.
fn svg(frame: &Frame, height: f64, legend: &[String], plot: &Markup) -> Markup {
    // A printed legend's room widens to its longest name, so no name is cut (issue 17).
    let longest = legend.iter().map(|name| doc::text_width(name, FONT)).fold(0.0, f64::max);
    let width = if frame.is_print() { (W + LEGEND).max((W - RIGHT + 30.0 + longest).ceil()) } else { W };
    html! {
        svg viewBox={ "0 0 " (width) " " (height.round()) } role="img" aria-label=(frame.title()) font-size="11" {
            (plot)
            @if frame.is_print() {
                text x="4" y="11" fill=(neutral::MUTED.hex()) { (frame.unit()) }
                @for (i, name) in legend.iter().enumerate() {
                    @let y = TOP + 14.0 * i as f64;
                    rect x=(W - RIGHT + 12.0) y=(y) width="10" height="10" fill=(colour_for(name).hex()) {}
                    text x=(W - RIGHT + 26.0) y=(y + 9.0) { (name) }
                }
            }
        }
    }
}

/// Horizontal grid lines and their values.
fn y_axis(lo: f64, hi: f64, y: &dyn Fn(f64) -> f64) -> Markup {
    let digits = usize::from(hi - lo < 10.0);
    html! {
        @for t in ticks(lo, hi, 5).into_iter().filter(|t| *t >= lo - 1e-9 && *t <= hi + 1e-9) {
            line.grid x1=(LEFT) x2=(f1(W - RIGHT)) y1=(f1(y(t))) y2=(f1(y(t))) stroke=(neutral::GRID.hex()) {}
            text.tick x=(f1(LEFT - 6.0)) y=(f1(y(t) + 4.0)) text-anchor="end" { (num(t, digits)) }
        }
    }
}

/// Lines over a numeric x axis (years), with each series' band under it and vertical markers
/// (x, label) such as "2030".
pub fn lines(frame: &Frame, x_name: &str, series: &[Series], markers: &[(f64, String)]) -> Markup {
    let all: Vec<(f64, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    if all.is_empty() {
        return empty(frame);
    }
    let (x0, x1) = all.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let band_max =
        series.iter().flat_map(|s| s.band.iter().map(|b| b.2)).filter(|v| v.is_finite()).fold(0.0, f64::max);
    let y_max = all.iter().fold(band_max, |m, p| m.max(p.1));
    let y_min = all.iter().fold(0.0f64, |m, p| m.min(p.1));
    let y_hi = ticks(y_min, y_max, 5).last().copied().unwrap_or(y_max).max(y_max).max(f64::EPSILON);
    let x = |v: f64| LEFT + (v - x0) / (x1 - x0).max(1.0) * (W - LEFT - RIGHT);
    let y = |v: f64| TOP + (1.0 - (v - y_min) / (y_hi - y_min).max(f64::EPSILON)) * (H - TOP - BOTTOM);
    let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    let plot = html! {
        (y_axis(y_min, y_hi, &y))
        @for t in ticks(x0, x1, 8).into_iter().filter(|t| *t >= x0 - 1e-9 && *t <= x1 + 1e-9) {
            text.tick x=(f1(x(t))) y=(f1(H - BOTTOM + 16.0)) text-anchor="middle" { (num(t, 0).replace(',', "")) }
        }
        @if !x_name.is_empty() {
            text.axis-name x=(f1((LEFT + W - RIGHT) / 2.0)) y=(f1(H - 4.0)) text-anchor="middle" { (x_name) }
        }
        @for (at, label) in markers.iter().filter(|(m, _)| (x0..=x1).contains(m)) {
            (marker(x(*at), label))
        }
        @for (i, s) in series.iter().enumerate() {
            g.series data-series=(i) {
                @if !s.band.is_empty() {
                    polygon.band points=(band_points(&s.band, &x, &y)) fill=(colour_for(&s.name).hex())
                        fill-opacity="0.18" stroke="none" {}
                }
                path d=(line_path(&s.points, &x, &y)) fill="none" stroke=(colour_for(&s.name).hex()) stroke-width="2" {}
                @if !frame.is_print() {
                    @for &(px, py) in s.points.iter().filter(|p| p.1.is_finite()) {
                        @let label = format!("{} {}", s.name, num(px, 0).replace(',', ""));
                        circle.point cx=(f1(x(px))) cy=(f1(y(py))) r="3" fill=(colour_for(&s.name).hex())
                            data-label=(label) data-value=(py) { title { (label) ": " (num(py, 3)) } }
                    }
                }
            }
        }
    };
    figure(frame, &svg(frame, H, &names, &plot), &names)
}

/// A dashed vertical line at `x` with its label, kept inside the plot.
fn marker(x: f64, label: &str) -> Markup {
    let (anchor, text_x) = if x > (LEFT + W - RIGHT) / 2.0 { ("end", x - 3.0) } else { ("start", x + 3.0) };
    html! {
        line.marker x1=(f1(x)) x2=(f1(x)) y1=(TOP) y2=(H - BOTTOM) stroke=(neutral::MUTED.hex()) stroke-dasharray="4 3" {}
        text.marker x=(f1(text_x)) y=(TOP + 10.0) fill=(neutral::MUTED.hex()) text-anchor=(anchor) { (label) }
    }
}

fn line_path(points: &[(f64, f64)], x: &dyn Fn(f64) -> f64, y: &dyn Fn(f64) -> f64) -> String {
    let mut path = String::new();
    for (k, &(px, py)) in points.iter().filter(|p| p.1.is_finite()).enumerate() {
        let _ = write!(path, "{}{:.1},{:.1}", if k == 0 { "M" } else { " L" }, x(px), y(py));
    }
    path
}

fn band_points(band: &[(f64, f64, f64)], x: &dyn Fn(f64) -> f64, y: &dyn Fn(f64) -> f64) -> String {
    let upper = band.iter().map(|&(bx, _, hi)| format!("{:.1},{:.1}", x(bx), y(hi)));
    let lower = band.iter().rev().map(|&(bx, lo, _)| format!("{:.1},{:.1}", x(bx), y(lo)));
    upper.chain(lower).collect::<Vec<_>>().join(" ")
}

/// Stacked columns: one column per category, one stacked segment per series (name, value per
/// category). Many categories turn their labels.
pub fn stacked(frame: &Frame, categories: &[String], series: &[(String, Vec<f64>)]) -> Markup {
    if categories.is_empty() || series.is_empty() {
        return empty(frame);
    }
    let value = |s: &(String, Vec<f64>), c: usize| s.1.get(c).copied().unwrap_or(0.0).max(0.0);
    let max =
        (0..categories.len()).map(|c| series.iter().map(|s| value(s, c)).sum::<f64>()).fold(0.0, f64::max);
    let y_hi = ticks(0.0, max, 5).last().copied().unwrap_or(max).max(max).max(f64::EPSILON);
    let turned = categories.len() > 6;
    let height = if turned { H + 50.0 } else { H };
    let y = |v: f64| TOP + (1.0 - v / y_hi) * (H - TOP - BOTTOM);
    let slot = (W - LEFT - RIGHT) / categories.len() as f64;
    let bar = (slot * 0.7).max(1.0);
    let every = (categories.len() / 24).max(1);
    // Each series' segments: (category, value, top, bottom), stacked on the series before it.
    let mut base = vec![0.0; categories.len()];
    let segments: Vec<Vec<(usize, f64, f64, f64)>> = series
        .iter()
        .map(|s| {
            (0..categories.len())
                .filter_map(|c| {
                    let v = value(s, c);
                    let bottom = base[c];
                    base[c] += v;
                    (v > 0.0).then(|| (c, v, y(bottom + v), y(bottom)))
                })
                .collect()
        })
        .collect();
    let names: Vec<String> = series.iter().map(|s| s.0.clone()).collect();
    let plot = html! {
        (y_axis(0.0, y_hi, &y))
        @for (c, name) in categories.iter().enumerate().filter(|(c, _)| c % every == 0) {
            @let (cx, cy) = (f1(LEFT + slot * (c as f64 + 0.5)), f1(H - BOTTOM + 16.0));
            @if turned {
                text.tick x=(cx) y=(cy) text-anchor="end" transform={ "rotate(-35 " (cx) " " (cy) ")" } { (doc::fit(name, FONT, TURNED)) }
            } @else {
                text.tick x=(cx) y=(cy) text-anchor="middle" { (name) }
            }
        }
        @for (i, (s, segments)) in series.iter().zip(&segments).enumerate() {
            g.series data-series=(i) {
                @for &(c, v, top, bottom) in segments {
                    @let label = format!("{}, {}", s.0, categories[c]);
                    rect.point x=(f1(LEFT + slot * c as f64 + (slot - bar) / 2.0)) y=(f1(top)) width=(f1(bar))
                        height=(f1(bottom - top)) fill=(colour_for(&s.0).hex()) data-label=(label) data-value=(v) {
                        title { (label) ": " (num(v, 3)) " " (frame.unit()) }
                    }
                }
            }
        }
    };
    figure(frame, &svg(frame, height, &names, &plot), &names)
}

/// Horizontal bars, one per labelled value (a ranking, counts by stage), in one colour. Counts
/// read better without decimals: `digits` is 0 when every value is whole, else 2.
pub fn hbars(frame: &Frame, items: &[(String, f64)]) -> Markup {
    if items.is_empty() {
        return empty(frame);
    }
    let digits = if items.iter().all(|i| i.1.fract() == 0.0) { 0 } else { 2 };
    let row = 22.0;
    let label_w = 190.0;
    let max = items.iter().fold(0.0f64, |m, i| m.max(i.1)).max(f64::EPSILON);
    let unit = if frame.is_print() { frame.unit() } else { "" };
    let plot = html! {
        @for (k, (label, value)) in items.iter().enumerate() {
            @let py = TOP + row * k as f64;
            @let width = (value.max(0.0) / max * (W - label_w - 110.0)).max(0.5);
            g.series data-series=(k) {
                text.tick x=(label_w - 6.0) y=(f1(py + 15.0)) text-anchor="end" { (doc::fit(label, FONT, label_w - 10.0)) }
                rect.point x=(label_w) y=(f1(py)) width=(f1(width)) height=(row - 6.0) fill=(okabe_ito::BLUE.hex())
                    data-label=(label) data-value=(value) { title { (label) ": " (num(*value, digits)) } }
                text.value x=(f1(label_w + width + 6.0)) y=(f1(py + 15.0)) { (num(*value, digits)) " " (unit) }
            }
        }
    };
    let height = TOP + row * items.len() as f64 + 8.0;
    // One colour and labelled rows: no legend.
    let frame = match frame {
        Frame::Print { caption, .. } => Frame::Print { unit: "", caption: caption.clone() },
        Frame::Page { .. } => frame.clone(),
    };
    figure(&frame, &svg(&frame, height, &[], &plot), &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 2.3, 5), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);
        assert_eq!(ticks(2020.0, 2050.0, 8), vec![2020.0, 2025.0, 2030.0, 2035.0, 2040.0, 2045.0, 2050.0]);
    }

    #[test]
    fn charts_carry_their_data_one_point_per_value_and_escape_text() {
        let data = Dataset {
            columns: vec!["year".into(), "v".into()],
            rows: vec![vec![2020.into(), "</script><b>".into()]],
        };
        let frame = Frame::Page { id: "c", title: "T</script>", unit: "Mt", data: &data };
        let series =
            [Series { name: "<b>a".into(), points: vec![(2020.0, 1.5), (2030.0, 2.0)], ..Series::default() }];
        let svg = lines(&frame, "year", &series, &[]).into_string();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("data-value=\"1.5\""));
        assert!(svg.contains("\"columns\":[\"year\",\"v\"]"));
        assert!(!svg.contains("T</script>") && !svg.contains("<b>"));
        assert!(svg.contains("\\u003c/script>\\u003cb>"), "the data's text cannot end its script element");
        let print = hbars(&Frame::Print { unit: "Mt", caption: html! { "c" } }, &[("<b>".into(), 2.0)]);
        assert!(print.0.contains("&lt;b&gt;") && !print.0.contains("<b>"));
    }

    #[test]
    fn series_take_the_palette_colour_of_what_they_name() {
        let frame = Frame::Print { unit: "Mt", caption: html! {} };
        let series = [("steel".to_owned(), vec![1.0]), ("ammonia".to_owned(), vec![2.0])];
        let chart = stacked(&frame, &["2020".to_owned()], &series).into_string();
        for name in ["steel", "ammonia"] {
            assert!(chart.contains(&format!("fill=\"{}\"", colour_for(name).hex())), "{name}");
        }
    }
}
