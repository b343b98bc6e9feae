//! Analyses on the dashboard: list (newest first, tag filter, view all), an analysis page with
//! its sanitised body and related analyses, and a well-formed Atom feed.

mod common;

use axum::http::StatusCode;
use common::{get, runtime};
use decarb_store::Store;
use decarb_store::analyses::parse_file;

fn analysis(title: &str, date: &str, tags: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nauthors: A. Writer\ntags: {tags}\n{extra}---\n{body}\n")
}

/// The `data-slug` values of the cards in a fragment, in order.
fn slugs(html: &str) -> Vec<String> {
    html.split("data-slug=\"").skip(1).map(|p| p.split('"').next().unwrap().to_owned()).collect()
}

#[test]
fn analyses_pages_and_feed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("analyses.db");
    runtime().block_on(async {
        let store = Store::open(db.to_str().unwrap()).await.unwrap().with_actor("test");
        let mut files = vec![
            analysis(
                "U.S. joins LeadIT",
                "2021-04-23",
                "Climate Politics, Partnerships",
                "countries: USA, SWE\n",
                "The US joined.",
            ),
            analysis(
                "ITP next steps",
                "2024-05-03",
                "Climate Politics, Developing Countries, Partnerships",
                "countries: IND, SWE\n",
                "Kick-off.",
            ),
            analysis(
                "Carbon leakage <dialogue> & \"risks\"",
                "2022-04-11",
                "Building materials, Climate Politics",
                "countries: USA\n",
                "Leakage.",
            ),
            analysis("Roadmaps", "2023-01-10", "Roadmaps", "", "Nothing shared with the US piece."),
            analysis(
                "Injected",
                "2020-01-01",
                "Partnerships",
                "",
                "Text <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
            ),
        ];
        for i in 0..8 {
            files.push(analysis(
                &format!("Filler {i}"),
                &format!("2019-0{}-01", i + 1),
                "Filler",
                "",
                "Filler.",
            ));
        }
        for (i, text) in files.iter().enumerate() {
            store.add_analysis(&parse_file(text, &format!("{i}.md")).unwrap()).await.unwrap();
        }
        store.close().await;

        let app = decarb_server::app(common::state(&db).await);
        let page = get(&app, "/analyses").await;
        assert_eq!(page.status, StatusCode::OK);
        let text = page.text();
        let listed = slugs(&text);
        assert_eq!(listed.len(), decarb_server::dashboard::analyses::LIST_LIMIT);
        assert_eq!(
            listed[..5],
            ["itp-next-steps", "roadmaps", "carbon-leakage-dialogue-risks", "u-s-joins-leadit", "injected"]
        );
        assert!(text.contains("View all (13)"), "view all link");
        assert_eq!(slugs(&get(&app, "/analyses?all=1").await.text()).len(), 13);
        let tagged = get(&app, "/analyses?tag=partnerships").await.text();
        assert_eq!(slugs(&tagged), ["itp-next-steps", "u-s-joins-leadit", "injected"]);
        assert!(!text.contains("http://"), "no external resource on the list");

        let us = get(&app, "/analyses/u-s-joins-leadit").await;
        assert_eq!(us.status, StatusCode::OK);
        let us = us.text();
        let related = &us[us.find("id=\"related\"").unwrap()..];
        // ITP: Climate Politics + Partnerships (4) + SWE (1) = 5; leakage: 2 + USA 1 = 3;
        // injected: Partnerships 2; roadmaps and fillers share nothing.
        assert_eq!(slugs(related), ["itp-next-steps", "carbon-leakage-dialogue-risks", "injected"]);

        let injected = get(&app, "/analyses/injected").await.text();
        let body =
            &injected[injected.find("analysis-body").unwrap()..injected.find("id=\"related\"").unwrap()];
        let lower = body.to_lowercase();
        assert!(
            !lower.contains("<script") && !lower.contains("onerror") && !lower.contains("javascript:"),
            "{body}"
        );
        assert!(body.contains("Text"), "{body}");
        assert_eq!(get(&app, "/analyses/nope").await.status, StatusCode::NOT_FOUND);

        let feed = get(&app, "/analyses.atom").await;
        assert_eq!(feed.status, StatusCode::OK);
        assert_eq!(feed.content_type, "application/atom+xml; charset=utf-8");
        let xml = feed.text();
        let (entries, titles) = parse_atom(&xml);
        assert_eq!(entries, 13);
        assert_eq!(titles[0], "decarb analyses");
        assert!(titles.contains(&"Carbon leakage <dialogue> & \"risks\"".to_owned()), "{titles:?}");
        assert!(!xml.contains("<script"), "content is escaped sanitised HTML");
    });
}

/// Parses the feed strictly (end names checked); returns the number of entries and every title.
fn parse_atom(xml: &str) -> (usize, Vec<String>) {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut entries, mut titles, mut in_title, mut depth) = (0, Vec::new(), false, 0i32);
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("feed is not well-formed XML: {e}\n{xml}")) {
            Event::Start(e) => {
                depth += 1;
                if e.local_name().as_ref() == "entry" {
                    entries += 1;
                }
                in_title = e.local_name().as_ref() == "title";
                if in_title {
                    titles.push(String::new());
                }
            }
            Event::Text(t) if in_title => {
                titles.last_mut().unwrap().push_str(AsRef::<str>::as_ref(&t));
            }
            Event::GeneralRef(r) if in_title => {
                let c = match AsRef::<str>::as_ref(&r) {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    other => panic!("unexpected entity {other}"),
                };
                titles.last_mut().unwrap().push(c);
            }
            Event::End(_) => {
                depth -= 1;
                in_title = false;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unbalanced elements");
    (entries, titles)
}
