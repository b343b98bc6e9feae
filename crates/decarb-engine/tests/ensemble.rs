//! Ensembles and sensitivity: bands collapse onto the deterministic run without variance, a linear
//! toy case reproduces its analytic distribution, results do not depend on threads or on N.

use decarb_engine::ensemble::{Headline, RunRecord, Variable, run_ensemble};
use decarb_engine::inputs::*;
use decarb_engine::settings::UtilisationBounds;
use decarb_engine::uncertainty::{DistributionKind, Target, UncertainInput, Uncertainty};
use decarb_engine::{Scenario, World};
use decarb_model::units::*;
use decarb_model::*;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool")
}

fn input(name: &str, target: Target, distribution: DistributionKind) -> UncertainInput {
    UncertainInput::new(name, target, distribution, "test")
}

/// One scrap-EAF plant in Europe (0.16 t CO2/t, 1 Mt/yr) meeting a flat demand of 0.8 Mt: direct
/// emissions are 0.16 x demand in every year, so linear in a demand factor.
fn toy_world() -> World {
    let mut eaf = Technology {
        id: TechId("steel.eaf".into()),
        sector: Sector::Steel,
        name: "EAF".into(),
        phase: Phase::EndState,
        inputs: Inputs::default(),
        direct_co2: TonnesCo2PerTonne(0.16),
        capture_rate: 0.0,
        capex_greenfield: UsdPerTonnePerYear(240.0),
        capex_renewal: UsdPerTonnePerYear(125.0),
        fixed_opex: UsdPerTonne(63.0),
        lifetime: Years(40.0),
        reinvestment_cycle: Years(20.0),
        available_from: 2020,
        switches_to: vec![],
        source: "example".into(),
        functional_unit: "t crude steel".into(),
        capex_greenfield_by_year: vec![],
        available_until: None,
        electricity_supply: ElectricitySupply::Grid,
        missing: vec![],
        note: String::new(),
        discount_rate: None,
        fixed_opex_by_year: Vec::new(),
        switch_family: None,
        switch_regions: Vec::new(),
    };
    eaf.inputs[Commodity::Electricity] = 0.64;
    let plant = Plant {
        id: "P1".into(),
        source: "example".into(),
        name: "Works".into(),
        sector: Sector::Steel,
        country: CountryCode::resolve("DEU"),
        country_text: "Germany".into(),
        subnational: None,
        coordinates: None,
        status: PlantStatus::Operating,
        route: Route::Eaf,
        capacity: Reported::Value(TonnesPerYear::from_mt(1.0)),
        start: Some(PartialDate::year(2010)),
        last_investment: None,
        owners: vec![],
        parents: vec![],
        status_slice: false,
        process: None,
        wiki_url: None,
    };
    let all = |v: f64| Region::ALL.iter().map(|&r| (r, Series::constant(v))).collect();
    World {
        technologies: vec![eaf],
        fleet: Fleet { plants: vec![plant] },
        price_sets: vec![PriceSet { name: "p".into(), ..Default::default() }],
        carbon_paths: vec![CarbonPath { name: "zero".into(), by_region: all(0.0), ..Default::default() }],
        demand_paths: vec![DemandPath {
            name: "d".into(),
            demand: Region::ALL
                .iter()
                .map(|&r| {
                    ((Sector::Steel, r), Series::constant(if r == Region::Europe { 0.8e6 } else { 0.0 }))
                })
                .collect(),
            ..Default::default()
        }],
        clinker_ratios: vec![RatioPath {
            name: "current".into(),
            ratio: Series::constant(0.72),
            ..Default::default()
        }],
        start_rules: vec![StartRule {
            route: Route::Eaf,
            countries: vec![],
            regions: vec![],
            mix: vec![(TechId("steel.eaf".into()), 1.0)],
            source: "example".into(),
            processes: vec![],
        }],
        utilisation: [(Sector::Steel, UtilisationBounds { min: 0.6, max: 0.95, source: "example".into() })]
            .into(),
        ..Default::default()
    }
}

fn toy_scenario(sd: f64) -> Scenario {
    let mut demand = input("demand", Target::Demand, DistributionKind::Normal);
    demand.mean = Some(1.0);
    demand.sd = Some(sd);
    Scenario {
        name: "toy".into(),
        price_set: "p".into(),
        demand: "d".into(),
        sectors: vec![Sector::Steel],
        uncertainty: Some(Uncertainty { vary_seed: false, inputs: vec![demand], correlations: vec![] }),
        ..Scenario::minimal()
    }
}

fn records(world: &World, scenario: &Scenario, runs: u64, seed: u64, threads: usize) -> Vec<RunRecord> {
    let mut out = Vec::new();
    pool(threads)
        .install(|| run_ensemble(world, scenario, runs, seed, |r| out.push(r.clone())))
        .expect("the ensemble runs");
    out
}

#[test]
fn a_linear_toy_case_reproduces_its_analytic_distribution() {
    // Demand factor ~ N(1, 0.04), ramping from 1 in 2020 to its full value in 2050: 2050
    // emissions = 0.16 t/t x 0.8 Mt x factor ~ N(0.128, 0.00512) Mt CO2.
    let world = toy_world();
    let scenario = toy_scenario(0.04);
    let n = 400_u64;
    let mut ensemble = None;
    let mut values = Vec::new();
    pool(2).install(|| {
        ensemble = Some(
            run_ensemble(&world, &scenario, n, 11, |r| values.push(r.headline.direct_end))
                .expect("the ensemble runs"),
        );
    });
    let ensemble = ensemble.expect("ran");
    let (mu, sigma) = (0.128, 0.128 * 0.04);
    let count = values.len() as f64;
    let mean = values.iter().sum::<f64>() / count;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (count - 1.0)).sqrt();
    let se_mean = sigma / count.sqrt();
    let se_sd = sigma / (2.0 * (count - 1.0)).sqrt();
    assert!((mean - mu).abs() < 3.0 * se_mean, "mean {mean} vs {mu} (se {se_mean})");
    assert!((sd - sigma).abs() < 3.0 * se_sd, "sd {sd} vs {sigma} (se {se_sd})");
    // The band of the same cell: mean exact, median and p5/p95 within sampling error (SE of a
    // quantile ~ sqrt(p(1-p)/n)/pdf) plus the sketch's 0.5 %.
    let band = ensemble.band(2050, Some(Sector::Steel), None, Variable::DirectEmissions).expect("a band");
    assert!((band.mean - mean).abs() < 1e-12);
    let z95 = 1.644_853_6;
    for (k, z) in [(0, -z95), (2, 0.0), (4, z95)] {
        let expected = mu + sigma * z;
        let pdf = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt() / sigma;
        let p: f64 = if k == 2 { 0.5 } else { 0.05 };
        let se = (p * (1.0 - p) / count).sqrt() / pdf;
        let tolerance = 3.0 * se + 0.005 * expected;
        assert!(
            (band.percentiles[k] - expected).abs() < tolerance,
            "percentile {k}: {} vs {expected} (tolerance {tolerance})",
            band.percentiles[k]
        );
    }
    // The base year is history: no spread.
    let base = ensemble.band(2020, Some(Sector::Steel), None, Variable::DirectEmissions).expect("a band");
    assert!((base.percentiles[0] - base.percentiles[4]).abs() < 1e-12, "{base:?}");
}

#[test]
fn runs_depend_on_seed_and_index_only() {
    let world = toy_world();
    let scenario = toy_scenario(0.04);
    let long = records(&world, &scenario, 70, 5, 2);
    let short = records(&world, &scenario, 10, 5, 1);
    assert_eq!(long[..10], short[..], "the first 10 runs of 70 equal a 10-run ensemble");
    let other_seed = records(&world, &scenario, 10, 6, 1);
    assert_ne!(short, other_seed);
}

#[test]
fn bands_are_identical_for_one_and_two_threads() {
    let world = toy_world();
    let scenario = toy_scenario(0.04);
    let one = pool(1).install(|| run_ensemble(&world, &scenario, 90, 3, |_| {})).expect("runs");
    let two = pool(2).install(|| run_ensemble(&world, &scenario, 90, 3, |_| {})).expect("runs");
    assert_eq!(one.bands(), two.bands());
    assert_eq!(one.meeting_milestone, two.meeting_milestone);
}

/// Zero-variance versions of the bundled net-zero-2050 inputs: every draw is the scenario as
/// written.
fn zero_variance(world: &World, scenario: &mut Scenario) {
    let technology = |id: &str| world.technology(id).expect("bundled technology").available_from;
    let mut h2 = input("h2", Target::Price, DistributionKind::Normal);
    h2.commodity = Some("hydrogen".into());
    h2.mean = Some(1.0);
    h2.sd = Some(0.0);
    let mut power = input("power", Target::Price, DistributionKind::Uniform);
    power.commodity = Some("electricity".into());
    power.min = Some(1.0);
    power.max = Some(1.0);
    let mut carbon = input("carbon", Target::CarbonPrice, DistributionKind::Triangular);
    carbon.min = Some(1.0);
    carbon.mode = Some(1.0);
    carbon.max = Some(1.0);
    let mut demand = input("demand", Target::Demand, DistributionKind::Lognormal);
    demand.median = Some(1.0);
    demand.sigma = Some(0.0);
    let mut available = input("h2dri", Target::Availability, DistributionKind::Discrete);
    available.technology = Some("steel.h2-dri-eaf".into());
    available.values = Some(vec![f64::from(technology("steel.h2-dri-eaf"))]);
    let mut capex = input("capex", Target::Capex, DistributionKind::Normal);
    capex.technology = Some("steel.*".into());
    capex.p5 = Some(1.0);
    capex.p95 = Some(1.0);
    scenario.uncertainty = Some(Uncertainty {
        vary_seed: false,
        inputs: vec![h2, power, carbon, demand, available, capex],
        correlations: vec![],
    });
}

#[test]
#[allow(clippy::float_cmp)] // the collapse must be exact, not approximate
fn zero_variance_bands_collapse_onto_the_deterministic_run() {
    let world = decarb_scenario::bundled::default_world();
    let text = decarb_engine::examples::example("net-zero-2050").expect("bundled");
    let mut scenario = decarb_scenario::load(text, "net-zero-2050", &world).expect("loads");
    zero_variance(&world, &mut scenario);
    let deterministic = decarb_engine::run(&world, &scenario, scenario.seed).expect("runs");
    let mut headlines: Vec<Headline> = Vec::new();
    let ensemble = pool(2)
        .install(|| run_ensemble(&world, &scenario, 4, scenario.seed, |r| headlines.push(r.headline.clone())))
        .expect("the ensemble runs");
    let mut compared = 0;
    for row in &deterministic.summary {
        for variable in Variable::ALL {
            let expected = variable.of(row);
            let Some(band) = ensemble.band(row.year, Some(row.sector), row.region, variable) else {
                panic!("no band for {row:?}");
            };
            for p in band.percentiles {
                assert!(
                    p == expected,
                    "{variable:?} {} {:?} {:?}: {p} vs {expected}",
                    row.year,
                    row.sector,
                    row.region
                );
            }
            assert!(
                (band.mean - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                "{band:?} vs {expected}"
            );
            compared += 1;
        }
    }
    assert!(compared > 31 * 4 * 7, "{compared} cells compared");
    let single = Headline::of(&deterministic);
    assert!(headlines.iter().all(|h| *h == single));
}

#[test]
fn the_tornado_swings_each_input_and_leaves_the_base_run_alone() {
    let world = toy_world();
    let scenario = toy_scenario(0.04);
    let rows = pool(2).install(|| decarb_engine::sensitivity::tornado(&world, &scenario)).expect("runs");
    assert_eq!(rows.len(), 3);
    let end = rows
        .iter()
        .find(|r| r.metric == decarb_engine::sensitivity::Metric::DirectEnd)
        .expect("a 2050 emissions row");
    // p5 and p95 of N(1, 0.04): 1 -+ 0.0658; emissions 0.128 x those.
    assert!((end.low_input - (1.0 - 0.04 * 1.644_853_6)).abs() < 1e-6, "{end:?}");
    assert!((end.base - 0.128).abs() < 1e-9, "{end:?}");
    assert!((end.at_low - 0.128 * end.low_input).abs() < 1e-6, "{end:?}");
    assert!((end.at_high - 0.128 * end.high_input).abs() < 1e-6, "{end:?}");
    // One input explains all the variance of a function of it alone.
    let sobol =
        pool(2).install(|| decarb_engine::sensitivity::sobol(&world, &scenario, 64, 1)).expect("runs");
    let s = sobol.iter().find(|r| r.metric == decarb_engine::sensitivity::Metric::DirectEnd).expect("a row");
    assert!((s.first_order - 1.0).abs() < 0.15 && (s.total - 1.0).abs() < 0.15, "{s:?}");
}

/// A sample whose inputs leave demand that no allowed technology can meet within the limits is
/// counted as infeasible, not a failure of the ensemble: the toy EAF needs 1.1 t scrap a tonne
/// against 1 Mt of scrap a year, so demand factors that need a second plant (2050 demand above
/// 0.95 Mt, a factor above about 1.19) cannot be met.
#[test]
fn infeasible_samples_are_counted_and_left_out_of_the_bands() {
    let mut world = toy_world();
    world.technologies[0].inputs[Commodity::Scrap] = 1.1;
    let mut scenario = toy_scenario(0.3);
    scenario.limits.push(decarb_engine::scenario::Limit {
        resource: decarb_engine::scenario::LimitedResource::Scrap,
        region: "world".into(),
        quantity: decarb_engine::scenario::QuantityPath::Constant("1 Mt".into()),
    });
    let n = 200_u64;
    let mut records = Vec::new();
    let ensemble = pool(2)
        .install(|| run_ensemble(&world, &scenario, n, 5, |r| records.push(r.clone())))
        .expect("the ensemble completes");
    let infeasible: Vec<&RunRecord> = records.iter().filter(|r| r.infeasible.is_some()).collect();
    // P(factor > 1.19) for N(1, 0.3) is about 26 %.
    assert!((20..=80).contains(&infeasible.len()), "{} infeasible", infeasible.len());
    assert_eq!(ensemble.infeasible, infeasible.len() as u64);
    assert_eq!(ensemble.runs + ensemble.infeasible, n);
    assert_eq!(records.len() as u64, n, "every run is reported, in order");
    assert!(infeasible.iter().all(|r| r.infeasible.as_deref().unwrap().contains("scrap@world")));
    assert!(
        ensemble.first_infeasible.as_deref().unwrap().starts_with(&format!("run {}:", infeasible[0].index))
    );
    // The bands hold the feasible runs only: their 2050 maximum is at most what one plant
    // makes at full utilisation (0.95 Mt x 0.16 t/t).
    let band = ensemble.band(2050, None, None, Variable::DirectEmissions).expect("a band");
    assert!(band.percentiles[4] <= 0.95 * 0.16 + 1e-6, "{band:?}");
}

/// Issue 18, item 5: on a real scenario (the bundled `carbon-price` example, steel, its six
/// uncertain inputs) the Sobol first-order index is at most the total index within their
/// bootstrap intervals, every index is in [0, 1] within its interval, the intervals bracket their
/// estimates, and the analysis is the same with one and two threads.
#[test]
fn sobol_first_order_is_at_most_total_within_the_intervals_on_a_real_scenario() {
    let world = decarb_scenario::bundled::default_world();
    let mut scenario = decarb_scenario::load(
        decarb_engine::examples::example("carbon-price").expect("bundled"),
        "carbon-price",
        &world,
    )
    .expect("loads");
    scenario.sectors = vec![Sector::Steel];
    let rows = pool(2).install(|| decarb_engine::sensitivity::sobol(&world, &scenario, 32, 3)).expect("runs");
    assert_eq!(rows.len(), 6 * 3);
    for r in &rows {
        assert!(r.first_order_ci.0 <= r.total_ci.1, "first order above total beyond the intervals: {r:?}");
        assert!(r.first_order_ci.0 <= r.first_order && r.first_order <= r.first_order_ci.1, "{r:?}");
        assert!(r.total_ci.0 <= r.total && r.total <= r.total_ci.1, "{r:?}");
        assert!(r.total_ci.1 >= 0.0 && r.total_ci.0 <= 1.0, "{r:?}");
        assert!(r.first_order_ci.0 <= 1.0 && r.first_order_ci.1 >= 0.0, "{r:?}");
        assert!(!r.label.is_empty() && r.label.contains('('), "{r:?}");
    }
    // Some input moves the end-year emissions: not every total index is zero.
    assert!(rows.iter().any(|r| r.total > 0.05), "{rows:?}");
    let again =
        pool(1).install(|| decarb_engine::sensitivity::sobol(&world, &scenario, 32, 3)).expect("runs");
    assert_eq!(rows, again);
}

/// Issue 18: an input end or sample with no pathway does not stop a sensitivity analysis. With
/// the toy EAF's scrap limited (as in the test above), demand at p95 of N(1, 0.3) (a factor of
/// 1.49, above the 1.19 the limit allows) is infeasible: its tornado end is not a number, and the
/// Sobol and Morris estimates leave such samples out and count them.
#[test]
fn sensitivity_leaves_infeasible_runs_out() {
    let mut world = toy_world();
    world.technologies[0].inputs[Commodity::Scrap] = 1.1;
    let mut scenario = toy_scenario(0.3);
    scenario.limits.push(decarb_engine::scenario::Limit {
        resource: decarb_engine::scenario::LimitedResource::Scrap,
        region: "world".into(),
        quantity: decarb_engine::scenario::QuantityPath::Constant("1 Mt".into()),
    });
    let rows = pool(2).install(|| decarb_engine::sensitivity::tornado(&world, &scenario)).expect("runs");
    assert!(rows.iter().all(|r| r.at_high.is_nan() && r.at_low.is_finite()), "{rows:?}");
    let sobol =
        pool(2).install(|| decarb_engine::sensitivity::sobol(&world, &scenario, 64, 1)).expect("runs");
    // P(factor > 1.19) is about 26 %; a base sample drops when A, B or AB is infeasible.
    assert!(sobol.iter().all(|r| (10..=50).contains(&r.infeasible_samples)), "{sobol:?}");
    assert!(sobol.iter().all(|r| r.first_order.is_finite() && r.total.is_finite()), "{sobol:?}");
    let morris = pool(2)
        .install(|| decarb_engine::sensitivity::morris(&world, &scenario, 20, 1, &|| {}))
        .expect("runs");
    assert!(morris.iter().all(|r| r.mu_star.is_finite()), "{morris:?}");
}

/// The tornado's progress ticks once per run (the base and each input at p5 and p95: 3 for the
/// toy scenario's one input) and gives the rows `tornado` gives.
#[test]
fn the_tornado_ticks_once_per_run() {
    let world = toy_world();
    let scenario = toy_scenario(0.04);
    let ticks = std::sync::atomic::AtomicUsize::new(0);
    let tick = || {
        ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let with = pool(2)
        .install(|| decarb_engine::sensitivity::tornado_with_progress(&world, &scenario, &tick))
        .expect("runs");
    assert_eq!(ticks.load(std::sync::atomic::Ordering::Relaxed), 3);
    let without = pool(2).install(|| decarb_engine::sensitivity::tornado(&world, &scenario)).expect("runs");
    assert_eq!(with, without);
}
