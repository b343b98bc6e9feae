//! SVG charts of a run (plotters' SVG backend writes text as SVG text elements, so no font files
//! are needed): emissions against the straight line to net zero with the 2030 milestone,
//! technology mix per sector (stacked areas), capex per year, and resource demand.

use crate::charts::{
    Key, Mark, RIGHT_MARGIN, colour, err, finite_max, grid, human, legend_below, panel_grid, tick,
};
use anyhow::{Context, Result};
use decarb_engine::outcome::{Outcome, Resource};
use decarb_model::{Commodity, Sector};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Draws one chart of a run on an SVG drawing area.
type Draw = fn(&Outcome, &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>;

/// Writes emissions.svg, technology_mix.svg, capex.svg and resources.svg into `dir`.
pub fn write_all(outcome: &Outcome, dir: &Path) -> Result<()> {
    let charts: [(&str, Draw); 4] = [
        ("emissions.svg", emissions),
        ("technology_mix.svg", technology_mix),
        ("capex.svg", capex),
        ("resources.svg", resources),
    ];
    for (name, draw) in charts {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1000, 640)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            draw(outcome, &root)?;
            root.present().map_err(err)?;
        }
        let path = dir.join(name);
        std::fs::write(&path, svg).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn years(outcome: &Outcome) -> Vec<i32> {
    (outcome.base_year..=outcome.end_year).collect()
}

/// The top of a value axis over `values`, a little above the largest.
fn axis_top(values: impl Iterator<Item = f64>) -> Result<f64> {
    let top = finite_max(values)?;
    Ok(if top > 0.0 { top * 1.08 } else { 1.0 })
}

fn emissions(outcome: &Outcome, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()> {
    let years = years(outcome);
    let (base, end) = (outcome.base_year, outcome.end_year);
    let series: Vec<(Sector, Vec<(i32, f64)>)> = outcome
        .sectors
        .iter()
        .map(|&s| {
            (
                s,
                years
                    .iter()
                    .map(|&y| (y, outcome.world(s, y).map_or(0.0, |r| r.direct_emissions.to_mt())))
                    .collect(),
            )
        })
        .collect();
    let total: Vec<(i32, f64)> = years.iter().map(|&y| (y, outcome.total_direct(y).to_mt())).collect();
    let start = total.first().map_or(0.0, |p| p.1);
    let line = |y: i32| decarb_engine::gap::straight_line(start, base, end, y);
    let top = axis_top(total.iter().map(|p| p.1))?;
    let reference = colour("straight line to net zero");
    let mut keys: Vec<Key> =
        series.iter().map(|(s, _)| Key::new(s.as_str(), Mark::Line(colour(s.as_str()), 2))).collect();
    keys.push(Key::new("total", Mark::Line(BLACK, 3)));
    keys.push(Key::new("straight line to net zero", Mark::Dashed(reference, 2)));
    let plot = legend_below(root, &keys)?;
    let mut chart = ChartBuilder::on(&plot)
        .caption(format!("Direct CO2 emissions, {} (Mt CO2)", outcome.scenario), ("sans-serif", 22))
        .margin(16)
        .margin_right(RIGHT_MARGIN)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(base..end, 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid())
        .x_labels(8)
        .y_labels(8)
        .y_label_formatter(&|v| tick(*v))
        .x_desc("year")
        .y_desc("Mt CO2 (direct, after capture)")
        .draw()
        .map_err(err)?;
    for (sector, points) in &series {
        let c = colour(sector.as_str());
        chart.draw_series(LineSeries::new(points.iter().copied(), c.stroke_width(2))).map_err(err)?;
    }
    chart.draw_series(LineSeries::new(total.iter().copied(), BLACK.stroke_width(3))).map_err(err)?;
    chart
        .draw_series(DashedLineSeries::new([(base, start), (end, 0.0)], 8, 6, reference.stroke_width(2)))
        .map_err(err)?;
    let milestone = 2030.clamp(base, end);
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(milestone, 0.0), (milestone, top)],
            reference.mix(0.4),
        )))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Circle::new((milestone, line(milestone)), 6, reference.filled())))
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(Text::new(
            format!("{milestone} milestone: {} Mt", tick(line(milestone).round())),
            (milestone, line(milestone) + top * 0.04),
            ("sans-serif", 14).into_font().color(&reference),
        )))
        .map_err(err)?;
    Ok(())
}

/// A panel of resources.svg: title, unit, and a series per sector.
type Panel = (String, &'static str, Vec<(String, Vec<f64>)>);

/// Stacked areas: each series on top of the ones before it.
fn stacked(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    title: &str,
    unit: &str,
    years: &[i32],
    series: &[(String, Vec<f64>)],
    legend: bool,
) -> Result<()> {
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else { return Ok(()) };
    let mut cumulative: Vec<Vec<f64>> = Vec::with_capacity(series.len());
    let mut running = vec![0.0; years.len()];
    for (_, values) in series {
        for (r, v) in running.iter_mut().zip(values) {
            *r += v.max(0.0);
        }
        cumulative.push(running.clone());
    }
    let keys: Vec<Key> = if legend {
        series.iter().map(|(name, _)| Key::new(name.clone(), Mark::Swatch(colour(name)))).collect()
    } else {
        Vec::new()
    };
    let plot = legend_below(area, &keys)?;
    let top = axis_top(running.iter().copied())?;
    let mut chart = ChartBuilder::on(&plot)
        .caption(title, ("sans-serif", 16))
        .margin(8)
        .margin_right(RIGHT_MARGIN)
        .x_label_area_size(28)
        .y_label_area_size(60)
        .build_cartesian_2d(first..last, 0.0..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(grid())
        .y_desc(unit)
        .x_labels(6)
        .y_labels(6)
        .y_label_formatter(&|v| tick(*v))
        .draw()
        .map_err(err)?;
    for (i, (name, _)) in series.iter().enumerate().rev() {
        let c = colour(name);
        let points: Vec<(i32, f64)> = years.iter().copied().zip(cumulative[i].iter().copied()).collect();
        chart.draw_series(AreaSeries::new(points, 0.0, c.mix(0.85)).border_style(c)).map_err(err)?;
    }
    Ok(())
}

fn technology_mix(outcome: &Outcome, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()> {
    let years = years(outcome);
    let panels = root.split_evenly(panel_grid(outcome.sectors.len()));
    for (panel, &sector) in panels.iter().zip(&outcome.sectors) {
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
        stacked(panel, &format!("{sector}: production by technology family"), "Mt", &years, &series, true)?;
    }
    Ok(())
}

fn capex(outcome: &Outcome, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()> {
    let years = years(outcome);
    let series: Vec<(String, Vec<f64>)> = outcome
        .sectors
        .iter()
        .map(|&s| {
            let values =
                years.iter().map(|&y| outcome.world(s, y).map_or(0.0, |r| r.capex.to_billions())).collect();
            (s.as_str().to_owned(), values)
        })
        .collect();
    stacked(
        root,
        &format!("Capital expenditure per year, {} (bn USD)", outcome.scenario),
        "bn USD",
        &years,
        &series,
        true,
    )
}

fn resources(outcome: &Outcome, root: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<()> {
    let years = years(outcome);
    let picks = [
        Resource::HydrogenMass,
        Resource::Commodity(Commodity::Electricity),
        Resource::Co2Stored,
        Resource::Commodity(Commodity::NaturalGas),
    ];
    // A resource no sector uses (hydrogen in a run without hydrogen routes) gets no panel.
    let panels: Vec<Panel> = picks
        .into_iter()
        .map(|resource| {
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
            (format!("{} ({unit})", human(name)), unit, series)
        })
        .filter(|(_, _, series)| !series.is_empty())
        .collect();
    if panels.is_empty() {
        root.draw(&Text::new(
            format!("{}: no hydrogen, electricity, CO2 storage or natural gas use", outcome.scenario),
            (40, 60),
            ("sans-serif", 18),
        ))
        .map_err(err)?;
        return Ok(());
    }
    let areas = root.split_evenly(panel_grid(panels.len()));
    for (area, (title, unit, series)) in areas.iter().zip(&panels) {
        stacked(area, title, unit, &years, series, true)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
