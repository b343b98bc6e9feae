//! `tornado.svg`: the one-at-a-time swings of `decarb sensitivity`.

use crate::charts::{Key, Mark, err, grid, legend_below, tick};
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
        let low_colour = crate::charts::rgb(decarb_chart::okabe_ito::ORANGE);
        let high_colour = crate::charts::rgb(decarb_chart::okabe_ito::BLUE);
        // The legend in a strip of its own below the panels, never over a bar (issue 17).
        let keys = [
            Key::new("input at its 5th percentile (p5)", Mark::Swatch(low_colour)),
            Key::new("input at its 95th percentile (p95)", Mark::Swatch(high_colour)),
            Key::new("base run (every input as the scenario has it)", Mark::Line(BLACK, 2)),
        ];
        let root = legend_below(&root, &keys)?;
        let panels = root.split_evenly((1, Metric::ALL.len()));
        for (panel, metric) in panels.iter().zip(Metric::ALL) {
            let bars: Vec<&TornadoRow> = rows.iter().filter(|r| r.metric == metric).collect();
            let Some(base) = bars.first().map(|r| r.base) else { continue };
            let lo = bars.iter().flat_map(|r| [r.at_low, r.at_high]).fold(base, f64::min);
            let hi = bars.iter().flat_map(|r| [r.at_low, r.at_high]).fold(base, f64::max);
            let pad = ((hi - lo) * 0.1).max(base.abs() * 0.01).max(1e-6);
            let n = i32::try_from(bars.len()).unwrap_or(i32::MAX);
            let names: Vec<String> = bars.iter().map(|r| r.label.clone()).collect();
            let mut chart = ChartBuilder::on(panel)
                .caption(caption(metric), ("sans-serif", 14))
                .margin(10)
                .x_label_area_size(44)
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
                .x_label_formatter(&|v| tick(*v))
                .x_desc(unit(metric))
                .bold_line_style(grid())
                .light_line_style(TRANSPARENT)
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
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A metric as a panel's title says it (the CSV keeps `Metric::as_str`).
fn caption(metric: Metric) -> &'static str {
    match metric {
        Metric::DirectMilestone => "Direct CO2 emissions in 2030",
        Metric::DirectEnd => "Direct CO2 emissions in 2050",
        Metric::CumulativeCapex => "Cumulative capital expenditure",
    }
}

fn unit(metric: Metric) -> &'static str {
    match metric {
        Metric::DirectMilestone | Metric::DirectEnd => "Mt CO2",
        Metric::CumulativeCapex => "bn USD",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tornado of net-zero-2050's carbon price (`decarb sensitivity`, 2030 panel: 4,745 to
    /// 5,176 Mt around 4,963): panels titled in words with units, a legend for p5 and p95 below
    /// the panels, ticks with thousands separators and no "5000.0" (issue 17).
    #[test]
    fn the_tornado_has_human_titles_and_a_legend_for_p5_and_p95() {
        let rows: Vec<TornadoRow> = Metric::ALL
            .iter()
            .map(|&metric| TornadoRow {
                input: "carbon_price".into(),
                label: "Carbon price (x scenario path)".into(),
                metric,
                low_input: 0.5,
                high_input: 1.5,
                base: 4963.0,
                at_low: 5176.0,
                at_high: 4745.0,
            })
            .collect();
        let svg = tornado("net-zero-2050", &rows).unwrap();
        for text in [
            "Direct CO2 emissions in 2030",
            "Cumulative capital expenditure",
            "Carbon price (x scenario path)",
            "input at its 5th percentile (p5)",
            "input at its 95th percentile (p95)",
            "Mt CO2",
            "5,000",
        ] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(!svg.contains("direct_emissions_2030_mtco2") && !svg.contains("5000.0"));
    }
}
