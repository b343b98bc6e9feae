//! Monte Carlo ensembles: N runs of a scenario with its uncertain inputs ([`crate::uncertainty`])
//! sampled, aggregated as they finish into bands (mean and percentiles per year, sector, region
//! and variable) without keeping the runs.
//!
//! - **Reproducible.** Run `i` draws from its own `Xoshiro256PlusPlus` stream seeded from
//!   `(seed, i)` alone, so its inputs and outcome do not depend on the number of threads or on N:
//!   the first 100 runs of a 1,000-run ensemble are a 100-run ensemble.
//! - **Flat memory.** Runs are computed in parallel (on the current rayon pool) in chunks of
//!   [`CHUNK`] and folded into the aggregates in run order; each run's outcome is reduced to its
//!   band cells and one [`RunRecord`] and dropped. Every cell keeps a [`Sketch`]: count, sum (so an
//!   exact mean), min, max and logarithmic buckets giving each percentile within 0.5 % of the
//!   value of its rank; the sketch's size depends on the spread of values, not on N.
//! - **Deterministic bands.** Bucket counts and the exact sums behind the means add up in any
//!   order, so `bands.csv` is byte-identical for any thread count.
//! - **Shards.** [`run_ensemble_range`] runs a contiguous slice of the run indices ([`shard_range`]:
//!   the K-th of M slices); each run is seeded from `(seed, index)` as in the whole ensemble, so a
//!   run's result does not depend on the shard that ran it. [`Ensemble::merge`] adds the shards'
//!   aggregates (in shard order) into exactly the ensemble one machine computes, and
//!   [`Ensemble::encode_cells`] / [`Ensemble::decode_cells`] carry the aggregates between
//!   machines as bytes (`docs/cluster.md`).
//!
//! ```
//! use decarb_engine::ensemble::{Variable, run_ensemble};
//! use decarb_engine::examples::example;
//!
//! let world = decarb_scenario::bundled::default_world();
//! let mut scenario = decarb_scenario::load(example("carbon-price").unwrap(), "carbon-price", &world).unwrap();
//! scenario.sectors = vec![decarb_model::Sector::Steel];
//! let mut streamed = Vec::new();
//! let ensemble = run_ensemble(&world, &scenario, 3, 42, |run| streamed.push(run.index)).unwrap();
//! assert_eq!(streamed, [0, 1, 2]);
//! let band = ensemble.band(2050, None, None, Variable::DirectEmissions).unwrap();
//! assert!(band.percentiles[0] <= band.percentiles[2] && band.percentiles[2] <= band.percentiles[4]);
//! ```

use crate::error::EngineError;
use crate::inputs::World;
use crate::outcome::{Outcome, SummaryRow};
use crate::scenario::Scenario;
use crate::sketch::Sketch;
use crate::uncertainty::Resolved;
use decarb_model::{Region, Sector};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Runs computed between two folds into the aggregates (does not change any result).
pub const CHUNK: usize = 64;

/// The 2030 milestone: world direct emissions of the scenario's sectors in 2030 at most this
/// share of the base year's, i.e. a cut of at least 25 %. IEA Net Zero Roadmap (2023) and
/// Tracking pages (TECHNOLOGY.md §7.2): steel emissions about -25 % by 2030, cement about -20 %,
/// GCCA -25 % per t of cement by 2030; 25 % is the steel and GCCA figure.
pub const MILESTONE_YEAR: i32 = 2030;
pub const MILESTONE_MAX_SHARE: f64 = 0.75;
/// Near-zero direct emissions by 2050 (the scenario's end year): world direct emissions of the
/// scenario's sectors at most 10 % of the base year's. IEA NZR 2023 (TECHNOLOGY.md §7.2) has
/// 93-96 % of steel, aluminium and chemicals production near-zero in 2050, and near-zero routes
/// keep a small residue (H2-DRI 0.08 t/t vs 1.8-2.4 t/t for BF-BOF), so a 90 % cut is the bar.
pub const NEAR_ZERO_MAX_SHARE: f64 = 0.10;

/// A variable of the bands, in its reported unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variable {
    DirectEmissions,
    Captured,
    IndirectEmissions,
    Production,
    Capex,
    Opex,
    CarbonCost,
}

impl Variable {
    pub const ALL: [Variable; 7] = [
        Variable::DirectEmissions,
        Variable::Captured,
        Variable::IndirectEmissions,
        Variable::Production,
        Variable::Capex,
        Variable::Opex,
        Variable::CarbonCost,
    ];

    /// Name with unit, as in `bands.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Variable::DirectEmissions => "direct_emissions_mtco2",
            Variable::Captured => "captured_mtco2",
            Variable::IndirectEmissions => "indirect_emissions_mtco2",
            Variable::Production => "production_mt",
            Variable::Capex => "capex_busd",
            Variable::Opex => "opex_busd",
            Variable::CarbonCost => "carbon_cost_busd",
        }
    }

    /// The row's value in the reported unit (Mt, Mt CO2, bn USD).
    pub fn of(self, row: &SummaryRow) -> f64 {
        match self {
            Variable::DirectEmissions => row.direct_emissions.0 / 1e6,
            Variable::Captured => row.captured.0 / 1e6,
            Variable::IndirectEmissions => row.indirect_emissions.0 / 1e6,
            Variable::Production => row.production.0 / 1e6,
            Variable::Capex => row.capex.0 / 1e9,
            Variable::Opex => row.opex.0 / 1e9,
            Variable::CarbonCost => row.carbon_cost.0 / 1e9,
        }
    }
}

/// The cells of the bands: years x sectors (the scenario's, then all together as `None`) x
/// regions ([`Region::ALL`], then the world as `None`) x variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub years: Vec<i32>,
    pub sectors: Vec<Option<Sector>>,
    pub regions: Vec<Option<Region>>,
}

impl Layout {
    pub fn of(scenario: &Scenario) -> Layout {
        Layout {
            years: (scenario.base_year..=scenario.end_year).collect(),
            sectors: scenario.sectors.iter().copied().map(Some).chain(std::iter::once(None)).collect(),
            regions: Region::ALL.iter().copied().map(Some).chain(std::iter::once(None)).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.years.len() * self.sectors.len() * self.regions.len() * Variable::ALL.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn index(&self, year: usize, sector: usize, region: usize, variable: usize) -> usize {
        ((year * self.sectors.len() + sector) * self.regions.len() + region) * Variable::ALL.len() + variable
    }

    /// Every cell's value in one outcome; NaN where a cell has no meaning (production of all
    /// sectors together).
    pub fn cells(&self, outcome: &Outcome) -> Vec<f64> {
        let mut cells = vec![0.0; self.len()];
        let all = self.sectors.len() - 1;
        for row in &outcome.summary {
            let (Some(y), Some(s), Some(r)) = (
                self.years.iter().position(|&y| y == row.year),
                self.sectors.iter().position(|&s| s == Some(row.sector)),
                self.regions.iter().position(|&r| r == row.region),
            ) else {
                continue;
            };
            for (v, variable) in Variable::ALL.iter().enumerate() {
                let value = variable.of(row);
                cells[self.index(y, s, r, v)] += value;
                cells[self.index(y, all, r, v)] += value;
            }
        }
        let production = Variable::ALL.iter().position(|&v| v == Variable::Production).unwrap_or(0);
        for y in 0..self.years.len() {
            for r in 0..self.regions.len() {
                cells[self.index(y, all, r, production)] = f64::NAN;
            }
        }
        cells
    }
}

/// The headline figures of one run (world, the scenario's sectors together).
#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    /// Direct emissions, Mt CO2, in the base year, [`MILESTONE_YEAR`] and the end year.
    pub direct_base: f64,
    pub direct_milestone: f64,
    pub direct_end: f64,
    /// CO2 captured in the end year, Mt.
    pub captured_end: f64,
    /// Capex summed over every year, bn USD.
    pub cumulative_capex: f64,
    pub meets_milestone: bool,
    pub near_zero: bool,
}

impl Headline {
    /// The headline of a run without a pathway: every figure not a number, no threshold met.
    pub fn not_a_number() -> Headline {
        Headline {
            direct_base: f64::NAN,
            direct_milestone: f64::NAN,
            direct_end: f64::NAN,
            captured_end: f64::NAN,
            cumulative_capex: f64::NAN,
            meets_milestone: false,
            near_zero: false,
        }
    }

    pub fn of(outcome: &Outcome) -> Headline {
        let world_sum = |year: i32, f: fn(&SummaryRow) -> f64| -> f64 {
            outcome.summary.iter().filter(|r| r.year == year && r.region.is_none()).map(f).sum()
        };
        let direct = |r: &SummaryRow| r.direct_emissions.0 / 1e6;
        let milestone = MILESTONE_YEAR.clamp(outcome.base_year, outcome.end_year);
        let direct_base = world_sum(outcome.base_year, direct);
        let direct_milestone = world_sum(milestone, direct);
        let direct_end = world_sum(outcome.end_year, direct);
        Headline {
            direct_base,
            direct_milestone,
            direct_end,
            captured_end: world_sum(outcome.end_year, |r| r.captured.0 / 1e6),
            cumulative_capex: outcome
                .summary
                .iter()
                .filter(|r| r.region.is_none())
                .map(|r| r.capex.0 / 1e9)
                .sum(),
            meets_milestone: direct_milestone <= MILESTONE_MAX_SHARE * direct_base,
            near_zero: direct_end <= NEAR_ZERO_MAX_SHARE * direct_base,
        }
    }
}

/// One run of an ensemble: its index, engine seed, sampled inputs (as applied, in the order of
/// the scenario's `uncertainty.inputs`) and headline figures.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub index: u64,
    pub engine_seed: u64,
    pub inputs: Vec<f64>,
    /// The run's headline figures (not a number where the run was infeasible).
    pub headline: Headline,
    /// Why the run has no pathway: its sampled inputs leave some year with demand that no
    /// allowed technology can meet within the resource limits ([`EngineError::Infeasible`]).
    /// Such runs are counted ([`Ensemble::infeasible`]), not added to the bands.
    pub infeasible: Option<String>,
}

/// One row of the bands.
#[derive(Debug, Clone, PartialEq)]
pub struct BandRow {
    pub year: i32,
    /// `None`: the scenario's sectors together.
    pub sector: Option<Sector>,
    /// `None`: the world.
    pub region: Option<Region>,
    pub variable: Variable,
    pub mean: f64,
    /// p5, p25, p50, p75, p95.
    pub percentiles: [f64; 5],
}

/// The percentiles of [`BandRow::percentiles`].
pub const PERCENTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// What an ensemble keeps: one sketch per cell and the counts of runs meeting the thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    pub scenario: String,
    pub layout: Layout,
    /// Runs with a pathway (the bands and probabilities are over these).
    pub runs: u64,
    pub meeting_milestone: u64,
    pub near_zero: u64,
    /// Runs whose sampled inputs were infeasible (no allowed technology could meet demand within
    /// the limits in some year), and the first one's reason.
    pub infeasible: u64,
    pub first_infeasible: Option<String>,
    cells: Vec<Sketch>,
}

impl Ensemble {
    /// The empty aggregates of a scenario's ensemble (no runs yet).
    pub fn new(scenario: &Scenario) -> Ensemble {
        Ensemble::empty(scenario.name.clone(), Layout::of(scenario))
    }

    /// No runs yet of the scenario named `scenario`, over `layout`.
    fn empty(scenario: String, layout: Layout) -> Ensemble {
        let cells = vec![Sketch::default(); layout.len()];
        Ensemble {
            scenario,
            layout,
            runs: 0,
            meeting_milestone: 0,
            near_zero: 0,
            infeasible: 0,
            first_infeasible: None,
            cells,
        }
    }

    /// Adds one run's cells ([`Layout::cells`]) and headline, as [`run_ensemble`] does for every
    /// run with a pathway (public for benchmarks and tests that build aggregates directly).
    pub fn add(&mut self, cells: &[f64], headline: &Headline) {
        for (sketch, &value) in self.cells.iter_mut().zip(cells) {
            sketch.add(value);
        }
        self.runs += 1;
        self.meeting_milestone += u64::from(headline.meets_milestone);
        self.near_zero += u64::from(headline.near_zero);
    }

    /// Adds the aggregates of the runs after this one's (the next shard): counts and sketches add
    /// up, and the first infeasible run stays the earliest. Merging shards 1..=M in order gives the
    /// aggregates of the whole ensemble exactly. Errs when the layouts differ.
    pub fn merge(&mut self, other: &Ensemble) -> Result<(), EngineError> {
        if self.layout != other.layout || self.cells.len() != other.cells.len() {
            return Err(EngineError::Invalid(format!(
                "cannot merge ensembles of different layouts ({} cells and {} cells)",
                self.cells.len(),
                other.cells.len()
            )));
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.merge(b);
        }
        self.add_counts(
            [other.runs, other.meeting_milestone, other.near_zero, other.infeasible],
            other.first_infeasible.as_ref(),
        );
        Ok(())
    }

    /// Adds the counts of later runs (runs with a pathway, meeting the milestone, near zero,
    /// infeasible): they add up, and the first infeasible run stays the earliest.
    fn add_counts(
        &mut self,
        [runs, meeting_milestone, near_zero, infeasible]: [u64; 4],
        first: Option<&String>,
    ) {
        self.runs += runs;
        self.meeting_milestone += meeting_milestone;
        self.near_zero += near_zero;
        self.infeasible += infeasible;
        if self.first_infeasible.is_none() {
            self.first_infeasible = first.cloned();
        }
    }

    /// Adds a shard's partial results (its header's counts and its `cells.bin` bytes) to these
    /// aggregates, as [`Ensemble::merge`] of the decoded shard would, without building it first.
    /// Shards are merged in order (the first infeasible run stays the earliest). Errs, leaving
    /// `self` partly merged (discard it), when the layout differs or the bytes are damaged.
    pub fn merge_part(&mut self, header: &PartHeader, cells: &[u8]) -> Result<(), EngineError> {
        let bad = |why: String| EngineError::Invalid(format!("ensemble cells: {why}"));
        if header.empty_ensemble().layout != self.layout {
            return Err(bad("the part's years or sectors differ from the other parts'".to_owned()));
        }
        let mut rest = cells;
        let (count, tail) = rest.split_first_chunk::<8>().ok_or_else(|| bad("no cell count".to_owned()))?;
        rest = tail;
        let count = u64::from_le_bytes(*count);
        if count != self.cells.len() as u64 {
            return Err(bad(format!("{count} cells, expected {} for this scenario", self.cells.len())));
        }
        for (i, cell) in self.cells.iter_mut().enumerate() {
            cell.merge_encoded(&mut rest).ok_or_else(|| bad(format!("cell {i} is cut short or corrupt")))?;
        }
        if !rest.is_empty() {
            return Err(bad(format!("{} bytes after the last cell", rest.len())));
        }
        self.add_counts(
            [header.runs_with_pathway, header.meeting_milestone, header.near_zero, header.infeasible],
            header.first_infeasible.as_ref(),
        );
        Ok(())
    }

    /// The cells' sketches as bytes: u64 cell count (little-endian), then each sketch
    /// ([`Sketch::encode`]) in layout order.
    pub fn encode_cells(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.cells.len() * 64);
        out.extend_from_slice(&(self.cells.len() as u64).to_le_bytes());
        for cell in &self.cells {
            cell.encode(&mut out);
        }
        out
    }

    /// Replaces the cells' sketches with those of [`Ensemble::encode_cells`]; errs when the bytes
    /// are cut short, hold another number of cells than this layout, or have bytes left over.
    pub fn decode_cells(&mut self, bytes: &[u8]) -> Result<(), EngineError> {
        let bad = |why: &str| EngineError::Invalid(format!("ensemble cells: {why}"));
        let mut rest = bytes;
        let (count, tail) = rest.split_first_chunk::<8>().ok_or_else(|| bad("no cell count"))?;
        rest = tail;
        let count = u64::from_le_bytes(*count);
        if count != self.cells.len() as u64 {
            return Err(bad(&format!("{count} cells, expected {} for this scenario", self.cells.len())));
        }
        for (i, cell) in self.cells.iter_mut().enumerate() {
            *cell =
                Sketch::decode(&mut rest).ok_or_else(|| bad(&format!("cell {i} is cut short or corrupt")))?;
        }
        if !rest.is_empty() {
            return Err(bad(&format!("{} bytes after the last cell", rest.len())));
        }
        Ok(())
    }

    /// Buckets held by all the cells' sketches (about 4 bytes each): what the bands cost in
    /// memory beyond a fixed part per cell.
    pub fn buckets(&self) -> usize {
        self.cells.iter().map(Sketch::buckets).sum()
    }

    /// Share of runs meeting the 2030 milestone ([`MILESTONE_MAX_SHARE`]).
    pub fn probability_milestone(&self) -> f64 {
        if self.runs == 0 { f64::NAN } else { self.meeting_milestone as f64 / self.runs as f64 }
    }

    /// Share of runs with near-zero direct emissions in the end year ([`NEAR_ZERO_MAX_SHARE`]).
    pub fn probability_near_zero(&self) -> f64 {
        if self.runs == 0 { f64::NAN } else { self.near_zero as f64 / self.runs as f64 }
    }

    /// Every band, in layout order (year, sector, region, variable); cells no run filled and
    /// cells that were zero in every run are left out.
    pub fn bands(&self) -> Vec<BandRow> {
        let mut out = Vec::new();
        let l = &self.layout;
        for (y, &year) in l.years.iter().enumerate() {
            for (s, &sector) in l.sectors.iter().enumerate() {
                for (r, &region) in l.regions.iter().enumerate() {
                    for (v, &variable) in Variable::ALL.iter().enumerate() {
                        let sketch = &self.cells[l.index(y, s, r, v)];
                        if sketch.count() == 0 || (sketch.quantile(0.0) == 0.0 && sketch.quantile(1.0) == 0.0)
                        {
                            continue;
                        }
                        out.push(BandRow {
                            year,
                            sector,
                            region,
                            variable,
                            mean: sketch.mean(),
                            percentiles: PERCENTILES.map(|q| sketch.quantile(q)),
                        });
                    }
                }
            }
        }
        out
    }

    /// The band of one cell.
    pub fn band(
        &self,
        year: i32,
        sector: Option<Sector>,
        region: Option<Region>,
        variable: Variable,
    ) -> Option<BandRow> {
        let layout = &self.layout;
        let index = layout.index(
            layout.years.iter().position(|&x| x == year)?,
            layout.sectors.iter().position(|&x| x == sector)?,
            layout.regions.iter().position(|&x| x == region)?,
            Variable::ALL.iter().position(|&x| x == variable)?,
        );
        let sketch = &self.cells[index];
        (sketch.count() > 0).then(|| BandRow {
            year,
            sector,
            region,
            variable,
            mean: sketch.mean(),
            percentiles: PERCENTILES.map(|q| sketch.quantile(q)),
        })
    }
}

/// SplitMix64's finaliser: spreads nearby integers over the 64-bit range.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The random stream of run `index` of an ensemble seeded with `seed`.
pub fn run_stream(seed: u64, index: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ mix(index)))
}

/// The uncertain inputs of a scenario, checked against the world (none when it declares none).
pub fn resolve(world: &World, scenario: &Scenario) -> Result<Resolved, EngineError> {
    ensemble_uncertainty(scenario).resolve(world, scenario)
}

/// What an ensemble of `scenario` varies: its `[uncertainty]`, or, when it declares none, only
/// each run's engine seed (`vary_seed = true`, no inputs), so that the seeded investment timing
/// varies. The one rule for the CLI and the API.
pub fn ensemble_uncertainty(scenario: &Scenario) -> crate::uncertainty::Uncertainty {
    scenario.uncertainty.clone().unwrap_or_else(|| crate::uncertainty::Uncertainty {
        vary_seed: true,
        ..crate::uncertainty::Uncertainty::default()
    })
}

/// Samples run `index`: its input values and engine seed.
pub fn sample(resolved: &Resolved, seed: u64, index: u64) -> (Vec<f64>, u64) {
    let mut rng = run_stream(seed, index);
    let z = resolved.draw_z(&mut rng);
    let engine_seed = if resolved.vary_seed { rand::Rng::next_u64(&mut rng) } else { seed };
    (resolved.values_at(&z), engine_seed)
}

/// Runs the engine with inputs set to `values` (`None`: as the scenario has it).
pub fn run_with(
    world: &World,
    scenario: &Scenario,
    resolved: &Resolved,
    values: &[Option<f64>],
    engine_seed: u64,
) -> Result<Outcome, EngineError> {
    // Ensembles and sensitivity runs keep headlines only: no per-plant pathways.
    let options = crate::RunOptions { record_plants: false };
    if values.iter().all(Option::is_none) {
        return crate::run_with_options(world, scenario, engine_seed, options);
    }
    let (world, scenario) = resolved.apply(world, scenario, values);
    crate::run_with_options(&world, &scenario, engine_seed, options)
}

/// Runs an ensemble of `runs` samples seeded with `seed` on the current rayon pool, calling
/// `on_run` for every run in run order as the runs finish (to stream `runs.csv` and a progress
/// bar), and returns the aggregates.
pub fn run_ensemble(
    world: &World,
    scenario: &Scenario,
    runs: u64,
    seed: u64,
    on_run: impl FnMut(&RunRecord),
) -> Result<Ensemble, EngineError> {
    run_ensemble_until(world, scenario, runs, seed, on_run, || false)
}

/// The run indices of shard `k` of `m` (1-based) of an ensemble of `runs` runs: contiguous
/// slices, the first `runs % m` one run longer, together every index once. `None` unless
/// `1 <= k <= m <= runs`.
pub fn shard_range(runs: u64, k: u64, m: u64) -> Option<std::ops::Range<u64>> {
    if k == 0 || k > m || m > runs {
        return None;
    }
    let (size, extra) = (runs / m, runs % m);
    let i = k - 1;
    let start = i * size + i.min(extra);
    let len = size + u64::from(i < extra);
    Some(start..start + len)
}

/// [`run_ensemble`] that asks `stop` before each run and, when it answers true, stops with
/// [`EngineError::Cancelled`]: a server stops an ensemble whose request has timed out or whose
/// client has gone within the runs already under way (one per worker).
pub fn run_ensemble_until(
    world: &World,
    scenario: &Scenario,
    runs: u64,
    seed: u64,
    on_run: impl FnMut(&RunRecord),
    stop: impl Fn() -> bool + Sync,
) -> Result<Ensemble, EngineError> {
    run_ensemble_range(world, scenario, runs, 0..runs, seed, on_run, stop)
}

/// The runs `range` of an ensemble of `runs` runs (a shard, [`shard_range`]): each run seeded as
/// in the whole ensemble, aggregated as [`run_ensemble_until`] does. Merging the aggregates of
/// ranges that cover `0..runs` in order ([`Ensemble::merge`]) gives those of the whole ensemble.
pub fn run_ensemble_range(
    world: &World,
    scenario: &Scenario,
    runs: u64,
    range: std::ops::Range<u64>,
    seed: u64,
    mut on_run: impl FnMut(&RunRecord),
    stop: impl Fn() -> bool + Sync,
) -> Result<Ensemble, EngineError> {
    scenario.check(world)?;
    let resolved = resolve(world, scenario)?;
    let mut ensemble = Ensemble::new(scenario);
    let mut start = range.start;
    let runs_end = range.end.min(runs);
    while start < runs_end {
        if stop() {
            return Err(EngineError::Cancelled { done: start, runs });
        }
        let end = (start + CHUNK as u64).min(runs_end);
        let chunk: Vec<Result<(RunRecord, Vec<f64>), EngineError>> = (start..end)
            .into_par_iter()
            .map(|index| {
                if stop() {
                    return Err(EngineError::Cancelled { done: index, runs });
                }
                let (inputs, engine_seed) = sample(&resolved, seed, index);
                let values: Vec<Option<f64>> = inputs.iter().copied().map(Some).collect();
                match run_with(world, scenario, &resolved, &values, engine_seed) {
                    Ok(outcome) => {
                        let cells = ensemble.layout.cells(&outcome);
                        let headline = Headline::of(&outcome);
                        Ok((RunRecord { index, engine_seed, inputs, headline, infeasible: None }, cells))
                    }
                    // A sample whose inputs no fleet can meet is a result of the ensemble (how
                    // often the limits cannot hold demand), not a failure of it.
                    Err(e @ EngineError::Infeasible { .. }) => {
                        let headline = Headline::not_a_number();
                        Ok((
                            RunRecord {
                                index,
                                engine_seed,
                                inputs,
                                headline,
                                infeasible: Some(e.to_string()),
                            },
                            Vec::new(),
                        ))
                    }
                    Err(e) => Err(e),
                }
            })
            .collect();
        for result in chunk {
            let (record, cells) = result?;
            match &record.infeasible {
                None => ensemble.add(&cells, &record.headline),
                Some(reason) => {
                    ensemble.infeasible += 1;
                    if ensemble.first_infeasible.is_none() {
                        ensemble.first_infeasible = Some(format!("run {}: {reason}", record.index));
                    }
                }
            }
            on_run(&record);
        }
        start = end;
    }
    Ok(ensemble)
}

/// The name of a shard's partial results in [`PartHeader::format`].
pub const PART_FORMAT: &str = "decarb-ensemble-part";
/// The version of the partial-results layout ([`PartHeader`] and [`Ensemble::encode_cells`]);
/// raised whenever either changes, and a merge refuses parts of another version.
pub const PART_VERSION: u32 = 1;

/// The header of one shard's partial results (`part.json`, `docs/cluster.md`): what was run, which
/// slice, and the counts of its aggregates (the sketches are in `cells.bin`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PartHeader {
    pub format: String,
    pub version: u32,
    /// The decarb version that wrote it.
    pub decarb_version: String,
    pub scenario: String,
    /// SHA-256 of the scenario as run (its resolved form as JSON, overrides applied).
    pub scenario_sha256: String,
    pub seed: u64,
    /// Runs of the whole ensemble (N).
    pub runs: u64,
    /// This shard (K, 1-based) of `shards` (M).
    pub shard: u64,
    pub shards: u64,
    /// The run indices of this shard: `first_run..end_run`.
    pub first_run: u64,
    pub end_run: u64,
    pub base_year: i32,
    pub end_year: i32,
    pub sectors: Vec<Sector>,
    /// The aggregates' counts ([`Ensemble`]).
    pub runs_with_pathway: u64,
    pub meeting_milestone: u64,
    pub near_zero: u64,
    pub infeasible: u64,
    pub first_infeasible: Option<String>,
    /// SHA-256 of `cells.bin`, to catch a damaged or mixed-up file.
    pub cells_sha256: String,
}

impl PartHeader {
    /// The header of a shard's aggregates (`cells_sha256` left for the writer to fill in).
    pub fn of(
        ensemble: &Ensemble,
        scenario: &Scenario,
        scenario_sha256: &str,
        seed: u64,
        (runs, shard, shards): (u64, u64, u64),
    ) -> PartHeader {
        let range = shard_range(runs, shard, shards).unwrap_or(0..0);
        PartHeader {
            format: PART_FORMAT.to_owned(),
            version: PART_VERSION,
            decarb_version: env!("CARGO_PKG_VERSION").to_owned(),
            scenario: ensemble.scenario.clone(),
            scenario_sha256: scenario_sha256.to_owned(),
            seed,
            runs,
            shard,
            shards,
            first_run: range.start,
            end_run: range.end,
            base_year: scenario.base_year,
            end_year: scenario.end_year,
            sectors: scenario.sectors.clone(),
            runs_with_pathway: ensemble.runs,
            meeting_milestone: ensemble.meeting_milestone,
            near_zero: ensemble.near_zero,
            infeasible: ensemble.infeasible,
            first_infeasible: ensemble.first_infeasible.clone(),
            cells_sha256: String::new(),
        }
    }

    /// Empty aggregates (no runs) of this header's scenario layout, to merge parts into
    /// ([`Ensemble::merge_part`]).
    pub fn empty_ensemble(&self) -> Ensemble {
        let layout = Layout {
            years: (self.base_year..=self.end_year).collect(),
            sectors: self.sectors.iter().copied().map(Some).chain(std::iter::once(None)).collect(),
            regions: Region::ALL.iter().copied().map(Some).chain(std::iter::once(None)).collect(),
        };
        Ensemble::empty(self.scenario.clone(), layout)
    }
}

/// Checks that `parts` (named by `names`, e.g. their paths) are the M shards of one ensemble, each
/// once: same format version, scenario, seed, N and M, run ranges as [`shard_range`] cuts them.
/// Returns the order to merge them in (by shard). The error names the part or shard at fault.
pub fn check_parts(parts: &[PartHeader], names: &[String]) -> Result<Vec<usize>, EngineError> {
    let bad = |m: String| EngineError::Invalid(m);
    let Some(first) = parts.first() else {
        return Err(bad("no parts to merge".to_owned()));
    };
    let name = |i: usize| names.get(i).cloned().unwrap_or_else(|| format!("part {i}"));
    let mut by_shard: Vec<Option<usize>> = vec![None; usize::try_from(first.shards).unwrap_or(0)];
    for (i, p) in parts.iter().enumerate() {
        if p.format != PART_FORMAT || p.version != PART_VERSION {
            return Err(bad(format!(
                "{}: format {:?} version {}, expected {PART_FORMAT:?} version {PART_VERSION}",
                name(i),
                p.format,
                p.version
            )));
        }
        for (what, same) in [
            ("scenario", p.scenario_sha256 == first.scenario_sha256 && p.scenario == first.scenario),
            ("seed", p.seed == first.seed),
            ("number of runs (N)", p.runs == first.runs),
            ("number of shards (M)", p.shards == first.shards),
        ] {
            if !same {
                return Err(bad(format!(
                    "{} and {}: different {what} (scenario {:?} seed {} N {} M {} vs scenario {:?} seed {} N {} M {}); \
                     parts of one ensemble only",
                    name(0),
                    name(i),
                    first.scenario,
                    first.seed,
                    first.runs,
                    first.shards,
                    p.scenario,
                    p.seed,
                    p.runs,
                    p.shards
                )));
            }
        }
        let Some(range) = shard_range(p.runs, p.shard, p.shards) else {
            return Err(bad(format!(
                "{}: shard {}/{} of {} runs is not a shard",
                name(i),
                p.shard,
                p.shards,
                p.runs
            )));
        };
        if (p.first_run, p.end_run) != (range.start, range.end) {
            return Err(bad(format!(
                "{}: runs {}..{}, but shard {}/{} holds runs {}..{}",
                name(i),
                p.first_run,
                p.end_run,
                p.shard,
                p.shards,
                range.start,
                range.end
            )));
        }
        let slot = &mut by_shard[usize::try_from(p.shard - 1).unwrap_or(0)];
        if let Some(j) = *slot {
            return Err(bad(format!(
                "shard {}/{} given twice: {} and {}",
                p.shard,
                p.shards,
                name(j),
                name(i)
            )));
        }
        *slot = Some(i);
    }
    let missing: Vec<String> =
        by_shard.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(k, _)| format!("{}", k + 1)).collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "missing shard{} {} of {} (have {} of {} parts)",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            first.shards,
            parts.len(),
            first.shards
        )));
    }
    Ok(by_shard.into_iter().flatten().collect())
}

#[cfg(test)]
mod shard_tests {
    use super::*;

    #[test]
    fn shards_cut_every_run_once_in_order() {
        for (runs, m) in [(10, 4), (12, 12), (100, 7), (5, 1)] {
            let mut next = 0;
            for k in 1..=m {
                let r = shard_range(runs, k, m).unwrap();
                assert_eq!(r.start, next, "{runs} runs, shard {k}/{m}");
                assert!(r.end > r.start);
                next = r.end;
            }
            assert_eq!(next, runs);
        }
        assert_eq!(shard_range(10, 3, 4), Some(6..8));
        assert_eq!(shard_range(10, 0, 4), None);
        assert_eq!(shard_range(10, 5, 4), None);
        assert_eq!(shard_range(3, 1, 4), None);
    }
}
