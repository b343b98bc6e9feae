//! OpenAPI schemas of the tracker records the API returns as the store serialises them
//! (`decarb_store::{ProjectRow, MemberRow, PledgeRow, PartnershipRow}`, `analyses::Analysis`). They describe, they are
//! never built: the OpenAPI walker test checks every response against them, so a store change
//! that breaks them fails a test.

// Documentation types: read by utoipa's derive only.
#![allow(dead_code)]

use utoipa::ToSchema;

/// A low-carbon project as of a date.
#[derive(ToSchema)]
#[schema(as = Project)]
pub struct Project {
    #[schema(example = "seed-salcos-stage-1-salzgitter")]
    key: String,
    name: String,
    /// steel, cement, aluminium, ammonia, ...
    sector: String,
    technology: String,
    /// ISO 3166-1 alpha-3, when resolved.
    country: Option<String>,
    country_text: String,
    site: Option<String>,
    companies: Vec<String>,
    partners: Vec<String>,
    /// announced, feasibility, fid, construction, operating, paused, completed, cancelled, decommissioned.
    stage: String,
    /// The stage as the source wrote it.
    stage_raw: Option<String>,
    capacity_value: Option<f64>,
    capacity_unit: Option<String>,
    announced: Option<String>,
    fid: Option<String>,
    start: Option<String>,
    investment_value: Option<f64>,
    investment_currency: Option<String>,
    gem_plant_id: Option<String>,
    parent_programme: Option<String>,
    notes: Option<String>,
    /// Source id of this state.
    source: String,
    valid_from: String,
}

/// A member of the group (a country or a company).
#[derive(ToSchema)]
#[schema(as = Member)]
pub struct Member {
    name: String,
    /// country or company.
    kind: String,
    country: Option<String>,
    joined: Option<String>,
    /// With no join date: the date of the first source naming the member.
    known_from: Option<String>,
    left_on: Option<String>,
    source: String,
    source_url: Option<String>,
    notes: Option<String>,
}

/// A member's pledge.
#[derive(ToSchema)]
#[schema(as = Pledge)]
pub struct Pledge {
    member: String,
    target_year: Option<i64>,
    metric: String,
    scope: String,
    milestone_2030: Option<String>,
    status: Option<String>,
    verified: bool,
    stated: Option<String>,
    source: String,
    source_url: Option<String>,
    notes: Option<String>,
}

/// A partnership (bilateral or value chain).
#[derive(ToSchema)]
#[schema(as = Partnership)]
pub struct Partnership {
    name: String,
    /// bilateral or value_chain.
    kind: String,
    parties: Vec<String>,
    started: Option<String>,
    venue: Option<String>,
    parent: Option<String>,
    description: Option<String>,
    source: String,
    source_url: Option<String>,
}

/// Changes to a project; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(as = ProjectChanges)]
pub struct ProjectChanges {
    /// announced, feasibility, fid, construction, operating, paused, completed, cancelled, decommissioned.
    stage: Option<String>,
    /// `[value, unit]`, as `[2.5, "Mt steel/yr"]`.
    capacity: Option<Vec<serde_json::Value>>,
    /// Added to the capacity value (keeps the unit).
    capacity_delta: Option<f64>,
    start: Option<String>,
    fid: Option<String>,
    /// `[millions, currency]`, as `[4500, "EUR"]`.
    investment: Option<Vec<serde_json::Value>>,
    technology: Option<String>,
    /// Partners to add.
    add_partners: Option<Vec<String>>,
    notes: Option<String>,
}

/// Changes to a member; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(as = MemberChanges)]
pub struct MemberChanges {
    /// country or company.
    kind: Option<String>,
    country: Option<String>,
    joined: Option<String>,
    left_on: Option<String>,
    notes: Option<String>,
}

/// Changes to a pledge; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(as = PledgeChanges)]
pub struct PledgeChanges {
    target_year: Option<i32>,
    milestone_2030: Option<String>,
    status: Option<String>,
    verified: Option<bool>,
    stated: Option<String>,
    notes: Option<String>,
}

/// Changes to a partnership; fields left out stay as they are.
#[derive(ToSchema)]
#[schema(as = PartnershipChanges)]
pub struct PartnershipChanges {
    /// The full list of parties, replacing the old.
    parties: Option<Vec<String>>,
    started: Option<String>,
    venue: Option<String>,
    parent: Option<String>,
    description: Option<String>,
}

/// What a write left: the record's key and its new version (the next `If-Match`).
#[derive(ToSchema)]
#[schema(as = Applied)]
pub struct Applied {
    /// project, member, pledge, partnership, analysis or plant.
    entity: String,
    key: String,
    version: i64,
    /// How many fields changed.
    changed: i64,
}

/// A contributor's change waiting for (or after) review.
#[derive(ToSchema)]
#[schema(as = Proposal)]
pub struct Proposal {
    id: i64,
    entity: String,
    key: String,
    /// create, update or retire.
    action: String,
    /// The change as decarb stores it.
    edit: serde_json::Value,
    base_version: Option<i64>,
    note: String,
    source_url: Option<String>,
    proposed_by: String,
    proposed_at: String,
    /// pending, approved or rejected.
    status: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    decision_note: Option<String>,
}

/// One link of an analysis.
#[derive(ToSchema)]
#[schema(as = AnalysisLink)]
pub struct AnalysisLink {
    /// country, sector, project or partnership.
    kind: String,
    /// An ISO 3166-1 alpha-3 code, a sector, a project key or a partnership's name.
    target: String,
}

/// An analysis of the group (its `version` is given by `GET /analyses/{slug}` only).
#[derive(ToSchema)]
#[schema(as = Analysis)]
pub struct AnalysisRecord {
    #[schema(example = "u-s-joins-leadit")]
    slug: String,
    title: String,
    /// YYYY-MM-DD.
    published: String,
    authors: Vec<String>,
    tags: Vec<String>,
    /// Markdown, as written (rendered and sanitised on output).
    body_markdown: String,
    links: Vec<AnalysisLink>,
}

/// Changes to an analysis; fields left out stay as they are, a list replaces the old list.
#[derive(ToSchema)]
#[schema(as = AnalysisChanges)]
pub struct AnalysisChanges {
    title: Option<String>,
    /// YYYY-MM-DD.
    published: Option<String>,
    authors: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    body_markdown: Option<String>,
    /// Country names or ISO codes.
    countries: Option<Vec<String>>,
    sectors: Option<Vec<String>>,
    /// Project keys.
    projects: Option<Vec<String>>,
    /// Partnership names.
    partnerships: Option<Vec<String>>,
}

/// An owner or parent of a plant, as a correction gives it.
#[derive(ToSchema)]
#[schema(as = Holder)]
pub struct Holder {
    name: String,
    /// The share as a fraction (0.49 for 49 %); left out when unknown.
    share: Option<f64>,
}

/// Corrections of a plant's fields; fields left out stay as they are. Values are checked with
/// the importer's limits.
#[derive(ToSchema)]
#[schema(as = PlantChanges)]
pub struct PlantChanges {
    /// 1 to 300 characters.
    name: Option<String>,
    /// operating, operating-pre-retirement, construction, announced, mothballed, retired, cancelled.
    status: Option<String>,
    /// bf-bof, dri-eaf, eaf, ohf, iron-bf, iron-dri, bof, cement-integrated, cement-grinding, ...
    route: Option<String>,
    /// Tonnes per year, 0 to 1e8.
    capacity_tpa: Option<f64>,
    /// 2019, 2019-09, 2019-09-23, March 2019, or `unknown`.
    start: Option<String>,
    /// The full list of owners, replacing the old; shares sum to at most 100.5 %.
    owners: Option<Vec<Holder>>,
    parents: Option<Vec<Holder>>,
    /// `[latitude, longitude]` in degrees.
    coordinates: Option<Vec<f64>>,
}
