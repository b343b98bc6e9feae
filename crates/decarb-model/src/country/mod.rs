//! Countries by ISO 3166-1 alpha-3 code, their names and the spellings other datasets use.
//!
//! Sources write the same country many ways ("USA", "United States of America", "Türkiye",
//! "Turkey", "Viet Nam", "Korea, Republic of", "Taiwan, China"); [`CountryCode::resolve`] maps
//! all of them, ISO2 and ISO3 codes included, to one code. Each country also belongs to one
//! decarb [`Region`], the worldsteel-style grouping of the MPP steel model.
//!
//! ```
//! use decarb_model::country::CountryCode;
//! assert_eq!(CountryCode::resolve("Viet Nam").unwrap().as_str(), "VNM");
//! assert_eq!(CountryCode::resolve("Türkiye"), CountryCode::resolve("turkey"));
//! assert_eq!(CountryCode::resolve("usa").unwrap().name(), "United States");
//! ```

mod table;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The regions decarb aggregates countries into for demand, prices and reporting. They follow the
/// worldsteel-style grouping of the MPP steel model's `Regional Steel Demand.csv`, so that regional
/// inputs of that model map one to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    China,
    India,
    JapanKoreaTaiwan,
    NorthAmerica,
    Cis,
    MiddleEast,
    SoutheastAsia,
    Europe,
    LatinAmerica,
    Africa,
    RestOfWorld,
}

impl Region {
    pub const ALL: [Region; 11] = [
        Region::China,
        Region::India,
        Region::JapanKoreaTaiwan,
        Region::NorthAmerica,
        Region::Cis,
        Region::MiddleEast,
        Region::SoutheastAsia,
        Region::Europe,
        Region::LatinAmerica,
        Region::Africa,
        Region::RestOfWorld,
    ];

    /// The identifier used in files and on the command line (`north_america`).
    pub fn as_str(self) -> &'static str {
        match self {
            Region::China => "china",
            Region::India => "india",
            Region::JapanKoreaTaiwan => "japan_korea_taiwan",
            Region::NorthAmerica => "north_america",
            Region::Cis => "cis",
            Region::MiddleEast => "middle_east",
            Region::SoutheastAsia => "southeast_asia",
            Region::Europe => "europe",
            Region::LatinAmerica => "latin_america",
            Region::Africa => "africa",
            Region::RestOfWorld => "rest_of_world",
        }
    }

    /// Dense index, for struct-of-arrays tables keyed by region.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let region = match key.as_str() {
            "china" => Region::China,
            "india" => Region::India,
            "japan_korea_taiwan" | "japan,_south_korea,_and_taiwan" => Region::JapanKoreaTaiwan,
            "north_america" | "nafta" => Region::NorthAmerica,
            "cis" => Region::Cis,
            "middle_east" => Region::MiddleEast,
            "southeast_asia" => Region::SoutheastAsia,
            "europe" => Region::Europe,
            "latin_america" | "south_and_central_america" => Region::LatinAmerica,
            "africa" => Region::Africa,
            "rest_of_world" | "row" => Region::RestOfWorld,
            _ => {
                return Err(crate::ParseError::new(
                    "region",
                    s,
                    "one of china, india, japan_korea_taiwan, north_america, cis, middle_east, \
                     southeast_asia, europe, latin_america, africa, rest_of_world",
                ));
            }
        };
        Ok(region)
    }
}

/// One row of the bundled country table.
#[derive(Debug)]
pub struct CountryRecord {
    pub iso3: &'static str,
    pub iso2: &'static str,
    /// Common short name (ISO "common name" where it has one: "South Korea", "Iran").
    pub name: &'static str,
    /// The ISO 3166-1 short name ("Korea, Republic of").
    pub iso_name: &'static str,
    pub region: Region,
    pub aliases: &'static [&'static str],
}

/// An ISO 3166-1 alpha-3 code known to the bundled table (plus `XKX`, Kosovo).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode(u16);

impl CountryCode {
    /// Every known country, in code order.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        (0..table::COUNTRIES.len()).map(|i| CountryCode(u16::try_from(i).unwrap_or(u16::MAX)))
    }

    /// Looks up an ISO3 or ISO2 code, or any name or alias, ignoring case, accents,
    /// punctuation and spacing.
    pub fn resolve(text: &str) -> Option<CountryCode> {
        let key = normalise_name(text);
        if key.is_empty() {
            return None;
        }
        name_index().get(&key).copied()
    }

    /// Like [`CountryCode::resolve`] but returns an error that says what was expected.
    pub fn parse(text: &str) -> Result<CountryCode, crate::ParseError> {
        Self::resolve(text).ok_or_else(|| {
            crate::ParseError::new(
                "country",
                text,
                "an ISO 3166-1 code (\"USA\", \"US\") or a country name (\"United States\")",
            )
            .suggesting(Self::suggestions(text))
        })
    }

    /// Country names close to `text` ("Indai" -> "India"), best first, for "did you mean".
    pub fn suggestions(text: &str) -> Vec<&'static str> {
        crate::suggest::closest(text, table::COUNTRIES.iter().map(|c| c.name))
    }

    fn record(self) -> &'static CountryRecord {
        &table::COUNTRIES[usize::from(self.0)]
    }

    pub fn as_str(self) -> &'static str {
        self.record().iso3
    }
    pub fn iso2(self) -> &'static str {
        self.record().iso2
    }
    pub fn name(self) -> &'static str {
        self.record().name
    }
    pub fn region(self) -> Region {
        self.record().region
    }
    /// Other names the country is known by in the files decarb reads ("Türkiye", "Russian Federation").
    pub fn aliases(self) -> &'static [&'static str] {
        self.record().aliases
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CountryCode {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CountryCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Lower-case, fold the accents found in country names, drop punctuation and collapse spaces,
/// so "Côte d'Ivoire", "Cote d’Ivoire" and "COTE D IVOIRE" share one key.
fn normalise_name(text: &str) -> String {
    crate::search::fold(text)
}

fn name_index() -> &'static HashMap<String, CountryCode> {
    static INDEX: OnceLock<HashMap<String, CountryCode>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = HashMap::new();
        for (i, record) in table::COUNTRIES.iter().enumerate() {
            let code = CountryCode(u16::try_from(i).unwrap_or(u16::MAX));
            let names = [record.iso3, record.iso2, record.name, record.iso_name];
            for name in names.iter().chain(record.aliases.iter()) {
                // First writer wins: ISO codes come before aliases, so "NA" stays Namibia.
                index.entry(normalise_name(name)).or_insert(code);
            }
        }
        index
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_aliases_resolve_to_one_code() {
        let cases = [
            ("USA", "USA"),
            ("United States of America", "USA"),
            ("United States", "USA"),
            ("US", "USA"),
            ("Türkiye", "TUR"),
            ("Turkey", "TUR"),
            ("Viet Nam", "VNM"),
            ("Vietnam", "VNM"),
            ("Korea, Republic of", "KOR"),
            ("South Korea", "KOR"),
            ("Taiwan, China", "TWN"),
            ("Iran (Islamic Republic of)", "IRN"),
            ("People's Republic of China", "CHN"),
            ("Côte d'Ivoire", "CIV"),
            ("  russian   federation ", "RUS"),
            ("NA", "NAM"),
            ("deu", "DEU"),
            ("Kosovo", "XKX"),
        ];
        for (text, iso3) in cases {
            assert_eq!(CountryCode::resolve(text).map(CountryCode::as_str), Some(iso3), "{text}");
        }
    }

    #[test]
    fn unknown_names_are_errors_that_say_what_was_expected() {
        assert_eq!(CountryCode::resolve("Atlantis"), None);
        assert_eq!(CountryCode::resolve(""), None);
        let err = CountryCode::parse("Atlantis").unwrap_err();
        assert!(err.to_string().contains("Atlantis"));
    }

    #[test]
    fn table_holds_every_iso_country_once_with_a_region() {
        let codes: Vec<_> = CountryCode::all().map(CountryCode::as_str).collect();
        assert_eq!(codes.len(), 250); // 249 ISO 3166-1 entries + Kosovo
        let mut sorted = codes.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len());
        assert_eq!(CountryCode::resolve("India").map(CountryCode::region), Some(Region::India));
        assert_eq!(CountryCode::resolve("Mexico").map(CountryCode::region), Some(Region::NorthAmerica));
    }
}
