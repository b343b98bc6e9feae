//! Where a good or precursor comes from, and what that means under the CBAM: EU and Annex III
//! origins are outside it (Reg. 2023/956 Annex III pt 1), every other country is looked up in the
//! default-value tables, falling back to "Other countries and territories".

use crate::error::{Error, Result};
use decarb_model::CountryCode;
use std::fmt;

/// The country of origin (or of production, for a precursor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    Country(CountryCode),
    /// The "Other countries and territories" rows of IR 2025/2621 Annex I, asked for directly.
    OtherCountries,
    /// A precursor whose country of production is unknown (IR 2025/2621 Annex IV).
    Unknown,
}

/// The 27 EU member states: goods produced there carry no CBAM obligation, and precursors from
/// there have SEE = 0 (IR 2547 Annex III B).
const EU_MEMBERS: &[&str] = &[
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL", "ITA",
    "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
];

/// Annex III pt 1 countries. The other Annex III territories (Büsingen, Heligoland, Livigno,
/// Ceuta, Melilla) have no ISO 3166-1 code of their own; declare them as the EU member state.
const ANNEX_III: &[&str] = &["ISL", "LIE", "NOR", "CHE"];

impl Origin {
    /// Reads an ISO 3166-1 code (alpha-3 "IND" or alpha-2 "IN"), or `OTHER` / `UNKNOWN`. Country
    /// names are refused on purpose: a declaration names countries by code.
    pub fn parse(text: &str) -> Result<Origin> {
        let upper = text.trim().to_ascii_uppercase();
        match upper.as_str() {
            "OTHER" => return Ok(Origin::OtherCountries),
            "UNKNOWN" => return Ok(Origin::Unknown),
            _ => {}
        }
        let is_code =
            (upper.len() == 2 || upper.len() == 3) && upper.chars().all(|c| c.is_ascii_alphabetic());
        let country =
            CountryCode::resolve(&upper).filter(|c| is_code && (c.as_str() == upper || c.iso2() == upper));
        country.map(Origin::Country).ok_or_else(|| {
            Error::invalid(
                "origin",
                text,
                "an ISO 3166-1 country code (\"IND\" or \"IN\"), OTHER (the 'Other countries' defaults) or UNKNOWN",
            )
        })
    }

    pub fn is_eu(self) -> bool {
        matches!(self, Origin::Country(c) if EU_MEMBERS.contains(&c.as_str()))
    }

    /// Outside the CBAM: the EU itself or an Annex III pt 1 country.
    pub fn is_exempt(self) -> bool {
        self.is_eu() || matches!(self, Origin::Country(c) if ANNEX_III.contains(&c.as_str()))
    }

    /// The key of the bundled tables: ISO alpha-2, `OTHER` or `UNKNOWN`.
    pub fn table_key(self) -> &'static str {
        match self {
            Origin::Country(c) => c.iso2(),
            Origin::OtherCountries => "OTHER",
            Origin::Unknown => "UNKNOWN",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Country(c) => f.write_str(c.as_str()),
            Origin::OtherCountries => f.write_str("OTHER"),
            Origin::Unknown => f.write_str("UNKNOWN"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_iso_codes() {
        assert_eq!(Origin::parse("ind").unwrap().to_string(), "IND");
        assert_eq!(Origin::parse("IN").unwrap().to_string(), "IND");
        assert_eq!(Origin::parse("other").unwrap(), Origin::OtherCountries);
        assert!(Origin::parse("India").is_err(), "names are not codes");
        assert!(Origin::parse("XX").is_err());
        assert!(Origin::parse("").is_err());
    }

    #[test]
    fn eu_and_annex_three_are_exempt() {
        assert!(Origin::parse("DEU").unwrap().is_eu());
        assert!(Origin::parse("NOR").unwrap().is_exempt());
        assert!(!Origin::parse("NOR").unwrap().is_eu());
        assert!(!Origin::parse("TUR").unwrap().is_exempt());
        assert!(!Origin::parse("GBR").unwrap().is_exempt());
    }
}
