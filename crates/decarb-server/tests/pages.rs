//! Plant and project pages, their JSON and CSV downloads, the search page, and how numbers,
//! sources and counts read, on the tracker database built from GEM's 2025 iron and steel plant
//! file (`common::tracker_db`).

mod common;

use axum::http::StatusCode;
use common::{get, runtime, tracker_db};

#[test]
fn a_plant_page_shows_every_phase_of_the_site() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        let page = get(&app, "/plants/P100000120845").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("<h1>SSAB Luleå steel plant</h1>"), "{html}");
        // GEM's 2025 map file: an operating 13 kt DRI-EAF pilot, an announced 2,500 kt EAF and the
        // 2,300 kt BF-BOF about to retire, one site.
        for (key, kt) in [
            ("P100000120845", "13,000"),
            ("P100000120845~announced", "2,500,000"),
            ("P100000120845~operating-pre-retirement", "2,300,000"),
        ] {
            let needle = format!("data-testid=\"capacity-{key}\" data-value=\"");
            let value = html.split(&needle).nth(1).and_then(|v| v.split('"').next()).unwrap_or("");
            let tonnes: f64 = value.parse().unwrap_or(f64::NAN) * 1e3;
            assert_eq!(decarb_brief::view::num(tonnes, 0), kt, "{key}");
        }
        assert!(
            html.contains(">13<") && html.contains(">2,500<") && html.contains(">2,300<"),
            "kt shown with separators"
        );
        assert!(html.contains("3 phases of one site"));
        assert!(html.contains(">dri-eaf<") && html.contains(">eaf<") && html.contains(">bf-bof<"));
        // Owner with share, the source as a titled link, the plant's GEM.wiki page as a link.
        // GEM's map file names owner and parent without shares: the page says so.
        let owners = html.split("data-testid=\"owners\">").nth(1).unwrap_or("");
        assert!(owners.starts_with("<a href=\"/search?q=SSAB%20AB\">SSAB AB</a> <span class=\"unknown\">(share not reported)</span></dd>"), "{owners}");
        assert!(html.contains("class=\"source\" href=\"https://"), "source link");
        assert!(
            html.contains("<a href=\"https://www.gem.wiki/SSAB_Luleå_steel_plant\" rel=\"noopener noreferrer\">GEM.wiki page</a>"),
            "wiki link"
        );
        assert!(
            html.contains("Next investment point")
                && html.contains("data-testid=\"next-P100000120845~operating-pre-retirement\"")
        );
        // Its own pathway in the default scenario (checked against the engine below), and its
        // sector's in its region for context.
        assert!(html.contains("Its pathway in net-zero-2050") && html.contains("this plant is 3 units"));
        assert!(html.contains("Its sector in its region, net-zero-2050") && html.contains("for context"));
        // A status slice's id shows the same site; a source id too.
        let slice = get(&app, "/plants/P100000120845~announced").await;
        assert_eq!(slice.status, StatusCode::OK);
        assert!(slice.text().contains("3 phases of one site"));
        assert_eq!(get(&app, "/plants/P999").await.status, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/plants/P100000120845?scenario=nope").await.status, StatusCode::NOT_FOUND);
    });
}

/// The numbers of the plant's units in a run of `scenario` on the bundled world, summed by year:
/// (production, direct, captured), t.
fn engine_units(scenario: &str, plant: &str) -> (usize, Vec<(i32, [f64; 3])>) {
    let world = decarb_scenario::bundled::default_world();
    let text = decarb_engine::examples::example(scenario).unwrap();
    let loaded = decarb_scenario::load(text, scenario, &world).unwrap();
    let outcome = decarb_engine::run(&world, &loaded, loaded.seed).unwrap();
    let prefix = format!("world.steel.SWE.{plant}.");
    let units: Vec<_> = outcome.plants.iter().filter(|p| p.id.starts_with(&prefix)).collect();
    let years = (0..units[0].production.len())
        .map(|i| {
            let sum = |f: fn(&decarb_engine::outcome::PlantPathway) -> &Vec<f64>| {
                units.iter().map(|u| f(u)[i]).sum()
            };
            let year = outcome.base_year + i32::try_from(i).unwrap();
            (year, [sum(|u| &u.production), sum(|u| &u.direct), sum(|u| &u.captured)])
        })
        .collect();
    (units.len(), years)
}

#[test]
fn a_plant_page_shows_its_own_pathway_from_the_engines_plant_level_run() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let state = common::state(db).await;
        let scenarios = state.scenarios.clone();
        let app = decarb_server::app(state);
        // SSAB Luleå (GIST P100000120845) is three units of the bundled world: its BF-BOF, DRI-EAF
        // and scrap-EAF capacity. The page shows their run: the same numbers as the engine's.
        let (units, years) = engine_units("net-zero-2050", "P100000120845");
        assert_eq!(units, 3);
        let page = get(&app, "/plants/P100000120845").await.text();
        let shown = |id: &str| -> f64 {
            let needle = format!("data-testid=\"{id}\" data-value=\"");
            page.split(&needle).nth(1).and_then(|v| v.split('"').next()).unwrap().parse().unwrap()
        };
        for (year, [production, direct, _]) in years.iter().filter(|(y, _)| y % 5 == 0) {
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
            assert!(close(shown(&format!("own-direct-{year}")) * 1e3, *direct), "{year} direct");
            assert!(close(shown(&format!("own-production-{year}")) * 1e3, *production), "{year} production");
        }
        // 2020: a 2.3 Mt/yr blast-furnace works at the base utilisation emits 2-4 Mt CO2.
        let base = years[0].1[1];
        assert!((2.0e6..4.0e6).contains(&base), "2020 direct {base} t");
        assert!(page.contains("id=\"own-production\"") && page.contains("id=\"own-emissions\""), "the charts");
        assert!(page.contains("id=\"own-decisions\""), "the decisions");

        // The JSON and CSV downloads carry it; the run is kept (one entry) and reused.
        let json = get(&app, "/plants/P100000120845.json").await.json();
        let own = &json["plant_pathway"];
        assert_eq!(own["scenario"], "net-zero-2050");
        let ids: Vec<&str> = own["units"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "world.steel.SWE.P100000120845.bf-bof",
                "world.steel.SWE.P100000120845.dri-eaf",
                "world.steel.SWE.P100000120845.eaf"
            ]
        );
        let bf = &own["units"][0];
        assert_eq!(bf["years"][0]["technology"], "steel.bf-bof-bat");
        assert_eq!(bf["years"].as_array().unwrap().len(), years.len());
        let run = own["run"].as_str().unwrap().to_owned();
        assert_eq!(get(&app, &format!("/api/v1/scenarios/{run}")).await.status, StatusCode::OK);
        let csv = get(&app, "/plants/P100000120845.csv").await.text();
        assert!(
            csv.contains("plant_pathway,net-zero-2050 world.steel.SWE.P100000120845.bf-bof,2020 technology,steel.bf-bof-bat\n"),
            "{csv}"
        );
        assert_eq!(scenarios.plants_len(), 1, "one run kept with its plants, read by every request");

        // Another scenario: another run, its own numbers.
        let (_, baseline) = engine_units("baseline", "P100000120845");
        let other = get(&app, "/plants/P100000120845.json?scenario=baseline").await.json();
        assert_eq!(other["plant_pathway"]["scenario"], "baseline");
        assert_ne!(other["plant_pathway"]["run"], own["run"]);
        let direct_2050: f64 = other["plant_pathway"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["years"].as_array().unwrap().last().unwrap()["direct_emissions_t"].as_f64().unwrap())
            .sum();
        assert!((direct_2050 - baseline.last().unwrap().1[1]).abs() < 1e-3, "baseline 2050 direct");
        // Only a few runs' plant results are kept.
        for scenario in ["carbon-price", "tech-moratorium"] {
            assert_eq!(get(&app, &format!("/plants/P100000120845?scenario={scenario}")).await.status, StatusCode::OK);
        }
        assert_eq!(scenarios.plants_len(), decarb_server::limits::PLANT_RESULTS_KEPT);

        // Plants the bundled world does not have are said to be missing, with the reason.
        let angola = get(&app, "/plants/P100000120005").await.text();
        assert!(angola.contains("Not a plant of the bundled world: row P100000120005.unknown has route unknown"), "{angola}");
        let cancelled = get(&app, "/plants/P100000120002.json").await.json();
        assert!(cancelled["plant_pathway"]["note"].as_str().unwrap().starts_with("Not in the bundled world"));
        assert_eq!(cancelled["plant_pathway"]["units"].as_array().unwrap().len(), 0);
    });
}

#[test]
fn plant_pages_download_as_json_and_csv_and_honour_as_of() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        let json = get(&app, "/plants/P100000120845.json").await;
        assert_eq!(json.status, StatusCode::OK);
        assert_eq!(json.content_type, "application/json");
        let data = json.json();
        assert_eq!(data["id"], "P100000120845");
        assert_eq!(data["gem_wiki"], "https://www.gem.wiki/SSAB_Luleå_steel_plant");
        let phases = data["phases"].as_array().unwrap();
        let capacity = |status: &str| {
            phases
                .iter()
                .find(|p| p["row"]["status"] == status)
                .and_then(|p| p["row"]["capacity_tpa"].as_f64())
        };
        assert_eq!(capacity("operating"), Some(13_000.0));
        assert_eq!(capacity("announced"), Some(2_500_000.0));
        assert_eq!(capacity("operating-pre-retirement"), Some(2_300_000.0));
        assert_eq!(data["pathway"]["region"], "europe");
        assert!(data["pathway"]["rows"].as_array().unwrap().len() > 20);
        assert_eq!(get(&app, "/plants/P100000120845?format=json").await.json()["id"], "P100000120845");

        let csv = get(&app, "/plants/P100000120845.csv").await;
        assert_eq!(csv.content_type, "text/csv; charset=utf-8");
        let text = csv.text();
        assert!(text.starts_with("section,record,field,value\n"), "{text}");
        assert!(text.contains("phase,P100000120845~announced,capacity_tpa,2500000\n"), "{text}");
        assert!(text.contains("phase,P100000120845,route,dri-eaf\n"));

        // Before GEM's release existed, the plant was not in the tracker.
        assert_eq!(get(&app, "/plants/P100000120845?as_of=2020-01-01").await.status, StatusCode::NOT_FOUND);
        let later = get(&app, "/plants/P100000120845?as_of=2026-01-01").await;
        assert_eq!(later.status, StatusCode::OK);
        assert!(later.text().contains("href=\"/plants/P100000120845.json?as_of=2026-01-01\""));
        assert_eq!(get(&app, "/plants/P100000120845?format=xml").await.status, StatusCode::BAD_REQUEST);
    });
}

#[test]
fn a_project_page_shows_unknown_capacity_as_unknown() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        let page = get(&app, "/projects/seed-hybrit-demonstration-plant-gallivare").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("<h1>HYBRIT demonstration plant Gällivare</h1>"));
        assert!(html.contains("data-value=\"1.3\">1.30</span> Mt sponge iron/yr"), "{html}");
        assert!(html.contains("Pathway in net-zero-2050"));
        let bremen = get(&app, "/projects/seed-arcelormittal-bremen-dri-eaf-conversion").await.text();
        let capacity = bremen.split("data-testid=\"project-capacity\">").nth(1).unwrap_or("");
        assert!(capacity.starts_with("unknown</dd>"), "{capacity}");
        let json = get(&app, "/projects/seed-hybrit-demonstration-plant-gallivare.json").await.json();
        assert_eq!(json["project"]["capacity_value"], 1.3);
        assert_eq!(json["sources"][0]["id"], "steelorbis-2024-10-25");
        let csv = get(&app, "/projects/seed-arcelormittal-bremen-dri-eaf-conversion.csv").await.text();
        assert!(
            csv.contains("identity,seed-arcelormittal-bremen-dri-eaf-conversion,capacity_value,unknown\n"),
            "{csv}"
        );
        // Lists link the name to the page and the source to its address, with its title.
        let list = get(&app, "/projects?country=DEU").await.text();
        assert!(list.contains("href=\"/projects/seed-arcelormittal-bremen-dri-eaf-conversion\""), "{list}");
        assert!(list.contains("<td>unknown</td>"), "unknown capacity in the list");
        assert_eq!(get(&app, "/projects/nope").await.status, StatusCode::NOT_FOUND);
    });
}

#[test]
fn search_finds_typos_and_groups_by_kind() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        let page = get(&app, "/search?q=Indai").await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        let countries = html.split("data-kind=\"country\"").nth(1).unwrap_or("");
        assert!(countries.contains("<a href=\"/countries/IND\" data-key=\"IND\">India</a>"), "{html}");
        let oxelosund = get(&app, "/search?q=Oxelosund").await.text();
        let plants = oxelosund.split("data-kind=\"plant\"").nth(1).unwrap_or("");
        assert!(plants.contains("SSAB Oxelösund"), "{oxelosund}");
        assert!(plants.contains("href=\"/plants/P"), "plant hits link to plant pages");
        // The header's box on every page submits here.
        assert!(
            html.contains("<form class=\"search-go\" action=\"/search\" method=\"get\" role=\"search\">")
        );
        assert_eq!(get(&app, "/search").await.status, StatusCode::OK);
        // The SVG map's points link to the plant pages (a status slice to its site).
        let map = get(&app, "/map/static").await.text();
        assert!(map.contains("<a href=\"/plants/P100000120845\"><circle class=\"point\""), "map links");
    });
}

#[test]
fn counts_read_in_the_singular_and_sources_show_their_titles() {
    let Some(db) = tracker_db() else { return };
    runtime().block_on(async {
        let app = decarb_server::app(common::state(db).await);
        // The United Arab Emirates have one project in the bundled registry.
        let are = get(&app, "/countries/ARE").await.text();
        assert!(are.contains("</span> project</span>"), "{are}");
        let deu = get(&app, "/countries/DEU").await.text();
        assert!(deu.contains("</span> projects</span>"));
        // Members' sources are links with titles, not slugs (IISD's page from 2019).
        let overview = get(&app, "/").await.text();
        assert!(overview.contains("href=\"http://sdg.iisd.org/news/leadership-group-to-drive-industry-transition-to-low-carbon-economy/\""));
        assert!(!overview.contains(">sdg-iisd-2019-09-26<"), "no slug shown");
    });
}
