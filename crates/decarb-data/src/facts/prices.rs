//! Commodity price sets (`facts/prices_mpp_shared_2022.csv`).

use super::{FactsError, FactsFile, bundled, interpolate, value_error};
use crate::error::Error;
use decarb_model::units::{GJ_PER_MWH, UsdPerMegawattHour, UsdPerTonneCo2};
use decarb_model::{Commodity, ElectricitySupply, Region};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The ten regions of the MPP-shared price set (TECHNOLOGY.md §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PriceRegion {
    Europe,
    NorthAmerica,
    China,
    India,
    MiddleEast,
    LatinAmerica,
    Africa,
    Russia,
    RestOfAsia,
    Oceania,
}

impl PriceRegion {
    pub const ALL: [PriceRegion; 10] = [
        PriceRegion::Europe,
        PriceRegion::NorthAmerica,
        PriceRegion::China,
        PriceRegion::India,
        PriceRegion::MiddleEast,
        PriceRegion::LatinAmerica,
        PriceRegion::Africa,
        PriceRegion::Russia,
        PriceRegion::RestOfAsia,
        PriceRegion::Oceania,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriceRegion::Europe => "europe",
            PriceRegion::NorthAmerica => "north_america",
            PriceRegion::China => "china",
            PriceRegion::India => "india",
            PriceRegion::MiddleEast => "middle_east",
            PriceRegion::LatinAmerica => "latin_america",
            PriceRegion::Africa => "africa",
            PriceRegion::Russia => "russia",
            PriceRegion::RestOfAsia => "rest_of_asia",
            PriceRegion::Oceania => "oceania",
        }
    }

    /// The price region a decarb region buys at. Japan-Korea-Taiwan and Southeast Asia take
    /// MPP's "Rest of Asia"; the CIS takes "Russia"; decarb's rest of the world (Oceania and
    /// South Asia outside India) takes "Oceania", where most of its industry (Australian
    /// smelters and steel) is. Documented in facts/README.md.
    pub fn of(region: Region) -> PriceRegion {
        match region {
            Region::China => PriceRegion::China,
            Region::India => PriceRegion::India,
            Region::JapanKoreaTaiwan | Region::SoutheastAsia => PriceRegion::RestOfAsia,
            Region::NorthAmerica => PriceRegion::NorthAmerica,
            Region::Cis => PriceRegion::Russia,
            Region::MiddleEast => PriceRegion::MiddleEast,
            Region::Europe => PriceRegion::Europe,
            Region::LatinAmerica => PriceRegion::LatinAmerica,
            Region::Africa => PriceRegion::Africa,
            Region::RestOfWorld => PriceRegion::Oceania,
        }
    }
}

impl fmt::Display for PriceRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PriceRegion {
    type Err = decarb_model::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PriceRegion::ALL.into_iter().find(|r| r.as_str() == s.trim()).ok_or_else(|| {
            decarb_model::ParseError::new("price region", s, "an MPP-shared price region such as europe")
        })
    }
}

/// What a price row prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PriceItem {
    Commodity(Commodity),
    /// Electricity by supply; stored in USD/GJ as MPP gives it.
    Electricity(ElectricitySupply),
    Co2Transport,
    Co2Storage,
    /// CO2 bought as feedstock (CCU), USD/t CO2.
    Co2Purchase,
}

impl PriceItem {
    fn parse(text: &str) -> Option<PriceItem> {
        Some(match text {
            "electricity_grid" => PriceItem::Electricity(ElectricitySupply::Grid),
            "electricity_ppa" => PriceItem::Electricity(ElectricitySupply::Ppa),
            "electricity_onsite_vre" => PriceItem::Electricity(ElectricitySupply::OnsiteVre),
            "electricity_hydro" => PriceItem::Electricity(ElectricitySupply::Hydro),
            "co2_transport" => PriceItem::Co2Transport,
            "co2_storage" => PriceItem::Co2Storage,
            "co2_purchase" => PriceItem::Co2Purchase,
            other => match other.parse::<Commodity>() {
                Ok(Commodity::Electricity) | Err(_) => return None,
                Ok(commodity) => PriceItem::Commodity(commodity),
            },
        })
    }

    /// The unit the table stores this item in.
    fn stored_unit(self) -> &'static str {
        match self {
            PriceItem::Commodity(c) => c.price_unit(),
            PriceItem::Electricity(_) => "USD/GJ",
            PriceItem::Co2Transport | PriceItem::Co2Storage | PriceItem::Co2Purchase => "USD/t CO2",
        }
    }
}

/// A series of anchor-year prices in USD and the source of its values.
#[derive(Debug, Clone)]
struct Series {
    points: Vec<(i32, f64)>,
    source: String,
}

/// Commodity prices by price region and year, USD; linear between the table's anchor years and
/// held flat outside them. A price the set does not hold is `None` (e.g. coke, alumina).
#[derive(Debug, Clone)]
pub struct PriceSet {
    pub name: &'static str,
    pub description: &'static str,
    series: BTreeMap<(Option<PriceRegion>, PriceItem), Series>,
}

impl PriceSet {
    fn series(&self, region: PriceRegion, item: PriceItem) -> Option<&Series> {
        self.series.get(&(Some(region), item)).or_else(|| self.series.get(&(None, item)))
    }

    fn value(&self, region: Region, item: PriceItem, year: i32) -> Option<f64> {
        interpolate(&self.series(PriceRegion::of(region), item)?.points, year)
    }

    /// The price of a commodity in [`Commodity::price_unit`] (electricity from the grid, in
    /// USD/MWh; hydrogen per GJ), or `None` if the set has no price for it.
    pub fn price(&self, region: Region, commodity: Commodity, year: i32) -> Option<f64> {
        match commodity {
            Commodity::Electricity => self.electricity(region, ElectricitySupply::Grid, year).map(|p| p.0),
            _ => self.value(region, PriceItem::Commodity(commodity), year),
        }
    }

    /// Electricity by supply, USD/MWh. Captive power has no price (its fuel is the input).
    pub fn electricity(
        &self,
        region: Region,
        supply: ElectricitySupply,
        year: i32,
    ) -> Option<UsdPerMegawattHour> {
        self.value(region, PriceItem::Electricity(supply), year)
            .map(|usd_per_gj| UsdPerMegawattHour(usd_per_gj * GJ_PER_MWH))
    }

    /// Prices of every commodity in [`Commodity::ALL`] order, for `Inputs::cost`; electricity at
    /// the given supply. `None` where the set holds no price.
    pub fn vector(
        &self,
        region: Region,
        supply: ElectricitySupply,
        year: i32,
    ) -> [Option<f64>; Commodity::COUNT] {
        Commodity::ALL.map(|c| match c {
            Commodity::Electricity => self.electricity(region, supply, year).map(|p| p.0),
            _ => self.price(region, c, year),
        })
    }

    /// Moving and storing one tonne of captured CO2.
    pub fn co2_transport_storage(&self, region: Region, year: i32) -> Option<UsdPerTonneCo2> {
        let transport = self.value(region, PriceItem::Co2Transport, year)?;
        let storage = self.value(region, PriceItem::Co2Storage, year)?;
        Some(UsdPerTonneCo2(transport + storage))
    }

    /// Buying one tonne of CO2 as feedstock.
    pub fn co2_purchase(&self, region: Region, year: i32) -> Option<UsdPerTonneCo2> {
        self.value(region, PriceItem::Co2Purchase, year).map(UsdPerTonneCo2)
    }

    /// Where a region's price of an item comes from.
    pub fn source(&self, region: Region, item: PriceItem) -> Option<&str> {
        self.series(PriceRegion::of(region), item).map(|s| s.source.as_str())
    }
}

const SETS: [(&str, &str); 2] = [
    (
        "mpp-shared-2022",
        "MPP cross-sector price set 2022 (10 regions, 2020-2050) plus MPP steel feedstocks 2020",
    ),
    (
        "mpp-shared-2022-supplemented",
        "mpp-shared-2022 overlaid with facts/prices_supplement.csv: hydrogen (MPP steel H2 Model, Baseline, \
         utility plant on dedicated VREs), forestry biomass (MPP steel Bio Model, Medium) and alumina (2023)",
    ),
];

/// The names of the bundled price sets.
pub fn price_set_names() -> Vec<&'static str> {
    SETS.iter().map(|(name, _)| *name).collect()
}

/// A bundled price set by name: `mpp-shared-2022`, or `mpp-shared-2022-supplemented` (the same set
/// with [`price_supplement`] overlaid: its items replace the base set's series of those items).
///
/// # Panics
/// Only if the compiled-in table is invalid, which the crate's tests rule out.
pub fn price_set(name: &str) -> Result<&'static PriceSet, FactsError> {
    static MPP_SHARED: OnceLock<PriceSet> = OnceLock::new();
    static SUPPLEMENTED: OnceLock<PriceSet> = OnceLock::new();
    let base = || {
        bundled(&MPP_SHARED, || {
            parse(
                SETS[0].0,
                SETS[0].1,
                "prices_mpp_shared_2022.csv",
                include_str!("../../facts/prices_mpp_shared_2022.csv"),
                false,
            )
        })
    };
    match name {
        "mpp-shared-2022" => Ok(base()),
        "mpp-shared-2022-supplemented" => {
            Ok(bundled(&SUPPLEMENTED, || Ok(base().overlay(price_supplement(), SETS[1].0, SETS[1].1))))
        }
        _ => Err(FactsError::UnknownName {
            what: "price set",
            name: name.to_owned(),
            known: price_set_names().into_iter().map(str::to_owned).collect(),
        }),
    }
}

/// The price supplement alone (`facts/prices_supplement.csv`, every row with a source and a
/// licence): hydrogen and biomass by price region, alumina for all. Overlay it on any set with
/// [`PriceSet::overlay`].
///
/// # Panics
/// Only if the compiled-in table is invalid, which the crate's tests rule out.
pub fn price_supplement() -> &'static PriceSet {
    static SUPPLEMENT: OnceLock<PriceSet> = OnceLock::new();
    bundled(&SUPPLEMENT, || {
        parse(
            "prices-supplement",
            "hydrogen, biomass and alumina prices that overlay a price set",
            "prices_supplement.csv",
            include_str!("../../facts/prices_supplement.csv"),
            true,
        )
    })
}

impl PriceSet {
    /// This set with `other`'s items replacing its own: for every item `other` prices, all of this
    /// set's series of that item (regional and `all`) are dropped and `other`'s taken instead.
    #[must_use]
    pub fn overlay(&self, other: &PriceSet, name: &'static str, description: &'static str) -> PriceSet {
        let items = other.items();
        let mut series: BTreeMap<(Option<PriceRegion>, PriceItem), Series> = self
            .series
            .iter()
            .filter(|((_, item), _)| !items.contains(item))
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        series.extend(other.series.iter().map(|(k, v)| (*k, v.clone())));
        PriceSet { name, description, series }
    }

    /// The items the set prices, sorted.
    pub fn items(&self) -> Vec<PriceItem> {
        let mut items: Vec<PriceItem> = self.series.keys().map(|(_, item)| *item).collect();
        items.sort();
        items.dedup();
        items
    }
}

fn parse(
    name: &'static str,
    description: &'static str,
    file_name: &'static str,
    text: &str,
    with_licence: bool,
) -> Result<PriceSet, Error> {
    let required: &[&str] = if with_licence {
        &["price_region", "item", "year", "value", "unit", "source", "licence"]
    } else {
        &["price_region", "item", "year", "value", "unit", "source"]
    };
    let file = FactsFile::parse(file_name, text, required)?;
    let mut series: BTreeMap<(Option<PriceRegion>, PriceItem), Series> = BTreeMap::new();
    for row in file.rows() {
        let region = match row.text("price_region")? {
            "all" => None,
            _ => Some(row.parsed::<PriceRegion>("price_region", "all or an MPP-shared price region")?),
        };
        let item = PriceItem::parse(row.cell("item")).ok_or_else(|| {
            value_error(row.at("item"), row.cell("item"), "a commodity, electricity_<supply> or co2_<use>")
        })?;
        let unit = row.text("unit")?;
        // EUR rows are converted here, once, so the set holds USD only.
        let usd_per_unit = match unit.split_once('/') {
            Some(("USD", _)) => 1.0,
            Some(("EUR", _)) => super::USD_PER_EUR,
            _ => return Err(value_error(row.at("unit"), unit, "USD/... or EUR/...")),
        };
        if unit.split_once('/').map(|(_, per)| per) != item.stored_unit().split_once('/').map(|(_, per)| per)
        {
            return Err(value_error(row.at("unit"), unit, item.stored_unit()));
        }
        let entry = series
            .entry((region, item))
            .or_insert_with(|| Series { points: Vec::new(), source: row.cell("source").to_owned() });
        let year = row.year("year")?;
        if entry.points.last().is_some_and(|(last, _)| *last >= year) {
            return Err(value_error(row.at("year"), row.cell("year"), "years ascending within a series"));
        }
        row.text("source")?;
        if with_licence {
            row.text("licence")?;
        }
        entry.points.push((year, row.number("value")? * usd_per_unit));
    }
    Ok(PriceSet { name, description, series })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::dataset;

    fn set() -> &'static PriceSet {
        price_set("mpp-shared-2022").unwrap()
    }

    #[test]
    fn every_region_has_every_energy_price_with_a_source() {
        for region in Region::ALL {
            for year in [2020, 2033, 2050] {
                for c in [Commodity::NaturalGas, Commodity::Coal, Commodity::Hydrogen, Commodity::Electricity]
                {
                    assert!(set().price(region, c, year).is_some_and(|p| p > 0.0), "{region} {c} {year}");
                }
                assert!(set().co2_transport_storage(region, year).is_some());
            }
            assert!(set().source(region, PriceItem::Commodity(Commodity::NaturalGas)).is_some());
        }
        assert_eq!(set().price(Region::Europe, Commodity::Coke, 2030), None);
        assert!(price_set("nope").is_err());
    }

    #[test]
    fn prices_match_technology_md() {
        // §6.1: Europe grid 31.6 USD/GJ = 114 USD/MWh in 2020; H2 39.7 USD/GJ = 4.8 USD/kg.
        let grid = set().electricity(Region::Europe, ElectricitySupply::Grid, 2020).unwrap().0;
        assert!((grid - 113.7).abs() < 0.1, "{grid}");
        let h2 = set().price(Region::Europe, Commodity::Hydrogen, 2020).unwrap() * 0.12;
        assert!((h2 - 4.77).abs() < 0.01, "{h2}");
        // CO2 transport 10.0 + storage 6.2 in Europe; the CIS buys at "Russia" (6.2 + 2.8).
        let ts = set().co2_transport_storage(Region::Europe, 2030).unwrap().0;
        assert!((ts - 16.14).abs() < 0.01, "{ts}");
        let cis = set().co2_transport_storage(Region::Cis, 2030).unwrap().0;
        assert!((cis - 8.93).abs() < 0.01, "{cis}");
        // Iron ore 85.7 EUR/t x 1.140.
        let ore = set().price(Region::India, Commodity::IronOre, 2040).unwrap();
        assert!((ore - 97.698).abs() < 1e-9, "{ore}");
        // Hydrogen falls linearly between 2020 and 2025 anchors.
        let mid = set().price(Region::China, Commodity::Hydrogen, 2022).unwrap();
        assert!((mid - (25.82 + (21.83 - 25.82) * 0.4)).abs() < 1e-9, "{mid}");
    }

    #[test]
    fn the_supplement_overlays_hydrogen_biomass_and_alumina() {
        let sup = price_supplement();
        assert_eq!(
            sup.items(),
            [
                PriceItem::Commodity(Commodity::Hydrogen),
                PriceItem::Commodity(Commodity::Biomass),
                PriceItem::Commodity(Commodity::Alumina),
                PriceItem::Electricity(ElectricitySupply::Hydro),
            ]
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
        );
        let full = price_set("mpp-shared-2022-supplemented").unwrap();
        assert!(price_set_names().contains(&"mpp-shared-2022-supplemented"));
        // MPP steel H2 Model, Baseline, utility plant on dedicated VREs: EU 3.5 USD/kg in 2020,
        // China 1.1 in 2030 (TECHNOLOGY.md 6.2); / 0.12 GJ/kg.
        let eu = full.price(Region::Europe, Commodity::Hydrogen, 2020).unwrap();
        assert!((eu - 3.5 / 0.12).abs() < 1e-3, "{eu}");
        let cn = full.price(Region::China, Commodity::Hydrogen, 2030).unwrap();
        assert!((cn - 1.1 / 0.12).abs() < 1e-3, "{cn}");
        for region in Region::ALL {
            for year in [2020, 2035, 2050] {
                let h2 = full.price(region, Commodity::Hydrogen, year).unwrap();
                assert!((4.0..=40.0).contains(&h2), "{region} {year} {h2}");
                let bio = full.price(region, Commodity::Biomass, year).unwrap();
                assert!((5.0..=25.0).contains(&bio), "{region} {year} {bio}");
                assert_eq!(full.price(region, Commodity::Alumina, year), Some(344.0));
                let source = full.source(region, PriceItem::Commodity(Commodity::Hydrogen)).unwrap();
                assert!(source.contains("H2 Model"), "{source}");
            }
            // Items the supplement does not price are the base set's.
            assert_eq!(
                full.price(region, Commodity::NaturalGas, 2030),
                set().price(region, Commodity::NaturalGas, 2030)
            );
        }
        // Forestry biomass, Medium, Increasing: EU 6.88 -> 8.26 USD/GJ.
        assert_eq!(full.price(Region::Europe, Commodity::Biomass, 2050), Some(8.26));
        assert_eq!(set().price(Region::Europe, Commodity::Alumina, 2030), None);
    }

    #[test]
    fn a_supplement_row_without_licence_is_an_error() {
        let text = "price_region,item,year,value,unit,source,licence\neurope,hydrogen,2020,1,USD/GJ,s,\n";
        assert!(parse("x", "x", "demo.csv", text, true).is_err());
        let text = "price_region,item,year,value,unit,source\neurope,hydrogen,2020,1,USD/GJ,s\n";
        assert!(parse("x", "x", "demo.csv", text, true).is_err());
        assert!(parse("x", "x", "demo.csv", text, false).is_ok());
    }

    /// The hydrogen rows equal the MPP steel H2 Model workbook (tools/gen_prices_supplement.py).
    #[test]
    fn hydrogen_rows_equal_the_mpp_h2_model() {
        use calamine::{Data, Reader as _};
        let Some(dir) = dataset("mpp-steel-model") else { return };
        let mut book = calamine::open_workbook_auto(dir.join("inputs/H2 Model.xlsx")).unwrap();
        let range = book.worksheet_range("Prices").unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(ToString::to_string).collect();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        let mpp_region = |r: PriceRegion| match r {
            PriceRegion::Europe => "EU",
            PriceRegion::NorthAmerica => "US",
            PriceRegion::China => "China",
            PriceRegion::India => "India",
            PriceRegion::MiddleEast => "Middle_East",
            PriceRegion::LatinAmerica => "South_BAU_Americas",
            PriceRegion::Africa => "Africa",
            PriceRegion::Russia => "Russia",
            PriceRegion::RestOfAsia => "Japan_SthKorea_Taiwan",
            PriceRegion::Oceania => "AustralasiaOceania",
        };
        let rows: Vec<&[Data]> = rows.collect();
        let mut checked = 0;
        for region in PriceRegion::ALL {
            let row = rows
                .iter()
                .find(|r| {
                    r[col("Region")] == mpp_region(region)
                        && r[col("Production scenario")] == "Utility plant, dedicated VREs"
                        && r[col("Cost scenario")] == "Baseline"
                })
                .unwrap();
            let series =
                price_supplement().series(region, PriceItem::Commodity(Commodity::Hydrogen)).unwrap();
            for (year, value) in &series.points {
                let kg = match &row[col(&year.to_string())] {
                    Data::Float(f) => *f,
                    Data::Int(i) => *i as f64,
                    other => panic!("{other:?}"),
                };
                assert!((value - kg / 0.12).abs() < 1e-3, "{region} {year}");
                checked += 1;
            }
        }
        assert_eq!(checked, 60);
    }

    #[test]
    fn anchors_reproduce_the_yearly_mpp_table_from_2025() {
        let Some(dir) = dataset("tech") else { return };
        let text = std::fs::read_to_string(dir.join("derived/commodity_prices_mpp_shared_2022.csv")).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().unwrap().clone();
        let item_of = |metric: &str| match metric {
            "Natural gas" => PriceItem::Commodity(Commodity::NaturalGas),
            "Coal" => PriceItem::Commodity(Commodity::Coal),
            "Hydrogen" => PriceItem::Commodity(Commodity::Hydrogen),
            "Electricity - grid" => PriceItem::Electricity(ElectricitySupply::Grid),
            "Electricity - PPA" => PriceItem::Electricity(ElectricitySupply::Ppa),
            "Electricity - on site VREs" => PriceItem::Electricity(ElectricitySupply::OnsiteVre),
            "CCS - Transport" => PriceItem::Co2Transport,
            "CCS - Storage" => PriceItem::Co2Storage,
            "CO2" => PriceItem::Co2Purchase,
            m if m.starts_with("Biomass") => PriceItem::Commodity(Commodity::Biomass),
            m if m.starts_with("Waste") => PriceItem::Commodity(Commodity::Waste),
            other => panic!("unexpected metric {other}"),
        };
        let region_of = |name: &str| match name {
            "North America" => PriceRegion::NorthAmerica,
            "Middle East" => PriceRegion::MiddleEast,
            "Latin America" => PriceRegion::LatinAmerica,
            "Rest of Asia" => PriceRegion::RestOfAsia,
            other => other.to_ascii_lowercase().parse().unwrap(),
        };
        let (mut checked, mut worst) = (0, 0.0_f64);
        for record in reader.records() {
            let record = record.unwrap();
            let series = set().series(region_of(&record[0]), item_of(&record[1])).unwrap();
            for (i, year) in headers.iter().enumerate().skip(3) {
                let year: i32 = year.parse().unwrap();
                let expected: f64 = record[i].parse().unwrap();
                let ours = interpolate(&series.points, year).unwrap();
                if series.points.iter().any(|(y, _)| *y == year) {
                    assert!((ours - expected).abs() < 1e-9, "{} {} {year}", &record[0], &record[1]);
                }
                // The 2021-2024 gas and power spike is deliberately not bundled (README.md).
                if year >= 2025 {
                    worst = worst.max((ours - expected).abs() / expected.abs().max(1e-9));
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 110 * 26);
        assert!(worst < 0.04, "largest relative deviation {worst}");
    }
}
