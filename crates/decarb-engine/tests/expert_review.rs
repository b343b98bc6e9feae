//! The bundled world read as an expert reviewer would (issue 12): a baseline adopts a route only
//! where it is cheaper than the incumbent without any carbon price, and net zero takes the
//! cheapest feasible option, hydrogen included, within its limits. The adoptions are listed
//! (`cargo test -p decarb-engine --test expert_review -- --nocapture`).

use decarb_engine::Scenario;
use decarb_engine::examples::example;
use decarb_engine::outcome::{Outcome, Reason};
use decarb_model::Sector;
use std::collections::BTreeMap;

fn run(name: &str) -> (Scenario, Outcome) {
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(example(name).unwrap(), name, &world).unwrap();
    let outcome = decarb_engine::run(&world, &scenario, scenario.seed).unwrap();
    (scenario, outcome)
}

#[test]
fn the_baseline_adopts_a_route_only_where_it_is_cheaper_than_the_incumbent() {
    let (scenario, outcome) = run("baseline");
    assert_eq!(scenario.carbon_price.path, "zero", "a baseline has no carbon price");
    // (from, to) -> (plants, sum of cost difference to - from, USD/t of product)
    let mut adoptions: BTreeMap<(String, String), (usize, f64)> = BTreeMap::new();
    for d in outcome.decisions.iter().filter(|d| d.reason == Reason::Switch) {
        let (from, to) = (d.from.as_ref().unwrap(), d.to.as_ref().unwrap());
        let cost = |id: &decarb_model::TechId| d.options.iter().find(|(o, _)| o == id).map(|(_, c)| *c);
        let (Some(incumbent), Some(chosen)) = (cost(from), cost(to)) else {
            panic!("a switch lists both its incumbent and its choice among the options: {d:?}")
        };
        assert!(
            chosen <= incumbent + 1e-9,
            "{} switched {from} -> {to} at a higher cost: {chosen} > {incumbent}",
            d.plant
        );
        let entry = adoptions.entry((from.to_string(), to.to_string())).or_default();
        entry.0 += 1;
        entry.1 += chosen - incumbent;
    }
    println!("baseline switches (no carbon price): from -> to, plants, mean cost difference USD/t");
    for ((from, to), (plants, sum)) in &adoptions {
        println!("  {from} -> {to}: {plants}, {:.1}", sum / *plants as f64);
    }
    assert!(!adoptions.is_empty());
}

#[test]
fn net_zero_takes_the_cheapest_feasible_option_and_uses_hydrogen() {
    let (_, outcome) = run("net-zero-2050");
    for d in outcome
        .decisions
        .iter()
        .filter(|d| matches!(d.reason, Reason::Switch | Reason::Renewal | Reason::Rebuild | Reason::NewBuild))
    {
        let cheapest = d.options.iter().min_by(|a, b| a.1.total_cmp(&b.1)).map(|(id, _)| id);
        if d.to.as_ref() != cheapest {
            assert!(
                !d.limited_by.is_empty(),
                "{} {} took {:?} over the cheaper {cheapest:?} with no limit refusing it",
                d.plant,
                d.year,
                d.to
            );
        }
    }
    let hydrogen: f64 = outcome.hydrogen_demand(2050).iter().map(|(_, t)| t).sum();
    let steel: f64 =
        outcome.hydrogen_demand(2050).iter().filter(|(s, _)| *s == Sector::Steel).map(|(_, t)| t).sum();
    // IEA NZR 2023: 41 Mt of low-emission hydrogen in steel in 2050 (the scenario's limit for all).
    // Users between investment points keep their use while utilisation drifts up (see the biomass
    // test below): 41.010 Mt, +0.025 %, since the cement fuel ladder of the MPP switching table.
    assert!(hydrogen > 5e6 && hydrogen <= 41e6 * 1.001, "{hydrogen}");
    assert!(steel > 1e6, "{steel}");
}

/// Issue 13's stability measure, held by the plant-level world: in the baseline (a scenario without
/// steps) no sector's world direct CO2 moves by more than 10 % of its 2020 value from one year to
/// the next. (The cohort world broke it: ammonia -41 % in 2030 when China's one coal row switched.)
#[test]
fn the_baseline_moves_smoothly_from_year_to_year() {
    let (_, outcome) = run("baseline");
    for &sector in &outcome.sectors {
        let direct = |year: i32| outcome.world(sector, year).map_or(0.0, |r| r.direct_emissions.0);
        let base = direct(2020);
        for year in 2021..=2050 {
            let step = (direct(year) - direct(year - 1)).abs() / base;
            assert!(step <= 0.10, "{sector} {year}: {:.1} % of 2020", step * 100.0);
        }
    }
}

/// The fastest-abatement defect of issue 12: BF-BOF+BECCUS had taken 70 % of 2050 steel on 4.6 EJ
/// of unlimited biomass. Under the net-zero limit set (sustainable biomass for industry 10 EJ in
/// 2020 falling to 1 EJ in 2050, MPP steel Bio Model "Prudent") the biomass used stays within the
/// limit with a new user's 20-year commitment, and steel's direct CO2 is not driven negative.
#[test]
fn fastest_abatement_keeps_biomass_within_its_limit() {
    let (_, outcome) = run("fastest-abatement");
    for row in
        outcome.limits.iter().filter(|r| r.resource == decarb_engine::scenario::LimitedResource::Biomass)
    {
        // Plants book at the previous year's utilisation, and users between investment points
        // keep their use while utilisation drifts up: a year may open a few hundredths of a
        // percent over a falling limit before its deciding users move off. Since the MPP cement
        // switching table keeps alternative-fuel kilns off coal and gas (no move down the fuel
        // ladder), more biomass users hold on: 2050 booked 1,002.4 PJ of 1,000 (+0.24 %).
        if row.year >= 2030 {
            assert!(row.booked <= row.limit * 1.005, "{row:?}");
        }
    }
    let steel = outcome.world(Sector::Steel, 2050).unwrap();
    assert!(steel.direct_emissions.0 >= 0.0, "{steel:?}");
}

/// Issue 13's seed-stability measure: net-zero-2050's all-sector world direct CO2 in 2030 lies
/// within 3 % of its mean across seeds 1-8. (Before the capacity-stratified investment draws and
/// the merit order it ranged 4850-5169 Mt, -2.6/+3.8 % of the mean: whether a few large blast
/// furnaces drew an investment point before 2030, and which plant came first to scrap, moved it.)
#[test]
fn net_zero_2030_emissions_hardly_depend_on_the_seed() {
    let world = decarb_scenario::bundled::default_world();
    let scenario = decarb_scenario::load(example("net-zero-2050").unwrap(), "net-zero-2050", &world).unwrap();
    let totals: Vec<f64> = (1..=8)
        .map(|seed| {
            let outcome = decarb_engine::run(&world, &scenario, seed).unwrap();
            outcome
                .sectors
                .iter()
                .map(|&sector| outcome.world(sector, 2030).map_or(0.0, |r| r.direct_emissions.to_mt()))
                .sum()
        })
        .collect();
    let mean = totals.iter().sum::<f64>() / 8.0;
    println!("net-zero-2050 2030 direct CO2 by seed 1-8, Mt: {totals:.0?}, mean {mean:.0}");
    for (i, total) in totals.iter().enumerate() {
        assert!((total / mean - 1.0).abs() <= 0.03, "seed {}: {total:.0} Mt, mean {mean:.0} Mt", i + 1);
    }
}

/// The cement defect of the first expert read: with coal at 4.5 USD/GJ and natural gas cheaper in
/// many regions (MPP-shared 2022 prices), the baseline turned the world's coal and alternative-fuel
/// kilns into gas kilns within a decade (gas kilns 251 Mt of clinker in 2020, 1,563 Mt in 2030).
/// The MPP cement model (mpp-shared-code @44a2f03) lets an unabated kiln move only up its fuel
/// ladder coal -> natural gas -> AF 43 % -> AF 90 % (business_cases.xlsx, sheet "Technology
/// switching table") and switches to natural gas only in North America, Russia, Middle East,
/// Africa and Latin America (config_cement.py `REGIONS_NATURAL_GAS`, applied in
/// solver/implicit_forcing.py). So no plant elsewhere takes up a gas kiln, no kiln moves down the
/// ladder, and the world's gas-kiln share of clinker in 2030 stays below the five gas regions'
/// share of clinker and within GAS_SHARE_TOLERANCE of 2020's (12 percentage points: the coal kilns
/// of the five gas regions may still switch where gas is cheaper; 7.4 % -> 17.5 % when written,
/// 7.4 % -> 37 % before the rule).
#[test]
fn the_baseline_keeps_cement_kilns_on_their_fuel_outside_the_gas_regions() {
    use decarb_model::Region;
    const GAS_SHARE_TOLERANCE: f64 = 0.12;
    let gas_regions =
        [Region::NorthAmerica, Region::Cis, Region::MiddleEast, Region::Africa, Region::LatinAmerica];
    let ladder = ["cement.kiln-coal", "cement.kiln-gas", "cement.kiln-af43", "cement.kiln-af90"];
    let (_, outcome) = run("baseline");
    for d in outcome.decisions.iter().filter(|d| d.sector == Sector::Cement) {
        let (Some(to), from) = (d.to.as_ref(), d.from.as_ref()) else { continue };
        if from == Some(to) {
            continue;
        }
        assert!(
            !to.as_str().starts_with("cement.kiln-gas") || gas_regions.contains(&d.region),
            "{} ({}) {} took up {to} ({:?})",
            d.plant,
            d.region,
            d.year,
            d.reason
        );
        if d.reason == Reason::Switch {
            let rung = |id: &decarb_model::TechId| ladder.iter().position(|l| *l == id.as_str());
            if let (Some(a), Some(b)) = (from.and_then(rung), rung(to)) {
                assert!(b > a, "{} {}: {:?} -> {to} moves down the fuel ladder", d.plant, d.year, from);
            }
        }
    }
    // Kilns only: grinding stations report cement, not clinker.
    let kilns = |year: i32| {
        outcome.technology_mix.iter().filter(move |m| {
            m.year == year && m.sector == Sector::Cement && m.technology.as_str() != "cement.grinding-station"
        })
    };
    let world = |year: i32, pick: &dyn Fn(&decarb_engine::outcome::MixRow) -> bool| -> f64 {
        kilns(year).filter(|m| m.region.is_none() && pick(m)).map(|m| m.production.0).sum()
    };
    let share =
        |year: i32| world(year, &|m| m.technology.as_str() == "cement.kiln-gas") / world(year, &|_| true);
    let (s2020, s2030) = (share(2020), share(2030));
    // The rule's bound: at most every kiln of the five gas regions burns gas.
    let gas_region_share = kilns(2030)
        .filter(|m| m.region.is_some_and(|r| gas_regions.contains(&r)))
        .map(|m| m.production.0)
        .sum::<f64>()
        / world(2030, &|_| true);
    println!(
        "baseline world gas-kiln share of clinker: 2020 {:.1} %, 2030 {:.1} % (five gas regions: {:.1} % of clinker)",
        s2020 * 100.0,
        s2030 * 100.0,
        gas_region_share * 100.0
    );
    assert!(s2030 <= gas_region_share + 1e-9, "2030 {s2030:.3} > {gas_region_share:.3}");
    assert!((s2030 - s2020).abs() <= GAS_SHARE_TOLERANCE, "2020 {s2020:.3}, 2030 {s2030:.3}");
}

/// The concern of the December 2026 review: the net-zero limit set held the NZE's all-sector CO2
/// capture (WEO 2021: 1,665 Mt in 2030) flat back to 2020, so cement alone captured 763 Mt by
/// 2030 (the world captured about 45 Mt in 2022) and its direct CO2 fell 1,792 -> 429 Mt from 2030
/// to 2035. The limit is now the NZE's capture in industry (IEA NZR 2023 CCUS milestones: 4 Mt in
/// 2022, 270 in 2030, 846 in 2035, 2,384 in 2050). What the run books stays within it, cement
/// captures a fraction of it in 2030, and steel, cement and ammonia move by at most a tenth of
/// their 2020 emissions a year. (Aluminium still falls 28 % of 2020 in 2031, when the smelters at
/// an investment point take the inert anode that becomes available in 2030: the engine has no
/// diffusion limit yet.)
#[test]
fn net_zero_stores_what_the_nze_captures_in_industry_and_moves_without_cliffs() {
    use decarb_engine::scenario::LimitedResource;
    let (_, outcome) = run("net-zero-2050");
    let storage: Vec<_> = outcome
        .limits
        .iter()
        .filter(|r| r.resource == LimitedResource::Co2Storage && r.region.is_none())
        .collect();
    assert!(storage.len() >= 30, "{} storage rows", storage.len());
    // Users between investment points keep their use while utilisation drifts up (see the
    // biomass test): 2022 books 4.06 Mt of 4.
    for row in &storage {
        assert!(row.booked <= row.limit * 1.02, "{row:?}");
    }
    let limit_2030 = storage.iter().find(|r| r.year == 2030).map(|r| r.limit).unwrap();
    assert!((limit_2030 - 270e6).abs() < 1.0, "{limit_2030}");
    let captured = |sector, year| outcome.world(sector, year).map_or(0.0, |r| r.captured.0);
    let all_2030: f64 = outcome.sectors.iter().map(|&s| captured(s, 2030)).sum();
    // Plants book at the previous year's utilisation; what they capture may run a few percent
    // over the booking when utilisation rises (2030: 276 Mt captured, 270 booked).
    assert!(all_2030 <= 270e6 * 1.03, "{:.1} Mt captured in 2030", all_2030 / 1e6);
    let cement_2030 = captured(Sector::Cement, 2030);
    assert!(cement_2030 < 0.8 * 270e6, "cement captures {:.1} Mt in 2030", cement_2030 / 1e6);
    for sector in [Sector::Steel, Sector::Cement, Sector::Ammonia] {
        let direct = |year: i32| outcome.world(sector, year).map_or(0.0, |r| r.direct_emissions.0);
        let base = direct(2020);
        for year in 2021..=2050 {
            let step = (direct(year) - direct(year - 1)).abs() / base;
            assert!(step <= 0.10, "{sector} {year}: {:.1} % of 2020", step * 100.0);
        }
    }
}
