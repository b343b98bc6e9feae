//! The SVG charts of `decarb cbam`, drawn by decarb's one chart renderer.

use crate::commands::UserError;
use anyhow::Result;
use decarb_chart::svg::doc::{Chart, Line, Plot, Xy};
use std::collections::BTreeMap;
use std::path::Path;

/// Lines of cost per tonne by year of import, one per series (a series named "" has no legend
/// entry), in `currency`.
fn write_lines(path: &Path, title: &str, currency: &str, lines: Vec<Line>) -> Result<()> {
    if lines.iter().all(|l| l.points.is_empty()) {
        return Err(UserError("no years to chart".into()).into());
    }
    let xy = Xy {
        x_name: "year of import".into(),
        unit: format!("{currency} per tonne of good"),
        lines,
        ..Xy::default()
    };
    crate::charts::write(path, &Chart::single(title, "", Plot::Xy(xy)))
}

/// A line chart of cost per tonne by year (`decarb cbam schedule --chart`).
pub(super) fn write_chart(path: &Path, title: &str, currency: &str, points: &[(i32, f64)]) -> Result<()> {
    let line =
        Line::new("", crate::charts::points(points.iter().copied())).colour(decarb_chart::okabe_ito::BLUE);
    write_lines(path, title, currency, vec![line])
}

/// One line per series, each in the palette's colour of its name (lines sharing a colour take
/// different dashes), with a legend (`decarb cbam
/// pathway --chart`).
pub(super) fn write_multi_chart(
    path: &Path,
    title: &str,
    series: &BTreeMap<&str, Vec<(i32, f64)>>,
) -> Result<()> {
    // Labelled as words ("japan korea taiwan"), coloured by the name the dashboard uses.
    let lines = series
        .iter()
        .map(|(name, p)| {
            let line = Line::new(crate::charts::human(name), crate::charts::points(p.iter().copied()));
            line.colour(decarb_chart::colour_for(name))
        })
        .collect();
    write_lines(path, title, "EUR", lines)
}
