//! Analyses in the store: add (and replace by slug), list newest first, filter by tag, related.

mod common;

use common::{backends, fresh, runtime};
use decarb_store::StoreError;
use decarb_store::analyses::{LinkKind, parse_file, related};

const US: &str = "---\ntitle: U.S. joins LeadIT\ndate: 2021-04-23\nauthors: Andrea Lindblom\ntags: Climate Politics, Partnerships\ncountries: USA, SWE\nsectors: steel, cement\n---\nThe United States has joined.\n";
const ITP: &str = "---\ntitle: India Sweden ITP, the next steps\ndate: 2024-05-03\nauthors: Nadia Mondini, Felipe Sanchez\ntags: Climate Politics, Developing Countries, Partnerships\ncountries: IND, SWE\n---\nKick-off in New Delhi.\n";
const LEAKAGE: &str = "---\ntitle: Preventing the risks of carbon leakage\ndate: 2022-04-11\nauthors: Astrid Nilsson\ntags: Building materials, Climate Politics\nsectors: cement\n---\nA dialogue.\n";

#[test]
fn analyses_round_trip_newest_first_with_tag_filter_and_related() {
    for db in backends("analyses") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            for (name, text) in [("us.md", US), ("itp.md", ITP), ("leakage.md", LEAKAGE)] {
                assert!(!store.add_analysis(&parse_file(text, name).unwrap()).await.unwrap(), "{}", db.label);
            }
            let all = store.analyses(None).await.unwrap();
            let slugs: Vec<&str> = all.iter().map(|a| a.slug.as_str()).collect();
            assert_eq!(
                slugs,
                [
                    "india-sweden-itp-the-next-steps",
                    "preventing-the-risks-of-carbon-leakage",
                    "u-s-joins-leadit"
                ],
                "{}",
                db.label
            );
            let us = store.analysis("u-s-joins-leadit").await.unwrap();
            assert_eq!(us.authors, ["Andrea Lindblom"]);
            assert_eq!(us.linked(LinkKind::Country).collect::<Vec<_>>(), ["SWE", "USA"]);
            let partnerships = store.analyses(Some("partnerships")).await.unwrap();
            assert_eq!(partnerships.len(), 2, "{}", db.label);
            // ITP: 2 shared tags + SWE = 5; leakage: 1 tag + cement = 3.
            let ranked = related(&us, &all, 5);
            assert_eq!(
                ranked.iter().map(|r| (r.slug.as_str(), r.score)).collect::<Vec<_>>(),
                [("india-sweden-itp-the-next-steps", 5), ("preventing-the-risks-of-carbon-leakage", 3)]
            );
            // Adding the same slug again replaces it, tags included.
            let mut changed = parse_file(US, "us.md").unwrap();
            changed.tags = vec!["Roadmaps".into()];
            assert!(store.add_analysis(&changed).await.unwrap());
            assert_eq!(store.analyses(None).await.unwrap().len(), 3);
            assert_eq!(store.analysis("u-s-joins-leadit").await.unwrap().tags, ["Roadmaps"]);
            let tags = store.analysis_tags().await.unwrap();
            assert!(tags.contains(&("Roadmaps".to_owned(), 1)), "{tags:?}");
            assert!(matches!(store.analysis("nope").await, Err(StoreError::NotFound { .. })));
            store.close().await;
        });
    }
}

/// Table -> column names of a migration, from its `CREATE TABLE` statements.
fn shape(sql: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out = std::collections::BTreeMap::new();
    for statement in sql.split(';') {
        let Some(rest) = statement.split("CREATE TABLE ").nth(1) else { continue };
        let (name, body) = rest.split_once('(').unwrap();
        let columns = body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("PRIMARY KEY") && !l.starts_with(')'))
            .map(|l| l.split_whitespace().next().unwrap().to_owned())
            .collect();
        out.insert(name.trim().to_owned(), columns);
    }
    out
}

#[test]
fn both_analyses_migrations_declare_the_same_tables_and_columns() {
    let sqlite = shape(include_str!("../migrations/sqlite/0003_analyses.sql"));
    let postgres = shape(include_str!("../migrations/postgres/0003_analyses.sql"));
    assert_eq!(sqlite.keys().collect::<Vec<_>>(), ["analysis", "analysis_link", "analysis_tag"]);
    assert_eq!(sqlite, postgres);
    assert_eq!(sqlite["analysis_link"], ["analysis_id", "kind", "target"]);
}
