//! The bundled facts: country production rankings and the technology table, each row with its
//! source.

use super::{ApiQuery, parse_opt};
use crate::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::Path;
use decarb_data::facts::{self, FactsError};
use decarb_model::Sector;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const SECTORS: &str = "steel, cement, aluminium or ammonia";

/// The sector of a ranking.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SectorPath {
    /// steel, cement, aluminium or ammonia.
    #[param(example = "steel")]
    pub sector: String,
}

/// The year of a ranking.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// Year of the ranking (default: the latest the table covers).
    #[param(example = 2021)]
    pub year: Option<i32>,
}

/// One country in a production ranking.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RankRow {
    pub rank: usize,
    #[schema(example = "CHN")]
    pub country: String,
    pub country_name: String,
    /// Production in `unit`.
    pub value: f64,
    pub unit: String,
    /// Report and table the value comes from.
    pub source: String,
    pub note: String,
    /// The publisher marks the value as an estimate (USGS "e").
    pub estimated: bool,
}

/// A sector's production ranking in one year.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Ranking {
    pub sector: String,
    pub product: String,
    pub year: i32,
    /// Years the table covers.
    pub years: Vec<i32>,
    pub unit: String,
    pub rows: Vec<RankRow>,
    /// The world total the source publishes for the year, in `unit`, where it lists only the
    /// leading producers (USGS Mineral Commodity Summaries); the rows are ranked among themselves.
    pub world_total: Option<f64>,
    /// The source's "other countries" line of the year, in `unit`.
    pub other_countries: Option<f64>,
}

/// Countries by production of a sector in a year, largest first.
#[utoipa::path(get, path = "/production/{sector}", tag = "facts", params(SectorPath, YearParams),
    responses(
        (status = 200, description = "The ranking", body = Ranking),
        (status = 400, description = "Unknown sector", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No statistics for that sector or year", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn production(
    Path(SectorPath { sector }): Path<SectorPath>,
    ApiQuery(params): ApiQuery<YearParams>,
) -> Result<Json<Ranking>, ApiError> {
    let sector: Sector = parse_opt("sector", Some(&sector), SECTORS)?
        .ok_or_else(|| ApiError::invalid("sector", "", SECTORS))?;
    ranking(sector, params.year).map(Json)
}

/// The ranking of a sector (latest year when `year` is `None`).
pub fn ranking(sector: Sector, year: Option<i32>) -> Result<Ranking, ApiError> {
    let table = facts::production(sector).map_err(facts_error)?;
    let years = table.years();
    let year = year
        .or_else(|| years.last().copied())
        .ok_or_else(|| ApiError::not_found("the table holds no year"))?;
    let rows = table.rank(year).map_err(facts_error)?;
    Ok(Ranking {
        sector: sector.as_str().to_owned(),
        product: table.product.to_owned(),
        year,
        years,
        unit: table.unit.to_owned(),
        rows: rows
            .into_iter()
            .map(|r| RankRow {
                rank: r.rank,
                country: r.country.as_str().to_owned(),
                country_name: r.country.name().to_owned(),
                value: r.value,
                unit: r.unit.to_owned(),
                source: r.source,
                note: r.note,
                estimated: r.estimated,
            })
            .collect(),
        world_total: table.world_total(year).map(|a| a.value),
        other_countries: table.other_countries(year).map(|a| a.value),
    })
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(facts_error)`
fn facts_error(err: FactsError) -> ApiError {
    ApiError::not_found(err.to_string())
}

/// Filter of the technology table.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TechParams {
    /// steel, cement, aluminium or ammonia.
    pub sector: Option<String>,
}

/// One technology (production route) with its main figures and source.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TechRow {
    #[schema(example = "steel.bf-bof-avg")]
    pub id: String,
    pub sector: String,
    pub name: String,
    /// initial, transitional or end-state.
    pub phase: String,
    pub functional_unit: String,
    /// Direct CO2 before capture, t CO2 per t of product.
    pub direct_co2_t_per_t: f64,
    pub capture_rate: f64,
    /// Greenfield capex, USD per t/yr of capacity.
    pub capex_greenfield_usd_per_tpa: f64,
    pub capex_renewal_usd_per_tpa: f64,
    pub fixed_opex_usd_per_t: f64,
    pub lifetime_years: f64,
    pub available_from: i32,
    pub switches_to: Vec<String>,
    pub source: String,
}

/// The bundled technology table.
#[utoipa::path(get, path = "/technologies", tag = "facts", params(TechParams),
    responses(
        (status = 200, description = "Technologies", body = Vec<TechRow>),
        (status = 400, description = "Unknown sector", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn technologies(ApiQuery(params): ApiQuery<TechParams>) -> Result<Json<Vec<TechRow>>, ApiError> {
    let sector: Option<Sector> = parse_opt("sector", params.sector.as_deref(), SECTORS)?;
    Ok(Json(tech_rows(sector)))
}

pub fn tech_rows(sector: Option<Sector>) -> Vec<TechRow> {
    facts::technologies()
        .iter()
        .filter(|t| sector.is_none_or(|s| t.sector == s))
        .map(|t| TechRow {
            id: t.id.as_str().to_owned(),
            sector: t.sector.as_str().to_owned(),
            name: t.name.clone(),
            phase: t.phase.as_str().to_owned(),
            functional_unit: t.functional_unit.clone(),
            direct_co2_t_per_t: t.direct_co2.0,
            capture_rate: t.capture_rate,
            capex_greenfield_usd_per_tpa: t.capex_greenfield.0,
            capex_renewal_usd_per_tpa: t.capex_renewal.0,
            fixed_opex_usd_per_t: t.fixed_opex.0,
            lifetime_years: t.lifetime.0,
            available_from: t.available_from,
            switches_to: t.switches_to.iter().map(|s| s.as_str().to_owned()).collect(),
            source: t.source.clone(),
        })
        .collect()
}
