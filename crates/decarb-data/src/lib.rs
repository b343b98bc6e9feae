//! Reading and writing the world for decarb: importers for the files analysts already hold (GEM
//! steel trackers, the SFI cement database, MPP model folders, decarb's own fleet CSV/JSON),
//! exporters, and the facts bundled into the binary (technologies, production statistics, prices,
//! carbon price paths), each row with its source.

pub mod error;
pub mod shared;

pub use error::{Error, Location, Result};
