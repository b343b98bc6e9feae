//! The bundled default world: base-year production against the 2020 statistics, the fleet tables
//! re-derived from the shared datasets they were built from, and the demand paths.

use decarb_data::shared::dataset;
use decarb_data::world::{self, DEMAND_PATHS};
use decarb_model::units::Tonnes;
use decarb_model::{CountryCode, PlantStatus, Region, Route, Sector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Production of the bundled fleet in the base year, computed plant by plant.
fn fleet_output_mt(sector: Sector) -> f64 {
    world::default_fleet()
        .plants
        .iter()
        .filter(|p| p.sector == sector)
        .map(|p| {
            let capacity = p.capacity.value().expect("every bundled plant has a capacity");
            let region = p.country.expect("every bundled plant has a country").region();
            capacity.output(world::base_utilisation(sector, region)).to_mt()
        })
        .sum()
}

fn within(value: f64, target: f64, tolerance: f64) -> bool {
    (value - target).abs() <= tolerance * target
}

#[test]
fn base_year_production_is_within_5_percent_of_the_2020_statistics() {
    // TECHNOLOGY.md §7.1: steel 1,880 Mt; cement about 4.2-4.3 Gt; primary aluminium 65.3 Mt; ammonia
    // 185.4 Mt NH3-eq.
    let steel = fleet_output_mt(Sector::Steel);
    let cement = fleet_output_mt(Sector::Cement);
    let aluminium = fleet_output_mt(Sector::Aluminium);
    let ammonia = fleet_output_mt(Sector::Ammonia);
    eprintln!(
        "base-year output, Mt: steel {steel:.1}, cement {cement:.1}, aluminium {aluminium:.2}, \
         ammonia {ammonia:.1}"
    );
    assert!(within(steel, 1880.0, 0.05), "steel {steel}");
    assert!((4200.0 * 0.95..=4300.0 * 1.05).contains(&cement), "cement {cement}");
    assert!(within(aluminium, 65.3, 0.05), "aluminium {aluminium}");
    assert!(within(ammonia, 185.4, 0.05), "ammonia {ammonia}");
    // The same figure through the module's own sum.
    assert!(within(world::base_output(Sector::Steel).to_mt(), steel, 1e-9));
}

#[test]
fn base_utilisation_stays_within_the_sector_maximum_and_every_producing_region_has_plants() {
    for sector in Sector::ALL {
        let bounds = world::utilisation_bounds(sector);
        assert!(0.0 < bounds.min && bounds.min < bounds.max && bounds.max <= 1.0, "{sector}");
        assert!(!bounds.source.is_empty());
        for region in Region::ALL {
            let utilisation = world::base_utilisation(sector, region);
            assert!((0.0..=bounds.max).contains(&utilisation), "{sector} {region}: {utilisation}");
            if world::base_production(sector, region).0 > 0.0 {
                assert!(
                    world::base_capacity(sector, region).0 > 0.0,
                    "{sector} {region} produces without plants"
                );
            }
        }
    }
    // Cement and aluminium are not capped anywhere but the Middle East smelters (0.99 reported): the
    // bundled output equals the statistics.
    assert!(within(world::base_output(Sector::Cement).to_mt(), 4200.0, 1e-6));
    let middle_east = world::base_production(Sector::Aluminium, Region::MiddleEast)
        / world::base_capacity(Sector::Aluminium, Region::MiddleEast).output(1.0);
    assert!(within(middle_east, 0.988, 0.002), "{middle_east}");
    // China's steel: 1,064.8 Mt made in 2020 on 1,073.5 Mt of GEM-tracked capacity is 0.99, above MPP's
    // 0.95, so the bundled world runs China at 0.95.
    assert!(within(world::base_utilisation(Sector::Steel, Region::China), 0.95, 1e-12));
}

#[test]
fn every_bundled_plant_is_an_operating_synthetic_plant_with_a_source_and_a_plausible_cohort() {
    let fleet = world::default_fleet();
    let rows = world::fleet_rows();
    assert_eq!(fleet.len(), rows.len());
    let ids: BTreeSet<&str> = fleet.plants.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), fleet.len(), "plant ids are unique");
    for (plant, row) in fleet.plants.iter().zip(rows) {
        assert_eq!(plant.source, world::SOURCE);
        assert_eq!(plant.status, PlantStatus::Operating);
        assert!(plant.coordinates.is_none());
        assert_eq!(plant.route, row.route);
        assert!(plant.id.starts_with(&format!("world.{}.{}.", row.sector, row.country)), "{}", plant.id);
        assert!(!row.source.trim().is_empty(), "{}", plant.id);
        let capacity = row.capacity.to_mt();
        assert!(capacity > 0.0 && capacity.is_finite(), "{}", plant.id);
        let start = plant.start.expect("a start year").year;
        assert!((1880..=world::BASE_YEAR).contains(&start), "{}: {start}", plant.id);
    }
    assert!(ids.contains("world.steel.CHN.bf-bof.1990"));
    assert!(ids.contains("world.ammonia.CHN.ammonia-coal-gasification.2011"));
    let routes: BTreeSet<Route> = fleet.plants.iter().map(|p| p.route).collect();
    let expected = [
        Route::BfBof,
        Route::DriEaf,
        Route::Eaf,
        Route::CementIntegrated,
        Route::CementGrinding,
        Route::AluminiumSmelter,
        Route::Ammonia,
    ];
    assert_eq!(routes, expected.into_iter().collect());
    assert_eq!(world::default_fleet(), fleet, "deterministic");
}

#[test]
fn steel_cohort_years_follow_the_dashboard_age_groups() {
    let expected: BTreeMap<&str, i32> = [
        ("0-9 years", 2020),
        ("10-19 years", 2010),
        ("20-29 years", 2000),
        ("30-39 years", 1990),
        ("40-49 years", 1980),
        ("50+ years", 1965),
    ]
    .into_iter()
    .collect();
    for row in world::fleet_rows().iter().filter(|r| r.sector == Sector::Steel) {
        assert_eq!(expected.get(row.cohort.as_str()), Some(&row.start_year), "{row:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Re-derivation from the shared datasets.

fn json(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path).expect("readable JSON");
    serde_json::from_str(&text).expect("a JSON array")
}

fn number(row: &serde_json::Value, key: &str) -> f64 {
    row.get(key).and_then(serde_json::Value::as_f64).unwrap_or_else(|| panic!("{key} in {row}"))
}

fn text<'a>(row: &'a serde_json::Value, key: &str) -> &'a str {
    row.get(key).and_then(serde_json::Value::as_str).unwrap_or_else(|| panic!("{key} in {row}"))
}

/// The steel derivation of `world/README.md`, written again from the dashboard files: BOF is
/// BF-BOF; EAF + IF up to the operating DRI capacity is DRI-EAF, the rest scrap EAF; cohort shares
/// from the BF (BF-BOF), DRI (DRI-EAF) and EAF (EAF) age columns, falling back to BOF / EAF and
/// then to the world's column.
fn derive_steel(dir: &Path) -> BTreeMap<(String, Route, String), f64> {
    const GROUPS: [&str; 6] =
        ["0-9 years", "10-19 years", "20-29 years", "30-39 years", "40-49 years", "50+ years"];
    let operating = |file: &str| -> BTreeMap<String, serde_json::Value> {
        json(&dir.join(file))
            .into_iter()
            .filter(|r| text(r, "Status") == "operating")
            .map(|r| (text(&r, "Country").to_owned(), r))
            .collect()
    };
    let steel = operating("gist_steelmaking.json");
    let iron = operating("gist_ironmaking.json");
    let mut ages: BTreeMap<(String, String), serde_json::Value> = BTreeMap::new();
    for row in json(&dir.join("gist_age_tech.json")) {
        ages.insert((text(&row, "Country").to_owned(), text(&row, "Age group").to_owned()), row);
    }
    let column = |tech: &str| match tech {
        "BF" => "Blast furnace (BF)",
        "DRI" => "Direct reduced iron (DRI)",
        "BOF" => "Basic oxygen furnace (BOF)",
        _ => "Electric arc furnace (EAF)",
    };
    let shares = |country: &str, basis: &[&str]| -> Vec<f64> {
        for who in [country, "Global"] {
            for tech in basis {
                let values: Vec<f64> = GROUPS
                    .iter()
                    .map(|g| {
                        ages.get(&(who.to_owned(), (*g).to_owned())).map_or(0.0, |r| number(r, column(tech)))
                    })
                    .collect();
                let total: f64 = values.iter().sum();
                if total > 0.0 {
                    return values.iter().map(|v| v / total).collect();
                }
            }
        }
        panic!("no age data for {country}");
    };
    let mut out = BTreeMap::new();
    for (country, row) in &steel {
        if country == "Global" {
            continue;
        }
        let code = CountryCode::resolve(country).unwrap_or_else(|| panic!("GEM country {country}"));
        let dri: f64 = iron.get(country).map_or(0.0, |r| {
            ["DRI (coal)", "DRI (methane)", "DRI (H2)", "DRI (other/unknown)"]
                .iter()
                .map(|k| number(r, k))
                .sum()
        });
        let electric = number(row, "EAF") + number(row, "IF");
        let routes = [
            (Route::BfBof, number(row, "BOF"), &["BF", "BOF"][..]),
            (Route::DriEaf, electric.min(dri), &["DRI", "EAF"][..]),
            (Route::Eaf, electric - electric.min(dri), &["EAF"][..]),
        ];
        for (route, capacity, basis) in routes {
            if capacity <= 0.0 {
                continue;
            }
            for (group, share) in GROUPS.iter().zip(shares(country, basis)) {
                let kt = capacity * share;
                if kt >= 0.05 {
                    out.insert((code.as_str().to_owned(), route, (*group).to_owned()), kt);
                }
            }
        }
    }
    out
}

#[test]
fn steel_fleet_table_is_the_gem_dashboard_rederived() {
    let Some(dir) = dataset("gem-gist-dashboard-2025") else { return };
    let derived = derive_steel(&dir);
    let bundled: BTreeMap<(String, Route, String), f64> = world::fleet_rows()
        .iter()
        .filter(|r| r.sector == Sector::Steel)
        .map(|r| ((r.country.as_str().to_owned(), r.route, r.cohort.clone()), r.capacity.to_kt()))
        .collect();
    assert_eq!(derived.keys().collect::<Vec<_>>(), bundled.keys().collect::<Vec<_>>());
    for (key, kt) in &derived {
        // The table keeps 0.1 kt.
        assert!((bundled[key] - kt).abs() <= 0.051, "{key:?}: bundled {} derived {kt}", bundled[key]);
    }
    // Against the dashboard's own world row: all operating BOF and EAF + IF capacity is in the table.
    let world_row = json(&dir.join("gist_steelmaking.json"))
        .into_iter()
        .find(|r| text(r, "Country") == "Global" && text(r, "Status") == "operating")
        .expect("a Global operating row");
    let bof = number(&world_row, "BOF");
    let electric = number(&world_row, "EAF") + number(&world_row, "IF");
    let sum = |routes: &[Route]| -> f64 {
        world::fleet_rows().iter().filter(|r| routes.contains(&r.route)).map(|r| r.capacity.to_kt()).sum()
    };
    assert!(within(sum(&[Route::BfBof]), bof, 0.001), "BOF {} vs {bof}", sum(&[Route::BfBof]));
    assert!(within(sum(&[Route::DriEaf, Route::Eaf]), electric, 0.001));
}

fn read_csv(path: &Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(path).expect("readable CSV");
    reader.records().map(|r| r.expect("a CSV record")).collect()
}

fn strip_bom(text: &str) -> &str {
    text.trim_start_matches('\u{feff}')
}

fn regional_production(sector: Sector) -> BTreeMap<Region, f64> {
    Region::ALL
        .iter()
        .map(|&r| (r, world::base_production(sector, r).to_mt()))
        .filter(|(_, v)| *v > 0.0)
        .collect()
}

#[test]
fn steel_and_aluminium_base_production_are_the_statistics_summed_by_region() {
    if let Some(dir) = dataset("worldsteel-production-trade") {
        let mut by_region: BTreeMap<Region, f64> = BTreeMap::new();
        for row in read_csv(&dir.join("crude_steel_production_kt_2015_2021.csv")) {
            let name = strip_bom(&row[0]);
            let name = if name == "Belgium-Luxembourg" { "Belgium" } else { name };
            if let Ok(kt) = row[6].trim().parse::<f64>() {
                let code = CountryCode::resolve(name).unwrap_or_else(|| panic!("worldsteel country {name}"));
                *by_region.entry(code.region()).or_default() += kt / 1000.0;
            }
        }
        let bundled = regional_production(Sector::Steel);
        assert_eq!(bundled.len(), by_region.len());
        for (region, mt) in by_region {
            assert!((bundled[&region] - mt).abs() < 0.001, "{region}: {} vs {mt}", bundled[&region]);
        }
        let world: f64 = bundled.values().sum();
        assert!(within(world, 1873.7, 0.0005), "{world}");
    }
    if let Some(dir) = dataset("bgs-aluminium-production") {
        let mut reader =
            csv::Reader::from_path(dir.join("AL_production_BGS_2015-2022.csv")).expect("BGS file");
        let mut by_region: BTreeMap<Region, f64> = BTreeMap::new();
        for row in reader.records() {
            let row = row.expect("a BGS record");
            if &row[2] == "2020" {
                let code = CountryCode::resolve(&row[0]).unwrap_or_else(|| panic!("BGS code {}", &row[0]));
                *by_region.entry(code.region()).or_default() += row[1].parse::<f64>().expect("kt") / 1000.0;
            }
        }
        let bundled = regional_production(Sector::Aluminium);
        for (region, mt) in &by_region {
            assert!((bundled[region] - mt).abs() < 0.001, "{region}");
        }
        assert!(within(bundled.values().sum::<f64>(), 65.3, 0.001));
    }
}

#[test]
fn cement_capacity_keeps_every_reported_sfi_plant_and_production_is_usgs_2020() {
    let Some(dir) = dataset("sfi-cement-2021") else { return };
    let mut reported: BTreeMap<CountryCode, (f64, usize)> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(dir.join("SFI_ALD_Cement_Database.csv")).expect("SFI file");
    let headers = reader.headers().expect("SFI header").clone();
    let col = |name: &str| headers.iter().position(|h| strip_bom(h) == name).expect(name);
    let (iso3, status, capacity) = (col("iso3"), col("status"), col("capacity"));
    for row in reader.records() {
        let row = row.expect("an SFI record");
        if &row[status] != "Operating" {
            continue;
        }
        let code = CountryCode::resolve(&row[iso3]).expect("SFI iso3");
        let entry = reported.entry(code).or_default();
        match row[capacity].trim().parse::<f64>() {
            Ok(mt) => entry.0 += mt,
            Err(_) => entry.1 += 1,
        }
    }
    let bundled: BTreeMap<CountryCode, f64> = world::fleet_rows()
        .iter()
        .filter(|r| r.sector == Sector::Cement)
        .fold(BTreeMap::new(), |mut acc, r| {
            *acc.entry(r.country).or_default() += r.capacity.to_mt();
            acc
        });
    for (country, (mt, missing)) in &reported {
        let total = bundled.get(country).copied().unwrap_or(0.0);
        // Imputation and the production floor only ever add capacity.
        assert!(total >= mt - 0.01, "{country}: bundled {total} < reported {mt}");
        if *missing == 0 && total > mt + 0.01 {
            // A fully reported country grows only by unlisted capacity up to USGS production.
            let unlisted = world::fleet_rows()
                .iter()
                .filter(|r| r.sector == Sector::Cement && r.country == *country)
                .all(|r| r.source.contains("unlisted"));
            assert!(unlisted, "{country}: bundled {total} vs reported {mt}");
        }
    }
    let china = bundled[&CountryCode::resolve("CHN").expect("China")];
    assert!(china > reported[&CountryCode::resolve("CHN").expect("China")].0, "China imputes 570 plants");
    // USGS world 2020 = 4,200 Mt (human_impacts world series).
    let world: f64 = regional_production(Sector::Cement).values().sum();
    assert!(within(world, 4200.0, 1e-6), "{world}");
    if let Some(stats) = dataset("production-stats-usgs-worldsteel") {
        let series = std::fs::read_to_string(
            stats.join("USGS_cement_production__USGS_cement_production_1994-2021.csv"),
        )
        .expect("USGS world series");
        let line = series.lines().find(|l| l.starts_with("2020,")).expect("a 2020 row");
        let usgs: f64 = line.split(',').nth(1).and_then(|v| v.parse().ok()).expect("a value");
        assert!(within(world, usgs, 1e-9));
    }
}

#[test]
fn aluminium_and_ammonia_fleets_are_the_mpp_stacks_aggregated() {
    let Some(dir) = dataset("mpp-shared-code") else { return };
    let sector_total = |sector: Sector| -> f64 {
        world::fleet_rows().iter().filter(|r| r.sector == sector).map(|r| r.capacity.to_mt()).sum()
    };
    let mut smelters = 0.0;
    let mut china = 0.0;
    for row in read_csv(&dir.join("aluminium/smelters/initial_asset_stack.csv")) {
        let mt: f64 = row[7].parse().expect("capacity");
        smelters += mt;
        if row[3].starts_with("China") {
            china += mt;
        }
    }
    assert!(within(sector_total(Sector::Aluminium), smelters, 1e-6), "{smelters}");
    let bundled_china: f64 = world::fleet_rows()
        .iter()
        .filter(|r| r.sector == Sector::Aluminium && r.country.as_str() == "CHN")
        .map(|r| r.capacity.to_mt())
        .sum();
    assert!(within(bundled_china, china, 1e-6));

    // NH3-equivalent: NH3 + 0.566 urea + 0.426 ammonium nitrate (TECHNOLOGY.md §0).
    let mut nh3_eq = 0.0;
    for row in read_csv(&dir.join("ammonia/initial_asset_stack.csv")) {
        let factor = match &row[0] {
            "Ammonia" => 1.0,
            "Urea" => 0.566,
            "Ammonium nitrate" => 0.426,
            other => panic!("product {other}"),
        };
        nh3_eq += row[4].parse::<f64>().expect("capacity") * factor;
    }
    assert!(within(sector_total(Sector::Ammonia), nh3_eq, 1e-6), "{nh3_eq}");
    assert!(within(nh3_eq, 219.9, 0.001));
}

// ---------------------------------------------------------------------------------------------
// Demand paths.

#[test]
fn every_demand_path_covers_each_sector_region_and_year_and_starts_at_base_production() {
    world::validate().expect("bundled tables are well formed");
    for name in DEMAND_PATHS {
        let path = world::demand_path(name).expect(name);
        assert_eq!(path.name(), name);
        for sector in Sector::ALL {
            assert!(!path.sources(sector).is_empty(), "{name} {sector} has sources");
            for region in Region::ALL {
                let base = world::base_production(sector, region);
                for year in path.years() {
                    let demand = path.demand(sector, region, year).expect("a value for 2020..=2050");
                    assert!(demand.0.is_finite() && demand.0 >= 0.0, "{name} {sector} {region} {year}");
                    if base.0 > 0.0 {
                        assert!(demand.0 > 0.0, "{name} {sector} {region} {year}");
                    }
                }
                let start = path.demand(sector, region, world::BASE_YEAR).expect("2020");
                assert!((start.0 - base.0).abs() <= 1e-9 * base.0.max(1.0), "{name} {sector} {region}");
            }
            assert!(path.demand(sector, Region::China, 2019).is_none());
            assert!(path.demand(sector, Region::China, 2051).is_none());
        }
    }
    let err = world::demand_path("netzero").expect_err("unknown path");
    assert!(err.to_string().contains("netzero") && err.to_string().contains("net-zero"), "{err}");
}

#[test]
fn demand_paths_follow_their_sources() {
    let mt =
        |path: &world::DemandPath, sector, region, year| path.demand(sector, region, year).map(Tonnes::to_mt);
    let bau = world::demand_path("bau").expect("bau");
    // India, MPP BAU: 119.475 (2020) -> 444.624 Mt (2050) on 100.256 Mt produced in 2020.
    let india = mt(&bau, Sector::Steel, Region::India, 2050).expect("2050");
    assert!(within(india, 100.256 * 444.624 / 119.475, 1e-4), "{india}");
    // Linear between 2020 and 2030: 2025 is the mean of the two.
    let (a, b, c) = (
        mt(&bau, Sector::Steel, Region::India, 2020).expect("2020"),
        mt(&bau, Sector::Steel, Region::India, 2025).expect("2025"),
        mt(&bau, Sector::Steel, Region::India, 2030).expect("2030"),
    );
    assert!(within(b, f64::midpoint(a, c), 1e-12));

    let net_zero = world::demand_path("net-zero").expect("net-zero");
    let steel_world = |year| net_zero.world(Sector::Steel, year).expect("a year").to_mt();
    // IEA NZR 2023: 1,880 -> 1,970 (2030) -> 1,960 (2050), applied to 1,873.7 Mt of 2020 production.
    assert!(within(steel_world(2030), 1873.721 * 1970.0 / 1880.0, 1e-6));
    assert!(within(steel_world(2050), 1873.721 * 1960.0 / 1880.0, 1e-6));
    // Aluminium: IEA NZR 146 Mt x 44 % primary in 2050 on a 65.3 Mt anchor.
    let aluminium = net_zero.world(Sector::Aluminium, 2050).expect("2050").to_mt();
    assert!(within(aluminium, 65.3 * 64.24 / 65.3, 0.001), "{aluminium}");
    // Ammonia NZ grows about threefold (185 -> 579 Mt NH3-eq), BAU to about 253.
    let ammonia_nz = net_zero.world(Sector::Ammonia, 2050).expect("2050").to_mt();
    let ammonia_bau = bau.world(Sector::Ammonia, 2050).expect("2050").to_mt();
    assert!((450.0..700.0).contains(&ammonia_nz), "{ammonia_nz}");
    assert!((220.0..300.0).contains(&ammonia_bau), "{ammonia_bau}");
    // Cement BAU: MPP clinker 3,036 -> 4,779 Mt, index on 4,200 Mt of cement.
    let cement = bau.world(Sector::Cement, 2050).expect("2050").to_mt();
    assert!(within(cement, 4200.0 * 4779.2 / 3036.0, 0.001), "{cement}");

    let flat = world::demand_path("flat").expect("flat");
    for sector in Sector::ALL {
        let start = flat.world(sector, 2020).expect("2020");
        assert!(within(flat.world(sector, 2050).expect("2050").0, start.0, 1e-12));
    }
}
