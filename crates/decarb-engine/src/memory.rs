//! A run's memory, estimated from its inputs before it starts, and the budget it must fit.
//!
//! [`estimate`] counts what a run holds at its peak: the world as loaded (its plants and cost
//! tables' inputs), the struct-of-arrays fleet and decision log over the years, every plant's
//! pathway when the run records them ([`crate::RunOptions::record_plants`]), the cost tables
//! (technologies x regions x years) and, for an ensemble, one run per worker thread plus the
//! sketches (one per cell of years x sectors x regions x variables) and a chunk of cell vectors.
//! A caller refuses the run when the estimate is over its budget ([`MemoryEstimate::check`]):
//! [`EngineError::MemoryBudget`] names the estimate, the budget and what drives it.
//!
//! Calibration (docs/limits.md, "Memory budget"): `/usr/bin/time -v decarb run` on the bundled
//! world peaks at about 52 MB for a single run, 70 MB for `--runs 1000 --threads 2`; the constants
//! below make the estimate a little above both, so that it errs on the side of refusing.

use crate::ensemble::{CHUNK, Layout, Variable};
use crate::error::EngineError;
use crate::inputs::World;
use crate::scenario::Scenario;
use std::fmt::Write as _;

/// The process before any run: the binary, the allocator's arenas, the bundled facts and the
/// world's tables besides its plants (calibrated with the constants below against the measured
/// peaks in docs/limits.md).
pub const BASE_BYTES: u64 = 20 << 20;

/// One plant of the world as loaded (`decarb_model::Plant`: id, name, country text, owners and
/// parents with their shares), bytes.
pub const PLANT_INPUT_BYTES: u64 = 1_000;

/// One plant's state in one year of the simulation: the struct-of-arrays fleet (id, line, region,
/// capacity, technology, life and investment years), its share of the decision log (a decision
/// with its ranked options every few years) and the yearly accounting, bytes.
pub const PLANT_YEAR_STATE_BYTES: u64 = 64;

/// One plant's recorded pathway in one year ([`crate::outcome::PlantPathway`]: five yearly
/// series of 8-byte numbers plus the technology), bytes.
pub const PLANT_YEAR_PATHWAY_BYTES: u64 = 48;

/// New plants a run may build, as a multiple of the input fleet: demand factors are at most
/// [`crate::scenario::MAX_DEMAND_FACTOR`] and new plants are standard-size, so the fleet that
/// ends a run is at most about twice the one it started with in every bundled scenario.
pub const NEW_PLANT_ALLOWANCE: u64 = 2;

/// One cell of the cost tables (technology x region x year: levelised cost, its parts and the
/// resources used), bytes.
pub const COST_CELL_BYTES: u64 = 256;

/// One ensemble cell's sketch ([`crate::sketch::Sketch`]): its header plus up to one 4-byte
/// bucket per run, bounded by the buckets at 0.5 % accuracy that an ensemble's spread needs (about 200: a factor of 7 between the lowest and the
/// highest run of a cell), bytes per bucket.
pub const SKETCH_BUCKET_BYTES: u64 = 4;
const SKETCH_HEADER_BYTES: u64 = 96;
const SKETCH_MAX_BUCKETS: u64 = 200;

/// The most a single `decarb run` (or one ensemble, or a sensitivity analysis) may be estimated
/// to need: 1 GiB, twenty times the bundled world's 52 MB and far above any real fleet (the GEM
/// trackers hold about 2,000 steel plants), yet a fraction of the 8 GB of a small laptop, so a
/// mistaken input is refused instead of pushing the machine into swap.
pub const CLI_MEMORY_BUDGET: u64 = 1 << 30;

/// What a run holds at its peak, estimated before it starts, with what drives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryEstimate {
    /// The estimate, bytes.
    pub bytes: u64,
    /// Plants of the input fleet.
    pub plants: u64,
    /// Years simulated (base year to end year).
    pub years: u64,
    /// Technologies of the world.
    pub technologies: u64,
    /// Runs held in memory at once (1, or one per worker for an ensemble).
    pub runs_at_once: u64,
    /// Ensemble cells (years x sectors x regions x variables), 0 for a single run.
    pub cells: u64,
    /// Whether every plant's pathway is recorded.
    pub record_plants: bool,
}

/// What kind of run to estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// One run ([`crate::run`] records plant pathways; `record_plants` false for
    /// [`crate::run_with_options`] without them).
    Single { record_plants: bool },
    /// An ensemble of `runs` runs on `threads` worker threads (no plant pathways).
    Ensemble { runs: u64, threads: u64 },
}

/// Estimates the memory a run of `scenario` on `world` needs at its peak.
pub fn estimate(world: &World, scenario: &Scenario, kind: RunKind) -> MemoryEstimate {
    let plants = world.fleet.plants.len() as u64;
    let years =
        u64::try_from(i64::from(scenario.end_year) - i64::from(scenario.base_year) + 1).unwrap_or(0).max(1);
    let technologies = world.technologies.len() as u64;
    let regions = decarb_model::Region::ALL.len() as u64;
    let (runs_at_once, cells, record_plants, runs) = match kind {
        RunKind::Single { record_plants } => (1, 0, record_plants, 1),
        RunKind::Ensemble { runs, threads } => {
            let layout = Layout::of(scenario);
            let cells = (layout.years.len() * layout.sectors.len() * layout.regions.len()) as u64
                * Variable::ALL.len() as u64;
            (threads.clamp(1, runs.max(1)), cells, false, runs)
        }
    };
    let fleet = plants.saturating_mul(NEW_PLANT_ALLOWANCE);
    let per_plant_year = PLANT_YEAR_STATE_BYTES + if record_plants { PLANT_YEAR_PATHWAY_BYTES } else { 0 };
    let per_run = fleet.saturating_mul(years).saturating_mul(per_plant_year).saturating_add(
        technologies.saturating_mul(regions).saturating_mul(years).saturating_mul(COST_CELL_BYTES),
    );
    let sketch = SKETCH_HEADER_BYTES + SKETCH_BUCKET_BYTES * runs.min(SKETCH_MAX_BUCKETS);
    let ensemble = cells.saturating_mul(sketch).saturating_add(cells.saturating_mul(CHUNK as u64 * 8));
    let bytes = BASE_BYTES
        .saturating_add(plants.saturating_mul(PLANT_INPUT_BYTES))
        .saturating_add(per_run.saturating_mul(runs_at_once))
        .saturating_add(ensemble);
    MemoryEstimate { bytes, plants, years, technologies, runs_at_once, cells, record_plants }
}

impl MemoryEstimate {
    /// [`EngineError::MemoryBudget`] when the estimate is over `budget` bytes.
    pub fn check(&self, budget: u64) -> Result<(), EngineError> {
        if self.bytes <= budget {
            return Ok(());
        }
        let mut drivers = format!(
            "{} plants x {} years{}, {} technologies x {} regions x {} years of cost tables",
            self.plants,
            self.years,
            if self.record_plants { " with plant pathways" } else { "" },
            self.technologies,
            decarb_model::Region::ALL.len(),
            self.years,
        );
        if self.cells > 0 {
            let _ = write!(drivers, ", {} runs at once, {} ensemble cells", self.runs_at_once, self.cells);
        }
        Err(EngineError::MemoryBudget { estimate: self.bytes, budget, drivers })
    }
}

/// Bytes as MiB with one decimal, for messages.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1u32 << 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_estimate_over_its_budget_names_estimate_budget_and_drivers() {
        let e = MemoryEstimate {
            bytes: 3 << 30,
            plants: 1_000_000,
            years: 31,
            technologies: 80,
            runs_at_once: 1,
            cells: 0,
            record_plants: true,
        };
        let message = e.check(CLI_MEMORY_BUDGET).unwrap_err().to_string();
        assert!(message.contains("3072.0 MiB"), "{message}");
        assert!(message.contains("1024.0 MiB"), "{message}");
        assert!(message.contains("1000000 plants x 31 years"), "{message}");
        assert!(e.check(4 << 30).is_ok());
    }
}
