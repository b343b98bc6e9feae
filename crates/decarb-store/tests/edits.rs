//! Writes to existing records (update, retire, create), optimistic concurrency, proposals and
//! their review, and dates as they are known; on SQLite and (when configured) PostgreSQL.

mod common;

use common::{backends, fresh, runtime};
use decarb_store::{
    Edit, MemberPatch, PledgePatch, ProjectUpdate, RegistryFilter, Store, StoreError, Target, WriteMeta,
};

fn meta(by: &str, note: &str) -> WriteMeta {
    WriteMeta {
        by: by.to_owned(),
        note: note.to_owned(),
        source_url: Some("https://www.industrytransition.org/leadit/".to_owned()),
        valid_from: Some("2026-11-30".to_owned()),
    }
}

fn salcos() -> Target {
    Target::Project { key: "seed-salcos-stage-1-salzgitter".to_owned() }
}

#[test]
fn updates_are_versioned_logged_with_who_why_and_source_and_stale_ones_refused() {
    for db in backends("edits_update") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let sweden = Target::Member { name: "Sweden".to_owned() };
            let v1 = store.record_version(&sweden).await.unwrap().version;
            let edit = Edit::UpdateMember {
                name: "Sweden".to_owned(),
                patch: MemberPatch { notes: Some("co-chair with India".to_owned()), ..MemberPatch::default() },
            };
            let applied = store.apply_edit(&edit, &meta("api:secretariat", "co-chair announced"), Some(v1)).await.unwrap();
            assert_eq!((applied.version, applied.changed), (v1 + 1, 1));
            // The same write against the old version is stale and changes nothing.
            let again = Edit::UpdateMember {
                name: "Sweden".to_owned(),
                patch: MemberPatch { notes: Some("something else".to_owned()), ..MemberPatch::default() },
            };
            let err = store.apply_edit(&again, &meta("api:other", "late"), Some(v1)).await.unwrap_err();
            assert!(matches!(err, StoreError::Stale { expected, current, .. } if expected == v1 && current == v1 + 1), "{err}");
            let history = store.history(decarb_store::EntityKind::Member, "Sweden").await.unwrap();
            let last = history.last().unwrap();
            assert_eq!(last.field, "notes");
            assert_eq!(last.new_value.as_deref(), Some("co-chair with India"));
            assert_eq!(last.recorded_by, "api:secretariat");
            assert_eq!(last.reason.as_deref(), Some("co-chair announced"));
            assert_eq!(last.source_url.as_deref(), Some("https://www.industrytransition.org/leadit/"));
            assert_eq!(last.valid_from, "2026-11-30");
            // Validation names the field.
            let bad = Edit::UpdatePledge {
                member: "Sweden".to_owned(),
                metric: "net-zero".to_owned(),
                scope: "economy-wide".to_owned(),
                patch: PledgePatch { target_year: Some(1999), ..PledgePatch::default() },
            };
            let err = store.apply_edit(&bad, &meta("api:x", "typo"), None).await.unwrap_err();
            assert!(matches!(&err, StoreError::Field { field, .. } if field == "target_year"), "{err}");
            let no_note = store.apply_edit(&edit, &WriteMeta { note: "  ".into(), ..meta("x", "") }, None).await;
            assert!(matches!(no_note, Err(StoreError::Field { ref field, .. }) if field == "note"));
            store.close().await;
        });
    }
}

#[test]
fn eight_concurrent_editors_of_one_record_lose_no_update() {
    for db in backends("edits_concurrent") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let before = store.project("seed-salcos-stage-1-salzgitter", None).await.unwrap();
            assert_eq!(before.capacity_value, Some(2.0));
            let version = store.record_version(&salcos()).await.unwrap().version;
            // Round 1: eight editors all hold the same version; exactly one write lands, the seven
            // others are told their version is stale.
            let mut tasks = Vec::new();
            for i in 0..8 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    let edit = Edit::UpdateProject {
                        key: "seed-salcos-stage-1-salzgitter".to_owned(),
                        patch: ProjectUpdate { capacity_delta: Some(0.125), ..ProjectUpdate::default() },
                    };
                    store
                        .apply_edit(&edit, &meta(&format!("editor-{i}"), "capacity revised"), Some(version))
                        .await
                }));
            }
            let mut ok = 0;
            let mut stale = 0;
            for task in tasks {
                match task.await.unwrap() {
                    Ok(applied) => {
                        ok += 1;
                        assert_eq!(applied.version, version + 1);
                    }
                    Err(StoreError::Stale { .. }) => stale += 1,
                    Err(other) => panic!("{other}"),
                }
            }
            assert_eq!((ok, stale), (1, 7));
            // Round 2: each editor reads again after a stale answer and retries: all eight
            // increments land, none lost.
            let mut tasks = Vec::new();
            for i in 0..8 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    let mut stale = 0;
                    loop {
                        let version = store.record_version(&salcos()).await.unwrap().version;
                        let edit = Edit::UpdateProject {
                            key: "seed-salcos-stage-1-salzgitter".to_owned(),
                            patch: ProjectUpdate { capacity_delta: Some(0.125), ..ProjectUpdate::default() },
                        };
                        match store
                            .apply_edit(
                                &edit,
                                &meta(&format!("editor-{i}"), "capacity revised"),
                                Some(version),
                            )
                            .await
                        {
                            Ok(_) => return stale,
                            Err(StoreError::Stale { .. }) => stale += 1,
                            Err(other) => panic!("{other}"),
                        }
                    }
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
            let after = store.project("seed-salcos-stage-1-salzgitter", None).await.unwrap();
            // 2.0 + 9 × 0.125 (one from round 1, eight from round 2); eighths are exact in f64.
            assert_eq!(after.capacity_value, Some(3.125));
            assert_eq!(store.record_version(&salcos()).await.unwrap().version, version + 9);
            store.close().await;
        });
    }
}

#[test]
fn proposals_wait_for_review_and_the_log_names_proposer_and_approver() {
    for db in backends("edits_review") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let edit = Edit::UpdatePledge {
                member: "Sweden".to_owned(),
                metric: "net-zero".to_owned(),
                scope: "economy-wide".to_owned(),
                patch: PledgePatch {
                    milestone_2030: Some("-63% vs 1990 (non-ETS)".to_owned()),
                    ..PledgePatch::default()
                },
            };
            let proposal =
                store.propose(&edit, &meta("api:contributor", "climate law milestone"), None).await.unwrap();
            assert_eq!((proposal.status.as_str(), proposal.base_version), ("pending", Some(1)));
            // Nothing changed yet.
            let pledges = store.pledges(&RegistryFilter::default()).await.unwrap();
            let sweden = pledges.iter().find(|p| p.member == "Sweden" && p.metric == "net-zero").unwrap();
            assert_eq!(sweden.milestone_2030, None);
            assert_eq!(store.proposals(Some("pending")).await.unwrap().len(), 1);
            let decided = store.decide(proposal.id, true, "api:editor", Some("checked")).await.unwrap();
            assert_eq!(
                (decided.status.as_str(), decided.decided_by.as_deref()),
                ("approved", Some("api:editor"))
            );
            let pledges = store.pledges(&RegistryFilter::default()).await.unwrap();
            let sweden = pledges.iter().find(|p| p.member == "Sweden" && p.metric == "net-zero").unwrap();
            assert_eq!(sweden.milestone_2030.as_deref(), Some("-63% vs 1990 (non-ETS)"));
            let history = store
                .history(decarb_store::EntityKind::Pledge, "Sweden/net-zero/economy-wide")
                .await
                .unwrap();
            let last = history.last().unwrap();
            assert_eq!(
                (last.recorded_by.as_str(), last.approved_by.as_deref()),
                ("api:contributor", Some("api:editor"))
            );
            // Deciding twice is refused.
            assert!(matches!(
                store.decide(proposal.id, false, "api:editor", None).await,
                Err(StoreError::Field { .. })
            ));
            // A proposal against a record that does not exist is refused at once.
            let missing = Edit::Retire { target: Target::Member { name: "Atlantis".to_owned() } };
            assert!(matches!(
                store.propose(&missing, &meta("c", "gone"), None).await,
                Err(StoreError::NotFound { .. })
            ));
            store.close().await;
        });
    }
}

#[test]
fn retired_records_leave_the_lists_from_their_date_and_keep_their_history() {
    for db in backends("edits_retire") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            let members = store.members(&RegistryFilter::default()).await.unwrap().len();
            let retire = Edit::Retire { target: Target::Member { name: "SSAB".to_owned() } };
            store
                .apply_edit(&retire, &meta("api:editor", "duplicate of another record"), None)
                .await
                .unwrap();
            assert_eq!(store.members(&RegistryFilter::default()).await.unwrap().len(), members - 1);
            let before = RegistryFilter { as_of: Some("2026-11-29".to_owned()), ..RegistryFilter::default() };
            assert!(store.members(&before).await.unwrap().iter().any(|m| m.name == "SSAB"));
            // SSAB's pledge goes with it.
            assert!(
                !store.pledges(&RegistryFilter::default()).await.unwrap().iter().any(|p| p.member == "SSAB")
            );
            let history = store.history(decarb_store::EntityKind::Member, "SSAB").await.unwrap();
            assert_eq!(history.last().unwrap().field, "retired");
            // A retired record takes no more edits.
            let err = store.apply_edit(&retire, &meta("api:editor", "again"), None).await.unwrap_err();
            assert!(matches!(err, StoreError::Field { .. }), "{err}");
            // Projects too.
            store
                .apply_edit(&Edit::Retire { target: salcos() }, &meta("e", "cancelled"), None)
                .await
                .unwrap();
            let projects = store.projects(&decarb_store::ProjectFilter::default()).await.unwrap();
            assert!(!projects.iter().any(|p| p.key == "seed-salcos-stage-1-salzgitter"));
            store.close().await;
        });
    }
}

#[test]
fn unknown_dates_stay_unknown_and_changes_are_never_redated() {
    for db in backends("edits_dates") {
        runtime().block_on(async {
            let store = fresh(&db).await;
            // Tata Steel (member, no date) and HYBRIT (partnership, no start) were recorded today
            // with unknown dates: no diff lists them as added. An undated member is in the latest
            // list only; an undated partnership (or pledge) is in every as-of list.
            let diff = store.diff("2025-12-31", None).await.unwrap();
            assert!(!diff.iter().any(|c| c.key == "Tata Steel" || c.key.starts_with("HYBRIT")), "{diff:?}");
            let history = store.history(decarb_store::EntityKind::Member, "Tata Steel").await.unwrap();
            assert_eq!(history[0].valid_from, "");
            let early = RegistryFilter { as_of: Some("2020-01-01".to_owned()), ..RegistryFilter::default() };
            assert!(!store.members(&early).await.unwrap().iter().any(|m| m.name == "Tata Steel"));
            assert!(
                store
                    .members(&RegistryFilter::default())
                    .await
                    .unwrap()
                    .iter()
                    .any(|m| m.name == "Tata Steel")
            );
            assert!(store.partnerships(&early).await.unwrap().iter().any(|p| p.name.starts_with("HYBRIT")));
            // A change dated before the project's current state (2025-08) is refused, not moved.
            let source = decarb_store::SourceRecord::new("test", "test");
            store
                .update_project(
                    "seed-salcos-stage-1-salzgitter",
                    &ProjectUpdate { fid: Some("2023".into()), ..ProjectUpdate::default() },
                    &source,
                    "2025-09-01",
                )
                .await
                .unwrap();
            let err = store
                .update_project(
                    "seed-salcos-stage-1-salzgitter",
                    &ProjectUpdate { fid: Some("2022".into()), ..ProjectUpdate::default() },
                    &source,
                    "2025-08-15",
                )
                .await
                .unwrap_err();
            assert!(err.to_string().contains("2025-09-01"), "{err}");
            let row = store.project("seed-salcos-stage-1-salzgitter", None).await.unwrap();
            assert_eq!((row.fid.as_deref(), row.valid_from.as_str()), (Some("2023"), "2025-09-01"));
            store.close().await;
        });
    }
}

#[test]
fn duplicate_pledges_and_records_are_conflicts_in_plain_words() {
    for db in backends("edits_duplicates") {
        runtime().block_on(async {
            let store: Store = fresh(&db).await;
            let pledges = store.pledges(&RegistryFilter::default()).await.unwrap();
            let sweden = pledges.iter().find(|p| p.member == "Sweden").unwrap();
            let record = decarb_store::PledgeRecord {
                member: "Sweden".to_owned(),
                target_year: Some(2045),
                metric: sweden.metric.clone(),
                scope: sweden.scope.clone(),
                milestone_2030: None,
                status: None,
                verified: false,
                stated: None,
                notes: None,
                source: decarb_store::SourceRecord::new("test", "test"),
            };
            let err = store.add_pledge(&record).await.unwrap_err();
            assert!(matches!(err, StoreError::Duplicate(_)), "{err}");
            assert!(err.to_string().contains("already has a net-zero pledge"), "{err}");
            let create = Edit::Create { record: Box::new(decarb_store::NewRecord::Pledge(record)) };
            let err = store.apply_edit(&create, &meta("e", "again"), None).await.unwrap_err();
            assert!(matches!(err, StoreError::Duplicate(_)), "{err}");
            store.close().await;
        });
    }
}
