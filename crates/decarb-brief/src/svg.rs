//! Inline SVG charts for briefs: horizontal bars, stacked columns and lines. Each returns a
//! `<figure>` with a caption; sizes are in a viewBox so the chart scales to the page (and to A4).

use crate::html::{esc, num};
use std::fmt::Write as _;

/// Gridline intervals on a value axis: five, so that every "nice" maximum (1, 2, 2.5, 5 x 10^n)
/// gives round tick values.
const TICKS: i32 = 5;

/// Width kept right of a plot for its legend.
const LEGEND: f64 = 230.0;

/// The colour of a series, by what it names (decarb's one palette, `decarb_chart`): the same as
/// on the dashboard and in the CLI's charts.
fn colour(name: &str) -> String {
    decarb_chart::colour_for(name).hex()
}

/// A "nice" upper bound for an axis (1, 2, 2.5, 5 x 10^n) at or above `max`.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= max {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

fn figure(svg: &str, caption: &str) -> String {
    format!("<figure>{svg}<figcaption>{caption}</figcaption></figure>")
}

/// Horizontal bars, one per item (label, value); `caption` is already-escaped HTML.
pub fn hbars(items: &[(String, f64)], unit: &str, digits: usize, caption: &str) -> String {
    let row = 22.0;
    let (left, width) = (170.0, 620.0);
    let height = row * items.len() as f64 + 10.0;
    let max = nice_max(items.iter().map(|(_, v)| *v).fold(0.0, f64::max));
    let mut svg =
        format!("<svg viewBox=\"0 0 {} {height}\" role=\"img\" font-size=\"12\">", left + width + 110.0);
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let w = (value.max(0.0) / max * width).max(0.5);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect x=\"{left}\" y=\"{y}\" width=\"{w:.1}\" height=\"{}\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{}\">{} {}</text>",
            left - 6.0,
            y + 14.0,
            esc(label),
            row - 6.0,
            decarb_chart::okabe_ito::BLUE.hex(),
            left + w + 4.0,
            y + 14.0,
            num(*value, digits),
            esc(unit)
        );
    }
    svg.push_str("</svg>");
    figure(&svg, caption)
}

/// Stacked columns: one column per category, one stacked segment per series.
pub fn stacked_columns(
    categories: &[String],
    series: &[(String, Vec<f64>)],
    unit: &str,
    caption: &str,
) -> String {
    let (left, top, plot_w, plot_h) = (60.0, 10.0, 600.0, 200.0);
    let totals: Vec<f64> = (0..categories.len())
        .map(|c| series.iter().map(|(_, v)| v.get(c).copied().unwrap_or(0.0)).sum())
        .collect();
    let max = nice_max(totals.iter().copied().fold(0.0, f64::max));
    let slot = plot_w / categories.len().max(1) as f64;
    let bar = slot * 0.7;
    // Many columns: labels are turned so they do not run into each other.
    let turned = categories.len() > 6;
    let label_room = if turned { 80.0 } else { 25.0 };
    let mut svg = format!(
        "<svg viewBox=\"0 0 {} {}\" role=\"img\" font-size=\"11\">",
        left + plot_w + LEGEND,
        top + plot_h + label_room + 15.0
    );
    for k in 0..=TICKS {
        let v = max * f64::from(k) / f64::from(TICKS);
        let y = top + plot_h - plot_h * f64::from(k) / f64::from(TICKS);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + plot_w,
            left - 4.0,
            y + 4.0,
            num(v, usize::from(max < 10.0))
        );
    }
    for (c, category) in categories.iter().enumerate() {
        let x = left + slot * c as f64 + (slot - bar) / 2.0;
        let mut base = 0.0;
        for (name, values) in series {
            let v = values.get(c).copied().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let h = v / max * plot_h;
            let y = top + plot_h - (base + v) / max * plot_h;
            let _ = write!(
                svg,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{}: {} {}</title></rect>",
                colour(name),
                esc(name),
                num(v, 1),
                esc(unit)
            );
            base += v;
        }
        let (cx, cy) = (x + bar / 2.0, top + plot_h + 15.0);
        if turned {
            let _ = write!(
                svg,
                "<text x=\"{cx:.1}\" y=\"{cy}\" text-anchor=\"end\" transform=\"rotate(-35 {cx:.1} {cy})\">{}</text>",
                esc(category)
            );
        } else {
            let _ =
                write!(svg, "<text x=\"{cx:.1}\" y=\"{cy}\" text-anchor=\"middle\">{}</text>", esc(category));
        }
    }
    let _ = write!(svg, "<text x=\"{}\" y=\"{}\">{}</text>", left + plot_w + 12.0, top + plot_h, esc(unit));
    for (s, (name, _)) in series.iter().enumerate() {
        let y = top + 14.0 * s as f64;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            left + plot_w + 12.0,
            colour(name),
            left + plot_w + 26.0,
            y + 9.0,
            esc(name)
        );
    }
    svg.push_str("</svg>");
    figure(&svg, caption)
}

/// Lines over years, with optional vertical year markers (year, label).
pub fn lines(
    series: &[(String, Vec<(i32, f64)>)],
    unit: &str,
    markers: &[(i32, String)],
    caption: &str,
) -> String {
    let (left, top, plot_w, plot_h) = (60.0, 10.0, 600.0, 200.0);
    let years: Vec<i32> = series.iter().flat_map(|(_, p)| p.iter().map(|(y, _)| *y)).collect();
    let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) else {
        return String::new();
    };
    let span = f64::from((last - first).max(1));
    let max = nice_max(series.iter().flat_map(|(_, p)| p.iter().map(|(_, v)| *v)).fold(0.0, f64::max));
    let x_of = |year: i32| left + plot_w * f64::from(year - first) / span;
    let y_of = |v: f64| top + plot_h - v.max(0.0) / max * plot_h;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {} {}\" role=\"img\" font-size=\"11\">",
        left + plot_w + LEGEND,
        top + plot_h + 40.0
    );
    for k in 0..=TICKS {
        let v = max * f64::from(k) / f64::from(TICKS);
        let y = y_of(v);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#ddd\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left + plot_w,
            left - 4.0,
            y + 4.0,
            num(v, usize::from(max < 10.0))
        );
    }
    let mut year = first - first.rem_euclid(10);
    while year <= last {
        if year >= first {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                x_of(year),
                top + plot_h + 15.0
            );
        }
        year += 10;
    }
    for (year, label) in markers {
        if (first..=last).contains(year) {
            let x = x_of(*year);
            // Labels of markers in the right half go left of their line, so they stay in the plot.
            let (anchor, text_x) =
                if x > left + plot_w / 2.0 { ("end", x - 3.0) } else { ("start", x + 3.0) };
            let _ = write!(
                svg,
                "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{}\" stroke=\"#9a5b00\" stroke-dasharray=\"4 3\"/>\
                 <text x=\"{text_x:.1}\" y=\"{}\" fill=\"#9a5b00\" text-anchor=\"{anchor}\">{}</text>",
                top + plot_h,
                top + 10.0,
                esc(label)
            );
        }
    }
    for (s, (name, points)) in series.iter().enumerate() {
        let path: Vec<String> =
            points.iter().map(|(y, v)| format!("{:.1},{:.1}", x_of(*y), y_of(*v))).collect();
        let _ = write!(
            svg,
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>",
            colour(name),
            path.join(" ")
        );
        let y = top + 14.0 * s as f64;
        let _ = write!(
            svg,
            "<rect x=\"{}\" y=\"{y}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            left + plot_w + 12.0,
            colour(name),
            left + plot_w + 26.0,
            y + 9.0,
            esc(name)
        );
    }
    let _ = write!(svg, "<text x=\"{left}\" y=\"{}\">{}</text>", top + plot_h + 32.0, esc(unit));
    svg.push_str("</svg>");
    figure(&svg, caption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_round_up_to_nice_values() {
        assert!((nice_max(87.0) - 100.0).abs() < 1e-9);
        assert!((nice_max(2.1) - 2.5).abs() < 1e-9);
        assert!((nice_max(0.0) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn labels_are_escaped() {
        let chart = hbars(&[("<b>".into(), 2.0)], "Mt", 1, "c");
        assert!(chart.contains("&lt;b&gt;") && !chart.contains("<b>"));
    }
}
