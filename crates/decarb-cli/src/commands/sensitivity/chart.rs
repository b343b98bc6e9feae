//! `tornado.svg`: the one-at-a-time swings of `decarb sensitivity`.

use crate::charts::err;
use anyhow::Result;
use decarb_engine::sensitivity::{Metric, TornadoRow};
use plotters::prelude::*;

/// Three panels (2030 emissions, end-year emissions, cumulative capex): a bar per input from
/// its value at the input's p5 (orange) to its value at p95 (blue), around the base run.
pub fn tornado(scenario: &str, rows: &[TornadoRow]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1500, 720)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let root = root
            .titled(&format!("Sensitivity of {scenario}: each input at its p5 and p95"), ("sans-serif", 20))
            .map_err(err)?;
        let panels = root.split_evenly((1, Metric::ALL.len()));
        let low_colour = crate::charts::rgb(decarb_chart::okabe_ito::ORANGE);
        let high_colour = crate::charts::rgb(decarb_chart::okabe_ito::BLUE);
        for (panel, metric) in panels.iter().zip(Metric::ALL) {
            let bars: Vec<&TornadoRow> = rows.iter().filter(|r| r.metric == metric).collect();
            let Some(base) = bars.first().map(|r| r.base) else { continue };
            let lo = bars.iter().flat_map(|r| [r.at_low, r.at_high]).fold(base, f64::min);
            let hi = bars.iter().flat_map(|r| [r.at_low, r.at_high]).fold(base, f64::max);
            let pad = ((hi - lo) * 0.1).max(base.abs() * 0.01).max(1e-6);
            let n = i32::try_from(bars.len()).unwrap_or(i32::MAX);
            let names: Vec<String> = bars.iter().map(|r| r.label.clone()).collect();
            let mut chart = ChartBuilder::on(panel)
                .caption(metric.as_str(), ("sans-serif", 14))
                .margin(10)
                .x_label_area_size(30)
                .y_label_area_size(230)
                .build_cartesian_2d((lo - pad)..(hi + pad), (0..n).into_segmented())
                .map_err(err)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(bars.len() + 1)
                .y_label_formatter(&|value| match value {
                    // Widest bar on top: bar k is drawn in row n - 1 - k.
                    SegmentValue::CenterOf(i) => usize::try_from(n - 1 - *i)
                        .ok()
                        .and_then(|k| names.get(k))
                        .cloned()
                        .unwrap_or_default(),
                    _ => String::new(),
                })
                .x_labels(5)
                .draw()
                .map_err(err)?;
            for (k, r) in bars.iter().enumerate() {
                let row = n - 1 - i32::try_from(k).unwrap_or(0);
                for (value, colour) in [(r.at_low, low_colour), (r.at_high, high_colour)] {
                    // An infeasible end (no pathway) has no bar.
                    if !value.is_finite() {
                        continue;
                    }
                    let (a, b) = if value < base { (value, base) } else { (base, value) };
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(a, SegmentValue::Exact(row)), (b, SegmentValue::Exact(row + 1))],
                            colour.mix(0.8).filled(),
                        )))
                        .map_err(err)?;
                }
            }
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(base, SegmentValue::Exact(0)), (base, SegmentValue::Exact(n))],
                    BLACK.stroke_width(2),
                )))
                .map_err(err)?;
        }
        // Legend: a swatch per colour and the base line.
        let y = 690;
        for (i, (colour, text)) in [
            (low_colour, "input at its 5th percentile (p5)"),
            (high_colour, "input at its 95th percentile (p95)"),
        ]
        .into_iter()
        .enumerate()
        {
            let x = 20 + 330 * i32::try_from(i).unwrap_or(0);
            root.draw(&Rectangle::new([(x, y), (x + 16, y + 12)], colour.mix(0.8).filled())).map_err(err)?;
            root.draw(&Text::new(text, (x + 22, y), ("sans-serif", 13))).map_err(err)?;
        }
        root.draw(&PathElement::new(vec![(680, y + 6), (700, y + 6)], BLACK.stroke_width(2))).map_err(err)?;
        root.draw(&Text::new("base run (every input as the scenario has it)", (706, y), ("sans-serif", 13)))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}
