//! Plants and fleets: what the trackers record about each production site.

use crate::country::CountryCode;
use crate::sector::Sector;
use crate::units::TonnesPerYear;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a plant stands in its life. Status words differ between sources and releases
/// ("operating_pre-retirement", "Under Construction", "proposed", "closed"); [`FromStr`] maps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlantStatus {
    Operating,
    /// Operating, with a retirement announced (GEM's GIST 2025 category).
    OperatingPreRetirement,
    Construction,
    Announced,
    Mothballed,
    Retired,
    Cancelled,
}

impl PlantStatus {
    pub const ALL: [PlantStatus; 7] = [
        PlantStatus::Operating,
        PlantStatus::OperatingPreRetirement,
        PlantStatus::Construction,
        PlantStatus::Announced,
        PlantStatus::Mothballed,
        PlantStatus::Retired,
        PlantStatus::Cancelled,
    ];

    /// The statuses' names (`ALL` as words), for forms.
    pub const NAMES: [&'static str; 7] = {
        let mut names = [""; 7];
        let mut i = 0;
        while i < names.len() {
            names[i] = PlantStatus::ALL[i].as_str();
            i += 1;
        }
        names
    };

    pub const fn as_str(self) -> &'static str {
        match self {
            PlantStatus::Operating => "operating",
            PlantStatus::OperatingPreRetirement => "operating-pre-retirement",
            PlantStatus::Construction => "construction",
            PlantStatus::Announced => "announced",
            PlantStatus::Mothballed => "mothballed",
            PlantStatus::Retired => "retired",
            PlantStatus::Cancelled => "cancelled",
        }
    }

    /// Producing today (including plants with an announced retirement).
    pub fn is_operating(self) -> bool {
        matches!(self, PlantStatus::Operating | PlantStatus::OperatingPreRetirement)
    }

    /// Not yet producing but on the way (construction or announced).
    pub fn is_pipeline(self) -> bool {
        matches!(self, PlantStatus::Construction | PlantStatus::Announced)
    }
}

impl fmt::Display for PlantStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PlantStatus {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let status = match key.as_str() {
            "operating" | "operational" | "active" | "in-operation" => PlantStatus::Operating,
            "operating-pre-retirement" | "pre-retirement" => PlantStatus::OperatingPreRetirement,
            "construction" | "under-construction" | "in-construction" => PlantStatus::Construction,
            "announced" | "proposed" | "planned" | "pre-construction" | "permitted" => PlantStatus::Announced,
            // GIST 2025 units: "mothballed_pre-retirement" (mothballed, retirement announced).
            "mothballed" | "idled" | "idle" | "shelved" | "suspended" | "mothballed-pre-retirement" => {
                PlantStatus::Mothballed
            }
            "retired" | "closed" | "decommissioned" | "decomissioned" => PlantStatus::Retired,
            "cancelled" | "canceled" => PlantStatus::Cancelled,
            _ => {
                return Err(crate::ParseError::new(
                    "plant status",
                    s,
                    "one of operating, operating-pre-retirement, construction, announced, mothballed, \
                     retired, cancelled (or a known synonym such as proposed, idled, closed)",
                ));
            }
        };
        Ok(status)
    }
}

/// A reported value that may be missing. Trackers distinguish a blank cell (often "does not
/// apply") from "unknown", and write `>0` for "positive, amount not known". None of these may
/// become a silent zero.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Reported<T> {
    Value(T),
    /// Known to be positive, amount unknown (`>0`).
    Positive,
    /// Stated as unknown.
    Unknown,
    /// Left blank by the source.
    #[default]
    Blank,
}

impl<T: Copy> Reported<T> {
    pub fn value(&self) -> Option<T> {
        match self {
            Reported::Value(v) => Some(*v),
            _ => None,
        }
    }
    pub fn is_known(&self) -> bool {
        matches!(self, Reported::Value(_))
    }
}

/// A date as precise as its source: a year, a year and month, or a full date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn year(year: i32) -> Self {
        Self { year, month: None, day: None }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (Some(m), Some(d)) => write!(f, "{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => write!(f, "{:04}-{m:02}", self.year),
            _ => write!(f, "{:04}", self.year),
        }
    }
}

impl FromStr for PartialDate {
    type Err = crate::ParseError;
    /// Reads `2005`, `2005.0`, `2021-09`, `2021-09-01` and `2021-09-01 00:00:00`; a full date
    /// must be a day of the calendar (no 2021-02-30), checked by jiff.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let date = PartialDate::parse_shape(s)?;
        if let (Some(m), Some(d)) = (date.month, date.day) {
            crate::date::day(date.year, m, d)
                .map_err(|_| crate::ParseError::new("date", s, PartialDate::EXPECTED))?;
        }
        Ok(date)
    }
}

impl PartialDate {
    const EXPECTED: &'static str = "a year (2005), year-month (2021-09) or date (2021-09-01)";

    /// The shape of a date (a plausible year, month 1 to 12, day 1 to 31), before checking that a
    /// full date is a day of the calendar; `date::parse_day` says why one is not.
    pub(crate) fn parse_shape(s: &str) -> Result<Self, crate::ParseError> {
        let err = || crate::ParseError::new("date", s, PartialDate::EXPECTED);
        let text = s.trim();
        let text = text.split([' ', 'T']).next().unwrap_or(text);
        let text = text.strip_suffix(".0").unwrap_or(text);
        let mut parts = text.split('-');
        let year: i32 = parts.next().and_then(|y| y.parse().ok()).ok_or_else(err)?;
        if !(1000..=2200).contains(&year) {
            return Err(err());
        }
        let mut component = |range: std::ops::RangeInclusive<u8>| match parts.next() {
            None => Ok(None),
            Some(text) => text.parse::<u8>().ok().filter(|v| range.contains(v)).map(Some).ok_or_else(err),
        };
        let month = component(1..=12)?;
        let day = component(1..=31)?;
        if parts.next().is_some() || (day.is_some() && month.is_none()) {
            return Err(err());
        }
        Ok(PartialDate { year, month, day })
    }
}

/// A share of a plant held by a company ("Name A [49%]" in GEM files). `share` is a fraction
/// 0..=1 when the source gives one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ownership {
    pub name: String,
    /// The source's entity id (GEM `E100...`, a PermID), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// A plant's production route, as far as its tracker tells. This is the coarse family a fleet is
/// summarised by; the engine maps each to its base-year [`crate::Technology`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Route {
    /// Integrated blast furnace - basic oxygen furnace steelworks.
    BfBof,
    /// Direct reduced iron with electric arc furnace.
    DriEaf,
    /// Electric arc furnace fed mainly with scrap (GEM "electric").
    Eaf,
    /// Open hearth furnace steelmaking.
    Ohf,
    /// Ironmaking only, blast furnace (no steelmaking on site).
    IronBf,
    /// Ironmaking only, direct reduction.
    IronDri,
    /// Steelmaking only from purchased iron (GEM "oxygen").
    Bof,
    /// Cement plant with a clinker kiln.
    CementIntegrated,
    /// Cement grinding station (no kiln).
    CementGrinding,
    /// Primary aluminium smelter.
    AluminiumSmelter,
    /// Alumina refinery.
    AluminaRefinery,
    /// Ammonia plant.
    Ammonia,
    /// The source does not say, or says something decarb does not map.
    Unknown,
}

impl Route {
    /// Every route, in declaration order.
    pub const ALL: [Route; 13] = [
        Route::BfBof,
        Route::DriEaf,
        Route::Eaf,
        Route::Ohf,
        Route::IronBf,
        Route::IronDri,
        Route::Bof,
        Route::CementIntegrated,
        Route::CementGrinding,
        Route::AluminiumSmelter,
        Route::AluminaRefinery,
        Route::Ammonia,
        Route::Unknown,
    ];

    /// The routes' names (`ALL` as words), for forms.
    pub const NAMES: [&'static str; 13] = {
        let mut names = [""; 13];
        let mut i = 0;
        while i < names.len() {
            names[i] = Route::ALL[i].as_str();
            i += 1;
        }
        names
    };

    pub const fn as_str(self) -> &'static str {
        match self {
            Route::BfBof => "bf-bof",
            Route::DriEaf => "dri-eaf",
            Route::Eaf => "eaf",
            Route::Ohf => "ohf",
            Route::IronBf => "iron-bf",
            Route::IronDri => "iron-dri",
            Route::Bof => "bof",
            Route::CementIntegrated => "cement-integrated",
            Route::CementGrinding => "cement-grinding",
            Route::AluminiumSmelter => "aluminium-smelter",
            Route::AluminaRefinery => "alumina-refinery",
            Route::Ammonia => "ammonia",
            Route::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Route {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let route = match s.trim().to_ascii_lowercase().as_str() {
            "bf-bof" => Route::BfBof,
            "dri-eaf" => Route::DriEaf,
            "eaf" => Route::Eaf,
            "ohf" => Route::Ohf,
            "iron-bf" => Route::IronBf,
            "iron-dri" => Route::IronDri,
            "bof" => Route::Bof,
            "cement-integrated" => Route::CementIntegrated,
            "cement-grinding" => Route::CementGrinding,
            "aluminium-smelter" => Route::AluminiumSmelter,
            "alumina-refinery" => Route::AluminaRefinery,
            "ammonia" => Route::Ammonia,
            "unknown" | "" => Route::Unknown,
            _ => {
                return Err(crate::ParseError::new(
                    "route",
                    s,
                    "one of bf-bof, dri-eaf, eaf, ohf, iron-bf, iron-dri, bof, cement-integrated, \
                     cement-grinding, aluminium-smelter, alumina-refinery, ammonia, unknown",
                ));
            }
        };
        Ok(route)
    }
}

/// One production site as a tracker records it, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plant {
    /// The source's own id (GEM `SCN00001`, `P100000120001`; SFI `GACTCHN0001`). Not always
    /// unique within a release: GEM 2023 has SMY00015 twice.
    pub id: String,
    /// Which dataset the plant came from ("gem-gspt-2023-03", "sfi-cement-2021", "decarb").
    pub source: String,
    pub name: String,
    pub sector: Sector,
    /// `None` when the source's country text matched no known country; `country_text` keeps it.
    pub country: Option<CountryCode>,
    pub country_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnational: Option<String>,
    /// Latitude and longitude in degrees (WGS84), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<(f64, f64)>,
    pub status: PlantStatus,
    pub route: Route,
    /// Nameplate capacity of the sector's product: crude steel for steel plants, cement for
    /// cement plants.
    pub capacity: Reported<TonnesPerYear>,
    /// Start of operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// Most recent main reinvestment (blast-furnace relining), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_investment: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<Ownership>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parents: Vec<Ownership>,
    /// True when the source splits one plant's capacity by status (GIST map files: operating,
    /// announced, retired... capacity in one row) and this record is the slice of one status.
    /// Records with this flag and the same `source` and `id` are one plant; without it every
    /// record is a plant of its own, even when ids repeat (SMY00015 in GEM 2023).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub status_slice: bool,
    /// The finer process within the route where the source gives it, such as a smelter's power
    /// supply (`coal`, `hydro`, `grid`); start rules may match on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// The plant's page on the tracker's wiki (GEM.wiki for GEM's trackers), an http or https
    /// address, when the source gives one. A reference for readers, not a fact about the plant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wiki_url: Option<String>,
}

/// A set of plants, as imported from one or more files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fleet {
    pub plants: Vec<Plant>,
}

impl Fleet {
    pub fn len(&self) -> usize {
        self.plants.len()
    }
    pub fn is_empty(&self) -> bool {
        self.plants.is_empty()
    }
    pub fn extend(&mut self, other: Fleet) {
        self.plants.extend(other.plants);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_all_as_words() {
        assert_eq!(PlantStatus::NAMES[1], "operating-pre-retirement");
        assert_eq!(Route::NAMES[12], "unknown");
        for (name, status) in PlantStatus::NAMES.iter().zip(PlantStatus::ALL) {
            assert_eq!(name.parse::<PlantStatus>().ok(), Some(status));
        }
        for (name, route) in Route::NAMES.iter().zip(Route::ALL) {
            assert_eq!(name.parse::<Route>().ok(), Some(route));
        }
    }

    #[test]
    fn status_words_of_several_releases_map_to_one_vocabulary() {
        let cases = [
            ("operating", PlantStatus::Operating),
            ("Operating", PlantStatus::Operating),
            ("operating_pre-retirement", PlantStatus::OperatingPreRetirement),
            ("operating-pre-retirement", PlantStatus::OperatingPreRetirement),
            ("Under Construction", PlantStatus::Construction),
            ("proposed", PlantStatus::Announced),
            ("closed", PlantStatus::Retired),
            ("decomissioned", PlantStatus::Retired),
            ("canceled", PlantStatus::Cancelled),
            ("idled", PlantStatus::Mothballed),
            ("mothballed_pre-retirement", PlantStatus::Mothballed),
        ];
        for (text, status) in cases {
            assert_eq!(text.parse::<PlantStatus>(), Ok(status), "{text}");
        }
        assert!("sold".parse::<PlantStatus>().is_err());
    }

    #[test]
    fn dates_keep_the_precision_they_were_given() {
        assert_eq!("2005".parse(), Ok(PartialDate::year(2005)));
        assert_eq!("2005.0".parse(), Ok(PartialDate::year(2005)));
        let ym: PartialDate = "2021-09".parse().unwrap();
        assert_eq!((ym.year, ym.month, ym.day), (2021, Some(9), None));
        let full: PartialDate = "2021-09-01 00:00:00".parse().unwrap();
        assert_eq!(full.to_string(), "2021-09-01");
        for bad in ["unknown", "", "21", "2021-13", "2021-09-01-02", "March 2021", "2021-02-29", "2021-04-31"]
        {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }
}
