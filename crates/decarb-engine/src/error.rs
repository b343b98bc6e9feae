//! What can stop a run: a scenario that does not fit the world, or a world that is incomplete.

/// Why a run could not be made. Every variant names what to fix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EngineError {
    /// A scenario value is out of range or names something the world does not hold. `key` is the
    /// dotted path of the key (`carbon_price.path`, `limits[1].quantity`).
    #[error("scenario key `{key}`: {message}")]
    Scenario { key: String, message: String },
    /// A technology id (in a switch list or a start rule) that the technology table lacks.
    #[error("technology {id:?} named by {context} is not in the technology table")]
    UnknownTechnology { id: String, context: String },
    /// A technology whose parameters the engine cannot use.
    #[error("technology {id}: {message}")]
    BadTechnology { id: String, message: String },
    /// The demand path has no series for a sector and region where plants are.
    #[error("demand path {path:?} has no {sector} demand for region {region}, where the fleet has plants")]
    MissingDemand { path: String, sector: String, region: String },
    /// The carbon price path has no value for a region.
    #[error("carbon price path {path:?} has no value for region {region}")]
    MissingCarbonPrice { path: String, region: String },
    /// Demand needs new capacity that no technology can provide: none is allowed that year
    /// (moratorium, exclusions, availability, prices), or every allowed one is refused by a
    /// resource limit (named in `reason`).
    #[error("{year}: no technology can be built for {line} ({sector}) in {region}: {reason}")]
    Infeasible { year: i32, sector: String, line: String, region: String, reason: String },
    /// No start rule maps a plant's route to a technology.
    #[error("no start-technology rule maps route {route} in {region} (plant {plant:?})")]
    NoStartRule { route: String, region: String, plant: String },
    /// An ensemble was stopped by its caller (its request timed out or went away) after `done`
    /// of `runs` runs.
    #[error("the ensemble was stopped after {done} of {runs} runs")]
    Cancelled { done: u64, runs: u64 },
    /// The run's memory, estimated from its inputs before it starts ([`crate::memory`]), is over
    /// the caller's budget; `drivers` says what makes it large.
    #[error(
        "the run would need about {} of memory, over the budget of {} ({drivers}); run fewer plants, years or ensemble runs at once",
        crate::memory::mib(*estimate), crate::memory::mib(*budget)
    )]
    MemoryBudget { estimate: u64, budget: u64, drivers: String },
    /// Partial results (ensemble shards) that cannot be combined: `0` says what differs or is
    /// damaged.
    #[error("{0}")]
    Invalid(String),
}
