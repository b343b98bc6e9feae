//! Analyses: the group's dated publications (title, authors, tags, a Markdown body) with links to
//! the countries, sectors, projects and partnerships they discuss, and "related analyses".
//!
//! A file for `decarb analyses add` opens with a front matter between `---` lines:
//!
//! ```text
//! ---
//! title: U.S. joins LeadIT
//! date: 2021-04-23
//! authors: Andrea Lindblom
//! tags: Climate Politics, Partnerships
//! countries: USA, SWE
//! sectors: steel, cement
//! projects: seed-nucor-steel-convent-ccs
//! partnerships: India Sweden Industry Transition Partnership
//! slug: us-joins-leadit            (optional; made from the title otherwise)
//! ---
//! Markdown body...
//! ```
//!
//! Lists are comma-separated (square brackets around them are accepted). The body is stored as
//! written and rendered (and sanitised) only on output.
//!
//! **Related analyses** ([`related`]): every other analysis scores 2 points per shared tag
//! (tags compared case-insensitively) plus 1 point per shared linked entity (same kind and same
//! target: a country, sector, project or partnership). Analyses scoring 0 are left out. Higher
//! scores come first; ties go to the more recently published, then to the slug in alphabetical
//! order, so the order is total and stable.

use crate::db::Store;
use crate::edits::{Applied, Edit, NewRecord, Target, WriteMeta};
use crate::error::{Result, StoreError};
use crate::history::{EntityKind, LogEntry, Provenance};
use crate::limits::{MAX_ANALYSIS_CHARS, MAX_NAME_CHARS};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// What an analysis can link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Country,
    Sector,
    Project,
    Partnership,
}

impl LinkKind {
    pub const ALL: [LinkKind; 4] =
        [LinkKind::Country, LinkKind::Sector, LinkKind::Project, LinkKind::Partnership];

    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Country => "country",
            LinkKind::Sector => "sector",
            LinkKind::Project => "project",
            LinkKind::Partnership => "partnership",
        }
    }

    /// The front-matter key that lists links of this kind.
    pub fn key(self) -> &'static str {
        match self {
            LinkKind::Country => "countries",
            LinkKind::Sector => "sectors",
            LinkKind::Project => "projects",
            LinkKind::Partnership => "partnerships",
        }
    }

    fn parse(text: &str) -> Option<LinkKind> {
        LinkKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One link of an analysis.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AnalysisLink {
    pub kind: LinkKind,
    pub target: String,
}

/// An analysis as written in a file, or as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    pub slug: String,
    pub title: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub body_markdown: String,
    /// Sorted by kind, then target.
    pub links: Vec<AnalysisLink>,
}

impl Analysis {
    /// Targets of one kind of link, in order.
    pub fn linked(&self, kind: LinkKind) -> impl Iterator<Item = &str> {
        self.links.iter().filter(move |l| l.kind == kind).map(|l| l.target.as_str())
    }
}

/// A slug from a title: lowercase ASCII letters and digits, other runs become one `-`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn split_list(value: &str) -> Vec<String> {
    let inner = value.trim().strip_prefix('[').and_then(|v| v.strip_suffix(']')).unwrap_or(value);
    let mut seen = BTreeSet::new();
    inner
        .split(',')
        .map(|item| item.trim().trim_matches('"').trim().to_owned())
        .filter(|item| !item.is_empty() && seen.insert(item.clone()))
        .collect()
}

/// The keys a front matter may hold.
const KEYS: [&str; 9] =
    ["title", "date", "authors", "tags", "countries", "sectors", "projects", "partnerships", "slug"];

/// Front-matter fields by key, each with its line number.
type Fields = BTreeMap<String, (usize, String)>;

/// Splits a file into its front-matter fields and the index of the body's first line.
fn front_matter(text: &str, origin: &str) -> Result<(Fields, usize)> {
    let mut numbered = text.lines().enumerate();
    let first = numbered.next().map(|(_, l)| l.trim_end());
    if first != Some("---") {
        return Err(StoreError::invalid(
            format!("{origin}, line 1"),
            first.unwrap_or(""),
            "a front matter opening with a line `---` (title, date, authors, tags)",
        ));
    }
    let mut fields = Fields::new();
    for (index, line) in numbered {
        let number = index + 1;
        if line.trim_end() == "---" {
            return Ok((fields, index + 1));
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(StoreError::invalid(format!("{origin}, line {number}"), line, "`key: value`"));
        };
        let key = key.trim().to_ascii_lowercase();
        if !KEYS.contains(&key.as_str()) {
            return Err(StoreError::invalid(
                format!("{origin}, line {number}, key"),
                key,
                format!("one of {}", KEYS.join(", ")),
            ));
        }
        if fields.insert(key.clone(), (number, value.trim().to_owned())).is_some() {
            return Err(StoreError::invalid(format!("{origin}, line {number}, key"), key, "each key once"));
        }
    }
    Err(StoreError::invalid(origin.to_owned(), "end of file", "a line `---` closing the front matter"))
}

/// The links a front matter lists; countries are resolved to ISO3 codes, sectors lowercased.
fn links_of(fields: &Fields, origin: &str) -> Result<Vec<AnalysisLink>> {
    let mut links = Vec::new();
    for kind in LinkKind::ALL {
        let Some((line, value)) = fields.get(kind.key()) else { continue };
        for target in split_list(value) {
            let target = match kind {
                LinkKind::Country => decarb_model::CountryCode::resolve(&target)
                    .ok_or_else(|| {
                        StoreError::invalid(
                            format!("{origin}, line {line}, countries"),
                            target.clone(),
                            "a country name or ISO code",
                        )
                    })?
                    .as_str()
                    .to_owned(),
                LinkKind::Sector => target.to_ascii_lowercase(),
                LinkKind::Project | LinkKind::Partnership => target,
            };
            links.push(AnalysisLink { kind, target });
        }
    }
    links.sort();
    links.dedup();
    Ok(links)
}

/// Parses an analysis file (front matter + Markdown body). `origin` names the file in errors.
pub fn parse_file(text: &str, origin: &str) -> Result<Analysis> {
    let text = text.trim_start_matches('\u{feff}');
    let (fields, body_start) = front_matter(text, origin)?;
    let body: Vec<&str> = text.lines().skip(body_start).collect();
    let required = |key: &str| -> Result<(usize, String)> {
        match fields.get(key) {
            Some((line, value)) if !value.is_empty() => Ok((*line, value.clone())),
            Some((line, value)) => {
                Err(StoreError::invalid(format!("{origin}, line {line}, {key}"), value.clone(), "a value"))
            }
            None => Err(StoreError::invalid(
                format!("{origin}, front matter"),
                format!("no {key}"),
                format!("a `{key}:` line"),
            )),
        }
    };
    let (_, title) = required("title")?;
    let (date_line, date) = required("date")?;
    let published = crate::db::parse_day(&date).map_err(|_| {
        StoreError::invalid(format!("{origin}, line {date_line}, date"), date.clone(), "a date YYYY-MM-DD")
    })?;
    let list = |key: &str| fields.get(key).map(|(_, v)| split_list(v)).unwrap_or_default();
    let links = links_of(&fields, origin)?;
    let slug = fields.get("slug").map_or_else(|| slugify(&title), |(_, s)| slugify(s));
    if slug.is_empty() {
        return Err(StoreError::invalid(
            format!("{origin}, title"),
            title,
            "a title (or slug) with at least one letter or digit",
        ));
    }
    Ok(Analysis {
        slug,
        title,
        published,
        authors: list("authors"),
        tags: list("tags"),
        body_markdown: body.join("\n").trim().to_owned() + "\n",
        links,
    })
}

/// An analysis related to another, with the score that ranked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub slug: String,
    pub title: String,
    pub published: String,
    pub score: u32,
    pub shared_tags: Vec<String>,
    pub shared_links: Vec<AnalysisLink>,
}

/// The analyses related to `target` among `all`, best first (scoring and tie-break in the module
/// documentation); `target` itself is skipped.
pub fn related(target: &Analysis, all: &[Analysis], limit: usize) -> Vec<Related> {
    let tag_keys: BTreeMap<String, &str> =
        target.tags.iter().map(|t| (t.to_lowercase(), t.as_str())).collect();
    let links: BTreeSet<&AnalysisLink> = target.links.iter().collect();
    let mut out: Vec<Related> = all
        .iter()
        .filter(|other| other.slug != target.slug)
        .filter_map(|other| {
            let shared_tags: Vec<String> = other
                .tags
                .iter()
                .filter_map(|t| tag_keys.get(&t.to_lowercase()).map(|own| (*own).to_owned()))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let shared_links: Vec<AnalysisLink> =
                other.links.iter().filter(|l| links.contains(l)).cloned().collect();
            let score = 2 * u32::try_from(shared_tags.len()).unwrap_or(u32::MAX / 4)
                + u32::try_from(shared_links.len()).unwrap_or(u32::MAX / 4);
            (score > 0).then(|| Related {
                slug: other.slug.clone(),
                title: other.title.clone(),
                published: other.published.clone(),
                score,
                shared_tags,
                shared_links,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score.cmp(&a.score).then_with(|| b.published.cmp(&a.published)).then_with(|| a.slug.cmp(&b.slug))
    });
    out.truncate(limit);
    out
}

/// Changes to an analysis; fields left out stay as they are. A list replaces the old list
/// (`countries` replaces the analysis's country links, and so on).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisPatch {
    pub title: Option<String>,
    /// Publication date, YYYY-MM-DD.
    pub published: Option<String>,
    pub authors: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    /// The body, Markdown (rendered and sanitised on output).
    pub body_markdown: Option<String>,
    /// Countries it discusses (names or ISO codes).
    pub countries: Option<Vec<String>>,
    pub sectors: Option<Vec<String>>,
    /// Project keys.
    pub projects: Option<Vec<String>>,
    /// Partnership names.
    pub partnerships: Option<Vec<String>>,
}

impl AnalysisPatch {
    /// Every field of `analysis`: replacing a stored analysis with a file's.
    pub fn replacing(analysis: &Analysis) -> Self {
        let linked = |kind| Some(analysis.linked(kind).map(str::to_owned).collect());
        AnalysisPatch {
            title: Some(analysis.title.clone()),
            published: Some(analysis.published.clone()),
            authors: Some(analysis.authors.clone()),
            tags: Some(analysis.tags.clone()),
            body_markdown: Some(analysis.body_markdown.clone()),
            countries: linked(LinkKind::Country),
            sectors: linked(LinkKind::Sector),
            projects: linked(LinkKind::Project),
            partnerships: linked(LinkKind::Partnership),
        }
    }

    /// The patch's links of `kind`, when it sets them.
    fn links(&self, kind: LinkKind) -> Option<&Vec<String>> {
        match kind {
            LinkKind::Country => self.countries.as_ref(),
            LinkKind::Sector => self.sectors.as_ref(),
            LinkKind::Project => self.projects.as_ref(),
            LinkKind::Partnership => self.partnerships.as_ref(),
        }
    }
}

/// The links of one kind from a list a write gives, each checked (a country resolved to its
/// ISO code, a sector lowercased), named by the write's field (`countries`...).
pub fn links_of_kind(kind: LinkKind, targets: &[String]) -> Result<Vec<AnalysisLink>> {
    let mut out = Vec::new();
    for target in targets.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let target = match kind {
            LinkKind::Country => decarb_model::CountryCode::resolve(target)
                .ok_or_else(|| StoreError::field(kind.key(), target, "a country name or ISO code"))?
                .as_str()
                .to_owned(),
            LinkKind::Sector => target.to_ascii_lowercase(),
            LinkKind::Project | LinkKind::Partnership => target.to_owned(),
        };
        if target.chars().count() > MAX_NAME_CHARS {
            return Err(StoreError::field(
                kind.key(),
                format!("{} characters", target.chars().count()),
                format!("names of at most {MAX_NAME_CHARS} characters"),
            ));
        }
        out.push(AnalysisLink { kind, target });
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Checks what a write would store, naming the field (as the API spells it) that is wrong.
pub fn check_analysis(analysis: &Analysis) -> Result<()> {
    if analysis.slug.is_empty() || slugify(&analysis.slug) != analysis.slug {
        return Err(StoreError::field(
            "slug",
            &analysis.slug,
            "lowercase letters, digits and single hyphens (u-s-joins-leadit)",
        ));
    }
    let title = analysis.title.trim();
    if title.is_empty() {
        return Err(StoreError::field("title", &analysis.title, "a title"));
    }
    for (field, value) in [("slug", &analysis.slug), ("title", &analysis.title)] {
        if value.chars().count() > MAX_NAME_CHARS {
            return Err(StoreError::field(
                field,
                format!("{} characters", value.chars().count()),
                format!("at most {MAX_NAME_CHARS} characters"),
            ));
        }
    }
    decarb_model::date::parse_day(&analysis.published)
        .map_err(|err| StoreError::field("published", &analysis.published, err.expected()))?;
    for (field, list) in [("authors", &analysis.authors), ("tags", &analysis.tags)] {
        if let Some(bad) = list.iter().find(|v| v.trim().is_empty() || v.chars().count() > MAX_NAME_CHARS) {
            return Err(StoreError::field(field, bad, format!("names of 1 to {MAX_NAME_CHARS} characters")));
        }
    }
    let body = analysis.body_markdown.chars().count();
    if body > MAX_ANALYSIS_CHARS {
        return Err(StoreError::field(
            "body_markdown",
            format!("{body} characters"),
            format!("at most {MAX_ANALYSIS_CHARS} characters"),
        ));
    }
    Ok(())
}

/// A list as the change log writes it.
fn joined<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

async fn write_tags(tx: &mut Transaction<'static, Any>, id: i64, tags: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM analysis_tag WHERE analysis_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::Database)?;
    let tags: BTreeSet<&str> = tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
    for tag in tags {
        sqlx::query("INSERT INTO analysis_tag (analysis_id, tag) VALUES ($1, $2)")
            .bind(id)
            .bind(tag)
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, || format!("analysis {id}, tag {tag:?}")))?;
    }
    Ok(())
}

async fn write_links(tx: &mut Transaction<'static, Any>, id: i64, links: &[AnalysisLink]) -> Result<()> {
    sqlx::query("DELETE FROM analysis_link WHERE analysis_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::Database)?;
    let links: BTreeSet<&AnalysisLink> = links.iter().collect();
    for link in links {
        sqlx::query("INSERT INTO analysis_link (analysis_id, kind, target) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(link.kind.as_str())
            .bind(link.target.as_str())
            .execute(&mut **tx)
            .await
            .map_err(|err| StoreError::at(err, || format!("analysis {id}, link {:?}", link.target)))?;
    }
    Ok(())
}

/// The stored analysis `id` as a record (inside a write).
async fn analysis_tx(tx: &mut Transaction<'static, Any>, id: i64) -> Result<Analysis> {
    let row =
        sqlx::query("SELECT slug, title, published, authors, body_markdown FROM analysis WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await
            .map_err(StoreError::Database)?;
    let authors: String = row.try_get(3).map_err(StoreError::Database)?;
    let tags = sqlx::query("SELECT tag FROM analysis_tag WHERE analysis_id = $1 ORDER BY tag")
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::Database)?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<Vec<_>, _>>()
        .map_err(StoreError::Database)?;
    let mut links = Vec::new();
    for r in sqlx::query("SELECT kind, target FROM analysis_link WHERE analysis_id = $1")
        .bind(id)
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::Database)?
    {
        let kind: String = r.try_get(0).map_err(StoreError::Database)?;
        if let Some(kind) = LinkKind::parse(&kind) {
            links.push(AnalysisLink { kind, target: r.try_get(1).map_err(StoreError::Database)? });
        }
    }
    links.sort();
    Ok(Analysis {
        slug: row.try_get(0).map_err(StoreError::Database)?,
        title: row.try_get(1).map_err(StoreError::Database)?,
        published: row.try_get(2).map_err(StoreError::Database)?,
        authors: serde_json::from_str(&authors).unwrap_or_default(),
        tags,
        body_markdown: row.try_get(4).map_err(StoreError::Database)?,
        links,
    })
}

/// Applies `patch` to the stored analysis `id` inside a write; returns each changed field with
/// its old and new value (lists joined with `; `), empty when nothing changed.
pub(crate) async fn update_analysis(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    patch: &AnalysisPatch,
) -> Result<Vec<(&'static str, Option<String>, Option<String>)>> {
    let old = analysis_tx(tx, id).await?;
    let mut new = old.clone();
    if let Some(title) = &patch.title {
        title.trim().clone_into(&mut new.title);
    }
    if let Some(day) = &patch.published {
        new.published = decarb_model::date::parse_day(day)
            .map_err(|err| StoreError::field("published", day, err.expected()))?
            .to_string();
    }
    let list = |items: &Vec<String>| -> Vec<String> {
        let mut seen = BTreeSet::new();
        items
            .iter()
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty() && seen.insert(i.clone()))
            .collect()
    };
    if let Some(authors) = &patch.authors {
        new.authors = list(authors);
    }
    if let Some(tags) = &patch.tags {
        let mut tags = list(tags);
        tags.sort();
        new.tags = tags;
    }
    if let Some(body) = &patch.body_markdown {
        new.body_markdown.clone_from(body);
    }
    for kind in LinkKind::ALL {
        if let Some(targets) = patch.links(kind) {
            new.links.retain(|l| l.kind != kind);
            new.links.extend(links_of_kind(kind, targets)?);
        }
    }
    new.links.sort();
    check_analysis(&new)?;
    let mut diffs = Vec::new();
    let mut text = |field: &'static str, old: String, new: String| {
        if old != new {
            diffs.push((field, Some(old), Some(new)));
        }
    };
    text("title", old.title.clone(), new.title.clone());
    text("published", old.published.clone(), new.published.clone());
    text("authors", old.authors.join("; "), new.authors.join("; "));
    text("tags", old.tags.join("; "), new.tags.join("; "));
    text("body_markdown", old.body_markdown.clone(), new.body_markdown.clone());
    for kind in LinkKind::ALL {
        text(kind.key(), joined(old.linked(kind)), joined(new.linked(kind)));
    }
    if diffs.is_empty() {
        return Ok(diffs);
    }
    let authors = serde_json::to_string(&new.authors)
        .map_err(|e| StoreError::field("authors", e.to_string(), "a list of names"))?;
    sqlx::query(
        "UPDATE analysis SET title = $1, published = $2, authors = $3, body_markdown = $4 WHERE id = $5",
    )
    .bind(new.title.as_str())
    .bind(new.published.as_str())
    .bind(authors.as_str())
    .bind(new.body_markdown.as_str())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|err| StoreError::at(err, || format!("analysis {:?}", new.slug)))?;
    if old.tags != new.tags {
        write_tags(tx, id, &new.tags).await?;
    }
    if old.links != new.links {
        write_links(tx, id, &new.links).await?;
    }
    Ok(diffs)
}

impl Store {
    /// Stores an analysis through the tracker's one write path ([`Store::save_analysis`]), as
    /// `decarb analyses add` did before writes were versioned: a new slug is created, an existing
    /// one is replaced field by field (its history keeps the old values). Returns true when it
    /// replaced one.
    pub async fn add_analysis(&self, analysis: &Analysis) -> Result<bool> {
        let meta = WriteMeta {
            by: self.actor.clone(),
            note: format!("analysis {:?} added from a file", analysis.slug),
            source_url: None,
            valid_from: None,
        };
        Ok(self.save_analysis(analysis, &meta).await?.1)
    }

    /// Creates the analysis, or, when its slug is stored (and not retired), replaces every field
    /// with the file's: an [`Edit::Create`] or an [`Edit::UpdateAnalysis`] with `meta`. Returns
    /// what was written and whether an analysis was replaced.
    pub async fn save_analysis(&self, analysis: &Analysis, meta: &WriteMeta) -> Result<(Applied, bool)> {
        let target = Target::Analysis { slug: analysis.slug.clone() };
        let exists = match self.record_version(&target).await {
            Ok(_) => true,
            Err(StoreError::NotFound { .. }) => false,
            Err(err) => return Err(err),
        };
        let edit = if exists {
            Edit::UpdateAnalysis { slug: analysis.slug.clone(), patch: AnalysisPatch::replacing(analysis) }
        } else {
            Edit::Create { record: Box::new(NewRecord::Analysis(analysis.clone())) }
        };
        Ok((self.apply_edit(&edit, meta, None).await?, exists))
    }

    /// Adds a new analysis inside `tx` with its tags and links, and logs it as created, dated by
    /// its publication.
    pub(crate) async fn add_analysis_tx(
        &self,
        tx: &mut Transaction<'static, Any>,
        recorded_at: &str,
        analysis: &Analysis,
        provenance: &Provenance<'_>,
    ) -> Result<()> {
        check_analysis(analysis)?;
        let authors = serde_json::to_string(&analysis.authors)
            .map_err(|e| StoreError::field("authors", e.to_string(), "a list of names"))?;
        let id: i64 = sqlx::query(
            "INSERT INTO analysis (slug, title, published, authors, body_markdown, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(analysis.slug.as_str())
        .bind(analysis.title.as_str())
        .bind(analysis.published.as_str())
        .bind(authors.as_str())
        .bind(analysis.body_markdown.as_str())
        .bind(recorded_at)
        .bind(provenance.recorded_by.unwrap_or(self.actor.as_str()))
        .fetch_one(&mut **tx)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|err| StoreError::at(err, || format!("analysis {:?}", analysis.slug)))?;
        write_tags(tx, id, &analysis.tags).await?;
        write_links(tx, id, &analysis.links).await?;
        self.log_with(
            tx,
            recorded_at,
            LogEntry {
                entity: EntityKind::Analysis,
                key: &analysis.slug,
                label: &analysis.slug,
                field: "created",
                old_value: None,
                new_value: Some(&analysis.title),
                valid_from: &analysis.published,
                import_id: None,
                note: None,
            },
            provenance,
        )
        .await
    }

    /// Every analysis (with one tag, case-insensitive, when `tag` is given), newest first, ties
    /// by slug.
    pub async fn analyses(&self, tag: Option<&str>) -> Result<Vec<Analysis>> {
        // The latest view: a retired analysis is in no list (one retired from a future day
        // neither: `sql.rs`, "As of").
        let rows = sqlx::query(concat!(
            "SELECT id, slug, title, published, authors, body_markdown FROM analysis WHERE ",
            as_of_not_ended!("$1", "retired_on"),
            " ORDER BY published DESC, slug"
        ))
        .bind(None::<String>)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        let tags = sqlx::query("SELECT analysis_id, tag FROM analysis_tag ORDER BY analysis_id, tag")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        let links = sqlx::query(
            "SELECT analysis_id, kind, target FROM analysis_link ORDER BY analysis_id, kind, target",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::Database)?;
        let mut tag_map: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for row in &tags {
            let id: i64 = row.try_get(0).map_err(StoreError::Database)?;
            tag_map.entry(id).or_default().push(row.try_get(1).map_err(StoreError::Database)?);
        }
        let mut link_map: BTreeMap<i64, Vec<AnalysisLink>> = BTreeMap::new();
        for row in &links {
            let id: i64 = row.try_get(0).map_err(StoreError::Database)?;
            let kind: String = row.try_get(1).map_err(StoreError::Database)?;
            let Some(kind) = LinkKind::parse(&kind) else { continue };
            link_map
                .entry(id)
                .or_default()
                .push(AnalysisLink { kind, target: row.try_get(2).map_err(StoreError::Database)? });
        }
        let wanted = tag.map(str::to_lowercase);
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get(0).map_err(StoreError::Database)?;
            let tags = tag_map.remove(&id).unwrap_or_default();
            if let Some(wanted) = &wanted
                && !tags.iter().any(|t| t.to_lowercase() == *wanted)
            {
                continue;
            }
            let authors: String = row.try_get(4).map_err(StoreError::Database)?;
            let mut links = link_map.remove(&id).unwrap_or_default();
            links.sort();
            out.push(Analysis {
                slug: row.try_get(1).map_err(StoreError::Database)?,
                title: row.try_get(2).map_err(StoreError::Database)?,
                published: row.try_get(3).map_err(StoreError::Database)?,
                authors: serde_json::from_str(&authors).unwrap_or_default(),
                tags,
                body_markdown: row.try_get(5).map_err(StoreError::Database)?,
                links,
            });
        }
        Ok(out)
    }

    /// One analysis by slug.
    pub async fn analysis(&self, slug: &str) -> Result<Analysis> {
        self.analyses(None)
            .await?
            .into_iter()
            .find(|a| a.slug == slug)
            .ok_or_else(|| StoreError::NotFound { kind: "analysis", key: slug.to_owned() })
    }

    /// Every tag in use with the number of analyses carrying it, by tag.
    pub async fn analysis_tags(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT tag, COUNT(*) FROM analysis_tag GROUP BY tag ORDER BY tag")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::Database)?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::Database)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysis(slug: &str, published: &str, tags: &[&str], links: &[(LinkKind, &str)]) -> Analysis {
        Analysis {
            slug: slug.into(),
            title: slug.to_uppercase(),
            published: published.into(),
            authors: vec![],
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            body_markdown: String::new(),
            links: links
                .iter()
                .map(|(kind, target)| AnalysisLink { kind: *kind, target: (*target).into() })
                .collect(),
        }
    }

    #[test]
    fn front_matter_is_parsed_with_lists_and_resolved_countries() {
        let text = "---\ntitle: U.S. joins LeadIT\ndate: 2021-04-23\nauthors: Andrea Lindblom\ntags: [Climate Politics, Partnerships]\ncountries: United States, SWE\nsectors: Steel\n---\n\nThe **United States** has joined.\n";
        let a = parse_file(text, "us.md").unwrap();
        assert_eq!(a.slug, "u-s-joins-leadit");
        assert_eq!(a.published, "2021-04-23");
        assert_eq!(a.authors, ["Andrea Lindblom"]);
        assert_eq!(a.tags, ["Climate Politics", "Partnerships"]);
        assert_eq!(a.linked(LinkKind::Country).collect::<Vec<_>>(), ["SWE", "USA"]);
        assert_eq!(a.linked(LinkKind::Sector).collect::<Vec<_>>(), ["steel"]);
        assert_eq!(a.body_markdown, "The **United States** has joined.\n");
    }

    #[test]
    fn bad_front_matter_names_file_line_and_value() {
        let err = parse_file("---\ntitle: x\ndate: 23 April\n---\n", "a.md").unwrap_err().to_string();
        assert!(err.contains("a.md, line 3, date") && err.contains("23 April"), "{err}");
        let err = parse_file("title: x\n", "b.md").unwrap_err().to_string();
        assert!(err.contains("b.md, line 1"), "{err}");
        let err = parse_file("---\ntitle: x\ndate: 2021-01-01\ncolour: red\n---\n", "c.md")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 4") && err.contains("colour"), "{err}");
        let err = parse_file("---\ntitle: x\n", "d.md").unwrap_err().to_string();
        assert!(err.contains("closing"), "{err}");
        let err = parse_file("---\ndate: 2021-01-01\n---\n", "e.md").unwrap_err().to_string();
        assert!(err.contains("no title"), "{err}");
        let err = parse_file("---\ntitle: x\ndate: 2021-01-01\ncountries: Atlantis\n---\n", "f.md")
            .unwrap_err()
            .to_string();
        assert!(err.contains("Atlantis"), "{err}");
    }

    #[test]
    fn related_ranks_by_shared_tags_then_links_then_date_then_slug() {
        use LinkKind::{Country, Partnership, Sector};
        let target = analysis(
            "us-joins",
            "2021-04-23",
            &["Climate Politics", "Developing Countries", "Partnerships"],
            &[(Country, "USA"), (Sector, "steel"), (Partnership, "ITP")],
        );
        let all = vec![
            target.clone(),
            // 2 shared tags (4) + 0 links = 4
            analysis("two-tags", "2022-11-15", &["climate politics", "Developing Countries"], &[]),
            // 1 tag (2) + 2 links (2) = 4, older than two-tags
            analysis(
                "tag-and-links",
                "2022-04-11",
                &["Partnerships"],
                &[(Country, "USA"), (Partnership, "ITP")],
            ),
            // 3 tags = 6
            analysis(
                "three-tags",
                "2020-01-01",
                &["Partnerships", "Climate Politics", "Developing Countries"],
                &[],
            ),
            // 1 link = 1
            analysis("one-link", "2024-05-03", &["Roadmaps"], &[(Sector, "steel")]),
            // same score and date as one-link: slug decides
            analysis("another-link", "2024-05-03", &[], &[(Country, "USA")]),
            // nothing shared: left out
            analysis("unrelated", "2025-01-01", &["Carbon Leakage"], &[(Country, "IND")]),
        ];
        let ranked = related(&target, &all, 10);
        let slugs: Vec<&str> = ranked.iter().map(|r| r.slug.as_str()).collect();
        assert_eq!(slugs, ["three-tags", "two-tags", "tag-and-links", "another-link", "one-link"]);
        let scores: Vec<u32> = ranked.iter().map(|r| r.score).collect();
        assert_eq!(scores, [6, 4, 4, 1, 1]);
        assert_eq!(ranked[1].shared_tags, ["Climate Politics", "Developing Countries"]);
        assert_eq!(related(&target, &all, 2).len(), 2);
    }
}
