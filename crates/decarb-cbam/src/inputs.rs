//! The inputs of the pathway and leakage analyses that come as files: an engine run's
//! `summary.csv` (`decarb run`) and a trade table in the worldsteel format. Errors name the file,
//! the line and the column.

use crate::error::{Error, LineError, Result};
use crate::num::parse_decimal;
use decarb_model::{CountryCode, Region, Sector};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

/// One regional row of a run's summary: production and emissions in tonnes.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub region: String,
    pub year: i32,
    pub production_t: f64,
    pub direct_t: f64,
    pub indirect_t: f64,
}

/// The columns of `summary.csv` the analyses read (the file has more).
#[derive(Debug, serde::Deserialize)]
struct SummaryRow {
    year: String,
    sector: String,
    region: String,
    production_mt: String,
    direct_emissions_mtco2: String,
    indirect_emissions_mtco2: String,
}

fn line_error(file: &str, line: u64, column: &str, message: String) -> Error {
    Error::Lines {
        file: file.to_owned(),
        errors: vec![LineError { line, row: line.saturating_sub(1), column: column.into(), message }],
    }
}

/// The regional rows of one sector in a `decarb run` summary.csv (the World row left out), in
/// tonnes. A file without the sector's rows is an error.
pub fn read_run_summary(reader: impl Read, file: &str, sector: Sector) -> Result<Vec<RunRow>> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let headers = csv.headers().map_err(|e| line_error(file, 1, "(header)", e.to_string()))?.clone();
    // A byte-order mark must not hide the first column.
    let keys: csv::StringRecord = headers.iter().map(|h| h.trim_start_matches('\u{feff}')).collect();
    for wanted in
        ["year", "sector", "region", "production_mt", "direct_emissions_mtco2", "indirect_emissions_mtco2"]
    {
        if !keys.iter().any(|k| k == wanted) {
            return Err(line_error(
                file,
                1,
                wanted,
                format!("no column {wanted} (expected a `decarb run` summary.csv)"),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            line_error(file, e.position().map_or(0, csv::Position::line), "(record)", e.to_string())
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let row: SummaryRow =
            record.deserialize(Some(&keys)).map_err(|e| line_error(file, line, "(record)", e.to_string()))?;
        if row.sector != sector.as_str() || row.region.eq_ignore_ascii_case("world") {
            continue;
        }
        let number = |text: &str, column: &str| -> Result<f64> {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| line_error(file, line, column, format!("found {text:?}, expected a number")))
        };
        let year = row
            .year
            .parse::<i32>()
            .map_err(|_| line_error(file, line, "year", format!("found {:?}, expected a year", row.year)))?;
        rows.push(RunRow {
            year,
            production_t: number(&row.production_mt, "production_mt")? * 1e6,
            direct_t: number(&row.direct_emissions_mtco2, "direct_emissions_mtco2")? * 1e6,
            indirect_t: number(&row.indirect_emissions_mtco2, "indirect_emissions_mtco2")? * 1e6,
            region: row.region,
        });
    }
    if rows.is_empty() {
        return Err(Error::Missing {
            what: format!("{file}: regional {sector} rows"),
            reason: "the file has none (expected a `decarb run` summary.csv with this sector)".into(),
        });
    }
    Ok(rows)
}

/// Each region's direct emissions / production of one year of a run, t CO2 per t.
pub fn region_intensities(
    rows: &[RunRow],
    file: &str,
    sector: Sector,
    year: i32,
) -> Result<BTreeMap<Region, f64>> {
    let mut out = BTreeMap::new();
    for row in rows.iter().filter(|r| r.year == year && r.production_t > 0.0) {
        let region: Region = row.region.parse().map_err(|e| Error::Invalid {
            what: format!("{file}: region"),
            found: row.region.clone(),
            expected: format!("a decarb region ({e})"),
        })?;
        out.insert(region, row.direct_t / row.production_t);
    }
    if out.is_empty() {
        return Err(Error::Missing {
            what: format!("{file}: regional {sector} rows with production in {year}"),
            reason: "the run has none for this year".into(),
        });
    }
    Ok(out)
}

/// Exports and imports by country for one year, tonnes.
pub type Trade = BTreeMap<CountryCode, (Option<Decimal>, Option<Decimal>)>;

/// Thousand tonnes as exact tonnes.
pub fn tonnes_from_kt(kt: Decimal, what: &str) -> Result<Decimal> {
    kt.checked_mul(Decimal::ONE_THOUSAND).ok_or_else(|| Error::Overflow { what: what.to_owned() })
}

/// Thousand tonnes held as f64 (the bundled tables), as exact tonnes through the shortest decimal
/// text of the f64, so 53086.76 kt is exactly 53 086 760 t.
pub fn tonnes_from_kt_f64(kt: f64, what: &str) -> Result<Decimal> {
    tonnes_from_kt(parse_decimal(&kt.to_string(), what)?, what)
}

/// A trade table in the worldsteel format (columns country, metric and one per year; metric
/// Exports or Imports; thousand tonnes) for one year, and a note naming the rows whose country
/// could not be told (regions, former countries), which are left out.
pub fn read_trade(reader: impl Read, file: &str, year: i32) -> Result<(Trade, Option<String>)> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(reader);
    let headers = csv.headers().map_err(|e| line_error(file, 1, "(header)", e.to_string()))?.clone();
    // The year columns are the table's own, so the header is read by name rather than into a
    // fixed row type.
    let column = |wanted: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}') == wanted);
    let (Some(country_col), Some(metric_col)) = (column("country"), column("metric")) else {
        return Err(line_error(file, 1, "country/metric", "expected columns country and metric".into()));
    };
    let year_col = column(&year.to_string()).ok_or_else(|| {
        line_error(file, 1, &year.to_string(), format!("no column for {year}; the table covers other years"))
    })?;
    let mut trade = Trade::new();
    let mut unknown = BTreeSet::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            line_error(file, e.position().map_or(0, csv::Position::line), "(record)", e.to_string())
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let name = record.get(country_col).unwrap_or("");
        let Some(country) = CountryCode::resolve(name) else {
            unknown.insert(name.to_owned());
            continue;
        };
        let cell = record.get(year_col).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let kt = parse_decimal(cell, "trade value")
            .map_err(|e| line_error(file, line, &year.to_string(), e.to_string()))?;
        let tonnes = tonnes_from_kt(kt, "trade value")
            .map_err(|e| line_error(file, line, &year.to_string(), e.to_string()))?;
        let entry = trade.entry(country).or_default();
        match record.get(metric_col).unwrap_or("").to_ascii_lowercase().as_str() {
            "exports" => entry.0 = Some(tonnes),
            "imports" => entry.1 = Some(tonnes),
            other => {
                return Err(line_error(
                    file,
                    line,
                    "metric",
                    format!("found {other:?}, expected Exports or Imports"),
                ));
            }
        }
    }
    let note = (!unknown.is_empty()).then(|| {
        let names: Vec<String> = unknown.into_iter().collect();
        format!("trade rows not matched to one country, left out: {}", names.join(", "))
    });
    Ok((trade, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_summary_rows_are_regional_and_in_tonnes() {
        let text = "\u{feff}year,sector,region,production_mt,direct_emissions_mtco2,indirect_emissions_mtco2,extra\n\
                    2030,steel,World,10,20,1,x\n2030,steel,china,5,9.5,0.5,x\n2030,cement,china,1,1,0,x\n";
        let rows = read_run_summary(text.as_bytes(), "summary.csv", Sector::Steel).unwrap();
        assert_eq!(rows.len(), 1);
        assert!((rows[0].production_t - 5e6).abs() < 1e-6 && (rows[0].direct_t - 9.5e6).abs() < 1e-6);
        let intensities = region_intensities(&rows, "summary.csv", Sector::Steel, 2030).unwrap();
        assert!((intensities.values().next().copied().unwrap() - 1.9).abs() < 1e-12);
        let bad = "year,sector,region,production_mt,direct_emissions_mtco2,indirect_emissions_mtco2\n2030,steel,china,x,1,0\n";
        let err = read_run_summary(bad.as_bytes(), "s.csv", Sector::Steel).unwrap_err().to_string();
        assert!(err.contains("s.csv") && err.contains("line 2") && err.contains("production_mt"), "{err}");
        let missing =
            read_run_summary("year,sector\n".as_bytes(), "s.csv", Sector::Steel).unwrap_err().to_string();
        assert!(missing.contains("no column region"), "{missing}");
    }

    #[test]
    fn trade_is_read_in_tonnes_and_unknown_rows_are_named() {
        let text = "country,metric,2019,2020\nChina,Exports,1,53086.76\nChina,Imports,2,38709.65\nOther Asia,Exports,1,2\n";
        let (trade, note) = read_trade(text.as_bytes(), "t.csv", 2020).unwrap();
        let china = trade[&CountryCode::resolve("CHN").unwrap()];
        assert_eq!(china, (Some(Decimal::from(53_086_760)), Some(Decimal::from(38_709_650))));
        assert!(note.unwrap().contains("Other Asia"));
        let err = read_trade(text.as_bytes(), "t.csv", 2021).unwrap_err().to_string();
        assert!(err.contains("no column for 2021"), "{err}");
        let bad = "country,metric,2020\nChina,Exported,1\n";
        let err = read_trade(bad.as_bytes(), "t.csv", 2020).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("column metric"), "{err}");
    }
}
