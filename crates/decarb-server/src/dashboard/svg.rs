//! SVG charts drawn on the server: line charts, bar charts and stacked bar charts. Each chart is
//! a `<figure>` carrying its data as JSON (for the CSV download), a legend whose entries toggle
//! their series, and per-point `data-label`/`data-value` attributes the hover tooltip reads.

use std::fmt::Write as _;

/// The colour of a series, by what it names (decarb's one palette, `decarb_chart`): the same
/// series has the same colour on every page, in the briefs and in the CLI's charts.
pub fn colour(name: &str) -> String {
    decarb_chart::colour_for(name).hex()
}

/// The colour of a single-series chart (rankings, breakdowns).
fn single_colour() -> String {
    decarb_chart::okabe_ito::BLUE.hex()
}

// Escaping and number formatting are shared with the briefs, so a page and a brief print the
// same figure the same way.
pub use decarb_brief::html::{esc, num as fmt_num};

/// The data behind a chart or table, as the CSV download writes it.
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

const W: f64 = 720.0;
const H: f64 = 320.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

/// Round tick values covering `[lo, hi]`.
fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
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

fn figure_open(out: &mut String, id: &str, title: &str, unit: &str, data: &Dataset) {
    let json = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_owned()).replace("</", "<\\/");
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{id}\" data-name=\"{name}\"><figcaption><span class=\"title\">{title}</span> \
         <span class=\"unit\">{unit}</span> <button type=\"button\" class=\"csv\" data-for=\"{id}\">CSV</button></figcaption>\
         <script type=\"application/json\" class=\"chart-data\">{json}</script>",
        id = esc(id),
        name = esc(id),
        title = esc(title),
        unit = esc(unit),
    );
}

fn legend(out: &mut String, names: &[String]) {
    out.push_str("<div class=\"legend\">");
    for (i, name) in names.iter().enumerate() {
        let _ = write!(
            out,
            "<button type=\"button\" class=\"legend-item\" data-series=\"{i}\" aria-pressed=\"true\"><span class=\"swatch\" style=\"background:{}\"></span>{}</button>",
            colour(name),
            esc(name)
        );
    }
    out.push_str("</div>");
}

fn y_axis(out: &mut String, lo: f64, hi: f64, y: &dyn Fn(f64) -> f64, digits: usize) {
    for t in ticks(lo, hi, 5) {
        if t < lo - 1e-9 || t > hi + 1e-9 {
            continue;
        }
        let py = y(t);
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{py:.1}\" y2=\"{py:.1}\"/><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            W - RIGHT,
            LEFT - 6.0,
            py + 4.0,
            fmt_num(t, digits)
        );
    }
}

/// A line chart of several series over a numeric x axis (years).
pub fn line_chart(
    id: &str,
    title: &str,
    unit: &str,
    x_name: &str,
    series: &[Series],
    data: &Dataset,
) -> String {
    let mut out = String::new();
    figure_open(&mut out, id, title, unit, data);
    let all: Vec<(f64, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter().copied())
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    if all.is_empty() {
        out.push_str("<p class=\"empty\">No data.</p></figure>");
        return out;
    }
    let (x0, x1) = all.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
    let band_max = series
        .iter()
        .flat_map(|s| s.band.iter().map(|b| b.2))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let y_max = all.iter().fold(band_max, |m, p| m.max(p.1));
    let y_min = all.iter().fold(0.0f64, |m, p| m.min(p.1));
    let y_hi = ticks(y_min, y_max, 5).last().copied().unwrap_or(y_max).max(y_max).max(f64::EPSILON);
    let x = |v: f64| LEFT + (v - x0) / (x1 - x0).max(1.0) * (W - LEFT - RIGHT);
    let y = |v: f64| TOP + (1.0 - (v - y_min) / (y_hi - y_min).max(f64::EPSILON)) * (H - TOP - BOTTOM);
    let _ = write!(out, "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">", esc(title));
    let digits = usize::from(y_hi < 10.0);
    y_axis(&mut out, y_min, y_hi, &y, digits);
    for t in ticks(x0, x1, 8) {
        if t < x0 - 1e-9 || t > x1 + 1e-9 {
            continue;
        }
        let _ = write!(
            out,
            "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(t),
            H - BOTTOM + 16.0,
            fmt_num(t, 0).replace(',', "")
        );
    }
    let _ = write!(
        out,
        "<text class=\"axis-name\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
        (LEFT + W - RIGHT) / 2.0,
        H - 4.0,
        esc(x_name)
    );
    for (i, s) in series.iter().enumerate() {
        let mut path = String::new();
        for (k, &(px, py)) in s.points.iter().filter(|p| p.1.is_finite()).enumerate() {
            let _ = write!(path, "{}{:.1},{:.1}", if k == 0 { "M" } else { " L" }, x(px), y(py));
        }
        let _ = write!(out, "<g class=\"series\" data-series=\"{i}\">");
        if !s.band.is_empty() {
            let mut polygon = String::new();
            for &(bx, _, hi) in &s.band {
                let _ = write!(polygon, "{:.1},{:.1} ", x(bx), y(hi));
            }
            for &(bx, lo, _) in s.band.iter().rev() {
                let _ = write!(polygon, "{:.1},{:.1} ", x(bx), y(lo));
            }
            let _ = write!(
                out,
                "<polygon class=\"band\" points=\"{}\" fill=\"{}\" fill-opacity=\"0.18\" stroke=\"none\"/>",
                polygon.trim_end(),
                colour(&s.name)
            );
        }
        let _ = write!(
            out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            colour(&s.name)
        );
        for &(px, py) in s.points.iter().filter(|p| p.1.is_finite()) {
            let label = format!("{} {}", s.name, fmt_num(px, 0).replace(',', ""));
            let _ = write!(
                out,
                "<circle class=\"point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{}\" data-label=\"{}\" data-value=\"{}\"><title>{}: {}</title></circle>",
                x(px),
                y(py),
                colour(&s.name),
                esc(&label),
                py,
                esc(&label),
                fmt_num(py, 3)
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    legend(&mut out, &series.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
    out.push_str("</figure>");
    out
}

/// Stacked vertical bars: one bar per category, one stack segment per series.
pub fn stacked_bars(
    id: &str,
    title: &str,
    unit: &str,
    categories: &[String],
    series: &[(String, Vec<f64>)],
    data: &Dataset,
) -> String {
    let mut out = String::new();
    figure_open(&mut out, id, title, unit, data);
    if categories.is_empty() || series.is_empty() {
        out.push_str("<p class=\"empty\">No data.</p></figure>");
        return out;
    }
    let totals: Vec<f64> = (0..categories.len())
        .map(|c| series.iter().map(|s| s.1.get(c).copied().unwrap_or(0.0).max(0.0)).sum())
        .collect();
    let max = totals.iter().fold(0.0f64, |m, &t| m.max(t));
    let y_hi = ticks(0.0, max, 5).last().copied().unwrap_or(max).max(max).max(f64::EPSILON);
    let y = |v: f64| TOP + (1.0 - v / y_hi) * (H - TOP - BOTTOM);
    let slot = (W - LEFT - RIGHT) / categories.len() as f64;
    let bar = (slot * 0.7).max(1.0);
    let _ = write!(out, "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">", esc(title));
    y_axis(&mut out, 0.0, y_hi, &y, usize::from(y_hi < 10.0));
    let every = (categories.len() / 12).max(1);
    for (c, name) in categories.iter().enumerate() {
        if c % every == 0 {
            let _ = write!(
                out,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                LEFT + slot * (c as f64 + 0.5),
                H - BOTTOM + 16.0,
                esc(name)
            );
        }
    }
    let mut base = vec![0.0; categories.len()];
    for (i, (name, values)) in series.iter().enumerate() {
        let _ = write!(out, "<g class=\"series\" data-series=\"{i}\">");
        for (c, cat) in categories.iter().enumerate() {
            let v = values.get(c).copied().unwrap_or(0.0).max(0.0);
            if v <= 0.0 {
                continue;
            }
            let top = y(base[c] + v);
            let height = y(base[c]) - top;
            let label = format!("{name}, {cat}");
            let _ = write!(
                out,
                "<rect class=\"point\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\" fill=\"{}\" data-label=\"{}\" data-value=\"{v}\"><title>{}: {}</title></rect>",
                LEFT + slot * c as f64 + (slot - bar) / 2.0,
                colour(name),
                esc(&label),
                esc(&label),
                fmt_num(v, 3)
            );
            base[c] += v;
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    legend(&mut out, &series.iter().map(|s| s.0.clone()).collect::<Vec<_>>());
    out.push_str("</figure>");
    out
}

/// Horizontal bars, one per labelled value (a ranking or a breakdown).
pub fn bars(id: &str, title: &str, unit: &str, items: &[(String, f64)], data: &Dataset) -> String {
    let mut out = String::new();
    figure_open(&mut out, id, title, unit, data);
    if items.is_empty() {
        out.push_str("<p class=\"empty\">No data.</p></figure>");
        return out;
    }
    // Counts (projects, plants) read better without decimals.
    let digits = if items.iter().all(|i| i.1.fract() == 0.0) { 0 } else { 2 };
    let row = 22.0;
    let height = TOP + row * items.len() as f64 + 8.0;
    let label_w = 190.0;
    let max = items.iter().fold(0.0f64, |m, i| m.max(i.1)).max(f64::EPSILON);
    let _ = write!(out, "<svg viewBox=\"0 0 {W} {height:.0}\" role=\"img\" aria-label=\"{}\">", esc(title));
    for (k, (label, value)) in items.iter().enumerate() {
        let py = TOP + row * k as f64;
        let width = (value.max(0.0) / max) * (W - label_w - 110.0);
        let _ = write!(
            out,
            "<g class=\"series\" data-series=\"{k}\"><text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"point\" x=\"{label_w}\" y=\"{py:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\" data-label=\"{}\" data-value=\"{value}\"><title>{}: {}</title></rect>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            label_w - 6.0,
            py + 15.0,
            esc(label),
            row - 6.0,
            single_colour(),
            esc(label),
            esc(label),
            fmt_num(*value, digits),
            label_w + width + 6.0,
            py + 15.0,
            fmt_num(*value, digits)
        );
    }
    out.push_str("</svg></figure>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_text_escaped() {
        assert_eq!(fmt_num(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(fmt_num(-0.04, 1), "0.0");
        assert_eq!(fmt_num(-12.5, 1), "-12.5");
        assert_eq!(fmt_num(999.0, 0), "999");
        assert_eq!(esc("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 2.3, 5), vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);
        assert_eq!(ticks(2020.0, 2050.0, 8), vec![2020.0, 2025.0, 2030.0, 2035.0, 2040.0, 2045.0, 2050.0]);
    }

    #[test]
    fn charts_carry_their_data_and_one_point_per_value() {
        let data =
            Dataset { columns: vec!["year".into(), "v".into()], rows: vec![vec![2020.into(), 1.5.into()]] };
        let svg = line_chart(
            "c",
            "T</script>",
            "Mt",
            "year",
            &[Series { name: "a".into(), points: vec![(2020.0, 1.5), (2030.0, 2.0)], ..Series::default() }],
            &data,
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("data-value=\"1.5\""));
        assert!(svg.contains("\"columns\":[\"year\",\"v\"]"));
        assert!(!svg.contains("T</script>"));
    }
}
