//! `decarb leakage exposure`: carbon-leakage exposure by country for one sector and year:
//! production, exports, imports, trade intensity, emission intensity, the carbon cost of
//! production at a price, and the CBAM cost of exports to the EU, ranked (decarb-cbam::exposure).
//!
//! Trade comes from the bundled worldsteel table (`decarb_data::facts::steel_trade`) unless a
//! table is given with `--trade`. Emission intensity comes from the bundled world fleet (each
//! country's capacity-weighted net direct CO2 of the technologies the engine starts its plants
//! on), from an engine run (`--run`), or from the CBAM default values (`--intensity
//! cbam-default`); the `intensity_source` column says which one each row used.

use crate::output::{Cell, Format, Table};
use anyhow::{Context, Result};
use decarb_cbam::exposure::{CountryFlows, Exposure, ExposureOptions, exposure};
use decarb_cbam::num::parse_decimal;
use decarb_cbam::{CnCode, Facts};
use decarb_model::{CountryCode, Region, Sector};
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
    /// thousand tonnes), replacing the bundled steel trade (worldsteel 2019-2021).
    #[arg(long, value_name = "FILE")]
    trade: Option<PathBuf>,
    /// Where emission intensities come from: the bundled world fleet (default) or the CBAM
    /// default values of IR 2025/2621 (the act's country averages).
    #[arg(long, value_enum, default_value = "fleet")]
    intensity: IntensityChoice,
    /// Take each country's intensity from an engine run instead: its region's direct emissions /
    /// production in the run's summary.csv for this sector and year (DIR or DIR/summary.csv).
    #[arg(long, value_name = "DIR", conflicts_with = "intensity")]
    run: Option<PathBuf>,
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

/// The source of emission intensities when no run is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum IntensityChoice {
    /// Capacity-weighted net direct CO2 of the country's bundled-world fleet.
    Fleet,
    /// The country's IR 2025/2621 default value without mark-up.
    CbamDefault,
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
                "leakage exposure is not available for {sector}: no by-country trade is bundled for it (only \
                 worldsteel's steel trade; docs/cbam-declare-format.md, \"Aluminium and fertiliser trade\"); \
                 its CBAM default values are bundled: `decarb cbam quote` prices its goods"
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
    // Through the shortest decimal text of the f64, so 53086.76 kt is exactly 53 086 760 t.
    let tonnes = |kt: Option<f64>| -> Result<Option<Decimal>> {
        kt.map(|kt| {
            let kt = parse_decimal(&kt.to_string(), "bundled trade value")?;
            kt.checked_mul(Decimal::ONE_THOUSAND)
                .ok_or_else(|| anyhow::anyhow!("bundled trade value {kt} kt is out of range"))
        })
        .transpose()
    };
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

/// The functional unit of the product whose intensity stands for a sector's exports.
fn product_unit(sector: Sector) -> Option<&'static str> {
    match sector {
        Sector::Steel => Some("t crude steel"),
        Sector::Aluminium => Some("t primary aluminium"),
        Sector::Cement | Sector::Ammonia => None,
    }
}

/// Each country's capacity-weighted direct CO2 intensity, net of capture, of its bundled-world
/// fleet of a sector, t CO2 per t of product: every fleet row takes the technology mix the
/// engine starts it on (`decarb_engine::start`, first matching rule, shares normalised as the
/// engine does), weighted by the row's capacity. Plants under construction and rows whose
/// technologies make another product (alumina refineries for aluminium) are left out.
pub(crate) fn fleet_intensities(sector: Sector) -> Result<BTreeMap<CountryCode, f64>> {
    let unit = product_unit(sector)
        .ok_or_else(|| user(format!("no product intensity is defined for {sector} exposure")))?;
    let rules = decarb_engine::start::default_start_rules();
    // (capacity-weighted intensity, capacity) per country.
    let mut sums: BTreeMap<CountryCode, (f64, f64)> = BTreeMap::new();
    // Operating plants only: plants under construction make nothing yet.
    for row in
        decarb_data::world::fleet_rows().iter().filter(|r| r.sector == sector && r.status.is_operating())
    {
        let Some(rule) = decarb_engine::start::rule_index(&rules, row.route, row.country, row.process_name())
            .and_then(|i| rules.get(i))
        else {
            return Err(anyhow::anyhow!(
                "no start rule for route {} in {} (a decarb defect)",
                row.route,
                row.country.as_str()
            ));
        };
        let share_total: f64 = rule.mix.iter().map(|(_, share)| share.max(0.0)).sum();
        if share_total <= 0.0 {
            continue;
        }
        for (id, share) in &rule.mix {
            let technology = decarb_data::facts::technology(id.as_str())
                .ok_or_else(|| anyhow::anyhow!("start technology {id} is not bundled (a decarb defect)"))?;
            if technology.functional_unit != unit {
                continue;
            }
            let weight = row.capacity.0 * share.max(0.0) / share_total;
            let entry = sums.entry(row.country).or_default();
            entry.0 += weight * technology.net_direct_co2().0;
            entry.1 += weight;
        }
    }
    Ok(sums
        .into_iter()
        .filter(|(_, (_, capacity))| *capacity > 0.0)
        .map(|(country, (weighted, capacity))| (country, weighted / capacity))
        .collect())
}

/// Each region's direct emissions / production in an engine run's summary.csv, for one sector
/// and year, t CO2 per t.
fn run_intensities(path: &Path, sector: Sector, year: i32) -> Result<BTreeMap<Region, f64>> {
    let summary = if path.is_dir() { path.join("summary.csv") } else { path.to_path_buf() };
    let mut out = BTreeMap::new();
    for (region, row_year, production, direct, _indirect) in
        crate::commands::cbam::read_run_summary(&summary, sector)?
    {
        if row_year != year || production <= 0.0 {
            continue;
        }
        let region: Region =
            region.parse().map_err(|e| user(format!("{}: region {region:?}: {e}", summary.display())))?;
        out.insert(region, direct / production);
    }
    if out.is_empty() {
        return Err(user(format!(
            "{}: no regional {sector} rows with production in {year}",
            summary.display()
        )));
    }
    Ok(out)
}

/// An f64 intensity as a decimal, rounded to 6 places (a micro-tonne per tonne).
fn intensity_decimal(value: f64) -> Option<Decimal> {
    Decimal::try_from(value).ok().map(|d| d.round_dp(6))
}

/// Where each country's emission intensity comes from.
enum Intensities {
    /// t CO2 per t of each country's bundled fleet.
    Fleet(BTreeMap<CountryCode, f64>),
    /// t CO2 per t of each region in an engine run, and the run's path.
    Run(BTreeMap<Region, f64>, PathBuf),
    /// The CBAM default values (decarb-cbam looks them up when the intensity is None).
    CbamDefault,
}

impl Intensities {
    fn load(args: &ExposureArgs, sector: Sector) -> Result<Intensities> {
        Ok(match (&args.run, args.intensity) {
            (Some(dir), _) => Intensities::Run(run_intensities(dir, sector, args.year)?, dir.clone()),
            (None, IntensityChoice::Fleet) => Intensities::Fleet(fleet_intensities(sector)?),
            (None, IntensityChoice::CbamDefault) => Intensities::CbamDefault,
        })
    }

    /// A country's intensity and its source; None for the CBAM default value.
    fn of(&self, country: CountryCode, year: i32) -> Option<(Decimal, String)> {
        match self {
            Intensities::Run(by_region, _) => {
                let region = country.region();
                by_region.get(&region).and_then(|v| intensity_decimal(*v)).map(|v| {
                    (v, format!("engine run: {region} region direct emissions / production, {year}"))
                })
            }
            Intensities::Fleet(by_country) => {
                by_country.get(&country).and_then(|v| intensity_decimal(*v)).map(|v| {
                    (
                        v,
                        "bundled fleet: capacity-weighted net direct CO2 of the engine's start technologies"
                            .to_owned(),
                    )
                })
            }
            Intensities::CbamDefault => None,
        }
    }

    /// Why a country fell back to the CBAM default, or None when the default was asked for.
    fn fallback_reason(&self) -> Option<&'static str> {
        match self {
            Intensities::Run(..) => Some("no region row in the run"),
            Intensities::Fleet(_) => Some("no bundled fleet"),
            Intensities::CbamDefault => None,
        }
    }

    fn note(&self, sector: Sector, good: &CnCode, year: i32, cbam_year: i32) -> String {
        match self {
            Intensities::Run(_, dir) => format!(
                "emission intensity: the region's direct emissions / production in {} for {year}, taken as the \
                 verified actual emissions of {good} (Column A benchmark); regions missing from the run fall back \
                 to the IR 2025/2621 country default",
                dir.display()
            ),
            Intensities::Fleet(_) => format!(
                "emission intensity: capacity-weighted direct CO2, net of capture, of the country's bundled-world \
                 {sector} fleet on the technologies the engine starts it on (decarb_engine::start), taken as the \
                 verified actual emissions of {good} (Column A benchmark); countries without a bundled fleet fall \
                 back to the IR 2025/2621 country default (default values, mark-up)"
            ),
            Intensities::CbamDefault => format!(
                "emission intensity: the country's IR 2025/2621 default value for {good} (no mark-up), the act's \
                 country average; CBAM cost per tonne: {good} on default values in {cbam_year}"
            ),
        }
    }
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

fn run_exposure(args: &ExposureArgs) -> Result<()> {
    let sector: Sector = args.sector.parse()?;
    let good = representative_good(sector)?;
    let production = decarb_data::facts::production(sector).map_err(|e| user(e.to_string()))?;
    let mut notes = Vec::new();
    let trade = if let Some(path) = &args.trade {
        read_trade(path, args.year, &mut notes)?
    } else {
        bundled_trade(sector, args.year, &mut notes)?
    };
    let intensities = Intensities::load(args, sector)?;
    let mut fallback = std::collections::BTreeSet::new();
    let mut flows = Vec::new();
    for row in production.rows.iter().filter(|r| r.year == args.year) {
        // Production is bundled in thousand tonnes as f64; whole tonnes are exact enough here.
        let production_t = Decimal::try_from(row.value * 1000.0).map_or(Decimal::ZERO, |t| t.round());
        let (exports_t, imports_t) = trade.get(&row.country).copied().unwrap_or((None, None));
        let intensity = intensities.of(row.country, args.year);
        if intensity.is_none() {
            fallback.insert(row.country);
        }
        flows.push(CountryFlows { country: row.country, production_t, exports_t, imports_t, intensity });
    }
    if flows.is_empty() {
        return Err(user(format!(
            "no {sector} production statistics for {}; covered years: {:?}",
            args.year,
            production.years()
        )));
    }
    let options = exposure_options(args, sector, good.clone())?;
    let mut table = exposure(Facts::bundled()?, &flows, &options)?;
    if let Some(reason) = intensities.fallback_reason() {
        for row in table.rows.iter_mut().filter(|r| fallback.contains(&r.country)) {
            row.intensity_source = format!("{} (fallback: {reason})", row.intensity_source);
        }
    }
    table.notes.splice(0..0, notes);
    table.notes.push(intensities.note(sector, &good, args.year, args.cbam_year));
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
        return Err(user(
            "no CBAM exposure to chart: no trade data for this sector and year (give a table with --trade)"
                .into(),
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::Route;

    fn country(code: &str) -> CountryCode {
        CountryCode::resolve(code).unwrap()
    }

    fn net_direct(id: &str) -> f64 {
        decarb_data::facts::technology(id).unwrap().net_direct_co2().0
    }

    /// The hand computation: capacity-weighted over the country's fleet rows, with the routes
    /// mapped as the MPP steel plant file does (average BF-BOF in China, India and South Korea,
    /// BAT elsewhere; gas DRI-EAF; scrap EAF).
    fn by_hand(code: &str, bf_bof: &str) -> f64 {
        let (mut weighted, mut capacity) = (0.0, 0.0);
        for row in decarb_data::world::fleet_rows()
            .iter()
            .filter(|r| r.sector == Sector::Steel && r.country.as_str() == code && r.status.is_operating())
        {
            let id = match row.route {
                Route::BfBof => bf_bof,
                Route::DriEaf => "steel.dri-eaf-gas",
                Route::Eaf => "steel.eaf-scrap",
                other => panic!("unexpected route {other} in {code}"),
            };
            weighted += row.capacity.0 * net_direct(id);
            capacity += row.capacity.0;
        }
        weighted / capacity
    }

    #[test]
    fn fleet_intensity_is_the_capacity_weighted_start_technology_intensity() {
        let fleet = fleet_intensities(Sector::Steel).unwrap();
        let india = fleet[&country("IND")];
        assert!((india - by_hand("IND", "steel.bf-bof-avg")).abs() < 1e-9, "{india}");
        // Operating GEM plants: 82,394 kt/yr BF-BOF at 2.434, 15,931 DRI-EAF at 0.8516, 15,347 EAF at
        // 0.1632 t/t.
        assert!((india - 1.905_645).abs() < 1e-6, "{india}");
        let usa = fleet[&country("USA")];
        assert!((usa - by_hand("USA", "steel.bf-bof-bat")).abs() < 1e-9, "{usa}");
        // 33,023 kt/yr BAT BF-BOF at 1.794, 260 DRI-EAF at 0.8516, 79,523 scrap EAF at 0.1632.
        assert!((usa - 0.642_190).abs() < 1e-6, "{usa}");
        let (scrap, average) = (net_direct("steel.eaf-scrap"), net_direct("steel.bf-bof-avg"));
        // All-EAF countries sit at the scrap-EAF value, up to float rounding of the weighting.
        for (code, value) in &fleet {
            assert!((scrap - 1e-12..=average + 1e-12).contains(value), "{}: {value}", code.as_str());
        }
        assert!(india > scrap && india < average);
        assert!(fleet.len() > 50, "{}", fleet.len());
    }

    #[test]
    fn aluminium_fleet_intensity_leaves_refineries_out() {
        let fleet = fleet_intensities(Sector::Aluminium).unwrap();
        // Smelters only: every country lies between the grid-powered smelter (2.09 t/t) and the
        // captive-coal one (16.5 t/t); a refinery (0.8 t/t alumina) would pull it below.
        let (grid, coal) = (
            net_direct("aluminium.smelter-carbon-anode-grid"),
            net_direct("aluminium.smelter-carbon-anode-coal"),
        );
        for (code, value) in &fleet {
            assert!((grid - 1e-12..=coal + 1e-12).contains(value), "{}: {value}", code.as_str());
        }
        // China's smelters run mostly on captive coal (MPP asset stack): far above grid smelting.
        let china = fleet[&country("CHN")];
        assert!(china > 8.0 && china < coal, "{china}");
        assert!(fleet_intensities(Sector::Cement).is_err());
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
