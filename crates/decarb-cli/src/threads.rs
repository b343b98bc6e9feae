//! The engine on the command line's worker threads (`--threads`, all cores by default; results do
//! not depend on it), within the command line's memory budget (`limits::memory_budget`).

use anyhow::{Result, anyhow};
use decarb_engine::outcome::Outcome;
use decarb_engine::{EngineError, Scenario, World};

/// Builds a pool of `threads` workers (all cores when `None`).
pub fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(threads) = threads {
        builder = builder.num_threads(threads.max(1));
    }
    builder.build().map_err(|e| anyhow!("cannot start {threads:?} worker threads: {e}"))
}

/// One run of the engine on a pool of `threads` workers, refused before it starts when its memory
/// estimate is over the budget.
pub fn solve(
    world: &World,
    scenario: &Scenario,
    seed: u64,
    threads: Option<usize>,
) -> Result<Outcome, EngineError> {
    use decarb_engine::memory::{RunKind, estimate};
    estimate(world, scenario, RunKind::Single { record_plants: true })
        .check(crate::limits::memory_budget())?;
    match pool(threads) {
        Ok(pool) => pool.install(|| decarb_engine::run(world, scenario, seed)),
        // No pool (threads unavailable): run on the current thread; the result is the same.
        Err(_) => decarb_engine::run(world, scenario, seed),
    }
}
