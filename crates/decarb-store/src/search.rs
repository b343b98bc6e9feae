//! One search across the tracker: countries, members, projects, plants and owners, ranked by
//! [`decarb_model::search`] (typo tolerant, accents folded). The store gathers the candidates as
//! the tracker lists them today; the CLI (`decarb search`), the API (`GET /api/v1/search`) and the
//! dashboard show the same hits.

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::plants::PlantFilter;
use crate::projects::ProjectFilter;
use crate::registry::RegistryFilter;
use decarb_model::search::{self, Candidate, Hit, HitKind, MAX_QUERY_CHARS};
use sqlx::Row;

/// Most hits of one kind a search may ask for: a page of results, not an export.
pub const MAX_PER_KIND: usize = 50;

/// What to search for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    /// Kinds to search; empty means every kind.
    pub kinds: Vec<HitKind>,
    /// Hits per kind, 1 to [`MAX_PER_KIND`].
    pub per_kind: usize,
}

impl SearchRequest {
    /// Checks the request's bounds: a query of 1 to [`MAX_QUERY_CHARS`] characters with at least
    /// one letter or digit, and 1 to [`MAX_PER_KIND`] hits per kind.
    pub fn check(&self) -> Result<()> {
        let chars = self.query.chars().count();
        if search::fold(&self.query).is_empty() || chars > MAX_QUERY_CHARS {
            return Err(StoreError::invalid(
                "q",
                &self.query,
                "a query of 1 to 100 characters with at least one letter or digit",
            ));
        }
        if !(1..=MAX_PER_KIND).contains(&self.per_kind) {
            return Err(StoreError::invalid("limit", self.per_kind.to_string(), "1 to 50 hits per kind"));
        }
        Ok(())
    }

    fn wants(&self, kind: HitKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }
}

impl Store {
    /// The hits for a search, grouped by kind (countries, members, projects, plants, owners), best
    /// first within each kind.
    pub async fn search(&self, request: &SearchRequest) -> Result<Vec<Hit>> {
        request.check()?;
        let mut candidates = Vec::new();
        if request.wants(HitKind::Country) {
            candidates.extend(search::countries());
        }
        if request.wants(HitKind::Member) {
            for member in self.members(&RegistryFilter::default()).await? {
                let detail = [Some(member.kind.as_str()), member.country.as_deref()].into_iter().flatten();
                candidates.push(Candidate {
                    kind: HitKind::Member,
                    key: member.name.clone(),
                    label: member.name,
                    detail: detail.collect::<Vec<_>>().join(", "),
                    aliases: Vec::new(),
                });
            }
        }
        if request.wants(HitKind::Project) {
            for project in self.projects(&ProjectFilter::default()).await? {
                let detail =
                    format!("{} project, {}, {}", project.sector, project.country_text, project.stage);
                let mut aliases = project.companies.clone();
                aliases.extend(project.site.clone());
                candidates.push(Candidate {
                    kind: HitKind::Project,
                    key: project.key,
                    label: project.name,
                    detail,
                    aliases,
                });
            }
        }
        if request.wants(HitKind::Plant) {
            for plant in self.plants(&PlantFilter::default()).await? {
                let detail = format!("{} plant, {}, {}", plant.sector, plant.country_text, plant.status);
                candidates.push(Candidate {
                    kind: HitKind::Plant,
                    key: format!("{}/{}", plant.family, plant.key),
                    label: plant.name,
                    detail,
                    aliases: vec![plant.key],
                });
            }
        }
        if request.wants(HitKind::Owner) {
            candidates.extend(self.owner_candidates().await?);
        }
        Ok(search::rank(&request.query, candidates, request.per_kind))
    }

    /// Every company that owns or is the parent of a stored plant, with the number of plants.
    async fn owner_candidates(&self) -> Result<Vec<Candidate>> {
        let rows = sqlx::query(
            "SELECT c.name, COUNT(DISTINCT o.plant_id) FROM company c JOIN ownership o ON o.company_id = c.id \
             GROUP BY c.name ORDER BY c.name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| {
                let name: String = row.try_get(0)?;
                let plants: i64 = row.try_get(1)?;
                let detail = if plants == 1 {
                    "owner or parent of 1 plant".to_owned()
                } else {
                    format!("owner or parent of {plants} plants")
                };
                Ok(Candidate {
                    kind: HitKind::Owner,
                    key: name.clone(),
                    label: name,
                    detail,
                    aliases: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::Database)
    }
}
