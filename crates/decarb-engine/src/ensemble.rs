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
//! - **Deterministic bands.** Bucket counts add up in any order and sums are taken in run order,
//!   so `bands.csv` is byte-identical for any thread count.
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
    fn new(scenario: &Scenario) -> Ensemble {
        let layout = Layout::of(scenario);
        let cells = vec![Sketch::default(); layout.len()];
        Ensemble {
            scenario: scenario.name.clone(),
            layout,
            runs: 0,
            meeting_milestone: 0,
            near_zero: 0,
            infeasible: 0,
            first_infeasible: None,
            cells,
        }
    }

    fn add(&mut self, cells: &[f64], headline: &Headline) {
        for (sketch, &value) in self.cells.iter_mut().zip(cells) {
            sketch.add(value);
        }
        self.runs += 1;
        self.meeting_milestone += u64::from(headline.meets_milestone);
        self.near_zero += u64::from(headline.near_zero);
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

/// [`run_ensemble`] that asks `stop` before each run and, when it answers true, stops with
/// [`EngineError::Cancelled`]: a server stops an ensemble whose request has timed out or whose
/// client has gone within the runs already under way (one per worker).
pub fn run_ensemble_until(
    world: &World,
    scenario: &Scenario,
    runs: u64,
    seed: u64,
    mut on_run: impl FnMut(&RunRecord),
    stop: impl Fn() -> bool + Sync,
) -> Result<Ensemble, EngineError> {
    scenario.check(world)?;
    let resolved = resolve(world, scenario)?;
    let mut ensemble = Ensemble::new(scenario);
    let mut start = 0u64;
    while start < runs {
        if stop() {
            return Err(EngineError::Cancelled { done: start, runs });
        }
        let end = (start + CHUNK as u64).min(runs);
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
