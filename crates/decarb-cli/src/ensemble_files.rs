//! The files of an ensemble's aggregates, `bands.csv`, `probabilities.csv` and `fan.svg`: one
//! writer for an ensemble run on one machine (`decarb run --runs`) and for merged shards (`decarb
//! merge`), so that the two are byte for byte the same.

use crate::output::{Cell, Format, Table};
use crate::run_tables::region_name;
use anyhow::{Result, anyhow};
use decarb_chart::okabe_ito::BLACK;
use decarb_chart::svg::doc::{Band, Chart, Line, Plot, Xy};
use decarb_engine::ensemble::{
    BandRow, Ensemble, MILESTONE_MAX_SHARE, MILESTONE_YEAR, NEAR_ZERO_MAX_SHARE, Variable,
};
use std::path::Path;

/// Writes bands.csv, probabilities.csv and fan.svg of an ensemble's aggregates: one path for an
/// ensemble run on one machine and for merged shards (`decarb merge`).
pub fn write_aggregates(ensemble: &Ensemble, out: &Path) -> Result<()> {
    let bands = ensemble.bands();
    bands_table(&ensemble.scenario, &bands).write_file(&out.join("bands.csv"), Format::Csv)?;
    probabilities_table(ensemble).write_file(&out.join("probabilities.csv"), Format::Csv)?;
    crate::charts::write(&out.join("fan.svg"), &fan_chart(ensemble, &bands)?)
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
/// the median and the mean; one thin median line per sector; the milestone year marked.
fn fan_chart(e: &Ensemble, bands: &[BandRow]) -> Result<Chart> {
    let world = |sector: Option<decarb_model::Sector>| -> Vec<&BandRow> {
        bands
            .iter()
            .filter(|b| b.sector == sector && b.region.is_none() && b.variable == Variable::DirectEmissions)
            .collect()
    };
    let total = world(None);
    if e.layout.years.is_empty() {
        return Err(anyhow!("the ensemble has no years"));
    }
    // All sectors together in black (decarb's one palette), each sector in its own colour.
    let band = |lo: usize, hi: usize, name: &str, opacity: f64| Band {
        name: name.to_owned(),
        points: total.iter().map(|b| (f64::from(b.year), b.percentiles[lo], b.percentiles[hi])).collect(),
        colour: BLACK,
        opacity,
    };
    let line = |rows: &[&BandRow], value: fn(&BandRow) -> f64| -> Vec<(f64, f64)> {
        rows.iter().map(|b| (f64::from(b.year), value(b))).collect()
    };
    let mut lines = vec![
        Line::new("median, all sectors", line(&total, |b| b.percentiles[2])).colour(BLACK).width(3.0),
        Line::new("mean", line(&total, |b| b.mean)).colour(BLACK).width(1.0).dashed(),
    ];
    for sector in e.layout.sectors.iter().filter_map(|s| *s) {
        let median = line(&world(Some(sector)), |b| b.percentiles[2]);
        let name = format!("median, {}", sector.as_str());
        lines.push(Line::new(name, median).colour(decarb_chart::sector(sector)).width(1.5));
    }
    let xy = Xy {
        x_name: "year".into(),
        unit: "Mt CO2 (direct, after capture)".into(),
        bands: vec![band(0, 4, "p5-p95 (90 % of runs)", 0.18), band(1, 3, "p25-p75 (50 % of runs)", 0.35)],
        lines,
        markers: vec![(f64::from(MILESTONE_YEAR), MILESTONE_YEAR.to_string())],
        ..Xy::default()
    };
    let title =
        format!("Direct CO2 emissions, {} ({} runs): median, 50 % and 90 % bands", e.scenario, e.runs);
    Ok(Chart::single(title, "World, all sectors and by sector", Plot::Xy(xy)))
}
