//! Product lines and their defaults.
//!
//! A sector may hold more than one product line: aluminium has smelters (t primary aluminium,
//! the sector's product) and alumina refineries (t alumina). Each line balances its own
//! capacity against its own demand; a sector's summary counts the production and capacity of its
//! main line and the emissions, costs and resources of all its lines.

use decarb_model::{Route, Sector};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A product line: plants that make one product and compete for one demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// Crude steel.
    Steel,
    /// Cement from integrated plants (the kiln's technology is per t clinker).
    Cement,
    /// Primary aluminium from smelters.
    AluminiumSmelting,
    /// Alumina from refineries.
    AluminaRefining,
    /// Ammonia.
    Ammonia,
}

impl Line {
    pub const ALL: [Line; 5] =
        [Line::Steel, Line::Cement, Line::AluminiumSmelting, Line::AluminaRefining, Line::Ammonia];
    pub const COUNT: usize = 5;

    pub fn sector(self) -> Sector {
        match self {
            Line::Steel => Sector::Steel,
            Line::Cement => Sector::Cement,
            Line::AluminiumSmelting | Line::AluminaRefining => Sector::Aluminium,
            Line::Ammonia => Sector::Ammonia,
        }
    }

    /// Whether this line makes the sector's product (its production and capacity are the
    /// sector's).
    pub fn is_main(self) -> bool {
        !matches!(self, Line::AluminaRefining)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Line::Steel => "steel",
            Line::Cement => "cement",
            Line::AluminiumSmelting => "aluminium-smelting",
            Line::AluminaRefining => "alumina-refining",
            Line::Ammonia => "ammonia",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The line a plant of this route belongs to, or why the engine leaves it out.
    ///
    /// - Ironmaking-only plants (`iron-bf`, `iron-dri`) make no crude steel (their crude-steel
    ///   capacity is zero by definition); their emissions are counted at the steelworks that use
    ///   their iron, through that works' route.
    /// - Cement grinding stations have no kiln: the engine adds them to the cement line as
    ///   plants without a technology (see `sim`); here they are an error like any route without
    ///   a kiln technology.
    pub fn of_route(route: Route) -> Result<Line, &'static str> {
        match route {
            Route::BfBof | Route::DriEaf | Route::Eaf | Route::Ohf | Route::Bof => Ok(Line::Steel),
            Route::IronBf | Route::IronDri => Err("ironmaking only: no crude-steel capacity"),
            Route::CementIntegrated => Ok(Line::Cement),
            Route::CementGrinding => Err("cement grinding station: no kiln, no clinker emissions"),
            Route::AluminiumSmelter => Ok(Line::AluminiumSmelting),
            Route::AluminaRefinery => Ok(Line::AluminaRefining),
            Route::Ammonia => Ok(Line::Ammonia),
            Route::Unknown => Err("route unknown"),
        }
    }

    /// Default size of a newly built plant, t of the line's product per year, with its source.
    pub fn default_new_plant_size(self) -> (f64, &'static str) {
        match self {
            Line::Steel => (
                2.5e6,
                "MPP steel model: new plants of the regional average size, 2.5 Mt/yr by default (TECHNOLOGY.md §8)",
            ),
            Line::Cement => (
                2.0e6 / 0.72,
                "MPP cement technology cards: plant of 2 Mt clinker/yr (TECHNOLOGY.md §2.1), as cement at the 2022 clinker ratio 0.72 (WEF 2023)",
            ),
            Line::AluminiumSmelting => (
                0.428e6,
                "mean smelter of the MPP aluminium initial asset stack: 77.46 Mt / 181 smelters (mpp-shared-code aluminium/smelters/initial_asset_stack.csv)",
            ),
            Line::AluminaRefining => (
                1.692e6,
                "mean refinery of the MPP alumina initial asset stack: 159.08 Mt / 94 refineries (mpp-shared-code aluminium/refineries/initial_asset_stack.csv)",
            ),
            Line::Ammonia => (
                0.756e6,
                "mean of the 28 plants with an ammonia capacity in PyPSA-Earth ammonia_plants.csv (pypsa-earth-ammonia-plants)",
            ),
        }
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A sector's utilisation bounds: production never exceeds capacity x `max`; new capacity is
/// built when demand exceeds it; plants close when utilisation would fall below `min`.
#[derive(Debug, Clone, PartialEq)]
pub struct UtilisationBounds {
    pub min: f64,
    pub max: f64,
    pub source: String,
}
