//! The heavy-industry sectors decarb covers.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A sector, named by its main product. Chemicals start with ammonia, the one chemical with an
/// open plant-level model (MPP) and by-country statistics; methanol and high-value chemicals can
/// join as their own variants when data allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Steel,
    Cement,
    Aluminium,
    Ammonia,
}

impl Sector {
    pub const ALL: [Sector; 4] = [Sector::Steel, Sector::Cement, Sector::Aluminium, Sector::Ammonia];

    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Steel => "steel",
            Sector::Cement => "cement",
            Sector::Aluminium => "aluminium",
            Sector::Ammonia => "ammonia",
        }
    }

    /// The product a plant's capacity and the sector's statistics are counted in.
    pub fn product(self) -> &'static str {
        match self {
            Sector::Steel => "crude steel",
            Sector::Cement => "cement",
            Sector::Aluminium => "primary aluminium",
            Sector::Ammonia => "ammonia",
        }
    }

    /// Dense index, for tables keyed by sector.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sector {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "steel" | "iron and steel" | "iron & steel" | "crude steel" => Ok(Sector::Steel),
            "cement" | "clinker" => Ok(Sector::Cement),
            "aluminium" | "aluminum" | "primary aluminium" | "primary aluminum" => Ok(Sector::Aluminium),
            "ammonia" | "nh3" => Ok(Sector::Ammonia),
            _ => Err(crate::ParseError::new("sector", s, "one of steel, cement, aluminium, ammonia")
                .suggesting(Sector::ALL.iter().map(|sector| sector.as_str()))),
        }
    }
}
