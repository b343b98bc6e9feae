//! The default mapping from a plant's reported route to its base-year technology, for the
//! bundled technology table (`decarb_data::facts`). Each rule carries its source.
//!
//! - Steel: integrated works (`bf-bof`, and `bof` and `ohf` steelmaking, whose hot metal comes
//!   from blast furnaces) run the *average* BF-BOF in China, India and South Korea and the
//!   best-practice (BAT) BF-BOF elsewhere, as in the MPP steel model's plant file (column "Plant
//!   Technology in 2020" of `Steel Plant Data Anon.xlsx`: every Avg BF-BOF plant is in those three
//!   countries, every other BF-BOF plant is BAT). Open-hearth works have no MPP route; they take
//!   the average BF-BOF of their country's rule. `dri-eaf` runs gas DRI-EAF; `eaf` scrap EAF.
//! - Cement: the 2020 kiln fuel mix of the region (MPP cement workbook `business_cases_44a2f03.xlsx`,
//!   sheet `Start technologies`, ECRA 2022; TECHNOLOGY.md §2.2), MPP's regions mapped to decarb's:
//!   Japan-Korea-Taiwan, Southeast Asia and the rest of the world take "Rest of Asia / Oceania",
//!   the CIS takes "Russia".
//! - Aluminium: smelters run carbon anodes on the power supply the MPP asset stack records
//!   (captive coal or gas: the power plant's CO2 is scope 1; hydro; grid, with "PPA + grid" counted
//!   as grid); smelters without a recorded supply run on grid power (MPP aluminium `emissions.csv`:
//!   2.09 t CO2/t scope 1); refineries on the boiler fuel the MPP asset stack records (a coal
//!   boiler with a gas or oil calciner runs the coal boiler and gas calciner route; gas boiler and
//!   gas calciner its own route), the others (oil boilers; no fuel given) the typical gas boiler
//!   and gas calciner.
//! - Ammonia: the feedstock route the MPP asset stack records; plants without one: China 75 %
//!   coal gasification and 25 % gas SMR, elsewhere gas SMR (MESSAGE-ix
//!   materials `NH3_feedstock_share.csv`: CHN 75 % coal, 24 % gas, 1 % oil; no coal outside
//!   China and centrally planned Asia; the oil shares of Western Europe (10 %) and South Asia
//!   (20 %) are counted as gas SMR, the nearest route in the table).

use crate::inputs::StartRule;
use decarb_model::{CountryCode, Region, Route, TechId};

const MPP_STEEL_PLANTS: &str = "MPP steel model @1003b98, Steel Plant Data Anon.xlsx, column \"Plant Technology in 2020\": Avg BF-BOF only in China, India and South Korea, BAT BF-BOF elsewhere";
const ECRA_START: &str = "MPP cement workbook business_cases_44a2f03.xlsx, sheet Start technologies (ECRA 2022); TECHNOLOGY.md §2.2";
const MPP_SMELTERS: &str = "MPP aluminium smelters/initial_asset_stack.csv (mpp-shared-code @b09472f): each smelter's power supply (captive coal, captive gas, hydro, grid, PPA + grid), mapped to the carbon-anode route on that supply (PPA + grid counted as grid)";
const MPP_REFINERIES: &str = "MPP aluminium refineries/initial_asset_stack.csv (mpp-shared-code @b09472f): each refinery's boiler and calciner fuels, mapped to the route with that boiler fuel (no oil route: an oil calciner is counted as a gas calciner)";
const MPP_NH3_STACK: &str = "MPP ammonia initial_asset_stack.csv (mpp-shared-code @b09472f): each plant's feedstock route (coal gasification, natural-gas SMR)";
const MESSAGE_NH3: &str =
    "MESSAGE-ix materials @583e267, ammonia/NH3_feedstock_share.csv (R12_CHN: 75 % coal, 24 % gas, 1 % oil)";

fn rule(
    route: Route,
    countries: &[&str],
    regions: &[Region],
    mix: &[(&str, f64)],
    source: &str,
) -> StartRule {
    StartRule {
        route,
        countries: countries.iter().filter_map(|c| CountryCode::resolve(c)).collect(),
        regions: regions.to_vec(),
        mix: mix.iter().map(|(id, share)| (TechId((*id).to_owned()), *share)).collect(),
        source: source.to_owned(),
        processes: Vec::new(),
    }
}

/// The index of the start rule the engine applies to a plant of `route` in `country`: the first
/// rule of `rules` that matches (so country rules listed before catch-all rules win).
pub fn rule_index(
    rules: &[StartRule],
    route: Route,
    country: CountryCode,
    process: Option<&str>,
) -> Option<usize> {
    rules.iter().position(|rule| rule.matches(route, Some(country), country.region(), process))
}

/// The main technology a plant of `route` in `country` starts on: the largest share of the mix of
/// the rule the engine applies ([`rule_index`]). The engine splits a plant's lines by the whole
/// mix; the briefs name the main one.
pub fn main_start_technology<'a>(
    rules: &'a [StartRule],
    route: Route,
    country: CountryCode,
    process: Option<&str>,
) -> Option<&'a TechId> {
    let rule = &rules[rule_index(rules, route, country, process)?];
    rule.mix.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|(id, _)| id)
}

/// The first main investment point after `base` of an asset whose last main investment (or start)
/// was in `anchor`: every `cycle` years from it (the engine's rule before its seeded jitter and
/// the end-of-run limit; a cycle below a year counts as one).
pub fn next_investment_point(anchor: i32, cycle: i32, base: i32) -> i32 {
    let cycle = cycle.max(1);
    anchor + ((base - anchor).div_euclid(cycle) + 1) * cycle
}

/// The default start rules for the bundled technology table.
pub fn default_start_rules() -> Vec<StartRule> {
    let avg_countries = ["CHN", "IND", "KOR"];
    let mut rules = Vec::new();
    for route in [Route::BfBof, Route::Bof, Route::Ohf] {
        rules.push(rule(route, &avg_countries, &[], &[("steel.bf-bof-avg", 1.0)], MPP_STEEL_PLANTS));
        let other = if route == Route::Ohf { "steel.bf-bof-avg" } else { "steel.bf-bof-bat" };
        rules.push(rule(route, &[], &[], &[(other, 1.0)], MPP_STEEL_PLANTS));
    }
    rules.push(rule(Route::DriEaf, &[], &[], &[("steel.dri-eaf-gas", 1.0)], MPP_STEEL_PLANTS));
    rules.push(rule(Route::Eaf, &[], &[], &[("steel.eaf-scrap", 1.0)], MPP_STEEL_PLANTS));

    let kiln = |regions: &[Region], coal: f64, gas: f64, af43: f64, af90: f64| {
        let mix: Vec<(&str, f64)> = [
            ("cement.kiln-coal", coal),
            ("cement.kiln-gas", gas),
            ("cement.kiln-af43", af43),
            ("cement.kiln-af90", af90),
        ]
        .into_iter()
        .filter(|(_, share)| *share > 0.0)
        .collect();
        rule(Route::CementIntegrated, &[], regions, &mix, ECRA_START)
    };
    rules.push(kiln(&[Region::China, Region::India], 1.0, 0.0, 0.0, 0.0));
    rules.push(kiln(&[Region::Europe], 0.10, 0.0, 0.0, 0.90));
    rules.push(kiln(&[Region::NorthAmerica], 0.50, 0.25, 0.25, 0.0));
    rules.push(kiln(&[Region::MiddleEast, Region::Cis], 0.50, 0.50, 0.0, 0.0));
    rules.push(kiln(&[Region::Africa], 0.55, 0.40, 0.05, 0.0));
    rules.push(kiln(&[Region::LatinAmerica], 0.75, 0.10, 0.15, 0.0));
    rules.push(kiln(
        &[Region::JapanKoreaTaiwan, Region::SoutheastAsia, Region::RestOfWorld],
        0.85,
        0.0,
        0.15,
        0.0,
    ));

    for (processes, tech) in [
        (&["coal"][..], "aluminium.smelter-carbon-anode-coal"),
        (&["natural-gas"][..], "aluminium.smelter-carbon-anode-gas"),
        (&["hydro"][..], "aluminium.smelter-carbon-anode-hydro"),
        (&["grid", "ppa-grid"][..], "aluminium.smelter-carbon-anode-grid"),
    ] {
        let mut by_power = rule(Route::AluminiumSmelter, &[], &[], &[(tech, 1.0)], MPP_SMELTERS);
        by_power.processes = processes.iter().map(|p| (*p).to_owned()).collect();
        rules.push(by_power);
    }
    rules.push(rule(
        Route::AluminiumSmelter,
        &[],
        &[],
        &[("aluminium.smelter-carbon-anode-grid", 1.0)],
        "MPP aluminium emissions.csv: carbon anode, grid power, 2.09 t CO2/t scope 1 (TECHNOLOGY.md §3.1); for smelters whose power supply is not given",
    ));
    for (processes, tech) in [
        (&["gas-boiler-gas-calciner"][..], "aluminium.refinery-gas-boiler-gas-calciner"),
        (
            &["coal-boiler-gas-calciner", "coal-boiler-oil-calciner"][..],
            "aluminium.refinery-coal-boiler-gas-calciner",
        ),
    ] {
        let mut by_fuel = rule(Route::AluminaRefinery, &[], &[], &[(tech, 1.0)], MPP_REFINERIES);
        by_fuel.processes = processes.iter().map(|p| (*p).to_owned()).collect();
        rules.push(by_fuel);
    }
    rules.push(rule(
        Route::AluminaRefinery,
        &[],
        &[],
        &[("aluminium.refinery-gas-boiler-gas-calciner", 1.0)],
        "MPP aluminium refineries: gas boiler + gas calciner is the typical refinery (TECHNOLOGY.md §3.2); for refineries whose fuels are not given or burn oil (no oil route: oil boilers counted as gas boilers)",
    ));
    for (process, tech) in
        [("coal-gasification", "ammonia.coal-gasification"), ("natural-gas-smr", "ammonia.smr")]
    {
        let mut by_feedstock = rule(Route::Ammonia, &[], &[], &[(tech, 1.0)], MPP_NH3_STACK);
        by_feedstock.processes = vec![process.to_owned()];
        rules.push(by_feedstock);
    }
    rules.push(rule(
        Route::Ammonia,
        &[],
        &[Region::China],
        &[("ammonia.coal-gasification", 0.75), ("ammonia.smr", 0.25)],
        MESSAGE_NH3,
    ));
    rules.push(rule(Route::Ammonia, &[], &[], &[("ammonia.smr", 1.0)], MESSAGE_NH3));
    rules
}

/// Families of the bundled routes for switch capex: a switch within a family converts the plant
/// (the target's renewal capex plus the difference of greenfield capex); a switch to another
/// family builds the new route's plant (greenfield capex). After the MPP steel model's switch-capex
/// rules (`TECHNOLOGY.md` §8, item 6), simplified: the BF-BOF variants (BAT, bio-/H2-PCI, CCUS,
/// CCU, BECCUS) are one family, the gas, biomethane, hydrogen and CCUS variants of DRI-EAF another;
/// DRI-Melt-BOF, smelting reduction, scrap EAF and ore electrolysis are their own. Cement kiln
/// routes (fuels, capture, electric and hydrogen kilns) are one family, as the MPP cement model
/// prices each as a brownfield renovation of the kiln; smelters, refineries and ammonia plants
/// likewise. Ids not listed are each their own family.
pub const ROUTE_FAMILIES: [(&str, &str); 13] = [
    ("steel.bf-bof", "steel.bf-bof"),
    ("steel.dri-eaf", "steel.dri-eaf"),
    ("steel.h2-dri-eaf", "steel.dri-eaf"),
    ("steel.dri-melt-bof", "steel.dri-melt-bof"),
    ("steel.smelting-reduction", "steel.smelting-reduction"),
    ("steel.eaf-scrap", "steel.eaf-scrap"),
    ("steel.electrolyzer-eaf", "steel.electrolysis"),
    ("steel.electrowinning-eaf", "steel.electrolysis"),
    ("cement.", "cement.kiln"),
    ("aluminium.smelter-inert-anode", "aluminium.smelter-inert-anode"),
    ("aluminium.smelter-", "aluminium.smelter"),
    ("aluminium.refinery-", "aluminium.refinery"),
    ("ammonia.", "ammonia.plant"),
];

/// The switch-capex family of a technology id (see [`ROUTE_FAMILIES`]).
pub fn route_family(id: &str) -> &str {
    ROUTE_FAMILIES.iter().find(|(prefix, _)| id.starts_with(prefix)).map_or(id, |(_, family)| family)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start_tech(route: Route, process: Option<&str>) -> String {
        let rules = default_start_rules();
        let country = CountryCode::resolve("AUS").unwrap();
        let i = rule_index(&rules, route, country, process).unwrap();
        assert_eq!(rules[i].mix.len(), 1);
        rules[i].mix[0].0.as_str().to_owned()
    }

    #[test]
    fn the_next_investment_point_is_the_first_cycle_after_the_base_year() {
        assert_eq!(next_investment_point(1990, 20, 2020), 2030);
        assert_eq!(next_investment_point(2000, 20, 2020), 2040);
        assert_eq!(next_investment_point(2020, 25, 2020), 2045);
        let rules = default_start_rules();
        let ind = CountryCode::resolve("IND").unwrap();
        assert_eq!(
            main_start_technology(&rules, Route::BfBof, ind, None).map(TechId::as_str),
            Some("steel.bf-bof-avg")
        );
    }

    #[test]
    fn refineries_start_on_their_boiler_fuel() {
        let refinery = |p| start_tech(Route::AluminaRefinery, p);
        assert_eq!(refinery(Some("coal-boiler-gas-calciner")), "aluminium.refinery-coal-boiler-gas-calciner");
        assert_eq!(refinery(Some("coal-boiler-oil-calciner")), "aluminium.refinery-coal-boiler-gas-calciner");
        assert_eq!(refinery(Some("gas-boiler-gas-calciner")), "aluminium.refinery-gas-boiler-gas-calciner");
        // Oil boilers and refineries without a process: the typical gas boiler + gas calciner.
        assert_eq!(refinery(Some("oil-boiler-oil-calciner")), "aluminium.refinery-gas-boiler-gas-calciner");
        assert_eq!(refinery(None), "aluminium.refinery-gas-boiler-gas-calciner");
        assert_eq!(
            start_tech(Route::AluminiumSmelter, Some("ppa-grid")),
            "aluminium.smelter-carbon-anode-grid"
        );
    }
}
