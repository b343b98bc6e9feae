//! Sources: where every stored fact comes from, and the citations of the datasets decarb knows.

use crate::db::Store;
use crate::error::{Result, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

/// A source as stored: a short id (`gem-gspt-2023-03`), a citation, an address, a licence and
/// the date it was published or read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub id: String,
    pub citation: String,
    pub url: Option<String>,
    pub licence: Option<String>,
    pub retrieved: Option<String>,
}

impl SourceRecord {
    pub fn new(id: &str, citation: &str) -> Self {
        Self { id: id.to_owned(), citation: citation.to_owned(), url: None, licence: None, retrieved: None }
    }

    /// The source of a fact typed in by a person (a CLI edit, an API write): its id made from the
    /// citation and address ([`source_id_for`]), retrieved today. The same citation and address
    /// from the CLI and the API are one source.
    pub fn typed(citation: &str, url: Option<&str>) -> Self {
        let citation = citation.trim();
        Self {
            id: source_id_for(&format!("{citation} {}", url.unwrap_or(""))),
            citation: citation.to_owned(),
            url: url.map(str::to_owned),
            licence: None,
            retrieved: Some(crate::today()),
        }
    }
}

/// A file format decarb reads, with the citation of the release of it decarb knows and the
/// date that release describes (the first day of its month when only the month is published).
/// Importing another release of the same format needs `--as-of`.
#[derive(Debug, Clone, Copy)]
pub struct KnownRelease {
    pub format: &'static str,
    pub citation: &'static str,
    pub url: &'static str,
    pub licence: &'static str,
    pub release_date: &'static str,
}

const KNOWN_RELEASES: &[KnownRelease] = &[
    KnownRelease {
        format: "gem-gspt",
        citation: "Global Energy Monitor, Global Steel Plant Tracker, March 2023",
        url: "https://globalenergymonitor.org/projects/global-steel-plant-tracker/",
        licence: "CC BY 4.0",
        release_date: "2023-03-01",
    },
    KnownRelease {
        format: "gem-gist-plants",
        citation: "Global Energy Monitor, Global Iron and Steel Tracker, March 2025 (plant map file of 2025-03-25)",
        url: "https://globalenergymonitor.org/projects/global-iron-and-steel-tracker/",
        licence: "CC BY 4.0",
        release_date: "2025-03-25",
    },
    KnownRelease {
        format: "gem-gist-units",
        citation: "Global Energy Monitor, Global Iron and Steel Tracker, March 2025 (unit map file of 2025-03-18)",
        url: "https://globalenergymonitor.org/projects/global-iron-and-steel-tracker/",
        licence: "CC BY 4.0",
        release_date: "2025-03-25",
    },
    KnownRelease {
        format: "sfi-cement",
        citation: "Spatial Finance Initiative, GeoAsset Global Cement Database, July 2021",
        url: "https://www.cgfi.ac.uk/spatial-finance-initiative/geoasset-project/geoasset-databases/",
        licence: "CC BY 4.0 (as stated by the publisher)",
        release_date: "2021-07-01",
    },
    KnownRelease {
        format: "iea-ccus",
        citation: "IEA CCUS Projects Database 2025",
        url: "https://www.iea.org/data-and-statistics/data-product/ccus-projects-database",
        licence: "CC BY 4.0",
        release_date: "2025-01-01",
    },
];

/// The release decarb knows for a format name (`gem-gspt`, `gem-gist-plants`, `sfi-cement`...).
pub fn known_release(format: &str) -> Option<KnownRelease> {
    KNOWN_RELEASES.iter().find(|known| known.format == format).copied()
}

/// The source record of a release of `format` valid from `as_of`: the known citation when the
/// date is the known release's, else the format and date with the file name.
pub fn release_source(format: &str, as_of: &str, file: &str) -> SourceRecord {
    match known_release(format) {
        Some(known) => SourceRecord {
            id: format!("{format}-{as_of}"),
            citation: if known.release_date == as_of {
                known.citation.to_owned()
            } else {
                format!("{} format, release of {as_of} ({file})", known.citation)
            },
            url: Some(known.url.to_owned()),
            licence: Some(known.licence.to_owned()),
            retrieved: None,
        },
        None => SourceRecord {
            id: format!("{format}-{as_of}"),
            citation: format!("{format} file {file}, as of {as_of}"),
            url: None,
            licence: None,
            retrieved: None,
        },
    }
}

impl Store {
    pub(crate) async fn ensure_source(
        tx: &mut Transaction<'static, Any>,
        source: &SourceRecord,
    ) -> Result<()> {
        let max = crate::limits::MAX_TEXT_CHARS;
        crate::limits::check_text("source", "citation", &source.citation, max)?;
        if let Some(url) = &source.url {
            crate::limits::check_text("source", "url", url, max)?;
        }
        sqlx::query(
            "INSERT INTO source (id, citation, url, licence, retrieved) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(source.id.as_str())
        .bind(source.citation.as_str())
        .bind(source.url.as_deref())
        .bind(source.licence.as_deref())
        .bind(source.retrieved.as_deref())
        .execute(&mut **tx)
        .await
        .map_err(|err| StoreError::at(err, || format!("source {:?}", source.id)))?;
        Ok(())
    }

    /// Every source, by id.
    pub async fn sources(&self) -> Result<Vec<SourceRecord>> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT id, citation, url, licence, retrieved FROM source ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                Ok(SourceRecord {
                    id: row.try_get(0)?,
                    citation: row.try_get(1)?,
                    url: row.try_get(2)?,
                    licence: row.try_get(3)?,
                    retrieved: row.try_get(4)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }
}

/// A source id made from a citation for sources typed on the command line
/// (`user-leadit-press-release-2024-06`).
pub fn source_id_for(citation: &str) -> String {
    let mut slug = String::from("user-");
    let mut last_dash = true;
    for ch in citation.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
            last_dash = false;
        } else if !last_dash {
            slug.push('-');
            last_dash = true;
        }
        if slug.len() >= 60 {
            break;
        }
    }
    slug.trim_end_matches('-').to_owned()
}
