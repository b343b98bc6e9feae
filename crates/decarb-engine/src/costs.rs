//! The technology catalogue of a run and its cost tables, computed once per scenario.
//!
//! For every technology t, region r and year y the tables hold, per tonne of the technology's
//! unit (t crude steel, t clinker, t aluminium, t alumina, t NH3):
//!
//! - `opex`: inputs x regional prices (electricity at the price of the route's supply) + fixed
//!   opex + captured CO2 x transport-and-storage cost + the price set's technology cost for the
//!   route and region, if any;
//! - `charged`: emissions the carbon price is charged on (scope 1 after capture, plus scope 2 =
//!   purchased grid electricity x grid factor when the scenario charges it);
//! - `carbon`: `charged` x the carbon price;
//! - `pv`: present value of `opex + carbon` over the decision window (the technology's
//!   reinvestment cycle, years after the horizon held at its last year), at the technology's own
//!   discount rate (its table's, unless the scenario overrides every rate); `annuity` the present
//!   value of 1 per year over the same window;
//! - `annuity_life`: the present value of 1 per year over the technology's asset life;
//! - `emissions`: the mean of `charged` over the window (what "fastest abatement" ranks by);
//!   negative where a route removes more CO2 than it emits (BECCUS), never floored.
//!
//! The plant loop then prices an option as `capex / (u x A) + pv / annuity`: levelised cost per
//! tonne at the planning utilisation u, where A is `annuity_life` for capex that buys a new asset
//! (greenfield, rebuild, a switch to another route family) and `annuity` (the reinvestment
//! cycle) for capex that buys one cycle of an existing asset (renewal, an in-family retrofit).
//! Annualising an asset's capex over its life charges each decision only for the years it uses:
//! the value left after the decision window (the residual value) is not charged to it.

use crate::error::EngineError;
use crate::inputs::{PriceSet, Series, StartRule, World};
use crate::outcome::Resource;
use crate::scenario::{LimitedResource, Scenario, Scope};
use crate::settings::Line;
use decarb_model::units::HYDROGEN_GJ_PER_KG;
use decarb_model::{Commodity, ElectricitySupply, Phase, Region, Technology};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const REGIONS: usize = Region::ALL.len();
/// GJ of hydrogen (LHV) per tonne.
const HYDROGEN_GJ_PER_T: f64 = HYDROGEN_GJ_PER_KG * 1000.0;

/// The technologies a run may use, resolved to indices.
pub(crate) struct Catalog<'w> {
    pub techs: &'w [Technology],
    pub index: BTreeMap<&'w str, usize>,
    pub switches: Vec<Vec<usize>>,
    pub line: Vec<Option<Line>>,
    /// Technologies of each line, in id order.
    pub line_techs: [Vec<usize>; Line::COUNT],
    /// The source gives inputs and greenfield capex: the technology can be priced as a target.
    pub priceable: Vec<bool>,
    pub excluded: Vec<bool>,
    pub cycle: Vec<i32>,
    /// End of life in years; `None` where the source gives none.
    pub lifetime: Vec<Option<i32>>,
    /// Limited-resource use per tonne of unit, in [`LimitedResource`] order.
    pub limited_use: Vec<[f64; 5]>,
    pub moratorium_year: Option<i32>,
    /// Switch-capex family of each technology: its own `switch_family`, else
    /// [`crate::start::route_family`] of its id.
    pub family: Vec<&'w str>,
    /// The technology belongs to a product line of a sector the scenario simulates (only those
    /// get cost tables).
    pub active: Vec<bool>,
}

impl<'w> Catalog<'w> {
    pub fn new(world: &'w World, scenario: &Scenario) -> Result<Catalog<'w>, EngineError> {
        let techs = world.technologies.as_slice();
        let mut index = BTreeMap::new();
        for (i, t) in techs.iter().enumerate() {
            index.insert(t.id.as_str(), i);
        }
        let mut switches = Vec::with_capacity(techs.len());
        for t in techs {
            let mut targets = Vec::with_capacity(t.switches_to.len());
            for target in &t.switches_to {
                let &j = index.get(target.as_str()).ok_or_else(|| EngineError::UnknownTechnology {
                    id: target.to_string(),
                    context: format!("the switch list of {}", t.id),
                })?;
                targets.push(j);
            }
            switches.push(targets);
        }
        let line = assign_lines(techs, &index, &switches, &world.start_rules)?;
        let mut line_techs: [Vec<usize>; Line::COUNT] = Default::default();
        for (i, l) in line.iter().enumerate() {
            if let Some(l) = l {
                line_techs[l.index()].push(i);
            }
        }
        for list in &mut line_techs {
            list.sort_by(|&a, &b| techs[a].id.cmp(&techs[b].id));
        }
        let priceable = techs
            .iter()
            .map(|t| !t.missing.iter().any(|m| m == "inputs" || m == "capex_greenfield"))
            .collect();
        let excluded = techs
            .iter()
            .map(|t| scenario.excluded_technologies.iter().any(|id| id == t.id.as_str()))
            .collect();
        let mut cycle = Vec::with_capacity(techs.len());
        let mut lifetime = Vec::with_capacity(techs.len());
        for t in techs {
            let years = t.reinvestment_cycle.0.round();
            if !(1.0..=100.0).contains(&years) {
                return Err(EngineError::BadTechnology {
                    id: t.id.to_string(),
                    message: format!(
                        "reinvestment cycle {} years, expected 1 to 100",
                        t.reinvestment_cycle.0
                    ),
                });
            }
            cycle.push(whole_years(years));
            let life_years = t.lifetime.0.round();
            lifetime.push((1.0..=200.0).contains(&life_years).then(|| whole_years(life_years)));
        }
        let limited_use = techs.iter().map(limited_use).collect();
        Ok(Catalog {
            techs,
            index,
            switches,
            line_techs,
            priceable,
            excluded,
            cycle,
            lifetime,
            limited_use,
            moratorium_year: scenario.moratorium_year,
            family: techs
                .iter()
                .map(|t| {
                    t.switch_family.as_deref().unwrap_or_else(|| crate::start::route_family(t.id.as_str()))
                })
                .collect(),
            active: line.iter().map(|l| l.is_some_and(|l| scenario.sectors.contains(&l.sector()))).collect(),
            line,
        })
    }

    pub fn len(&self) -> usize {
        self.techs.len()
    }

    /// Whether a plant may choose technology `t` in `year` (as its next technology, new or kept).
    pub fn may_choose(&self, t: usize, year: i32) -> bool {
        let tech = &self.techs[t];
        let banned_by_moratorium = self
            .moratorium_year
            .is_some_and(|from| year >= from && matches!(tech.phase, Phase::Initial | Phase::Transition));
        tech.is_available(year) && !self.excluded[t] && self.priceable[t] && !banned_by_moratorium
    }

    /// Whether the moratorium is the only thing that keeps technology `t` from being chosen in
    /// `year`: available, not excluded, priced, but an initial or transition technology.
    pub fn banned_only_by_moratorium(&self, t: usize, year: i32) -> bool {
        let tech = &self.techs[t];
        self.moratorium_year.is_some_and(|from| year >= from)
            && matches!(tech.phase, Phase::Initial | Phase::Transition)
            && tech.is_available(year)
            && !self.excluded[t]
            && self.priceable[t]
    }
}

fn whole_years(value: f64) -> i32 {
    // Callers have checked the range, so the conversion is exact.
    #[allow(clippy::cast_possible_truncation)]
    let years = value as i32;
    years
}

/// Use of each limited resource per tonne of the technology's unit.
fn limited_use(t: &Technology) -> [f64; 5] {
    let mut out = [0.0; 5];
    out[LimitedResource::Hydrogen.index()] = t.inputs[Commodity::Hydrogen].max(0.0) / HYDROGEN_GJ_PER_T;
    out[LimitedResource::Co2Storage.index()] = t.captured_co2().0.max(0.0);
    out[LimitedResource::Scrap.index()] = t.inputs[Commodity::Scrap].max(0.0);
    out[LimitedResource::Biomass.index()] = t.inputs[Commodity::Biomass].max(0.0);
    out[LimitedResource::CleanElectricity.index()] = clean_electricity(t);
    out
}

/// Contracted clean electricity a route buys (PPA, dedicated on-site renewables; existing hydro is
/// the site's own and not drawn from the pool): what a clean-power limit constrains. Grid power
/// is not counted: its emissions are the power path's.
pub(crate) fn clean_electricity(t: &Technology) -> f64 {
    if matches!(t.electricity_supply, ElectricitySupply::Ppa | ElectricitySupply::OnsiteVre) {
        t.inputs[Commodity::Electricity].max(0.0)
    } else {
        0.0
    }
}

/// Resources a technology uses per tonne of unit, in a fixed order, base units.
pub(crate) fn resource_use(t: &Technology) -> Vec<(Resource, f64)> {
    let mut out: Vec<(Resource, f64)> =
        Commodity::ALL.iter().map(|&c| (Resource::Commodity(c), t.inputs[c].max(0.0))).collect();
    out.push((Resource::HydrogenMass, t.inputs[Commodity::Hydrogen].max(0.0) / HYDROGEN_GJ_PER_T));
    out.push((Resource::Co2Stored, t.captured_co2().0.max(0.0)));
    out.push((Resource::CleanElectricity, clean_electricity(t)));
    out
}

/// Lines of the technologies: the start technologies of each line's routes and everything they
/// may switch to, transitively.
fn assign_lines(
    techs: &[Technology],
    index: &BTreeMap<&str, usize>,
    switches: &[Vec<usize>],
    rules: &[StartRule],
) -> Result<Vec<Option<Line>>, EngineError> {
    let mut line: Vec<Option<Line>> = vec![None; techs.len()];
    for rule in rules {
        let Ok(rule_line) = Line::of_route(rule.route) else { continue };
        let mut stack = Vec::new();
        for (id, _) in &rule.mix {
            let &i = index.get(id.as_str()).ok_or_else(|| EngineError::UnknownTechnology {
                id: id.to_string(),
                context: format!("the start rule for route {}", rule.route),
            })?;
            stack.push(i);
        }
        while let Some(i) = stack.pop() {
            match line[i] {
                Some(existing) if existing == rule_line => {}
                Some(existing) => {
                    return Err(EngineError::BadTechnology {
                        id: techs[i].id.to_string(),
                        message: format!(
                            "reachable from both the {existing} and the {rule_line} product lines"
                        ),
                    });
                }
                None => {
                    line[i] = Some(rule_line);
                    stack.extend(switches[i].iter().copied());
                }
            }
        }
    }
    Ok(line)
}

/// Dense per technology x region x year tables.
pub(crate) struct CostTables {
    pub years: usize,
    pub opex: Vec<f64>,
    pub carbon: Vec<f64>,
    pub pv: Vec<f64>,
    pub emissions: Vec<f64>,
    /// Indirect emissions per tonne of unit (grid electricity x grid factor), charged or not.
    pub indirect: Vec<f64>,
    pub annuity: Vec<f64>,
    /// Present value of 1 per year over each technology's asset life (its cycle where the source
    /// gives no life).
    pub annuity_life: Vec<f64>,
    /// Greenfield capex per tonne of unit per year, `[t][y]`.
    pub greenfield: Vec<f64>,
    pub warnings: Vec<String>,
}

impl CostTables {
    #[inline]
    pub fn at(&self, t: usize, region: usize, year_index: usize) -> usize {
        (t * REGIONS + region) * self.years + year_index
    }

    pub fn greenfield(&self, t: usize, year_index: usize) -> f64 {
        self.greenfield[t * self.years + year_index]
    }

    /// Builds every table, one technology per task (rows come back in technology order, so the
    /// result does not depend on the number of threads).
    pub fn build(
        world: &World,
        scenario: &Scenario,
        catalog: &Catalog<'_>,
    ) -> Result<CostTables, EngineError> {
        let prices = world.price_set(&scenario.price_set).ok_or_else(|| EngineError::Scenario {
            key: "price_set".to_owned(),
            message: format!("unknown price set {:?}", scenario.price_set),
        })?;
        let (regional, mut warnings) = Regional::new(world, scenario, prices)?;
        let years = regional.years;
        let blocks: Vec<Block> =
            (0..catalog.len()).into_par_iter().map(|t| Block::new(catalog, t, prices, &regional)).collect();
        let cells = blocks.len() * REGIONS * years;
        let mut tables = CostTables {
            years,
            opex: Vec::with_capacity(cells),
            carbon: Vec::with_capacity(cells),
            pv: Vec::with_capacity(cells),
            emissions: Vec::with_capacity(cells),
            indirect: Vec::with_capacity(cells),
            annuity: Vec::with_capacity(blocks.len()),
            annuity_life: Vec::with_capacity(blocks.len()),
            greenfield: Vec::with_capacity(blocks.len() * years),
            warnings: Vec::new(),
        };
        let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for block in blocks {
            tables.opex.extend(block.opex);
            tables.carbon.extend(block.carbon);
            tables.pv.extend(block.pv);
            tables.emissions.extend(block.emissions);
            tables.indirect.extend(block.indirect);
            tables.annuity.push(block.annuity);
            tables.annuity_life.push(block.annuity_life);
            tables.greenfield.extend(block.greenfield);
            for (item, tech) in block.missing {
                missing.entry(item).or_default().insert(tech);
            }
        }
        for (item, techs) in missing {
            warnings.insert(format!(
                "price set {:?} has no {item} price: counted at 0 in the cost of {}",
                prices.name,
                techs.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        tables.warnings = warnings.into_iter().collect();
        Ok(tables)
    }
}

/// Per region x year values every technology shares: carbon price, grid factor, CO2 transport
/// and storage cost; and the scenario's charging and discounting rules.
struct Regional {
    base_year: i32,
    years: usize,
    carbon_price: Vec<f64>,
    grid: Vec<f64>,
    transport_storage: Vec<f64>,
    scope1: bool,
    scope2: bool,
    /// The scenario's discount rate for every technology, if it sets one.
    discount_override: Option<f64>,
    /// New-asset capex over the reinvestment cycle instead of the life (MPP replication).
    capex_over_cycle: bool,
}

impl Regional {
    fn new(
        world: &World,
        scenario: &Scenario,
        prices: &PriceSet,
    ) -> Result<(Regional, BTreeSet<String>), EngineError> {
        let base_year = scenario.base_year;
        let years = usize::try_from(scenario.end_year - base_year + 1).unwrap_or(1);
        let carbon_path =
            world.carbon_path(&scenario.carbon_price.path).ok_or_else(|| EngineError::Scenario {
                key: "carbon_price.path".to_owned(),
                message: format!("unknown carbon price path {:?}", scenario.carbon_price.path),
            })?;
        let mut out = Regional {
            base_year,
            years,
            carbon_price: vec![0.0; REGIONS * years],
            grid: vec![0.0; REGIONS * years],
            transport_storage: vec![0.0; REGIONS * years],
            scope1: scenario.carbon_price.scopes.contains(&Scope::Scope1),
            scope2: scenario.carbon_price.scopes.contains(&Scope::Scope2),
            discount_override: scenario.discount_rate,
            capex_over_cycle: scenario.capex_horizon == crate::scenario::CapexHorizon::Cycle,
        };
        let mut warnings = BTreeSet::new();
        let power_path = match &scenario.power_path {
            Some(name) => world.power_path(name).ok_or_else(|| EngineError::Scenario {
                key: "power_path".to_owned(),
                message: format!("unknown power path {name:?}"),
            })?,
            None => &world.grid_factors,
        };
        for region in Region::ALL {
            let r = region.index();
            let path = carbon_path.by_region.get(&region).ok_or_else(|| EngineError::MissingCarbonPrice {
                path: carbon_path.name.clone(),
                region: region.to_string(),
            })?;
            let grid_series = power_path.by_region.get(&region);
            if grid_series.is_none() {
                warnings.insert(format!(
                    "no grid emission factor for {region}: indirect emissions there counted at 0"
                ));
            }
            let ts = prices.co2_transport_storage.get(&region);
            for yi in 0..years {
                let year = out.year_of(yi);
                out.carbon_price[r * years + yi] = path.at(year) * scenario.carbon_price.scale;
                out.grid[r * years + yi] = grid_series.map_or(0.0, |s| s.at(year));
                out.transport_storage[r * years + yi] = ts.map_or(0.0, |s| s.at(year));
            }
        }
        Ok((out, warnings))
    }

    fn year_of(&self, yi: usize) -> i32 {
        self.base_year + i32::try_from(yi).unwrap_or(0)
    }
}

/// One technology's rows of every table.
struct Block {
    opex: Vec<f64>,
    carbon: Vec<f64>,
    pv: Vec<f64>,
    emissions: Vec<f64>,
    indirect: Vec<f64>,
    annuity: f64,
    annuity_life: f64,
    greenfield: Vec<f64>,
    /// (priced item, technology) pairs the price set has no price for.
    missing: Vec<(String, String)>,
}

impl Block {
    fn new(catalog: &Catalog<'_>, t: usize, prices: &PriceSet, regional: &Regional) -> Block {
        let years = regional.years;
        let tech = &catalog.techs[t];
        let mut block = Block {
            opex: vec![0.0; REGIONS * years],
            carbon: vec![0.0; REGIONS * years],
            pv: vec![0.0; REGIONS * years],
            emissions: vec![0.0; REGIONS * years],
            indirect: vec![0.0; REGIONS * years],
            annuity: 0.0,
            annuity_life: 0.0,
            greenfield: (0..years).map(|yi| tech.capex_greenfield_in(regional.year_of(yi)).0).collect(),
            missing: Vec::new(),
        };
        if !catalog.active[t] {
            return block;
        }
        let empty = Series::default();
        let used_line = catalog.line[t].is_some();
        let electricity = tech.inputs[Commodity::Electricity];
        let grid_electricity =
            if tech.electricity_supply == ElectricitySupply::Grid { electricity.max(0.0) } else { 0.0 };
        // Net direct CO2 may be negative (BECCUS removes more than it emits): kept as it is, so
        // that "fastest abatement" ranks a removal below a zero and a carbon price pays for it.
        let net_direct = tech.net_direct_co2().0;
        let captured = tech.captured_co2().0.max(0.0);
        for region in Region::ALL {
            let r = region.index();
            let mut series: Vec<(f64, &Series)> = Vec::new();
            for c in Commodity::ALL {
                if c == Commodity::Electricity || tech.inputs[c] == 0.0 {
                    continue;
                }
                let price = prices.prices.get(&(region, c)).unwrap_or_else(|| {
                    // Coke has no price by design: in the MPP steel model's static energy prices
                    // the coke of an integrated works is made on site from its met coal, an input
                    // priced on its own (docs/scenario-format.md, `price_set`); not a gap to warn about.
                    if used_line && c != Commodity::Coke {
                        block.missing.push((c.to_string(), tech.id.to_string()));
                    }
                    &empty
                });
                series.push((tech.inputs[c], price));
            }
            if electricity != 0.0 && tech.electricity_supply != ElectricitySupply::Captive {
                let price = prices.electricity.get(&(region, tech.electricity_supply)).unwrap_or_else(|| {
                    if used_line {
                        block
                            .missing
                            .push((format!("{} electricity", tech.electricity_supply), tech.id.to_string()));
                    }
                    &empty
                });
                series.push((electricity, price));
            }
            if let Some(extra) = prices.technology_costs.get(&(region, tech.id.clone())) {
                series.push((1.0, extra));
            }
            for yi in 0..years {
                let year = regional.year_of(yi);
                let k = r * years + yi;
                let inputs: f64 = series.iter().map(|(q, s)| q * s.at(year)).sum();
                block.opex[k] =
                    inputs + tech.fixed_opex_in(year).0 + captured * regional.transport_storage[k];
                let indirect = grid_electricity * regional.grid[k];
                block.indirect[k] = indirect;
                let charged = if regional.scope1 { net_direct } else { 0.0 }
                    + if regional.scope2 { indirect } else { 0.0 };
                block.emissions[k] = charged;
                block.carbon[k] = charged * regional.carbon_price[k];
            }
        }
        let rate = regional
            .discount_override
            .or(tech.discount_rate)
            .unwrap_or(crate::scenario::FALLBACK_DISCOUNT_RATE);
        let delta = 1.0 / (1.0 + rate);
        let life =
            if regional.capex_over_cycle { None } else { catalog.lifetime[t] }.unwrap_or(catalog.cycle[t]);
        block.annuity_life = annuity(usize::try_from(life).unwrap_or(1), delta);
        block.discount(usize::try_from(catalog.cycle[t]).unwrap_or(1), delta, years);
        block
    }

    /// Turns the yearly charged emissions into window means and fills the present values over
    /// a window of `window` years (years after the horizon held at its last year).
    fn discount(&mut self, window: usize, delta: f64, years: usize) {
        self.annuity = annuity(window, delta);
        let charged = self.emissions.clone();
        for r in 0..REGIONS {
            for yi in 0..years {
                let (mut pv, mut em, mut factor) = (0.0, 0.0, 1.0);
                for k in 0..window {
                    let j = r * years + (yi + k).min(years - 1);
                    pv += factor * (self.opex[j] + self.carbon[j]);
                    em += charged[j];
                    factor *= delta;
                }
                self.pv[r * years + yi] = pv;
                self.emissions[r * years + yi] = em / window as f64;
            }
        }
    }
}

/// Present value of 1 per year over `years` years, the first undiscounted.
fn annuity(years: usize, delta: f64) -> f64 {
    (0..years).map(|k| delta.powi(i32::try_from(k).unwrap_or(0))).sum()
}
