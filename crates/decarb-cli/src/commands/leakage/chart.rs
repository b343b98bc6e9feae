//! The bar chart of `decarb leakage exposure` (SVG, plotters).

use crate::commands::UserError;
use anyhow::{Context, Result};
use decarb_cbam::exposure::Exposure;
use rust_decimal::Decimal;
use std::path::Path;

/// Horizontal bars of CBAM exposure in million EUR, largest first.
pub(super) fn write_chart(path: &Path, title: &str, table: &Exposure) -> Result<()> {
    use plotters::prelude::*;
    let bars: Vec<(&str, f64)> = table
        .rows
        .iter()
        .filter_map(|r| {
            let meur = r.cbam_exposure_eur? / Decimal::ONE_THOUSAND / Decimal::ONE_THOUSAND;
            Some((r.country.as_str(), meur.round_dp(3).to_string().parse::<f64>().ok()?))
        })
        .collect();
    if bars.is_empty() {
        return Err(UserError(
            "no CBAM exposure to chart: no trade data for this sector and year (give a table with --trade)"
                .into(),
        )
        .into());
    }
    let top = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0) * 1.1;
    let count = i32::try_from(bars.len()).unwrap_or(i32::MAX);
    let height = 80 + 22 * bars.len().min(200);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, u32::try_from(height).unwrap_or(480)))
            .into_drawing_area();
        let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("drawing the chart: {e}");
        root.fill(&WHITE).map_err(|e| fail(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..top, (0..count).into_segmented())
            .map_err(|e| fail(&e))?;
        let labels: Vec<&str> = bars.iter().map(|b| b.0).collect();
        chart
            .configure_mesh()
            .x_desc("million EUR")
            .y_labels(bars.len())
            .y_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(i) => usize::try_from(count - 1 - *i)
                    .ok()
                    .and_then(|i| labels.get(i))
                    .map_or(String::new(), |s| (*s).to_owned()),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| fail(&e))?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, (_, value))| {
                let y = count - 1 - i32::try_from(i).unwrap_or(0);
                let mut bar = Rectangle::new(
                    [(0.0, SegmentValue::Exact(y)), (*value, SegmentValue::Exact(y + 1))],
                    BLUE.mix(0.7).filled(),
                );
                bar.set_margin(3, 3, 0, 0);
                bar
            }))
            .map_err(|e| fail(&e))?;
        root.present().map_err(|e| fail(&e))?;
    }
    std::fs::write(path, svg).with_context(|| format!("writing the chart to {}", path.display()))
}
