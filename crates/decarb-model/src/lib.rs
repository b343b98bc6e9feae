//! The vocabulary of decarb: typed units, sectors, technologies (production routes), countries,
//! plants, companies, projects, members, pledges and partnerships. No I/O and no storage: every
//! other crate speaks in these types.
//!
//! ```
//! use decarb_model::{Sector, PlantStatus, units::TonnesPerYear};
//! let status: PlantStatus = "operating_pre-retirement".parse().unwrap();
//! assert!(status.is_operating());
//! assert_eq!("aluminum".parse::<Sector>().unwrap(), Sector::Aluminium);
//! assert_eq!(TonnesPerYear::from_kt(2_500.0).to_mt(), 2.5);
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod country;
pub mod date;
pub mod iamc;
pub mod plant;
pub mod search;
pub mod sector;
pub mod suggest;
pub mod technology;
pub mod tracker;
pub mod unit;
pub mod units;

pub use country::{CountryCode, Region};
pub use plant::{Fleet, Ownership, PartialDate, Plant, PlantStatus, Reported, Route};
pub use sector::Sector;
pub use technology::{Commodity, ElectricitySupply, Inputs, Phase, TechId, Technology};
pub use unit::{FurnaceKind, FurnaceUnit};

/// A value that could not be read as the vocabulary type it should be. Importers wrap it with
/// the file, row and column it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: found {found:?}, expected {expected}{}", suggest::did_you_mean(&self.suggestions.iter().map(String::as_str).collect::<Vec<_>>()))]
pub struct ParseError {
    /// What was being read ("country", "plant status").
    pub what: &'static str,
    /// The text found.
    pub found: String,
    /// What would have been accepted.
    pub expected: &'static str,
    /// Close accepted values ("did you mean"), best first.
    pub suggestions: Vec<String>,
}

impl ParseError {
    pub fn new(what: &'static str, found: &str, expected: &'static str) -> Self {
        Self { what, found: found.to_owned(), expected, suggestions: Vec::new() }
    }

    /// The error with the accepted values closest to what was found ([`suggest::closest`]).
    #[must_use]
    pub fn suggesting<'a>(mut self, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        self.suggestions = suggest::closest(&self.found, candidates).into_iter().map(str::to_owned).collect();
        self
    }
}
