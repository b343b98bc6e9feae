//! Furnace units: the blast furnaces, converters, arc furnaces and DRI modules inside a steel
//! plant, as GEM's unit-level tracker records them. Investment cycles (relining, replacement)
//! happen per unit, not per plant.

use crate::country::CountryCode;
use crate::plant::{PartialDate, PlantStatus, Reported};
use crate::units::TonnesPerYear;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The kind of furnace a unit is. Ironmaking units (BF, DRI) make iron; steelmaking units (BOF,
/// EAF, OHF) make crude steel, so their capacities must not be added together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FurnaceKind {
    /// Blast furnace (pig iron).
    Bf,
    /// Basic oxygen furnace (crude steel).
    Bof,
    /// Electric arc furnace (crude steel).
    Eaf,
    /// Direct reduction module (direct reduced iron).
    Dri,
    /// Open hearth furnace (crude steel).
    Ohf,
}

impl FurnaceKind {
    pub const ALL: [FurnaceKind; 5] =
        [FurnaceKind::Bf, FurnaceKind::Bof, FurnaceKind::Eaf, FurnaceKind::Dri, FurnaceKind::Ohf];

    pub fn as_str(self) -> &'static str {
        match self {
            FurnaceKind::Bf => "bf",
            FurnaceKind::Bof => "bof",
            FurnaceKind::Eaf => "eaf",
            FurnaceKind::Dri => "dri",
            FurnaceKind::Ohf => "ohf",
        }
    }

    /// True for the furnaces whose capacity is crude steel (BOF, EAF, OHF).
    pub fn makes_steel(self) -> bool {
        matches!(self, FurnaceKind::Bof | FurnaceKind::Eaf | FurnaceKind::Ohf)
    }

    /// The product a unit's capacity is counted in.
    pub fn product(self) -> &'static str {
        match self {
            FurnaceKind::Bf => "pig iron",
            FurnaceKind::Dri => "direct reduced iron",
            FurnaceKind::Bof | FurnaceKind::Eaf | FurnaceKind::Ohf => "crude steel",
        }
    }
}

impl fmt::Display for FurnaceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FurnaceKind {
    type Err = crate::ParseError;
    /// Reads the short codes (`BF`, `eaf`) and GEM's unit tab names (`Blast_furnaces`,
    /// `Electric arc furnaces`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        let key = key.strip_suffix('s').unwrap_or(&key);
        let kind = match key {
            "bf" | "blast furnace" => FurnaceKind::Bf,
            "bof" | "basic oxygen furnace" => FurnaceKind::Bof,
            "eaf" | "electric arc furnace" => FurnaceKind::Eaf,
            "dri" | "dri furnace" | "direct reduction" => FurnaceKind::Dri,
            "ohf" | "open hearth furnace" => FurnaceKind::Ohf,
            _ => {
                return Err(crate::ParseError::new(
                    "furnace kind",
                    s,
                    "one of bf, bof, eaf, dri, ohf (or Blast_furnaces, Basic_oxygen_furnaces, \
                     Electric_arc_furnaces, DRI_furnaces, Open_hearth_furnaces)",
                ));
            }
        };
        Ok(kind)
    }
}

/// One furnace, with the metadata of the plant it belongs to repeated (as GEM's unit file does),
/// so a list of units can be summarised by country without the plant file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FurnaceUnit {
    /// The source's unit id (GEM `U100000144311`).
    pub unit_id: String,
    /// The id of the plant the unit belongs to (GEM `P100000120001`).
    pub plant_id: String,
    /// Which dataset the unit came from ("gem-gist", "decarb").
    pub source: String,
    /// The unit's own name; often empty or a placeholder such as `unknown EAF (1)`.
    pub name: String,
    pub plant_name: String,
    pub kind: FurnaceKind,
    pub status: PlantStatus,
    /// Nameplate capacity of the unit's own product ([`FurnaceKind::product`]).
    pub capacity: Reported<TonnesPerYear>,
    /// Most recent relining or rebuild, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_relining: Option<PartialDate>,
    /// `None` when the source's country text matched no known country; `country_text` keeps it.
    pub country: Option<CountryCode>,
    pub country_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subnational: Option<String>,
    /// Latitude and longitude of the plant in degrees (WGS84), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<(f64, f64)>,
    /// Start of operation of the plant (the unit file gives no unit start date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plant_start: Option<PartialDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furnace_kinds_read_codes_and_gem_tab_names() {
        let cases = [
            ("Blast_furnaces", FurnaceKind::Bf),
            ("Basic_oxygen_furnaces", FurnaceKind::Bof),
            ("Electric arc furnaces", FurnaceKind::Eaf),
            ("DRI_furnaces", FurnaceKind::Dri),
            ("Open_hearth_furnaces", FurnaceKind::Ohf),
            ("eaf", FurnaceKind::Eaf),
        ];
        for (text, kind) in cases {
            assert_eq!(text.parse::<FurnaceKind>(), Ok(kind), "{text}");
        }
        assert!("Induction furnaces".parse::<FurnaceKind>().is_err());
        assert!(FurnaceKind::Eaf.makes_steel() && !FurnaceKind::Dri.makes_steel());
    }
}
