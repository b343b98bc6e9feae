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

/// Analyses go through the tracker's one write path: created with a `created` row dated by
/// their publication, updated field by field against a version (a stale one refused), proposed
/// by a contributor and approved by an editor, retired without being deleted.
#[test]
fn analyses_are_created_updated_and_retired_with_versions_history_and_review() {
    use decarb_store::{AnalysisPatch, Edit, EntityKind, NewRecord, Target, WriteMeta};
    for db in backends("analyses_writes") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let meta = |by: &str, note: &str| WriteMeta {
                by: by.to_owned(),
                note: note.to_owned(),
                source_url: Some("https://www.industrytransition.org/insights/".to_owned()),
                valid_from: Some("2026-11-30".to_owned()),
            };
            let us = parse_file(US, "us.md").unwrap();
            let created = Edit::Create { record: Box::new(NewRecord::Analysis(us.clone())) };
            let applied = store.apply_edit(&created, &meta("api:editor", "published"), None).await.unwrap();
            assert_eq!((applied.entity.as_str(), applied.version), ("analysis", 1));
            // A second create of the slug is a conflict, not a silent replacement.
            let again = store.apply_edit(&created, &meta("api:editor", "again"), None).await.unwrap_err();
            assert!(matches!(again, StoreError::Duplicate(_)), "{again}");
            let target = Target::Analysis { slug: us.slug.clone() };
            let update = Edit::UpdateAnalysis {
                slug: us.slug.clone(),
                patch: AnalysisPatch {
                    tags: Some(vec!["Partnerships".into(), "Steel".into()]),
                    countries: Some(vec!["United States".into()]),
                    ..AnalysisPatch::default()
                },
            };
            let applied = store.apply_edit(&update, &meta("api:editor", "retagged"), Some(1)).await.unwrap();
            assert_eq!((applied.version, applied.changed), (2, 2), "tags and countries");
            let stale = store.apply_edit(&update, &meta("api:other", "late"), Some(1)).await.unwrap_err();
            assert!(matches!(stale, StoreError::Stale { expected: 1, current: 2, .. }), "{stale}");
            let stored = store.analysis(&us.slug).await.unwrap();
            assert_eq!(stored.tags, ["Partnerships", "Steel"]);
            assert_eq!(stored.linked(LinkKind::Country).collect::<Vec<_>>(), ["USA"]);
            assert_eq!(stored.linked(LinkKind::Sector).collect::<Vec<_>>(), ["cement", "steel"], "kept");
            // A bad field is named; a note is required.
            let bad = Edit::UpdateAnalysis {
                slug: us.slug.clone(),
                patch: AnalysisPatch { published: Some("2021-02-30".into()), ..AnalysisPatch::default() },
            };
            let err = store.apply_edit(&bad, &meta("api:editor", "typo"), None).await.unwrap_err();
            assert!(matches!(&err, StoreError::Field { field, .. } if field == "published"), "{err}");
            assert!(err.to_string().contains("February 2021 has 28 days"), "{err}");
            let atlantis = Edit::UpdateAnalysis {
                slug: us.slug.clone(),
                patch: AnalysisPatch { countries: Some(vec!["Atlantis".into()]), ..AnalysisPatch::default() },
            };
            let err = store.apply_edit(&atlantis, &meta("api:editor", "x"), None).await.unwrap_err();
            assert!(matches!(&err, StoreError::Field { field, .. } if field == "countries"), "{err}");
            let err = store.apply_edit(&update, &meta("api:editor", " "), None).await.unwrap_err();
            assert!(matches!(&err, StoreError::Field { field, .. } if field == "note"), "{err}");
            // A contributor's change waits for an editor.
            let retitle = Edit::UpdateAnalysis {
                slug: us.slug.clone(),
                patch: AnalysisPatch {
                    title: Some("The United States joins LeadIT".into()),
                    ..AnalysisPatch::default()
                },
            };
            let proposal = store.propose(&retitle, &meta("api:analyst", "full name"), Some(2)).await.unwrap();
            assert_eq!(store.analysis(&us.slug).await.unwrap().title, "U.S. joins LeadIT");
            store.decide(proposal.id, true, "api:editor", None).await.unwrap();
            assert_eq!(store.analysis(&us.slug).await.unwrap().title, "The United States joins LeadIT");
            // Retired: gone from the lists, its history kept and ending with the retirement.
            let retire = Edit::Retire { target: target.clone() };
            store.apply_edit(&retire, &meta("api:editor", "withdrawn"), None).await.unwrap();
            assert!(store.analyses(None).await.unwrap().is_empty(), "{}", db.label);
            assert!(matches!(store.analysis(&us.slug).await, Err(StoreError::NotFound { .. })));
            let history = store.history(EntityKind::Analysis, &us.slug).await.unwrap();
            let fields: Vec<&str> = history.iter().map(|c| c.field.as_str()).collect();
            assert_eq!(fields, ["created", "tags", "countries", "title", "retired"], "{}", db.label);
            assert_eq!(history[0].valid_from, "2021-04-23", "created on its publication day");
            let title = &history[3];
            assert_eq!(
                (title.recorded_by.as_str(), title.approved_by.as_deref(), title.reason.as_deref()),
                ("api:analyst", Some("api:editor"), Some("full name"))
            );
            assert_eq!(title.source_url.as_deref(), Some("https://www.industrytransition.org/insights/"));
            // A retired analysis takes no more edits.
            assert!(store.apply_edit(&retitle, &meta("api:editor", "x"), None).await.is_err());
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
