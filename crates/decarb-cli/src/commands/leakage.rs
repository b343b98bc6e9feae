//! `decarb leakage exposure`: carbon-leakage exposure by country for one sector and year:
//! production, exports, imports, trade intensity, emission intensity, the carbon cost of
//! production at a price, and the CBAM cost of exports to the EU, ranked (decarb-cbam::exposure).

use crate::output::{Cell, Format, Table};
use anyhow::{Context, Result};
use decarb_cbam::exposure::{CountryFlows, Exposure, ExposureOptions, exposure};
use decarb_cbam::num::parse_decimal;
use decarb_cbam::{CnCode, Facts};
use decarb_model::{CountryCode, Sector};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum LeakageCommand {
    /// Per country: production, exports, imports, trade intensity, emission intensity, carbon cost
    /// at a price and CBAM exposure of exports to the EU, ranked; table and (--chart) SVG chart.
    Exposure(ExposureArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExposureArgs {
    /// Sector: steel or aluminium (the sectors with bundled country intensities).
    #[arg(long)]
    sector: String,
    /// Year of the production and trade statistics.
    #[arg(long, value_name = "Y")]
    year: i32,
    /// Carbon price for the carbon cost of production, EUR per t CO2e.
    #[arg(long, value_name = "EUR", default_value = "80", allow_hyphen_values = true)]
    carbon_price: String,
    /// CBAM year whose factor and mark-up price the exports (default 2026).
    #[arg(long, value_name = "Y", default_value_t = 2026)]
    cbam_year: i32,
    /// Trade table in the worldsteel format (country,metric,YEAR...; metric Exports or Imports;
    /// thousand tonnes), e.g. the shared worldsteel-production-trade/steel_trade_kt_2019_2021.csv.
    #[arg(long, value_name = "FILE")]
    trade: Option<PathBuf>,
    /// Share of each country's exports that goes to the EU (default: all, an upper bound).
    #[arg(long, value_name = "F")]
    eu_export_share: Option<String>,
    /// EUR per CBAM certificate (default: the bundled published price).
    #[arg(long, value_name = "EUR")]
    certificate_price: Option<String>,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    #[arg(long, value_name = "F")]
    correction_factor: Option<String>,
    /// Show the first N countries only.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Write a bar chart of CBAM exposure to FILE (leakage-exposure.svg when no FILE is given).
    #[arg(long, value_name = "FILE.svg", num_args = 0..=1, default_missing_value = "leakage-exposure.svg")]
    chart: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    format: Option<Format>,
}

pub fn run(command: LeakageCommand) -> Result<()> {
    match command {
        LeakageCommand::Exposure(args) => run_exposure(&args),
    }
}

fn user(message: String) -> anyhow::Error {
    crate::commands::UserError(message).into()
}

/// The good whose CBAM treatment stands for the sector's exports.
fn representative_good(sector: Sector) -> Result<CnCode> {
    let code = match sector {
        Sector::Steel => "7208",
        Sector::Aluminium => "7601 10 00",
        Sector::Cement | Sector::Ammonia => {
            return Err(user(format!(
                "no country emission intensities are bundled for {sector}: the IR 2025/2621 cement and fertiliser \
                 defaults are not transcribed"
            )));
        }
    };
    Ok(CnCode::parse(code)?)
}

/// Exports and imports by country for one year, tonnes, from a worldsteel-format trade table.
type Trade = BTreeMap<CountryCode, (Option<Decimal>, Option<Decimal>)>;

fn read_trade(path: &Path, year: i32, notes: &mut Vec<String>) -> Result<Trade> {
    let name = path.display().to_string();
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| user(format!("cannot read trade table {name}: {e}")))?;
    let headers = reader.headers().map_err(|e| user(format!("{name}: {e}")))?.clone();
    let column =
        |wanted: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == wanted);
    let (Some(country_col), Some(metric_col)) = (column("country"), column("metric")) else {
        return Err(user(format!("{name}: expected columns country and metric")));
    };
    let year_col = column(&year.to_string())
        .ok_or_else(|| user(format!("{name}: no column for {year}; the table covers other years")))?;
    let mut trade = Trade::new();
    let mut unknown = std::collections::BTreeSet::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| user(format!("{name}, row {}: {e}", i + 1)))?;
        let line = record.position().map_or(0, csv::Position::line);
        let country_name = record.get(country_col).unwrap_or("").trim();
        let Some(country) = CountryCode::resolve(country_name) else {
            unknown.insert(country_name.to_owned());
            continue;
        };
        let cell = record.get(year_col).unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        let kt = parse_decimal(cell, "trade value")
            .map_err(|e| user(format!("{name}, line {line}, column {year}: {e}")))?;
        let tonnes = kt
            .checked_mul(Decimal::ONE_THOUSAND)
            .ok_or_else(|| user(format!("{name}, line {line}, column {year}: {kt} kt is out of range")))?;
        let entry = trade.entry(country).or_default();
        match record.get(metric_col).unwrap_or("").trim().to_ascii_lowercase().as_str() {
            "exports" => entry.0 = Some(tonnes),
            "imports" => entry.1 = Some(tonnes),
            other => {
                return Err(user(format!(
                    "{name}, line {line}, column metric: found {other:?}, expected Exports or Imports"
                )));
            }
        }
    }
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.into_iter().collect();
        notes.push(format!("trade rows not matched to one country, left out: {}", names.join(", ")));
    }
    Ok(trade)
}

fn run_exposure(args: &ExposureArgs) -> Result<()> {
    let sector: Sector = args.sector.parse()?;
    let good = representative_good(sector)?;
    let production = decarb_data::facts::production(sector).map_err(|e| user(e.to_string()))?;
    let mut notes = Vec::new();
    let trade = if let Some(path) = &args.trade {
        read_trade(path, args.year, &mut notes)?
    } else {
        notes.push(
            "no trade table given (--trade): exports, imports, trade intensity and CBAM exposure are empty"
                .into(),
        );
        Trade::new()
    };
    let mut flows = Vec::new();
    for row in production.rows.iter().filter(|r| r.year == args.year) {
        // Production is bundled in thousand tonnes as f64; whole tonnes are exact enough here.
        let production_t = Decimal::try_from(row.value * 1000.0).map_or(Decimal::ZERO, |t| t.round());
        let (exports_t, imports_t) = trade.get(&row.country).copied().unwrap_or((None, None));
        flows.push(CountryFlows {
            country: row.country,
            production_t,
            exports_t,
            imports_t,
            intensity: None,
        });
    }
    if flows.is_empty() {
        return Err(user(format!(
            "no {sector} production statistics for {}; covered years: {:?}",
            args.year,
            production.years()
        )));
    }
    let options = ExposureOptions {
        good: good.clone(),
        cbam_year: args.cbam_year,
        carbon_price: parse_decimal(&args.carbon_price, "--carbon-price")?,
        certificate_price: args
            .certificate_price
            .as_deref()
            .map(|t| parse_decimal(t, "--certificate-price"))
            .transpose()?,
        correction_factor: args
            .correction_factor
            .as_deref()
            .map(|t| parse_decimal(t, "--correction-factor"))
            .transpose()?,
        eu_export_share: args
            .eu_export_share
            .as_deref()
            .map(|t| parse_decimal(t, "--eu-export-share"))
            .transpose()?,
    };
    let mut table = exposure(Facts::bundled()?, &flows, &options)?;
    table.notes.splice(0..0, notes);
    table.notes.push(format!(
        "emission intensity: the country's IR 2025/2621 default value for {good} (no mark-up), the act's country \
         average; CBAM cost per tonne: {good} on default values in {}",
        args.cbam_year
    ));
    if let Some(top) = args.top {
        table.rows.truncate(top);
    }
    let format = Format::resolve(args.format);
    exposure_table(&table).print(format)?;
    let lines = table.notes.iter().fold(String::new(), |mut out, n| {
        let _ = writeln!(out, "note: {n}");
        out
    });
    if format == Format::Table {
        let mut out = std::io::stdout().lock();
        out.write_all(lines.as_bytes())?;
    } else {
        eprint!("{lines}");
    }
    if let Some(path) = &args.chart {
        write_chart(
            path,
            &format!("CBAM exposure of {sector} exports to the EU, {}", args.cbam_year),
            &table,
        )?;
        eprintln!("chart written to {}", path.display());
    }
    Ok(())
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

/// Horizontal bars of CBAM exposure in million EUR, largest first.
fn write_chart(path: &Path, title: &str, table: &Exposure) -> Result<()> {
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
        return Err(user("no CBAM exposure to chart: give a trade table with --trade".into()));
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
