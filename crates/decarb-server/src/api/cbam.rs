//! Carbon border adjustment: the quote of one import with every step, and the cost per tonne
//! through the phase-out. Amounts are decimal strings: the computation is in decimal arithmetic
//! and a float would not give back the figures the law's rounding rules produce.

use super::ApiQuery;
use crate::problem::{ApiError, Problem};
use axum::Json;
use decarb_cbam::num::parse_decimal;
use decarb_cbam::{CnCode, Date, EmissionsInput, Facts, Origin, QuoteRequest, Regime};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One import to quote (`decarb cbam quote` takes the same options).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteParams {
    /// CN code of the good ("7208", "7207 19 12").
    #[param(example = "7208")]
    pub good: Option<String>,
    /// Country of origin: ISO 3166-1 code, or OTHER.
    #[param(example = "IND")]
    pub origin: Option<String>,
    /// Net mass in tonnes (MWh for electricity); default 1.
    #[param(example = "1")]
    pub tonnes: Option<String>,
    /// Year of import, 2026 on; default 2026.
    #[param(example = 2026)]
    pub year: Option<i32>,
    /// Year of production (selects the benchmark band); default the year of import.
    pub production_year: Option<i32>,
    /// Date of import, YYYY-MM-DD (selects the certificate price period).
    pub import_date: Option<String>,
    /// eu (default) or uk.
    pub regime: Option<String>,
    /// Actual direct SEE, t CO2e per tonne; default values are used without it.
    pub see_direct: Option<String>,
    /// Actual indirect SEE, t CO2e per tonne.
    pub see_indirect: Option<String>,
    /// Precursors' free allocation, t CO2e per tonne (actual path).
    pub precursor_sefa: Option<String>,
    /// true: no default-value mark-up.
    pub no_markup: Option<bool>,
    /// Benchmark replacing the table lookup, t CO2e per tonne.
    pub benchmark: Option<String>,
    /// Carbon price paid in the country of origin, per t CO2e.
    pub carbon_price_paid: Option<String>,
    /// Price per certificate (EUR; GBP under uk).
    pub certificate_price: Option<String>,
    /// Cross-sectoral correction factor (default 1, a flagged placeholder).
    pub correction_factor: Option<String>,
    /// UK only: the sector's free-allocation adjustment, a fraction.
    pub uk_free_allocation: Option<String>,
}

fn decimal(text: Option<&String>, what: &str) -> Result<Option<Decimal>, ApiError> {
    text.map(|t| parse_decimal(t, what)).transpose().map_err(ApiError::from)
}

impl QuoteParams {
    fn request(&self) -> Result<QuoteRequest, ApiError> {
        let good = self
            .good
            .as_deref()
            .ok_or_else(|| ApiError::bad_request("good: a CN code is required (7208)"))?;
        let origin = self
            .origin
            .as_deref()
            .ok_or_else(|| ApiError::bad_request("origin: a country code is required (IND)"))?;
        let tonnes = decimal(self.tonnes.as_ref(), "tonnes")?.unwrap_or(Decimal::ONE);
        let mut request = QuoteRequest::new(
            CnCode::parse(good)?,
            Origin::parse(origin)?,
            tonnes,
            self.year.unwrap_or(2026),
        );
        request.production_year = self.production_year;
        request.import_date = self.import_date.as_deref().map(Date::parse).transpose()?;
        request.regime = match self.regime.as_deref().map(str::trim) {
            None | Some("" | "eu" | "EU") => Regime::Eu,
            Some("uk" | "UK") => Regime::Uk,
            Some(other) => return Err(ApiError::invalid("regime", other, "eu or uk")),
        };
        let direct = decimal(self.see_direct.as_ref(), "see_direct")?;
        let indirect = decimal(self.see_indirect.as_ref(), "see_indirect")?;
        let precursor_sefa = decimal(self.precursor_sefa.as_ref(), "precursor_sefa")?;
        let no_markup = self.no_markup.unwrap_or(false);
        request.emissions = match direct {
            Some(direct) if !no_markup => EmissionsInput::Actual { direct, indirect, precursor_sefa },
            Some(_) => return Err(ApiError::bad_request("no_markup applies to default values only")),
            None if indirect.is_some() || precursor_sefa.is_some() => {
                return Err(ApiError::bad_request(
                    "see_indirect and precursor_sefa are actual values: give see_direct too",
                ));
            }
            None => EmissionsInput::Default { markup: !no_markup },
        };
        request.benchmark = decimal(self.benchmark.as_ref(), "benchmark")?;
        request.carbon_price_paid = decimal(self.carbon_price_paid.as_ref(), "carbon_price_paid")?;
        request.certificate_price = decimal(self.certificate_price.as_ref(), "certificate_price")?;
        request.correction_factor = decimal(self.correction_factor.as_ref(), "correction_factor")?;
        request.uk_free_allocation = decimal(self.uk_free_allocation.as_ref(), "uk_free_allocation")?;
        Ok(request)
    }
}

/// One step of a quote.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepOut {
    pub name: String,
    pub formula: String,
    /// Decimal string.
    pub value: String,
    pub unit: String,
    /// The act, table row or input the value comes from.
    pub basis: String,
}

/// A caveat of a result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoteOut {
    /// assumption, unresolved or info.
    pub kind: String,
    pub text: String,
}

/// A CBAM quote. Amounts are decimal strings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteOut {
    pub regime: String,
    pub good: String,
    pub sector: String,
    pub origin: String,
    pub year: i32,
    pub production_year: i32,
    pub tonnes: String,
    /// default, actual or exempt.
    pub data_path: String,
    pub see_declared_t_per_t: String,
    pub sefa_t_per_t: String,
    pub embedded_tco2: String,
    pub free_allocation_adjustment_tco2: String,
    pub carbon_price_deduction_tco2: String,
    pub certificates_exact: String,
    pub certificates: Option<String>,
    pub certificate_price: String,
    pub price_period: String,
    pub currency: String,
    pub cost: String,
    pub cost_per_tonne: String,
    pub steps: Vec<StepOut>,
    pub notes: Vec<NoteOut>,
}

fn notes(notes: &[decarb_cbam::Note]) -> Vec<NoteOut> {
    notes
        .iter()
        .map(|n| NoteOut {
            kind: serde_json::to_value(n.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            text: n.text.clone(),
        })
        .collect()
}

fn facts() -> Result<&'static Facts, ApiError> {
    Facts::bundled().map_err(|e| ApiError::internal(e.to_string()))
}

/// The certificate obligation and cost of one import, with every step and its legal basis.
#[utoipa::path(get, path = "/cbam/quote", tag = "cbam", params(QuoteParams),
    responses(
        (status = 200, description = "The quote", body = QuoteOut),
        (status = 400, description = "A parameter is missing or not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn quote(ApiQuery(params): ApiQuery<QuoteParams>) -> Result<Json<QuoteOut>, ApiError> {
    let request = params.request()?;
    let q = decarb_cbam::quote(facts()?, &request)?;
    Ok(Json(QuoteOut {
        regime: match q.regime {
            Regime::Eu => "eu",
            Regime::Uk => "uk",
        }
        .to_owned(),
        good: q.good.to_string(),
        sector: q.sector.as_str().to_owned(),
        origin: q.origin.to_string(),
        year: q.year,
        production_year: q.production_year,
        tonnes: q.tonnes.normalize().to_string(),
        data_path: q.data_path.to_owned(),
        see_declared_t_per_t: q.see_declared.to_string(),
        sefa_t_per_t: q.sefa.to_string(),
        embedded_tco2: q.embedded_tco2.to_string(),
        free_allocation_adjustment_tco2: q.free_allocation_adjustment_tco2.to_string(),
        carbon_price_deduction_tco2: q.carbon_price_deduction_tco2.to_string(),
        certificates_exact: q.certificates_exact.to_string(),
        certificates: q.certificates.map(|c| c.to_string()),
        certificate_price: q.price.to_string(),
        price_period: q.price_period.clone(),
        currency: q.currency.to_owned(),
        cost: q.cost.round_dp(2).to_string(),
        cost_per_tonne: q.cost_per_tonne.round_dp(2).to_string(),
        steps: q
            .steps
            .iter()
            .map(|s| StepOut {
                name: s.name.to_owned(),
                formula: s.formula.clone(),
                value: s.value.to_string(),
                unit: s.unit.to_owned(),
                basis: s.basis.clone(),
            })
            .collect(),
        notes: notes(&q.notes),
    }))
}

/// One year of a schedule, per tonne of good. Amounts are decimal strings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScheduleRowOut {
    pub year: i32,
    /// None under the UK regime, which has no CBAM factor.
    pub cbam_factor: Option<String>,
    pub see_declared: String,
    pub sefa: String,
    pub certificates_per_tonne: String,
    pub price_eur: String,
    pub cost_eur_per_tonne: String,
    pub notes: Vec<NoteOut>,
}

/// The cost per tonne of one good from one origin for each year 2026-2034.
#[utoipa::path(get, path = "/cbam/schedule", tag = "cbam", params(QuoteParams),
    responses(
        (status = 200, description = "One row a year", body = Vec<ScheduleRowOut>),
        (status = 400, description = "A parameter is missing or not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn schedule(
    ApiQuery(params): ApiQuery<QuoteParams>,
) -> Result<Json<Vec<ScheduleRowOut>>, ApiError> {
    let mut request = params.request()?;
    // Nothing is published for 2031 on: hold the last benchmark band, flagged, as the CLI does.
    request.beyond_published = decarb_cbam::BeyondPublished::HoldLast;
    let rows = decarb_cbam::schedule(facts()?, &request, decarb_cbam::schedule::YEARS)?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ScheduleRowOut {
                year: r.year,
                cbam_factor: r.cbam_factor.map(|f| f.to_string()),
                see_declared: r.see_declared.to_string(),
                sefa: r.sefa.to_string(),
                certificates_per_tonne: r.certificates_per_tonne.to_string(),
                price_eur: r.price_eur.to_string(),
                cost_eur_per_tonne: r.cost_eur_per_tonne.round_dp(2).to_string(),
                notes: notes(&r.notes),
            })
            .collect(),
    ))
}
