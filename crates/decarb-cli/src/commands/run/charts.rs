//! SVG charts of a run, drawn by decarb's one chart renderer (`decarb_chart::svg::doc`):
//! emissions against the straight line to net zero with the 2030 milestone, technology mix per
//! sector (stacked areas by technology family), capital expenditure per year, and resource
//! demand (a panel per resource some sector uses).

use crate::charts::{human, points, write, years};
use anyhow::Result;
use decarb_chart::okabe_ito::BLACK;
use decarb_chart::svg::doc::{Chart, Dot, Line, Panel, Plot, Stack, Xy};
use decarb_engine::outcome::{Outcome, Resource};
use decarb_model::Commodity;
use std::collections::BTreeMap;
use std::path::Path;

/// Writes emissions.svg, technology_mix.svg, capex.svg and resources.svg into `dir`.
pub fn write_all(outcome: &Outcome, dir: &Path) -> Result<()> {
    let charts = [
        ("emissions.svg", emissions(outcome)),
        ("technology_mix.svg", technology_mix(outcome)),
        ("capex.svg", capex(outcome)),
        ("resources.svg", resources(outcome)),
    ];
    for (name, chart) in charts {
        write(&dir.join(name), &chart)?;
    }
    Ok(())
}

fn run_years(outcome: &Outcome) -> Vec<i32> {
    (outcome.base_year..=outcome.end_year).collect()
}

/// A panel of stacked areas over the run's years.
fn stacked(outcome: &Outcome, unit: &str, series: Vec<(String, Vec<f64>)>) -> Plot {
    let stack = Stack { xs: years(outcome.base_year, outcome.end_year), series };
    Plot::Xy(Xy { x_name: "year".into(), unit: unit.into(), stack, ..Xy::default() })
}

fn emissions(outcome: &Outcome) -> Chart {
    let years = run_years(outcome);
    let (base, end) = (outcome.base_year, outcome.end_year);
    let mut lines: Vec<Line> = outcome
        .sectors
        .iter()
        .map(|&s| {
            let values =
                years.iter().map(|&y| (y, outcome.world(s, y).map_or(0.0, |r| r.direct_emissions.to_mt())));
            Line::new(s.as_str(), points(values))
        })
        .collect();
    let total: Vec<(i32, f64)> = years.iter().map(|&y| (y, outcome.total_direct(y).to_mt())).collect();
    let start = total.first().map_or(0.0, |p| p.1);
    lines.push(Line::new("total", points(total)).colour(BLACK).width(3.0));
    let reference = Line::new("straight line to net zero", points([(base, start), (end, 0.0)]));
    lines.push(reference.dashed());
    let milestone = 2030.clamp(base, end);
    let on_line = decarb_engine::gap::straight_line(start, base, end, milestone);
    let dot = Dot {
        x: f64::from(milestone),
        y: on_line,
        label: format!("{milestone} milestone: {} Mt", decarb_chart::num(on_line, 0)),
        colour: BLACK,
    };
    let xy = Xy {
        x_name: "year".into(),
        unit: "Mt CO2 (direct, after capture)".into(),
        lines,
        markers: vec![(f64::from(milestone), milestone.to_string())],
        dots: vec![dot],
        ..Xy::default()
    };
    Chart::single(format!("Direct CO2 emissions, {}", outcome.scenario), "World, by sector", Plot::Xy(xy))
}

fn technology_mix(outcome: &Outcome) -> Chart {
    let years = run_years(outcome);
    let mut chart = Chart::new(format!("Production by technology family, {}", outcome.scenario));
    for &sector in &outcome.sectors {
        // Stacked by family (the one palette has a colour per family, not per technology); the
        // technologies are in technology_mix.csv.
        let mut by_family: BTreeMap<decarb_chart::Family, Vec<f64>> = BTreeMap::new();
        for row in outcome.technology_mix.iter().filter(|r| r.sector == sector && r.region.is_none()) {
            let family = decarb_chart::family_of(row.technology.as_str());
            let values = by_family.entry(family).or_insert_with(|| vec![0.0; years.len()]);
            if let Some(i) = years.iter().position(|&y| y == row.year) {
                values[i] += row.production.to_mt();
            }
        }
        let series: Vec<(String, Vec<f64>)> = decarb_chart::Family::ALL
            .iter()
            .filter_map(|family| by_family.remove(family).map(|v| (family.label().to_owned(), v)))
            .filter(|(_, v)| v.iter().any(|&x| x > 1e-6))
            .collect();
        let plot = stacked(outcome, "Mt per year", series);
        chart.panels.push(Panel { title: sector.as_str().to_owned(), plot });
    }
    chart
}

fn capex(outcome: &Outcome) -> Chart {
    let years = run_years(outcome);
    let series: Vec<(String, Vec<f64>)> = outcome
        .sectors
        .iter()
        .map(|&s| {
            let values =
                years.iter().map(|&y| outcome.world(s, y).map_or(0.0, |r| r.capex.to_billions())).collect();
            (s.as_str().to_owned(), values)
        })
        .collect();
    let title = format!("Capital expenditure per year, {}", outcome.scenario);
    Chart::single(title, "World, by sector", stacked(outcome, "bn USD per year", series))
}

fn resources(outcome: &Outcome) -> Chart {
    let years = run_years(outcome);
    let picks = [
        Resource::HydrogenMass,
        Resource::Commodity(Commodity::Electricity),
        Resource::Co2Stored,
        Resource::Commodity(Commodity::NaturalGas),
    ];
    let mut chart = Chart::new(format!("Resource use by sector, {}", outcome.scenario));
    chart.empty = format!("{}: no hydrogen, electricity, CO2 storage or natural gas use", outcome.scenario);
    // A resource no sector uses (hydrogen in a run without hydrogen routes) draws no panel.
    for resource in picks {
        let (name, unit, factor) = resource.report();
        let series: Vec<(String, Vec<f64>)> = outcome
            .sectors
            .iter()
            .map(|&s| {
                let mut values = vec![0.0; years.len()];
                for r in outcome
                    .resources
                    .iter()
                    .filter(|r| r.sector == s && r.region.is_none() && r.resource == resource)
                {
                    if let Some(i) = years.iter().position(|&y| y == r.year) {
                        values[i] += r.quantity * factor;
                    }
                }
                (s.as_str().to_owned(), values)
            })
            .filter(|(_, values)| values.iter().any(|v| v.abs() > 1e-9))
            .collect();
        let plot = stacked(outcome, &format!("{unit} per year"), series);
        chart.panels.push(Panel { title: format!("{} ({unit})", human(name)), plot });
    }
    chart
}

#[cfg(test)]
mod tests;
