//! Uncertain inputs of a scenario: probability distributions over price paths, capex, the carbon
//! price, demand, resource limits, the power path's grid emission factors, technology
//! availability years and the investment-cycle jitter, optionally
//! correlated through a Gaussian copula. Declared in the scenario file under `[uncertainty]`
//! (`docs/scenario-format.md`, section "Uncertainty"); [`crate::ensemble`] samples them and
//! [`crate::sensitivity`] swings them one at a time.
//!
//! Every input is sampled the same way: a standard normal `z` (correlated within a group by the
//! Cholesky factor of the group's correlation matrix), turned into the input's value by the
//! distribution's quantile function at `Phi(z)` (normal and lognormal directly from `z`). Values of
//! price, capex, carbon-price, demand, limit and grid-emissions inputs are *factors* on the
//! scenario's path (1 = as
//! written; negative draws count as 0); availability values are years (rounded); the cycle-jitter
//! value is a whole number of years (rounded, 0..=10).

use crate::error::EngineError;
use crate::inputs::World;
use crate::scenario::{
    LimitFactor, LimitScope, LimitedResource, MAX_COST_FACTOR, MAX_DEMAND_FACTOR, MAX_GRID_FACTOR,
    MAX_LIMIT_FACTOR, Scenario, YEAR_RANGE,
};
use decarb_model::units::UsdPerTonnePerYear;
use decarb_model::{Commodity, ElectricitySupply, Region, Sector};
use rand::Rng;
use serde::{Deserialize, Serialize};

/// The `[uncertainty]` table of a scenario file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// When true, each run of an ensemble also draws its own engine seed from (seed, run index),
    /// so the seeded investment-point jitter differs between runs. When false (the default) every
    /// run uses the scenario's seed and runs differ only by the declared inputs.
    #[serde(default)]
    pub vary_seed: bool,
    #[serde(default)]
    pub inputs: Vec<UncertainInput>,
    /// Groups of correlated inputs (Gaussian copula).
    #[serde(default)]
    pub correlations: Vec<Correlation>,
}

/// What an uncertain input changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A factor on a commodity's price path (`commodity`: a commodity such as `hydrogen` or
    /// `electricity`, every supply, or `co2_transport_storage`) in the scenario's price set.
    Price,
    /// A factor on the greenfield and renewal capex of the technologies `technology` names.
    Capex,
    /// A factor on the carbon price path (multiplies `carbon_price.scale`).
    CarbonPrice,
    /// A factor on the demand path (one `sector`, or all when absent), reached in the end year:
    /// it ramps linearly from 1 in the base year (whose demand is history).
    Demand,
    /// The year from which the technologies `technology` names are available.
    Availability,
    /// The investment-point jitter, whole years (`investment_jitter_years`).
    CycleJitter,
    /// A factor on the quantity, in every year, of the scenario's limits on one `resource`
    /// (`co2_storage`, `biomass`, `hydrogen`, `scrap`, `clean_electricity`), from its `[[limits]]`
    /// and its `limit_set`; `region` narrows it to one region's limits (`world`: the world
    /// limits).
    Limit,
    /// A factor on the grid emission factors of the scenario's power path (`power_path`, or the
    /// world's default path), every year and region, or one `region`.
    GridEmissions,
}

impl Target {
    /// The largest factor a factor input may apply (`None` for years), from the scenario's
    /// plausible ranges ([`crate::scenario::MAX_DEMAND_FACTOR`], [`MAX_COST_FACTOR`]).
    pub fn max_factor(self) -> Option<f64> {
        match self {
            Target::Demand => Some(MAX_DEMAND_FACTOR),
            Target::Price | Target::Capex | Target::CarbonPrice => Some(MAX_COST_FACTOR),
            Target::Limit => Some(MAX_LIMIT_FACTOR),
            Target::GridEmissions => Some(MAX_GRID_FACTOR),
            Target::Availability | Target::CycleJitter => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Target::Price => "price",
            Target::Capex => "capex",
            Target::CarbonPrice => "carbon_price",
            Target::Demand => "demand",
            Target::Availability => "availability",
            Target::CycleJitter => "cycle_jitter",
            Target::Limit => "limit",
            Target::GridEmissions => "grid_emissions",
        }
    }
}

/// The family of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistributionKind {
    /// `mean` and `sd`, or `p5` and `p95`.
    Normal,
    /// `median` and `sigma` (sd of the log), or `p5` and `p95` (both > 0).
    Lognormal,
    /// `min`, `mode`, `max`.
    Triangular,
    /// `min`, `max`.
    Uniform,
    /// `values`, with optional `weights` (equal when absent).
    Discrete,
}

/// One uncertain input as written in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UncertainInput {
    /// A short unique name, used in `runs.csv`, the tornado table and correlation groups.
    pub name: String,
    pub target: Target,
    /// For `price`: a commodity (`hydrogen`, `electricity`, `natural_gas`...), one electricity
    /// supply (`electricity.ppa`, `electricity.onsite-vre`, `electricity.grid`...) or
    /// `co2_transport_storage`.
    pub commodity: Option<String>,
    /// For `capex` and `availability`: a technology id, or a prefix ending in `*` (`steel.h2-*`).
    pub technology: Option<String>,
    /// For `demand`: one sector (all sectors when absent).
    pub sector: Option<Sector>,
    /// For `limit`: the limited resource (`co2_storage`, `biomass`, `hydrogen`, `scrap`,
    /// `clean_electricity`).
    pub resource: Option<String>,
    /// For `limit` and `grid_emissions`: one region (`europe`; for `limit` also `world`, the
    /// world limits); every limit of the resource, or every region of the power path, when
    /// absent.
    pub region: Option<String>,
    pub distribution: DistributionKind,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub sigma: Option<f64>,
    pub p5: Option<f64>,
    pub p95: Option<f64>,
    pub min: Option<f64>,
    pub mode: Option<f64>,
    pub max: Option<f64>,
    pub values: Option<Vec<f64>>,
    pub weights: Option<Vec<f64>>,
    /// Where the range comes from (report, table, dataset and year).
    pub source: String,
}

impl UncertainInput {
    /// An input of `target` named `name`, drawn from `distribution` whose parameters (and the
    /// input's commodity, technology, sector, resource or region) are still to be set, with its
    /// `source`.
    pub fn new(name: &str, target: Target, distribution: DistributionKind, source: &str) -> UncertainInput {
        UncertainInput {
            name: name.to_owned(),
            target,
            commodity: None,
            technology: None,
            sector: None,
            resource: None,
            region: None,
            distribution,
            mean: None,
            sd: None,
            median: None,
            sigma: None,
            p5: None,
            p95: None,
            min: None,
            mode: None,
            max: None,
            values: None,
            weights: None,
            source: source.to_owned(),
        }
    }
}

/// A group of correlated inputs: their names and a symmetric correlation matrix in that order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correlation {
    pub inputs: Vec<String>,
    pub matrix: Vec<Vec<f64>>,
}

/// A checked distribution.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    Normal {
        mean: f64,
        sd: f64,
    },
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Uniform {
        min: f64,
        max: f64,
    },
    /// Values ascending with cumulative probabilities (the last is 1).
    Discrete {
        values: Vec<f64>,
        cumulative: Vec<f64>,
    },
}

/// z of the 95th percentile of the standard normal.
const Z95: f64 = 1.644_853_626_951_472_2;

impl Distribution {
    /// The value at a standard-normal draw `z` (the quantile at `Phi(z)`).
    pub fn at_z(&self, z: f64) -> f64 {
        match *self {
            Distribution::Normal { mean, sd } => mean + sd * z,
            Distribution::Lognormal { mu, sigma } => (mu + sigma * z).exp(),
            _ => self.quantile(normal_cdf(z)),
        }
    }

    /// The value below which a share `p` (0..=1) of draws fall.
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        match self {
            Distribution::Normal { mean, sd } => mean + sd * normal_quantile(p),
            Distribution::Lognormal { mu, sigma } => (mu + sigma * normal_quantile(p)).exp(),
            Distribution::Triangular { min, mode, max } => {
                let (low, peak, high) = (*min, *mode, *max);
                if high <= low {
                    return low;
                }
                let split = (peak - low) / (high - low);
                if p < split {
                    low + ((high - low) * (peak - low) * p).sqrt()
                } else {
                    high - ((high - low) * (high - peak) * (1.0 - p)).sqrt()
                }
            }
            Distribution::Uniform { min, max } => min + (max - min) * p,
            Distribution::Discrete { values, cumulative } => {
                let i = cumulative.iter().position(|&c| p <= c).unwrap_or(values.len().saturating_sub(1));
                values.get(i).copied().unwrap_or(0.0)
            }
        }
    }

    /// The value with no uncertainty drawn: the median (a discrete distribution's weighted
    /// median).
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }
}

/// The standard normal CDF (erfc after W. J. Cody's rational approximation via the
/// Numerical Recipes `erfcc`, fractional error below 1.2e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc_abs = t * poly.exp();
    let erfc = if x >= 0.0 { erfc_abs } else { 2.0 - erfc_abs };
    (0.5 * erfc).clamp(0.0, 1.0)
}

/// The standard normal quantile (P. J. Acklam's algorithm, relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    const LOW: f64 = 0.024_25;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    if p < LOW {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// A standard-normal draw from one 64-bit word: the quantile at a uniform in (0, 1) that never
/// touches either end.
pub fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    normal_quantile(u)
}

/// One checked input.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: String,
    pub target: Target,
    pub commodity: Option<String>,
    pub technology: Option<String>,
    pub sector: Option<Sector>,
    pub resource: Option<String>,
    pub region: Option<String>,
    pub distribution: Distribution,
    pub source: String,
}

impl Input {
    /// A value as the run applies it: factors are never negative nor above their target's
    /// [`Target::max_factor`] (a normal or lognormal tail can reach past it), years and jitter are
    /// whole.
    pub fn applied(&self, value: f64) -> f64 {
        match self.target {
            Target::Availability => value.round(),
            Target::CycleJitter => value.round().clamp(0.0, 10.0),
            target => value.clamp(0.0, target.max_factor().unwrap_or(f64::MAX)),
        }
    }

    /// A human-readable label for charts and tables: what the input changes and in what unit
    /// ("Hydrogen price (x scenario path)", "Availability of steel.h2-* (year)").
    pub fn label(&self) -> String {
        let what = |s: &Option<String>| s.as_deref().unwrap_or("all").replace('_', " ");
        let text = match self.target {
            Target::Price => format!("{} price", what(&self.commodity).replace('.', " ")),
            Target::Capex => format!("Capex of {}", what(&self.technology)),
            Target::CarbonPrice => "Carbon price".to_owned(),
            Target::Demand => match self.sector {
                Some(sector) => format!("{} demand", sector.as_str()),
                None => "Demand of all sectors".to_owned(),
            },
            Target::Availability => format!("Availability of {}", what(&self.technology)),
            Target::CycleJitter => "Investment-cycle jitter".to_owned(),
            Target::Limit => match &self.region {
                Some(region) => format!("{} limit in {region}", what(&self.resource)),
                None => format!("{} limit", what(&self.resource)),
            },
            Target::GridEmissions => match &self.region {
                Some(region) => format!("Grid emission factors in {region}"),
                None => "Grid emission factors".to_owned(),
            },
        };
        let mut chars = text.chars();
        let text = chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
        let unit = match self.target {
            Target::Availability => "year",
            Target::CycleJitter => "years",
            _ => "x scenario path",
        };
        format!("{text} ({unit})")
    }

    /// The unit of the input's values, for tables.
    pub fn unit(&self) -> &'static str {
        match self.target {
            Target::Availability => "year",
            Target::CycleJitter => "years",
            _ => "factor",
        }
    }
}

/// Checked inputs and the Cholesky factors of their correlation groups, ready to sample.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resolved {
    pub vary_seed: bool,
    pub inputs: Vec<Input>,
    /// Input indices of each group and the lower-triangular Cholesky factor (row-major).
    groups: Vec<(Vec<usize>, Vec<Vec<f64>>)>,
}

fn error(key: impl Into<String>, message: impl Into<String>) -> EngineError {
    EngineError::Scenario { key: key.into(), message: message.into() }
}

fn finite(key: &str, value: Option<f64>, what: &str) -> Result<f64, EngineError> {
    match value {
        Some(v) if v.is_finite() => Ok(v),
        Some(v) => Err(error(key, format!("found {v}, expected a finite number"))),
        None => Err(error(key, format!("missing: the distribution needs {what}"))),
    }
}

/// Whether a technology id matches a pattern: an exact id, or a prefix ending in `*`.
pub fn matches_technology(pattern: &str, id: &str) -> bool {
    pattern.strip_suffix('*').map_or(pattern == id, |prefix| id.starts_with(prefix))
}

fn distribution(input: &UncertainInput, key: &str) -> Result<Distribution, EngineError> {
    let k = |field: &str| format!("{key}.{field}");
    let percentiles = |positive: bool| -> Result<Option<(f64, f64)>, EngineError> {
        if input.p5.is_none() && input.p95.is_none() {
            return Ok(None);
        }
        let p5 = finite(&k("p5"), input.p5, "p5 and p95")?;
        let p95 = finite(&k("p95"), input.p95, "p5 and p95")?;
        if p5 > p95 {
            return Err(error(k("p5"), format!("p5 {p5} is above p95 {p95}")));
        }
        if positive && p5 <= 0.0 {
            return Err(error(k("p5"), format!("found {p5}, a lognormal needs p5 > 0")));
        }
        Ok(Some((p5, p95)))
    };
    match input.distribution {
        DistributionKind::Normal => {
            if let Some((p5, p95)) = percentiles(false)? {
                return Ok(Distribution::Normal { mean: 0.5 * (p5 + p95), sd: (p95 - p5) / (2.0 * Z95) });
            }
            let mean = finite(&k("mean"), input.mean, "mean and sd (or p5 and p95)")?;
            let sd = finite(&k("sd"), input.sd, "mean and sd (or p5 and p95)")?;
            if sd < 0.0 {
                return Err(error(k("sd"), format!("found {sd}, expected a standard deviation >= 0")));
            }
            Ok(Distribution::Normal { mean, sd })
        }
        DistributionKind::Lognormal => {
            if let Some((p5, p95)) = percentiles(true)? {
                let (l5, l95) = (p5.ln(), p95.ln());
                return Ok(Distribution::Lognormal { mu: 0.5 * (l5 + l95), sigma: (l95 - l5) / (2.0 * Z95) });
            }
            let median = finite(&k("median"), input.median, "median and sigma (or p5 and p95)")?;
            let sigma = finite(&k("sigma"), input.sigma, "median and sigma (or p5 and p95)")?;
            if median <= 0.0 {
                return Err(error(k("median"), format!("found {median}, expected a median > 0")));
            }
            if sigma < 0.0 {
                return Err(error(
                    k("sigma"),
                    format!("found {sigma}, expected a log standard deviation >= 0"),
                ));
            }
            Ok(Distribution::Lognormal { mu: median.ln(), sigma })
        }
        DistributionKind::Triangular => {
            let min = finite(&k("min"), input.min, "min, mode and max")?;
            let mode = finite(&k("mode"), input.mode, "min, mode and max")?;
            let max = finite(&k("max"), input.max, "min, mode and max")?;
            if !(min <= mode && mode <= max) {
                return Err(error(
                    k("mode"),
                    format!("expected min <= mode <= max, found {min}, {mode}, {max}"),
                ));
            }
            Ok(Distribution::Triangular { min, mode, max })
        }
        DistributionKind::Uniform => {
            let min = finite(&k("min"), input.min, "min and max")?;
            let max = finite(&k("max"), input.max, "min and max")?;
            if min > max {
                return Err(error(k("min"), format!("min {min} is above max {max}")));
            }
            Ok(Distribution::Uniform { min, max })
        }
        DistributionKind::Discrete => discrete(input, key),
    }
}

/// A discrete distribution: values ascending, with cumulative weights.
fn discrete(input: &UncertainInput, key: &str) -> Result<Distribution, EngineError> {
    let k = |field: &str| format!("{key}.{field}");
    let Some(values) = input.values.as_ref().filter(|v| !v.is_empty()) else {
        return Err(error(k("values"), "missing: a discrete distribution needs a list of values"));
    };
    if let Some(v) = values.iter().find(|v| !v.is_finite()) {
        return Err(error(k("values"), format!("found {v}, expected finite numbers")));
    }
    let weights = match &input.weights {
        None => vec![1.0; values.len()],
        Some(w) if w.len() != values.len() => {
            return Err(error(
                k("weights"),
                format!("found {} weights for {} values", w.len(), values.len()),
            ));
        }
        Some(w) => {
            if let Some(bad) = w.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
                return Err(error(k("weights"), format!("found {bad}, expected weights >= 0")));
            }
            w.clone()
        }
    };
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return Err(error(k("weights"), "expected at least one positive weight"));
    }
    let mut pairs: Vec<(f64, f64)> = values.iter().copied().zip(weights).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut running = 0.0;
    let mut cumulative = Vec::with_capacity(pairs.len());
    for (_, w) in &pairs {
        running += w / total;
        cumulative.push(running);
    }
    if let Some(last) = cumulative.last_mut() {
        *last = 1.0;
    }
    Ok(Distribution::Discrete { values: pairs.into_iter().map(|p| p.0).collect(), cumulative })
}

/// Lower-triangular Cholesky factor of a symmetric matrix, or `None` when it is not positive
/// definite.
fn cholesky(matrix: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = matrix.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = matrix[i][i] - sum;
                if d <= 1e-12 {
                    return None;
                }
                l[i][j] = d.sqrt();
            } else {
                l[i][j] = (matrix[i][j] - sum) / l[j][j];
            }
        }
    }
    Some(l)
}

impl Uncertainty {
    /// Checks every input against the world and resolves the distributions; errors name the key
    /// (`uncertainty.inputs[2].sd`).
    #[allow(clippy::cast_possible_truncation)] // a finite year, rounded, compared with YEAR_RANGE
    pub fn resolve(&self, world: &World, scenario: &Scenario) -> Result<Resolved, EngineError> {
        let mut inputs = Vec::with_capacity(self.inputs.len());
        for (i, input) in self.inputs.iter().enumerate() {
            let key = format!("uncertainty.inputs[{i}]");
            if input.name.trim().is_empty() {
                return Err(error(format!("{key}.name"), "expected a non-empty name"));
            }
            if self.inputs[..i].iter().any(|other| other.name == input.name) {
                return Err(error(format!("{key}.name"), format!("{:?} is used twice", input.name)));
            }
            if input.source.trim().is_empty() {
                return Err(error(format!("{key}.source"), "expected the source of the range"));
            }
            check_target(input, &key, world, scenario)?;
            let distribution = distribution(input, &key)?;
            check_factor_range(input, &distribution, &key)?;
            if input.target == Target::Availability {
                for p in [0.0, 1.0] {
                    let year = distribution.quantile(p);
                    if year.is_finite() && !YEAR_RANGE.contains(&(year.round() as i32)) {
                        return Err(error(
                            key.clone(),
                            format!(
                                "availability year {year} is out of range ({}..={})",
                                YEAR_RANGE.start(),
                                YEAR_RANGE.end()
                            ),
                        ));
                    }
                }
            }
            inputs.push(Input {
                name: input.name.clone(),
                target: input.target,
                commodity: input.commodity.clone(),
                technology: input.technology.clone(),
                sector: input.sector,
                resource: input.resource.clone(),
                region: input.region.clone(),
                distribution,
                source: input.source.clone(),
            });
        }
        let mut groups = Vec::with_capacity(self.correlations.len());
        let mut grouped: Vec<&str> = Vec::new();
        for (g, group) in self.correlations.iter().enumerate() {
            let key = format!("uncertainty.correlations[{g}]");
            let mut members = Vec::with_capacity(group.inputs.len());
            for (j, name) in group.inputs.iter().enumerate() {
                let Some(index) = inputs.iter().position(|input| &input.name == name) else {
                    return Err(error(
                        format!("{key}.inputs[{j}]"),
                        format!("no uncertain input is named {name:?}"),
                    ));
                };
                if grouped.contains(&name.as_str()) {
                    return Err(error(
                        format!("{key}.inputs[{j}]"),
                        format!("{name} is in more than one group"),
                    ));
                }
                grouped.push(name);
                members.push(index);
            }
            let n = members.len();
            if n < 2 {
                return Err(error(format!("{key}.inputs"), "expected at least two inputs"));
            }
            if group.matrix.len() != n || group.matrix.iter().any(|row| row.len() != n) {
                return Err(error(format!("{key}.matrix"), format!("expected a {n} x {n} matrix")));
            }
            for r in 0..n {
                for c in 0..n {
                    let v = group.matrix[r][c];
                    let entry = format!("{key}.matrix[{r}][{c}]");
                    if !(v.is_finite() && (-1.0..=1.0).contains(&v)) {
                        return Err(error(entry, format!("found {v}, expected a correlation in [-1, 1]")));
                    }
                    if r == c && (v - 1.0).abs() > 1e-12 {
                        return Err(error(entry, format!("found {v}, the diagonal must be 1")));
                    }
                    if (v - group.matrix[c][r]).abs() > 1e-12 {
                        return Err(error(
                            entry,
                            format!(
                                "found {v}, but [{c}][{r}] is {}: expected a symmetric matrix",
                                group.matrix[c][r]
                            ),
                        ));
                    }
                }
            }
            let Some(l) = cholesky(&group.matrix) else {
                return Err(error(
                    format!("{key}.matrix"),
                    "the correlation matrix is not positive definite",
                ));
            };
            groups.push((members, l));
        }
        Ok(Resolved { vary_seed: self.vary_seed, inputs, groups })
    }
}

/// A factor input's distribution must stay within its target's plausible range: the top of a
/// bounded distribution (uniform, triangular, discrete), or the p95 of a normal or lognormal
/// (whose tails the run clamps, [`Input::applied`]).
fn check_factor_range(
    input: &UncertainInput,
    distribution: &Distribution,
    key: &str,
) -> Result<(), EngineError> {
    let Some(max) = input.target.max_factor() else { return Ok(()) };
    let (top, field) = match distribution {
        Distribution::Normal { .. } => {
            (distribution.quantile(0.95), if input.p95.is_some() { "p95" } else { "mean" })
        }
        Distribution::Lognormal { .. } => {
            (distribution.quantile(0.95), if input.p95.is_some() { "p95" } else { "median" })
        }
        Distribution::Uniform { .. } | Distribution::Triangular { .. } => (distribution.quantile(1.0), "max"),
        Distribution::Discrete { .. } => (distribution.quantile(1.0), "values"),
    };
    if top.is_finite() && top <= max {
        return Ok(());
    }
    let reach =
        if field == "p95" || field == "mean" || field == "median" { "a p95" } else { "a largest value" };
    Err(error(
        format!("{key}.{field}"),
        format!(
            "the {} factor has {reach} of {top}, expected factors from 0 to {max} (the plausible range of target {})",
            input.target.as_str(),
            input.target.as_str()
        ),
    ))
}

fn check_target(
    input: &UncertainInput,
    key: &str,
    world: &World,
    scenario: &Scenario,
) -> Result<(), EngineError> {
    let needs = |field: &str, present: bool| -> Result<(), EngineError> {
        if present {
            Ok(())
        } else {
            Err(error(
                format!("{key}.{field}"),
                format!("missing: target {} needs {field}", input.target.as_str()),
            ))
        }
    };
    let unused = |field: &str, present: bool| -> Result<(), EngineError> {
        if present {
            Err(error(
                format!("{key}.{field}"),
                format!("target {} does not use {field}", input.target.as_str()),
            ))
        } else {
            Ok(())
        }
    };
    if !matches!(input.target, Target::Limit) {
        unused("resource", input.resource.is_some())?;
    }
    if !matches!(input.target, Target::Limit | Target::GridEmissions) {
        unused("region", input.region.is_some())?;
    }
    match input.target {
        Target::Price => {
            needs("commodity", input.commodity.is_some())?;
            unused("technology", input.technology.is_some())?;
            unused("sector", input.sector.is_some())?;
            let name = input.commodity.as_deref().unwrap_or_default();
            if name != "co2_transport_storage"
                && commodity(name).is_none()
                && electricity_supply(name).is_none()
            {
                let known: Vec<&str> = Commodity::ALL.iter().map(|c| c.as_str()).collect();
                let supplies: Vec<String> =
                    ElectricitySupply::ALL.iter().map(|s| format!("electricity.{}", s.as_str())).collect();
                return Err(error(
                    format!("{key}.commodity"),
                    format!(
                        "unknown commodity {name:?} (known: {}, {}, co2_transport_storage)",
                        known.join(", "),
                        supplies.join(", ")
                    ),
                ));
            }
        }
        Target::Capex | Target::Availability => {
            needs("technology", input.technology.is_some())?;
            unused("commodity", input.commodity.is_some())?;
            unused("sector", input.sector.is_some())?;
            let pattern = input.technology.as_deref().unwrap_or_default();
            if !world.technologies.iter().any(|t| matches_technology(pattern, t.id.as_str())) {
                return Err(error(
                    format!("{key}.technology"),
                    format!(
                        "no technology matches {pattern:?} (an id, or a prefix ending in *; see `decarb tech list`)"
                    ),
                ));
            }
        }
        Target::Demand => {
            unused("commodity", input.commodity.is_some())?;
            unused("technology", input.technology.is_some())?;
            if let Some(sector) = input.sector
                && !scenario.sectors.contains(&sector)
            {
                return Err(error(format!("{key}.sector"), format!("the scenario does not run {sector}")));
            }
        }
        Target::CarbonPrice | Target::CycleJitter => {
            unused("commodity", input.commodity.is_some())?;
            unused("technology", input.technology.is_some())?;
            unused("sector", input.sector.is_some())?;
        }
        Target::Limit => {
            needs("resource", input.resource.is_some())?;
            unused("commodity", input.commodity.is_some())?;
            unused("technology", input.technology.is_some())?;
            unused("sector", input.sector.is_some())?;
            check_limit(input, key, world, scenario)?;
        }
        Target::GridEmissions => {
            unused("commodity", input.commodity.is_some())?;
            unused("technology", input.technology.is_some())?;
            unused("sector", input.sector.is_some())?;
            check_grid_region(input, key, world, scenario)?;
        }
    }
    Ok(())
}

/// A `limit` input must name a resource the scenario limits (in its region, when it names one).
fn check_limit(
    input: &UncertainInput,
    key: &str,
    world: &World,
    scenario: &Scenario,
) -> Result<(), EngineError> {
    let factor = limit_factor(&input.name, input.resource.as_deref(), input.region.as_deref(), key, 1.0)?;
    let mut limits = scenario.resolved_limits().unwrap_or_default();
    if let Some(set) = scenario.limit_set.as_deref().and_then(|name| world.limit_set(name)) {
        limits.extend(set.limits.iter().cloned());
    }
    if limits.iter().any(|l| factor.applies_to(l)) {
        return Ok(());
    }
    let mut has: Vec<String> = limits
        .iter()
        .map(|l| match l.region {
            Some(region) => format!("{} in {region}", l.resource.as_str()),
            None => format!("{} (world)", l.resource.as_str()),
        })
        .collect();
    has.sort();
    has.dedup();
    let (field, value) = match &input.region {
        Some(region) => ("region", format!("{} in {region}", factor.resource.as_str())),
        None => ("resource", factor.resource.as_str().to_owned()),
    };
    Err(error(
        format!("{key}.{field}"),
        format!(
            "input {:?}: the scenario has no limit on {value} to scale (its limits: {})",
            input.name,
            if has.is_empty() { "none".to_owned() } else { has.join(", ") }
        ),
    ))
}

/// A `grid_emissions` input's region must be one the power path has factors for.
fn check_grid_region(
    input: &UncertainInput,
    key: &str,
    world: &World,
    scenario: &Scenario,
) -> Result<(), EngineError> {
    let Some(region) = grid_region(&input.name, input.region.as_deref(), key)? else { return Ok(()) };
    let path = match &scenario.power_path {
        Some(name) => world.power_path(name),
        None => Some(&world.grid_factors),
    };
    if path.is_some_and(|p| !p.by_region.contains_key(&region)) {
        return Err(error(
            format!("{key}.region"),
            format!("input {:?}: the power path has no grid emission factors for {region}", input.name),
        ));
    }
    Ok(())
}

/// The limit factor an input of target `limit` sets at `value`; errors name the input, the key
/// and the value.
fn limit_factor(
    input: &str,
    resource: Option<&str>,
    region: Option<&str>,
    key: &str,
    value: f64,
) -> Result<LimitFactor, EngineError> {
    let name = resource.unwrap_or_default();
    let Some(resource) = LimitedResource::ALL.into_iter().find(|r| r.as_str() == name) else {
        let known: Vec<&str> = LimitedResource::ALL.iter().map(|r| r.as_str()).collect();
        return Err(error(
            format!("{key}.resource"),
            format!("input {input:?}: unknown resource {name:?} (known: {})", known.join(", ")),
        ));
    };
    let scope =
        match region.map(|r| r.trim().to_ascii_lowercase()) {
            None => LimitScope::Every,
            Some(text) if text == "world" || text == "global" => LimitScope::World,
            Some(text) => LimitScope::Region(text.parse::<Region>().map_err(|e| {
                error(format!("{key}.region"), format!("input {input:?}: region {text:?}: {e}"))
            })?),
        };
    Ok(LimitFactor { resource, scope, factor: value })
}

/// The one region of a `grid_emissions` input (`None`: every region).
fn grid_region(input: &str, region: Option<&str>, key: &str) -> Result<Option<Region>, EngineError> {
    region
        .map(|text| {
            text.trim()
                .to_ascii_lowercase()
                .parse::<Region>()
                .map_err(|e| error(format!("{key}.region"), format!("input {input:?}: region {text:?}: {e}")))
        })
        .transpose()
}

/// Scales the scenario's limits on the input's resource (checked by [`Uncertainty::resolve`]).
fn apply_limit(input: &Input, value: f64, scenario: &mut Scenario) {
    let key = &input.name;
    if let Ok(factor) = limit_factor(key, input.resource.as_deref(), input.region.as_deref(), key, value) {
        scenario.limit_factors.push(factor);
    }
}

/// Scales the grid emission factors of the scenario's power path, every region or the input's.
fn apply_grid(input: &Input, value: f64, world: &mut World, scenario: &Scenario) {
    let Ok(only) = grid_region(&input.name, input.region.as_deref(), &input.name) else { return };
    let path = match &scenario.power_path {
        Some(name) => world.power_paths.iter_mut().find(|p| &p.name == name),
        None => Some(&mut world.grid_factors),
    };
    for (region, series) in path.into_iter().flat_map(|p| p.by_region.iter_mut()) {
        if only.is_none_or(|r| r == *region) {
            *series = series.scaled(value);
        }
    }
}

/// One electricity supply's price (`electricity.ppa`, `electricity.onsite-vre`...): a price input
/// on it scales that supply alone, where `electricity` scales every supply.
fn electricity_supply(name: &str) -> Option<ElectricitySupply> {
    let supply = name.strip_prefix("electricity.")?;
    ElectricitySupply::ALL.into_iter().find(|s| s.as_str() == supply)
}

fn commodity(name: &str) -> Option<Commodity> {
    Commodity::ALL.into_iter().find(|c| c.as_str() == name)
}

impl Resolved {
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// One standard-normal draw per input, correlated within groups. Always draws one number per
    /// input from `rng`, in input order, so a run's values depend on its stream alone.
    pub fn draw_z(&self, rng: &mut impl Rng) -> Vec<f64> {
        let mut z: Vec<f64> = self.inputs.iter().map(|_| standard_normal(rng)).collect();
        self.correlate(&mut z);
        z
    }

    /// Applies each group's Cholesky factor to independent standard normals.
    pub fn correlate(&self, z: &mut [f64]) {
        for (members, l) in &self.groups {
            let independent: Vec<f64> = members.iter().map(|&i| z[i]).collect();
            for (row, &i) in members.iter().enumerate() {
                z[i] = (0..=row).map(|c| l[row][c] * independent[c]).sum();
            }
        }
    }

    /// Input values (as applied) at standard-normal draws.
    pub fn values_at(&self, z: &[f64]) -> Vec<f64> {
        self.inputs.iter().zip(z).map(|(input, &z)| input.applied(input.distribution.at_z(z))).collect()
    }

    /// The world and scenario of one run: each input set to its value, `None` leaving it as the
    /// scenario has it.
    // Years are checked against YEAR_RANGE by `resolve` and jitter is clamped to 0..=10 by
    // `Input::applied`, so the casts cannot truncate.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn apply(&self, world: &World, scenario: &Scenario, values: &[Option<f64>]) -> (World, Scenario) {
        let mut world = world.clone();
        let mut scenario = scenario.clone();
        for (input, value) in self.inputs.iter().zip(values) {
            let Some(value) = value.map(|v| input.applied(v)) else { continue };
            match input.target {
                Target::Price => {
                    let name = input.commodity.as_deref().unwrap_or_default();
                    let Some(set) = world.price_sets.iter_mut().find(|p| p.name == scenario.price_set) else {
                        continue;
                    };
                    if let Some(supply) = electricity_supply(name) {
                        for ((_, key), series) in &mut set.electricity {
                            if *key == supply {
                                *series = series.scaled(value);
                            }
                        }
                        continue;
                    }
                    match commodity(name) {
                        Some(Commodity::Electricity) => {
                            for series in set.electricity.values_mut() {
                                *series = series.scaled(value);
                            }
                        }
                        Some(c) => {
                            for ((_, key), series) in &mut set.prices {
                                if *key == c {
                                    *series = series.scaled(value);
                                }
                            }
                        }
                        None => {
                            for series in set.co2_transport_storage.values_mut() {
                                *series = series.scaled(value);
                            }
                        }
                    }
                }
                Target::Capex => {
                    let pattern = input.technology.as_deref().unwrap_or_default();
                    for t in
                        world.technologies.iter_mut().filter(|t| matches_technology(pattern, t.id.as_str()))
                    {
                        t.capex_greenfield = UsdPerTonnePerYear(t.capex_greenfield.0 * value);
                        t.capex_renewal = UsdPerTonnePerYear(t.capex_renewal.0 * value);
                        for (_, capex) in &mut t.capex_greenfield_by_year {
                            *capex = UsdPerTonnePerYear(capex.0 * value);
                        }
                    }
                }
                Target::CarbonPrice => scenario.carbon_price.scale *= value,
                Target::Demand => {
                    // The base year's demand is history: the factor ramps from 1 there to its
                    // full value in the end year.
                    let (base, end) = (scenario.base_year, scenario.end_year.max(scenario.base_year + 1));
                    let ramp = |year: i32| {
                        let t = f64::from((year - base).clamp(0, end - base)) / f64::from(end - base);
                        1.0 + (value - 1.0) * t
                    };
                    if let Some(path) = world.demand_paths.iter_mut().find(|p| p.name == scenario.demand) {
                        for ((sector, _), series) in &mut path.demand {
                            if input.sector.is_none_or(|s| s == *sector) {
                                let mut points: Vec<(i32, f64)> =
                                    series.points().iter().map(|&(y, v)| (y, v * ramp(y))).collect();
                                // Anchors at the base and end years keep the ramp exact between
                                // sparse anchors.
                                for year in [base, end] {
                                    if !points.iter().any(|p| p.0 == year) {
                                        points.push((year, series.at(year) * ramp(year)));
                                    }
                                }
                                *series = crate::inputs::Series::new(points);
                            }
                        }
                    }
                }
                Target::Availability => {
                    let pattern = input.technology.as_deref().unwrap_or_default();
                    for t in
                        world.technologies.iter_mut().filter(|t| matches_technology(pattern, t.id.as_str()))
                    {
                        t.available_from = value as i32;
                    }
                }
                Target::CycleJitter => scenario.investment_jitter_years = value as u32,
                Target::Limit => apply_limit(input, value, &mut scenario),
                Target::GridEmissions => apply_grid(input, value, &mut world, &scenario),
            }
        }
        (world, scenario)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantile_and_cdf_invert_each_other() {
        for p in [0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999] {
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 1e-6, "{p}");
        }
        assert!((normal_quantile(0.95) - Z95).abs() < 1e-8);
        assert!(normal_quantile(0.5).abs() < 1e-12);
    }

    #[test]
    fn quantiles_of_each_family() {
        let t = Distribution::Triangular { min: 0.0, mode: 0.0, max: 1.0 };
        // F(x) = 1 - (1 - x)^2 on [0, 1].
        assert!((t.quantile(0.75) - 0.5).abs() < 1e-12);
        let u = Distribution::Uniform { min: 2.0, max: 4.0 };
        assert_eq!(u.quantile(0.25), 2.5);
        let d = Distribution::Discrete { values: vec![1.0, 2.0, 3.0], cumulative: vec![0.2, 0.7, 1.0] };
        assert_eq!((d.quantile(0.1), d.quantile(0.5), d.quantile(0.95)), (1.0, 2.0, 3.0));
        let l = Distribution::Lognormal { mu: 0.0, sigma: 0.5 };
        assert!((l.quantile(0.5) - 1.0).abs() < 1e-12);
    }

    fn spec(name: &str, target: Target, distribution: DistributionKind) -> UncertainInput {
        UncertainInput::new(name, target, distribution, "test")
    }

    fn world() -> World {
        use crate::inputs::{DemandPath, PriceSet, Series};
        use decarb_model::Region;
        let mut prices = PriceSet { name: "p".into(), ..PriceSet::default() };
        prices.prices.insert((Region::Europe, Commodity::Hydrogen), Series::constant(20.0));
        prices.prices.insert((Region::Europe, Commodity::NaturalGas), Series::constant(4.0));
        let mut demand = DemandPath { name: "d".into(), ..DemandPath::default() };
        demand.demand.insert((Sector::Steel, Region::Europe), Series::new([(2020, 100.0), (2050, 100.0)]));
        demand.demand.insert((Sector::Cement, Region::Europe), Series::constant(50.0));
        World { price_sets: vec![prices], demand_paths: vec![demand], ..World::default() }
    }

    #[test]
    fn applied_values_change_only_their_target() {
        use decarb_model::Region;
        let world = world();
        let scenario = Scenario {
            name: "t".into(),
            price_set: "p".into(),
            demand: "d".into(),
            sectors: vec![Sector::Steel, Sector::Cement],
            ..Scenario::minimal()
        };
        let mut h2 = spec("h2", Target::Price, DistributionKind::Uniform);
        h2.commodity = Some("hydrogen".into());
        (h2.min, h2.max) = (Some(0.5), Some(1.5));
        let mut demand = spec("steel", Target::Demand, DistributionKind::Uniform);
        demand.sector = Some(Sector::Steel);
        (demand.min, demand.max) = (Some(0.5), Some(1.5));
        let mut carbon = spec("carbon", Target::CarbonPrice, DistributionKind::Uniform);
        (carbon.min, carbon.max) = (Some(0.0), Some(2.0));
        let mut jitter = spec("jitter", Target::CycleJitter, DistributionKind::Discrete);
        jitter.values = Some(vec![0.0, 3.0]);
        let uncertainty =
            Uncertainty { vary_seed: false, inputs: vec![h2, demand, carbon, jitter], correlations: vec![] };
        let resolved = uncertainty.resolve(&world, &scenario).unwrap();
        let (w, s) = resolved.apply(&world, &scenario, &[Some(1.2), Some(0.6), Some(-1.0), Some(2.6)]);
        let set = &w.price_sets[0];
        assert!((set.prices[&(Region::Europe, Commodity::Hydrogen)].at(2030) - 24.0).abs() < 1e-12);
        assert_eq!(set.prices[&(Region::Europe, Commodity::NaturalGas)].at(2030), 4.0);
        // The demand factor ramps from 1 in 2020 to 0.6 in 2050; cement is untouched.
        let steel = &w.demand_paths[0].demand[&(Sector::Steel, Region::Europe)];
        assert!((steel.at(2020) - 100.0).abs() < 1e-12);
        assert!((steel.at(2035) - 80.0).abs() < 1e-9, "{}", steel.at(2035));
        assert!((steel.at(2050) - 60.0).abs() < 1e-9);
        assert_eq!(w.demand_paths[0].demand[&(Sector::Cement, Region::Europe)].at(2050), 50.0);
        // A negative factor counts as 0; jitter rounds to whole years.
        assert_eq!(s.carbon_price.scale, 0.0);
        assert_eq!(s.investment_jitter_years, 3);
        // None leaves an input as written.
        let (w, s) = resolved.apply(&world, &scenario, &[None, None, None, None]);
        assert_eq!(w.price_sets, world.price_sets);
        assert_eq!(s, scenario);
    }

    /// Issue 18: a price input on one electricity supply scales that supply alone.
    #[test]
    fn a_supply_price_input_scales_that_supply_alone() {
        use crate::inputs::Series;
        use decarb_model::{ElectricitySupply, Region};
        let mut world = world();
        for supply in [ElectricitySupply::Grid, ElectricitySupply::Ppa] {
            world.price_sets[0].electricity.insert((Region::Europe, supply), Series::constant(60.0));
        }
        let scenario =
            Scenario { name: "t".into(), price_set: "p".into(), demand: "d".into(), ..Scenario::minimal() };
        let mut ppa = spec("ppa", Target::Price, DistributionKind::Uniform);
        ppa.commodity = Some("electricity.ppa".into());
        (ppa.min, ppa.max) = (Some(0.4), Some(1.2));
        let uncertainty = Uncertainty { vary_seed: false, inputs: vec![ppa.clone()], correlations: vec![] };
        let resolved = uncertainty.resolve(&world, &scenario).unwrap();
        let (w, _) = resolved.apply(&world, &scenario, &[Some(0.5)]);
        let electricity = &w.price_sets[0].electricity;
        assert!((electricity[&(Region::Europe, ElectricitySupply::Ppa)].at(2030) - 30.0).abs() < 1e-12);
        assert_eq!(electricity[&(Region::Europe, ElectricitySupply::Grid)].at(2030), 60.0);
        ppa.commodity = Some("electricity.nuclear".into());
        let err = Uncertainty { vary_seed: false, inputs: vec![ppa], correlations: vec![] }
            .resolve(&world, &scenario)
            .unwrap_err();
        assert!(err.to_string().contains("electricity.ppa"), "{err}");
    }

    #[test]
    #[allow(clippy::many_single_char_names)] // the statistics' usual names
    fn a_correlation_group_correlates_the_normal_scores() {
        let world = world();
        let scenario =
            Scenario { name: "t".into(), price_set: "p".into(), demand: "d".into(), ..Scenario::minimal() };
        let mut a = spec("a", Target::CarbonPrice, DistributionKind::Normal);
        (a.mean, a.sd) = (Some(1.0), Some(0.1));
        let mut b = spec("b", Target::Price, DistributionKind::Triangular);
        b.commodity = Some("hydrogen".into());
        (b.min, b.mode, b.max) = (Some(0.8), Some(1.0), Some(1.4));
        let uncertainty = Uncertainty {
            vary_seed: false,
            inputs: vec![a, b],
            correlations: vec![Correlation {
                inputs: vec!["a".into(), "b".into()],
                matrix: vec![vec![1.0, 0.6], vec![0.6, 1.0]],
            }],
        };
        let resolved = uncertainty.resolve(&world, &scenario).unwrap();
        let mut rng = crate::ensemble::run_stream(9, 0);
        let n = 4000;
        let draws: Vec<Vec<f64>> = (0..n).map(|_| resolved.draw_z(&mut rng)).collect();
        let mean = |i: usize| draws.iter().map(|z| z[i]).sum::<f64>() / f64::from(n);
        let (ma, mb) = (mean(0), mean(1));
        let cov = |i: usize, j: usize, mi: f64, mj: f64| {
            draws.iter().map(|z| (z[i] - mi) * (z[j] - mj)).sum::<f64>() / f64::from(n - 1)
        };
        let r = cov(0, 1, ma, mb) / (cov(0, 0, ma, ma) * cov(1, 1, mb, mb)).sqrt();
        // Standard error of r is about (1 - r^2) / sqrt(n) = 0.01.
        assert!((r - 0.6).abs() < 0.04, "{r}");
        // Values stay inside the triangular's support.
        for z in &draws {
            let v = resolved.values_at(z);
            assert!((0.8..=1.4).contains(&v[1]), "{v:?}");
        }
    }

    #[test]
    fn cholesky_rejects_a_matrix_that_is_not_positive_definite() {
        assert!(cholesky(&[vec![1.0, 0.5], vec![0.5, 1.0]]).is_some());
        let bad = [vec![1.0, 0.9, -0.9], vec![0.9, 1.0, 0.9], vec![-0.9, 0.9, 1.0]];
        assert!(cholesky(&bad).is_none());
    }
}
