//! Sensitivity of a scenario to its uncertain inputs ([`crate::uncertainty`]):
//!
//! - [`tornado`]: one input at a time at its 5th and 95th percentile, every other input as the
//!   scenario has it, on direct emissions in 2030 and in the end year and on cumulative capex
//!   (`1 + 2k` runs for `k` inputs).
//! - [`sobol`]: variance-based first-order and total indices (Saltelli et al. 2010 estimator, with
//!   f(B) centred, for the first order; Jansen 1999 for the total), from `N (k + 2)` runs on an
//!   Owen-scrambled Sobol' sequence, with bootstrap 95 % intervals ([`indices`]). Inputs are
//!   sampled *independently* here: correlation groups are ignored, as the indices assume
//!   independent inputs.
//! - [`morris`]: elementary effects (mu*, mu, sigma) from `r (k + 1)` runs, a cheap screening.
//!
//! Every run uses the scenario's engine seed, so differences come from the inputs alone.

use crate::ensemble::{Headline, run_stream, run_with};
use crate::error::EngineError;
use crate::inputs::World;
use crate::scenario::Scenario;
use crate::uncertainty::Resolved;
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
    /// The input's human-readable label ([`crate::uncertainty::Input::label`]).
    pub label: String,
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

/// The tornado table: rows by metric, then by swing (widest first), then by input name. An input
/// end whose run is infeasible (no pathway) has `at_low` or `at_high` not a number, and its bar
/// goes last.
pub fn tornado(world: &World, scenario: &Scenario) -> Result<Vec<TornadoRow>, EngineError> {
    tornado_with_progress(world, scenario, &|| {})
}

/// [`tornado`], calling `tick` after each of its 1 + 2 x inputs runs (the CLI's progress bar).
pub fn tornado_with_progress(
    world: &World,
    scenario: &Scenario,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<TornadoRow>, EngineError> {
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
    let results: Vec<Result<Headline, EngineError>> = jobs
        .par_iter()
        .enumerate()
        .map(|(job, values)| {
            let result = match headline(world, scenario, &resolved, values) {
                // An input at p5 or p95 that leaves demand no allowed technology can meet has no
                // pathway there: its bar end is not a number (the scenario as written must run).
                Err(EngineError::Infeasible { .. }) if job > 0 => Ok(Headline::not_a_number()),
                other => other,
            };
            tick();
            result
        })
        .collect();
    let results: Vec<Headline> = results.into_iter().collect::<Result<_, _>>()?;
    let mut rows = Vec::with_capacity(k * Metric::ALL.len());
    for metric in Metric::ALL {
        let mut block: Vec<TornadoRow> = resolved
            .inputs
            .iter()
            .enumerate()
            .map(|(i, input)| TornadoRow {
                input: input.name.clone(),
                label: input.label(),
                metric,
                low_input: jobs[1 + 2 * i][i].unwrap_or(f64::NAN),
                high_input: jobs[2 + 2 * i][i].unwrap_or(f64::NAN),
                base: metric.of(&results[0]),
                at_low: metric.of(&results[1 + 2 * i]),
                at_high: metric.of(&results[2 + 2 * i]),
            })
            .collect();
        // Bars with an infeasible end (swing not a number) go last.
        let key = |r: &TornadoRow| if r.swing().is_nan() { f64::NEG_INFINITY } else { r.swing() };
        block.sort_by(|a, b| key(b).total_cmp(&key(a)).then_with(|| a.input.cmp(&b.input)));
        rows.extend(block);
    }
    Ok(rows)
}

/// First-order and total Sobol indices of one input on one metric, with bootstrap confidence
/// intervals ([`CONFIDENCE`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SobolRow {
    pub input: String,
    pub label: String,
    pub metric: Metric,
    pub first_order: f64,
    pub total: f64,
    /// The bootstrap percentile interval of the first-order index: (low, high).
    pub first_order_ci: (f64, f64),
    pub total_ci: (f64, f64),
    /// Base samples left out because one of their runs had no pathway (infeasible inputs).
    pub infeasible_samples: u64,
}

/// The coverage of the bootstrap intervals.
pub const CONFIDENCE: f64 = 0.95;
/// Bootstrap resamples of the base samples behind each interval (Archer, Saltelli & Sobol 1997
/// used 1,000; SALib's default is 100). Resampling costs no runs, only arithmetic.
pub const BOOTSTRAP: usize = 1000;

/// Indices of one input from the model outputs: their point estimates and intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    pub first_order: f64,
    pub total: f64,
    pub first_order_ci: (f64, f64),
    pub total_ci: (f64, f64),
}

/// Point estimates of the first-order (Saltelli et al. 2010, eq. (b) of table 2, with f(B)
/// centred) and total (Jansen 1999) indices of input `i` over the base samples `rows`, the
/// variance from f(A) and f(B) together.
fn estimate(fa: &[f64], fb: &[f64], fab: &[f64], rows: &[usize]) -> (f64, f64) {
    let n = rows.len().max(1) as f64;
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * n);
    let variance =
        rows.iter().map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2)).sum::<f64>() / (2.0 * n);
    if variance <= 0.0 || !variance.is_finite() {
        return (0.0, 0.0);
    }
    let (mut first, mut total) = (0.0, 0.0);
    for &j in rows {
        first += (fb[j] - mean) * (fab[j] - fa[j]);
        total += (fa[j] - fab[j]).powi(2);
    }
    (first / n / variance, total / (2.0 * n) / variance)
}

/// The share-`q` quantile of sorted values (linear between ranks).
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - at.floor())
}

/// Sobol indices of every input from the outputs at the rows of A, B and each A_B^i (column i
/// from B), with [`BOOTSTRAP`] percentile intervals from resampling the base samples with
/// replacement (the same resamples for every input, drawn from the stream of `(seed, b)`; the
/// result depends on the outputs and seed alone).
///
/// Base samples where any output is not a number (an infeasible run) are left out of every
/// estimate: the indices are then over the feasible part of the input space.
pub fn indices(fa: &[f64], fb: &[f64], fab: &[Vec<f64>], seed: u64) -> Vec<Indices> {
    let all: Vec<usize> = (0..fa.len())
        .filter(|&j| fa[j].is_finite() && fb[j].is_finite() && fab.iter().all(|f| f[j].is_finite()))
        .collect();
    let n = all.len();
    let resamples: Vec<Vec<usize>> = (0..BOOTSTRAP as u64)
        .map(|b| {
            let mut rng = run_stream(seed ^ 0xB007_57A9, b);
            (0..n)
                .map(|_| {
                    #[allow(clippy::cast_possible_truncation)]
                    let j = ((u128::from(rand::Rng::next_u64(&mut rng)) * n as u128) >> 64) as usize;
                    all[j]
                })
                .collect()
        })
        .collect();
    let tail = (1.0 - CONFIDENCE) / 2.0;
    fab.iter()
        .map(|fab| {
            let (first_order, total) = estimate(fa, fb, fab, &all);
            let (mut firsts, mut totals): (Vec<f64>, Vec<f64>) =
                resamples.iter().map(|rows| estimate(fa, fb, fab, rows)).unzip();
            firsts.sort_by(f64::total_cmp);
            totals.sort_by(f64::total_cmp);
            Indices {
                first_order,
                total,
                first_order_ci: (quantile_sorted(&firsts, tail), quantile_sorted(&firsts, 1.0 - tail)),
                total_ci: (quantile_sorted(&totals, tail), quantile_sorted(&totals, 1.0 - tail)),
            }
        })
        .collect()
}

/// A point of the unit cube strictly inside it: from a 24-bit Sobol' sample, the centre of its
/// cell, so no coordinate is 0 or 1 (whose normal quantiles are infinite).
fn inside(u: f32) -> f64 {
    (f64::from(u) * f64::from(1u32 << 24)).floor().mul_add(1.0, 0.5) / f64::from(1u32 << 24)
}

/// The base samples of a Sobol analysis: rows of A and B as uniform points in (0, 1)^k, from an
/// Owen-scrambled Sobol' sequence in 2k dimensions (`sobol_burley`, seeded with `seed`; A takes
/// dimensions 0..k, B k..2k). Low-discrepancy points give the indices with fewer runs than
/// independent draws.
pub fn base_samples(n: u64, k: usize, seed: u64) -> Vec<(Vec<f64>, Vec<f64>)> {
    let dims = sobol_burley::NUM_DIMENSIONS as usize;
    #[allow(clippy::cast_possible_truncation)]
    let point = |j: u64, d: usize| -> f64 {
        // Beyond the crate's 256 dimensions, another seed gives an independent sequence.
        let scramble = (seed ^ (seed >> 32)) as u32 ^ ((d / dims) as u32).wrapping_mul(0x9E37_79B9);
        inside(sobol_burley::sample(j as u32, (d % dims) as u32, scramble))
    };
    (0..n)
        .map(|j| ((0..k).map(|d| point(j, d)).collect(), (k..2 * k).map(|d| point(j, d)).collect()))
        .collect()
}

/// Sobol indices from `n` base samples (`n (k + 2)` runs), seeded with `seed`: A and B from
/// [`base_samples`], each input's uniform turned into its value by its distribution's quantile
/// (inputs independent), bootstrap intervals from [`indices`].
pub fn sobol(world: &World, scenario: &Scenario, n: u64, seed: u64) -> Result<Vec<SobolRow>, EngineError> {
    sobol_with_progress(world, scenario, n, seed, &|| {})
}

/// [`sobol`] calling `tick` after each run (from any worker thread), for a progress bar.
pub fn sobol_with_progress(
    world: &World,
    scenario: &Scenario,
    n: u64,
    seed: u64,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<SobolRow>, EngineError> {
    scenario.check(world)?;
    let resolved = crate::ensemble::resolve(world, scenario)?;
    let k = resolved.inputs.len();
    let rows = base_samples(n, k, seed);
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
    let results = run_points(world, scenario, &resolved, &jobs, tick)?;
    let stride = k + 2;
    let mut out = Vec::with_capacity(k * Metric::ALL.len());
    for metric in Metric::ALL {
        let f = |row: usize, job: usize| metric.of(&results[row * stride + job]);
        let fa: Vec<f64> = (0..rows.len()).map(|j| f(j, 0)).collect();
        let fb: Vec<f64> = (0..rows.len()).map(|j| f(j, 1)).collect();
        let fab: Vec<Vec<f64>> = (0..k).map(|i| (0..rows.len()).map(|j| f(j, 2 + i)).collect()).collect();
        let infeasible = (0..rows.len())
            .filter(|&j| !(fa[j].is_finite() && fb[j].is_finite() && fab.iter().all(|f| f[j].is_finite())))
            .count() as u64;
        for (input, ix) in resolved.inputs.iter().zip(indices(&fa, &fb, &fab, seed)) {
            out.push(SobolRow {
                input: input.name.clone(),
                label: input.label(),
                metric,
                first_order: ix.first_order,
                total: ix.total,
                first_order_ci: ix.first_order_ci,
                total_ci: ix.total_ci,
                infeasible_samples: infeasible,
            });
        }
    }
    Ok(out)
}

/// Headlines at points of the unit cube (one uniform per input, turned into the input's value by
/// its quantile function), in job order whatever the thread count.
fn run_points(
    world: &World,
    scenario: &Scenario,
    resolved: &Resolved,
    points: &[Vec<f64>],
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<Headline>, EngineError> {
    let results: Vec<Result<Headline, EngineError>> = points
        .par_iter()
        .map(|u| {
            let values: Vec<Option<f64>> = resolved
                .inputs
                .iter()
                .zip(u)
                .map(|(input, &u)| Some(input.applied(input.distribution.quantile(u))))
                .collect();
            // A sample whose inputs leave demand no allowed technology can meet has no pathway: its
            // headline is not a number, and the estimators leave it out (as ensembles count it).
            let result = match headline(world, scenario, resolved, &values) {
                Err(EngineError::Infeasible { .. }) => Ok(Headline::not_a_number()),
                other => other,
            };
            tick();
            result
        })
        .collect();
    results.into_iter().collect()
}

/// Morris elementary effects of one input on one metric (Morris 1991; mu* after Campolongo,
/// Cariboni & Saltelli 2007), in the metric's unit per move of the input across its whole
/// probability range (measured on steps of half of it, [`MORRIS_LEVELS`]).
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisRow {
    pub input: String,
    pub label: String,
    pub metric: Metric,
    /// Mean of the absolute effects: the screening measure of importance.
    pub mu_star: f64,
    /// Mean of the effects (signed: effects of both signs cancel here).
    pub mu: f64,
    /// Standard deviation of the effects: interactions and non-linearity.
    pub sigma: f64,
    pub trajectories: u64,
}

/// Levels of the Morris grid (p = 4); a step moves an input up two levels (Morris's
/// Δ = p / (2 (p - 1)) of the grid), half its probability range. Levels sit at the centres of four equal-probability bins (0.125 ... 0.875) so no
/// input is ever at a quantile of 0 or 1.
pub const MORRIS_LEVELS: u32 = 4;

/// The points of `r` Morris trajectories over `k` inputs, seeded with `seed`: trajectory t draws
/// from the stream of (seed, t) a base level (0 or 1) per input and an order of the inputs, then
/// moves one input at a time up two levels. Returns the points (`r (k + 1)`) and, for each step,
/// the input it moved.
pub fn morris_points(r: u64, k: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<usize>) {
    let level = |l: u32| (f64::from(l) + 0.5) / f64::from(MORRIS_LEVELS);
    let mut points = Vec::new();
    let mut moved = Vec::new();
    for t in 0..r {
        let mut rng = run_stream(seed ^ 0x0305_3415, t);
        let mut levels: Vec<u32> =
            (0..k).map(|_| u32::from(rand::Rng::next_u64(&mut rng) & 1 == 1)).collect();
        // Fisher-Yates on the order of the inputs.
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            #[allow(clippy::cast_possible_truncation)]
            let j = ((u128::from(rand::Rng::next_u64(&mut rng)) * (i as u128 + 1)) >> 64) as usize;
            order.swap(i, j);
        }
        points.push(levels.iter().map(|&l| level(l)).collect());
        for &i in &order {
            levels[i] += 2;
            points.push(levels.iter().map(|&l| level(l)).collect());
            moved.push(i);
        }
    }
    (points, moved)
}

/// Morris screening from `r` trajectories (`r (k + 1)` runs), seeded with `seed`.
pub fn morris(
    world: &World,
    scenario: &Scenario,
    r: u64,
    seed: u64,
    tick: &(dyn Fn() + Sync),
) -> Result<Vec<MorrisRow>, EngineError> {
    scenario.check(world)?;
    let resolved = crate::ensemble::resolve(world, scenario)?;
    let k = resolved.inputs.len();
    let (points, moved) = morris_points(r, k, seed);
    let results = run_points(world, scenario, &resolved, &points, tick)?;
    let mut out = Vec::with_capacity(k * Metric::ALL.len());
    for metric in Metric::ALL {
        let values: Vec<f64> = results.iter().map(|h| metric.of(h)).collect();
        let effects = elementary_effects(&values, &moved, k);
        for (input, e) in resolved.inputs.iter().zip(effects) {
            let (mu_star, mu, sigma) = e;
            out.push(MorrisRow {
                input: input.name.clone(),
                label: input.label(),
                metric,
                mu_star,
                mu,
                sigma,
                trajectories: r,
            });
        }
    }
    Ok(out)
}

/// (mu*, mu, sigma) of each input from the outputs at the Morris points, trajectory by
/// trajectory (k + 1 points each; step s moved input `moved[s]`); each effect is the change of
/// the output divided by the step in probability (0.5), i.e. per whole probability range.
pub fn elementary_effects(values: &[f64], moved: &[usize], k: usize) -> Vec<(f64, f64, f64)> {
    // Two levels of four equal-probability bins: half the probability range.
    let delta = 2.0 / f64::from(MORRIS_LEVELS);
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (s, &i) in moved.iter().enumerate() {
        let t = s / k.max(1);
        let at = t * (k + 1) + s % k.max(1);
        let effect = (values[at + 1] - values[at]) / delta;
        // A step to or from an infeasible run (no pathway) has no effect to report.
        if effect.is_finite() {
            effects[i].push(effect);
        }
    }
    effects
        .iter()
        .map(|e| {
            let n = e.len().max(1) as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / n;
            let sigma = if e.len() > 1 {
                (e.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            (mu_star, mu, sigma)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Ishigami function (a = 7, b = 0.1) on x in [-pi, pi]^3, from a point of the unit cube.
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|u| std::f64::consts::PI * (2.0 * u - 1.0)).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Issue 18, item 5: the estimators on a function with known indices (Ishigami & Homma 1990;
    /// values from Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer", §4.8):
    /// S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437). From 4,096 base samples (20,480
    /// evaluations) with seed 1, every known value lies in its 95 % interval, every interval is
    /// narrower than 0.1, and first order <= total within the intervals.
    #[test]
    fn ishigami_indices_are_within_their_intervals() {
        let (s1, st) = ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]);
        let rows = base_samples(4096, 3, 1);
        let fa: Vec<f64> = rows.iter().map(|(a, _)| ishigami(a)).collect();
        let fb: Vec<f64> = rows.iter().map(|(_, b)| ishigami(b)).collect();
        let fab: Vec<Vec<f64>> = (0..3)
            .map(|i| {
                rows.iter()
                    .map(|(a, b)| {
                        let mut ab = a.clone();
                        ab[i] = b[i];
                        ishigami(&ab)
                    })
                    .collect()
            })
            .collect();
        let got = indices(&fa, &fb, &fab, 1);
        for (i, ix) in got.iter().enumerate() {
            let (lo, hi) = ix.first_order_ci;
            assert!(
                lo <= s1[i] && s1[i] <= hi,
                "S{}: {} not in [{lo}, {hi}] (estimate {})",
                i + 1,
                s1[i],
                ix.first_order
            );
            assert!(hi - lo < 0.1, "S{} interval too wide: [{lo}, {hi}]", i + 1);
            let (lo, hi) = ix.total_ci;
            assert!(
                lo <= st[i] && st[i] <= hi,
                "ST{}: {} not in [{lo}, {hi}] (estimate {})",
                i + 1,
                st[i],
                ix.total
            );
            assert!(hi - lo < 0.1, "ST{} interval too wide: [{lo}, {hi}]", i + 1);
            assert!(ix.first_order_ci.0 <= ix.total_ci.1, "S{} above ST beyond the intervals", i + 1);
            assert!((ix.first_order - s1[i]).abs() < 0.03 && (ix.total - st[i]).abs() < 0.03, "{ix:?}");
        }
        // Reproducible for a seed: the same intervals again.
        assert_eq!(indices(&fa, &fb, &fab, 1), got);
    }

    /// Morris on Sobol's g-function (a = 0, 1, 4.5, 9, 99: importance falls with a; Saltelli et al.
    /// 2008, §3.6) ranks the inputs by mu* in that order; a linear function's effects are exact
    /// with sigma 0.
    #[test]
    fn morris_ranks_the_inputs_of_known_functions() {
        let (points, moved) = morris_points(200, 3, 5);
        assert_eq!(points.len(), 200 * 4);
        let linear: Vec<f64> = points.iter().map(|u| 3.0 * u[0] - 2.0 * u[1] + 0.0 * u[2]).collect();
        let e = elementary_effects(&linear, &moved, 3);
        assert!((e[0].1 - 3.0).abs() < 1e-12 && e[0].2 < 1e-12, "{e:?}");
        assert!((e[1].1 + 2.0).abs() < 1e-12 && (e[1].0 - 2.0).abs() < 1e-12, "{e:?}");
        assert!(e[2].0.abs() < 1e-12);
        let a = [0.0, 1.0, 4.5, 9.0, 99.0];
        let (points, moved) = morris_points(100, 5, 5);
        let g: Vec<f64> = points
            .iter()
            .map(|u| u.iter().zip(a).map(|(u, a)| ((4.0 * u - 2.0).abs() + a) / (1.0 + a)).product())
            .collect();
        let e = elementary_effects(&g, &moved, 5);
        for i in 0..4 {
            assert!(e[i].0 > e[i + 1].0, "mu* order: {e:?}");
        }
        // Effects of both signs: mu near zero while mu* is not.
        assert!(e[0].1.abs() < 0.5 * e[0].0, "{e:?}");
    }
}
