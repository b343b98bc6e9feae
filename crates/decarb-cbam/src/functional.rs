//! Functional units (docs/CBAM.md §2.4; IR (EU) 2025/2547 recital 6): the unit a good's specific
//! embedded emissions are expressed in, and the one conversion the law's units need.
//!
//! What the acts give, and what decarb does with it:
//!
//! * **Tonnes of good** for every good but electricity. IR (EU) 2025/2621 Annex I states its
//!   default values in t CO2e per tonne of the CN line, and IR (EU) 2025/2620 its benchmarks in
//!   t CO2e per tonne of good, so the declared quantity is always the net mass of the good.
//! * **Clinker** (CN 2523 10 00): the functional unit is the tonne of clinker, which is the tonne
//!   of the good itself; its default values (grey (A) and white (B) clinker) are per tonne of
//!   clinker, no conversion. A cement's clinker enters its embedded emissions as a precursor
//!   (m_clinker = t clinker consumed per t cement, IR 2547 Annex III B Eq. 61), from the
//!   installations file, or as actual values per tonne of clinker contained, converted here:
//!   SEE per t cement = SEE per t clinker contained × clinker content (t clinker / t cement).
//! * **Fertilisers**: the functional unit of IR 2547 is the tonne of nitrogen. The default values
//!   and benchmarks are per tonne of product of the CN line (each CN line of 3102 and 3105
//!   already fixes the nitrogen range: urea > 45 % N 2.290 t/t, ammonium sulphate 1.030 t/t from
//!   the United States, IR 2621 Annex I), so the default path needs no conversion. An operator
//!   who reports actual emissions per tonne of nitrogen has them converted with the product's
//!   nitrogen content (mass fraction): SEE per t product = SEE per t N × N content. The
//!   conversion equations of IR 2547 Annex III (Eqs. 64-66) are not transcribed in
//!   docs/CBAM.md; this mass-fraction identity is what the functional unit implies, and the
//!   content the user gives is checked against the chemistry (no product has more nitrogen than
//!   ammonia, NH3: 14.007 / 17.031 = 82.2 %).
//! * **Electricity** (CN 2716 00 00): MWh; embedded emissions = MWh × the emission factor
//!   (IR 2621 Annex III, or actual under Reg. 2023/956 Annex IV pt 5), docs/CBAM.md §3.7.

use crate::cn::{CbamSector, CnCode, sector_of};
use crate::error::{Error, Result};
use crate::num::mul;
use rust_decimal::Decimal;

/// The unit in which actual specific embedded emissions are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeeBasis {
    /// t CO2e per tonne of the good (per MWh for electricity): the default.
    #[default]
    PerTonneOfGood,
    /// t CO2e per tonne of nitrogen contained, with the product's nitrogen mass fraction.
    PerTonneOfNitrogen { nitrogen_content: Decimal },
    /// t CO2e per tonne of clinker contained, with the cement's clinker mass fraction.
    PerTonneOfClinker { clinker_content: Decimal },
}

/// Nitrogen mass fraction of ammonia (NH3: 14.007 / 17.031 = 0.8224…), the richest nitrogen
/// compound among the CBAM fertilisers: no product can contain more.
pub const MAX_NITROGEN_CONTENT: Decimal = Decimal::from_parts(823, 0, 0, false, 3);

const REF_UNIT: &str = "IR (EU) 2025/2547 recital 6, functional units; docs/CBAM.md §2.4";

/// The unit of the quantity of a good: "MWh" for electricity, "t" otherwise.
pub fn quantity_unit(code: &CnCode) -> &'static str {
    if matches!(sector_of(code), Ok(CbamSector::Electricity)) { "MWh" } else { "t" }
}

/// True for CN 2523 10 00 (cement clinker) and its TARIC subdivisions.
pub fn is_clinker(code: &CnCode) -> bool {
    code.digits().starts_with("25231000")
}

/// True for the cements whose clinker content may carry the functional unit (2523 21 00,
/// 2523 29 00, 2523 30 00, 2523 90 00): every cement-sector good but clinker and calcined clay.
pub fn is_cement(code: &CnCode) -> bool {
    matches!(sector_of(code), Ok(CbamSector::Cement))
        && code.digits().starts_with("2523")
        && !is_clinker(code)
}

/// The factor that turns a value per the basis into one per tonne of good, and a description of
/// the conversion for the quote's steps. Errors name the field and the legal reference.
pub fn conversion(code: &CnCode, basis: SeeBasis) -> Result<Option<(Decimal, String)>> {
    match basis {
        SeeBasis::PerTonneOfGood => Ok(None),
        SeeBasis::PerTonneOfNitrogen { nitrogen_content } => {
            let field = "nitrogen content (--nitrogen-content)";
            if !matches!(sector_of(code), Ok(CbamSector::Fertilisers)) {
                return Err(Error::invalid(
                    field,
                    code,
                    format!(
                        "a fertiliser good (2808, 2814, 2834 21 00, 3102, 3105): the tonne of nitrogen is the \
                         functional unit of fertilisers only ({REF_UNIT})"
                    ),
                ));
            }
            if nitrogen_content <= Decimal::ZERO || nitrogen_content > MAX_NITROGEN_CONTENT {
                return Err(Error::invalid(
                    field,
                    nitrogen_content,
                    format!(
                        "a mass fraction above 0 and at most 0.823 (ammonia, NH3, is 82.2 % nitrogen; urea about \
                         0.46): give 0.46, not 46 ({REF_UNIT})"
                    ),
                ));
            }
            Ok(Some((nitrogen_content, format!("× {nitrogen_content} t N per t product"))))
        }
        SeeBasis::PerTonneOfClinker { clinker_content } => {
            let field = "clinker content (--clinker-content)";
            if is_clinker(code) {
                if clinker_content == Decimal::ONE {
                    return Ok(None);
                }
                return Err(Error::invalid(
                    field,
                    clinker_content,
                    format!(
                        "1 for clinker (CN 2523 10 00), whose functional unit is its own tonne ({REF_UNIT})"
                    ),
                ));
            }
            if !is_cement(code) {
                return Err(Error::invalid(
                    field,
                    code,
                    format!(
                        "a cement (2523 21 00, 2523 29 00, 2523 30 00, 2523 90 00): clinker content applies to \
                         cements only ({REF_UNIT})"
                    ),
                ));
            }
            if clinker_content <= Decimal::ZERO || clinker_content > Decimal::ONE {
                return Err(Error::invalid(
                    field,
                    clinker_content,
                    format!(
                        "a mass fraction above 0 and at most 1 (t clinker per t cement; CEM I about 0.95) ({REF_UNIT})"
                    ),
                ));
            }
            Ok(Some((clinker_content, format!("× {clinker_content} t clinker per t cement"))))
        }
    }
}

/// A value per the basis, per tonne of good.
pub fn per_tonne_of_good(code: &CnCode, basis: SeeBasis, value: Decimal) -> Result<Decimal> {
    match conversion(code, basis)? {
        Some((factor, _)) => mul(value, factor, "SEE per tonne of good"),
        None => Ok(value),
    }
}

/// The route letter a 10-digit TARIC code of IR (EU) 2026/1740 stands for: the correcting act
/// re-keys clinker and hydraulic cement to TARIC codes, white (…10: route B) and other, grey
/// (…90: route A) (docs/CBAM.md §4.3, a secondary source [S]: the act's text was not available).
pub fn taric_route(code: &CnCode) -> Option<char> {
    match code.digits() {
        "2523100010" | "2523900010" => Some('B'),
        "2523100090" | "2523900090" => Some('A'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }
    fn cn(text: &str) -> CnCode {
        CnCode::parse(text).unwrap()
    }

    #[test]
    fn nitrogen_basis_converts_by_the_mass_fraction() {
        // Urea (3102 10 19, 46 % N): 1.60 t CO2e per t N × 0.46 = 0.736 t CO2e per t urea.
        let basis = SeeBasis::PerTonneOfNitrogen { nitrogen_content: d("0.46") };
        assert_eq!(per_tonne_of_good(&cn("3102 10 19"), basis, d("1.60")).unwrap(), d("0.7360"));
        // Ammonia is the ceiling (82.2 % N); 46 (a percentage) is a unit error.
        let percent = SeeBasis::PerTonneOfNitrogen { nitrogen_content: d("46") };
        let err = per_tonne_of_good(&cn("3102 10 19"), percent, d("1.6")).unwrap_err().to_string();
        assert!(err.contains("nitrogen content") && err.contains("2025/2547"), "{err}");
        // Not a fertiliser: steel has no nitrogen functional unit.
        let err = per_tonne_of_good(&cn("7208"), basis, d("1")).unwrap_err().to_string();
        assert!(err.contains("fertiliser"), "{err}");
    }

    #[test]
    fn clinker_basis_applies_to_cements_and_is_the_unit_of_clinker() {
        // Grey Portland cement with 75 % clinker: 0.85 t per t clinker × 0.75 = 0.6375 t per t cement.
        let basis = SeeBasis::PerTonneOfClinker { clinker_content: d("0.75") };
        assert_eq!(per_tonne_of_good(&cn("2523 29 00"), basis, d("0.85")).unwrap(), d("0.6375"));
        // Clinker is its own functional unit: content 1 is the identity, anything else an error.
        let one = SeeBasis::PerTonneOfClinker { clinker_content: Decimal::ONE };
        assert_eq!(per_tonne_of_good(&cn("2523 10 00"), one, d("0.85")).unwrap(), d("0.85"));
        assert!(per_tonne_of_good(&cn("2523 10 00"), basis, d("0.85")).is_err());
        assert!(per_tonne_of_good(&cn("2507 00 80"), basis, d("0.85")).is_err());
        let over = SeeBasis::PerTonneOfClinker { clinker_content: d("1.2") };
        assert!(per_tonne_of_good(&cn("2523 29 00"), over, d("0.85")).is_err());
    }

    #[test]
    fn units_and_taric_routes() {
        assert_eq!(quantity_unit(&cn("2716")), "MWh");
        assert_eq!(quantity_unit(&cn("2523 10 00")), "t");
        assert_eq!(taric_route(&cn("2523100010")), Some('B'));
        assert_eq!(taric_route(&cn("2523900090")), Some('A'));
        assert_eq!(taric_route(&cn("2523 10 00")), None);
    }
}
