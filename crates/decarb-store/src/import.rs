//! `decarb db import`: reading files of every format decarb knows and storing them, all files of
//! one call in one transaction.

use crate::db::{Store, now_utc, parse_day};
use crate::error::{Result, StoreError};
use crate::plants::{ImportSummary, PlantRecord, PlantRelease, UnitRecord, family_of};
use crate::project_files;
use crate::projects::{ProjectImport, ProjectRelease};
use crate::source::{known_release, release_source};
use std::path::Path;

/// A file read and ready to store.
#[derive(Debug, Clone)]
pub enum ImportFile {
    Plants { release: PlantRelease, records: Vec<PlantRecord> },
    Units { release: PlantRelease, family: String, units: Vec<UnitRecord> },
    Projects { release: ProjectRelease, records: Vec<ProjectImport> },
}

impl ImportFile {
    pub fn records(&self) -> usize {
        match self {
            ImportFile::Plants { records, .. } => records.len(),
            ImportFile::Units { units, .. } => units.len(),
            ImportFile::Projects { records, .. } => records.len(),
        }
    }
}

/// The release date to use: the one given, else the date of the release decarb knows for the
/// format, else an error asking for `--as-of`.
fn release_date(format: &str, as_of: Option<&str>, path: &Path) -> Result<String> {
    if let Some(as_of) = as_of {
        return parse_day(as_of);
    }
    known_release(format).map(|known| known.release_date.to_owned()).ok_or_else(|| {
        StoreError::invalid(
            format!("{}: release date", path.display()),
            "none",
            format!("--as-of DATE: a {format} file carries no release date decarb knows"),
        )
    })
}

/// Reads one file: the Green Steel Tracker workbook, the IEA CCUS database, or any plant file
/// `decarb_data::import_fleet` reads (GEM GSPT 2023, GEM GIST 2025 plant and unit files, SFI
/// cement, decarb's own CSV/JSON).
pub fn read_file(path: &Path, as_of: Option<&str>) -> Result<ImportFile> {
    let file = path.display().to_string();
    if project_files::is_gst_workbook(path) {
        let as_of = release_date("leadit-gst", as_of, path)?;
        let records = project_files::read_gst(path)?;
        let source = release_source("leadit-gst", &as_of, &file);
        let source = crate::source::SourceRecord {
            citation: format!("LeadIT Green Steel Tracker workbook, as of {as_of} ({file})"),
            url: Some("https://www.industrytransition.org/green-steel-tracker/".to_owned()),
            ..source
        };
        let release = ProjectRelease { file, kind: "leadit-gst".to_owned(), source, as_of };
        let records = records
            .into_iter()
            .map(|record| ProjectImport { record, valid_from: None, source: None })
            .collect();
        return Ok(ImportFile::Projects { release, records });
    }
    if project_files::is_iea_ccus(path) {
        let as_of = release_date("iea-ccus", as_of, path)?;
        let records = project_files::read_iea_ccus(path)?;
        let source = release_source("iea-ccus", &as_of, &file);
        let release = ProjectRelease { file, kind: "iea-ccus".to_owned(), source, as_of };
        let records = records
            .into_iter()
            .map(|record| ProjectImport { record, valid_from: None, source: None })
            .collect();
        return Ok(ImportFile::Projects { release, records });
    }
    let imported = decarb_data::import_fleet(path, None)?;
    let format = imported.report.format.as_str();
    let as_of = release_date(format, as_of, path)?;
    let source = release_source(format, &as_of, &file);
    let release = PlantRelease { file: file.clone(), kind: format.to_owned(), source, as_of };
    if imported.fleet.plants.is_empty() && !imported.units.is_empty() {
        let family = family_of(&imported.units[0].source);
        let units = imported
            .units
            .iter()
            .map(|unit| UnitRecord {
                unit_id: unit.unit_id.clone(),
                plant_id: unit.plant_id.clone(),
                kind: unit.kind.to_string(),
                name: unit.name.clone(),
                status: unit.status.as_str().to_owned(),
                capacity_tpa: unit.capacity.value().map(|c| c.0),
                last_relining: unit.last_relining.map(|d| d.to_string()),
                row: None,
            })
            .collect();
        return Ok(ImportFile::Units { release, family, units });
    }
    let records = imported.fleet.plants.into_iter().map(|plant| PlantRecord { plant, row: None }).collect();
    Ok(ImportFile::Plants { release, records })
}

impl Store {
    /// Stores files read by [`read_file`] in one transaction: all land, or none does.
    /// `progress` hears about each file once it is written (not yet committed).
    pub async fn import_files(
        &self,
        files: &[ImportFile],
        progress: &(dyn Fn(&ImportSummary) + Sync),
    ) -> Result<Vec<ImportSummary>> {
        self.retrying(|| async {
            let recorded_at = now_utc();
            let mut tx = self.begin_write().await?;
            let mut summaries = Vec::with_capacity(files.len());
            for file in files {
                let summary = match file {
                    ImportFile::Plants { release, records } => {
                        self.import_plants_tx(&mut tx, &recorded_at, release, records).await?
                    }
                    ImportFile::Units { release, family, units } => {
                        let stored = self.import_units_tx(&mut tx, family, release, units).await?;
                        ImportSummary {
                            file: release.file.clone(),
                            kind: release.kind.clone(),
                            family: family.clone(),
                            as_of: release.as_of.clone(),
                            records: units.len(),
                            added: stored,
                            ..ImportSummary::default()
                        }
                    }
                    ImportFile::Projects { release, records } => {
                        let (added, changed, unchanged) =
                            self.import_projects_tx(&mut tx, &recorded_at, release, records).await?;
                        ImportSummary {
                            file: release.file.clone(),
                            kind: release.kind.clone(),
                            family: "projects".to_owned(),
                            as_of: release.as_of.clone(),
                            records: records.len(),
                            added,
                            changed,
                            unchanged,
                            ..ImportSummary::default()
                        }
                    }
                };
                progress(&summary);
                summaries.push(summary);
            }
            tx.commit().await.map_err(StoreError::Database)?;
            Ok(summaries)
        })
        .await
    }
}
