//! A store written by an older decarb opens, migrates and keeps every record: the fixture is a
//! SQLite store as decarb wrote it at commit 08d47b6 (migrations 1-4: before token roles, retiring
//! and the change log's reasons; migration 6, plants' versions and corrections, runs after 5), made by `tools/gen_store_v4_fixture.sh` with the seed, three
//! plants imported as of 2024-01-31, one project update dated 2025-06-01 and one API token.
//! SQLite only: the fixture is a SQLite dump (the PostgreSQL migration runs the same steps in its
//! own dialect, and every PostgreSQL test starts from an empty database).

mod common;

use common::{runtime, sqlite_db};
use decarb_model::search::HitKind;
use decarb_store::edits::{Edit, MemberPatch, WriteMeta};
use decarb_store::{CountedTable, EntityKind, PlantFilter, Role, SearchRequest, Store, TokenCheck};

const FIXTURE: &str = include_str!("fixtures/store-v4.sqlite.sql");
/// SHA-256 of the fixture's token (`decarb_44f2979b...`), as the old store kept it.
const TOKEN_HASH: &str = "aa1a0fb3f0741ac5091b66d9860e76c7231ec2a5fa321721a4765fddcb7f658e";

#[test]
fn a_store_from_before_migration_5_opens_migrated_with_every_record() {
    let db = sqlite_db("migration_v4");
    runtime().block_on(async {
        // Write the old store as it was, then open it with today's code.
        let old = Store::connect(&db.target).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(FIXTURE)).execute(old.pool()).await.unwrap();
        old.close().await;
        let store = Store::open(&db.target).await.unwrap();

        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(applied, 6, "migrations 1-4 kept, 5 and 6 applied");

        // Every record is still there.
        assert_eq!(store.count(CountedTable::Members).await.unwrap(), 34);
        assert_eq!(store.count(CountedTable::Pledges).await.unwrap(), 17);
        assert_eq!(store.count(CountedTable::Projects).await.unwrap(), 50);
        assert_eq!(store.count(CountedTable::Plants).await.unwrap(), 3);
        let changes = store.count(CountedTable::Changes).await.unwrap();
        assert_eq!(changes, 109, "the change log keeps its rows through the table rebuild");

        // History and as-of reads answer as before: HYBRIT announced until 2025-06-01, then under
        // construction, with the old change's date and source note.
        let key = "seed-hybrit-demonstration-plant-gallivare";
        assert_eq!(store.project(key, Some("2025-05-31")).await.unwrap().stage, "announced");
        assert_eq!(store.project(key, None).await.unwrap().stage, "construction");
        let history = store.history(EntityKind::Project, key).await.unwrap();
        let stage = history.iter().find(|c| c.field == "stage").unwrap();
        assert_eq!(
            (stage.old_value.as_deref(), stage.new_value.as_deref()),
            (Some("announced"), Some("construction"))
        );
        assert_eq!(stage.valid_from, "2025-06-01");

        // Plants keep capacities and unknowns as imported.
        let plants = store.plants(&PlantFilter::default()).await.unwrap();
        let capacity = |id: &str| plants.iter().find(|p| p.key == id).unwrap().capacity_tpa;
        assert_eq!(capacity("DE-DUISBURG"), Some(11_000_000.0));
        assert_eq!(capacity("IN-UNKNOWN"), None);

        // Migration 6: plants have a version (1 until something changes them) and no wiki page
        // yet (the next import of their release fills it); analyses can be retired.
        let duisburg = store.plant("DE-DUISBURG", None).await.unwrap();
        assert_eq!((duisburg.version, duisburg.gem_wiki.as_deref()), (1, None));
        assert!(duisburg.corrections.is_empty());

        // The old token keeps writing: tokens made before roles existed become editors.
        match store.check_token(TOKEN_HASH).await.unwrap() {
            TokenCheck::Valid { name, role } => {
                assert_eq!((name.as_str(), role), ("fixture-writer", Role::Editor));
            }
            other => panic!("{other:?}"),
        }

        // New writes work on the migrated records: an update with the record's version.
        let version = store
            .record_version(&decarb_store::edits::Target::Member { name: "Sweden".into() })
            .await
            .unwrap();
        let meta = WriteMeta {
            by: "migration-test".into(),
            note: "checking writes after migration".into(),
            source_url: Some("https://example.org/note".into()),
            valid_from: Some("2026-01-01".into()),
        };
        let edit = Edit::UpdateMember {
            name: "Sweden".into(),
            patch: MemberPatch { notes: Some("migrated".into()), ..MemberPatch::default() },
        };
        store.apply_edit(&edit, &meta, Some(version.version)).await.unwrap();
        let history = store.history(EntityKind::Member, "Sweden").await.unwrap();
        assert!(history.iter().any(|c| c.reason.as_deref() == Some("checking writes after migration")));

        // And the store is searchable like a new one.
        let hits = store
            .search(&SearchRequest { query: "duisburg".into(), kinds: vec![HitKind::Plant], per_kind: 3 })
            .await
            .unwrap();
        assert_eq!(hits[0].candidate.key, "decarb/DE-DUISBURG");
        store.close().await;
    });
}
