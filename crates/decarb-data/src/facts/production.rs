//! Country production statistics (`facts/production_<sector>.csv`).

use super::{FactsError, FactsFile, FactsRow, bundled, value_error};
use crate::error::Error;
use decarb_model::{CountryCode, Sector};
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// t NH3 per t of contained nitrogen: the molar masses of NH3 (17.031 g/mol) and N (14.007 g/mol).
/// USGS publishes ammonia production as contained nitrogen; decarb's ammonia unit is the tonne of NH3
/// (`technologies.csv`), so the ammonia table is converted on load and each value's source says so.
pub const NH3_PER_N: f64 = 17.031 / 14.007;

/// One country-year of production, in the table's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductionRow {
    pub country: CountryCode,
    pub year: i32,
    pub value: f64,
    pub source: String,
    /// A remark on this value ("Belgium and Luxembourg combined"), or empty.
    pub note: String,
    /// The publisher marks the value as an estimate (USGS "e" / "Estimated.").
    pub estimated: bool,
}

/// What a line of a "leading producers" table stands for when it is not a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AggregateKind {
    /// USGS "Other countries": every producer the table does not list.
    OtherCountries,
    /// USGS "World total (rounded)".
    WorldTotal,
}

/// A published total of a year (`other` and `world` rows of the USGS tables): never ranked.
#[derive(Debug, Clone, PartialEq)]
pub struct AggregateRow {
    pub kind: AggregateKind,
    pub year: i32,
    pub value: f64,
    pub source: String,
    pub estimated: bool,
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
    pub estimated: bool,
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
    /// Published "other countries" and world totals of the years whose source lists only the
    /// leading producers (USGS Mineral Commodity Summaries).
    pub aggregates: Vec<AggregateRow>,
}

impl ProductionTable {
    /// The years with at least one country value, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.rows.iter().map(|r| r.year).collect::<BTreeSet<_>>().into_iter().collect()
    }

    /// Countries by production in a year, largest first (ties by ISO3 code, for a stable order).
    /// Only countries are ranked: a source's "other countries" and world lines never are.
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
                estimated: row.estimated,
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

    /// The world total the source publishes for a year, where it gives one.
    pub fn world_total(&self, year: i32) -> Option<&AggregateRow> {
        self.aggregate(AggregateKind::WorldTotal, year)
    }

    /// The source's "other countries" line of a year, where it gives one.
    pub fn other_countries(&self, year: i32) -> Option<&AggregateRow> {
        self.aggregate(AggregateKind::OtherCountries, year)
    }

    fn aggregate(&self, kind: AggregateKind, year: i32) -> Option<&AggregateRow> {
        self.aggregates.iter().find(|a| a.kind == kind && a.year == year)
    }
}

/// The bundled statistics of a sector.
///
/// # Panics
/// Only if a compiled-in table is invalid, which the crate's tests rule out.
pub fn production(sector: Sector) -> Result<&'static ProductionTable, FactsError> {
    static STEEL: OnceLock<ProductionTable> = OnceLock::new();
    static ALUMINIUM: OnceLock<ProductionTable> = OnceLock::new();
    static CEMENT: OnceLock<ProductionTable> = OnceLock::new();
    static AMMONIA: OnceLock<ProductionTable> = OnceLock::new();
    Ok(match sector {
        Sector::Steel => bundled(&STEEL, || {
            parse_files(
                Sector::Steel,
                "crude steel",
                &[("production_steel.csv", include_str!("../../facts/production_steel.csv"))],
            )
        }),
        Sector::Aluminium => bundled(&ALUMINIUM, || {
            parse_files(
                Sector::Aluminium,
                "primary aluminium",
                &[("production_aluminium.csv", include_str!("../../facts/production_aluminium.csv"))],
            )
        }),
        // Minerals Yearbook 2017 (2013-2017, every country) and the leading producers of the
        // Mineral Commodity Summaries (2018-2025); one row per country and year over both.
        Sector::Cement => bundled(&CEMENT, || {
            parse_files(
                Sector::Cement,
                "hydraulic cement",
                &[
                    ("production_cement.csv", include_str!("../../facts/production_cement.csv")),
                    ("production_cement_mcs.csv", include_str!("../../facts/production_cement_mcs.csv")),
                ],
            )
        }),
        // USGS publishes contained nitrogen (kt N): converted to kt NH3 on load.
        Sector::Ammonia => bundled(&AMMONIA, || {
            parse_files(
                Sector::Ammonia,
                "ammonia (NH3)",
                &[("production_ammonia.csv", include_str!("../../facts/production_ammonia.csv"))],
            )
        }),
    })
}

/// One table from several files of the same columns; a country and year may appear once over all.
fn parse_files(
    sector: Sector,
    product: &'static str,
    files: &[(&'static str, &str)],
) -> Result<ProductionTable, Error> {
    let mut table = ProductionTable { sector, product, unit: "kt", rows: Vec::new(), aggregates: Vec::new() };
    let mut seen = BTreeSet::new();
    let mut seen_aggregates = BTreeSet::new();
    for (name, text) in files {
        let file = FactsFile::parse(name, text, &["country", "year", "value", "unit", "source"])?;
        for row in file.rows() {
            read_row(&row, &mut table, &mut seen, &mut seen_aggregates)?;
        }
    }
    Ok(table)
}

fn read_row(
    row: &FactsRow<'_>,
    table: &mut ProductionTable,
    seen: &mut BTreeSet<(CountryCode, i32)>,
    seen_aggregates: &mut BTreeSet<(AggregateKind, i32)>,
) -> Result<(), Error> {
    let year = row.year("year")?;
    let published = row.number("value")?;
    if published < 0.0 {
        return Err(value_error(row.at("value"), row.cell("value"), "a production of 0 or more"));
    }
    // Every table is kt of product; ammonia alone is published as kt of contained nitrogen.
    let (value, conversion) = match (table.sector, row.cell("unit")) {
        (Sector::Ammonia, "kt N") => (
            published * NH3_PER_N,
            format!(
                "; published as {published} kt N (contained nitrogen), x 17.031/14.007 = kt NH3 (decarb)"
            ),
        ),
        (Sector::Ammonia, other) => return Err(value_error(row.at("unit"), other, "kt N")),
        (_, "kt") => (published, String::new()),
        (_, other) => return Err(value_error(row.at("unit"), other, "kt")),
    };
    let estimated = match row.cell("estimated") {
        "yes" => true,
        "no" | "" => false,
        other => return Err(value_error(row.at("estimated"), other, "yes, no or empty")),
    };
    let source = format!("{}{conversion}", row.text("source")?);
    let kind = match row.cell("country") {
        "other" => Some(AggregateKind::OtherCountries),
        "world" => Some(AggregateKind::WorldTotal),
        _ => None,
    };
    if let Some(kind) = kind {
        if !seen_aggregates.insert((kind, year)) {
            return Err(value_error(row.at("country"), row.cell("country"), "one other/world row per year"));
        }
        table.aggregates.push(AggregateRow { kind, year, value, source, estimated });
        return Ok(());
    }
    let country =
        row.parsed::<CountryCode>("country", "an ISO3 country code, or other / world for a published total")?;
    if !seen.insert((country, year)) {
        return Err(value_error(row.at("country"), row.cell("country"), "one row per country and year"));
    }
    table.rows.push(ProductionRow {
        country,
        year,
        value,
        source,
        note: row.cell("note").to_owned(),
        estimated,
    });
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
        assert_eq!(table(Sector::Cement).years(), (2013..=2025).collect::<Vec<_>>());
        assert_eq!(table(Sector::Ammonia).years(), [2017, 2018, 2019, 2020, 2021, 2024, 2025]);
        // 23 + 23 + 21 + 22 + 22 + 22 + 22 countries, and an other/world pair each year.
        assert_eq!(table(Sector::Ammonia).rows.len(), 155);
        assert_eq!(table(Sector::Ammonia).aggregates.len(), 14);
    }

    /// Every data row of the hand-written USGS files, the `other` and `world` lines included,
    /// names its source: read from the CSV text itself, not through the parser.
    #[test]
    fn every_usgs_row_has_a_non_empty_source() {
        for text in [
            include_str!("../../facts/production_cement_mcs.csv"),
            include_str!("../../facts/production_ammonia.csv"),
        ] {
            let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
            let source = reader.headers().unwrap().iter().position(|h| h == "source").unwrap();
            let mut rows = 0;
            for record in reader.records() {
                let record = record.unwrap();
                assert!(!record[source].trim().is_empty(), "{record:?}");
                assert!(record[source].contains("Mineral Commodity Summaries"), "{record:?}");
                rows += 1;
            }
            assert!(rows > 100, "{rows}");
        }
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
    fn uncovered_years_are_errors_naming_the_covered_years() {
        let err = table(Sector::Steel).rank(2022).unwrap_err();
        assert!(err.to_string().contains("2015, 2016"), "{err}");
        // Ammonia 2022 and 2023 are in no MCS table found: refused with the years covered.
        let err = table(Sector::Ammonia).rank(2022).unwrap_err().to_string();
        assert!(err.contains("2022") && err.contains("2021, 2024, 2025"), "{err}");
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

    fn value(sector: Sector, iso: &str, year: i32) -> Option<f64> {
        let country = CountryCode::resolve(iso).unwrap();
        table(sector).rows.iter().find(|r| r.country == country && r.year == year).map(|r| r.value)
    }

    /// The leading producers of the Mineral Commodity Summaries as the cited tables give them
    /// (`production_cement_mcs.csv`): values in kt, exact as transcribed.
    #[test]
    fn cement_leading_producers_2018_to_2025_rank_as_usgs_lists_them() {
        let cement = table(Sector::Cement);
        // MCS 2020 revised 2018 (China 2,200,000 kt; MCS 2019 had estimated 2,370,000).
        assert_eq!(value(Sector::Cement, "CHN", 2018), Some(2_200_000.0));
        // MCS 2021: China 2,300,000 kt in 2019; MCS 2022: 2,400,000 kt in 2020.
        assert_eq!(value(Sector::Cement, "CHN", 2019), Some(2_300_000.0));
        assert_eq!(value(Sector::Cement, "CHN", 2020), Some(2_400_000.0));
        // China 2,400,000 kt in 2021 and 2,100,000 kt in 2022 (USGS MCS 2023 via CemNet).
        assert_eq!(value(Sector::Cement, "CHN", 2021), Some(2_400_000.0));
        assert_eq!(value(Sector::Cement, "CHN", 2022), Some(2_100_000.0));
        assert_eq!(value(Sector::Cement, "IND", 2023), Some(410_000.0));
        // MCS 2026 data release: China 1,800,000 kt in 2024, India 440,000.
        assert_eq!(value(Sector::Cement, "CHN", 2024), Some(1_800_000.0));
        assert_eq!(value(Sector::Cement, "IND", 2024), Some(440_000.0));
        // The third largest producer is Vietnam in every MCS year from 2018 (MCS 2020 revised
        // Vietnam's 2018 to 90,200 kt, above the United States' 87,000).
        assert_eq!(codes(&cement.rank(2018).unwrap(), 4), ["CHN", "IND", "VNM", "USA"]);
        assert_eq!(codes(&cement.rank(2019).unwrap(), 4), ["CHN", "IND", "VNM", "USA"]);
        assert_eq!(codes(&cement.rank(2020).unwrap(), 4), ["CHN", "IND", "VNM", "USA"]);
        assert_eq!(codes(&cement.rank(2021).unwrap(), 4), ["CHN", "IND", "VNM", "USA"]);
        assert_eq!(codes(&cement.rank(2022).unwrap(), 5), ["CHN", "IND", "VNM", "USA", "TUR"]);
        assert_eq!(codes(&cement.rank(2023).unwrap(), 5), ["CHN", "IND", "VNM", "USA", "TUR"]);
        // 2024: Vietnam 91,000, then the United States and Turkey at 85,000 each (ties by code).
        assert_eq!(codes(&cement.rank(2024).unwrap(), 5), ["CHN", "IND", "VNM", "TUR", "USA"]);
        // MCS 2022 lists 14 countries for 2020; "other countries" is not one of them.
        assert_eq!(cement.rank(2020).unwrap().len(), 14);
        // Every MCS row says which edition it comes from, and where it was read.
        for row in cement.rows.iter().filter(|r| r.year >= 2018) {
            assert!(
                row.source.contains("Mineral Commodity Summaries") && row.source.contains("http")
                    || row.source.contains("Data Release") && row.source.contains("siwa"),
                "{row:?}"
            );
        }
        // MCS 2020-2022 mark their whole cement production column as estimated.
        assert!(cement.rows.iter().filter(|r| (2018..=2020).contains(&r.year)).all(|r| r.estimated));
        assert!(cement.rows.iter().filter(|r| r.year <= 2017).all(|r| !r.estimated));
    }

    /// Half of the last significant digit is not enough: USGS rounds its world total (to two
    /// or three significant figures) from unrounded data, while the listed values are rounded
    /// too. Within one unit of the world total's second significant digit.
    fn within_rounding(parts: f64, world: f64) -> bool {
        let unit = 10f64.powf(world.log10().floor() - 1.0);
        (parts - world).abs() <= unit
    }

    #[test]
    fn listed_countries_and_other_countries_add_up_to_the_world_total() {
        let mut checked = 0;
        for sector in [Sector::Cement, Sector::Ammonia] {
            let t = table(sector);
            for world in t.aggregates.iter().filter(|a| a.kind == AggregateKind::WorldTotal) {
                let other = t.other_countries(world.year).unwrap();
                let listed = t.total(world.year).unwrap();
                assert!(
                    within_rounding(listed + other.value, world.value),
                    "{sector} {}: {listed} + {} vs {}",
                    world.year,
                    other.value,
                    world.value
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 5 + 7);
        // Cement 2020 (MCS 2022): 14 countries 3,446,000 + other 760,000 = 4,206,000 kt; world
        // 4,200,000 (rounded).
        let cement = table(Sector::Cement);
        assert_eq!(cement.total(2020), Some(3_446_000.0));
        assert_eq!(cement.other_countries(2020).map(|a| a.value), Some(760_000.0));
        assert_eq!(cement.world_total(2020).map(|a| a.value), Some(4_200_000.0));
        assert!(cement.world_total(2023).is_none());
    }

    #[test]
    fn ammonia_is_ranked_in_tonnes_of_nh3_converted_from_contained_nitrogen() {
        let ammonia = table(Sector::Ammonia);
        // MCS 2022, plant production 2020: China 39,000, Russia 16,100, United States 14,000,
        // India 12,200 kt N.
        let ranked = ammonia.rank(2020).unwrap();
        assert_eq!(codes(&ranked, 4), ["CHN", "RUS", "USA", "IND"]);
        assert!((ranked[0].value - 39_000.0 * 17.031 / 14.007).abs() < 1e-6, "{}", ranked[0].value);
        assert!((ranked[0].value - 47_419.8).abs() < 0.1);
        assert!(ranked[0].source.contains("published as 39000 kt N"), "{}", ranked[0].source);
        assert!(ranked[0].source.contains("Mineral Commodity Summaries 2022"), "{}", ranked[0].source);
        assert!(!ranked[0].estimated);
        // 2021 is MCS 2022's estimate; 2024 the MCS 2026 data release (India and Russia tie).
        assert!(ammonia.rank(2021).unwrap().iter().all(|r| r.estimated));
        assert_eq!(codes(&ammonia.rank(2024).unwrap(), 4), ["CHN", "IND", "RUS", "USA"]);
        // World 2020: 147,000 kt N.
        let world = ammonia.world_total(2020).unwrap().value;
        assert!((world / NH3_PER_N - 147_000.0).abs() < 1e-6, "{world}");
    }

    #[test]
    fn a_total_row_is_not_a_country_and_a_bad_unit_is_refused() {
        let text = "country,year,value,unit,source\nother,2020,5,kt,s\nworld,2020,10,kt,s\nCHN,2020,5,kt,s\n";
        let t = parse_files(Sector::Cement, "hydraulic cement", &[("demo.csv", text)]).unwrap();
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rank(2020).unwrap().len(), 1);
        assert_eq!(t.world_total(2020).map(|a| a.value), Some(10.0));
        let err = parse_files(Sector::Ammonia, "ammonia", &[("demo.csv", text)]).unwrap_err().to_string();
        assert!(err.contains("demo.csv") && err.contains("kt N"), "{err}");
        let text = "country,year,value,unit,estimated,source\nCHN,2020,5,kt,maybe,s\n";
        let err = parse_files(Sector::Cement, "c", &[("demo.csv", text)]).unwrap_err().to_string();
        assert!(err.contains("estimated") && err.contains("maybe"), "{err}");
    }
}
