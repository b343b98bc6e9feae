//! Country production statistics (`facts/production_<sector>.csv`).

use super::{FactsError, FactsFile, bundled, value_error};
use crate::error::Error;
use decarb_model::{CountryCode, Sector};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// One country-year of production, in the table's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionRow {
    pub country: CountryCode,
    pub year: i32,
    pub value: f64,
    pub source: String,
    /// A remark on this value ("Belgium and Luxembourg combined"), or empty.
    pub note: String,
}

/// A country's place in one year's ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCountry {
    /// 1 for the largest producer.
    pub rank: usize,
    pub country: CountryCode,
    pub value: f64,
    pub unit: &'static str,
    pub source: String,
    pub note: String,
}

/// The production statistics of one sector, by country and year.
#[derive(Debug, Clone)]
pub struct ProductionTable {
    pub sector: Sector,
    /// What is counted ("crude steel", "hydraulic cement").
    pub product: &'static str,
    /// The unit of every value: thousand tonnes.
    pub unit: &'static str,
    pub rows: Vec<ProductionRow>,
}

impl ProductionTable {
    /// The years with at least one value, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.rows.iter().map(|r| r.year).collect::<BTreeSet<_>>().into_iter().collect()
    }

    /// Countries by production in a year, largest first (ties by ISO3 code, for a stable order).
    pub fn rank(&self, year: i32) -> Result<Vec<RankedCountry>, FactsError> {
        let mut rows: Vec<&ProductionRow> = self.rows.iter().filter(|r| r.year == year).collect();
        if rows.is_empty() {
            return Err(FactsError::YearNotCovered {
                sector: self.sector.as_str(),
                year,
                covered: self.years(),
            });
        }
        rows.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.country.cmp(&b.country)));
        Ok(rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| RankedCountry {
                rank: i + 1,
                country: row.country,
                value: row.value,
                unit: self.unit,
                source: row.source.clone(),
                note: row.note.clone(),
            })
            .collect())
    }

    /// One country's values, by year.
    pub fn series(&self, country: CountryCode) -> Vec<&ProductionRow> {
        let mut rows: Vec<_> = self.rows.iter().filter(|r| r.country == country).collect();
        rows.sort_by_key(|r| r.year);
        rows
    }

    /// The sum over the bundled countries in a year (not a world total where coverage is partial).
    pub fn total(&self, year: i32) -> Option<f64> {
        let values: Vec<f64> = self.rows.iter().filter(|r| r.year == year).map(|r| r.value).collect();
        (!values.is_empty()).then(|| values.iter().sum())
    }
}

/// The bundled statistics of a sector. Ammonia has none: no citable by-country source was found
/// (USGS publishes world totals in the shared data; IFA's by-country data may not be reused).
///
/// # Panics
/// Only if a compiled-in table is invalid, which the crate's tests rule out.
pub fn production(sector: Sector) -> Result<&'static ProductionTable, FactsError> {
    static STEEL: OnceLock<ProductionTable> = OnceLock::new();
    static ALUMINIUM: OnceLock<ProductionTable> = OnceLock::new();
    static CEMENT: OnceLock<ProductionTable> = OnceLock::new();
    match sector {
        Sector::Steel => Ok(bundled(&STEEL, || {
            parse(
                Sector::Steel,
                "crude steel",
                "production_steel.csv",
                include_str!("../../facts/production_steel.csv"),
            )
        })),
        Sector::Aluminium => Ok(bundled(&ALUMINIUM, || {
            parse(
                Sector::Aluminium,
                "primary aluminium",
                "production_aluminium.csv",
                include_str!("../../facts/production_aluminium.csv"),
            )
        })),
        // Minerals Yearbook 2017 (2013-2017, every country) and the leading producers of the
        // Mineral Commodity Summaries (2018, 2021-2023); one row per country and year over both.
        Sector::Cement => Ok(bundled(&CEMENT, || {
            parse_files(
                Sector::Cement,
                "hydraulic cement",
                &[
                    ("production_cement.csv", include_str!("../../facts/production_cement.csv")),
                    ("production_cement_mcs.csv", include_str!("../../facts/production_cement_mcs.csv")),
                ],
            )
        })),
        Sector::Ammonia => Err(FactsError::NoStatistics {
            sector: "ammonia",
            reason: "no citable by-country source was found (USGS world totals only; IFA country data may \
                     not be reused); see crates/decarb-data/facts/README.md",
        }),
    }
}

fn parse(
    sector: Sector,
    product: &'static str,
    name: &'static str,
    text: &str,
) -> Result<ProductionTable, Error> {
    parse_files(sector, product, &[(name, text)])
}

/// One table from several files of the same columns; a country and year may appear once over all.
fn parse_files(
    sector: Sector,
    product: &'static str,
    files: &[(&'static str, &str)],
) -> Result<ProductionTable, Error> {
    let mut rows = Vec::new();
    let mut seen = BTreeSet::new();
    for (name, text) in files {
        let file = FactsFile::parse(name, text, &["country", "year", "value", "unit", "source"])?;
        read_rows(&file, &mut rows, &mut seen)?;
    }
    Ok(ProductionTable { sector, product, unit: "kt", rows })
}

fn read_rows(
    file: &FactsFile,
    rows: &mut Vec<ProductionRow>,
    seen: &mut BTreeSet<(CountryCode, i32)>,
) -> Result<(), Error> {
    for row in file.rows() {
        let country = row.parsed::<CountryCode>("country", "an ISO3 country code")?;
        let year = row.year("year")?;
        let value = row.number("value")?;
        if value < 0.0 {
            return Err(value_error(row.at("value"), row.cell("value"), "a production of 0 or more"));
        }
        if row.text("unit")? != "kt" {
            return Err(value_error(row.at("unit"), row.cell("unit"), "kt"));
        }
        if !seen.insert((country, year)) {
            return Err(value_error(row.at("country"), row.cell("country"), "one row per country and year"));
        }
        rows.push(ProductionRow {
            country,
            year,
            value,
            source: row.text("source")?.to_owned(),
            note: row.cell("note").to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::dataset;
    use std::collections::BTreeMap;

    fn table(sector: Sector) -> &'static ProductionTable {
        production(sector).unwrap()
    }

    fn codes(ranked: &[RankedCountry], n: usize) -> Vec<&'static str> {
        ranked.iter().take(n).map(|r| r.country.as_str()).collect()
    }

    #[test]
    fn every_table_parses_with_sources() {
        for sector in [Sector::Steel, Sector::Aluminium, Sector::Cement] {
            let t = table(sector);
            assert!(t.rows.len() > 300, "{sector}");
            assert!(t.rows.iter().all(|r| !r.source.trim().is_empty()), "{sector}");
        }
        assert_eq!(table(Sector::Steel).years(), (2015..=2021).collect::<Vec<_>>());
        assert_eq!(table(Sector::Aluminium).years(), (2015..=2022).collect::<Vec<_>>());
        assert_eq!(table(Sector::Cement).years(), [2013, 2014, 2015, 2016, 2017, 2018, 2021, 2022, 2023]);
    }

    #[test]
    fn steel_2020_top_five_and_sum() {
        let ranked = table(Sector::Steel).rank(2020).unwrap();
        assert_eq!(codes(&ranked, 5), ["CHN", "IND", "JPN", "USA", "RUS"]);
        assert!((ranked[0].value - 1_064_767.0).abs() < 1e-9);
        // DATA.md: 2020 sum 1,873.7 Mt (±0.5 %).
        let sum = table(Sector::Steel).total(2020).unwrap() / 1000.0;
        assert!((sum - 1873.7).abs() <= 1873.7 * 0.005, "{sum}");
    }

    #[test]
    fn aluminium_2020_united_states_is_ninth_and_world_is_65_mt() {
        let ranked = table(Sector::Aluminium).rank(2020).unwrap();
        let us = ranked.iter().find(|r| r.country.as_str() == "USA").unwrap();
        assert_eq!(us.rank, 9);
        assert_eq!(
            codes(&ranked, 10),
            ["CHN", "RUS", "IND", "CAN", "ARE", "AUS", "BHR", "NOR", "USA", "SAU"]
        );
        let sum = table(Sector::Aluminium).total(2020).unwrap() / 1000.0;
        assert!((sum - 65.3).abs() <= 65.3 * 0.01, "{sum}");
    }

    #[test]
    fn cement_2017_sums_to_about_4_gt() {
        let sum = table(Sector::Cement).total(2017).unwrap() / 1e6;
        assert!((4.0..=4.2).contains(&sum), "{sum}");
        assert_eq!(codes(&table(Sector::Cement).rank(2017).unwrap(), 3), ["CHN", "IND", "USA"]);
    }

    #[test]
    fn uncovered_years_and_ammonia_are_errors() {
        let err = table(Sector::Steel).rank(2022).unwrap_err();
        assert!(err.to_string().contains("2015, 2016"), "{err}");
        assert!(matches!(production(Sector::Ammonia), Err(FactsError::NoStatistics { .. })));
    }

    fn bundled_values(sector: Sector) -> BTreeMap<(CountryCode, i32), f64> {
        table(sector).rows.iter().map(|r| ((r.country, r.year), r.value)).collect()
    }

    /// Names of the sources that the country table does not resolve (same list as
    /// tools/gen_production_facts.py).
    fn resolve(name: &str) -> CountryCode {
        let code = match name {
            "Belgium-Luxembourg" => "BEL",
            "Macau" => "MAC",
            "Papua New Guineae" => "PNG",
            other => other,
        };
        CountryCode::resolve(code).unwrap_or_else(|| panic!("unknown country {name:?}"))
    }

    #[test]
    fn steel_table_equals_the_worldsteel_file() {
        let Some(dir) = dataset("worldsteel-production-trade") else { return };
        let mut reader = csv::Reader::from_path(dir.join("crude_steel_production_kt_2015_2021.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let mut expected = BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            let country = resolve(&record[0]);
            for (i, year) in headers.iter().enumerate().skip(1) {
                if !record[i].trim().is_empty() {
                    expected
                        .insert((country, year.parse::<i32>().unwrap()), record[i].parse::<f64>().unwrap());
                }
            }
        }
        assert_eq!(expected.len(), 391);
        assert_eq!(bundled_values(Sector::Steel), expected);
    }

    #[test]
    fn aluminium_table_equals_the_bgs_file() {
        let Some(dir) = dataset("bgs-aluminium-production") else { return };
        let mut reader = csv::Reader::from_path(dir.join("AL_production_BGS_2015-2022.csv")).unwrap();
        let mut expected = BTreeMap::new();
        for record in reader.records() {
            let record = record.unwrap();
            // ISO2 codes; "NA" would be Namibia and must stay a code, not a missing value.
            let country = CountryCode::resolve(&record[0]).unwrap();
            expected.insert((country, record[2].parse::<i32>().unwrap()), record[1].parse::<f64>().unwrap());
        }
        assert_eq!(expected.len(), 328);
        let bundled = bundled_values(Sector::Aluminium);
        assert_eq!(bundled.len(), expected.len());
        for (key, value) in &expected {
            assert!((bundled[key] - value).abs() < 5e-4, "{key:?}: {} vs {value}", bundled[key]);
        }
    }

    #[test]
    fn cement_table_equals_the_usgs_file() {
        let Some(dir) = dataset("production-stats-usgs-worldsteel") else { return };
        let text =
            std::fs::read_to_string(dir.join("USGS_cement_production__USGS_cement_by_country_tidy.csv"))
                .unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut expected = BTreeMap::new();
        let mut blanks = 0;
        for record in reader.records() {
            let record = record.unwrap();
            if record[2].trim().is_empty() {
                blanks += 1;
                continue;
            }
            expected.insert(
                (resolve(&record[0]), record[1].parse::<i32>().unwrap()),
                record[2].parse::<f64>().unwrap(),
            );
        }
        assert_eq!(blanks, 5);
        // The Minerals Yearbook rows (2013-2017); the MCS rows are checked below.
        let yearbook: BTreeMap<_, _> =
            bundled_values(Sector::Cement).into_iter().filter(|((_, year), _)| *year <= 2017).collect();
        assert_eq!(yearbook, expected);
    }

    /// The leading producers of the Mineral Commodity Summaries as the cited pages give them
    /// (`production_cement_mcs.csv`): values in kt, exact as transcribed.
    #[test]
    fn cement_leading_producers_2018_and_2021_to_2023_rank_as_usgs_lists_them() {
        let cement = table(Sector::Cement);
        let value = |iso: &str, year: i32| {
            let country = CountryCode::resolve(iso).unwrap();
            cement.rows.iter().find(|r| r.country == country && r.year == year).map(|r| r.value)
        };
        // China 2,400,000 kt in 2021 and 2,100,000 kt in 2022 (USGS MCS 2023 via CemNet).
        assert_eq!(value("CHN", 2021), Some(2_400_000.0));
        assert_eq!(value("CHN", 2022), Some(2_100_000.0));
        assert_eq!(value("IND", 2023), Some(410_000.0));
        // The third largest producer: the United States in 2018, Vietnam from 2021.
        assert_eq!(codes(&cement.rank(2018).unwrap(), 4), ["CHN", "IND", "USA", "TUR"]);
        assert_eq!(codes(&cement.rank(2021).unwrap(), 4), ["CHN", "IND", "VNM", "USA"]);
        assert_eq!(codes(&cement.rank(2022).unwrap(), 5), ["CHN", "IND", "VNM", "USA", "TUR"]);
        assert_eq!(codes(&cement.rank(2023).unwrap(), 5), ["CHN", "IND", "VNM", "USA", "TUR"]);
        // Every MCS row says which edition and page it comes from.
        for row in cement.rows.iter().filter(|r| r.year >= 2018) {
            assert!(
                row.source.contains("Mineral Commodity Summaries") && row.source.contains("https://"),
                "{row:?}"
            );
        }
        // 2019 and 2020 were found in no public source reachable here: asked for, they are refused
        // with the years that are covered.
        let err = cement.rank(2020).unwrap_err().to_string();
        assert!(err.contains("2020") && err.contains("2021"), "{err}");
    }
}
