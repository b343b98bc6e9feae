//! The reference tables bundled into the binary (`facts/*.csv`, see `facts/README.md`): the CBAM
//! factor phase-out, the mark-up schedule, the IR 2025/2620 benchmarks, the IR 2025/2621 default
//! values and grid factors, and the published certificate prices. Each row keeps its `status` and
//! `source`; rows marked UNVERIFIED are loaded but refused at lookup.

use crate::cn::{CbamSector, CnPattern, parse_cell};
use crate::error::{Error, Result};
use crate::num::parse_decimal;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The text of each table, so the same parser reads the bundled copies and, in tests, the shared
/// originals they were transcribed from.
#[derive(Debug, Clone, Copy)]
pub struct FactSources<'a> {
    pub phaseout: &'a str,
    pub markup: &'a str,
    pub benchmarks: &'a str,
    /// Every CN line of IR 2025/2620 Annex pt 5.3 (read where `benchmarks` has no line).
    pub benchmarks_2620: &'a str,
    pub default_values: &'a str,
    pub grid_factors: &'a str,
    pub certificate_prices: &'a str,
}

impl FactSources<'static> {
    pub const BUNDLED: FactSources<'static> = FactSources {
        phaseout: include_str!("../facts/cbam_factor_phaseout.csv"),
        markup: include_str!("../facts/markup_schedule.csv"),
        benchmarks: include_str!("../facts/benchmarks.csv"),
        benchmarks_2620: include_str!("../facts/benchmarks_2620.csv"),
        default_values: include_str!("../facts/default_values.csv"),
        // IR 2025/2621 Annex II/III are IEA data under CC BY-NC-SA 4.0: not bundled, the user
        // supplies them (`Facts::with_grid_factors`, docs/data-licences.md).
        grid_factors: GRID_FACTORS_HEADER,
        certificate_prices: include_str!("../facts/certificate_prices.csv"),
    };
}

/// The header of a grid-emission-factor file (IR 2025/2621 Annex II), the format the user supplies.
pub const GRID_FACTORS_HEADER: &str = "iso2,country,ef,unit,status,source\n";

/// The `src` codes of `default_values.csv`: each names the act, the transcription and the licence
/// of the row (facts/README.md; docs/data-licences.md).
pub const DEFAULT_VALUE_SOURCES: &[(&str, &str, &str)] = &[
    (
        "2621-I/oc",
        "transcribed; pre-correction (IR 2026/1740 not applied)",
        "IR (EU) 2025/2621 Annex I as adopted; opencbam 0.1.0 transcription (Apache-2.0; docs/data-licences.md)",
    ),
    (
        "2621-IV/oc",
        "transcribed; pre-correction (IR 2026/1740 not applied)",
        "IR (EU) 2025/2621 Annex IV as adopted; opencbam 0.1.0 transcription (Apache-2.0; docs/data-licences.md)",
    ),
];

/// Provenance carried by every row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub status: String,
    pub source: String,
}

impl Provenance {
    /// "UNVERIFIED" rows are stated from general knowledge: never used in a computation.
    pub fn is_unverified(&self) -> bool {
        self.status.contains("UNVERIFIED")
    }
    /// Draft or consultation values: not law, so never used in a computation either.
    pub fn is_draft(&self) -> bool {
        self.status.contains("draft")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseOutRow {
    pub year: i32,
    pub cbam_factor: Decimal,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupRow {
    pub sectors: Vec<CbamSector>,
    pub year_from: i32,
    pub year_to: Option<i32>,
    pub markup_pct: Decimal,
    pub multiplier: Decimal,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchmarkRow {
    /// The bundled file the row is read from (benchmarks.csv or benchmarks_2620.csv).
    pub file: &'static str,
    pub line: u64,
    pub sector: String,
    pub product: String,
    pub cn_cell: String,
    pub(crate) patterns: Vec<CnPattern>,
    /// Route letter of IR 2620 Annex pt 5.3: A/B clinker, C/D/E carbon steel, F/G/H low-alloy,
    /// J high-alloy, K/L primary/secondary aluminium.
    pub route: Option<char>,
    pub indicator: String,
    pub period_from: i32,
    pub period_to: i32,
    /// Column A (BM*): process-only, with actual data.
    pub column_a: Decimal,
    /// Column B (BM): precursors included, with default values.
    pub column_b: Decimal,
    pub provenance: Provenance,
}

/// An EU ETS free-allocation product benchmark: for comparison only, never used for the FAA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EtsBenchmarkRow {
    pub product: String,
    pub period: String,
    pub value: Decimal,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefaultValueRow {
    pub line: u64,
    /// ISO alpha-2, `OTHER` or `UNKNOWN`.
    pub key: String,
    /// The table's name: the country's, "Other countries and territories" or "Annex IV".
    pub country: String,
    pub cn_cell: String,
    pub(crate) patterns: Vec<CnPattern>,
    /// The variant where one CN line has two rows ("grey clinker", "white hydraulic cement").
    pub good: String,
    /// The country's default production route (IR 2025/2621 Annex I; IR 2025/2620 Annex pt 4):
    /// selects the Column B benchmark on the default path.
    pub route: Option<char>,
    pub direct: Option<Decimal>,
    pub indirect: Option<Decimal>,
    /// Empty where the act prints "–": then the "Other countries" value applies.
    pub total: Option<Decimal>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridFactorRow {
    pub key: String,
    pub country: String,
    pub ef_t_per_mwh: Decimal,
    pub provenance: Provenance,
}

/// The period a certificate price applies to: a quarter (2026 imports, Art. 21(1a)) or an ISO
/// week (from 2027, Art. 21(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PricePeriod {
    Quarter { year: i32, quarter: u8 },
    Week { year: i32, week: u8 },
}

impl std::fmt::Display for PricePeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PricePeriod::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            PricePeriod::Week { year, week } => write!(f, "{year}-W{week:02}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    pub period: PricePeriod,
    pub price_eur: Decimal,
    pub provenance: Provenance,
}

/// All bundled tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub phaseout: Vec<PhaseOutRow>,
    pub markup: Vec<MarkupRow>,
    pub benchmarks: Vec<BenchmarkRow>,
    /// Every CN line of IR 2025/2620 Annex pt 5.3 (opencbam 0.1.0 transcription), consulted where
    /// the condensed `benchmarks` table has no line for a code.
    pub benchmarks_2620: Vec<BenchmarkRow>,
    pub ets_benchmarks: Vec<EtsBenchmarkRow>,
    pub default_values: Vec<DefaultValueRow>,
    /// Row indexes of `default_values` by table key (ISO alpha-2, OTHER, UNKNOWN).
    pub default_index: BTreeMap<String, Vec<usize>>,
    /// Empty unless the user supplies IR 2025/2621 Annex II (`with_grid_factors`).
    pub grid_factors: Vec<GridFactorRow>,
    /// Empty unless the user supplies IR 2025/2621 Annex III, imported electricity
    /// (`with_electricity_factors`; same columns as the grid factors).
    pub electricity_factors: Vec<GridFactorRow>,
    pub prices: Vec<PriceRow>,
}

impl Facts {
    /// The tables compiled into decarb. Parsed once; a malformed bundled row is a defect of
    /// decarb and comes back as [`Error::Facts`].
    pub fn bundled() -> Result<&'static Facts> {
        static BUNDLED: OnceLock<Result<Facts>> = OnceLock::new();
        BUNDLED.get_or_init(|| Facts::parse(&FactSources::BUNDLED)).as_ref().map_err(Clone::clone)
    }

    pub fn parse(sources: &FactSources<'_>) -> Result<Facts> {
        let (benchmarks, ets_benchmarks) = parse_benchmarks("benchmarks.csv", sources.benchmarks)?;
        let (benchmarks_2620, ets) = parse_benchmarks("benchmarks_2620.csv", sources.benchmarks_2620)?;
        if !ets.is_empty() {
            return Err(Error::Facts {
                file: "benchmarks_2620.csv",
                line: 0,
                column: "scheme".into(),
                found: "EU ETS rows".into(),
                expected: "EU CBAM rows only".into(),
            });
        }
        let default_values = parse_default_values(sources.default_values)?;
        let mut default_index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, row) in default_values.iter().enumerate() {
            default_index.entry(row.key.clone()).or_default().push(i);
        }
        Ok(Facts {
            phaseout: parse_phaseout(sources.phaseout)?,
            markup: parse_markup(sources.markup)?,
            benchmarks,
            benchmarks_2620,
            ets_benchmarks,
            default_values,
            default_index,
            grid_factors: parse_grid(sources.grid_factors)?,
            electricity_factors: Vec::new(),
            prices: parse_prices(sources.certificate_prices)?,
        })
    }

    /// These facts with the grid emission factors of IR 2025/2621 Annex II read from `text`, a
    /// CSV the user supplies (columns iso2, country, ef, unit, status, source; IEA data under
    /// CC BY-NC-SA 4.0, so decarb does not bundle them). `file` names it in errors.
    pub fn with_grid_factors(&self, text: &str, file: &str) -> Result<Facts> {
        let mut facts = self.clone();
        facts.grid_factors = parse_grid(text).map_err(|e| match e {
            Error::Facts { line, column, found, expected, .. } => Error::Invalid {
                what: format!("grid emission factors {file}, line {line}, column {column}"),
                found,
                expected,
            },
            other => other,
        })?;
        Ok(facts)
    }

    /// The bundled facts with the user's IR 2025/2621 Annex III emission factors of imported
    /// electricity (columns as [`GRID_FACTORS_HEADER`]; not bundled: IEA data under CC BY-NC-SA 4.0).
    pub fn with_electricity_factors(&self, text: &str, file: &str) -> Result<Facts> {
        let mut facts = self.clone();
        facts.electricity_factors = parse_grid(text).map_err(|e| match e {
            Error::Facts { line, column, found, expected, .. } => Error::Invalid {
                what: format!(
                    "emission factors of imported electricity {file}, line {line}, column {column}"
                ),
                found,
                expected,
            },
            other => other,
        })?;
        Ok(facts)
    }

    /// The rows of one default-value table (ISO alpha-2, OTHER or UNKNOWN).
    pub fn default_rows(&self, key: &str) -> impl Iterator<Item = &DefaultValueRow> {
        self.default_index.get(key).into_iter().flatten().map(|&i| &self.default_values[i])
    }
}

/// A CSV table read by column name, with errors that name the file, line and column.
struct Table {
    file: &'static str,
    columns: HashMap<String, usize>,
    records: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(file: &'static str, text: &str) -> Result<Table> {
        let mut reader =
            csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let fail = |line: u64, found: String, expected: &str| Error::Facts {
            file,
            line,
            column: String::new(),
            found,
            expected: expected.into(),
        };
        let headers = reader.headers().map_err(|e| fail(1, e.to_string(), "a CSV header row"))?.clone();
        let columns = headers.iter().enumerate().map(|(i, h)| (h.trim().to_owned(), i)).collect();
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| fail(0, e.to_string(), "a well-formed CSV record"))?;
            let line = record.position().map_or(0, csv::Position::line);
            records.push((line, record));
        }
        Ok(Table { file, columns, records })
    }

    fn get<'r>(&self, _line: u64, record: &'r csv::StringRecord, column: &str) -> Result<&'r str> {
        let index = self.columns.get(column).ok_or_else(|| Error::Facts {
            file: self.file,
            line: 1,
            column: column.into(),
            found: "no such column".into(),
            expected: format!("a column named {column}"),
        })?;
        Ok(record.get(*index).map_or("", str::trim))
    }

    fn error(&self, line: u64, column: &str, found: &str, expected: &str) -> Error {
        Error::Facts {
            file: self.file,
            line,
            column: column.into(),
            found: found.into(),
            expected: expected.into(),
        }
    }

    fn decimal(&self, line: u64, record: &csv::StringRecord, column: &str) -> Result<Decimal> {
        let text = self.get(line, record, column)?;
        parse_decimal(text, column).map_err(|_| self.error(line, column, text, "a decimal number"))
    }

    fn optional_decimal(
        &self,
        line: u64,
        record: &csv::StringRecord,
        column: &str,
    ) -> Result<Option<Decimal>> {
        let text = self.get(line, record, column)?;
        if text.is_empty() || text == "–" || text == "-" {
            return Ok(None);
        }
        self.decimal(line, record, column).map(Some)
    }

    fn int(&self, line: u64, record: &csv::StringRecord, column: &str) -> Result<i32> {
        let text = self.get(line, record, column)?;
        text.parse().map_err(|_| self.error(line, column, text, "a whole number"))
    }

    fn provenance(&self, line: u64, record: &csv::StringRecord) -> Result<Provenance> {
        Ok(Provenance {
            status: self.get(line, record, "status")?.into(),
            source: self.get(line, record, "source")?.into(),
        })
    }
}

fn parse_phaseout(text: &str) -> Result<Vec<PhaseOutRow>> {
    let table = Table::read("cbam_factor_phaseout.csv", text)?;
    let mut rows = Vec::new();
    for (line, record) in &table.records {
        rows.push(PhaseOutRow {
            year: table.int(*line, record, "year")?,
            cbam_factor: table.decimal(*line, record, "cbam_factor")?,
            provenance: table.provenance(*line, record)?,
        });
    }
    Ok(rows)
}

fn sector_from_name(name: &str) -> Option<CbamSector> {
    Some(match name.trim() {
        "cement" => CbamSector::Cement,
        "iron and steel" => CbamSector::IronAndSteel,
        "aluminium" => CbamSector::Aluminium,
        "hydrogen" => CbamSector::Hydrogen,
        "fertilisers" => CbamSector::Fertilisers,
        "electricity" => CbamSector::Electricity,
        _ => return None,
    })
}

fn parse_markup(text: &str) -> Result<Vec<MarkupRow>> {
    let table = Table::read("markup_schedule.csv", text)?;
    let mut rows = Vec::new();
    for (line, record) in &table.records {
        let group = table.get(*line, record, "sector_group")?;
        let sectors = group
            .split(';')
            .map(|name| {
                sector_from_name(name)
                    .ok_or_else(|| table.error(*line, "sector_group", name, "a CBAM sector"))
            })
            .collect::<Result<Vec<_>>>()?;
        let year_to = table.get(*line, record, "year_to")?;
        rows.push(MarkupRow {
            sectors,
            year_from: table.int(*line, record, "year_from")?,
            year_to: if year_to.is_empty() { None } else { Some(table.int(*line, record, "year_to")?) },
            markup_pct: table.decimal(*line, record, "markup_pct")?,
            multiplier: table.decimal(*line, record, "multiplier")?,
            provenance: table.provenance(*line, record)?,
        });
    }
    Ok(rows)
}

/// "(C)" → route C; "(F)(1)" → route F, band 1; "(1)" → band only.
fn parse_indicator(text: &str) -> Option<char> {
    text.split(['(', ')']).filter(|p| !p.is_empty()).find_map(|part| {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_uppercase() => Some(c),
            _ => None,
        }
    })
}

fn parse_period(table: &Table, line: u64, text: &str) -> Result<(i32, i32)> {
    let bad = || table.error(line, "period", text, "a span of years such as 2026-2030");
    let (from, to) = text.split_once('-').ok_or_else(bad)?;
    Ok((from.trim().parse().map_err(|_| bad())?, to.trim().parse().map_err(|_| bad())?))
}

fn parse_benchmarks(file: &'static str, text: &str) -> Result<(Vec<BenchmarkRow>, Vec<EtsBenchmarkRow>)> {
    let table = Table::read(file, text)?;
    let mut cbam = Vec::new();
    let mut ets = Vec::new();
    for (line, record) in &table.records {
        let line = *line;
        let scheme = table.get(line, record, "scheme")?;
        let provenance = table.provenance(line, record)?;
        if scheme == "EU CBAM" {
            let cn_cell = table.get(line, record, "cn_code")?;
            let patterns = parse_cell(cn_cell)
                .ok_or_else(|| table.error(line, "cn_code", cn_cell, "CN codes separated by ';'"))?;
            let indicator = table.get(line, record, "indicator")?;
            let (period_from, period_to) = parse_period(&table, line, table.get(line, record, "period")?)?;
            cbam.push(BenchmarkRow {
                file,
                line,
                sector: table.get(line, record, "sector")?.into(),
                product: table.get(line, record, "product")?.into(),
                cn_cell: cn_cell.into(),
                patterns,
                route: parse_indicator(indicator),
                indicator: indicator.into(),
                period_from,
                period_to,
                column_a: table.decimal(line, record, "column_a_bm_star")?,
                column_b: table.decimal(line, record, "column_b_bm")?,
                provenance,
            });
        } else {
            ets.push(EtsBenchmarkRow {
                product: table.get(line, record, "product")?.into(),
                period: table.get(line, record, "period")?.into(),
                value: table.decimal(line, record, "value")?,
                provenance,
            });
        }
    }
    Ok((cbam, ets))
}

fn parse_default_values(text: &str) -> Result<Vec<DefaultValueRow>> {
    let table = Table::read("default_values.csv", text)?;
    let mut rows = Vec::new();
    for (line, record) in &table.records {
        let line = *line;
        let cn_cell = table.get(line, record, "cn_code")?;
        let patterns = parse_cell(cn_cell)
            .ok_or_else(|| table.error(line, "cn_code", cn_cell, "CN codes separated by ';'"))?;
        let key = table.get(line, record, "iso2")?;
        let country = match key {
            "OTHER" => "Other countries and territories".to_owned(),
            "UNKNOWN" => "Annex IV (country of production unknown)".to_owned(),
            code => decarb_model::CountryCode::resolve(code)
                .filter(|c| c.iso2() == code)
                .map(|c| c.name().to_owned())
                .ok_or_else(|| {
                    table.error(line, "iso2", code, "an ISO 3166-1 alpha-2 code, OTHER or UNKNOWN")
                })?,
        };
        let src = table.get(line, record, "src")?;
        let (_, status, source) = DEFAULT_VALUE_SOURCES
            .iter()
            .find(|(code, _, _)| *code == src)
            .ok_or_else(|| table.error(line, "src", src, "a source code of DEFAULT_VALUE_SOURCES"))?;
        let route = table.get(line, record, "route")?;
        let value = |column: &str| -> Result<Option<Decimal>> {
            let found = table.optional_decimal(line, record, column)?;
            // An intensity outside 0-100 t CO2e/t is a transcription error, not a value.
            if found.is_some_and(|v| v < Decimal::ZERO || v > Decimal::ONE_HUNDRED) {
                return Err(table.error(line, column, table.get(line, record, column)?, "0 to 100 t CO2e/t"));
            }
            Ok(found)
        };
        rows.push(DefaultValueRow {
            line,
            key: key.into(),
            country,
            cn_cell: cn_cell.into(),
            patterns,
            good: table.get(line, record, "variant")?.into(),
            route: parse_indicator(&format!("({route})")),
            direct: value("direct")?,
            indirect: value("indirect")?,
            total: value("total")?,
            provenance: Provenance { status: (*status).into(), source: (*source).into() },
        });
    }
    Ok(rows)
}

fn parse_grid(text: &str) -> Result<Vec<GridFactorRow>> {
    let table = Table::read("grid_emission_factors.csv", text)?;
    let mut rows = Vec::new();
    for (line, record) in &table.records {
        rows.push(GridFactorRow {
            key: table.get(*line, record, "iso2")?.into(),
            country: table.get(*line, record, "country")?.into(),
            ef_t_per_mwh: table.decimal(*line, record, "ef")?,
            provenance: table.provenance(*line, record)?,
        });
    }
    Ok(rows)
}

fn parse_prices(text: &str) -> Result<Vec<PriceRow>> {
    let table = Table::read("certificate_prices.csv", text)?;
    let mut rows = Vec::new();
    for (line, record) in &table.records {
        let line = *line;
        let kind = table.get(line, record, "period_type")?;
        let period_text = table.get(line, record, "period")?;
        let bad = || table.error(line, "period", period_text, "YYYY-Qn for quarters or YYYY-Wnn for weeks");
        let (year, rest) = period_text.split_once('-').ok_or_else(bad)?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        let number: u8 = rest.get(1..).and_then(|n| n.parse().ok()).ok_or_else(bad)?;
        let period = match (kind, rest.chars().next()) {
            ("quarter", Some('Q')) if (1..=4).contains(&number) => {
                PricePeriod::Quarter { year, quarter: number }
            }
            ("week", Some('W')) if (1..=53).contains(&number) => PricePeriod::Week { year, week: number },
            _ => return Err(bad()),
        };
        rows.push(PriceRow {
            period,
            price_eur: table.decimal(line, record, "price_eur")?,
            provenance: table.provenance(line, record)?,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_tables_parse_with_their_row_counts() {
        let facts = Facts::bundled().unwrap();
        assert_eq!(facts.phaseout.len(), 12);
        assert_eq!(facts.markup.len(), 4);
        assert_eq!(facts.benchmarks.len() + facts.ets_benchmarks.len(), 90);
        assert_eq!(facts.benchmarks.len(), 72);
        assert_eq!(facts.benchmarks_2620.len(), 1804, "570 CN lines by route and band");
        assert_eq!(facts.default_values.len(), 11_651, "11 391 Annex I + 260 Annex IV");
        assert_eq!(facts.default_index.len(), 120, "118 countries, Other, Annex IV");
        assert!(facts.grid_factors.is_empty(), "IEA data (CC BY-NC-SA 4.0): user-supplied");
        assert_eq!(facts.prices.len(), 1);
    }

    #[test]
    fn indicators_read_route_letters() {
        assert_eq!(parse_indicator("(C)"), Some('C'));
        assert_eq!(parse_indicator("(F)(1)"), Some('F'));
        assert_eq!(parse_indicator("(1)"), None);
        assert_eq!(parse_indicator(""), None);
    }
}
