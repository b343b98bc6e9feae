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
        // The pathway of steel in Europe in the default scenario, said to be the region's.
        assert!(html.contains("Pathway in net-zero-2050") && html.contains("not the tracker's plants"));
        // A status slice's id shows the same site; a source id too.
        let slice = get(&app, "/plants/P100000120845~announced").await;
        assert_eq!(slice.status, StatusCode::OK);
        assert!(slice.text().contains("3 phases of one site"));
        assert_eq!(get(&app, "/plants/P999").await.status, StatusCode::NOT_FOUND);
        assert_eq!(get(&app, "/plants/P100000120845?scenario=nope").await.status, StatusCode::NOT_FOUND);
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
        let map = get(&app, "/map").await.text();
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
