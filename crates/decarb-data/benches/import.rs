//! Import speed of the two largest real fleet files: the GEM 2023 workbook (xlsx, calamine) and
//! the GIST 2025 unit CSV. Skips (benchmarks nothing) when the shared data is not there.
//!
//! `cargo bench -p decarb-data --bench import`

use decarb_data::{import_bytes, shared};
use std::path::PathBuf;

fn main() {
    divan::main();
}

fn file(dataset: &str, name: &str) -> Option<(PathBuf, Vec<u8>)> {
    let path = shared::dataset(dataset)?.join(name);
    let bytes = std::fs::read(&path).ok()?;
    Some((path, bytes))
}

#[divan::bench(sample_count = 20)]
fn gem_2023_workbook(bencher: divan::Bencher) {
    let Some((path, bytes)) =
        file("gem-steel-plant-tracker-2023-03", "global_steel_plant_tracker_2023_03.xlsx")
    else {
        return;
    };
    bencher.bench(|| {
        import_bytes(&path, divan::black_box(&bytes), None).map(|i| i.fleet.len()).map_err(|e| e.to_string())
    });
}

#[divan::bench(sample_count = 20)]
fn gist_2025_unit_csv(bencher: divan::Bencher) {
    let Some((path, bytes)) = file("gem-iron-steel-tracker-2025-03", "gist_unit_map_file_2025-03-18.csv")
    else {
        return;
    };
    bencher.bench(|| {
        import_bytes(&path, divan::black_box(&bytes), None).map(|i| i.units.len()).map_err(|e| e.to_string())
    });
}
