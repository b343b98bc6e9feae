//! The bundled default world: base-year production against the 2020 statistics, the fleet tables
//! re-derived from the shared datasets they were built from, and the demand paths.

use decarb_data::shared::dataset;
use decarb_data::world::{self, DEMAND_PATHS};
use decarb_model::units::Tonnes;
use decarb_model::{CountryCode, PlantStatus, Region, Route, Sector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Production of the bundled fleet in the base year, computed plant by plant: operating plants of
/// the sector's product (plants under construction and alumina refineries make none of it).
fn fleet_output_mt(sector: Sector) -> f64 {
    world::fleet_rows()
        .iter()
        .filter(|r| r.sector == sector && world::counts_as_base_capacity(r))
        .map(|r| r.capacity.output(world::base_utilisation(sector, r.country.region())).to_mt())
        .sum()
}

fn capacity_mt(sector: Sector) -> f64 {
    world::fleet_rows()
        .iter()
        .filter(|r| r.sector == sector && world::counts_as_base_capacity(r))
        .map(|r| r.capacity.to_mt())
        .sum()
}

fn within(value: f64, target: f64, tolerance: f64) -> bool {
    (value - target).abs() <= tolerance * target
}

/// Whether the aluminium plants are MPP's own rows (read from the user's copy) or the bundled
/// fallback units.
fn aluminium_from_mpp() -> bool {
    world::fleet_rows().iter().any(|r| r.sector == Sector::Aluminium && r.id.starts_with("mpp."))
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
fn capacity_at_the_utilisation_bounds_can_make_the_2020_production() {
    // Capacity x the sector's maximum utilisation must reach 2020 production, world and region by
    // region (else the base year cannot be met); capacity x the minimum must not exceed it by so much
    // that the whole world starts below the closure threshold.
    let anchors = [
        (Sector::Steel, 1880.0),
        (Sector::Cement, 4200.0),
        (Sector::Aluminium, 65.3),
        (Sector::Ammonia, 185.4),
    ];
    for (sector, anchor) in anchors {
        let bounds = world::utilisation_bounds(sector);
        let capacity = capacity_mt(sector);
        eprintln!(
            "{sector}: capacity {capacity:.1} Mt, x max {:.2} = {:.1}, x min {:.2} = {:.1}, 2020 {anchor}",
            bounds.max,
            capacity * bounds.max,
            bounds.min,
            capacity * bounds.min
        );
        assert!(capacity * bounds.min <= anchor, "{sector}: {capacity} x {} > {anchor}", bounds.min);
        // Steel: GEM tracks 2,165 Mt of operating capacity for 1,880 Mt made (x 0.95 = 2,057).
        assert!(capacity * bounds.max >= anchor * 0.97, "{sector}: {capacity} x {} < {anchor}", bounds.max);
        for region in Region::ALL {
            let made = world::base_production(sector, region).to_mt();
            let can = world::base_capacity(sector, region).to_mt() * bounds.max;
            if made > can * 1.001 {
                eprintln!("  {sector} {region}: made {made:.1} Mt > capacity x max {can:.1} Mt (capped)");
            }
        }
    }
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
    // Cement is not capped anywhere: the bundled output equals the statistics. Aluminium is capped
    // only in the Middle East (0.99 reported), with either aluminium fleet (same country totals).
    assert!(within(world::base_output(Sector::Cement).to_mt(), 4200.0, 1e-6));
    let middle_east = world::base_production(Sector::Aluminium, Region::MiddleEast)
        / world::base_capacity(Sector::Aluminium, Region::MiddleEast).output(1.0);
    assert!(within(middle_east, 0.988, 0.002), "{middle_east}");
    // China's steel: 1,064.8 Mt made in 2020 on the GEM plants' operating capacity is above MPP's 0.95,
    // so the bundled world runs China at 0.95.
    assert!(within(world::base_utilisation(Sector::Steel, Region::China), 0.95, 1e-12));
}

#[test]
fn every_plant_has_a_source_a_licence_a_status_and_a_plausible_start() {
    let fleet = world::default_fleet();
    let rows = world::fleet_rows();
    assert_eq!(fleet.len(), rows.len());
    let ids: BTreeSet<&str> = fleet.plants.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), fleet.len(), "plant ids are unique");
    for (plant, row) in fleet.plants.iter().zip(rows) {
        assert_eq!(plant.source, world::SOURCE);
        assert_eq!(plant.route, row.route);
        assert_eq!(plant.status, row.status);
        assert!(plant.id.starts_with(&format!("world.{}.{}.", row.sector, row.country)), "{}", plant.id);
        assert!(!row.source.trim().is_empty() && !row.licence.trim().is_empty(), "{}", plant.id);
        let capacity = row.capacity.to_mt();
        assert!(capacity > 0.0 && capacity.is_finite(), "{}", plant.id);
        match row.status {
            // The GEM and MPP files describe 2024-25: plants started since 2020 are in the 2020 fleet.
            PlantStatus::Operating | PlantStatus::OperatingPreRetirement => {
                assert!(
                    row.start.is_none_or(|y| (1700..=2025).contains(&y)),
                    "{}: {:?}",
                    plant.id,
                    row.start
                );
            }
            PlantStatus::Construction => {
                assert_eq!(row.sector, Sector::Steel, "{}", plant.id);
                assert!(row.start.is_some_and(|y| y > world::BASE_YEAR), "{}", plant.id);
            }
            other => panic!("{}: status {other}", plant.id),
        }
        assert_eq!(plant.start.map(|d| d.year), row.start);
        assert!((1700..=2030).contains(&row.start_year), "{}", plant.id);
        assert!(row.last_investment.is_none_or(|y| row.start.is_none_or(|s| y >= s - 1)), "{}", plant.id);
        if !row.owner.is_empty() {
            assert!(!plant.owners.is_empty(), "{}", plant.id);
        }
    }
    // An AGPL licence only where the loader read the user's MPP copy at run time.
    for row in rows {
        assert_eq!(
            row.licence.starts_with("AGPL"),
            row.id.starts_with("mpp."),
            "{}: {}",
            row.id,
            row.licence
        );
    }
    let routes: BTreeSet<Route> = fleet.plants.iter().map(|p| p.route).collect();
    let expected = [
        Route::BfBof,
        Route::DriEaf,
        Route::Eaf,
        Route::Ohf,
        Route::CementIntegrated,
        Route::CementGrinding,
        Route::AluminiumSmelter,
        Route::AluminaRefinery,
        Route::Ammonia,
    ];
    assert_eq!(routes, expected.into_iter().collect());
    assert!(ids.contains("world.steel.KOR.P100000120699.bf-bof"), "POSCO Gwangyang");
    assert_eq!(world::default_fleet(), fleet, "deterministic");
    // Owners with shares come through (GEM: "Name [49%]").
    let shared = fleet.plants.iter().filter(|p| p.parents.iter().any(|o| o.share.is_some())).count();
    assert!(shared > 50, "{shared} plants with parent shares");
}

#[test]
fn row_counts_largest_units_and_start_data_per_sector() {
    let rows = world::fleet_rows();
    let count = |sector| rows.iter().filter(|r| r.sector == sector).count();
    let largest = |sector| {
        rows.iter()
            .filter(|r| r.sector == sector)
            .max_by(|a, b| a.capacity.0.total_cmp(&b.capacity.0))
            .map(|r| (r.id.clone(), r.capacity.to_mt()))
            .expect("plants")
    };
    for sector in Sector::ALL {
        let (id, mt) = largest(sector);
        let dated = rows.iter().filter(|r| r.sector == sector && r.start.is_some()).count();
        eprintln!("{sector}: {} plants ({dated} with a start year), largest {id} {mt:.2} Mt", count(sector));
    }
    // Steel: 944 operating plant x route rows and 31 under construction (GEM GIST 2025).
    assert_eq!(count(Sector::Steel), 975);
    let building = rows.iter().filter(|r| r.status == PlantStatus::Construction).count();
    assert_eq!(building, 31);
    // The largest real plant of each sector bounds every unit: POSCO Gwangyang 23.0 Mt crude steel; SFI's
    // largest, Indocement Citeureup (Bogor) 20.5 Mt cement; Yara Sluiskil 1.7 Mt NH3.
    assert_eq!(largest(Sector::Steel), ("P100000120699.bf-bof".to_owned(), 22.999));
    assert_eq!(largest(Sector::Cement), ("GACTIDN0015".to_owned(), 20.5));
    assert_eq!(largest(Sector::Ammonia), ("pypsa-yara-sluiskil".to_owned(), 1.7));
    assert_eq!(count(Sector::Cement), 3120);
    assert_eq!(count(Sector::Ammonia), 294);
    // Aluminium: MPP's 181 smelters and 94 refineries, the Zouping sites split (5.86 Mt smelter into 4,
    // 17.5 Mt refinery into 3), or the fallback units.
    let smelter = rows
        .iter()
        .filter(|r| r.route == Route::AluminiumSmelter)
        .map(|r| r.capacity.to_mt())
        .fold(0.0, f64::max);
    let refinery = rows
        .iter()
        .filter(|r| r.route == Route::AluminaRefinery)
        .map(|r| r.capacity.to_mt())
        .fold(0.0, f64::max);
    if aluminium_from_mpp() {
        assert_eq!(count(Sector::Aluminium), 181 + 3 + 94 + 2);
        assert!(within(smelter, 1.9, 1e-9) && within(refinery, 6.3, 1e-9), "{smelter} {refinery}");
    } else {
        assert_eq!(count(Sector::Aluminium), 347);
        assert!(smelter <= 0.428 + 1e-9 && refinery <= 1.692 + 1e-9, "{smelter} {refinery}");
    }
    eprintln!("aluminium: {}", world::aluminium_origin());
    // No cement unit above the largest reported plant: scaled imputations are capped there.
    assert!(rows.iter().filter(|r| r.sector == Sector::Cement).all(|r| r.capacity.to_mt() <= 20.5 + 1e-9));
}

#[test]
fn rows_without_capacity_or_route_are_counted_not_zero() {
    let summary = world::unplaced_summary();
    for ((sector, reason), (rows, capacity)) in &summary {
        eprintln!("unplaced {sector}: {reason}: {rows} rows, {:.1} Mt", capacity / 1e6);
    }
    // GEM "other/unspecified" steelmaking: 48 operating and 2 construction plant rows, 35.6 Mt.
    let steel = summary[&(Sector::Steel, "route unknown (GEM other/unspecified steelmaking)")];
    assert_eq!(steel.0, 50);
    assert!(within(steel.1 / 1e6, 35.647, 1e-4), "{}", steel.1);
    // PyPSA-Earth plants with urea, AN or other lines only and no ammonia capacity.
    assert_eq!(summary[&(Sector::Ammonia, "no capacity")].0, 8);
    assert_eq!(summary.len(), 2, "{summary:?}");
    assert!(world::unplaced().iter().all(|r| !r.id.is_empty() && !r.name.is_empty()));
}

#[test]
fn sources_table_names_every_source_with_its_licence() {
    let sources = world::sources();
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), sources.len());
    for entry in sources {
        assert!(!entry.licence.is_empty() && !entry.source.is_empty(), "{}", entry.id);
        // Nothing bundled is AGPL: the MPP rows are only read from the user's copy.
        assert!(!entry.licence.starts_with("AGPL"), "{}", entry.id);
    }
    // Every table is well under 1 MB.
    for file in
        ["fleet_steel.csv", "fleet_cement.csv", "fleet_aluminium.csv", "fleet_ammonia.csv", "sources.csv"]
    {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("world").join(file);
        let bytes = std::fs::metadata(&path).expect("bundled table").len();
        assert!(bytes < 512 * 1024, "{file}: {bytes} bytes");
    }
}

// ---------------------------------------------------------------------------------------------
// The bundled tables against their sources in ../shared/data.

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

/// A CSV with a header, as maps from column name to value.
fn read_maps(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("readable CSV");
    let headers: Vec<String> =
        reader.headers().expect("a header").iter().map(|h| strip_bom(h).trim().to_owned()).collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            headers.iter().cloned().zip(r.iter().map(|v| v.trim().to_owned())).collect()
        })
        .collect()
}

fn leading_year(text: &str) -> Option<i32> {
    text.get(..4).and_then(|y| y.parse().ok())
}

/// Bundled rows of a sector by table id.
fn bundled(sector: Sector) -> BTreeMap<String, &'static world::FleetRow> {
    world::fleet_rows().iter().filter(|r| r.sector == sector).map(|r| (r.id.clone(), r)).collect()
}

#[test]
fn steel_plants_are_the_gem_gist_plant_and_unit_files_rederived() {
    let Some(dir) = dataset("gem-iron-steel-tracker-2025-03") else { return };
    // Most recent relining of each plant's operating blast furnaces.
    let mut relining: BTreeMap<String, i32> = BTreeMap::new();
    for unit in read_maps(&dir.join("gist_unit_map_file_2025-03-18.csv")) {
        if unit["tab-type"] == "Blast_furnaces"
            && ["operating", "operating_pre-retirement"].contains(&unit["status"].as_str())
            && let Some(year) = leading_year(&unit["most-recent-relining"])
        {
            let entry = relining.entry(unit["gem-plant-id"].clone()).or_insert(year);
            *entry = (*entry).max(year);
        }
    }
    let kt = |plant: &BTreeMap<String, String>, status: &str, product: &str| -> f64 {
        let key = if product == "other" {
            format!("{status}-other/unspecified-steel-capacity-(ttpa)")
        } else {
            format!("{status}-nominal-{product}-capacity-(ttpa)")
        };
        plant.get(&key).and_then(|v| v.parse().ok()).unwrap_or(0.0)
    };
    let mut derived: BTreeMap<String, (Route, f64, Option<i32>)> = BTreeMap::new();
    for plant in read_maps(&dir.join("gist_plant_map_file_2025-03-25.csv")) {
        let id = &plant["plant-id"];
        let operating =
            |product| kt(&plant, "operating", product) + kt(&plant, "operating-pre-retirement", product);
        let eaf = operating("eaf-steel");
        let dri = eaf.min(operating("dri"));
        for (route, capacity) in [
            (Route::BfBof, operating("bof-steel")),
            (Route::DriEaf, dri),
            (Route::Eaf, eaf - dri),
            (Route::Ohf, operating("ohf-steel")),
        ] {
            if capacity > 0.0 {
                let last = if route == Route::BfBof { relining.get(id).copied() } else { None };
                derived.insert(format!("{id}.{route}"), (route, capacity, last));
            }
        }
    }
    let bundled = bundled(Sector::Steel);
    let operating: BTreeMap<&String, &&world::FleetRow> =
        bundled.iter().filter(|(_, r)| r.status != PlantStatus::Construction).collect();
    assert_eq!(derived.keys().collect::<Vec<_>>(), operating.keys().copied().collect::<Vec<_>>());
    for (id, (route, capacity, last)) in &derived {
        let row = bundled[id];
        assert_eq!(row.route, *route, "{id}");
        assert!(
            (row.capacity.to_kt() - capacity).abs() <= 0.051,
            "{id}: {} vs {capacity}",
            row.capacity.to_kt()
        );
        assert_eq!(row.last_investment, *last, "{id}");
    }
    // The plant file's world totals (DATA.md): operating BOF 1,286,214 + pre-retirement 175,029 kt.
    let bof: f64 = operating.values().filter(|r| r.route == Route::BfBof).map(|r| r.capacity.to_kt()).sum();
    assert!(within(bof, 1_286_214.0 + 175_029.0, 1e-6), "{bof}");
    let with_relining = operating.values().filter(|r| r.last_investment.is_some()).count();
    assert_eq!(with_relining, 215);
}

#[test]
fn cement_plants_are_the_sfi_plants_and_production_is_usgs_2020() {
    let Some(dir) = dataset("sfi-cement-2021") else { return };
    let bundled = bundled(Sector::Cement);
    let mut operating = 0;
    // SFI repeats a few uids for different plants: the table suffixes the second `-2`.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for plant in read_maps(&dir.join("SFI_ALD_Cement_Database.csv")) {
        if plant["status"] != "Operating" {
            continue;
        }
        operating += 1;
        let n = seen.entry(plant["uid"].clone()).or_default();
        *n += 1;
        let id = if *n == 1 { plant["uid"].clone() } else { format!("{}-{n}", plant["uid"]) };
        let row = bundled.get(&id).unwrap_or_else(|| panic!("SFI plant {id} missing"));
        let route =
            if plant["plant_type"] == "Grinding" { Route::CementGrinding } else { Route::CementIntegrated };
        assert_eq!(row.route, route, "{}", plant["uid"]);
        assert_eq!(row.country, CountryCode::resolve(&plant["iso3"]).expect("SFI iso3"));
        assert_eq!(row.start, leading_year(&plant["year"]), "{}", plant["uid"]);
        assert_eq!(row.owner, plant["owner_name"], "{}", plant["uid"]);
        match plant["capacity"].parse::<f64>() {
            Ok(mt) => {
                assert_eq!(row.basis, "reported");
                assert!((row.capacity.to_mt() - mt).abs() < 1e-6, "{}", plant["uid"]);
            }
            Err(_) => assert!(row.basis.starts_with("imputed"), "{}: {}", plant["uid"], row.basis),
        }
    }
    assert_eq!(operating, 3110);
    // The rest is unlisted capacity up to USGS production where a country has no plant to impute.
    assert!(bundled.values().filter(|r| !r.id.starts_with("GACT")).all(|r| r.basis == "unlisted"));
    assert_eq!(bundled.len(), 3110 + 10);
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
fn aluminium_and_ammonia_plants_add_up_to_the_mpp_stacks_and_the_named_plants() {
    let Some(dir) = dataset("mpp-shared-code") else { return };
    let total = |route: Route| -> f64 {
        world::fleet_rows().iter().filter(|r| r.route == route).map(|r| r.capacity.to_mt()).sum()
    };
    let stack = |file: &str| -> f64 {
        read_maps(&dir.join(file))
            .iter()
            .map(|r| r["annual_production_capacity"].parse::<f64>().expect("Mt"))
            .sum()
    };
    let smelters = stack("aluminium/smelters/initial_asset_stack.csv");
    let refineries = stack("aluminium/refineries/initial_asset_stack.csv");
    // The fallback units keep 0.1 kt each.
    assert!(within(total(Route::AluminiumSmelter), smelters, 1e-4), "{smelters}");
    assert!(within(total(Route::AluminaRefinery), refineries, 1e-4), "{refineries}");
    assert!(within(smelters, 77.457, 1e-4) && within(refineries, 159.084, 1e-4));

    // NH3-equivalent: NH3 + 0.566 urea + 0.426 ammonium nitrate (TECHNOLOGY.md §0).
    let mut nh3_eq = 0.0;
    for row in read_maps(&dir.join("ammonia/initial_asset_stack.csv")) {
        let factor = match row["product"].as_str() {
            "Ammonia" => 1.0,
            "Urea" => 0.566,
            "Ammonium nitrate" => 0.426,
            other => panic!("product {other}"),
        };
        nh3_eq += row["annual_production_capacity"].parse::<f64>().expect("capacity") * factor;
    }
    assert!(within(total(Route::Ammonia), nh3_eq, 1e-5), "{} vs {nh3_eq}", total(Route::Ammonia));
    assert!(within(nh3_eq, 219.9, 0.001));
    if let Some(pypsa) = dataset("pypsa-earth-ammonia-plants") {
        let bundled = bundled(Sector::Ammonia);
        let mut named = 0;
        for plant in read_maps(&pypsa.join("ammonia_plants.csv")) {
            let Ok(kt) = plant["Ammonia [kt/a]"].parse::<f64>() else { continue };
            named += 1;
            let row = bundled
                .values()
                .find(|r| r.name == plant["Plant"])
                .unwrap_or_else(|| panic!("named plant {}", plant["Plant"]));
            assert!((row.capacity.to_kt() - kt).abs() < 1e-6);
            assert_eq!(row.country, CountryCode::resolve(&plant["Country"]).expect("country"));
        }
        assert_eq!(named, 28);
        // Synthetic plants: no larger than 1.5 x the typical 0.756 Mt.
        assert!(bundled.values().filter(|r| r.basis == "split").all(|r| r.capacity.to_mt() <= 0.756 * 1.5));
    }
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

/// Each plant row of steel and cement names the tracker record it was derived from, so that a
/// plant of a tracker store finds its rows: GIST plant ids by route, SFI uids by occurrence.
#[test]
fn steel_and_cement_rows_name_their_tracker_record() {
    use world::TrackerRecord;
    let rows = world::fleet_rows();
    // Every steel row is a GIST plant x route; SSAB Luleå (P100000120845) has three routes.
    for row in rows.iter().filter(|r| r.sector == Sector::Steel) {
        assert!(
            matches!(world::tracker_record(Sector::Steel, &row.id), Some(TrackerRecord::GistPlant(p)) if row.id.starts_with(&format!("{p}."))),
            "{}",
            row.id
        );
    }
    let lulea: BTreeSet<&str> = rows
        .iter()
        .filter(|r| world::tracker_record(r.sector, &r.id) == Some(TrackerRecord::GistPlant("P100000120845")))
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(lulea, BTreeSet::from(["P100000120845.bf-bof", "P100000120845.dri-eaf", "P100000120845.eaf"]));
    assert_eq!(
        world::plant_id(rows.iter().find(|r| r.id == "P100000120845.bf-bof").unwrap()),
        "world.steel.SWE.P100000120845.bf-bof"
    );
    // Cement: one SFI record per row, no two rows alike; the second plant of a repeated uid is
    // occurrence 2; capacity no plant lists is decarb's and names none.
    let mut seen = BTreeSet::new();
    let mut unlisted = 0;
    for row in rows.iter().filter(|r| r.sector == Sector::Cement) {
        match world::tracker_record(Sector::Cement, &row.id) {
            Some(TrackerRecord::SfiPlant { uid, occurrence }) => {
                assert!(uid.starts_with("GACT") && occurrence >= 1, "{}", row.id);
                assert!(seen.insert((uid, occurrence)), "{} twice", row.id);
            }
            Some(other) => panic!("{}: {other:?}", row.id),
            None => {
                assert!(row.id.starts_with("UNLISTED-"), "{}", row.id);
                unlisted += 1;
            }
        }
    }
    assert!(seen.contains(&("GACTDEU0008", 2)) && seen.contains(&("GACTDEU0008", 1)));
    assert!(unlisted > 0 && seen.len() > 3000, "{} SFI rows, {unlisted} unlisted", seen.len());
    assert_eq!(world::tracker_record(Sector::Ammonia, "pypsa-yara-sluiskil"), None);
    assert_eq!(world::tracker_record(Sector::Steel, "not-a-gist-id"), None);
}
