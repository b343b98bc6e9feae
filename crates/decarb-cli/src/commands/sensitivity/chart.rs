//! `tornado.svg`: the one-at-a-time swings of `decarb sensitivity`.

use decarb_chart::okabe_ito::{BLACK, BLUE, ORANGE};
use decarb_chart::svg::doc::{BarRow, Bars, Chart, Key, Panel, Plot};
use decarb_engine::sensitivity::{Metric, TornadoRow};

/// Three panels (2030 emissions, end-year emissions, cumulative capex), one above the other: a
/// bar per input from its value at the input's p5 (orange) to its value at p95 (blue), around the
/// base run (a black line), with a legend for the three beside them.
pub fn tornado(scenario: &str, rows: &[TornadoRow]) -> Chart {
    let mut chart = Chart::new(format!("Sensitivity of {scenario}: each input at its p5 and p95"));
    chart.columns = 1;
    chart.panel_width = 760.0;
    chart.panel_height = 0.0;
    for metric in Metric::ALL {
        let bars: Vec<&TornadoRow> = rows.iter().filter(|r| r.metric == metric).collect();
        let Some(base) = bars.first().map(|r| r.base) else { continue };
        // An infeasible end (no pathway) has no bar.
        let segment = |value: f64, colour| value.is_finite().then_some((base, value, colour));
        let rows = bars
            .iter()
            .map(|r| BarRow {
                label: r.label.clone(),
                segments: [segment(r.at_low, ORANGE), segment(r.at_high, BLUE)]
                    .into_iter()
                    .flatten()
                    .collect(),
            })
            .collect();
        let plot =
            Plot::Bars(Bars { x_name: unit(metric).into(), rows, reference: Some(base), from_zero: false });
        chart.panels.push(Panel { title: caption(metric).into(), plot });
    }
    chart.keys = vec![
        Key::swatch("input at its 5th percentile (p5)", ORANGE, 0.85),
        Key::swatch("input at its 95th percentile (p95)", BLUE, 0.85),
        Key::line("base run (every input as the scenario has it)", BLACK, 2.0, false),
    ];
    chart
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
    /// the panels, ticks with thousands separators and no "5000.0", no text cut off (issue 17).
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
        let svg = tornado("net-zero-2050", &rows).to_svg();
        assert_eq!(decarb_chart::svg::check::problems(&svg), Vec::<String>::new());
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
