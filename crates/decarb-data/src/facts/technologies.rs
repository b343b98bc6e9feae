//! The bundled technology table (`facts/technologies.csv`).

use super::{FactsFile, FactsRow, bundled, value_error};
use crate::error::Error;
use decarb_model::units::{TonnesCo2PerTonne, UsdPerTonne, UsdPerTonnePerYear, Years};
use decarb_model::{Commodity, ElectricitySupply, Inputs, Phase, Region, Sector, TechId, Technology};
use std::sync::OnceLock;

const FILE: &str = "technologies.csv";
const TEXT: &str = include_str!("../../facts/technologies.csv");

/// The input columns of the table, in the units of [`Commodity::unit_per_tonne`].
const INPUT_COLUMNS: [(&str, Commodity); 11] = [
    ("iron_ore", Commodity::IronOre),
    ("scrap", Commodity::Scrap),
    ("met_coal", Commodity::MetCoal),
    ("coke", Commodity::Coke),
    ("coal", Commodity::Coal),
    ("natural_gas", Commodity::NaturalGas),
    ("hydrogen", Commodity::Hydrogen),
    ("electricity", Commodity::Electricity),
    ("biomass", Commodity::Biomass),
    ("waste", Commodity::Waste),
    ("alumina", Commodity::Alumina),
];

/// Greenfield capex columns and the year each stands for.
const CAPEX_YEARS: [(&str, i32); 3] =
    [("capex_greenfield_2020", 2020), ("capex_greenfield_2030", 2030), ("capex_greenfield_2050", 2050)];

/// Fixed opex columns after 2020 (the `fixed_opex` column) and the year each stands for.
const FIXED_OPEX_YEARS: [(&str, i32); 2] = [("fixed_opex_2030", 2030), ("fixed_opex_2050", 2050)];

/// Every bundled route, steel first, in the order of the table.
///
/// # Panics
/// Only if the compiled-in table is invalid, which the crate's tests rule out.
pub fn technologies() -> &'static [Technology] {
    static TABLE: OnceLock<Vec<Technology>> = OnceLock::new();
    bundled(&TABLE, || parse(TEXT)).as_slice()
}

/// The route with this id (`steel.h2-dri-eaf`), if bundled.
pub fn technology(id: &str) -> Option<&'static Technology> {
    technologies().iter().find(|t| t.id.as_str() == id)
}

/// The routes of one sector.
pub fn technologies_in(sector: Sector) -> impl Iterator<Item = &'static Technology> {
    technologies().iter().filter(move |t| t.sector == sector)
}

fn parse(text: &str) -> Result<Vec<Technology>, Error> {
    let file = FactsFile::parse(
        FILE,
        text,
        &["id", "sector", "name", "phase", "direct_co2", "capex_greenfield_2020", "currency", "source"],
    )?;
    let technologies = file.rows().map(|row| parse_row(&row)).collect::<Result<Vec<_>, _>>()?;
    check_graph(&file, &technologies)?;
    Ok(technologies)
}

fn parse_row(row: &FactsRow<'_>) -> Result<Technology, Error> {
    let mut inputs = Inputs::default();
    for (column, commodity) in INPUT_COLUMNS {
        inputs[commodity] = row.number_or_zero(column)?;
    }
    let usd = row.usd_factor("currency")?;
    let mut capex_by_year = Vec::new();
    for (column, year) in CAPEX_YEARS {
        if let Some(value) = row.optional_number(column)? {
            capex_by_year.push((year, UsdPerTonnePerYear(value * usd)));
        }
    }
    let fixed_opex = UsdPerTonne(row.number_or_zero("fixed_opex")? * usd);
    let mut fixed_opex_by_year = Vec::new();
    for (column, year) in FIXED_OPEX_YEARS {
        if let Some(value) = row.optional_number(column)? {
            if fixed_opex_by_year.is_empty() {
                fixed_opex_by_year.push((2020, fixed_opex));
            }
            fixed_opex_by_year.push((year, UsdPerTonne(value * usd)));
        }
    }
    let discount_rate = row.optional_number("discount_rate")?;
    if let Some(rate) = discount_rate
        && !(0.0..=0.3).contains(&rate)
    {
        return Err(value_error(
            row.at("discount_rate"),
            &rate.to_string(),
            "a real discount rate between 0 and 0.3",
        ));
    }
    let list = |column: &str| -> Vec<String> {
        row.cell(column).split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    };
    let electricity_supply = if row.cell("electricity_supply").is_empty() {
        ElectricitySupply::Grid
    } else {
        row.parsed("electricity_supply", "one of grid, ppa, onsite-vre, captive, hydro")?
    };
    let available_until =
        if row.cell("available_until").is_empty() { None } else { Some(row.year("available_until")?) };
    let switch_regions = list("switch_regions")
        .iter()
        .map(|id| {
            id.parse::<Region>()
                .map_err(|_| value_error(row.at("switch_regions"), id, "`;`-separated decarb region ids"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Technology {
        id: TechId(row.text("id")?.to_owned()),
        sector: row.parsed("sector", "one of steel, cement, aluminium, ammonia")?,
        name: row.text("name")?.to_owned(),
        phase: row.parsed::<Phase>("phase", "one of initial, transition, end-state")?,
        inputs,
        direct_co2: TonnesCo2PerTonne(row.number_or_zero("direct_co2")?),
        capture_rate: row.number_or_zero("capture_rate")?,
        capex_greenfield: capex_by_year.first().map_or(UsdPerTonnePerYear::ZERO, |(_, v)| *v),
        capex_renewal: UsdPerTonnePerYear(row.number_or_zero("capex_renewal")? * usd),
        fixed_opex,
        lifetime: Years(row.number("lifetime")?),
        reinvestment_cycle: Years(row.number("reinvestment_cycle")?),
        available_from: row.year("available_from")?,
        switches_to: list("switches_to").into_iter().map(TechId).collect(),
        source: row.text("source")?.to_owned(),
        functional_unit: row.text("functional_unit")?.to_owned(),
        capex_greenfield_by_year: capex_by_year,
        available_until,
        electricity_supply,
        missing: list("missing"),
        note: row.cell("note").to_owned(),
        discount_rate,
        fixed_opex_by_year,
        switch_family: None,
        switch_regions,
    })
}

/// Ids are unique, and every switch target is a bundled route of the same sector.
fn check_graph(file: &FactsFile, technologies: &[Technology]) -> Result<(), Error> {
    for ((line, _), tech) in file.rows.iter().zip(technologies) {
        let at = super::location(file.name).row(*line);
        if technologies.iter().filter(|t| t.id == tech.id).count() > 1 {
            return Err(value_error(at.column("id"), tech.id.as_str(), "an id used once"));
        }
        for target in &tech.switches_to {
            let known =
                technologies.iter().any(|t| &t.id == target && t.sector == tech.sector && t.id != tech.id);
            if !known {
                return Err(value_error(
                    at.clone().column("switches_to"),
                    target.as_str(),
                    "ids of other bundled routes of the same sector",
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::units::TonnesCo2PerTonne;

    fn get(id: &str) -> &'static Technology {
        technology(id).unwrap_or_else(|| panic!("{id} is not bundled"))
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(1e-9)
    }

    #[test]
    fn every_row_parses_with_a_source_and_a_unit() {
        let all = parse(TEXT).unwrap();
        assert_eq!(all.len(), 66);
        for tech in &all {
            assert!(!tech.source.trim().is_empty(), "{}", tech.id);
            assert!(!tech.functional_unit.is_empty(), "{}", tech.id);
            assert!(tech.lifetime.0 > 0.0 && tech.reinvestment_cycle.0 > 0.0, "{}", tech.id);
            assert!(tech.id.as_str().starts_with(&format!("{}.", tech.sector)), "{}", tech.id);
        }
        for sector in Sector::ALL {
            assert!(technologies_in(sector).count() >= 5, "{sector}");
        }
    }

    #[test]
    fn the_issue_routes_are_bundled() {
        let ids = [
            "steel.bf-bof-avg",
            "steel.bf-bof-bat",
            "steel.bf-bof-ccus",
            "steel.dri-eaf-gas",
            "steel.h2-dri-eaf",
            "steel.eaf-scrap",
            "steel.smelting-reduction",
            "steel.electrowinning-eaf",
            "cement.kiln-coal",
            "cement.kiln-coal-postcomb-ccs",
            "cement.kiln-coal-oxyfuel-ccs",
            "cement.electric-kiln-ds",
            "aluminium.smelter-carbon-anode-grid",
            "aluminium.smelter-inert-anode-grid",
            "aluminium.recycling",
            "aluminium.refinery-gas-boiler-gas-calciner",
            "ammonia.smr",
            "ammonia.smr-ccs",
            "ammonia.atr-ccs",
            "ammonia.coal-gasification",
            "ammonia.electrolytic-grid-ppa",
        ];
        for id in ids {
            get(id);
        }
    }

    #[test]
    fn steel_numbers_match_technology_md_and_convert_eur_at_1_140() {
        // TECHNOLOGY.md §1.1-1.2: Avg BF-BOF 2.43 t CO2/t, greenfield 872 EUR = 994 USD per t/yr.
        let avg = get("steel.bf-bof-avg");
        assert!(close(avg.direct_co2.0, 2.43, 0.005));
        assert!(close(avg.capex_greenfield.0, 994.0, 0.001), "{}", avg.capex_greenfield.0);
        assert!(close(avg.inputs[Commodity::Electricity], -0.28, 0.02));
        // BF-BOF+CCUS: 1.69 before, 1.43 captured, 0.25 net; capture 0.85.
        let ccus = get("steel.bf-bof-ccus");
        assert!(close(ccus.capture_rate, 0.85, 0.002));
        assert!(close(ccus.net_direct_co2().0, 0.2541, 0.002));
        // H2-DRI: 73 kg H2 per t; greenfield 698 EUR flat.
        let h2 = get("steel.h2-dri-eaf");
        assert!(close(h2.inputs[Commodity::Hydrogen] / decarb_model::units::HYDROGEN_GJ_PER_KG, 73.0, 0.001));
        assert!(close(h2.capex_greenfield_in(2040).0, 698.3 * 1.14, 1e-9));
        // Smelting reduction capex falls 599 -> 405 -> 358 EUR; 2040 lies halfway.
        let sr = get("steel.smelting-reduction");
        assert!(close(sr.capex_greenfield_in(2040).0, f64::midpoint(405.5, 357.8) * 1.14, 1e-9));
        // Switch graph: end states and EAF never switch; DRI-Melt-BOF stays in its family.
        assert!(get("steel.eaf-scrap").switches_to.is_empty());
        assert!(get("steel.bf-bof-ccus").switches_to.is_empty());
        let melt: Vec<_> = get("steel.dri-melt-bof").switches_to.iter().map(TechId::as_str).collect();
        assert_eq!(melt, ["steel.dri-melt-bof-h2", "steel.dri-melt-bof-ccus"]);
        assert_eq!(get("steel.bf-bof-avg").switches_to.len(), 19);
    }

    #[test]
    fn other_sectors_match_technology_md() {
        // §2.1: reference kiln 0.845 t CO2/t clinker net; post-combustion coal 0.061 net at 0.95.
        assert!(close(get("cement.kiln-coal").net_direct_co2().0, 0.845, 1e-3));
        let post = get("cement.kiln-coal-postcomb-ccs");
        assert!(close(post.net_direct_co2().0, 0.061, 0.01), "{}", post.net_direct_co2().0);
        assert!(close(get("cement.electric-kiln-ds").net_direct_co2().0, 0.027, 0.01));
        // §3.1: carbon anode 2.09, inert anode 0.063 t/t Al; inert anode from 2030.
        assert!(close(get("aluminium.smelter-carbon-anode-grid").direct_co2.0, 2.09, 0.002));
        let inert = get("aluminium.smelter-inert-anode-grid");
        assert!(close(inert.direct_co2.0, 0.063, 0.01));
        assert!(!inert.is_available(2029) && inert.is_available(2030));
        // §4.1: SMR 2.00 t CO2/t, 35.7 GJ gas; SMR+CCS 0.18 net at 0.90; ATR+CCS 0.08 net.
        let smr = get("ammonia.smr");
        assert!(close(smr.direct_co2.0, 2.00, 0.005) && close(smr.inputs[Commodity::NaturalGas], 35.7, 1e-9));
        assert!(close(get("ammonia.smr-ccs").net_direct_co2().0, 0.18, 0.01));
        assert!(close(get("ammonia.atr-ccs").net_direct_co2().0, 0.084, 0.01));
        let electrolytic = get("ammonia.electrolytic-grid-ppa");
        assert!(close(electrolytic.inputs[Commodity::Electricity], 10.33, 0.001));
        assert_eq!(electrolytic.direct_co2, TonnesCo2PerTonne(0.0));
        assert!(close(electrolytic.capex_greenfield_in(2050).0, 860.6, 1e-9));
        // Routes without sourced costs say so.
        assert!(get("aluminium.recycling").missing.iter().any(|m| m == "capex_greenfield"));
    }

    #[test]
    fn alumina_refineries_are_priced_at_iai_world_energy() {
        const GAS: f64 = 0.0561;
        const COAL: f64 = 0.0946;
        // §3.2: IAI world refining energy 10.915 GJ/t alumina in 2020, electricity 0.2077 MWh/t of it.
        let energy = |t: &Technology| {
            t.inputs[Commodity::NaturalGas]
                + t.inputs[Commodity::Coal]
                + t.inputs[Commodity::Hydrogen]
                + t.inputs[Commodity::Electricity] * 3.6
        };
        let typical = get("aluminium.refinery-gas-boiler-gas-calciner");
        assert!(close(energy(typical), 10.915, 0.001), "{}", energy(typical));
        assert!(close(typical.inputs[Commodity::Electricity], 0.2077, 1e-9));
        // Direct CO2 is the fuels' CO2 on every priced route (IPCC factors as for cement).
        let priced = [
            "aluminium.refinery-gas-boiler-gas-calciner",
            "aluminium.refinery-coal-boiler-gas-calciner",
            "aluminium.refinery-electric-boiler-gas-calciner",
            "aluminium.refinery-gas-boiler-electric-calciner",
            "aluminium.refinery-electric-boiler-electric-calciner",
            "aluminium.refinery-h2-boiler-h2-calciner",
        ];
        for id in priced {
            let t = get(id);
            let fuel_co2 = t.inputs[Commodity::NaturalGas] * GAS + t.inputs[Commodity::Coal] * COAL;
            assert!((t.direct_co2.0 - fuel_co2).abs() < 5e-4, "{id}: {} vs {fuel_co2}", t.direct_co2.0);
            // EGA Al Taweelah: USD 3.3 bn for 2 Mt/yr; Vedanta Lanjigarh brownfield 170 per t/yr.
            assert!(close(t.capex_greenfield_in(2020).0, 1650.0, 1e-9), "{id}");
            assert!(close(t.capex_renewal.0, 170.0, 1e-9), "{id}");
            assert_eq!(t.missing, ["fixed_opex"], "{id}");
        }
        // Coal boiler: MPP's Rest-of-Europe ratio of scope 1, 1.219 / 0.793, kept at world energy.
        let coal = get("aluminium.refinery-coal-boiler-gas-calciner");
        assert!(close(coal.direct_co2.0 / typical.direct_co2.0, 1.2189 / 0.7926, 0.002));
        // Electrified and hydrogen routes burn nothing; MVR's compressor power is not sourced.
        assert_eq!(
            get("aluminium.refinery-electric-boiler-electric-calciner").direct_co2,
            TonnesCo2PerTonne(0.0)
        );
        assert!(close(
            get("aluminium.refinery-h2-boiler-h2-calciner").inputs[Commodity::Hydrogen],
            10.17,
            1e-9
        ));
        let mvr = get("aluminium.refinery-mvr-gas-calciner");
        assert!(
            mvr.missing.iter().any(|m| m == "inputs") && mvr.missing.iter().any(|m| m == "capex_greenfield")
        );
        // The typical refinery may move to every later route.
        assert_eq!(typical.switches_to.len(), 6);
    }

    /// Reads a derived MPP table of the shared `tech` dataset into maps of column -> value.
    fn derived(name: &str) -> Option<Vec<std::collections::BTreeMap<String, String>>> {
        let dir = crate::shared::dataset("tech")?;
        let text = std::fs::read_to_string(dir.join("derived").join(name)).unwrap();
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().unwrap().clone();
        Some(
            reader
                .records()
                .map(|r| {
                    headers.iter().map(str::to_owned).zip(r.unwrap().iter().map(str::to_owned)).collect()
                })
                .collect(),
        )
    }

    fn num(row: &std::collections::BTreeMap<String, String>, column: &str) -> f64 {
        row.get(column).map_or(0.0, |v| v.parse().unwrap_or(0.0))
    }

    fn assert_close(what: &str, ours: f64, theirs: f64) {
        assert!((ours - theirs).abs() <= 1e-3 * theirs.abs().max(1.0), "{what}: ours {ours}, MPP {theirs}");
    }

    #[test]
    fn steel_routes_match_the_derived_mpp_table() {
        let Some(rows) = derived("steel_routes_mpp.csv") else { return };
        let names = [
            ("steel.bf-bof-avg", "Avg BF-BOF"),
            ("steel.bf-bof-bat", "BAT BF-BOF"),
            ("steel.bf-bof-bio-pci", "BAT BF-BOF_bio PCI"),
            ("steel.bf-bof-h2-pci", "BAT BF-BOF_H2 PCI"),
            ("steel.bf-bof-ccus", "BAT BF-BOF+CCUS"),
            ("steel.bf-bof-ccu", "BAT BF-BOF+CCU"),
            ("steel.bf-bof-beccus", "BAT BF-BOF+BECCUS"),
            ("steel.dri-eaf-gas", "DRI-EAF"),
            ("steel.dri-eaf-bio-ch4-50", "DRI-EAF_50% bio-CH4"),
            ("steel.dri-eaf-h2-50", "DRI-EAF_50% green H2"),
            ("steel.dri-eaf-ccus", "DRI-EAF+CCUS"),
            ("steel.h2-dri-eaf", "DRI-EAF_100% green H2"),
            ("steel.dri-melt-bof", "DRI-Melt-BOF"),
            ("steel.dri-melt-bof-ccus", "DRI-Melt-BOF+CCUS"),
            ("steel.dri-melt-bof-h2", "DRI-Melt-BOF_100% zero-C H2"),
            ("steel.smelting-reduction", "Smelting Reduction"),
            ("steel.smelting-reduction-ccus", "Smelting Reduction+CCUS"),
            ("steel.electrolyzer-eaf", "Electrolyzer-EAF"),
            ("steel.electrowinning-eaf", "Electrowinning-EAF"),
            ("steel.eaf-scrap", "EAF"),
            ("steel.charcoal-mini-furnace", "Charcoal mini furnace"),
        ];
        assert_eq!(technologies_in(Sector::Steel).count(), names.len());
        for (id, mpp) in names {
            let tech = get(id);
            let row = rows.iter().find(|r| r["technology"] == mpp).unwrap_or_else(|| panic!("{mpp}"));
            let pairs = [
                (Commodity::IronOre, "iron_ore_t"),
                (Commodity::Scrap, "scrap_t"),
                (Commodity::MetCoal, "met_coal_t"),
                (Commodity::Coke, "coke_GJ"),
                (Commodity::Coal, "thermal_coal_GJ"),
                (Commodity::NaturalGas, "natural_gas_GJ"),
                (Commodity::Hydrogen, "hydrogen_GJ"),
                (Commodity::Electricity, "electricity_MWh"),
            ];
            for (commodity, column) in pairs {
                assert_close(&format!("{id} {commodity}"), tech.inputs[commodity], num(row, column));
            }
            let bio = num(row, "biomass_GJ") + num(row, "biomethane_GJ");
            assert_close(&format!("{id} biomass"), tech.inputs[Commodity::Biomass], bio);
            assert_close(&format!("{id} CO2"), tech.direct_co2.0, num(row, "direct_CO2_before_capture_t"));
            assert_close(&format!("{id} net CO2"), tech.net_direct_co2().0, num(row, "direct_CO2_net_t"));
            // The derived file's "usd" columns hold MPP's EUR values: ours are x 1.140.
            for year in [2020, 2030, 2050] {
                let eur = num(row, &format!("gf_capex_usd_per_tpa_{year}"));
                assert_close(&format!("{id} capex {year}"), tech.capex_greenfield_in(year).0, eur * 1.140);
            }
            assert_close(
                &format!("{id} renewal"),
                tech.capex_renewal.0,
                num(row, "renewal_capex_usd_per_tpa_2020") * 1.14,
            );
            assert_close(
                &format!("{id} opex"),
                tech.fixed_opex.0,
                num(row, "other_opex_usd_per_t_2020") * 1.14,
            );
            assert_eq!(tech.available_from.to_string(), row["available_from"], "{id}");
            assert_eq!(tech.phase.as_str(), row["phase"].to_ascii_lowercase(), "{id}");
            assert_close(&format!("{id} lifetime"), tech.lifetime.0, num(row, "plant_lifetime_y"));
        }
    }

    /// MPP-shared cement @44a2f03: business_cases.xlsx sheet "Technology switching table" (fuel
    /// ladder coal -> gas -> AF 43 % -> AF 90 %, never down; capture on the own or a higher fuel;
    /// electric and H2 kilns from any unabated kiln) and config_cement.py `REGIONS_NATURAL_GAS`.
    #[test]
    fn cement_kilns_switch_up_the_mpp_fuel_ladder_and_take_up_gas_in_its_regions() {
        let ladder = ["coal", "gas", "af43", "af90"];
        for (rung, fuel) in ladder.iter().enumerate() {
            let tech = get(&format!("cement.kiln-{fuel}"));
            let mut expected: Vec<String> =
                ladder[rung + 1..].iter().map(|f| format!("cement.kiln-{f}")).collect();
            for f in &ladder[rung..] {
                for capture in ["postcomb-ccs", "oxyfuel-ccs", "leilac-ccs"] {
                    expected.push(format!("cement.kiln-{f}-{capture}"));
                }
            }
            expected.extend(["cement.electric-kiln-ds".to_owned(), "cement.h2-kiln-ds".to_owned()]);
            let targets: Vec<&str> = tech.switches_to.iter().map(TechId::as_str).collect();
            assert_eq!(targets, expected, "{}", tech.id);
        }
        let gas_regions =
            [Region::NorthAmerica, Region::Cis, Region::MiddleEast, Region::Africa, Region::LatinAmerica];
        for tech in technologies_in(Sector::Cement) {
            if tech.id.as_str().starts_with("cement.kiln-gas") {
                assert_eq!(tech.switch_regions, gas_regions, "{}", tech.id);
                assert!(tech.may_take_up_in(Region::Africa) && !tech.may_take_up_in(Region::India));
            } else {
                assert!(tech.switch_regions.is_empty(), "{}", tech.id);
            }
        }
    }

    #[test]
    fn cement_routes_match_the_derived_mpp_table() {
        let Some(rows) = derived("cement_clinker_routes_mpp.csv") else { return };
        let fuels = [
            ("coal", "Dry kiln coal", "Dry kiln coal"),
            ("gas", "Dry kiln natural gas", "Dry kiln natural gas"),
            ("af43", "Dry kiln alternative fuels 43%", "Dry kiln alternative fuels (43%)"),
            ("af90", "Dry kiln alternative fuels 90%", "Dry kiln alternative fuels (90%)"),
        ];
        let captures = [
            ("postcomb-ccs", "post combustion + storage"),
            ("oxyfuel-ccs", "oxyfuel + storage"),
            ("leilac-ccs", "direct separation + storage"),
        ];
        let mut pairs = vec![
            ("cement.electric-kiln-ds".to_owned(), "Electric kiln + direct separation".to_owned()),
            ("cement.h2-kiln-ds".to_owned(), "Dry kiln + Hydrogen + direct separation".to_owned()),
        ];
        for (fuel, base, prefix) in fuels {
            pairs.push((format!("cement.kiln-{fuel}"), base.to_owned()));
            for (capture, suffix) in captures {
                pairs.push((format!("cement.kiln-{fuel}-{capture}"), format!("{prefix} + {suffix}")));
            }
        }
        assert_eq!(technologies_in(Sector::Cement).count(), pairs.len());
        for (id, mpp) in &pairs {
            let tech = get(id);
            let row = rows.iter().find(|r| &r["technology"] == mpp).unwrap_or_else(|| panic!("{mpp}"));
            let net = num(row, "direct_CO2_net_t_per_t_clk_derived");
            assert!(
                (tech.net_direct_co2().0 - net).abs() < 5e-4,
                "{id}: {} vs {net}",
                tech.net_direct_co2().0
            );
            assert_close(&format!("{id} capture"), tech.capture_rate, num(row, "capture_rate"));
            assert_close(
                &format!("{id} capex 2020"),
                tech.capex_greenfield_in(2020).0,
                num(row, "gf_capex_usd_per_t_clk_2020"),
            );
            assert_close(
                &format!("{id} capex 2050"),
                tech.capex_greenfield_in(2050).0,
                num(row, "gf_capex_usd_per_t_clk_2050"),
            );
            assert_close(
                &format!("{id} renewal"),
                tech.capex_renewal.0,
                num(row, "renovation_capex_usd_per_t_clk_2020"),
            );
            // Capture is a retrofit that lives as long as its kiln (25 y); the workbook's 10 y is the
            // capture unit's, carried as the 10-y reinvestment cycle.
            let is_retrofit = tech.capture_rate > 0.0 && !id.contains("electric") && !id.contains("h2-kiln");
            let lifetime = if is_retrofit { 25.0 } else { num(row, "lifetime_y") };
            assert_close(&format!("{id} lifetime"), tech.lifetime.0, lifetime);
            assert_eq!(tech.available_from.to_string(), row["maturity_year_TRL8"], "{id}");
            // Without capture the inputs are the kiln's own.
            if tech.capture_rate == 0.0 {
                assert_close(&format!("{id} coal"), tech.inputs[Commodity::Coal], num(row, "coal_GJ"));
                assert_close(
                    &format!("{id} gas"),
                    tech.inputs[Commodity::NaturalGas],
                    num(row, "natural_gas_GJ"),
                );
                assert_close(
                    &format!("{id} waste"),
                    tech.inputs[Commodity::Waste],
                    num(row, "fossil_waste_GJ"),
                );
            }
        }
    }

    #[test]
    fn ammonia_routes_match_the_derived_mpp_table() {
        let Some(rows) = derived("ammonia_routes_mpp.csv") else { return };
        let pairs = [
            ("ammonia.smr", "Natural Gas SMR + ammonia synthesis"),
            ("ammonia.smr-ccs-process", "Natural Gas SMR + CCS (process emissions only) + ammonia synthesis"),
            ("ammonia.smr-ccs", "Natural Gas SMR + CCS + ammonia synthesis"),
            ("ammonia.atr-ccs", "Natural Gas ATR + CCS + ammonia synthesis"),
            ("ammonia.ghr-ccs", "GHR + CCS + ammonia synthesis"),
            ("ammonia.esmr-ccs", "ESMR Gas + CCS + ammonia synthesis"),
            ("ammonia.coal-gasification", "Coal Gasification + ammonia synthesis"),
            ("ammonia.coal-gasification-ccs", "Coal Gasification+ CCS + ammonia synthesis"),
            ("ammonia.electrolyser-smr", "Electrolyser + SMR + ammonia synthesis"),
            ("ammonia.electrolytic-grid-ppa", "Electrolyser - grid PPA + ammonia synthesis"),
            (
                "ammonia.electrolytic-vre-cavern",
                "Electrolyser - dedicated VRES + H2 storage - geological + ammonia synthesis",
            ),
            ("ammonia.methane-pyrolysis", "Methane Pyrolysis + ammonia synthesis"),
            ("ammonia.biomass-gasification", "Biomass Gasification + ammonia synthesis"),
        ];
        assert_eq!(technologies_in(Sector::Ammonia).count(), pairs.len());
        for (id, mpp) in pairs {
            let tech = get(id);
            let row = rows
                .iter()
                .find(|r| r["technology"] == mpp && r["region"] == "Europe")
                .unwrap_or_else(|| panic!("{mpp}"));
            let gas =
                num(row, "Energy:Natural gas [GJ/tNH3]") + num(row, "Raw material:Natural gas [GJ/tNH3]");
            let coal = num(row, "Energy:Coal [GJ/tNH3]") + num(row, "Raw material:Coal [GJ/tNH3]");
            // On-site VRE counts too: MPP's variable opex includes it (issue 12, item 1).
            let power = (num(row, "Energy:Electricity - grid [GJ/tNH3]")
                + num(row, "Energy:Electricity - PPA [GJ/tNH3]")
                + num(row, "Energy:Electricity - on site VREs [GJ/tNH3]"))
                / 3.6;
            assert_close(&format!("{id} gas"), tech.inputs[Commodity::NaturalGas], gas);
            assert_close(&format!("{id} coal"), tech.inputs[Commodity::Coal], coal);
            assert_close(&format!("{id} electricity"), tech.inputs[Commodity::Electricity], power);
            assert_close(&format!("{id} net CO2"), tech.net_direct_co2().0, num(row, "scope1_CO2_net_t"));
            for year in [2020, 2030, 2050] {
                let capex = num(row, &format!("Cost:Greenfield CAPEX [USD/tpa] {year}"));
                assert_close(&format!("{id} capex {year}"), tech.capex_greenfield_in(year).0, capex);
            }
            for year in [2030, 2050] {
                let fixed = num(row, &format!("Cost:Fixed OPEX [USD/tpa] {year}"));
                assert_close(&format!("{id} fixed opex {year}"), tech.fixed_opex_in(year).0, fixed);
            }
            assert_close(
                &format!("{id} fixed opex"),
                tech.fixed_opex.0,
                num(row, "Cost:Fixed OPEX [USD/tpa] 2020"),
            );
            assert_eq!(tech.available_from.to_string(), row["expected_maturity"], "{id}");
            assert_eq!(tech.phase.as_str(), row["classification"], "{id}");
        }
    }

    #[test]
    fn every_kiln_pays_fixed_opex_of_four_percent_of_its_capex() {
        // PyPSA technology-data "cement dry clinker": FOM 4 %/year (JRC-EU-TIMES).
        for id in ["cement.kiln-coal", "cement.kiln-af90", "cement.electric-kiln-ds", "cement.h2-kiln-ds"] {
            let t = get(id);
            assert!(close(t.fixed_opex.0, 0.04 * t.capex_greenfield_in(2020).0, 0.001), "{id}");
            assert!(t.missing.is_empty(), "{id}");
        }
        // Post-combustion capture on a coal kiln: CCS fixed opex 36.88 + 4 % of the kiln's 192.
        assert!(close(get("cement.kiln-coal-postcomb-ccs").fixed_opex.0, 36.88 + 7.68, 0.001));
    }

    #[test]
    fn a_switch_to_an_unknown_route_is_rejected() {
        let header = TEXT.lines().find(|l| l.starts_with("id,")).unwrap();
        let row = "steel.x,steel,X,initial,t crude steel,2020,,,,,,,,,,,,,grid,1,,100,,,,,EUR,40,20,steel.nowhere,,src,,0.07,,,";
        let err = parse(&format!("{header}\n{row}\n")).unwrap_err().to_string();
        assert!(err.contains("steel.nowhere") && err.contains("switches_to"), "{err}");
    }

    #[test]
    fn an_unknown_switch_region_is_rejected() {
        let header = TEXT.lines().find(|l| l.starts_with("id,")).unwrap();
        let row = "steel.x,steel,X,initial,t crude steel,2020,,,,,,,,,,,,,grid,1,,100,,,,,EUR,40,20,,,src,,0.07,,,india;atlantis";
        let err = parse(&format!("{header}\n{row}\n")).unwrap_err().to_string();
        assert!(err.contains("atlantis") && err.contains("switch_regions"), "{err}");
    }
}
