//! `decarb leakage exposure`: gathers the production statistics, the trade and the intensity
//! source, lets decarb-cbam build and rank the table, and prints it.

use super::chart;
use super::{ExposureArgs, IntensityChoice};
use crate::commands::UserError;
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use decarb_cbam::exposure::{Exposure, ExposureOptions, exposure};
use decarb_cbam::inputs::{Trade, read_run_summary, read_trade, region_intensities, tonnes_from_kt_f64};
use decarb_cbam::leakage::{IntensitySource, country_flows, leakage_good, mark_fallbacks};
use decarb_cbam::num::parse_decimal;
use decarb_cbam::{CnCode, Facts};
use decarb_model::Sector;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::io::Write;

fn user(message: String) -> anyhow::Error {
    UserError(message).into()
}

/// The bundled trade of a sector for one year, in tonnes, or a note saying why there is none.
fn bundled_trade(sector: Sector, year: i32, notes: &mut Vec<String>) -> Result<Trade> {
    let table = match decarb_data::facts::trade(sector) {
        Ok(table) => table,
        Err(err) => {
            notes.push(format!("{err}: exports, imports, trade intensity and CBAM exposure are empty"));
            return Ok(Trade::new());
        }
    };
    if !table.years().contains(&year) {
        notes.push(format!(
            "the bundled {sector} trade covers {:?}, not {year}: exports, imports, trade intensity and CBAM \
             exposure are empty (give a table with --trade)",
            table.years()
        ));
        return Ok(Trade::new());
    }
    let tonnes = |kt: Option<f64>| kt.map(|kt| tonnes_from_kt_f64(kt, "bundled trade value")).transpose();
    let mut trade = Trade::new();
    for country in table.countries() {
        trade.insert(country, (tonnes(table.exports(country, year))?, tonnes(table.imports(country, year))?));
    }
    let flagged: Vec<String> = table
        .rows
        .iter()
        .filter(|r| r.year == year && !r.note.is_empty() && !r.note.starts_with("Belgium and Luxembourg"))
        .map(|r| format!("{} {} {}: {}", r.country.as_str(), r.flow.as_str(), r.year, r.note))
        .collect();
    notes.push(format!(
        "trade: bundled {} {year}, facts/trade_{sector}.csv ({}); Belgium's row is Belgium and Luxembourg \
         combined",
        table.product,
        table.rows.first().map_or("", |r| r.source.as_str())
    ));
    notes.extend(flagged);
    Ok(trade)
}

/// The intensity source the arguments name: an engine run's regions, the bundled fleet, or the
/// CBAM default values.
fn intensity_source(args: &ExposureArgs, sector: Sector) -> Result<IntensitySource> {
    Ok(match (&args.run, args.intensity) {
        (Some(dir), _) => {
            let summary = if dir.is_dir() { dir.join("summary.csv") } else { dir.clone() };
            let name = summary.display().to_string();
            let file = std::fs::File::open(&summary)
                .map_err(|e| user(format!("cannot read run summary {name}: {e}")))?;
            let rows = read_run_summary(std::io::BufReader::new(file), &name, sector)?;
            IntensitySource::Run(region_intensities(&rows, &name, sector, args.year)?, dir.clone())
        }
        (None, IntensityChoice::Fleet) => IntensitySource::Fleet(
            decarb_scenario::fleet_intensity::fleet_intensities(sector).map_err(|e| match e {
                decarb_scenario::fleet_intensity::FleetIntensityError::NoProduct(_) => user(e.to_string()),
                decarb_scenario::fleet_intensity::FleetIntensityError::Defect(_) => anyhow::Error::new(e),
            })?,
        ),
        (None, IntensityChoice::CbamDefault) => IntensitySource::CbamDefault,
    })
}

fn exposure_options(args: &ExposureArgs, sector: Sector, good: CnCode) -> Result<ExposureOptions> {
    let optional = |text: Option<&String>, what: &str| -> Result<Option<Decimal>> {
        Ok(text.map(|t| parse_decimal(t, what)).transpose()?)
    };
    Ok(ExposureOptions {
        good,
        cbam_year: args.cbam_year,
        carbon_price: parse_decimal(&args.carbon_price, "--carbon-price")?,
        certificate_price: optional(args.certificate_price.as_ref(), "--certificate-price")?,
        correction_factor: optional(args.correction_factor.as_ref(), "--correction-factor")?,
        eu_export_share: optional(args.eu_export_share.as_ref(), "--eu-export-share")?,
        // Primary aluminium is smelted from alumina: route K, as `decarb cbam pathway` assumes.
        route: (sector == Sector::Aluminium).then_some('K'),
    })
}

pub(super) fn run(args: &ExposureArgs) -> Result<()> {
    let sector: Sector = args.sector.parse()?;
    let good = leakage_good(sector)?;
    let production = decarb_data::facts::production(sector).map_err(|e| user(e.to_string()))?;
    let mut notes = Vec::new();
    let trade = if let Some(path) = &args.trade {
        let name = path.display().to_string();
        let file =
            std::fs::File::open(path).map_err(|e| user(format!("cannot read trade table {name}: {e}")))?;
        let (trade, note) = read_trade(std::io::BufReader::new(file), &name, args.year)?;
        notes.extend(note);
        trade
    } else {
        bundled_trade(sector, args.year, &mut notes)?
    };
    let intensities = intensity_source(args, sector)?;
    let rows = production.rows.iter().filter(|r| r.year == args.year).map(|r| (r.country, r.value));
    let (flows, fallback) = country_flows(rows, &trade, &intensities, args.year)?;
    if flows.is_empty() {
        return Err(user(format!(
            "no {sector} production statistics for {}; covered years: {:?}",
            args.year,
            production.years()
        )));
    }
    let options = exposure_options(args, sector, good.clone())?;
    let mut table = exposure(Facts::bundled()?, &flows, &options)?;
    mark_fallbacks(&mut table, &fallback, &intensities);
    table.notes.splice(0..0, notes);
    table.notes.push(intensities.note(sector, &good, args.year, args.cbam_year));
    if let Some(top) = args.top {
        table.rows.truncate(top);
    }
    let (format, mut out) = (args.output.format(), args.output.sink());
    out.table(&exposure_table(&table), format)?;
    let lines = table.notes.iter().fold(String::new(), |mut out, n| {
        let _ = writeln!(out, "note: {n}");
        out
    });
    if format == Format::Table {
        out.write_all(lines.as_bytes())?;
    } else {
        eprint!("{lines}");
    }
    if let Some(path) = &args.chart {
        chart::write_chart(
            path,
            &format!("CBAM exposure of {sector} exports to the EU, {}", args.cbam_year),
            &table,
        )?;
        eprintln!("chart written to {}", path.display());
    }
    out.finish()
}

/// An analytic estimate (not a regulatory quantity): a plain number cell, so JSON gets numbers.
fn text(value: Option<Decimal>, dp: usize) -> Cell {
    value.and_then(|v| v.to_string().parse::<f64>().ok()).map_or(Cell::Empty, |v| Cell::number(v, dp))
}

fn exposure_table(table: &Exposure) -> Table {
    let mut out = Table::new([
        "rank",
        "country",
        "name",
        "production_t",
        "exports_t",
        "imports_t",
        "trade_intensity",
        "emission_intensity_t_per_t",
        "carbon_cost_eur",
        "cbam_cost_eur_per_t",
        "cbam_exposure_eur",
        "intensity_source",
    ]);
    for row in &table.rows {
        out.push(vec![
            Cell::int(row.rank),
            Cell::text(row.country.as_str()),
            Cell::text(row.country.name()),
            text(Some(row.production_t), 0),
            text(row.exports_t, 0),
            text(row.imports_t, 0),
            text(row.trade_intensity, 4),
            text(Some(row.emission_intensity), 3),
            text(Some(row.carbon_cost_eur), 0),
            text(Some(row.cbam_cost_eur_per_t), 2),
            text(row.cbam_exposure_eur, 0),
            Cell::text(row.intensity_source.clone()),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::CountryCode;

    fn country(code: &str) -> CountryCode {
        CountryCode::resolve(code).unwrap()
    }

    #[test]
    fn bundled_trade_is_in_tonnes_and_empty_outside_its_years() {
        let mut notes = Vec::new();
        let trade = bundled_trade(Sector::Steel, 2020, &mut notes).unwrap();
        let (exports, imports) = trade[&country("CHN")];
        assert_eq!(exports, Some(Decimal::from(53_086_760)));
        assert_eq!(imports, Some(Decimal::from(38_709_650)));
        let mut notes = Vec::new();
        let trade = bundled_trade(Sector::Steel, 2021, &mut notes).unwrap();
        assert_eq!(trade[&country("THA")].0, Some(Decimal::ZERO));
        assert!(notes.iter().any(|n| n.contains("THA exports 2021") && n.contains("gap")), "{notes:?}");
        let mut notes = Vec::new();
        assert!(bundled_trade(Sector::Steel, 2015, &mut notes).unwrap().is_empty());
        assert!(
            notes[0].contains("2019, 2020, 2021") || notes[0].contains("[2019, 2020, 2021]"),
            "{notes:?}"
        );
        let mut notes = Vec::new();
        assert!(bundled_trade(Sector::Aluminium, 2020, &mut notes).unwrap().is_empty());
        assert!(notes[0].contains("R12"), "{notes:?}");
    }
}
