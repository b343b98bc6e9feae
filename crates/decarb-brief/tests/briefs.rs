//! Country, sector and member briefs from the bundled data (no store given: a temporary store
//! with the bundled seed), checked for their sourced headline facts, their "what is missing"
//! statements, and for making no network request.

use decarb_brief::country::{self, BriefOptions};
use decarb_brief::gather::{self, Pathway, Tracker};
use decarb_brief::{member, sector};
use decarb_data::facts;
use decarb_model::{CountryCode, Sector};
use std::sync::OnceLock;

fn inputs() -> &'static (Tracker, Pathway) {
    static INPUTS: OnceLock<(Tracker, Pathway)> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let tracker = gather::load_tracker(Some("/nonexistent/decarb-brief-test.db")).unwrap();
        let pathway = gather::run_pathway("net-zero-2050").unwrap();
        (tracker, pathway)
    })
}

fn country_brief(code: &str, options: BriefOptions) -> country::CountryBrief {
    let (tracker, pathway) = inputs();
    country::gather(CountryCode::resolve(code).unwrap(), tracker, pathway, options).unwrap()
}

fn country_html(code: &str, options: BriefOptions) -> String {
    country::render(&country_brief(code, options))
}

/// The `<li>` items of the headline list.
fn headline_items(html: &str) -> Vec<&str> {
    let start = html.find("data-section=\"headline\">").expect("headline list");
    let end = start + html[start..].find("</ul>").unwrap();
    html[start..end].split("<li").skip(1).collect()
}

/// The text of footnote `n`.
fn footnote(html: &str, n: usize) -> &str {
    let marker = format!("<li id=\"fn{n}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no footnote {n}")) + marker.len();
    let end = start + html[start..].find("</li>").unwrap();
    &html[start..end]
}

/// Footnote numbers cited in a piece of HTML.
fn cited(fragment: &str) -> Vec<usize> {
    fragment
        .split("href=\"#fn")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn united_states_headline_as_of_2020_statistics_matches_the_leadit_page() {
    let html = country_html("USA", BriefOptions { statistics_up_to: Some(2020) });
    let items = headline_items(&html);
    assert_eq!(items.len(), 4, "{items:?}");
    let expect = [
        ("4th largest crude steel producer in 2020, worldsteel", "World Steel Association"),
        (
            "9th largest primary aluminium producer in 2020, BGS",
            "BGS World Mineral Statistics, primary aluminium 2020",
        ),
        // Cement: the 14 leading producers of 2020 in the USGS Mineral Commodity Summaries 2022
        // (China 2,400,000 kt, India 295,000, Vietnam 98,000, the United States 89,000).
        (
            "4th largest hydraulic cement producer in 2020, USGS",
            "USGS Mineral Commodity Summaries 2022 (January 2022), Cement",
        ),
        // Ammonia: MCS 2022 plant production 2020, China 39,000, Russia 16,100, the United States
        // 14,000 kt N.
        (
            "3rd largest ammonia (NH3) producer in 2020, USGS",
            "USGS Mineral Commodity Summaries 2022 (January 2022), Nitrogen",
        ),
    ];
    for (item, (claim, source)) in items.iter().zip(expect) {
        assert!(item.contains(claim), "{claim} not in {item}");
        let notes = cited(item);
        assert_eq!(notes.len(), 1, "one source per claim: {item}");
        assert!(footnote(&html, notes[0]).contains(source), "{}", footnote(&html, notes[0]));
    }
}

#[test]
fn united_states_brief_uses_the_latest_year_each_statistic_covers() {
    // The latest years of the bundled tables, read from the tables rather than assumed.
    let latest = |s: Sector| *facts::production(s).unwrap().years().last().unwrap();
    assert_eq!(
        (latest(Sector::Steel), latest(Sector::Aluminium), latest(Sector::Cement), latest(Sector::Ammonia)),
        (2021, 2022, 2025, 2025)
    );
    let brief = country_brief("USA", BriefOptions::default());
    let got: Vec<(Sector, usize, i32, String)> =
        brief.ranks.iter().map(|r| (r.sector, r.rank, r.year, r.publisher.clone())).collect();
    assert_eq!(
        got,
        [
            (Sector::Steel, 4, 2021, "worldsteel".to_owned()),
            (Sector::Aluminium, 10, 2022, "BGS".to_owned()),
            // USGS MCS 2026 leading producers of 2025 (estimates): China, India, Vietnam, Turkey
            // 89,000 kt, then the United States 84,000.
            (Sector::Cement, 5, 2025, "USGS".to_owned()),
            // MCS 2026, 2025 (estimates): China 49,000, India and Russia 15,000, the United States
            // 14,000 kt N.
            (Sector::Ammonia, 4, 2025, "USGS".to_owned()),
        ]
    );
    let html = country::render(&brief);
    let items = headline_items(&html);
    assert!(items[0].contains("4th largest crude steel producer in 2021, worldsteel"), "{}", items[0]);
    assert!(items[2].contains("5th largest hydraulic cement producer in 2025, USGS"), "{}", items[2]);
    assert!(items[3].contains("4th largest ammonia (NH3) producer in 2025, USGS"), "{}", items[3]);
    // The rank history states 2020 too: crude steel 4th, primary aluminium 9th, cement 4th, ammonia
    // 3rd, each sourced.
    for (key, rank) in [
        ("steel-2020", "4th"),
        ("aluminium-2020", "9th"),
        ("cement-2020", "4th"),
        ("ammonia-2020", "3rd"),
        ("cement-2017", "3rd"),
    ] {
        let marker = format!("data-rank=\"{key}\">{rank}</span>");
        let at = html.find(&marker).unwrap_or_else(|| panic!("{marker}"));
        let cell_end = at + html[at..].find("</td>").unwrap();
        assert_eq!(cited(&html[at..cell_end]).len(), 1, "{key} without a source");
    }
    // Tracker facts: member since 2021-04-23, net zero 2050, with the seed's source.
    assert!(html.contains("United States is a member country: joined 2021-04-23"), "membership");
    assert!(
        html.contains(&decarb_brief::view::esc("temporary store initialised with decarb's bundled seed")),
        "says the seed was used"
    );
    // Fleet, pipeline, pathway, CBAM.
    assert!(html.contains("data-wave=\"steel-bf-bof-2030\""));
    // fleet_steel.csv, USA bf-bof: the 8 GEM integrated plants (Dearborn 1920, 3,000 kt; Middletown 1901,
    // 2,722; Riverdale 1917, 1,000; Burns Harbor 1964, 5,001; Indiana Harbor 1901, 6,800; Cleveland 1913,
    // 4,100; Edgar Thomson 1875, 2,600; Gary 1908, 7,800); BAT BF-BOF cycle 20 y, counted from the start
    // year. Next reinvestment after 2020: 2040, 2021, 2037, 2024, 2021, 2033, 2035, 2028.
    let bf_bof: Vec<_> =
        brief.fleet.iter().filter(|f| f.sector == Sector::Steel && f.route == "bf-bof").collect();
    let next: Vec<(i32, Option<i32>)> = bf_bof.iter().map(|f| (f.start_year, f.next_investment)).collect();
    assert_eq!(
        next,
        [
            (1920, Some(2040)),
            (1901, Some(2021)),
            (1917, Some(2037)),
            (1964, Some(2024)),
            (1901, Some(2021)),
            (1913, Some(2033)),
            (1875, Some(2035)),
            (1908, Some(2028))
        ]
    );
    let by = |year: i32| -> f64 {
        bf_bof.iter().filter(|f| f.next_investment.is_some_and(|y| y <= year)).map(|f| f.capacity_kt).sum()
    };
    assert!((by(2030) - 22_323.0).abs() < 0.05, "{}", by(2030));
    assert!((by(2040) - 33_023.0).abs() < 0.05, "{}", by(2040));
    assert!(html.contains("data-wave=\"steel-bf-bof-2030\">22.3</span>"), "wave shown in Mt/yr");
    // Grinding stations have no kiln: no reinvestment point.
    assert!(brief.fleet.iter().filter(|f| f.route == "cement-grinding").all(|f| f.next_investment.is_none()));
    assert!(html.contains("Low-carbon project pipeline") && html.contains("Nucor Steel Convent CCS"));
    let path = brief.pathway.as_ref().unwrap();
    assert_eq!(path.scenario, "net-zero-2050");
    assert_eq!(path.sectors.len(), 4);
    let cbam = brief.cbam.as_ref().unwrap();
    assert!(cbam.iter().any(|r| r.sector == Sector::Steel && r.year == 2030));
    // Exposure: worldsteel exports 2021, 8,245.7 kt, times the 2030 cost per tonne (upper bound).
    let exports = &brief.exports;
    assert_eq!(exports.len(), 1, "only steel has bundled trade");
    assert_eq!((exports[0].sector, exports[0].year), (Sector::Steel, 2021));
    assert!((exports[0].exports_kt - 8_245.7).abs() < 1e-9);
    let cost_2030: f64 = cbam
        .iter()
        .find(|r| r.sector == Sector::Steel && r.year == 2030)
        .unwrap()
        .cost_eur_per_tonne
        .round_dp(2)
        .to_string()
        .parse()
        .unwrap();
    let expected = decarb_brief::view::num(8_245.7 * 1000.0 * cost_2030 / 1e6, 0);
    assert!(html.contains(&format!("data-exposure=\"steel-2030\">EUR {expected} m</span>")), "{expected}");
    assert!(brief.missing.iter().any(|m| m.contains("EU share")), "{:?}", brief.missing);
    assert!(brief.missing.iter().any(|m| m.contains("No cement export volumes")), "{:?}", brief.missing);
}

#[test]
fn every_number_in_the_headline_and_tables_rows_is_footnoted() {
    let html = country_html("IND", BriefOptions::default());
    for item in headline_items(&html) {
        assert!(!cited(item).is_empty(), "claim without a source: {item}");
    }
    let max = cited(&html).into_iter().max().unwrap();
    for n in 1..=max {
        assert!(!footnote(&html, n).trim().is_empty(), "footnote {n} empty");
    }
}

#[test]
fn a_country_with_little_data_says_what_is_missing_and_claims_nothing() {
    let brief = country_brief("TUV", BriefOptions::default());
    assert!(brief.ranks.is_empty() && brief.fleet.is_empty() && brief.pathway.is_none());
    let html = country::render(&brief);
    assert!(!html.contains("largest"), "a rank claim for Tuvalu");
    for statement in [
        "Tuvalu is not listed in the crude steel statistics of 2021 (worldsteel, 57 countries): no production rank.",
        "Tuvalu is not listed in the primary aluminium statistics of 2022 (BGS, 41 countries): no production rank.",
        "Tuvalu is not a member country in the tracker.",
        "No steel capacity of Tuvalu in the bundled world fleet.",
        "No pathway: Tuvalu has no capacity in the fleet of scenario net-zero-2050",
    ] {
        assert!(
            brief.missing.iter().any(|m| m.contains(statement)),
            "missing {statement:?} in {:?}",
            brief.missing
        );
        assert!(html.contains(&decarb_brief::view::esc(statement)), "{statement}");
    }
    // A member with little industry: membership stated, the gaps listed.
    let ethiopia = country_brief("ETH", BriefOptions::default());
    assert!(ethiopia.member.is_some());
    assert!(
        ethiopia.missing.iter().any(|m| m.contains("No low-carbon project in Ethiopia")),
        "{:?}",
        ethiopia.missing
    );
}

#[test]
fn briefs_are_deterministic_and_self_contained() {
    let a = country_html("DEU", BriefOptions::default());
    let b = country_html("DEU", BriefOptions::default());
    assert_eq!(a, b);
    assert!(a.contains("carry no CBAM obligation"), "an EU member faces no CBAM");
    for html in [a, country_html("USA", BriefOptions::default())] {
        assert_no_external_reference(&html);
        assert!(html.contains("@page{size:A4") && html.contains("@media print"));
    }
}

fn assert_no_external_reference(html: &str) {
    let lower = html.to_lowercase();
    for bad in ["<script", "<link", "<iframe", "<img", "<object", "<embed", "@import", "url(", "src="] {
        assert!(!lower.contains(bad), "{bad} in a brief");
    }
    // Addresses appear only as footnote text, never as an attribute value.
    for attr in ["href=\"", "src=\"", "href='", "xlink:href"] {
        for (i, _) in lower.match_indices(attr) {
            let value = &lower[i + attr.len()..];
            assert!(value.starts_with('#'), "external {attr}: {}", &value[..value.len().min(60)]);
        }
    }
}

#[test]
fn sector_and_member_briefs() {
    let (tracker, pathway) = inputs();
    let steel = sector::gather(Sector::Steel, tracker, pathway, BriefOptions::default());
    assert_eq!(steel.ranking_year, Some(2021));
    assert_eq!(steel.producers[0].country.as_str(), "CHN");
    assert!(steel.producers.iter().any(|p| p.country.as_str() == "IND" && p.member));
    let html = sector::render(&steel);
    assert_no_external_reference(&html);
    assert!(html.contains("World pathway") && html.contains("Largest producers"));
    // Ammonia: the USGS MCS 2026 leading producers of 2025, China first.
    let ammonia = sector::gather(Sector::Ammonia, tracker, pathway, BriefOptions::default());
    assert_eq!(ammonia.ranking_year, Some(2025));
    assert_eq!(ammonia.producers[0].country.as_str(), "CHN");
    assert!(ammonia.producers[0].source.contains("Mineral Commodity Summaries 2026"));
    assert!(!ammonia.missing.iter().any(|m| m.contains("No production ranking")), "{:?}", ammonia.missing);

    let ssab = member::gather("ssab", tracker, pathway, BriefOptions::default()).unwrap();
    let member::MemberBrief::Company(company) = &ssab else { panic!("SSAB is a company") };
    assert_eq!(company.member.name, "SSAB");
    let html = member::render(&ssab);
    assert!(html.contains("headquartered in Sweden"), "{html}");
    assert_no_external_reference(&html);
    let sweden = member::gather("Sweden", tracker, pathway, BriefOptions::default()).unwrap();
    assert!(matches!(sweden, member::MemberBrief::Country(_)));
    let err = member::gather("Atlantis", tracker, pathway, BriefOptions::default()).unwrap_err();
    assert!(err.is_user_error() && err.to_string().contains("Atlantis"), "{err}");
}

#[test]
fn all_country_briefs_are_written() {
    let (tracker, pathway) = inputs();
    let dir = tempfile::tempdir().unwrap();
    let files =
        decarb_brief::write_all_countries(dir.path(), tracker, pathway, BriefOptions::default()).unwrap();
    let countries: std::collections::BTreeSet<_> =
        decarb_data::world::fleet_rows().iter().map(|r| r.country).collect();
    assert_eq!(files.len(), countries.len());
    assert!(files.iter().all(|f| std::fs::metadata(f).unwrap().len() > 2000));
}

/// Page-initiated requests in a Chromium net log: requests whose network isolation key is the
/// `file://` page and whose URL is not a file (Chromium's own background requests have other keys).
fn page_requests(net_log: &str) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(net_log).expect("net log JSON");
    let mut urls = Vec::new();
    for event in log["events"].as_array().into_iter().flatten() {
        let params = &event["params"];
        let (Some(url), Some(key)) = (params["url"].as_str(), params["network_isolation_key"].as_str())
        else {
            continue;
        };
        if key.starts_with("file://") && !url.starts_with("file:") {
            urls.push(url.to_owned());
        }
    }
    urls.sort();
    urls.dedup();
    urls
}

/// Loads `page` in headless Chromium with the network off; returns (DOM, page-initiated requests).
fn load_in_chromium(chromium: &std::path::Path, page: &std::path::Path) -> (String, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let net_log = dir.path().join("net.json");
    let output = std::process::Command::new(chromium)
        .args(decarb_brief::pdf::headless_args(&dir.path().join("profile")))
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--dump-dom")
        .arg(decarb_brief::pdf::file_url(page).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let log = std::fs::read_to_string(&net_log).unwrap();
    (String::from_utf8(output.stdout).unwrap(), page_requests(&log))
}

fn chromium_or_skip() -> Option<std::path::PathBuf> {
    let found = decarb_brief::pdf::find_chromium();
    if found.is_none() {
        decarb_data::shared::skip("no Chromium (/usr/bin/chromium) on this machine");
    }
    found
}

#[test]
fn the_brief_renders_in_headless_chromium_without_any_request() {
    let Some(chromium) = chromium_or_skip() else { return };
    let dir = tempfile::tempdir().unwrap();
    // Control: a page with one external image shows up as one page request, so an empty list
    // for the brief means something.
    let control = dir.path().join("control.html");
    std::fs::write(&control, "<html><body><p>x</p><img src=\"http://example.invalid/x.png\"></body></html>")
        .unwrap();
    let (_, requests) = load_in_chromium(&chromium, &control);
    assert_eq!(requests, ["http://example.invalid/x.png"]);

    let page = dir.path().join("USA.html");
    std::fs::write(&page, country_html("USA", BriefOptions { statistics_up_to: Some(2020) })).unwrap();
    let (dom, requests) = load_in_chromium(&chromium, &page);
    assert!(requests.is_empty(), "the brief requested {requests:?}");
    assert!(
        dom.contains("4th largest crude steel producer in 2020, worldsteel"),
        "rendered DOM lacks the headline"
    );
    assert!(dom.contains("<svg"), "charts rendered");
}

#[test]
fn pdf_printing_makes_a_pdf_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("TUV.html");
    std::fs::write(&page, country_html("TUV", BriefOptions::default())).unwrap();
    let pdf = dir.path().join("TUV.pdf");
    match (chromium_or_skip(), decarb_brief::pdf::print_pdf(&page, &pdf)) {
        (Some(_), Ok(())) => {
            let bytes = std::fs::read(&pdf).unwrap();
            assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
            // A4 (595 x 842 pt) from the brief's @page rule, not Chromium's default US Letter.
            let text = String::from_utf8_lossy(&bytes);
            let boxes: Vec<&str> =
                text.match_indices("/MediaBox [").filter_map(|(i, _)| text.get(i..i + 40)).collect();
            assert!(!boxes.is_empty());
            assert!(
                boxes.iter().all(|b| b.starts_with("/MediaBox [0 0 594.9") && b.contains(" 841.9")),
                "{boxes:?}"
            );
        }
        (Some(_), Err(err)) => panic!("{err}"),
        (None, Err(err)) => assert!(err.to_string().contains("--pdf needs Chromium"), "{err}"),
        (None, Ok(())) => panic!("printed without Chromium"),
    }
}

#[test]
fn an_existing_store_is_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tracker.db");
    let target = db.display().to_string();
    decarb_store::block_on(async {
        let store = decarb_store::Store::open(&target).await.unwrap();
        store.init().await.unwrap();
        store.close().await;
    })
    .unwrap();
    let tracker = gather::load_tracker(Some(&target)).unwrap();
    assert!(!tracker.bundled_seed);
    assert_eq!(tracker.origin, format!("tracker store {target}"));
    assert!(tracker.members.iter().any(|m| m.name == "United States"));
    let (_, pathway) = inputs();
    let html = country::render(
        &country::gather(CountryCode::resolve("USA").unwrap(), &tracker, pathway, BriefOptions::default())
            .unwrap(),
    );
    assert!(html.contains(&format!("From the tracker store {}", decarb_brief::view::esc(&target))));
}

/// A country brief's pathway is its own plants' (no more scaling of the region by capacity
/// share): India's 2020 steel direct CO2 is the sum of its plants' in the run (to 1e-9), within
/// the 150-250 Mt that India's ~100 Mt of 2020 crude steel at 1.5-2.5 t CO2/t allows; Germany's is
/// its own plants', well below its region's (Europe).
#[test]
fn country_briefs_use_the_countrys_own_plants() {
    let (_, pathway) = inputs();
    let own = |code: &str| -> f64 {
        let country = CountryCode::resolve(code).unwrap();
        pathway
            .outcome
            .plants
            .iter()
            .filter(|p| p.sector == Sector::Steel && p.country == Some(country))
            .map(|p| p.direct[0])
            .sum::<f64>()
            / 1e6
    };
    for code in ["IND", "DEU"] {
        let brief = country_brief(code, BriefOptions::default());
        let section = brief.pathway.as_ref().unwrap();
        let steel = section.sectors.iter().find(|s| s.sector == Sector::Steel).unwrap();
        let y2020 = steel.years.iter().find(|y| y.year == 2020).unwrap();
        let want = own(code);
        assert!(
            (y2020.direct_mt - want).abs() <= 1e-9 * want,
            "{code}: brief {} vs plants {want}",
            y2020.direct_mt
        );
        if code == "IND" {
            assert!((150.0..250.0).contains(&y2020.direct_mt), "India 2020 steel {} Mt", y2020.direct_mt);
            assert!((steel.share - 1.0).abs() < 1e-9, "India is its own region");
        } else {
            let europe = pathway
                .outcome
                .summary
                .iter()
                .find(|r| {
                    r.year == 2020
                        && r.sector == Sector::Steel
                        && r.region == Some(decarb_model::Region::Europe)
                })
                .unwrap();
            assert!(y2020.direct_mt < 0.5 * europe.direct_emissions.to_mt());
        }
        let html = country_html(code, BriefOptions::default());
        assert!(html.contains("are those of its own plants in the run"), "{code}: method text");
    }
}

/// A member country's brief judges its pledge, and its member companies' pledges, against the
/// pathway of their own plants: Germany (net zero 2045, seed) and thyssenkrupp (climate neutral
/// 2050, seed) in net-zero-2050, the numbers of `decarb pledges alignment`.
#[test]
fn a_member_countrys_brief_shows_its_and_its_companies_pledge_alignment() {
    let brief = country_brief("DEU", BriefOptions::default());
    let members: Vec<&str> = brief.alignment.iter().map(|a| a.member.as_str()).collect();
    assert!(members.contains(&"Germany") && members.contains(&"thyssenkrupp"), "{members:?}");
    let (tracker, pathway) = inputs();
    let all = gather::alignment_on(tracker, &pathway.fleet, &pathway.outcome).unwrap();
    for row in &brief.alignment {
        assert_eq!(Some(row), all.iter().find(|a| a.member == row.member && a.metric == row.metric));
    }
    // Germany's own plants in 2020 are the country's slice of the pathway.
    let germany = brief.alignment.iter().find(|a| a.member == "Germany").unwrap();
    let section = brief.pathway.as_ref().unwrap();
    let base: f64 = section.sectors.iter().filter_map(|s| s.years.first()).map(|y| y.direct_mt).sum();
    assert!((germany.base_year_mtco2.unwrap() - base).abs() < 1e-6, "{germany:?} vs {base}");
    let html = country::render(&brief);
    assert!(html.contains("<h2>Pledge alignment</h2>"));
    assert!(html.contains("allowed by the net-zero 2045 pledge"), "Germany's chart");
    assert!(html.contains("allowed by the climate-neutrality 2050 pledge"), "thyssenkrupp's chart");
}
