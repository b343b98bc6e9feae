//! Carbon price paths (`facts/carbon_prices.csv`) and clinker-to-cement ratio paths
//! (`facts/clinker_ratio.csv`).

use super::{FactsError, FactsFile, bundled, interpolate, value_error};
use crate::error::Error;
use decarb_model::units::UsdPerTonneCo2;
use decarb_model::{CountryCode, Region};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The country groups of the IEA Net Zero Emissions scenario's carbon prices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CarbonTier {
    /// IEA "advanced economies": OECD members plus Bulgaria, Croatia, Cyprus, Malta, Romania
    /// (IEA World Energy Outlook regional definitions).
    Advanced,
    /// China, Brazil, Russia and South Africa.
    Cbrs,
    /// Other emerging market and developing economies.
    OtherEmde,
}

/// IEA advanced economies: the 38 OECD members and five EU members outside the OECD.
const ADVANCED: [&str; 43] = [
    "AUS", "AUT", "BEL", "CAN", "CHL", "COL", "CRI", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "ISL", "IRL", "ISR", "ITA", "JPN", "KOR", "LVA", "LTU", "LUX", "MEX", "NLD", "NZL", "NOR", "POL", "PRT",
    "SVK", "SVN", "ESP", "SWE", "CHE", "TUR", "GBR", "USA", "BGR", "HRV", "CYP", "MLT", "ROU",
];
const CBRS: [&str; 4] = ["CHN", "BRA", "RUS", "ZAF"];

impl CarbonTier {
    pub fn as_str(self) -> &'static str {
        match self {
            CarbonTier::Advanced => "advanced",
            CarbonTier::Cbrs => "cbrs",
            CarbonTier::OtherEmde => "other-emde",
        }
    }

    pub fn of_country(country: CountryCode) -> CarbonTier {
        let code = country.as_str();
        if ADVANCED.contains(&code) {
            CarbonTier::Advanced
        } else if CBRS.contains(&code) {
            CarbonTier::Cbrs
        } else {
            CarbonTier::OtherEmde
        }
    }

    /// A decarb region takes the tier of its largest crude-steel producer in 2020 (worldsteel):
    /// Japan, the United States and Türkiye make theirs "advanced"; China, Russia and Brazil
    /// "CBRS"; India, Iran, Viet Nam, Egypt and Bangladesh (rest of the world, 5.50 Mt just above
    /// Australia's 5.49) "other EMDE". Checked against the bundled statistics.
    pub fn of_region(region: Region) -> CarbonTier {
        match region {
            Region::JapanKoreaTaiwan | Region::NorthAmerica | Region::Europe => CarbonTier::Advanced,
            Region::China | Region::Cis | Region::LatinAmerica => CarbonTier::Cbrs,
            Region::India
            | Region::MiddleEast
            | Region::SoutheastAsia
            | Region::Africa
            | Region::RestOfWorld => CarbonTier::OtherEmde,
        }
    }
}

impl fmt::Display for CarbonTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CarbonTier {
    type Err = decarb_model::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [CarbonTier::Advanced, CarbonTier::Cbrs, CarbonTier::OtherEmde]
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| {
                decarb_model::ParseError::new("carbon tier", s, "all, advanced, cbrs or other-emde")
            })
    }
}

/// One anchor point of a path, in USD.
#[derive(Debug, Clone, PartialEq)]
pub struct CarbonPoint {
    pub year: i32,
    pub usd_per_t: f64,
    pub source: String,
}

/// A carbon price path: USD per t CO2 by year, linear between anchor years and held flat
/// outside them, the same everywhere or differentiated by [`CarbonTier`].
#[derive(Debug, Clone)]
pub struct CarbonPricePath {
    pub name: String,
    /// Anchor points by tier; `None` is the path for every country.
    pub points: BTreeMap<Option<CarbonTier>, Vec<CarbonPoint>>,
}

impl CarbonPricePath {
    fn points_for(&self, tier: CarbonTier) -> &[CarbonPoint] {
        self.points.get(&Some(tier)).or_else(|| self.points.get(&None)).map_or(&[], Vec::as_slice)
    }

    fn at(&self, tier: CarbonTier, year: i32) -> UsdPerTonneCo2 {
        let points: Vec<(i32, f64)> = self.points_for(tier).iter().map(|p| (p.year, p.usd_per_t)).collect();
        UsdPerTonneCo2(interpolate(&points, year).unwrap_or(0.0))
    }

    /// The price in a decarb region (tier per [`CarbonTier::of_region`]).
    pub fn price(&self, region: Region, year: i32) -> UsdPerTonneCo2 {
        self.at(CarbonTier::of_region(region), year)
    }

    /// The price in a country (tier per [`CarbonTier::of_country`]).
    pub fn price_in(&self, country: CountryCode, year: i32) -> UsdPerTonneCo2 {
        self.at(CarbonTier::of_country(country), year)
    }

    /// Whether the path differs between tiers.
    pub fn is_differentiated(&self) -> bool {
        self.points.keys().any(Option::is_some)
    }

    /// The sources of the anchor points, deduplicated, in order.
    pub fn sources(&self) -> Vec<&str> {
        let mut sources: Vec<&str> = Vec::new();
        for point in self.points.values().flatten() {
            if !sources.contains(&point.source.as_str()) {
                sources.push(&point.source);
            }
        }
        sources
    }
}

fn carbon_paths() -> &'static Vec<CarbonPricePath> {
    static PATHS: OnceLock<Vec<CarbonPricePath>> = OnceLock::new();
    bundled(&PATHS, || parse_carbon(include_str!("../../facts/carbon_prices.csv")))
}

/// The names of the bundled carbon price paths, in table order.
pub fn carbon_path_names() -> Vec<&'static str> {
    carbon_paths().iter().map(|p| p.name.as_str()).collect()
}

/// A bundled carbon price path by name: `zero`, `mpp-steel-low`, `mpp-steel-average`,
/// `mpp-steel-high`, `mpp-cement-100` (moderate), `iea-nze-2021` (net-zero, tiered).
///
/// # Panics
/// Only if the compiled-in table is invalid, which the crate's tests rule out.
pub fn carbon_path(name: &str) -> Result<&'static CarbonPricePath, FactsError> {
    carbon_paths().iter().find(|p| p.name == name).ok_or_else(|| FactsError::UnknownName {
        what: "carbon price path",
        name: name.to_owned(),
        known: carbon_path_names().into_iter().map(str::to_owned).collect(),
    })
}

fn parse_carbon(text: &str) -> Result<Vec<CarbonPricePath>, Error> {
    let file = FactsFile::parse(
        "carbon_prices.csv",
        text,
        &["path", "tier", "year", "value", "currency", "source"],
    )?;
    let mut paths: Vec<CarbonPricePath> = Vec::new();
    for row in file.rows() {
        let name = row.text("path")?;
        let tier = match row.text("tier")? {
            "all" => None,
            _ => Some(row.parsed::<CarbonTier>("tier", "all, advanced, cbrs or other-emde")?),
        };
        let point = CarbonPoint {
            year: row.year("year")?,
            usd_per_t: row.number("value")? * row.usd_factor("currency")?,
            source: row.text("source")?.to_owned(),
        };
        if !paths.iter().any(|p| p.name == name) {
            paths.push(CarbonPricePath { name: name.to_owned(), points: BTreeMap::new() });
        }
        let Some(path) = paths.iter_mut().find(|p| p.name == name) else { continue };
        let series = path.points.entry(tier).or_default();
        if series.last().is_some_and(|p| p.year >= point.year) {
            return Err(value_error(
                row.at("year"),
                row.cell("year"),
                "years ascending within a path and tier",
            ));
        }
        series.push(point);
    }
    Ok(paths)
}

/// A clinker-to-cement ratio path (t clinker per t cement): decarb's representation of clinker
/// substitution. Cement demand times the ratio is the clinker the kiln routes must make.
#[derive(Debug, Clone)]
pub struct ClinkerRatioPath {
    pub name: String,
    pub points: Vec<(i32, f64)>,
    pub sources: Vec<String>,
}

impl ClinkerRatioPath {
    /// The ratio in a year: linear between anchors, held flat outside them.
    pub fn ratio(&self, year: i32) -> f64 {
        interpolate(&self.points, year).unwrap_or(1.0)
    }
}

/// A bundled clinker ratio path: `current` (0.72 held) or `gcca-2040` (0.72 in 2022 to 0.56 in
/// 2040).
///
/// # Panics
/// Only if the compiled-in table is invalid, which the crate's tests rule out.
pub fn clinker_ratio(name: &str) -> Result<&'static ClinkerRatioPath, FactsError> {
    let paths = clinker_paths();
    paths.iter().find(|p| p.name == name).ok_or_else(|| FactsError::UnknownName {
        what: "clinker ratio path",
        name: name.to_owned(),
        known: paths.iter().map(|p| p.name.clone()).collect(),
    })
}

fn clinker_paths() -> &'static Vec<ClinkerRatioPath> {
    static PATHS: OnceLock<Vec<ClinkerRatioPath>> = OnceLock::new();
    bundled(&PATHS, || parse_clinker(include_str!("../../facts/clinker_ratio.csv")))
}

/// The names of the bundled clinker ratio paths, in table order.
pub fn clinker_ratio_names() -> Vec<&'static str> {
    clinker_paths().iter().map(|p| p.name.as_str()).collect()
}

fn parse_clinker(text: &str) -> Result<Vec<ClinkerRatioPath>, Error> {
    let file = FactsFile::parse("clinker_ratio.csv", text, &["path", "year", "ratio", "source"])?;
    let mut paths: Vec<ClinkerRatioPath> = Vec::new();
    for row in file.rows() {
        let name = row.text("path")?;
        let ratio = row.number("ratio")?;
        if !(0.0..=1.0).contains(&ratio) {
            return Err(value_error(row.at("ratio"), row.cell("ratio"), "a ratio between 0 and 1"));
        }
        let year = row.year("year")?;
        let source = row.text("source")?.to_owned();
        if let Some(path) = paths.iter_mut().find(|p| p.name == name) {
            path.points.push((year, ratio));
            path.sources.push(source);
        } else {
            paths.push(ClinkerRatioPath {
                name: name.to_owned(),
                points: vec![(year, ratio)],
                sources: vec![source],
            });
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::production;
    use decarb_model::Sector;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn paths_parse_with_sources_and_the_required_three_exist() {
        let names = carbon_path_names();
        for name in ["zero", "mpp-cement-100", "iea-nze-2021", "mpp-steel-average", "mpp-steel-high"] {
            assert!(names.contains(&name), "{name}");
            assert!(carbon_path(name).unwrap().sources().iter().all(|s| !s.is_empty()));
        }
        assert!(carbon_path("nope").unwrap_err().to_string().contains("iea-nze-2021"));
    }

    #[test]
    fn mpp_steel_paths_are_linear_from_2023_in_eur_times_1_140() {
        let high = carbon_path("mpp-steel-high").unwrap();
        assert!(close(high.price(Region::India, 2020).0, 0.0));
        assert!(close(high.price(Region::India, 2050).0, 228.0));
        assert!(close(high.price(Region::Europe, 2032).0, 228.0 / 3.0));
        assert!(close(carbon_path("mpp-steel-average").unwrap().price(Region::China, 2060).0, 114.0));
        assert!(close(carbon_path("zero").unwrap().price(Region::Europe, 2050).0, 0.0));
    }

    #[test]
    fn iea_nze_is_tiered_by_country_and_region() {
        let nze = carbon_path("iea-nze-2021").unwrap();
        assert!(nze.is_differentiated());
        let usa = CountryCode::resolve("USA").unwrap();
        let bra = CountryCode::resolve("Brazil").unwrap();
        let ind = CountryCode::resolve("India").unwrap();
        assert!(close(nze.price_in(usa, 2030).0, 130.0));
        assert!(close(nze.price_in(usa, 2050).0, 250.0));
        assert!(close(nze.price_in(usa, 2035).0, 167.5));
        assert!(close(nze.price_in(bra, 2030).0, 90.0));
        assert!(close(nze.price_in(ind, 2050).0, 55.0));
        assert!(close(nze.price(Region::Europe, 2025).0, 75.0));
        assert!(close(nze.price(Region::China, 2040).0, 160.0));
        assert!(close(nze.price(Region::India, 2024).0, 1.5));
    }

    #[test]
    fn region_tiers_follow_the_largest_steel_producer_of_2020() {
        let ranked = production(Sector::Steel).unwrap().rank(2020).unwrap();
        for region in Region::ALL {
            let largest = ranked.iter().find(|r| r.country.region() == region).unwrap();
            assert_eq!(CarbonTier::of_region(region), CarbonTier::of_country(largest.country), "{region}");
        }
    }

    #[test]
    fn clinker_ratio_paths() {
        let gcca = clinker_ratio("gcca-2040").unwrap();
        assert!(close(gcca.ratio(2022), 0.72));
        assert!(close(gcca.ratio(2031), 0.64));
        assert!(close(gcca.ratio(2050), 0.56));
        assert!(close(clinker_ratio("current").unwrap().ratio(2050), 0.72));
        assert!(clinker_ratio("lc3").is_err());
        assert_eq!(clinker_ratio_names(), ["current", "gcca-2040"]);
    }
}
