//! The yearly stock-turnover loop over a struct-of-arrays fleet.
//!
//! Each year after the base year:
//! 1. **Decisions.** Plants at an investment point decide. A plant whose age has reached its
//!    lifetime retires if its region can meet demand without it (oldest first, then by id), and
//!    is otherwise rebuilt on any technology of its product line (greenfield capex; its life
//!    restarts). Any other plant may keep its technology or take one its route may switch to.
//!    Options must be available that year, not excluded, priced (inputs and greenfield capex
//!    sourced), and not initial or transition technologies once a moratorium applies. They are
//!    ranked by the scenario's rule; ties go to the cheaper option, then to the technology id.
//!    The scenario's choice rule (`cheapest`, `mpp`, `logit`) says which option the plant tries
//!    first. Limited resources are then granted in merit order of value per unit of the scarce
//!    resource ([`Sim::allocate`]): a plant refused falls to its next option. Staying costs no extra
//!    resource, so a plant can always stay unless its technology is no longer allowed. With no
//!    option left the plant keeps its technology (`kept-no-option`).
//! 2. **Balance.** Per product line and region: if demand exceeds capacity x maximum utilisation,
//!    standard-size plants are built on the best-ranked available technology (greenfield capex);
//!    if demand is below capacity x minimum utilisation, plants close, oldest first, then the
//!    costliest to run, then by id, as long as the rest can still meet demand.
//! 3. **Production.** Each region's plants run at one utilisation, demand / capacity capped at
//!    the maximum; production never exceeds demand or capacity x maximum utilisation.
//!
//! A route with `switch_regions` (MPP cement: natural-gas kilns only in the regions of
//! `REGIONS_NATURAL_GAS`) is switched to, built or rebuilt on only in those regions; a plant
//! already on it may keep it.
//!
//! Switch capex: renewal capex to stay; to switch within a route family (a technology's own
//! `switch_family`, else [`crate::start::route_family`] of its id), the larger of the target's renewal capex and the difference of
//! greenfield capex plus the current route's renewal capex (a conversion reuses what the routes
//! share); to another family, and for a rebuild or a new plant, greenfield capex.
//!
//! Randomness: a plant's unknown start year and its investment jitter are capacity-stratified
//! draws within its region x technology ([`investment_draws`]); the `mpp` and `logit` choice
//! draws come from a generator per (seed, plant index, year). Nothing depends on the order in
//! which plants decide or on the thread count.

use crate::costs::{Catalog, CostTables, REGIONS, resource_use};
use crate::error::EngineError;
use crate::inputs::World;
use crate::outcome::{
    Decision, EMISSIONS_BOUNDARY, LimitRow, MixRow, Outcome, PlantPathway, Reason, Resource, ResourceRow,
    Skipped, SummaryRow,
};
use crate::scenario::{Choice, DecisionRule, ResolvedLimit, Scenario};
use crate::settings::{Line, UtilisationBounds};
use decarb_model::units::{Tonnes, TonnesCo2, TonnesPerYear, Usd};
use decarb_model::{Commodity, CountryCode, PlantStatus, Region, Route, Sector, TechId};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Plants as parallel arrays: one index per plant, new plants appended.
struct Plants {
    id: Vec<String>,
    line: Vec<Line>,
    region: Vec<Region>,
    country: Vec<Option<CountryCode>>,
    /// t of product per year.
    capacity: Vec<f64>,
    tech: Vec<usize>,
    /// Start of the plant's life (reset by a rebuild or a switch to another route family).
    life_start: Vec<i32>,
    /// Years the plant's asset lives from `life_start`: the lifetime of the technology it was
    /// built (or rebuilt) on. A retrofit in the same family keeps it (capture on a kiln lives as
    /// long as the kiln). `None` where the source gives no lifetime.
    life: Vec<Option<i32>>,
    next_investment: Vec<i32>,
    open: Vec<bool>,
    /// Cement grinding station: makes cement from clinker of the region's kilns, has no kiln and
    /// no technology of its own, and never decides.
    grinding: Vec<bool>,
    /// Open capacity per line x region, kept in step with `open` and `capacity`.
    open_capacity: [[f64; REGIONS]; Line::COUNT],
    /// Open grinding-station capacity per region.
    open_grinding: [f64; REGIONS],
    /// Year the plant starts producing: the base year for the fleet as it stands, a later year
    /// for plants under construction.
    commission: Vec<i32>,
    /// Index in `World::fleet.plants` of each plant of the input fleet (the first
    /// `fleet_index.len()` plants); plants after them are built by the engine.
    fleet_index: Vec<usize>,
}

/// The technology index of a grinding station (it has none).
const GRINDING: usize = usize::MAX;
/// How grinding stations appear in the technology mix.
pub(crate) const GRINDING_ID: &str = "cement.grinding-station";

impl Plants {
    fn len(&self) -> usize {
        self.id.len()
    }
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        id: String,
        line: Line,
        region: Region,
        country: Option<CountryCode>,
        capacity: f64,
        tech: usize,
        life_start: i32,
        next_investment: i32,
        life_years: Option<i32>,
    ) {
        self.id.push(id);
        self.line.push(line);
        self.region.push(region);
        self.country.push(country);
        self.capacity.push(capacity);
        self.tech.push(tech);
        self.life_start.push(life_start);
        self.life.push(life_years);
        self.next_investment.push(next_investment);
        self.open.push(false);
        self.grinding.push(tech == GRINDING);
        self.commission.push(life_start);
        self.open(self.id.len() - 1);
    }

    fn open(&mut self, p: usize) {
        if !self.open[p] {
            self.open[p] = true;
            self.open_capacity[self.line[p].index()][self.region[p].index()] += self.capacity[p];
            if self.grinding[p] {
                self.open_grinding[self.region[p].index()] += self.capacity[p];
            }
        }
    }

    fn close(&mut self, p: usize) {
        if self.open[p] {
            self.open[p] = false;
            self.open_capacity[self.line[p].index()][self.region[p].index()] -= self.capacity[p];
            if self.grinding[p] {
                self.open_grinding[self.region[p].index()] -= self.capacity[p];
            }
        }
    }

    /// Kilns make the clinker of the region's whole cement output, grinding stations' included:
    /// the output a kiln makes clinker for, per tonne of its own (1 outside cement).
    fn kiln_share(&self, line: Line, r: usize) -> f64 {
        if line != Line::Cement {
            return 1.0;
        }
        let all = self.open_capacity[line.index()][r];
        let kilns = all - self.open_grinding[r];
        if kilns > 1e-9 { all / kilns } else { 1.0 }
    }

    /// Limited-resource use per tonne of unit of plant `p`'s technology.
    fn limited_use(&self, catalog: &Catalog<'_>, p: usize) -> [f64; 5] {
        if self.grinding[p] { [0.0; 5] } else { catalog.limited_use[self.tech[p]] }
    }
}

/// A seeded generator for one plant or one year: the same (seed, stream) always gives the same
/// numbers, whatever thread asks.
fn rng_for(seed: u64, stream: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Totals of one line in one region in one year.
#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    production: f64,
    capacity: f64,
    direct: f64,
    captured: f64,
    indirect: f64,
    capex: f64,
    opex: f64,
    carbon: f64,
    stranded: f64,
}

/// What one year of one line produced: totals, mix and resources per region.
#[derive(Default)]
struct LineYear {
    totals: [Totals; REGIONS],
    /// (region, technology) -> (production, capacity).
    mix: BTreeMap<(usize, usize), (f64, f64)>,
    /// region -> resource -> quantity.
    resources: Vec<BTreeMap<Resource, f64>>,
    /// region -> (production, capacity) of grinding stations.
    grinding: BTreeMap<usize, (f64, f64)>,
    /// Per plant of the line, when the run records plants: (plant index, its year).
    plants: Vec<(usize, PlantYear)>,
}

/// One plant's production, capacity and emissions in one year.
#[derive(Debug, Clone, Copy, Default)]
struct PlantYear {
    production: f64,
    capacity: f64,
    direct: f64,
    captured: f64,
    indirect: f64,
}

/// Per-plant yearly records of a run that records plants, in one flat buffer: per plant, five
/// series (production, capacity, direct, captured, indirect) of one value per year of the run.
/// The lists the accounting fills each year are handed back and reused.
struct PlantRecorder {
    years: usize,
    values: Vec<f64>,
    spare: Vec<Vec<(usize, PlantYear)>>,
    /// The technology of each plant of the input fleet as the run starts (before any decision).
    start: Vec<usize>,
}

impl PlantRecorder {
    fn new(years: usize, plants: &Plants) -> Self {
        PlantRecorder { years, values: Vec::new(), spare: Vec::new(), start: plants.tech.clone() }
    }

    /// Empty lists for the accounting of one year, one per line.
    fn lists(&mut self, lines: usize) -> Vec<Vec<(usize, PlantYear)>> {
        let mut lists = std::mem::take(&mut self.spare);
        lists.resize_with(lines, Vec::new);
        lists
    }

    /// Records a year's plants and takes their lists back from the line years.
    fn record(&mut self, yi: usize, line_years: &mut [LineYear]) {
        let stride = 5 * self.years;
        for ly in line_years {
            let mut list = std::mem::take(&mut ly.plants);
            for &(p, year) in &list {
                if self.values.len() < (p + 1) * stride {
                    self.values.resize((p + 1) * stride, 0.0);
                }
                let at = p * stride + yi;
                let values = [year.production, year.capacity, year.direct, year.captured, year.indirect];
                for (k, value) in values.into_iter().enumerate() {
                    self.values[at + k * self.years] = value;
                }
            }
            list.clear();
            self.spare.push(list);
        }
    }

    /// One pathway per plant, in plant order (every plant of the run, open in some year or not).
    fn finish(mut self, plants: &Plants, catalog: &Catalog<'_>) -> Vec<PlantPathway> {
        let (years, stride) = (self.years, 5 * self.years);
        self.values.resize(plants.len() * stride, 0.0);
        (0..plants.len())
            .map(|p| {
                let series =
                    |k: usize| self.values[p * stride + k * years..p * stride + (k + 1) * years].to_vec();
                PlantPathway {
                    id: plants.id[p].clone(),
                    fleet_index: plants.fleet_index.get(p).copied(),
                    sector: plants.line[p].sector(),
                    line: plants.line[p],
                    region: plants.region[p],
                    country: plants.country[p],
                    start_technology: self
                        .start
                        .get(p)
                        .filter(|&&t| t != GRINDING)
                        .and_then(|&t| catalog.techs.get(t))
                        .map(|t| t.id.clone()),
                    production: series(0),
                    capacity: series(1),
                    direct: series(2),
                    captured: series(3),
                    indirect: series(4),
                }
            })
            .collect()
    }
}

/// One limit in one year while plants book against it.
struct LimitPool {
    limit: ResolvedLimit,
    /// The limit's stated value this year (reported).
    value: f64,
    /// The least the limit allows over the scenario's commitment window
    /// (`limit_foresight_years`): a limit that falls (biomass for industry, 10 EJ in 2020 to 1 EJ
    /// in 2050) gives a new user only the room it will still give, so adopters are not stranded
    /// above the limit later.
    room: f64,
    /// `room` less what plants use and book.
    remaining: f64,
    refused: u32,
    /// USD per base unit: the most one more unit would have been worth to a refused claimant
    /// (its cost penalty of falling back / the resource it was refused); 0 when none was refused.
    shadow_price: f64,
}

impl LimitPool {
    /// What plants use and booked this year.
    fn booked(&self) -> f64 {
        self.room - self.remaining
    }

    /// Its row of the limits table in `year`; refusals and shadow prices only in a year of
    /// decisions (the base year has none).
    fn row(&self, year: i32, decided: bool) -> LimitRow {
        LimitRow {
            year,
            region: self.limit.region,
            resource: self.limit.resource,
            limit: self.value,
            booked: self.booked(),
            refused_options: if decided { self.refused } else { 0 },
            shadow_price: if decided { self.shadow_price } else { 0.0 },
        }
    }
}

/// Everything one run needs besides the plants: settings per line, demand, tables.
struct Sim<'w> {
    catalog: Catalog<'w>,
    tables: CostTables,
    rule: DecisionRule,
    cost_weight: f64,
    /// The scenario's choice rule and its parameters.
    choice: Choice,
    choice_band: f64,
    logit_exponent: f64,
    seed: u64,
    base: i32,
    years: usize,
    lines: Vec<Line>,
    bounds: [UtilisationBounds; Line::COUNT],
    new_size: [f64; Line::COUNT],
    /// Utilisation at which capex is spread over output in levelised costs.
    planning_u: [f64; Line::COUNT],
    /// Demand per line x region x year.
    demand: Vec<f64>,
    clinker: crate::inputs::Series,
    limits: Vec<ResolvedLimit>,
    /// `limit_foresight_years` of the scenario.
    foresight: i32,
    plants: Plants,
    /// Utilisation per line x region in the last year produced (resources are booked at it).
    utilisation: [[f64; REGIONS]; Line::COUNT],
    decisions: Vec<Decision>,
    limit_rows: Vec<LimitRow>,
    warnings: BTreeSet<String>,
    skipped: Vec<Skipped>,
    /// Whether `produce` keeps each plant's year (for [`Outcome::plants`]).
    record_plants: bool,
}

/// Capex and stranded capacity of one year, per line x region.
struct YearSpend {
    capex: [[f64; REGIONS]; Line::COUNT],
    stranded: [[f64; REGIONS]; Line::COUNT],
}

mod transitional;

pub(crate) fn run(
    world: &World,
    scenario: &Scenario,
    seed: u64,
    options: crate::RunOptions,
) -> Result<Outcome, EngineError> {
    scenario.check(world)?;
    let mut sim = Sim::new(world, scenario, seed)?;
    sim.record_plants = options.record_plants;
    let mut recorder = options.record_plants.then(|| PlantRecorder::new(sim.years, &sim.plants));
    let skipped = std::mem::take(&mut sim.skipped);
    let mut year_lines: Vec<Vec<LineYear>> = Vec::with_capacity(sim.years);
    let mut transitional_state = transitional::State::new();
    for yi in 0..sim.years {
        let year = sim.base + to_i32(yi);
        let mut spend =
            YearSpend { capex: [[0.0; REGIONS]; Line::COUNT], stranded: [[0.0; REGIONS]; Line::COUNT] };
        if yi > 0 {
            sim.commission(yi);
            let mut pools = sim.book_current_use(yi);
            sim.decide(yi, &mut pools, &mut spend);
            if let Some(settings) = &scenario.transitional_switches {
                sim.transitional(yi, settings, &mut transitional_state, &mut pools, &mut spend);
            }
            sim.balance(yi, &mut pools, &mut spend)?;
            sim.limit_rows.extend(pools.iter().map(|pool| pool.row(year, true)));
        } else {
            let pools = sim.book_current_use(yi);
            sim.limit_rows.extend(pools.iter().map(|pool| pool.row(year, false)));
        }
        let lists = recorder.as_mut().map_or_else(Vec::new, |r| r.lists(sim.lines.len()));
        let mut line_years = sim.produce(yi, &spend, lists);
        if let Some(recorder) = &mut recorder {
            recorder.record(yi, &mut line_years);
        }
        year_lines.push(line_years);
    }
    let plants = recorder.map(|r| r.finish(&sim.plants, &sim.catalog)).unwrap_or_default();
    let mut outcome = Outcome {
        scenario: scenario.name.clone(),
        base_year: sim.base,
        end_year: scenario.end_year,
        seed,
        sectors: scenario.sectors.clone(),
        boundary: EMISSIONS_BOUNDARY,
        summary: Vec::new(),
        technology_mix: Vec::new(),
        resources: Vec::new(),
        limits: std::mem::take(&mut sim.limit_rows),
        decisions: std::mem::take(&mut sim.decisions),
        skipped,
        plants,
        warnings: std::mem::take(&mut sim.warnings).into_iter().collect(),
    };
    collect_rows(&mut outcome, &year_lines, &sim.lines, &sim.catalog, sim.base);
    Ok(outcome)
}

impl<'w> Sim<'w> {
    fn new(world: &'w World, scenario: &Scenario, seed: u64) -> Result<Sim<'w>, EngineError> {
        let catalog = Catalog::new(world, scenario)?;
        let tables = CostTables::build(world, scenario, &catalog)?;
        let unknown = |key: &str, what: &str, name: &str| EngineError::Scenario {
            key: key.to_owned(),
            message: format!("unknown {what} {name:?}"),
        };
        let demand_path = world
            .demand_path(&scenario.demand)
            .ok_or_else(|| unknown("demand", "demand path", &scenario.demand))?;
        let clinker = world
            .clinker_ratio(&scenario.clinker_ratio)
            .ok_or_else(|| unknown("clinker_ratio", "clinker ratio path", &scenario.clinker_ratio))?
            .ratio
            .clone();
        let mut limits = scenario.resolved_limits()?;
        if let Some(set) = scenario.limit_set.as_deref().and_then(|name| world.limit_set(name)) {
            limits.extend(set.limits.iter().cloned());
        }
        for factor in &scenario.limit_factors {
            for limit in limits.iter_mut().filter(|l| factor.applies_to(l)) {
                limit.quantity = limit.quantity.scaled(factor.factor);
            }
        }
        let mut bounds: [UtilisationBounds; Line::COUNT] =
            std::array::from_fn(|_| UtilisationBounds { min: 0.0, max: 1.0, source: String::new() });
        let mut new_size = [0.0; Line::COUNT];
        for line in Line::ALL {
            let sector = line.sector();
            let mut b = world.utilisation.get(&sector).cloned().unwrap_or(UtilisationBounds {
                min: 0.6,
                max: 0.95,
                source: "engine fallback (MPP steel bounds)".to_owned(),
            });
            if let Some(o) = scenario.sector.get(&sector) {
                b.min = o.min_utilisation.unwrap_or(b.min);
                b.max = o.max_utilisation.unwrap_or(b.max);
            }
            bounds[line.index()] = b;
            new_size[line.index()] = match (line.is_main(), scenario.new_plant_size(sector)) {
                (true, Some(size)) => size,
                _ => line.default_new_plant_size().0,
            };
        }
        let planning_u: [f64; Line::COUNT] = std::array::from_fn(|l| 0.5 * (bounds[l].min + bounds[l].max));
        let (plants, skipped) = build_fleet(world, scenario, &catalog, seed)?;
        let years = tables.years;
        let lines: Vec<Line> =
            Line::ALL.into_iter().filter(|l| scenario.sectors.contains(&l.sector())).collect();
        let warnings = tables.warnings.iter().cloned().collect();
        let mut sim = Sim {
            catalog,
            tables,
            rule: scenario.decision_rule,
            cost_weight: scenario.cost_weight.unwrap_or(0.5),
            choice: scenario.choice,
            choice_band: scenario.choice_band(),
            logit_exponent: scenario.logit_exponent(),
            seed,
            base: scenario.base_year,
            years,
            lines,
            bounds,
            new_size,
            planning_u,
            demand: vec![0.0; Line::COUNT * REGIONS * years],
            clinker,
            limits,
            foresight: i32::try_from(scenario.limit_foresight_years).unwrap_or(i32::MAX),
            plants,
            utilisation: [[0.0; REGIONS]; Line::COUNT],
            decisions: Vec::new(),
            limit_rows: Vec::new(),
            warnings,
            skipped,
            record_plants: false,
        };
        sim.fill_demand(demand_path)?;
        for line in sim.lines.clone() {
            for r in 0..REGIONS {
                let cap = sim.plants.open_capacity[line.index()][r];
                let d = sim.demand_at(line, r, 0);
                sim.utilisation[line.index()][r] =
                    if cap > 0.0 { (d / cap).min(sim.bounds[line.index()].max) } else { 0.0 };
            }
        }
        Ok(sim)
    }

    fn d_at(&self, l: usize, r: usize, yi: usize) -> usize {
        (l * REGIONS + r) * self.years + yi
    }

    fn demand_at(&self, line: Line, r: usize, yi: usize) -> f64 {
        self.demand[self.d_at(line.index(), r, yi)]
    }

    /// Demand per line x region x year. A missing series is an error where plants are.
    fn fill_demand(&mut self, path: &crate::inputs::DemandPath) -> Result<(), EngineError> {
        for line in self.lines.clone() {
            if line == Line::AluminaRefining {
                continue;
            }
            for region in Region::ALL {
                let plants = &self.plants;
                let has_plants = (0..plants.len())
                    .any(|p| plants.line[p] == line && plants.region[p] == region && plants.open[p]);
                match path.demand.get(&(line.sector(), region)) {
                    Some(series) => {
                        for yi in 0..self.years {
                            let k = self.d_at(line.index(), region.index(), yi);
                            self.demand[k] = series.at(self.base + to_i32(yi)).max(0.0);
                        }
                    }
                    None if has_plants => {
                        return Err(EngineError::MissingDemand {
                            path: path.name.clone(),
                            sector: line.sector().to_string(),
                            region: region.to_string(),
                        });
                    }
                    None => {}
                }
            }
        }
        if self.lines.contains(&Line::AluminaRefining) {
            derive_alumina_demand(&self.plants, &self.catalog, &mut self.demand, self.years);
        }
        Ok(())
    }

    /// The factor from a technology's unit to the line's product (t clinker per t cement).
    fn factor(&self, line: Line, yi: usize) -> f64 {
        if line == Line::Cement { self.clinker.at(self.base + to_i32(yi)) } else { 1.0 }
    }

    /// A plant's use of each limited resource as `book` weighs it: with foresight, a limit already
    /// exceeded does not let its users stay; without (MPP's rule), staying is always free.
    fn held_use(&self, per_unit: &[f64; 5], scale: f64) -> [f64; 5] {
        std::array::from_fn(|k| if self.foresight > 0 { per_unit[k] * scale } else { 0.0 })
    }

    fn ctx(&self) -> Ctx<'_, 'w> {
        Ctx { catalog: &self.catalog, tables: &self.tables, rule: self.rule, cost_weight: self.cost_weight }
    }

    /// Plants under construction that start producing this year.
    fn commission(&mut self, yi: usize) {
        let year = self.base + to_i32(yi);
        for p in 0..self.plants.len() {
            if self.plants.open[p]
                || self.plants.commission[p] != year
                || !self.lines.contains(&self.plants.line[p])
            {
                continue;
            }
            self.plants.open(p);
            let tech = if self.plants.grinding[p] {
                TechId(GRINDING_ID.to_owned())
            } else {
                self.catalog.techs[self.plants.tech[p]].id.clone()
            };
            self.decisions.push(Decision {
                plant: self.plants.id[p].clone(),
                year,
                sector: self.plants.line[p].sector(),
                region: self.plants.region[p],
                from: None,
                to: Some(tech),
                reason: Reason::Commissioned,
                limited_by: Vec::new(),
                capacity: TonnesPerYear(self.plants.capacity[p]),
                options: Vec::new(),
            });
        }
    }

    /// The year's limits with every open plant's current use booked.
    fn book_current_use(&self, yi: usize) -> Vec<LimitPool> {
        let year = self.base + to_i32(yi);
        let mut pools: Vec<LimitPool> = self
            .limits
            .iter()
            .filter(|limit| limit.until.is_none_or(|until| year <= until))
            .map(|limit| {
                let value = limit.quantity.at(year);
                let last = limit.until.unwrap_or(i32::MAX).min(self.base + to_i32(self.years) - 1);
                let horizon = (year + self.foresight).min(last).max(year);
                let room = (year..=horizon).map(|y| limit.quantity.at(y)).fold(value, f64::min);
                LimitPool {
                    limit: limit.clone(),
                    value,
                    room,
                    remaining: room,
                    refused: 0,
                    shadow_price: 0.0,
                }
            })
            .collect();
        if pools.is_empty() {
            return pools;
        }
        let plants = &self.plants;
        for p in 0..plants.len() {
            if !plants.open[p] || !self.lines.contains(&plants.line[p]) {
                continue;
            }
            let (l, r) = (plants.line[p].index(), plants.region[p].index());
            let scale = plants.capacity[p]
                * self.utilisation[l][r]
                * self.factor(plants.line[p], yi)
                * plants.kiln_share(plants.line[p], r);
            let usage = plants.limited_use(&self.catalog, p);
            for pool in &mut pools {
                if pool.limit.region.is_none_or(|reg| reg.index() == r) {
                    pool.remaining -= usage[pool.limit.resource.index()] * scale;
                }
            }
        }
        pools
    }

    /// Plants at an investment point decide. End-of-life plants the region can do without retire
    /// first, oldest first (then by id), so that which plant retires never depends on the seed.
    /// The rest rank their options (the scenario's rule and choice), and the limited resources go
    /// to them in merit order ([`Sim::allocate`]).
    fn decide(&mut self, yi: usize, pools: &mut [LimitPool], spend: &mut YearSpend) {
        let year = self.base + to_i32(yi);
        let mut deciding: Vec<usize> = (0..self.plants.len())
            .filter(|&p| {
                self.plants.open[p]
                    && self.plants.next_investment[p] == year
                    && self.lines.contains(&self.plants.line[p])
            })
            .collect();
        let plants = &self.plants;
        deciding.sort_by(|&a, &b| {
            plants.life_start[a].cmp(&plants.life_start[b]).then(plants.id[a].cmp(&plants.id[b]))
        });
        let mut pending = Vec::with_capacity(deciding.len());
        for p in deciding {
            if let Some(claim) = self.prepare(p, yi) {
                pending.push(claim);
            }
        }
        self.allocate(yi, &pending, pools, spend);
    }

    /// A deciding plant's ranked options in the order it would take them (the choice rule's pick
    /// first), or `None` when it retired at the end of its life.
    fn prepare(&mut self, p: usize, yi: usize) -> Option<Pending> {
        let year = self.base + to_i32(yi);
        let current = self.plants.tech[p];
        let age = year - self.plants.life_start[p];
        let end_of_life = self.plants.life[p].is_some_and(|life| age >= life);
        if end_of_life && self.retire_if_not_needed(p, yi) {
            return None;
        }
        let plants = &self.plants;
        let catalog = &self.catalog;
        let line = plants.line[p];
        let (l, r) = (line.index(), plants.region[p].index());
        let unit_factor = self.factor(line, yi);
        // A rebuild is a new plant on the old site: any technology of the line may be built.
        // Otherwise the plant may stay or take one of its route's switches.
        let site_bound = catalog.techs[current].electricity_supply.is_site_bound();
        // A route a source confines to some regions is taken up only there; a plant already on it
        // may keep it (renew or rebuild).
        let region = plants.region[p];
        let may_take_up = |t: usize| t == current || catalog.techs[t].may_take_up_in(region);
        let mut candidates: Vec<usize> = if end_of_life {
            catalog.line_techs[l]
                .iter()
                .copied()
                .filter(|&t| {
                    catalog.may_choose(t, year)
                        && may_take_up(t)
                        && (site_bound || !catalog.techs[t].electricity_supply.is_site_bound())
                })
                .collect()
        } else {
            std::iter::once(current)
                .chain(catalog.switches[current].iter().copied())
                .filter(|&t| catalog.line[t] == Some(line) && catalog.may_choose(t, year) && may_take_up(t))
                .collect()
        };
        candidates.sort_unstable();
        candidates.dedup();
        let tables = &self.tables;
        // Renewal and in-family retrofits buy one reinvestment cycle of the existing asset; a
        // rebuild or a move to another family buys a new asset, annualised over its life.
        let capex_of = |t: usize| -> (f64, Horizon) {
            if end_of_life {
                (tables.greenfield(t, yi), Horizon::Life)
            } else if t == current {
                (catalog.techs[t].capex_renewal.0, Horizon::Cycle)
            } else if catalog.family[t] == catalog.family[current] {
                let renewal_from = catalog.techs[current].capex_renewal.0;
                let retrofit = catalog.techs[t]
                    .capex_renewal
                    .0
                    .max(tables.greenfield(t, yi) - tables.greenfield(current, yi) + renewal_from);
                (retrofit, Horizon::Cycle)
            } else {
                (tables.greenfield(t, yi), Horizon::Life)
            }
        };
        let ranked = self.ctx().rank(&candidates, capex_of, r, yi, self.planning_u[l]);
        let mut rng = rng_for(self.seed, choice_stream(p, year));
        let order = self.choice_order(&ranked, &mut rng);
        let scale = plants.capacity[p] * self.utilisation[l][r] * unit_factor * plants.kiln_share(line, r);
        let current_use = catalog.limited_use[current];
        Some(Pending {
            p,
            end_of_life,
            order,
            ranked,
            scale,
            current_use,
            held: self.held_use(&current_use, scale),
            keep_capex: capex_of(current).0,
        })
    }

    /// The order in which a plant tries its ranked options under the scenario's choice rule:
    /// `cheapest` tries them in rank order; `mpp` and `logit` first try the option their seeded
    /// draw picks, then the rest in rank order.
    fn choice_order(&self, ranked: &[Ranked], rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
        let picked = match self.choice {
            Choice::Cheapest => None,
            Choice::Mpp => pick_within_band(ranked, self.choice_band, unit_draw(rng)),
            Choice::Logit => pick_logit(ranked, self.logit_exponent, unit_draw(rng)),
        };
        let mut order: Vec<usize> = Vec::with_capacity(ranked.len());
        order.extend(picked);
        order.extend((0..ranked.len()).filter(|&i| Some(i) != picked));
        order
    }

    /// Grants the deciding plants their options in merit order of value per unit of the scarce
    /// resource. Plants whose next option needs no room in any limit take it at once (freeing
    /// what they give up); the others queue by what their option gains over their best option
    /// that needs no extra resource, per share of the limits it takes ([`Sim::claim`]; highest
    /// first, ties by plant id). A plant refused falls to its next option and queues again. Every
    /// refusal prices the limits that refused it ([`LimitPool::shadow_price`]). Nothing depends
    /// on plant order or the seed beyond each plant's own choice draw.
    fn allocate(&mut self, yi: usize, pending: &[Pending], pools: &mut [LimitPool], spend: &mut YearSpend) {
        let mut queue: std::collections::BinaryHeap<std::cmp::Reverse<Claim>> =
            std::collections::BinaryHeap::new();
        let mut refusals: Vec<Vec<Refusal>> = vec![Vec::new(); pending.len()];
        let mut limited_by: Vec<BTreeSet<String>> = vec![BTreeSet::new(); pending.len()];
        let mut settled: Vec<Option<Option<usize>>> = vec![None; pending.len()];
        // Plants in id order: ties in the queue go by id, and decisions are settled in it.
        let mut by_id: Vec<usize> = (0..pending.len()).collect();
        by_id.sort_by(|&a, &b| self.plants.id[pending[a].p].cmp(&self.plants.id[pending[b].p]));
        let mut id_rank = vec![0; pending.len()];
        for (rank, &i) in by_id.iter().enumerate() {
            id_rank[i] = rank;
        }
        for (i, claim) in pending.iter().enumerate() {
            if claim.order.is_empty() {
                settled[i] = Some(None);
            } else {
                queue.push(std::cmp::Reverse(self.claim(i, id_rank[i], claim, 0, pools)));
            }
        }
        while let Some(std::cmp::Reverse(claim)) = queue.pop() {
            let i = claim.index;
            let pd = &pending[i];
            let r = self.plants.region[pd.p].index();
            let option = &pd.ranked[pd.order[claim.position]];
            let extra = pd.extra(&self.catalog.limited_use[option.tech]);
            let mut refused_by = Vec::new();
            if book_detailed(pools, &extra, &pd.held, r, &mut limited_by[i], &mut refused_by) {
                settled[i] = Some(Some(claim.position));
                continue;
            }
            refusals[i].push(Refusal { position: claim.position, pools: refused_by, extra });
            if claim.position + 1 < pd.order.len() {
                queue.push(std::cmp::Reverse(self.claim(i, id_rank[i], pd, claim.position + 1, pools)));
            } else {
                settled[i] = Some(None);
            }
        }
        // Settle in a fixed order (plant id) so that the decisions' order does not depend on the
        // queue's.
        for i in by_id {
            let pd = &pending[i];
            let chosen = settled[i].flatten();
            // The cost the plant bears without the resource it was refused: its chosen option's,
            // or with none left the costliest it ranked.
            let fallback_cost = chosen.map_or_else(
                || pd.ranked.iter().map(|o| o.cost).fold(f64::NEG_INFINITY, f64::max),
                |position| pd.ranked[pd.order[position]].cost,
            );
            let priced: Vec<(f64, &[usize], [f64; 5])> = refusals[i]
                .iter()
                .map(|f| (pd.ranked[pd.order[f.position]].cost, f.pools.as_slice(), f.extra))
                .collect();
            price_refusals(pools, &priced, fallback_cost, pd.scale);
            let limited = std::mem::take(&mut limited_by[i]);
            self.settle(pd, chosen, limited, yi, spend);
        }
    }

    /// The queue entry of pending plant `index` (`id_rank`-th in id order) trying its option at
    /// `position`.
    fn claim(
        &self,
        index: usize,
        id_rank: usize,
        pd: &Pending,
        position: usize,
        pools: &[LimitPool],
    ) -> Claim {
        let r = self.plants.region[pd.p].index();
        let limited_use = &self.catalog.limited_use;
        let needs_room = |option: &Ranked| {
            let extra = pd.extra(&limited_use[option.tech]);
            pools.iter().filter(|pool| pool.limit.region.is_none_or(|reg| reg.index() == r)).any(|pool| {
                let k = pool.limit.resource.index();
                extra[k] > 1e-9 || (pool.remaining < -1e-9 && pd.held[k] > 1e-9 && extra[k] > -1e-9)
            })
        };
        let option = &pd.ranked[pd.order[position]];
        let key = if needs_room(option) {
            // The plant's best option (in its own order) that needs no extra resource.
            match pd.order.iter().map(|&o| &pd.ranked[o]).find(|o| !needs_room(o)) {
                Some(base) => {
                    // What the option is worth over the fallback, in the scenario's own measure
                    // (USD a year under lowest-cost, t CO2 a year under fastest-abatement), per
                    // share of the limits it would take: the claimant that gains most per unit
                    // of a scarce resource goes first, as a market for that resource would clear.
                    let gain = (base.score - option.score) * pd.scale;
                    let extra = pd.extra(&limited_use[option.tech]);
                    let share: f64 = pools
                        .iter()
                        .filter(|pool| pool.limit.region.is_none_or(|reg| reg.index() == r))
                        .map(|pool| extra[pool.limit.resource.index()].max(0.0) / pool.room.max(1e-9))
                        .sum();
                    -gain / share.max(1e-12)
                }
                // Nothing to fall back on that needs no resource: the plant claims first among
                // claimants, as refusing it leaves it no option at all.
                None => f64::MIN,
            }
        } else {
            f64::NEG_INFINITY
        };
        Claim { key, id_rank, index, position }
    }

    /// Books a plant's decision: its technology, next investment point, capex and record.
    fn settle(
        &mut self,
        pd: &Pending,
        chosen: Option<usize>,
        limited_by: BTreeSet<String>,
        yi: usize,
        spend: &mut YearSpend,
    ) {
        let year = self.base + to_i32(yi);
        let p = pd.p;
        let current = self.plants.tech[p];
        let plants = &self.plants;
        let catalog = &self.catalog;
        let line = plants.line[p];
        let (l, r) = (line.index(), plants.region[p].index());
        let unit_factor = self.factor(line, yi);
        let options: Vec<(TechId, f64)> =
            pd.ranked.iter().map(|o| (catalog.techs[o.tech].id.clone(), o.cost * unit_factor)).collect();
        let (to, reason, capex_spent) = match chosen.map(|position| &pd.ranked[pd.order[position]]) {
            Some(option) => {
                let reason = if pd.end_of_life {
                    Reason::Rebuild
                } else if option.tech == current {
                    Reason::Renewal
                } else {
                    Reason::Switch
                };
                (option.tech, reason, option.capex)
            }
            None => (current, Reason::KeptNoOption, pd.keep_capex),
        };
        let new_asset = pd.end_of_life || catalog.family[to] != catalog.family[current];
        let decision = Decision {
            plant: plants.id[p].clone(),
            year,
            sector: line.sector(),
            region: plants.region[p],
            from: Some(catalog.techs[current].id.clone()),
            to: Some(catalog.techs[to].id.clone()),
            reason,
            limited_by: limited_by.into_iter().collect(),
            capacity: TonnesPerYear(plants.capacity[p]),
            options,
        };
        spend.capex[l][r] += capex_spent * plants.capacity[p] * unit_factor;
        let next = year + catalog.cycle[to];
        self.plants.tech[p] = to;
        self.plants.next_investment[p] = next;
        if new_asset {
            self.plants.life_start[p] = year;
            self.plants.life[p] = self.catalog.lifetime[to];
        }
        self.decisions.push(decision);
    }

    /// Retires a plant at the end of its life if its region meets demand without it.
    fn retire_if_not_needed(&mut self, p: usize, yi: usize) -> bool {
        let plants = &self.plants;
        let line = plants.line[p];
        let r = plants.region[p].index();
        let rest = plants.open_capacity[line.index()][r] - plants.capacity[p];
        if rest * self.bounds[line.index()].max < self.demand_at(line, r, yi) {
            return false;
        }
        let decision = Decision {
            plant: plants.id[p].clone(),
            year: self.base + to_i32(yi),
            sector: line.sector(),
            region: plants.region[p],
            from: Some(self.catalog.techs[plants.tech[p]].id.clone()),
            to: None,
            reason: Reason::RetireEndOfLife,
            limited_by: Vec::new(),
            capacity: TonnesPerYear(plants.capacity[p]),
            options: Vec::new(),
        };
        self.plants.close(p);
        self.decisions.push(decision);
        true
    }

    /// Builds or closes capacity so that demand lies within the utilisation bounds.
    fn balance(
        &mut self,
        yi: usize,
        pools: &mut [LimitPool],
        spend: &mut YearSpend,
    ) -> Result<(), EngineError> {
        for line in self.lines.clone() {
            let l = line.index();
            for region in Region::ALL {
                let r = region.index();
                let d = self.demand_at(line, r, yi);
                let cap = self.plants.open_capacity[line.index()][r];
                if d > cap * self.bounds[l].max * (1.0 + 1e-9) {
                    self.build(line, region, yi, d / self.bounds[l].max - cap, pools, spend)?;
                } else if d < cap * self.bounds[l].min {
                    self.close(line, region, yi, cap, d, spend);
                }
            }
        }
        Ok(())
    }

    fn build(
        &mut self,
        line: Line,
        region: Region,
        yi: usize,
        needed: f64,
        pools: &mut [LimitPool],
        spend: &mut YearSpend,
    ) -> Result<(), EngineError> {
        let year = self.base + to_i32(yi);
        let (l, r) = (line.index(), region.index());
        let unit_factor = self.factor(line, yi);
        let size = self.new_size[l];
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let count = (needed / size).ceil().max(1.0) as usize;
        // New capacity cannot be given site-bound power (existing hydropower).
        let candidates: Vec<usize> = self.catalog.line_techs[l]
            .iter()
            .copied()
            .filter(|&t| {
                self.catalog.may_choose(t, year)
                    && self.catalog.techs[t].may_take_up_in(region)
                    && !self.catalog.techs[t].electricity_supply.is_site_bound()
            })
            .collect();
        let tables = &self.tables;
        let ranked = self.ctx().rank(
            &candidates,
            |t| (tables.greenfield(t, yi), Horizon::Life),
            r,
            yi,
            self.planning_u[l],
        );
        let infeasible = |reason: String| EngineError::Infeasible {
            year,
            sector: line.sector().to_string(),
            line: line.to_string(),
            region: region.to_string(),
            reason,
        };
        if ranked.is_empty() {
            return Err(infeasible(
                "none is allowed that year (moratorium, exclusions, availability, or no priced technology)"
                    .to_owned(),
            ));
        }
        let options: Vec<(TechId, f64)> =
            ranked.iter().map(|o| (self.catalog.techs[o.tech].id.clone(), o.cost * unit_factor)).collect();
        let country = largest_country(&self.plants, line, r);
        for k in 0..count {
            let mut limited_by = BTreeSet::new();
            let mut chosen = None;
            let mut refusals: Vec<(f64, Vec<usize>, [f64; 5])> = Vec::new();
            // Each new plant draws its own pick under the choice rule (one stream per line,
            // region, year and plant).
            let stream = build_stream(l * REGIONS + r, k, year);
            let order = self.choice_order(&ranked, &mut rng_for(self.seed, stream));
            let units = size * self.bounds[l].max * unit_factor;
            for &o in &order {
                let option = &ranked[o];
                let use_t = self.catalog.limited_use[option.tech];
                let extra: [f64; 5] = std::array::from_fn(|j| use_t[j] * units);
                let mut refused_by = Vec::new();
                if book_detailed(pools, &extra, &[0.0; 5], r, &mut limited_by, &mut refused_by) {
                    chosen = Some(option.clone());
                    break;
                }
                refusals.push((option.cost, refused_by, extra));
            }
            if let Some(option) = &chosen {
                // A new plant refused a resource prices it like a deciding plant does.
                let priced: Vec<(f64, &[usize], [f64; 5])> =
                    refusals.iter().map(|(cost, by, extra)| (*cost, by.as_slice(), *extra)).collect();
                price_refusals(pools, &priced, option.cost, units);
            }
            let Some(option) = chosen else {
                let limits: Vec<String> = limited_by.into_iter().collect();
                return Err(infeasible(format!(
                    "every allowed technology is refused by the resource limits {} ({} of {count} new plants built)",
                    limits.join(", "),
                    k
                )));
            };
            let id = format!("new.{}.{}.{year}.{}", line.as_str(), region.as_str(), k + 1);
            spend.capex[l][r] += option.capex * size * unit_factor;
            let t = option.tech;
            let next = year + self.catalog.cycle[t];
            self.plants.push(
                id.clone(),
                line,
                region,
                country,
                size,
                t,
                year,
                next,
                self.catalog.lifetime[t],
            );
            self.decisions.push(Decision {
                plant: id,
                year,
                sector: line.sector(),
                region,
                from: None,
                to: Some(self.catalog.techs[t].id.clone()),
                reason: Reason::NewBuild,
                limited_by: limited_by.into_iter().collect(),
                capacity: TonnesPerYear(size),
                options: options.clone(),
            });
        }
        Ok(())
    }

    /// Closes plants, oldest first, then the costliest to run, then by id, while utilisation
    /// stays below the minimum and the rest still meets demand.
    fn close(&mut self, line: Line, region: Region, yi: usize, cap: f64, demand: f64, spend: &mut YearSpend) {
        let year = self.base + to_i32(yi);
        let (l, r) = (line.index(), region.index());
        let plants = &self.plants;
        let tables = &self.tables;
        let mut members: Vec<usize> = (0..plants.len())
            .filter(|&p| plants.open[p] && plants.line[p] == line && plants.region[p].index() == r)
            .collect();
        let running_cost = |p: usize| {
            if plants.grinding[p] {
                return 0.0;
            }
            let k = tables.at(plants.tech[p], r, yi);
            tables.opex[k] + tables.carbon[k]
        };
        members.sort_by(|&a, &b| {
            plants.life_start[a]
                .cmp(&plants.life_start[b])
                .then(running_cost(b).total_cmp(&running_cost(a)))
                .then(plants.id[a].cmp(&plants.id[b]))
        });
        let mut cap_left = cap;
        for p in members {
            if cap_left * self.bounds[l].min <= demand {
                break;
            }
            if (cap_left - self.plants.capacity[p]) * self.bounds[l].max < demand {
                continue;
            }
            cap_left -= self.plants.capacity[p];
            self.plants.close(p);
            let t = self.plants.tech[p];
            let grinding = self.plants.grinding[p];
            let lifetime = if grinding { None } else { self.plants.life[p] };
            if lifetime.is_none_or(|years| year - self.plants.life_start[p] < years) {
                spend.stranded[l][r] += self.plants.capacity[p];
            }
            let from =
                if grinding { TechId(GRINDING_ID.to_owned()) } else { self.catalog.techs[t].id.clone() };
            self.decisions.push(Decision {
                plant: self.plants.id[p].clone(),
                year,
                sector: line.sector(),
                region,
                from: Some(from),
                to: None,
                reason: Reason::CloseDemand,
                limited_by: Vec::new(),
                capacity: TonnesPerYear(self.plants.capacity[p]),
                options: Vec::new(),
            });
        }
    }

    /// Production at one utilisation per line and region, and the year's accounts (one task per
    /// product line; results in line order). `plant_lists`: one empty list per line to fill with
    /// each plant's year when the run records plants (none otherwise).
    fn produce(
        &mut self,
        yi: usize,
        spend: &YearSpend,
        mut plant_lists: Vec<Vec<(usize, PlantYear)>>,
    ) -> Vec<LineYear> {
        for line in self.lines.clone() {
            let l = line.index();
            for r in 0..REGIONS {
                let cap = self.plants.open_capacity[line.index()][r];
                let d = self.demand_at(line, r, yi);
                self.utilisation[l][r] = if cap > 0.0 { (d / cap).min(self.bounds[l].max) } else { 0.0 };
            }
        }
        plant_lists.resize_with(self.lines.len(), Vec::new);
        let this = &*self;
        let mut lines: Vec<LineYear> = this
            .lines
            .par_iter()
            .zip(plant_lists)
            .map(|(&line, plant_list)| {
                account(
                    &this.plants,
                    &this.catalog,
                    &this.tables,
                    line,
                    yi,
                    this.factor(line, yi),
                    &this.utilisation[line.index()],
                    this.record_plants.then_some(plant_list),
                )
            })
            .collect();
        for (ly, line) in lines.iter_mut().zip(&self.lines) {
            for r in 0..REGIONS {
                ly.totals[r].capex = spend.capex[line.index()][r];
                ly.totals[r].stranded = spend.stranded[line.index()][r];
            }
        }
        lines
    }
}

fn to_i32(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// The country with the most open capacity of the line in the region (ties: lower code).
fn largest_country(plants: &Plants, line: Line, r: usize) -> Option<CountryCode> {
    let mut by_country: BTreeMap<CountryCode, f64> = BTreeMap::new();
    for p in 0..plants.len() {
        if let Some(c) = plants.country[p]
            .filter(|_| plants.open[p] && plants.line[p] == line && plants.region[p].index() == r)
        {
            *by_country.entry(c).or_default() += plants.capacity[p];
        }
    }
    by_country
        .into_iter()
        .fold(None, |best: Option<(CountryCode, f64)>, (c, cap)| match best {
            Some((_, b)) if b >= cap => best,
            _ => Some((c, cap)),
        })
        .map(|(c, _)| c)
}

/// Books `extra` use against every pool of the plant's region and the world; refuses (and counts
/// the refusal) if any pool lacks room. Negative extra use frees room. A pool already over its
/// limit (the limit fell below what plants use) also refuses any option that does not cut the use
/// of a plant that draws on it (`current`, the plant's use now): staying is no longer free, so
/// users move off the resource at their investment points.
fn book(
    pools: &mut [LimitPool],
    extra: &[f64; 5],
    current: &[f64; 5],
    r: usize,
    limited_by: &mut BTreeSet<String>,
) -> bool {
    book_detailed(pools, extra, current, r, limited_by, &mut Vec::new())
}

/// [`book`], also listing the indices of the pools that refused in `refused_by`.
fn book_detailed(
    pools: &mut [LimitPool],
    extra: &[f64; 5],
    current: &[f64; 5],
    r: usize,
    limited_by: &mut BTreeSet<String>,
    refused_by: &mut Vec<usize>,
) -> bool {
    let applies = |pool: &LimitPool| pool.limit.region.is_none_or(|reg| reg.index() == r);
    let mut fits = true;
    for (j, pool) in pools.iter_mut().enumerate().filter(|(_, p)| applies(p)) {
        let k = pool.limit.resource.index();
        let need = extra[k];
        let over_and_not_cut = pool.remaining < -1e-9 && current[k] > 1e-9 && need > -1e-9;
        if (need > 1e-9 && need > pool.remaining) || over_and_not_cut {
            pool.refused += 1;
            limited_by.insert(format!(
                "{}@{}",
                pool.limit.resource,
                pool.limit.region.map_or("world", Region::as_str)
            ));
            refused_by.push(j);
            fits = false;
        }
    }
    if fits {
        for pool in pools.iter_mut().filter(|p| applies(p)) {
            pool.remaining -= extra[pool.limit.resource.index()];
        }
    }
    fits
}

/// Raises the shadow price of every pool that refused a plant's option to what one more unit
/// would have been worth to it: (cost of the option it took - cost of the option refused) x the
/// t of unit a year it makes, per unit of the resource the refused option asked for. Each
/// refusal is (refused option's cost, pools that refused it, extra use it asked for).
fn price_refusals(
    pools: &mut [LimitPool],
    refusals: &[(f64, &[usize], [f64; 5])],
    taken_cost: f64,
    scale: f64,
) {
    for &(refused_cost, refused_by, extra) in refusals {
        let penalty = (taken_cost - refused_cost).max(0.0) * scale;
        if !penalty.is_finite() {
            continue;
        }
        for &j in refused_by {
            let need = extra[pools[j].limit.resource.index()];
            if need > 1e-9 {
                pools[j].shadow_price = pools[j].shadow_price.max(penalty / need);
            }
        }
    }
}

/// A deciding plant between ranking and allocation.
struct Pending {
    p: usize,
    end_of_life: bool,
    /// The options as ranked by the scenario's rule.
    ranked: Vec<Ranked>,
    /// Indices into `ranked` in the order the plant tries them (the choice rule's pick first).
    order: Vec<usize>,
    /// t of technology unit a year the plant makes (capacity x utilisation x unit factor).
    scale: f64,
    /// Limited-resource use per t of unit of the plant's technology now.
    current_use: [f64; 5],
    /// The plant's current use as `book` weighs it ([`Sim::held_use`]).
    held: [f64; 5],
    /// Capex of keeping the technology when no option is left.
    keep_capex: f64,
}

impl Pending {
    /// Extra use a year of each limited resource if the plant moves to a technology using
    /// `use_t` per t of unit.
    fn extra(&self, use_t: &[f64; 5]) -> [f64; 5] {
        std::array::from_fn(|k| (use_t[k] - self.current_use[k]) * self.scale)
    }
}

/// A plant's claim in the merit-order queue: the greatest gain per share of the limits first,
/// ties by plant id.
#[derive(Debug, Clone)]
struct Claim {
    /// Minus the option's gain over the plant's best option that needs no extra resource (in the
    /// decision rule's measure, a year) per share of the limits it asks for; `-inf` for an option
    /// that needs no room at all, `MIN` for a plant with no such fallback.
    key: f64,
    /// The plant's place in id order among the pending ones (ties go by plant id).
    id_rank: usize,
    /// Index of the plant among the pending ones.
    index: usize,
    /// Position of the option in the plant's `order`.
    position: usize,
}

impl PartialEq for Claim {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Claim {}
impl PartialOrd for Claim {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Claim {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key
            .total_cmp(&other.key)
            .then(self.id_rank.cmp(&other.id_rank))
            .then(self.index.cmp(&other.index))
            .then(self.position.cmp(&other.position))
    }
}

/// An option a limit refused: which option, which pools, and the extra use it asked for.
#[derive(Debug, Clone)]
struct Refusal {
    position: usize,
    pools: Vec<usize>,
    extra: [f64; 5],
}

/// The generator stream of plant `p`'s choice draw in `year`: one stream per plant and year, so
/// that a draw never depends on which plants decided before it or on the thread count.
fn choice_stream(p: usize, year: i32) -> u64 {
    0xC401_CE00_0000_0000 ^ (u64::try_from(p).unwrap_or(0) << 16) ^ u64::from(year.unsigned_abs())
}

/// The generator stream of the `k`-th new plant of a line x region (`cell`) in `year`.
fn build_stream(cell: usize, k: usize, year: i32) -> u64 {
    0xB111_D000_0000_0000
        ^ (u64::try_from(cell).unwrap_or(0) << 40)
        ^ (u64::try_from(k).unwrap_or(0) << 16)
        ^ u64::from(year.unsigned_abs())
}

/// A uniform draw in [0, 1) from 53 random bits.
fn unit_draw(rng: &mut Xoshiro256PlusPlus) -> f64 {
    #[allow(clippy::cast_precision_loss)] // 53 bits are exact in an f64
    let value = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    value
}

/// The MPP rule: among options whose score lies within `band` (relative) of the best score,
/// each equally likely, the one `draw` (uniform in [0, 1)) picks. Options are in rank order, the
/// best first; `None` when there are none.
fn pick_within_band(ranked: &[Ranked], band: f64, draw: f64) -> Option<usize> {
    let best = ranked.first()?.score;
    let ceiling = best + band * best.abs();
    let within = ranked.iter().take_while(|o| o.score <= ceiling + 1e-12).count().max(1);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    let pick = ((draw * within as f64) as usize).min(within - 1);
    Some(pick)
}

/// The relative-cost logit: option i is picked with probability c_i^γ / Σ c_j^γ (GCAM's form,
/// share weights 1) over the options' levelised costs. Costs at or below zero are held at a
/// floor of 0.1 % of the largest cost, as GCAM caps costs at a minimum threshold. `None` when
/// there are no options.
fn pick_logit(ranked: &[Ranked], exponent: f64, draw: f64) -> Option<usize> {
    let probabilities = logit_shares(ranked.iter().map(|o| o.cost), exponent);
    let mut cumulative = 0.0;
    for (i, share) in probabilities.iter().enumerate() {
        cumulative += share;
        if draw < cumulative {
            return Some(i);
        }
    }
    probabilities.len().checked_sub(1)
}

/// Logit shares c_i^γ / Σ c_j^γ of the costs, with costs floored at 0.1 % of the largest.
fn logit_shares(costs: impl Iterator<Item = f64>, exponent: f64) -> Vec<f64> {
    let costs: Vec<f64> = costs.collect();
    let floor = 1e-3 * costs.iter().copied().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    // Relative to the cheapest, so that large exponents do not underflow.
    let cheapest = costs.iter().map(|c| c.max(floor)).fold(f64::INFINITY, f64::min);
    let weights: Vec<f64> = costs.iter().map(|c| (c.max(floor) / cheapest).powf(exponent)).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

/// What a capex buys, and so the years it is annualised over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Horizon {
    /// A new asset (greenfield, rebuild, a switch to another family): its lifetime.
    Life,
    /// One reinvestment cycle of an existing asset (renewal, an in-family retrofit).
    Cycle,
}

#[derive(Debug, Clone)]
struct Ranked {
    tech: usize,
    /// Levelised cost per tonne of the technology's unit.
    cost: f64,
    capex: f64,
    /// The value the scenario's decision rule ranks by (lower is better).
    score: f64,
}

struct Ctx<'a, 'w> {
    catalog: &'a Catalog<'w>,
    tables: &'a CostTables,
    rule: DecisionRule,
    cost_weight: f64,
}

impl Ctx<'_, '_> {
    /// Options ranked by the scenario's rule; ties by cost, then technology id.
    fn rank(
        &self,
        candidates: &[usize],
        capex_of: impl Fn(usize) -> (f64, Horizon),
        r: usize,
        yi: usize,
        u: f64,
    ) -> Vec<Ranked> {
        let mut scored: Vec<(f64, Ranked)> = candidates
            .iter()
            .map(|&t| {
                let k = self.tables.at(t, r, yi);
                let annuity = self.tables.annuity[t];
                let (capex, horizon) = capex_of(t);
                let capex_annuity = match horizon {
                    Horizon::Life => self.tables.annuity_life[t],
                    Horizon::Cycle => annuity,
                };
                let cost = capex / (u * capex_annuity) + self.tables.pv[k] / annuity;
                let emissions = self.tables.emissions[k];
                (emissions, Ranked { tech: t, cost, capex, score: 0.0 })
            })
            .collect();
        let (min_c, max_c) = min_max(scored.iter().map(|(_, o)| o.cost));
        let (min_e, max_e) = min_max(scored.iter().map(|(e, _)| *e));
        let norm = |v: f64, lo: f64, hi: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
        let score = |e: f64, o: &Ranked| match self.rule {
            DecisionRule::LowestCost => o.cost,
            DecisionRule::FastestAbatement => e,
            DecisionRule::Weighted => {
                self.cost_weight * norm(o.cost, min_c, max_c)
                    + (1.0 - self.cost_weight) * norm(e, min_e, max_e)
            }
        };
        let techs = self.catalog.techs;
        scored.sort_by(|(ea, a), (eb, b)| {
            // Emission means differ by rounding noise between otherwise equal routes; compare
            // scores at a resolution that keeps real differences.
            let (sa, sb) = (quantise(score(*ea, a)), quantise(score(*eb, b)));
            sa.total_cmp(&sb).then(a.cost.total_cmp(&b.cost)).then(techs[a.tech].id.cmp(&techs[b.tech].id))
        });
        scored
            .into_iter()
            .map(|(e, mut o)| {
                o.score = score(e, &o);
                o
            })
            .collect()
    }
}

fn quantise(value: f64) -> f64 {
    (value * 1e9).round() / 1e9
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// Alumina demand: the alumina the world's smelters need (their routes' alumina input x primary
/// aluminium demand), shared among regions by base-year refinery capacity.
fn derive_alumina_demand(plants: &Plants, catalog: &Catalog<'_>, demand: &mut [f64], years: usize) {
    let smelting = Line::AluminiumSmelting.index();
    let refining = Line::AluminaRefining.index();
    let (mut alumina, mut smelter_cap) = (0.0, 0.0);
    let mut refinery_cap = [0.0; REGIONS];
    for p in 0..plants.len() {
        match plants.line[p] {
            Line::AluminiumSmelting => {
                alumina += catalog.techs[plants.tech[p]].inputs[Commodity::Alumina] * plants.capacity[p];
                smelter_cap += plants.capacity[p];
            }
            Line::AluminaRefining => refinery_cap[plants.region[p].index()] += plants.capacity[p],
            _ => {}
        }
    }
    let per_tonne = if smelter_cap > 0.0 { alumina / smelter_cap } else { 0.0 };
    let total_refinery: f64 = refinery_cap.iter().sum();
    if total_refinery <= 0.0 {
        return;
    }
    for yi in 0..years {
        let world_aluminium: f64 = (0..REGIONS).map(|r| demand[(smelting * REGIONS + r) * years + yi]).sum();
        for r in 0..REGIONS {
            demand[(refining * REGIONS + r) * years + yi] =
                world_aluminium * per_tonne * refinery_cap[r] / total_refinery;
        }
    }
}

/// One year of one line: totals, technology mix and resource use per region.
#[allow(clippy::too_many_arguments)]
fn account(
    plants: &Plants,
    catalog: &Catalog<'_>,
    tables: &CostTables,
    line: Line,
    yi: usize,
    unit_factor: f64,
    utilisation: &[f64; REGIONS],
    plant_list: Option<Vec<(usize, PlantYear)>>,
) -> LineYear {
    let record_plants = plant_list.is_some();
    let mut out = LineYear {
        resources: vec![BTreeMap::new(); REGIONS],
        plants: plant_list.unwrap_or_default(),
        ..LineYear::default()
    };
    for p in 0..plants.len() {
        if !plants.open[p] || plants.line[p] != line {
            continue;
        }
        let r = plants.region[p].index();
        let t = plants.tech[p];
        let cap = plants.capacity[p];
        let q = cap * utilisation[r];
        if plants.grinding[p] {
            let tot = &mut out.totals[r];
            tot.production += q;
            tot.capacity += cap;
            let mix = out.grinding.entry(r).or_insert((0.0, 0.0));
            mix.0 += q;
            mix.1 += cap;
            if record_plants {
                out.plants.push((p, PlantYear { production: q, capacity: cap, ..PlantYear::default() }));
            }
            continue;
        }
        let tech = &catalog.techs[t];
        let units = q * unit_factor * plants.kiln_share(line, r);
        let k = tables.at(t, r, yi);
        let direct = units * tech.net_direct_co2().0;
        let captured = units * tech.captured_co2().0.max(0.0);
        let indirect = units * tables.indirect[k];
        let tot = &mut out.totals[r];
        tot.production += q;
        tot.capacity += cap;
        tot.direct += direct;
        tot.captured += captured;
        tot.indirect += indirect;
        if record_plants {
            out.plants.push((p, PlantYear { production: q, capacity: cap, direct, captured, indirect }));
        }
        tot.opex += units * tables.opex[k];
        tot.carbon += units * tables.carbon[k];
        let mix = out.mix.entry((r, t)).or_insert((0.0, 0.0));
        mix.0 += q;
        mix.1 += cap;
        for (resource, per_unit) in resource_use(tech) {
            if per_unit > 0.0 {
                *out.resources[r].entry(resource).or_default() += units * per_unit;
            }
        }
    }
    out
}

fn collect_rows(
    outcome: &mut Outcome,
    year_lines: &[Vec<LineYear>],
    lines: &[Line],
    catalog: &Catalog<'_>,
    base: i32,
) {
    let sectors = outcome.sectors.clone();
    // Resources each sector ever uses, so every year lists the same rows.
    let mut used: BTreeMap<Sector, BTreeSet<Resource>> = BTreeMap::new();
    for lys in year_lines {
        for (ly, line) in lys.iter().zip(lines) {
            let set = used.entry(line.sector()).or_default();
            for per_region in &ly.resources {
                set.extend(per_region.keys().copied());
            }
        }
    }
    for (yi, lys) in year_lines.iter().enumerate() {
        let year = base + to_i32(yi);
        for &sector in &sectors {
            let parts: Vec<(&LineYear, Line)> =
                lys.iter().zip(lines).filter(|(_, l)| l.sector() == sector).map(|(ly, l)| (ly, *l)).collect();
            let regions: Vec<Option<Region>> =
                Region::ALL.iter().map(|&r| Some(r)).chain(std::iter::once(None)).collect();
            for &region in &regions {
                let in_region = |r: usize| region.is_none_or(|reg| reg.index() == r);
                let mut row = Totals::default();
                for (ly, line) in &parts {
                    for (r, t) in ly.totals.iter().enumerate().filter(|(r, _)| in_region(*r)) {
                        let _ = r;
                        if line.is_main() {
                            row.production += t.production;
                            row.capacity += t.capacity;
                        }
                        row.direct += t.direct;
                        row.captured += t.captured;
                        row.indirect += t.indirect;
                        row.capex += t.capex;
                        row.opex += t.opex;
                        row.carbon += t.carbon;
                        if line.is_main() {
                            row.stranded += t.stranded;
                        }
                    }
                }
                outcome.summary.push(SummaryRow {
                    year,
                    sector,
                    region,
                    production: Tonnes(row.production),
                    capacity: TonnesPerYear(row.capacity),
                    direct_emissions: TonnesCo2(row.direct),
                    captured: TonnesCo2(row.captured),
                    indirect_emissions: TonnesCo2(row.indirect),
                    capex: Usd(row.capex),
                    opex: Usd(row.opex),
                    carbon_cost: Usd(row.carbon),
                    stranded_capacity: TonnesPerYear(row.stranded),
                });
                let grinding_id = TechId(GRINDING_ID.to_owned());
                let mut mix: BTreeMap<&TechId, (f64, f64)> = BTreeMap::new();
                for (ly, _) in &parts {
                    for (&(r, t), &(q, cap)) in &ly.mix {
                        if in_region(r) {
                            let e = mix.entry(&catalog.techs[t].id).or_insert((0.0, 0.0));
                            e.0 += q;
                            e.1 += cap;
                        }
                    }
                    for (&r, &(q, cap)) in &ly.grinding {
                        if in_region(r) {
                            let e = mix.entry(&grinding_id).or_insert((0.0, 0.0));
                            e.0 += q;
                            e.1 += cap;
                        }
                    }
                }
                for (id, (q, cap)) in mix {
                    outcome.technology_mix.push(MixRow {
                        year,
                        sector,
                        region,
                        technology: id.clone(),
                        production: Tonnes(q),
                        capacity: TonnesPerYear(cap),
                    });
                }
                if let Some(set) = used.get(&sector) {
                    for &resource in set {
                        let quantity: f64 = parts
                            .iter()
                            .flat_map(|(ly, _)| ly.resources.iter().enumerate())
                            .filter(|(r, _)| in_region(*r))
                            .filter_map(|(_, m)| m.get(&resource))
                            .sum();
                        outcome.resources.push(ResourceRow { year, sector, region, resource, quantity });
                    }
                }
            }
        }
    }
}

/// A plant of the input fleet the run keeps, with its product line and start rule.
struct Kept<'a> {
    plant: &'a decarb_model::Plant,
    line: Line,
    region: Region,
    capacity: f64,
    /// Index of its start rule; `usize::MAX` for a grinding station.
    rule: usize,
    /// First year of production after the base year, for plants under construction.
    commission: Option<i32>,
    /// Index in `World::fleet.plants`.
    fleet_index: usize,
}

/// Builds the struct-of-arrays fleet: operating plants of the scenario's sectors with a known
/// capacity and country, their base-year technology, and their first investment point.
fn build_fleet(
    world: &World,
    scenario: &Scenario,
    catalog: &Catalog<'_>,
    seed: u64,
) -> Result<(Plants, Vec<Skipped>), EngineError> {
    let base = scenario.base_year;
    let mut skipped: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let mut kept = Vec::new();
    for (fleet_index, plant) in world.fleet.plants.iter().enumerate() {
        if !scenario.sectors.contains(&plant.sector) {
            continue;
        }
        // Plants under construction join in their start year when it falls in the horizon;
        // announced, mothballed and closed plants are not part of the run.
        let commission = match plant.status {
            status if status.is_operating() => None,
            PlantStatus::Construction => match plant.start.map(|d| d.year) {
                Some(year) if year > base && year <= scenario.end_year => Some(year),
                _ => {
                    let capacity = plant.capacity.value().map_or(0.0, |c| c.0);
                    let entry = skipped
                        .entry(format!(
                            "{}: under construction, start year unknown or not after {base}",
                            plant.sector
                        ))
                        .or_insert((0, 0.0));
                    entry.0 += 1;
                    entry.1 += capacity;
                    continue;
                }
            },
            _ => continue,
        };
        match keep(world, plant, fleet_index)? {
            Ok(k) => kept.push(Kept { commission, ..k }),
            Err((reason, capacity)) => {
                let entry = skipped.entry(reason).or_insert((0, 0.0));
                entry.0 += 1;
                entry.1 += capacity;
            }
        }
    }

    let tech_of = start_technologies(world, catalog, &kept)?;

    let mut plants = Plants {
        id: Vec::new(),
        line: Vec::new(),
        region: Vec::new(),
        country: Vec::new(),
        capacity: Vec::new(),
        tech: Vec::new(),
        life_start: Vec::new(),
        life: Vec::new(),
        next_investment: Vec::new(),
        open: Vec::new(),
        grinding: Vec::new(),
        open_capacity: [[0.0; REGIONS]; Line::COUNT],
        open_grinding: [0.0; REGIONS],
        commission: Vec::new(),
        fleet_index: Vec::new(),
    };
    let jitter = i32::try_from(scenario.investment_jitter_years).unwrap_or(0);
    let last_point = (scenario.end_year - 1).max(base + 1);
    let draws = investment_draws(&kept, &tech_of, catalog, seed, base, jitter);
    for (i, k) in kept.iter().enumerate() {
        let t = tech_of[i];
        // A grinding station has no technology and never invests; a plant under construction
        // opens in its start year; a plant of the fleet as it stands has its first point drawn.
        let (life_start, next, life) = if t == GRINDING {
            (k.commission.unwrap_or_else(|| k.plant.start.map_or(base, |d| d.year.min(base))), i32::MAX, None)
        } else if let Some(year) = k.commission {
            (year, (year + catalog.cycle[t]).min(last_point).max(year + 1), catalog.lifetime[t])
        } else {
            let (life_start, next) =
                first_investment(k.plant, catalog.cycle[t], draws[i], base, jitter, last_point);
            (life_start, next, catalog.lifetime[t])
        };
        plants.push(
            k.plant.id.clone(),
            k.line,
            k.region,
            k.plant.country,
            k.capacity,
            t,
            life_start,
            next,
            life,
        );
        plants.fleet_index.push(k.fleet_index);
        if k.commission.is_some() {
            let p = plants.len() - 1;
            plants.close(p);
        }
    }
    let skipped = skipped
        .into_iter()
        .map(|(reason, (count, capacity))| Skipped {
            reason,
            plants: count,
            capacity: TonnesPerYear(capacity),
        })
        .collect();
    Ok((plants, skipped))
}

/// Base-year technology of each kept plant: within each (start rule, region) group, plants in id
/// order take the rule's technologies in proportion to capacity (each plant the technology whose
/// cumulative share band holds the middle of its capacity).
fn start_technologies(
    world: &World,
    catalog: &Catalog<'_>,
    kept: &[Kept<'_>],
) -> Result<Vec<usize>, EngineError> {
    let mut tech_of = vec![0usize; kept.len()];
    let mut groups: BTreeMap<(usize, Region), Vec<usize>> = BTreeMap::new();
    for (i, k) in kept.iter().enumerate() {
        if k.rule == usize::MAX {
            tech_of[i] = GRINDING;
        } else {
            groups.entry((k.rule, k.region)).or_default().push(i);
        }
    }
    for ((rule, _), mut members) in groups {
        let rule = &world.start_rules[rule];
        members.sort_by(|&a, &b| kept[a].plant.id.cmp(&kept[b].plant.id).then(a.cmp(&b)));
        let total: f64 = members.iter().map(|&i| kept[i].capacity).sum();
        let share_total: f64 = rule.mix.iter().map(|(_, s)| s.max(0.0)).sum();
        let mut resolved = Vec::with_capacity(rule.mix.len());
        for (id, share) in &rule.mix {
            let &t = catalog.index.get(id.as_str()).ok_or_else(|| EngineError::UnknownTechnology {
                id: id.to_string(),
                context: format!("the start rule for route {}", rule.route),
            })?;
            resolved.push((t, share.max(0.0) / share_total.max(f64::MIN_POSITIVE)));
        }
        let mut before = 0.0;
        for i in members {
            let midpoint = (before + kept[i].capacity / 2.0) / total;
            before += kept[i].capacity;
            let mut cumulative = 0.0;
            let mut chosen = resolved.last().map_or(0, |(t, _)| *t);
            for &(t, share) in &resolved {
                cumulative += share;
                if midpoint < cumulative {
                    chosen = t;
                    break;
                }
            }
            tech_of[i] = chosen;
        }
    }

    Ok(tech_of)
}

/// A plant the run keeps, or why it leaves it out (with its capacity where reported).
fn keep<'a>(
    world: &World,
    plant: &'a decarb_model::Plant,
    fleet_index: usize,
) -> Result<Result<Kept<'a>, (String, f64)>, EngineError> {
    let capacity = plant.capacity.value().map_or(0.0, |c| c.0);
    let line = match Line::of_route(plant.route) {
        Ok(line) if line.sector() == plant.sector => line,
        Err(_) if plant.route == Route::CementGrinding && plant.sector == Sector::Cement => Line::Cement,
        Ok(_) => {
            return Ok(Err((
                format!("{}: route {} does not belong to the sector", plant.sector, plant.route),
                capacity,
            )));
        }
        Err(reason) => return Ok(Err((format!("{}: {reason}", plant.sector), capacity))),
    };
    if !(capacity > 0.0 && capacity.is_finite()) {
        return Ok(Err((format!("{}: capacity not reported", plant.sector), 0.0)));
    }
    let Some(country) = plant.country else {
        return Ok(Err((format!("{}: country unknown", plant.sector), capacity)));
    };
    let region = country.region();
    if plant.route == Route::CementGrinding {
        return Ok(Ok(Kept {
            plant,
            line,
            region,
            capacity,
            rule: usize::MAX,
            commission: None,
            fleet_index,
        }));
    }
    let rule = crate::start::rule_index(&world.start_rules, plant.route, country, plant.process.as_deref())
        .ok_or_else(|| EngineError::NoStartRule {
        route: plant.route.to_string(),
        region: region.to_string(),
        plant: plant.id.clone(),
    })?;
    Ok(Ok(Kept { plant, line, region, capacity, rule, commission: None, fleet_index }))
}

/// A plant's seeded draws for its first investment point.
#[derive(Debug, Clone, Copy, Default)]
struct InvestmentDraw {
    /// Years before the base year's cycle start its last investment is placed when the fleet
    /// gives no start or investment year: 0..cycle.
    unknown_anchor: i32,
    /// The investment jitter: -jitter..=jitter.
    jitter: i32,
}

/// Seeded, capacity-stratified draws of unknown investment years and jitter. Drawing each plant's
/// year on its own lets the capacity reaching an investment point before a given year swing with
/// the seed (one 10 Mt blast furnace more or less before 2030 is 20 Mt CO2), which made the seed
/// move 2030 world emissions more than any input did (issue 13). Instead, within each product
/// region x technology the seed shuffles the plants, and walking
/// that order the plants take the slots in proportion to their capacity (Latin-hypercube style):
/// each plant still has every slot with equal chance, but each slot holds about the same share of
/// the group's capacity whatever the seed.
fn investment_draws(
    kept: &[Kept<'_>],
    tech_of: &[usize],
    catalog: &Catalog<'_>,
    seed: u64,
    base: i32,
    jitter: i32,
) -> Vec<InvestmentDraw> {
    let mut draws = vec![InvestmentDraw::default(); kept.len()];
    // (region, technology) -> (shuffle key, capacity, plant) of plants without a known year, and
    // the same for every plant that draws jitter. A technology fixes the line, the cycle and
    // the emissions at stake, so each group's capacity reaches its investment points evenly.
    let mut unknown: BTreeMap<(usize, usize), Vec<Shuffled>> = BTreeMap::new();
    let mut jittered: BTreeMap<(usize, usize), Vec<Shuffled>> = BTreeMap::new();
    for (i, k) in kept.iter().enumerate() {
        let t = tech_of[i];
        if t == GRINDING || k.commission.is_some() {
            continue;
        }
        let mut rng = rng_for(seed, u64::try_from(i).unwrap_or(0));
        let (anchor_key, jitter_key) = (rng.next_u64(), rng.next_u64());
        let cell = (k.region.index(), t);
        let known = k.plant.last_investment.map(|d| d.year).or(k.plant.start.map(|d| d.year));
        if known.is_none_or(|y| y > base) {
            unknown.entry(cell).or_default().push((anchor_key, k.capacity, i));
        }
        if jitter > 0 {
            jittered.entry(cell).or_default().push((jitter_key, k.capacity, i));
        }
    }
    for ((_, t), members) in unknown {
        for (i, slot) in stratified(members, catalog.cycle[t]) {
            draws[i].unknown_anchor = slot;
        }
    }
    for (_, members) in jittered {
        for (i, slot) in stratified(members, 2 * jitter + 1) {
            draws[i].jitter = slot - jitter;
        }
    }
    draws
}

/// A plant in a stratified draw: (seeded shuffle key, capacity, plant index).
type Shuffled = (u64, f64, usize);

/// Slots 0..n for a group of (shuffle key, capacity, plant): in key order, each plant takes the
/// slot its capacity's midpoint falls in when the group's capacity is laid out over n equal bands.
fn stratified(mut members: Vec<Shuffled>, n: i32) -> Vec<(usize, i32)> {
    members.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
    let total: f64 = members.iter().map(|m| m.1).sum();
    let mut before = 0.0;
    members
        .into_iter()
        .map(|(_, capacity, i)| {
            let midpoint = if total > 0.0 { (before + capacity / 2.0) / total } else { 0.0 };
            before += capacity;
            #[allow(clippy::cast_possible_truncation)] // midpoint in [0, 1), n small
            let slot = ((midpoint * f64::from(n)).floor() as i32).clamp(0, n.max(1) - 1);
            (i, slot)
        })
        .collect()
}

/// A plant's start of life and first investment point: every `cycle` years from its last main
/// investment or start year (unknown: a seeded year within the last cycle), the first after the
/// base year, moved by the seeded jitter, and pulled to `last_point` at the latest.
fn first_investment(
    plant: &decarb_model::Plant,
    cycle: i32,
    draw: InvestmentDraw,
    base: i32,
    jitter: i32,
    last_point: i32,
) -> (i32, i32) {
    let start = plant.start.map(|d| d.year);
    let anchor = plant
        .last_investment
        .map(|d| d.year)
        .or(start)
        .filter(|&y| y <= base)
        .unwrap_or(base - 1 - draw.unknown_anchor.clamp(0, (cycle - 1).max(0)));
    let mut next = crate::start::next_investment_point(anchor, cycle, base);
    if jitter > 0 {
        next += draw.jitter;
    }
    let life_start = start.filter(|&y| y <= base).unwrap_or(anchor);
    (life_start, next.clamp(base + 1, last_point))
}

#[cfg(test)]
mod choice_tests {
    use super::*;

    fn option(cost: f64) -> Ranked {
        Ranked { tech: 0, cost, capex: 0.0, score: cost }
    }

    #[test]
    fn logit_shares_follow_the_relative_cost_logit() {
        let shares = logit_shares([100.0, 110.0].into_iter(), -6.0);
        let expected = 1.0 / (1.0 + 1.1_f64.powf(-6.0));
        assert!((shares[0] - expected).abs() < 1e-12, "{shares:?}");
        assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Costs at or below zero are held at a floor, never a division by zero.
        let shares = logit_shares([0.0, -5.0, 100.0].into_iter(), -6.0);
        assert!(shares.iter().all(|s| s.is_finite() && *s >= 0.0), "{shares:?}");
    }

    #[test]
    fn the_mpp_band_holds_the_options_within_ten_percent_of_the_best() {
        let ranked = [option(100.0), option(105.0), option(109.9), option(111.0)];
        let picks: BTreeSet<usize> =
            (0..100).map(|i| pick_within_band(&ranked, 0.10, f64::from(i) / 100.0).unwrap()).collect();
        assert_eq!(picks, [0, 1, 2].into());
        assert_eq!(pick_within_band(&[], 0.10, 0.5), None);
    }

    #[test]
    fn stratified_slots_spread_capacity_evenly() {
        // Ten equal plants over five slots: two in each, whatever the shuffle.
        let members: Vec<Shuffled> = (0..10_usize).map(|i| ((i as u64) * 7919 % 13, 1.0, i)).collect();
        let mut per_slot = [0; 5];
        for (_, slot) in stratified(members, 5) {
            per_slot[usize::try_from(slot).unwrap()] += 1;
        }
        assert_eq!(per_slot, [2; 5]);
    }
}
