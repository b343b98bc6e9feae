//! The SVG charts of `decarb cbam` (plotters' SVG backend writes text as SVG text elements, so
//! no font files are needed).

use crate::commands::UserError;
use anyhow::{Context, Result};
use std::path::Path;

/// A line chart of cost per tonne by year, as SVG (plotters' SVG backend writes text as SVG text
/// elements, so no font files are needed).
pub(super) fn write_chart(path: &Path, title: &str, currency: &str, points: &[(i32, f64)]) -> Result<()> {
    use plotters::prelude::*;
    let (first, last) = match (points.first(), points.last()) {
        (Some(first), Some(last)) => (first.0, last.0),
        _ => return Err(UserError("no years to chart".into()).into()),
    };
    let top = points.iter().map(|p| p.1).fold(0.0_f64, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (800, 480)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(first..last, 0.0..top)
            .map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        chart
            .configure_mesh()
            .x_desc("year of import")
            .y_desc(format!("{currency} per tonne of good"))
            .x_labels(points.len())
            .x_label_formatter(&|year| year.to_string())
            .draw()
            .map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        chart
            .draw_series(LineSeries::new(points.iter().copied(), BLUE.stroke_width(2)))
            .map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("drawing the chart: {e}"))?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing the chart to {}", path.display()))
}

/// One line per series, with a legend.
pub(super) fn write_multi_chart(
    path: &Path,
    title: &str,
    series: &std::collections::BTreeMap<&str, Vec<(i32, f64)>>,
) -> Result<()> {
    use plotters::prelude::*;
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the chart: {e}");
    let years = series.values().flatten().map(|p| p.0);
    let (Some(first), Some(last)) = (years.clone().min(), years.max()) else {
        return Err(UserError("no years to chart".into()).into());
    };
    let top = series.values().flatten().map(|p| p.1).fold(0.0_f64, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 520)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(first..last.max(first + 1), 0.0..top)
            .map_err(|e| fail(&e))?;
        chart
            .configure_mesh()
            .x_desc("year of import")
            .y_desc("EUR per tonne")
            .x_label_formatter(&|year| year.to_string())
            .draw()
            .map_err(|e| fail(&e))?;
        for (i, (name, points)) in series.iter().enumerate() {
            let color = Palette99::pick(i).to_rgba();
            chart
                .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))
                .map_err(|e| fail(&e))?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing the chart to {}", path.display()))
}
