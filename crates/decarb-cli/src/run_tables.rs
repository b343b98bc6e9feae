//! The tables of a pathway run with the column names of the contract (summary, technology mix,
//! resources, decisions, limits, and the breakdowns by country or owner): written by `decarb run`
//! and read back by `decarb diff` for a scenario it runs on the fly.

use crate::output::{Cell, Format, Table};
use anyhow::Result;
use decarb_engine::breakdown::{Breakdown, GroupBy};
use decarb_engine::outcome::Outcome;
use decarb_model::Region;
use decarb_model::units::Usd;
use std::path::Path;

/// The files of a breakdown by country or owner: `summary_by_<key>` (the summary's columns, the
/// key in place of the region, no costs) and, by owner, `owner_attribution` (plants counted by
/// how their shares were attributed).
pub fn breakdown_tables(scenario: &str, b: &Breakdown) -> Vec<(String, Table)> {
    let mut table = Table::new([
        "scenario",
        "year",
        "sector",
        b.by.as_str(),
        "production_mt",
        "capacity_mt",
        "direct_emissions_mtco2",
        "captured_mtco2",
        "indirect_emissions_mtco2",
    ]);
    for r in &b.rows {
        table.push(vec![
            Cell::text(scenario),
            Cell::int(r.year),
            Cell::text(r.sector.as_str()),
            Cell::text(r.group.clone()),
            mt(r.production.0),
            mt(r.capacity.0),
            mt(r.direct_emissions.0),
            mt(r.captured.0),
            mt(r.indirect_emissions.0),
        ]);
    }
    let mut tables = vec![(format!("summary_by_{}", b.by), table)];
    if b.by == GroupBy::Owner {
        let a = &b.attribution;
        let mut attribution = Table::new(["scenario", "attribution", "plants"]);
        for (what, plants) in [
            ("assumed_equal_shares", a.plants_with_assumed_shares),
            ("part_to_other_holders", a.plants_with_other_holders),
            ("owner_unknown", a.plants_owner_unknown),
            ("new_capacity", a.plants_new_capacity),
        ] {
            attribution.push(vec![Cell::text(scenario), Cell::text(what), Cell::int(plants)]);
        }
        tables.push(("owner_attribution".to_owned(), attribution));
    }
    tables
}

pub fn region_name(region: Option<Region>) -> &'static str {
    region.map_or("World", Region::as_str)
}

fn mt(value: f64) -> Cell {
    Cell::number(value / 1e6, 3)
}

fn busd(value: Usd) -> Cell {
    Cell::number(value.to_billions(), 3)
}

/// The run's tables, with the column names of the contract.
pub fn tables(outcome: &Outcome) -> Vec<(&'static str, Table)> {
    let scenario = || Cell::text(outcome.scenario.clone());
    let mut summary = Table::new([
        "scenario",
        "year",
        "sector",
        "region",
        "production_mt",
        "capacity_mt",
        "direct_emissions_mtco2",
        "captured_mtco2",
        "indirect_emissions_mtco2",
        "capex_busd",
        "opex_busd",
        "stranded_capacity_mt",
    ]);
    for r in &outcome.summary {
        summary.push(vec![
            scenario(),
            Cell::int(r.year),
            Cell::text(r.sector.as_str()),
            Cell::text(region_name(r.region)),
            mt(r.production.0),
            mt(r.capacity.0),
            mt(r.direct_emissions.0),
            mt(r.captured.0),
            mt(r.indirect_emissions.0),
            busd(r.capex),
            busd(r.opex),
            mt(r.stranded_capacity.0),
        ]);
    }
    let mut mix =
        Table::new(["scenario", "year", "sector", "region", "technology", "production_mt", "capacity_mt"]);
    for r in &outcome.technology_mix {
        mix.push(vec![
            scenario(),
            Cell::int(r.year),
            Cell::text(r.sector.as_str()),
            Cell::text(region_name(r.region)),
            Cell::text(r.technology.as_str()),
            mt(r.production.0),
            mt(r.capacity.0),
        ]);
    }
    let mut resources = Table::new(["scenario", "year", "sector", "region", "resource", "quantity", "unit"]);
    for r in &outcome.resources {
        let (name, unit, factor) = r.resource.report();
        resources.push(vec![
            scenario(),
            Cell::int(r.year),
            Cell::text(r.sector.as_str()),
            Cell::text(region_name(r.region)),
            Cell::text(name),
            Cell::number(r.quantity * factor, 4),
            Cell::text(unit),
        ]);
    }
    let mut decisions = Table::new(["scenario", "plant", "year", "from", "to", "reason", "options"]);
    for d in &outcome.decisions {
        let mut reason = d.reason.as_str().to_owned();
        if !d.limited_by.is_empty() {
            reason.push_str("; limited by ");
            reason.push_str(&d.limited_by.join(" "));
        }
        let options =
            d.options.iter().map(|(t, cost)| format!("{t}={cost:.1}")).collect::<Vec<_>>().join(";");
        decisions.push(vec![
            scenario(),
            Cell::text(d.plant.clone()),
            Cell::int(d.year),
            Cell::text(d.from.as_ref().map_or("", |t| t.as_str())),
            Cell::text(d.to.as_ref().map_or("", |t| t.as_str())),
            Cell::text(reason),
            Cell::text(options),
        ]);
    }
    let limits = limits_table(outcome);
    vec![
        ("summary", summary),
        ("technology_mix", mix),
        ("resources", resources),
        ("decisions", decisions),
        ("limits", limits),
    ]
}

/// The limits table: each limit's value, what plants booked, refusals, and the shadow price in
/// USD per base unit of the resource (t H2, t, t CO2, GJ, MWh; `shadow_price_unit` names it).
fn limits_table(outcome: &Outcome) -> Table {
    let scenario = || Cell::text(outcome.scenario.clone());
    let mut limits = Table::new([
        "scenario",
        "year",
        "region",
        "resource",
        "limit",
        "booked",
        "unit",
        "refused_options",
        "shadow_price",
        "shadow_price_unit",
    ]);
    for r in &outcome.limits {
        let (unit, factor) = r.resource.report_unit();
        limits.push(vec![
            scenario(),
            Cell::int(r.year),
            Cell::text(region_name(r.region)),
            Cell::text(r.resource.as_str()),
            Cell::number(r.limit * factor, 3),
            Cell::number(r.booked * factor, 3),
            Cell::text(unit),
            Cell::int(r.refused_options),
            Cell::number(r.shadow_price, 2),
            Cell::text(format!("USD/{}", r.resource.base_unit())),
        ]);
    }
    limits
}

/// Writes every table as CSV (and JSON when `json`) into `dir`.
pub fn write_outputs(outcome: &Outcome, dir: &Path, json: bool) -> Result<()> {
    for (name, table) in tables(outcome) {
        table.write_file(&dir.join(format!("{name}.csv")), Format::Csv)?;
        if json {
            table.write_file(&dir.join(format!("{name}.json")), Format::Json)?;
        }
    }
    Ok(())
}
