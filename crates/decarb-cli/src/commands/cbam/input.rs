//! From arguments to the library's inputs: decimals, route letters, the quote request, and the
//! user's IEA-licensed factor files added to the bundled facts.

use super::args::{EmissionArgs, RegimeArg};
use anyhow::Result;
use decarb_cbam::num::parse_decimal;
use decarb_cbam::{CnCode, EmissionsInput, Facts, Origin, QuoteRequest, Regime, SeeBasis};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::path::PathBuf;

pub(super) fn decimal(text: Option<&String>, what: &str) -> Result<Option<Decimal>> {
    Ok(text.map(|t| parse_decimal(t, what)).transpose()?)
}

pub(super) fn route_letter(text: Option<&String>) -> Result<Option<char>> {
    Ok(text
        .map(|text| {
            decarb_cbam::declare::parse_route(text).map_err(|_| decarb_cbam::Error::Invalid {
                what: "--route".into(),
                found: text.clone(),
                expected: "one route letter of IR 2025/2620 (C, D, E, F, G, H, J, K, L, A, B)".into(),
            })
        })
        .transpose()?)
}

/// A request from the shared emission arguments (tonnes and year filled in by the caller).
pub(super) fn request_from(
    good: &str,
    origin: &str,
    tonnes: Decimal,
    year: i32,
    args: &EmissionArgs,
) -> Result<QuoteRequest> {
    let mut request = QuoteRequest::new(CnCode::parse(good)?, Origin::parse(origin)?, tonnes, year);
    request.regime = match args.regime {
        RegimeArg::Eu => Regime::Eu,
        RegimeArg::Uk => Regime::Uk,
    };
    let direct = decimal(args.see_direct.as_ref(), "--see-direct")?;
    let indirect = decimal(args.see_indirect.as_ref(), "--see-indirect")?;
    let precursor_sefa = decimal(args.precursor_sefa.as_ref(), "--precursor-sefa")?;
    request.emissions = match direct {
        Some(direct) => EmissionsInput::Actual { direct, indirect, precursor_sefa },
        None if indirect.is_some() || precursor_sefa.is_some() => {
            return Err(decarb_cbam::Error::Conflict(
                "--see-indirect and --precursor-sefa are actual values: give --see-direct too".into(),
            )
            .into());
        }
        None => EmissionsInput::Default { markup: !args.no_markup },
    };
    if args.no_markup && direct.is_some() {
        return Err(decarb_cbam::Error::Conflict("--no-markup applies to default values only".into()).into());
    }
    request.benchmark = decimal(args.benchmark.as_ref(), "--benchmark")?;
    request.route = route_letter(args.route.as_ref())?;
    request.carbon_price_paid = decimal(args.carbon_price_paid.as_ref(), "--carbon-price-paid")?;
    request.certificate_price = decimal(args.certificate_price.as_ref(), "--certificate-price")?;
    request.correction_factor = decimal(args.correction_factor.as_ref(), "--correction-factor")?;
    request.uk_free_allocation = decimal(args.uk_free_allocation.as_ref(), "--uk-free-allocation")?;
    request.electricity_mwh_per_t = decimal(args.electricity_mwh_per_t.as_ref(), "--electricity-mwh-per-t")?;
    let nitrogen = decimal(args.nitrogen_content.as_ref(), "--nitrogen-content")?;
    let clinker = decimal(args.clinker_content.as_ref(), "--clinker-content")?;
    request.see_basis = match (nitrogen, clinker) {
        (Some(nitrogen_content), _) => SeeBasis::PerTonneOfNitrogen { nitrogen_content },
        (None, Some(clinker_content)) => SeeBasis::PerTonneOfClinker { clinker_content },
        (None, None) => SeeBasis::PerTonneOfGood,
    };
    Ok(request)
}

/// The bundled facts, with the user's grid emission factors when --grid-factors or
/// DECARB_CBAM_GRID_FACTORS names a file (IEA data, never bundled).
pub(super) fn facts_with_grid<'f>(facts: &'f Facts, args: &EmissionArgs) -> Result<Cow<'f, Facts>> {
    let path = args.grid_factors.clone().or_else(|| {
        std::env::var_os("DECARB_CBAM_GRID_FACTORS").filter(|p| !p.is_empty()).map(PathBuf::from)
    });
    let mut facts = Cow::Borrowed(facts);
    if let Some(path) = path {
        let text = std::fs::read_to_string(&path).map_err(|e| {
            crate::commands::UserError(format!(
                "cannot read the grid emission factors {}: {e}",
                path.display()
            ))
        })?;
        facts = Cow::Owned(facts.with_grid_factors(&text, &path.display().to_string())?);
    }
    with_electricity(facts, args.electricity_factors.as_ref())
}

/// The facts with the user's imported-electricity factors (IR 2025/2621 Annex III) when
/// --electricity-factors or DECARB_CBAM_ELECTRICITY_FACTORS names a file (IEA data, never bundled).
pub(super) fn with_electricity<'f>(facts: Cow<'f, Facts>, given: Option<&PathBuf>) -> Result<Cow<'f, Facts>> {
    let path = given.cloned().or_else(|| {
        std::env::var_os("DECARB_CBAM_ELECTRICITY_FACTORS").filter(|p| !p.is_empty()).map(PathBuf::from)
    });
    let Some(path) = path else { return Ok(facts) };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        crate::commands::UserError(format!(
            "cannot read the emission factors of imported electricity {}: {e}",
            path.display()
        ))
    })?;
    Ok(Cow::Owned(facts.with_electricity_factors(&text, &path.display().to_string())?))
}
