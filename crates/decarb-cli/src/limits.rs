//! The caps on the command line's numbers, in one place, each with the reason for its value
//! (`docs/limits.md`). A value over its cap is a usage error (exit 2) naming the option and the
//! cap, checked by clap before any work starts.

/// The most worker threads `--threads` may ask for: far more than any machine decarb runs on has
/// cores (results do not depend on it), and starting 10,000 threads alone took 17 s.
pub const MAX_THREADS: usize = 256;

/// The most Monte Carlo runs of `decarb run --runs`: 1,000 runs of a whole-world example take
/// about 8 s on 2 cores (release build), so 100,000 is a quarter of an hour; the bands are
/// sketches of fixed size, so memory does not grow with the runs.
pub const MAX_RUNS: u64 = 100_000;

/// The most Sobol base samples of `decarb sensitivity --sobol N` (N x (inputs + 2) runs): 10,000
/// with six inputs is 80,000 runs, about ten minutes on 2 cores; 10^9 used to abort on a 48 GB
/// allocation.
pub const MAX_SOBOL_SAMPLES: u64 = 10_000;

/// The memory budget of one run, ensemble or sensitivity analysis, bytes:
/// [`decarb_engine::memory::CLI_MEMORY_BUDGET`] (1 GiB), or `DECARB_MEMORY_BUDGET_MIB` MiB when that
/// variable holds a whole number (to lower it on a small machine, or in tests, or to raise it for
/// a fleet known to fit). A run whose estimate is over it is refused before it starts (exit 2).
pub fn memory_budget() -> u64 {
    std::env::var("DECARB_MEMORY_BUDGET_MIB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(decarb_engine::memory::CLI_MEMORY_BUDGET, |mib| mib.saturating_mul(1 << 20))
}

/// clap's parser for `--threads`: 1 to [`MAX_THREADS`].
pub fn threads(text: &str) -> Result<usize, String> {
    bounded(text, 1, MAX_THREADS as u64).map(|n| usize::try_from(n).unwrap_or(MAX_THREADS))
}

/// clap's parser for `--runs`: 1 to [`MAX_RUNS`].
pub fn runs(text: &str) -> Result<u64, String> {
    bounded(text, 1, MAX_RUNS)
}

/// clap's parser for `--sobol`: 2 to [`MAX_SOBOL_SAMPLES`].
pub fn sobol_samples(text: &str) -> Result<u64, String> {
    bounded(text, 2, MAX_SOBOL_SAMPLES)
}

fn bounded(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let n: u64 = text.trim().parse().map_err(|_| format!("expected a whole number from {min} to {max}"))?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} is out of range: expected {min} to {max}"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn caps_are_stated_in_the_error() {
        assert_eq!(super::threads("4"), Ok(4));
        let err = super::threads("10000").unwrap_err();
        assert!(err.contains("10000") && err.contains("1 to 256"), "{err}");
        assert!(super::sobol_samples("1000000000").unwrap_err().contains("2 to 10000"));
        assert!(super::runs("0").is_err());
        assert!(super::runs("lots").is_err());
    }
}
