//! Time to generate every country brief of the bundled world (target: under 2 s in release).
//!
//! - `all_country_briefs_end_to_end`: what `decarb brief all --out DIR` does: a temporary tracker
//!   store initialised with the bundled seed, one `net-zero-2050` run, then every country's brief
//!   gathered, rendered and written.
//! - `all_country_briefs_given_inputs`: the same with tracker and pathway ready (gather, render,
//!   write only).

use decarb_brief::country::BriefOptions;
use decarb_brief::gather;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn all_country_briefs_end_to_end(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    bencher.bench(|| {
        let tracker = gather::load_tracker(Some("/nonexistent/decarb-bench.db")).unwrap();
        let pathway = gather::run_pathway("net-zero-2050").unwrap();
        decarb_brief::write_all_countries(dir.path(), &tracker, &pathway, BriefOptions::default()).unwrap()
    });
}

#[divan::bench(sample_count = 10)]
fn all_country_briefs_given_inputs(bencher: divan::Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let tracker = gather::load_tracker(Some("/nonexistent/decarb-bench.db")).unwrap();
    let pathway = gather::run_pathway("net-zero-2050").unwrap();
    bencher.bench(|| {
        decarb_brief::write_all_countries(dir.path(), &tracker, &pathway, BriefOptions::default()).unwrap()
    });
}
