//! Sensitivity of a scenario to its uncertain inputs ([`crate::uncertainty`]):
//!
//! - [`tornado`]: one input at a time at its 5th and 95th percentile, every other input as the
//!   scenario has it, on direct emissions in 2030 and in the end year and on cumulative capex
//!   (`1 + 2k` runs for `k` inputs).
//! - [`sobol`]: variance-based first-order and total indices (Saltelli 2010 estimator, with f(B)
//!   centred, for the first order; Jansen 1999 for the total), from `N (k + 2)` runs. Inputs are sampled
//!   *independently* here: correlation groups are ignored, as the indices assume independent
//!   inputs.
//!
//! Every run uses the scenario's engine seed, so differences come from the inputs alone.

use crate::ensemble::{Headline, run_stream, run_with};
use crate::error::EngineError;
use crate::inputs::World;
use crate::scenario::Scenario;
use crate::uncertainty::{Resolved, standard_normal};
use rayon::prelude::*;

/// An output the sensitivity analysis reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// World direct emissions of the scenario's sectors in 2030, Mt CO2.
    DirectMilestone,
    /// The same in the end year.
    DirectEnd,
    /// Capex summed over all years, bn USD.
    CumulativeCapex,
}

impl Metric {
    pub const ALL: [Metric; 3] = [Metric::DirectMilestone, Metric::DirectEnd, Metric::CumulativeCapex];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::DirectMilestone => "direct_emissions_2030_mtco2",
            Metric::DirectEnd => "direct_emissions_2050_mtco2",
            Metric::CumulativeCapex => "cumulative_capex_busd",
        }
    }

    pub fn of(self, headline: &Headline) -> f64 {
        match self {
            Metric::DirectMilestone => headline.direct_milestone,
            Metric::DirectEnd => headline.direct_end,
            Metric::CumulativeCapex => headline.cumulative_capex,
        }
    }
}

/// One bar of a tornado: an input at its p5 and p95 and the metric there.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoRow {
    pub input: String,
    pub metric: Metric,
    pub low_input: f64,
    pub high_input: f64,
    pub base: f64,
    pub at_low: f64,
    pub at_high: f64,
}

impl TornadoRow {
    /// The width of the bar: how far the metric moves between the two ends.
    pub fn swing(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }
}

fn headline(
    world: &World,
    scenario: &Scenario,
    resolved: &Resolved,
    values: &[Option<f64>],
) -> Result<Headline, EngineError> {
    run_with(world, scenario, resolved, values, scenario.seed).map(|o| Headline::of(&o))
}

/// The tornado table: rows by metric, then by swing (widest first), then by input name.
pub fn tornado(world: &World, scenario: &Scenario) -> Result<Vec<TornadoRow>, EngineError> {
    scenario.check(world)?;
    let resolved = crate::ensemble::resolve(world, scenario)?;
    let k = resolved.inputs.len();
    // Job 0 is the scenario as written; job 1 + 2i is input i at p5, 2 + 2i at p95.
    let jobs: Vec<Vec<Option<f64>>> = std::iter::once(vec![None; k])
        .chain(resolved.inputs.iter().enumerate().flat_map(|(i, input)| {
            [0.05, 0.95].map(|p| {
                let mut values = vec![None; k];
                values[i] = Some(input.applied(input.distribution.quantile(p)));
                values
            })
        }))
        .collect();
    let results: Vec<Result<Headline, EngineError>> =
        jobs.par_iter().map(|values| headline(world, scenario, &resolved, values)).collect();
    let results: Vec<Headline> = results.into_iter().collect::<Result<_, _>>()?;
    let mut rows = Vec::with_capacity(k * Metric::ALL.len());
    for metric in Metric::ALL {
        let mut block: Vec<TornadoRow> = resolved
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| TornadoRow {
                input: input.name.clone(),
                metric,
                low_input: jobs[1 + 2 * i][i].unwrap_or(f64::NAN),
                high_input: jobs[2 + 2 * i][i].unwrap_or(f64::NAN),
                base: metric.of(&results[0]),
                at_low: metric.of(&results[1 + 2 * i]),
                at_high: metric.of(&results[2 + 2 * i]),
            })
            .collect();
        block.sort_by(|a, b| b.swing().total_cmp(&a.swing()).then_with(|| a.input.cmp(&b.input)));
        rows.extend(block);
    }
    Ok(rows)
}

/// First-order and total Sobol indices of one input on one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolRow {
    pub input: String,
    pub metric: Metric,
    pub first_order: f64,
    pub total: f64,
}

/// Sobol indices from `n` base samples (`n (k + 2)` runs), seeded with `seed`: row `j` of the
/// matrices A and B draws from the stream of (seed, j), A first.
pub fn sobol(world: &World, scenario: &Scenario, n: u64, seed: u64) -> Result<Vec<SobolRow>, EngineError> {
    scenario.check(world)?;
    let resolved = crate::ensemble::resolve(world, scenario)?;
    let k = resolved.inputs.len();
    let rows: Vec<(Vec<f64>, Vec<f64>)> = (0..n)
        .map(|j| {
            let mut rng = run_stream(seed, j);
            let a: Vec<f64> = (0..k).map(|_| standard_normal(&mut rng)).collect();
            let b: Vec<f64> = (0..k).map(|_| standard_normal(&mut rng)).collect();
            (a, b)
        })
        .collect();
    // Jobs per row: A, B, then AB_i (A with column i from B) for each input.
    let jobs: Vec<Vec<f64>> = rows
        .iter()
        .flat_map(|(a, b)| {
            let mut out = vec![a.clone(), b.clone()];
            for i in 0..k {
                let mut ab = a.clone();
                ab[i] = b[i];
                out.push(ab);
            }
            out
        })
        .collect();
    let results: Vec<Result<Headline, EngineError>> = jobs
        .par_iter()
        .map(|z| {
            let values: Vec<Option<f64>> = resolved.values_at(z).into_iter().map(Some).collect();
            headline(world, scenario, &resolved, &values)
        })
        .collect();
    let results: Vec<Headline> = results.into_iter().collect::<Result<_, _>>()?;
    let stride = k + 2;
    let mut out = Vec::with_capacity(k * Metric::ALL.len());
    for metric in Metric::ALL {
        let f = |row: usize, job: usize| metric.of(&results[row * stride + job]);
        let n_usize = rows.len();
        let all: Vec<f64> = (0..n_usize).flat_map(|j| [f(j, 0), f(j, 1)]).collect();
        let mean = all.iter().sum::<f64>() / all.len().max(1) as f64;
        let variance = all.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / all.len().max(1) as f64;
        for (i, input) in resolved.inputs.iter().enumerate() {
            let (mut first, mut total) = (0.0, 0.0);
            for j in 0..n_usize {
                let (fa, fb, fab) = (f(j, 0), f(j, 1), f(j, 2 + i));
                // Centred f(B): the estimator's variance grows with the mean otherwise.
                first += (fb - mean) * (fab - fa);
                total += (fa - fab).powi(2);
            }
            let n_f = n_usize.max(1) as f64;
            let (first_order, total) = if variance > 0.0 {
                (first / n_f / variance, total / (2.0 * n_f) / variance)
            } else {
                (0.0, 0.0)
            };
            out.push(SobolRow { input: input.name.clone(), metric, first_order, total });
        }
    }
    Ok(out)
}
