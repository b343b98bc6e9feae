//! Country trade statistics (`facts/trade_<sector>.csv`): exports and imports by country and year.

use super::{FactsError, FactsFile, bundled, value_error};
use crate::error::Error;
use decarb_model::{CountryCode, Sector};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The direction of a trade flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TradeFlow {
    Exports,
    Imports,
}

impl TradeFlow {
    pub fn as_str(self) -> &'static str {
        match self {
            TradeFlow::Exports => "exports",
            TradeFlow::Imports => "imports",
        }
    }
}

/// One country-year-flow of trade, in the table's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeRow {
    pub country: CountryCode,
    pub year: i32,
    pub flow: TradeFlow,
    pub value: f64,
    pub source: String,
    /// A remark on this value ("probably a gap"), or empty.
    pub note: String,
}

/// The trade statistics of one sector, by country, year and flow.
#[derive(Debug, Clone)]
pub struct TradeTable {
    pub sector: Sector,
    /// What is counted ("semi-finished and finished steel products").
    pub product: &'static str,
    /// The unit of every value: thousand tonnes.
    pub unit: &'static str,
    /// Sorted by country, year, flow.
    pub rows: Vec<TradeRow>,
    index: BTreeMap<(CountryCode, i32, TradeFlow), usize>,
}

impl TradeTable {
    /// The years with at least one value, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.rows.iter().map(|r| r.year).collect::<BTreeSet<_>>().into_iter().collect()
    }

    /// The countries with at least one value, in ISO3 order.
    pub fn countries(&self) -> Vec<CountryCode> {
        self.rows.iter().map(|r| r.country).collect::<BTreeSet<_>>().into_iter().collect()
    }

    /// The row of one country, year and flow, if the table has it.
    pub fn row(&self, country: CountryCode, year: i32, flow: TradeFlow) -> Option<&TradeRow> {
        self.index.get(&(country, year, flow)).and_then(|&i| self.rows.get(i))
    }

    /// Exports of a country in a year, kt; None where not reported.
    pub fn exports(&self, country: CountryCode, year: i32) -> Option<f64> {
        self.row(country, year, TradeFlow::Exports).map(|r| r.value)
    }

    /// Imports of a country in a year, kt; None where not reported.
    pub fn imports(&self, country: CountryCode, year: i32) -> Option<f64> {
        self.row(country, year, TradeFlow::Imports).map(|r| r.value)
    }
}

/// The bundled steel trade: worldsteel exports and imports of semi-finished and finished steel
/// products, 68 countries, 2019-2021, kt (`facts/trade_steel.csv`).
///
/// # Panics
/// Only if the compiled-in table is invalid, which the crate's tests rule out.
pub fn steel_trade() -> &'static TradeTable {
    static STEEL: OnceLock<TradeTable> = OnceLock::new();
    bundled(&STEEL, || {
        parse(
            Sector::Steel,
            "semi-finished and finished steel products",
            "trade_steel.csv",
            include_str!("../../facts/trade_steel.csv"),
        )
    })
}

/// The bundled trade of a sector; only steel has a by-country table (see `facts/README.md`).
pub fn trade(sector: Sector) -> Result<&'static TradeTable, FactsError> {
    match sector {
        Sector::Steel => Ok(steel_trade()),
        Sector::Aluminium => Err(FactsError::NoStatistics {
            sector: "aluminium",
            reason: "no by-country trade table is bundled (MESSAGEix-Materials gives trade by R12 region \
                     only, which does not map onto countries); see crates/decarb-data/facts/README.md",
        }),
        Sector::Cement => Err(FactsError::NoStatistics {
            sector: "cement",
            reason: "no by-country trade source is in the shared data",
        }),
        Sector::Ammonia => Err(FactsError::NoStatistics {
            sector: "ammonia",
            reason: "no by-country trade table is bundled (MESSAGEix-Materials gives trade by R12 region \
                     only, which does not map onto countries); see crates/decarb-data/facts/README.md",
        }),
    }
}

fn parse(sector: Sector, product: &'static str, name: &'static str, text: &str) -> Result<TradeTable, Error> {
    let file = FactsFile::parse(name, text, &["country", "year", "flow", "value", "unit", "source"])?;
    let mut rows = Vec::with_capacity(file.rows.len());
    let mut seen = BTreeSet::new();
    for row in file.rows() {
        let country = row.parsed::<CountryCode>("country", "an ISO3 country code")?;
        let year = row.year("year")?;
        let flow = match row.cell("flow") {
            "exports" => TradeFlow::Exports,
            "imports" => TradeFlow::Imports,
            other => return Err(value_error(row.at("flow"), other, "exports or imports")),
        };
        let value = row.number("value")?;
        if value < 0.0 {
            return Err(value_error(row.at("value"), row.cell("value"), "a quantity of 0 or more"));
        }
        if row.text("unit")? != "kt" {
            return Err(value_error(row.at("unit"), row.cell("unit"), "kt"));
        }
        if !seen.insert((country, year, flow)) {
            return Err(value_error(
                row.at("country"),
                row.cell("country"),
                "one row per country, year and flow",
            ));
        }
        rows.push(TradeRow {
            country,
            year,
            flow,
            value,
            source: row.text("source")?.to_owned(),
            note: row.cell("note").to_owned(),
        });
    }
    rows.sort_by_key(|r| (r.country, r.year, r.flow));
    let index = rows.iter().enumerate().map(|(i, r)| ((r.country, r.year, r.flow), i)).collect();
    Ok(TradeTable { sector, product, unit: "kt", rows, index })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::dataset;

    fn code(text: &str) -> CountryCode {
        CountryCode::resolve(text).unwrap()
    }

    #[test]
    fn steel_trade_parses_with_sources() {
        let table = steel_trade();
        assert_eq!(table.rows.len(), 408, "68 countries x 2 flows x 3 years");
        assert_eq!(table.countries().len(), 68);
        assert_eq!(table.years(), [2019, 2020, 2021]);
        assert!(table.rows.iter().all(|r| r.source.contains("Source: World Steel Association")));
        // worldsteel 2020: China exported 53,086.76 kt and imported 38,709.65 kt.
        assert_eq!(table.exports(code("CHN"), 2020), Some(53_086.76));
        assert_eq!(table.imports(code("CHN"), 2020), Some(38_709.65));
        assert_eq!(table.exports(code("CHN"), 2018), None);
        let thailand = table.row(code("THA"), 2021, TradeFlow::Exports).unwrap();
        assert!(thailand.value.abs() < 1e-12, "{}", thailand.value);
        assert!(thailand.note.contains("probably a gap"), "{}", thailand.note);
        assert!(trade(Sector::Ammonia).is_err() && trade(Sector::Aluminium).is_err());
    }

    #[test]
    fn a_bad_flow_is_an_error_naming_the_column() {
        let text = "country,year,flow,value,unit,source\nCHN,2020,re-exports,1,kt,x\n";
        let err = parse(Sector::Steel, "steel", "demo.csv", text).unwrap_err().to_string();
        assert!(err.contains("demo.csv") && err.contains("\"flow\"") && err.contains("re-exports"), "{err}");
    }

    /// Names the country table does not resolve (same list as tools/gen_production_facts.py).
    fn resolve(name: &str) -> CountryCode {
        let code = if name == "Belgium-Luxembourg" { "BEL" } else { name };
        CountryCode::resolve(code).unwrap_or_else(|| panic!("unknown country {name:?}"))
    }

    #[test]
    fn steel_trade_equals_the_worldsteel_file() {
        let Some(dir) = dataset("worldsteel-production-trade") else { return };
        let mut reader = csv::Reader::from_path(dir.join("steel_trade_kt_2019_2021.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let mut expected = BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            let flow = match &record[1] {
                "Exports" => TradeFlow::Exports,
                "Imports" => TradeFlow::Imports,
                other => panic!("metric {other:?}"),
            };
            for (i, year) in headers.iter().enumerate().skip(2) {
                let value = record[i].parse::<f64>().unwrap();
                expected.insert((resolve(&record[0]), year.parse::<i32>().unwrap(), flow), value);
            }
        }
        assert_eq!(expected.len(), 408);
        let bundled: BTreeMap<_, _> =
            steel_trade().rows.iter().map(|r| ((r.country, r.year, r.flow), r.value)).collect();
        assert_eq!(bundled, expected);
    }
}
