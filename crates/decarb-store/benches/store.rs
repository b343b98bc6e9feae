//! Imports of the real trackers into each backend, and the tracker's headline query ("operating
//! capacity by country and route, as of a date"). Each import sample starts from a fresh,
//! initialised store (not timed); the import itself reads the file and writes it in one
//! transaction, as `decarb db import` does.
//!
//! `cargo bench -p decarb-store` (PostgreSQL samples need `DECARB_TEST_POSTGRES_URL`, e.g. from
//! `source .ci/postgres.sh`; without it they are skipped and report nothing useful).

use decarb_store::{ImportFile, Store, read_file};
use divan::Bencher;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let scratch = std::env::temp_dir().join("decarb-store-bench");
    let _ = std::fs::remove_dir_all(&scratch);
    divan::main();
    // SQLite stores of every sample; PostgreSQL bench databases stay on the (throwaway) server.
    let _ = std::fs::remove_dir_all(&scratch);
}

const BACKENDS: [&str; 2] = ["sqlite", "postgres"];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, initialised store on the backend, or `None` when that backend is not configured.
fn fresh(backend: &str) -> Option<String> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let target = if backend == "sqlite" {
        let dir = std::env::temp_dir().join("decarb-store-bench");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(format!("bench-{}-{n}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        file.display().to_string()
    } else {
        let base = std::env::var("DECARB_TEST_POSTGRES_URL").ok()?;
        let name = format!("decarb_bench_{}_{n}", std::process::id());
        runtime().block_on(async {
            let admin = Store::connect(&base).await.unwrap();
            // Bench-generated identifier; CREATE DATABASE takes no bind parameters.
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(admin.pool())
                .await
                .unwrap();
            admin.close().await;
        });
        let (prefix, _) = base.rsplit_once('/').unwrap();
        format!("{prefix}/{name}")
    };
    runtime().block_on(async {
        let store = Store::open(&target).await.unwrap();
        store.init().await.unwrap();
        store.close().await;
    });
    Some(target)
}

fn import(target: &str, files: &[ImportFile]) {
    runtime().block_on(async {
        let store = Store::open(target).await.unwrap();
        store.import_files(files, &|_| {}).await.unwrap();
        store.close().await;
    });
}

fn dataset(name: &str, file: &str) -> Option<PathBuf> {
    decarb_data::shared::dataset(name).map(|dir| dir.join(file))
}

/// GEM Global Steel Plant Tracker 2023 workbook: 1,433 plants.
#[divan::bench(args = BACKENDS, sample_count = 5, sample_size = 1)]
fn import_gem_2023_workbook(bencher: Bencher, backend: &str) {
    let Some(path) = dataset("gem-steel-plant-tracker-2023-03", "global_steel_plant_tracker_2023_03.xlsx")
    else {
        return;
    };
    bencher.with_inputs(|| fresh(backend)).bench_values(|target| {
        if let Some(target) = target {
            import(&target, &[read_file(&path, None).unwrap()]);
        }
    });
}

/// GEM GIST 2025 unit file: 4,983 furnace units, attached to the plants of the plant file
/// (imported first, not timed).
#[divan::bench(args = BACKENDS, sample_count = 5, sample_size = 1)]
fn import_gist_2025_unit_file(bencher: Bencher, backend: &str) {
    let (Some(plants), Some(units)) = (
        dataset("gem-iron-steel-tracker-2025-03", "gist_plant_map_file_2025-03-25.csv"),
        dataset("gem-iron-steel-tracker-2025-03", "gist_unit_map_file_2025-03-18.csv"),
    ) else {
        return;
    };
    let plant_file = read_file(&plants, None).unwrap();
    bencher
        .with_inputs(|| {
            let target = fresh(backend);
            if let Some(target) = &target {
                import(target, std::slice::from_ref(&plant_file));
            }
            target
        })
        .bench_values(|target| {
            if let Some(target) = target {
                import(&target, &[read_file(&units, None).unwrap()]);
            }
        });
}

/// SFI global cement database (workbook): 3,117 plants.
#[divan::bench(args = BACKENDS, sample_count = 5, sample_size = 1)]
fn import_sfi_cement(bencher: Bencher, backend: &str) {
    let Some(path) = dataset("sfi-cement-2021", "SFI-Global-Cement-Database-July-2021.xlsx") else { return };
    bencher.with_inputs(|| fresh(backend)).bench_values(|target| {
        if let Some(target) = target {
            import(&target, &[read_file(&path, None).unwrap()]);
        }
    });
}

/// Operating capacity by country and route as of 2024-06-30, on a store holding GEM 2023, GEM
/// 2025 (plants and units) and SFI 2021: about 6,500 plant states.
#[divan::bench(args = BACKENDS, sample_count = 20, sample_size = 5)]
fn query_operating_capacity_by_country_and_route(bencher: Bencher, backend: &str) {
    let (Some(gspt), Some(gist), Some(units), Some(sfi)) = (
        dataset("gem-steel-plant-tracker-2023-03", "global_steel_plant_tracker_2023_03.xlsx"),
        dataset("gem-iron-steel-tracker-2025-03", "gist_plant_map_file_2025-03-25.csv"),
        dataset("gem-iron-steel-tracker-2025-03", "gist_unit_map_file_2025-03-18.csv"),
        dataset("sfi-cement-2021", "SFI-Global-Cement-Database-July-2021.xlsx"),
    ) else {
        return;
    };
    let Some(target) = fresh(backend) else { return };
    import(&target, &[read_file(&sfi, None).unwrap()]);
    import(&target, &[read_file(&gspt, None).unwrap()]);
    import(&target, &[read_file(&gist, None).unwrap(), read_file(&units, None).unwrap()]);
    let rt = runtime();
    let store = rt.block_on(Store::open(&target)).unwrap();
    bencher.bench_local(|| {
        let rows = rt.block_on(store.operating_capacity(Some("2024-06-30"), None)).unwrap();
        divan::black_box(rows);
    });
    rt.block_on(store.close());
}
