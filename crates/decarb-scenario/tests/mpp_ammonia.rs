//! The MPP ammonia inputs as a decarb world and the bundled `mpp-ammonia-lc-cc200` scenario, on
//! the shared copy of the model's input folder (`mpp-shared-code/ammonia`).

use decarb_data::mpp_ammonia::{MppAmmoniaInputs, read_inputs};
use decarb_data::shared;
use decarb_engine::scenario::LimitedResource;
use decarb_model::{Region, Sector, TechId};
use decarb_scenario::mpp_ammonia;
use std::sync::OnceLock;

fn inputs() -> Option<&'static MppAmmoniaInputs> {
    static INPUTS: OnceLock<Option<MppAmmoniaInputs>> = OnceLock::new();
    INPUTS
        .get_or_init(|| shared::dataset("mpp-shared-code").map(|d| read_inputs(&d.join("ammonia")).unwrap()))
        .as_ref()
}

#[test]
fn the_world_has_the_models_routes_stack_and_yearly_costs() {
    let Some(inputs) = inputs() else { return };
    let world = mpp_ammonia::world(inputs).unwrap();
    assert_eq!(world.technologies.len(), 18);
    // The 2020 stack in NH3-eq as the model builds it: 317 plants of 0.73 Mt, 231.4 Mt (the rows
    // hold 219.8 Mt; the model rounds each row up to whole plants).
    let capacity: f64 = world.fleet.plants.iter().filter_map(|p| p.capacity.value()).map(|c| c.0).sum();
    assert!((capacity / 1e6 - 231.41).abs() < 0.05, "{capacity}");
    assert_eq!(world.fleet.plants.len(), 317);
    // MPP's own cost of the dedicated-VRE electrolytic route in Europe: variable 554 + fixed 103.5
    // USD/t in 2020; fixed falls to about 33 by 2030 (plus Europe's capex above the mean, levelised).
    let prices = &world.price_sets[0];
    let vre = TechId("ammonia.electrolytic-vre-cavern".into());
    let europe = &prices.technology_costs[&(Region::Europe, vre.clone())];
    let tech = world.technology("ammonia.electrolytic-vre-cavern").unwrap();
    let levelised = 1.0 / (0.95 * (0..20).map(|k| 1.08_f64.powi(-k)).sum::<f64>());
    let capex_europe_2020 = 5_449.0;
    let expected = 554.0 + 103.5 + (capex_europe_2020 - tech.capex_greenfield_in(2020).0) * levelised;
    assert!((europe.at(2020) - expected).abs() < 2.0, "{} vs {expected}", europe.at(2020));
    assert!(europe.at(2030) < europe.at(2020) - 200.0);
    // Energy is priced inside the opex: commodity prices are zero.
    assert!(prices.prices.values().all(|s| s.at(2030) == 0.0));
    // Renovations stay on the reformer: SMR + CCS shares SMR's switch family, GHR + CCS has its
    // own (a rebuild); life 20 years, the model's rebuild age.
    let family = |id: &str| world.technology(id).unwrap().switch_family.clone().unwrap();
    assert_eq!(family("ammonia.smr"), family("ammonia.smr-ccs"));
    assert_ne!(family("ammonia.smr"), family("ammonia.ghr-ccs"));
    assert!(world.technologies.iter().all(|t| (t.lifetime.0 - 20.0).abs() < 1e-9));
    // The electrolytic route makes its hydrogen on site: 0.176 t H2 per t NH3.
    assert!((tech.inputs[decarb_model::Commodity::Hydrogen] / 120.0 - 0.176_471).abs() < 1e-6);
}

#[test]
fn the_bundled_scenario_runs_with_the_folders_limits_and_starts_at_2020_demand() {
    let Some(inputs) = inputs() else { return };
    let world = mpp_ammonia::world(inputs).unwrap();
    let text = mpp_ammonia::example("mpp-ammonia-lc-cc200").unwrap();
    let scenario = mpp_ammonia::scenario(text, "lc", inputs, &world).unwrap();
    let resources: Vec<_> = scenario.limits.iter().map(|l| l.resource).collect();
    assert_eq!(resources, [LimitedResource::Co2Storage, LimitedResource::Hydrogen]);
    let outcome = decarb_engine::run(&world, &scenario, scenario.seed).unwrap();
    let row = |year| {
        outcome
            .summary
            .iter()
            .find(|r| r.year == year && r.region.is_none() && r.sector == Sector::Ammonia)
            .unwrap()
    };
    // 2020: NZ demand, 185.4 Mt NH3-eq (the model's run: 184.7).
    assert!((row(2020).production.to_mt() - 185.4).abs() < 1.0, "{}", row(2020).production.to_mt());
    // 2050: NZ demand grows to about 579 Mt NH3-eq and scope 1 falls below 60 Mt.
    assert!((row(2050).production.to_mt() - 579.0).abs() < 10.0, "{}", row(2050).production.to_mt());
    assert!(row(2050).direct_emissions.0 < 60e6);
}

#[test]
fn the_2020_stack_is_dispatched_as_the_model_dispatches_it() {
    let Some(inputs) = inputs() else { return };
    let by_region = mpp_ammonia::dispatched_2020(inputs);
    // The reference run's stack_2020.csv (mpp-shared-code @5e0cead, lc/ng_partial/carbon_cost_200):
    // 184.7 Mt NH3-eq in all, 44.0 Mt in China (coal at CUF 0.5), 20.2 Mt in North America.
    let total: f64 = by_region.values().sum::<f64>() / 1e6;
    assert!((total - 184.7).abs() < 1.0, "{total}");
    let mt = |r: &str| by_region[r] / 1e6;
    assert!((mt("China") - 44.0).abs() < 0.5, "{}", mt("China"));
    assert!((mt("North America") - 20.15).abs() < 0.5, "{}", mt("North America"));
}
