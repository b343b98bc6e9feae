//! decarb-brief: generated briefs and safe Markdown for the group's analyses.
//!
//! A brief is one self-contained HTML file (inline CSS and SVG, no script, nothing fetched from
//! anywhere, A4 print rules) about a country, a sector or a member: headline production facts
//! with the year and publisher of each statistic, membership, pledges and partnerships from the
//! tracker, the fleet by route and age with its reinvestment wave, the project pipeline, the
//! pathway of a scenario with its hydrogen, clean power, CO2 storage and investment needs, and the
//! CBAM cost of exports on that path. Every number carries a footnote with its source; what the
//! data does not hold is listed as missing, never invented.
//!
//! Gathering ([`gather`]: the tracker, one pathway run) is separate from rendering
//! ([`country::render`], [`sector::render`], [`member::render`]), which reads only typed inputs.
//!
//! ```
//! use decarb_brief::{country, gather};
//! use decarb_model::CountryCode;
//! let tracker = gather::load_tracker(Some("/nonexistent/decarb.db")).unwrap(); // bundled seed
//! let pathway = gather::run_pathway("net-zero-2050").unwrap();
//! let usa = CountryCode::resolve("USA").unwrap();
//! let brief = country::gather(usa, &tracker, &pathway, country::BriefOptions::default()).unwrap();
//! let html = country::render(&brief);
//! assert!(html.contains("4th largest crude steel producer in 2021, worldsteel"));
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod alignment;
pub mod country;
pub mod gather;
pub mod markdown;
pub mod member;
pub mod pdf;
pub mod sector;
pub mod view;

/// What can go wrong while gathering a brief.
#[derive(Debug, thiserror::Error)]
pub enum BriefError {
    /// Something the user named that does not exist or cannot be used (exit code 2).
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Store(#[from] decarb_store::StoreError),
    #[error(transparent)]
    Cbam(#[from] decarb_cbam::Error),
    #[error("{0}: {1}")]
    Io(String, #[source] std::io::Error),
}

impl BriefError {
    /// True for errors the user can fix.
    pub fn is_user_error(&self) -> bool {
        match self {
            BriefError::Input(_) => true,
            BriefError::Store(err) => err.is_user_error(),
            BriefError::Cbam(err) => err.is_user_error(),
            BriefError::Io(..) => false,
        }
    }
}

/// Writes the brief of every country of the bundled world fleet into `dir` as `<ISO3>.html`,
/// sharing one tracker and one pathway run; returns the files written, by country code.
pub fn write_all_countries(
    dir: &std::path::Path,
    tracker: &gather::Tracker,
    pathway: &gather::Pathway,
    options: country::BriefOptions,
) -> Result<Vec<std::path::PathBuf>, BriefError> {
    write_all_countries_with_progress(dir, tracker, pathway, options, &mut |_, _| {})
}

/// [`write_all_countries`], calling `progress(done, total)` after each brief (the CLI's progress
/// bar: a few hundred briefs take a while).
pub fn write_all_countries_with_progress(
    dir: &std::path::Path,
    tracker: &gather::Tracker,
    pathway: &gather::Pathway,
    options: country::BriefOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<std::path::PathBuf>, BriefError> {
    std::fs::create_dir_all(dir).map_err(|e| BriefError::Io(dir.display().to_string(), e))?;
    let countries: std::collections::BTreeSet<decarb_model::CountryCode> =
        decarb_data::world::fleet_rows().iter().map(|row| row.country).collect();
    let total = countries.len();
    let mut written = Vec::with_capacity(total);
    for code in countries {
        let brief = country::gather(code, tracker, pathway, options)?;
        let path = dir.join(format!("{}.html", code.as_str()));
        std::fs::write(&path, country::render(&brief))
            .map_err(|e| BriefError::Io(path.display().to_string(), e))?;
        written.push(path);
        progress(written.len(), total);
    }
    Ok(written)
}
