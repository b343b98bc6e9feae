//! A scenario: the rules a run follows. The type deserialises from the TOML schema documented in
//! `docs/scenario-format.md` (unknown keys are errors); the engine itself never reads a file, the
//! caller parses the text and hands the value over. [`Scenario::check`] validates it against a
//! world and names the offending key (`limits[1].quantity`) so the caller can point at its line.

use crate::error::EngineError;
use crate::inputs::World;
use decarb_model::{Region, Sector};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Earliest and latest years a scenario may name.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 2000..=2100;

// Plausible ranges of a scenario's numbers (docs/scenario-format.md, "Limits"). Every number is
// checked after unit conversion and must be finite; a value outside its range is an error naming
// the key, the value and the range, never a run. The ranges are wide (they allow any published
// scenario and stress tests well beyond them) but they keep a run's size bounded: the engine
// builds plants in proportion to demand over plant size, so both bound its memory and time.

/// A newly built plant, t/yr: below 10 kt/yr a region's demand growth would be met by thousands
/// of plants; above 50 Mt/yr is more than twice the largest single site of any sector (an
/// integrated steelworks of about 20 Mt/yr).
pub const NEW_PLANT_SIZE_RANGE_T: std::ops::RangeInclusive<f64> = 1e4..=5e7;

/// The largest `carbon_price.scale`: 20 x the IEA NZE path is 5,000 USD/t CO2 in 2050, beyond any
/// published carbon price path.
pub const MAX_CARBON_PRICE_SCALE: f64 = 20.0;

/// The largest factor an uncertain input may apply to the demand path (reached in the end year):
/// 5 x the path is several times the highest published 2050 demand of any sector, and demand
/// sets how many plants a run builds (a factor of 1,000 took 8.9 GB for one run, 1e6 aborted).
pub const MAX_DEMAND_FACTOR: f64 = 5.0;

/// The largest factor an uncertain input may apply to a price path, a capex or the carbon price:
/// 20 x covers any stress test of a cost; larger values only make every option but one
/// meaningless.
pub const MAX_COST_FACTOR: f64 = 20.0;

/// The largest factor an uncertain input may apply to a resource limit: 10 x is well above the
/// spread of published pathways of any limited resource (biomass for industry in 2050: MPP
/// MaxPotential 4 EJ vs Prudent 1 EJ, 4 x; `facts/resource_limits.csv`).
pub const MAX_LIMIT_FACTOR: f64 = 10.0;

/// The largest factor an uncertain input may apply to a power path's grid emission factors:
/// 3 x takes Europe's 2020 factor (0.27 t CO2/MWh, Ember, `facts/power_paths.csv`) to 0.81,
/// near a coal-only grid (about 1.0 t CO2/MWh, the most carbon-intensive supply there is), and
/// India's (0.70) well past it; larger factors describe no grid.
pub const MAX_GRID_FACTOR: f64 = 3.0;

/// The rule a plant uses to choose among its options at an investment point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionRule {
    /// Lowest levelised total cost of ownership over the investment window.
    #[default]
    LowestCost,
    /// Lowest emissions (charged scopes) over the window; cost breaks ties.
    FastestAbatement,
    /// `cost_weight` x normalised cost + (1 - `cost_weight`) x normalised emissions.
    Weighted,
}

impl DecisionRule {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionRule::LowestCost => "lowest-cost",
            DecisionRule::FastestAbatement => "fastest-abatement",
            DecisionRule::Weighted => "weighted",
        }
    }
}

/// How a plant picks among its ranked options (scenario key `choice`; see
/// `docs/scenario-format.md`, "Choice rules").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    /// The best-ranked option that fits the resource limits (the engine's rule before choice
    /// rules existed; every result before it is this rule's).
    #[default]
    Cheapest,
    /// The MPP steel model's rule: options whose indicator lies within `choice_band` of the best
    /// are equally likely and a seeded draw picks one.
    Mpp,
    /// Multinomial-logit shares over the options' levelised costs (`s_i ∝ c_i^logit_exponent`,
    /// GCAM's relative-cost logit); a seeded draw picks one with those probabilities.
    Logit,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Cheapest => "cheapest",
            Choice::Mpp => "mpp",
            Choice::Logit => "logit",
        }
    }
}

impl std::str::FromStr for Choice {
    type Err = String;
    fn from_str(text: &str) -> Result<Choice, String> {
        match text.trim() {
            "cheapest" => Ok(Choice::Cheapest),
            "mpp" => Ok(Choice::Mpp),
            "logit" => Ok(Choice::Logit),
            other => Err(format!("unknown choice rule {other:?}, expected cheapest, mpp or logit")),
        }
    }
}

/// The MPP steel model's rank-1 band: options whose TCO lies within 10 % of the cheapest are
/// equally likely (`mppsteel` `tco_ranking`, bins at 10 % and 30 %; docs/mpp-steel.md §4).
pub const DEFAULT_CHOICE_BAND: f64 = 0.10;

/// GCAM's logit exponent for technology choice in iron and steel: -6 for every subsector
/// (BLASTFUR, EAF with DRI, EAF with scrap) in GCAM's relative-cost logit
/// `s_i = a_i c_i^γ / Σ a_j c_j^γ` (JGCRI/gcam-core, `input/gcamdata/inst/extdata/energy/
/// A323.subsector_logit.csv`; the functional form: GCAM documentation, "Economic Choice in GCAM",
/// jgcri.github.io/gcam-doc/choice.html). Share weights a_i are 1 here.
pub const DEFAULT_LOGIT_EXPONENT: f64 = -6.0;

/// The range `logit_exponent` may take: negative (dearer options get smaller shares); below -100
/// the logit is indistinguishable from the cheapest rule, above -0.1 nearly uniform.
pub const LOGIT_EXPONENT_RANGE: std::ops::RangeInclusive<f64> = -100.0..=-0.1;

/// Emission scopes a carbon price is charged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Direct emissions after capture.
    Scope1,
    /// Purchased electricity times the grid factor.
    Scope2,
}

/// The carbon price a scenario charges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarbonPrice {
    /// A named path of the world (`zero`, `iea-nze-2021`...).
    #[serde(default = "zero_path")]
    pub path: String,
    /// Multiplies every value of the path.
    #[serde(default = "one")]
    pub scale: f64,
    #[serde(default = "scope1_only")]
    pub scopes: Vec<Scope>,
}

impl Default for CarbonPrice {
    fn default() -> Self {
        CarbonPrice { path: zero_path(), scale: 1.0, scopes: scope1_only() }
    }
}

/// Per-sector overrides of the engine's defaults ([`crate::settings`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorOverrides {
    /// Plants close when the region's utilisation would fall below this share.
    pub min_utilisation: Option<f64>,
    /// Production never exceeds capacity times this share; above it new plants are built.
    pub max_utilisation: Option<f64>,
    /// Size of a newly built plant of the sector's main product, such as `"2.5 Mt/yr"`.
    pub new_plant_size: Option<String>,
}

/// A resource that scenarios may limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitedResource {
    /// Hydrogen, t H2 per year.
    Hydrogen,
    /// CO2 injected into storage, t CO2 per year.
    Co2Storage,
    /// Steel scrap, t per year.
    Scrap,
    /// Biomass and biomethane, GJ per year.
    Biomass,
    /// Contracted clean electricity (PPA, dedicated on-site renewables), MWh per year.
    CleanElectricity,
}

impl LimitedResource {
    pub const ALL: [LimitedResource; 5] = [
        LimitedResource::Hydrogen,
        LimitedResource::Co2Storage,
        LimitedResource::Scrap,
        LimitedResource::Biomass,
        LimitedResource::CleanElectricity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LimitedResource::Hydrogen => "hydrogen",
            LimitedResource::Co2Storage => "co2_storage",
            LimitedResource::Scrap => "scrap",
            LimitedResource::Biomass => "biomass",
            LimitedResource::CleanElectricity => "clean_electricity",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Units a limit may be written in, with their factor to the base unit (t, t CO2, GJ, MWh).
    pub fn units(self) -> &'static [(&'static str, f64)] {
        match self {
            LimitedResource::Hydrogen | LimitedResource::Scrap => &[("Mt", 1e6), ("kt", 1e3), ("t", 1.0)],
            LimitedResource::Co2Storage => {
                &[("Gt CO2", 1e9), ("Mt CO2", 1e6), ("kt CO2", 1e3), ("t CO2", 1.0), ("Mt", 1e6), ("Gt", 1e9)]
            }
            LimitedResource::Biomass => &[("EJ", 1e9), ("PJ", 1e6), ("TJ", 1e3), ("GJ", 1.0)],
            LimitedResource::CleanElectricity => &[("PWh", 1e9), ("TWh", 1e6), ("GWh", 1e3), ("MWh", 1.0)],
        }
    }

    /// The base unit limits are booked and shadow prices quoted in.
    pub fn base_unit(self) -> &'static str {
        match self {
            LimitedResource::Hydrogen => "t H2",
            LimitedResource::Scrap => "t",
            LimitedResource::Co2Storage => "t CO2",
            LimitedResource::Biomass => "GJ",
            LimitedResource::CleanElectricity => "MWh",
        }
    }

    /// The largest yearly quantity a limit may state, in the base unit: about ten times the
    /// world's use or supply today (hydrogen about 0.1 Gt, CO2 emitted about 37 Gt, scrap about
    /// 0.7 Gt, primary energy about 600 EJ, electricity about 30 PWh), so a typo of a few orders
    /// of magnitude is caught while any "unlimited" limit still fits.
    pub fn max_quantity(self) -> f64 {
        match self {
            LimitedResource::Hydrogen => 1e9,
            LimitedResource::Co2Storage => 4e11,
            LimitedResource::Scrap => 1e10,
            LimitedResource::Biomass => 6e12,
            LimitedResource::CleanElectricity => 3e11,
        }
    }

    /// The unit limits are reported in, and its factor from the base unit.
    pub fn report_unit(self) -> (&'static str, f64) {
        match self {
            LimitedResource::Hydrogen | LimitedResource::Scrap => ("Mt", 1e-6),
            LimitedResource::Co2Storage => ("Mt CO2", 1e-6),
            LimitedResource::Biomass => ("PJ", 1e-6),
            LimitedResource::CleanElectricity => ("TWh", 1e-6),
        }
    }
}

impl fmt::Display for LimitedResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A limit's quantity: one value for every year, or values at anchor years (linear between,
/// flat outside), each a number with a unit such as `"40 Mt"` (per year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QuantityPath {
    Constant(String),
    ByYear(BTreeMap<String, String>),
}

/// A resource limit for one region (or `world`, shared by all regions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub resource: LimitedResource,
    /// A region id (`europe`) or `world`.
    #[serde(default = "world_text")]
    pub region: String,
    pub quantity: QuantityPath,
}

/// Transitional switches (optional; the MPP steel model's mechanic, `sim/transitional.rs`):
/// between two main investment points a plant may make one switch within its technology family,
/// from `opens_after` years after the last main point to `closes_before` years before the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionalSwitches {
    /// Years after a main investment point before the window opens (MPP: 3).
    #[serde(default = "three")]
    pub opens_after: u32,
    /// Years before the next main investment point when the window closes (MPP: 8).
    #[serde(default = "eight")]
    pub closes_before: u32,
    /// Technology families (lists of ids): a transitional switch stays in its family.
    pub families: Vec<Vec<String>>,
}

impl TransitionalSwitches {
    /// Whether two technologies are members of one family.
    pub fn same_family(&self, a: &str, b: &str) -> bool {
        self.families.iter().any(|f| f.iter().any(|id| id == a) && f.iter().any(|id| id == b))
    }
}

fn three() -> u32 {
    3
}
fn eight() -> u32 {
    8
}

/// The years a new asset's capex is spread over in levelised costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapexHorizon {
    /// The asset's lifetime: each decision pays only for the years it uses.
    #[default]
    Life,
    /// The reinvestment cycle (the MPP steel model's rule, for replicating it).
    Cycle,
}

/// A scenario, as written in a scenario file. See `docs/scenario-format.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_base_year")]
    pub base_year: i32,
    #[serde(default = "default_end_year")]
    pub end_year: i32,
    #[serde(default = "default_seed")]
    pub seed: u64,
    #[serde(default = "all_sectors")]
    pub sectors: Vec<Sector>,
    pub price_set: String,
    pub demand: String,
    #[serde(default)]
    pub carbon_price: CarbonPrice,
    #[serde(default)]
    pub decision_rule: DecisionRule,
    /// Weight of cost in the `weighted` rule (0..=1).
    pub cost_weight: Option<f64>,
    /// How a plant picks among its ranked options: `cheapest` (default), `mpp`, `logit`.
    #[serde(default)]
    pub choice: Choice,
    /// `mpp` choice: the relative band around the best option's indicator (default 0.10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_band: Option<f64>,
    /// `logit` choice: the exponent γ of `s_i ∝ c_i^γ` (default -6, GCAM iron and steel).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logit_exponent: Option<f64>,
    /// One real discount rate for every technology, overriding the rate each technology's
    /// table states (steel 7 %, cement and ammonia 8 %, aluminium 7-9 %); absent = the tables'.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_rate: Option<f64>,
    /// From this year no initial or transition technology may be built, rebuilt or relined.
    pub moratorium_year: Option<i32>,
    /// Investment points move by a seeded whole number of years in -n..=n.
    #[serde(default)]
    pub investment_jitter_years: u32,
    /// Technologies that may not be chosen (never built or switched to).
    #[serde(default)]
    pub excluded_technologies: Vec<String>,
    /// Named clinker-to-cement ratio path.
    #[serde(default = "default_clinker_ratio")]
    pub clinker_ratio: String,
    #[serde(default)]
    pub sector: BTreeMap<Sector, SectorOverrides>,
    #[serde(default)]
    pub limits: Vec<Limit>,
    /// A named power path of the world (grid emission factor by region and year) for indirect
    /// emissions and their carbon cost; absent = the world's default path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_path: Option<String>,
    /// What new-asset capex is annualised over: `life` (the asset's lifetime, the default) or
    /// `cycle` (the reinvestment cycle, as the MPP steel model does: (capex + NPV opex) / 20).
    #[serde(default)]
    pub capex_horizon: CapexHorizon,
    /// Years a plant that takes up a limited resource commits to it: a new user gets only the
    /// least room the limit gives over this window, and when a limit falls below what plants use,
    /// users may not stay at their investment points. 0 = each year on its own and staying always
    /// allowed (the MPP steel model's rule).
    #[serde(default = "default_limit_foresight")]
    pub limit_foresight_years: u32,
    /// A named set of the world's resource limits added to `limits` (such as `net-zero`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_set: Option<String>,
    /// Optional transitional switches between main investment points (off when absent).
    #[serde(default)]
    pub transitional_switches: Option<TransitionalSwitches>,
    /// Optional uncertain inputs for ensembles and sensitivity analysis
    /// ([`crate::uncertainty`]); a single run ignores them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<crate::uncertainty::Uncertainty>,
    /// Factors on resource limits, set by uncertain `limit` inputs
    /// ([`crate::uncertainty::Resolved::apply`]); not part of the file format.
    #[serde(skip)]
    pub limit_factors: Vec<LimitFactor>,
}

/// Which of a resource's limits a [`LimitFactor`] scales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitScope {
    /// Every limit on the resource, world and regional.
    Every,
    /// The world limits only.
    World,
    /// The limits of one region.
    Region(Region),
}

/// A factor on the quantity, in every year, of the limits on one resource.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitFactor {
    pub resource: LimitedResource,
    pub scope: LimitScope,
    pub factor: f64,
}

impl LimitFactor {
    /// Whether the factor scales `limit`.
    pub fn applies_to(&self, limit: &ResolvedLimit) -> bool {
        limit.resource == self.resource
            && match self.scope {
                LimitScope::Every => true,
                LimitScope::World => limit.region.is_none(),
                LimitScope::Region(region) => limit.region == Some(region),
            }
    }
}

fn zero_path() -> String {
    "zero".to_owned()
}
fn one() -> f64 {
    1.0
}
fn scope1_only() -> Vec<Scope> {
    vec![Scope::Scope1]
}
fn world_text() -> String {
    "world".to_owned()
}
fn default_base_year() -> i32 {
    2020
}
fn default_end_year() -> i32 {
    2050
}
fn default_seed() -> u64 {
    1
}
fn all_sectors() -> Vec<Sector> {
    Sector::ALL.to_vec()
}
/// The steel and ammonia reinvestment cycle (MPP steel `model_config.py`; MPP ammonia
/// `config_ammonia.py`): how long a plant that takes up a limited resource commits to it.
fn default_limit_foresight() -> u32 {
    20
}

/// The rate a technology is discounted at when neither the scenario nor its table gives one
/// (the MPP steel model's 7 %, `mppsteel/config/model_config.py`).
pub const FALLBACK_DISCOUNT_RATE: f64 = 0.07;
fn default_clinker_ratio() -> String {
    "current".to_owned()
}

/// A limit resolved to base units: per year, for one region or the whole world.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedLimit {
    pub resource: LimitedResource,
    /// `None` for a world limit.
    pub region: Option<Region>,
    pub quantity: crate::inputs::Series,
    /// Last year the limit applies (a near-term limit from announced projects); `None` = every
    /// year.
    pub until: Option<i32>,
}

/// Splits `"40 Mt"` into 40 and `"Mt"`.
fn split_quantity(text: &str) -> Option<(f64, &str)> {
    let text = text.trim();
    let end = text.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_')))?;
    let (number, unit) = text.split_at(end);
    let value: f64 = number.replace('_', "").parse().ok()?;
    Some((value, unit.trim()))
}

/// Parses a quantity such as `"40 Mt"` or `"40 Mt/yr"` in one of `units`, to the base unit.
pub fn parse_quantity(text: &str, units: &[(&str, f64)]) -> Result<f64, String> {
    let expected = units.iter().map(|(u, _)| *u).collect::<Vec<_>>().join(", ");
    let (value, unit) = split_quantity(text)
        .ok_or_else(|| format!("found {text:?}, expected a number and a unit ({expected})"))?;
    let unit = unit.strip_suffix("/yr").or_else(|| unit.strip_suffix("/y")).unwrap_or(unit).trim();
    let factor = units
        .iter()
        .find(|(u, _)| u.eq_ignore_ascii_case(unit))
        .map(|(_, f)| *f)
        .ok_or_else(|| format!("found {text:?}: unit {unit:?} is not one of {expected}"))?;
    if !value.is_finite() || value < 0.0 {
        return Err(format!("found {text:?}, expected a non-negative quantity"));
    }
    let base = value * factor;
    if !base.is_finite() {
        return Err(format!("found {text:?}, expected a finite quantity"));
    }
    Ok(base)
}

/// Parses a quantity as [`parse_quantity`] does and checks it against `max` (in the base unit,
/// written in `units[0]` in the message).
fn parse_bounded(text: &str, units: &[(&str, f64)], max: f64) -> Result<f64, String> {
    let value = parse_quantity(text, units)?;
    if value > max {
        let (unit, factor) = units[0];
        return Err(format!("found {text:?}, expected at most {} {unit}", max / factor));
    }
    Ok(value)
}

fn scenario_error(key: impl Into<String>, message: impl Into<String>) -> EngineError {
    EngineError::Scenario { key: key.into(), message: message.into() }
}

fn check_year(key: &str, year: i32) -> Result<(), EngineError> {
    if YEAR_RANGE.contains(&year) {
        Ok(())
    } else {
        Err(scenario_error(
            key,
            format!("year {year} is out of range (expected {}..={})", YEAR_RANGE.start(), YEAR_RANGE.end()),
        ))
    }
}

fn check_share(key: &str, value: f64) -> Result<(), EngineError> {
    if value.is_finite() && value > 0.0 && value <= 1.0 {
        Ok(())
    } else {
        Err(scenario_error(key, format!("found {value}, expected a share in (0, 1]")))
    }
}

impl Scenario {
    /// A scenario with every default of the file format and empty names, for building scenarios
    /// in code (`Scenario { name, price_set, demand, ..Scenario::minimal() }`).
    pub fn minimal() -> Scenario {
        Scenario {
            name: String::new(),
            description: String::new(),
            base_year: default_base_year(),
            end_year: default_end_year(),
            seed: default_seed(),
            sectors: all_sectors(),
            price_set: String::new(),
            demand: String::new(),
            carbon_price: CarbonPrice::default(),
            decision_rule: DecisionRule::default(),
            cost_weight: None,
            choice: Choice::Cheapest,
            choice_band: None,
            logit_exponent: None,
            capex_horizon: CapexHorizon::Life,
            limit_foresight_years: default_limit_foresight(),
            power_path: None,
            limit_set: None,
            discount_rate: None,
            moratorium_year: None,
            investment_jitter_years: 0,
            excluded_technologies: Vec::new(),
            clinker_ratio: default_clinker_ratio(),
            sector: BTreeMap::new(),
            limits: Vec::new(),
            transitional_switches: None,
            uncertainty: None,
            limit_factors: Vec::new(),
        }
    }

    /// Checks every value against its range and every name against the world; the error names
    /// the key (`carbon_price.path`, `limits[0].quantity`).
    pub fn check(&self, world: &World) -> Result<(), EngineError> {
        self.check_name_and_years()?;
        self.check_names(world)?;
        if self.sectors.is_empty() {
            return Err(scenario_error("sectors", "expected at least one sector"));
        }
        for (i, sector) in self.sectors.iter().enumerate() {
            if self.sectors[..i].contains(sector) {
                return Err(scenario_error(format!("sectors[{i}]"), format!("{sector} is listed twice")));
            }
            if !world.utilisation.contains_key(sector) {
                return Err(scenario_error(
                    format!("sectors[{i}]"),
                    format!("the world has no utilisation bounds for {sector}"),
                ));
            }
        }
        if !(self.carbon_price.scale.is_finite()
            && (0.0..=MAX_CARBON_PRICE_SCALE).contains(&self.carbon_price.scale))
        {
            return Err(scenario_error(
                "carbon_price.scale",
                format!(
                    "found {}, expected a number from 0 to {MAX_CARBON_PRICE_SCALE}",
                    self.carbon_price.scale
                ),
            ));
        }
        if self.carbon_price.scopes.is_empty() {
            return Err(scenario_error("carbon_price.scopes", "expected scope1, scope2 or both"));
        }
        if let Some(rate) = self.discount_rate
            && !(rate.is_finite() && (0.0..1.0).contains(&rate))
        {
            return Err(scenario_error(
                "discount_rate",
                format!("found {rate}, expected a rate in [0, 1) such as 0.07"),
            ));
        }
        match (self.decision_rule, self.cost_weight) {
            (DecisionRule::Weighted, None) => {
                return Err(scenario_error("cost_weight", "the weighted rule needs cost_weight (0..=1)"));
            }
            (_, Some(w)) if !(w.is_finite() && (0.0..=1.0).contains(&w)) => {
                return Err(scenario_error("cost_weight", format!("found {w}, expected a weight in [0, 1]")));
            }
            _ => {}
        }
        self.check_choice()?;
        if let Some(year) = self.moratorium_year {
            check_year("moratorium_year", year)?;
        }
        for (key, value, max) in [
            ("investment_jitter_years", self.investment_jitter_years, 10),
            ("limit_foresight_years", self.limit_foresight_years, 100),
        ] {
            if value > max {
                return Err(scenario_error(key, format!("found {value}, expected 0 to {max} years")));
            }
        }
        for (sector, overrides) in &self.sector {
            let key = |field: &str| format!("sector.{sector}.{field}");
            if let Some(v) = overrides.min_utilisation {
                check_share(&key("min_utilisation"), v)?;
            }
            if let Some(v) = overrides.max_utilisation {
                check_share(&key("max_utilisation"), v)?;
            }
            let Some(bounds) = world.utilisation.get(sector) else {
                return Err(scenario_error(
                    format!("sector.{sector}"),
                    format!("the world has no {sector} sector"),
                ));
            };
            let min = overrides.min_utilisation.unwrap_or(bounds.min);
            let max = overrides.max_utilisation.unwrap_or(bounds.max);
            if min > max {
                return Err(scenario_error(
                    key("min_utilisation"),
                    format!("minimum utilisation {min} is above the maximum {max}"),
                ));
            }
            if let Some(text) = &overrides.new_plant_size {
                let size = parse_quantity(text, &[("Mt", 1e6), ("kt", 1e3), ("t", 1.0)])
                    .map_err(|m| scenario_error(key("new_plant_size"), m))?;
                if !NEW_PLANT_SIZE_RANGE_T.contains(&size) {
                    return Err(scenario_error(
                        key("new_plant_size"),
                        format!(
                            "found {text:?}, expected 10 kt to {} Mt per year",
                            NEW_PLANT_SIZE_RANGE_T.end() / 1e6
                        ),
                    ));
                }
            }
        }
        self.resolved_limits()?;
        if let Some(uncertainty) = &self.uncertainty {
            uncertainty.resolve(world, self)?;
        }
        Ok(())
    }

    /// `choice`, `choice_band` and `logit_exponent`: values in range, each setting with its rule.
    fn check_choice(&self) -> Result<(), EngineError> {
        if let Some(band) = self.choice_band {
            if !(band.is_finite() && (0.0..=1.0).contains(&band)) {
                return Err(scenario_error(
                    "choice_band",
                    format!("found {band}, expected a share in [0, 1] such as 0.10"),
                ));
            }
            if self.choice != Choice::Mpp {
                return Err(scenario_error("choice_band", "choice_band applies to choice = \"mpp\" only"));
            }
        }
        if let Some(exponent) = self.logit_exponent {
            if !(exponent.is_finite() && LOGIT_EXPONENT_RANGE.contains(&exponent)) {
                return Err(scenario_error(
                    "logit_exponent",
                    format!(
                        "found {exponent}, expected a negative exponent in [{}, {}] such as -6",
                        LOGIT_EXPONENT_RANGE.start(),
                        LOGIT_EXPONENT_RANGE.end()
                    ),
                ));
            }
            if self.choice != Choice::Logit {
                return Err(scenario_error(
                    "logit_exponent",
                    "logit_exponent applies to choice = \"logit\" only",
                ));
            }
        }
        // The relative-cost logit shares out cost, as GCAM does; other rules' indicators are not
        // costs and may be zero or negative.
        if self.choice == Choice::Logit && self.decision_rule != DecisionRule::LowestCost {
            return Err(scenario_error(
                "choice",
                format!(
                    "choice = \"logit\" shares out levelised cost and needs decision_rule = \"lowest-cost\" (found {})",
                    self.decision_rule.as_str()
                ),
            ));
        }
        Ok(())
    }

    /// `choice_band` or its default.
    pub fn choice_band(&self) -> f64 {
        self.choice_band.unwrap_or(DEFAULT_CHOICE_BAND)
    }

    /// `logit_exponent` or its default.
    pub fn logit_exponent(&self) -> f64 {
        self.logit_exponent.unwrap_or(DEFAULT_LOGIT_EXPONENT)
    }

    /// Names of price sets, paths and technologies the world must hold.
    fn check_name_and_years(&self) -> Result<(), EngineError> {
        if self.name.trim().is_empty() {
            return Err(scenario_error("name", "expected a non-empty name"));
        }
        check_year("base_year", self.base_year)?;
        check_year("end_year", self.end_year)?;
        if self.end_year <= self.base_year {
            return Err(scenario_error(
                "end_year",
                format!("end year {} must come after the base year {}", self.end_year, self.base_year),
            ));
        }
        Ok(())
    }

    fn check_names(&self, world: &World) -> Result<(), EngineError> {
        if world.price_set(&self.price_set).is_none() {
            return Err(scenario_error(
                "price_set",
                format!(
                    "unknown price set {:?} (known: {})",
                    self.price_set,
                    names(&world.price_sets, |p| &p.name)
                ),
            ));
        }
        if world.demand_path(&self.demand).is_none() {
            return Err(scenario_error(
                "demand",
                format!(
                    "unknown demand path {:?} (known: {})",
                    self.demand,
                    names(&world.demand_paths, |p| &p.name)
                ),
            ));
        }
        if world.carbon_path(&self.carbon_price.path).is_none() {
            return Err(scenario_error(
                "carbon_price.path",
                format!(
                    "unknown carbon price path {:?} (known: {})",
                    self.carbon_price.path,
                    names(&world.carbon_paths, |p| &p.name)
                ),
            ));
        }
        if let Some(path) = &self.power_path
            && world.power_path(path).is_none()
        {
            return Err(scenario_error(
                "power_path",
                format!("unknown power path {path:?} (known: {})", names(&world.power_paths, |p| &p.name)),
            ));
        }
        if let Some(set) = &self.limit_set
            && world.limit_set(set).is_none()
        {
            return Err(scenario_error(
                "limit_set",
                format!("unknown limit set {set:?} (known: {})", names(&world.limit_sets, |s| &s.name)),
            ));
        }
        if world.clinker_ratio(&self.clinker_ratio).is_none() {
            return Err(scenario_error(
                "clinker_ratio",
                format!(
                    "unknown clinker ratio path {:?} (known: {})",
                    self.clinker_ratio,
                    names(&world.clinker_ratios, |p| &p.name)
                ),
            ));
        }
        if let Some(transitional) = &self.transitional_switches {
            let mut seen: Vec<&str> = Vec::new();
            for (i, family) in transitional.families.iter().enumerate() {
                for (j, id) in family.iter().enumerate() {
                    let key = format!("transitional_switches.families[{i}][{j}]");
                    if world.technology(id).is_none() {
                        return Err(scenario_error(
                            key,
                            format!("unknown technology {id:?} (see `decarb tech list`)"),
                        ));
                    }
                    if seen.contains(&id.as_str()) {
                        return Err(scenario_error(key, format!("{id} is in more than one family")));
                    }
                    seen.push(id);
                }
            }
        }
        for (i, id) in self.excluded_technologies.iter().enumerate() {
            if world.technology(id).is_none() {
                return Err(scenario_error(
                    format!("excluded_technologies[{i}]"),
                    format!("unknown technology {id:?} (see `decarb tech list`)"),
                ));
            }
        }
        Ok(())
    }

    /// The limits in base units. Errors name the key of the faulty entry.
    pub fn resolved_limits(&self) -> Result<Vec<ResolvedLimit>, EngineError> {
        let mut out = Vec::with_capacity(self.limits.len());
        for (i, limit) in self.limits.iter().enumerate() {
            let region = match limit.region.trim().to_ascii_lowercase().as_str() {
                "world" | "global" => None,
                text => Some(
                    text.parse::<Region>()
                        .map_err(|e| scenario_error(format!("limits[{i}].region"), e.to_string()))?,
                ),
            };
            let units = limit.resource.units();
            let max = limit.resource.max_quantity();
            let key = format!("limits[{i}].quantity");
            let quantity = match &limit.quantity {
                QuantityPath::Constant(text) => crate::inputs::Series::constant(
                    parse_bounded(text, units, max).map_err(|m| scenario_error(&key, m))?,
                ),
                QuantityPath::ByYear(map) => {
                    let mut points = Vec::with_capacity(map.len());
                    for (year_text, text) in map {
                        let year: i32 = year_text.trim().parse().map_err(|_| {
                            scenario_error(
                                format!("{key}.{year_text}"),
                                format!("found {year_text:?}, expected a year"),
                            )
                        })?;
                        check_year(&format!("{key}.{year_text}"), year)?;
                        let value = parse_bounded(text, units, max)
                            .map_err(|m| scenario_error(format!("{key}.{year_text}"), m))?;
                        points.push((year, value));
                    }
                    if points.is_empty() {
                        return Err(scenario_error(key, "expected at least one year"));
                    }
                    crate::inputs::Series::new(points)
                }
            };
            out.push(ResolvedLimit { resource: limit.resource, region, quantity, until: None });
        }
        Ok(out)
    }

    /// Parsed new-plant size override for a sector, in t/yr.
    pub(crate) fn new_plant_size(&self, sector: Sector) -> Option<f64> {
        let text = self.sector.get(&sector)?.new_plant_size.as_ref()?;
        parse_quantity(text, &[("Mt", 1e6), ("kt", 1e3), ("t", 1.0)]).ok()
    }
}

fn names<T>(items: &[T], name: impl Fn(&T) -> &String) -> String {
    let list: Vec<&str> = items.iter().map(|i| name(i).as_str()).collect();
    if list.is_empty() { "none".to_owned() } else { list.join(", ") }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the values are exact by construction
mod tests {
    use super::*;

    #[test]
    fn quantities_need_a_unit_of_the_resource() {
        let units = LimitedResource::Hydrogen.units();
        assert_eq!(parse_quantity("40 Mt", units), Ok(40e6));
        assert_eq!(parse_quantity("40 Mt/yr", units), Ok(40e6));
        assert_eq!(parse_quantity("1_500 kt", units), Ok(1.5e6));
        let err = parse_quantity("40 TWh", units).unwrap_err();
        assert!(err.contains("TWh") && err.contains("Mt"), "{err}");
        assert!(parse_quantity("lots", units).is_err());
        assert!(parse_quantity("-3 Mt", units).is_err());
        assert_eq!(parse_quantity("2 EJ", LimitedResource::Biomass.units()), Ok(2e9));
    }
}
