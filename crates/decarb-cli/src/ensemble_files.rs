//! The files of an ensemble's aggregates, `bands.csv`, `probabilities.csv` and `fan.svg`: one
//! writer for an ensemble run on one machine (`decarb run --runs`) and for merged shards (`decarb
//! merge`), so that the two are byte for byte the same.

use crate::charts::{Key, Mark, RIGHT_MARGIN, err, finite_max, grid, legend_below, rgb, tick};
use crate::output::{Cell, Format, Table};
use crate::run_tables::region_name;
use anyhow::{Context, Result, anyhow};
use decarb_engine::ensemble::{
    BandRow, Ensemble, MILESTONE_MAX_SHARE, MILESTONE_YEAR, NEAR_ZERO_MAX_SHARE, Variable,
};
use plotters::prelude::*;
use std::path::Path;

/// Writes bands.csv, probabilities.csv and fan.svg of an ensemble's aggregates: one path for an
/// ensemble run on one machine and for merged shards (`decarb merge`).
pub fn write_aggregates(ensemble: &Ensemble, out: &Path) -> Result<()> {
    let bands = ensemble.bands();
    bands_table(&ensemble.scenario, &bands).write_file(&out.join("bands.csv"), Format::Csv)?;
    probabilities_table(ensemble).write_file(&out.join("probabilities.csv"), Format::Csv)?;
    std::fs::write(out.join("fan.svg"), fan_chart(ensemble, &bands)?)
        .with_context(|| format!("writing {}", out.join("fan.svg").display()))
}

fn sector_name(sector: Option<decarb_model::Sector>) -> &'static str {
    sector.map_or("all", decarb_model::Sector::as_str)
}

/// `bands.csv`: scenario, year, sector, region, variable, mean, p5, p25, p50, p75, p95.
pub fn bands_table(scenario: &str, bands: &[BandRow]) -> Table {
    let mut table = Table::new([
        "scenario", "year", "sector", "region", "variable", "mean", "p5", "p25", "p50", "p75", "p95",
    ]);
    for b in bands {
        let mut row = vec![
            Cell::text(scenario),
            Cell::int(b.year),
            Cell::text(sector_name(b.sector)),
            Cell::text(region_name(b.region)),
            Cell::text(b.variable.as_str()),
            Cell::number(b.mean, 4),
        ];
        row.extend(b.percentiles.iter().map(|&v| Cell::number(v, 4)));
        table.push(row);
    }
    table
}

fn probabilities_table(e: &Ensemble) -> Table {
    let mut table = Table::new(["scenario", "event", "definition", "runs", "runs_meeting", "probability"]);
    let rows = [
        (
            "2030_milestone",
            format!(
                "world direct CO2 of the scenario's sectors in {MILESTONE_YEAR} <= {:.0} % of the base year ({:.0} % cut; IEA NZR 2023: steel -25 %, GCCA -25 %/t by 2030)",
                100.0 * MILESTONE_MAX_SHARE,
                100.0 * (1.0 - MILESTONE_MAX_SHARE)
            ),
            e.meeting_milestone,
            e.probability_milestone(),
        ),
        (
            "near_zero_end_year",
            format!(
                "world direct CO2 of the scenario's sectors in {} <= {:.0} % of the base year (IEA NZR 2023: 93-96 % of production near-zero by 2050)",
                e.layout.years.last().copied().unwrap_or(2050),
                100.0 * NEAR_ZERO_MAX_SHARE
            ),
            e.near_zero,
            e.probability_near_zero(),
        ),
    ];
    for (event, definition, meeting, p) in rows {
        table.push(vec![
            Cell::text(e.scenario.clone()),
            Cell::text(event),
            Cell::text(definition),
            Cell::int(e.runs),
            Cell::int(meeting),
            Cell::number(p, 4),
        ]);
    }
    let total = e.runs + e.infeasible;
    table.push(vec![
        Cell::text(e.scenario.clone()),
        Cell::text("infeasible"),
        Cell::text(
            "runs whose sampled inputs leave some year with demand no allowed technology can meet within the resource limits (no pathway; the rows above count the other runs)",
        ),
        Cell::int(total),
        Cell::int(e.infeasible),
        Cell::number(if total == 0 { f64::NAN } else { e.infeasible as f64 / total as f64 }, 4),
    ]);
    table
}

/// `fan.svg`: world direct emissions of all the scenario's sectors, p5-p95 and p25-p75 bands,
/// the median and the mean; one thin median line per sector.
fn fan_chart(e: &Ensemble, bands: &[BandRow]) -> Result<String> {
    let world = |sector: Option<decarb_model::Sector>| -> Vec<&BandRow> {
        bands
            .iter()
            .filter(|b| b.sector == sector && b.region.is_none() && b.variable == Variable::DirectEmissions)
            .collect()
    };
    let total = world(None);
    let (Some(first), Some(last)) = (e.layout.years.first().copied(), e.layout.years.last().copied()) else {
        return Err(anyhow!("the ensemble has no years"));
    };
    let top = finite_max(total.iter().map(|b| b.percentiles[4]))?.max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        // All sectors together in black (decarb's one palette), each sector in its own colour.
        let total_colour = rgb(decarb_chart::okabe_ito::BLACK);
        // (low, high percentile index, opacity, label, the grey the opacity gives over white)
        let bands_drawn = [(0, 4, 0.18, "p5-p95", 209), (1, 3, 0.35, "p25-p75", 166)];
        let sectors: Vec<decarb_model::Sector> = e.layout.sectors.iter().filter_map(|s| *s).collect();
        let mut keys: Vec<Key> = bands_drawn
            .iter()
            .map(|&(_, _, _, label, grey)| Key::new(label, Mark::Swatch(RGBColor(grey, grey, grey))))
            .collect();
        keys.push(Key::new("median, all sectors", Mark::Line(total_colour, 3)));
        keys.push(Key::new("mean", Mark::Dashed(BLACK, 1)));
        keys.extend(sectors.iter().map(|s| {
            Key::new(format!("median, {}", s.as_str()), Mark::Line(rgb(decarb_chart::sector(*s)), 1))
        }));
        let plot = legend_below(&root, &keys)?;
        let mut chart = ChartBuilder::on(&plot)
            .caption(
                format!(
                    "Direct CO2 emissions, {} ({} runs): median, 50 % and 90 % bands",
                    e.scenario, e.runs
                ),
                ("sans-serif", 20),
            )
            .margin(16)
            .margin_right(RIGHT_MARGIN)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d(first..last, 0.0..top)
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
        for (lo, hi, alpha, _, _) in bands_drawn {
            let mut polygon: Vec<(i32, f64)> = total.iter().map(|b| (b.year, b.percentiles[hi])).collect();
            polygon.extend(total.iter().rev().map(|b| (b.year, b.percentiles[lo])));
            chart
                .draw_series(std::iter::once(Polygon::new(polygon, total_colour.mix(alpha).filled())))
                .map_err(err)?;
        }
        chart
            .draw_series(LineSeries::new(
                total.iter().map(|b| (b.year, b.percentiles[2])),
                total_colour.stroke_width(3),
            ))
            .map_err(err)?;
        chart
            .draw_series(DashedLineSeries::new(
                total.iter().map(|b| (b.year, b.mean)),
                6,
                4,
                BLACK.stroke_width(1),
            ))
            .map_err(err)?;
        for &sector in &sectors {
            let c = rgb(decarb_chart::sector(sector));
            let rows = world(Some(sector));
            chart
                .draw_series(LineSeries::new(
                    rows.iter().map(|b| (b.year, b.percentiles[2])),
                    c.stroke_width(1),
                ))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(svg)
}
