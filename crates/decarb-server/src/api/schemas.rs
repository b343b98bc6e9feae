//! OpenAPI schemas of the tracker records the API returns as the store serialises them
//! (`decarb_store::{ProjectRow, MemberRow, PledgeRow, PartnershipRow}`). They describe, they are
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
