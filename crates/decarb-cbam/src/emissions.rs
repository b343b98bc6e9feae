//! Embedded emissions from actual data (IR 2025/2547): mass-balance source streams (Annex II
//! B.3.2, Eqs. 12-15), attribution to a process (Annex III A.3), and specific embedded emissions
//! of simple and complex goods with precursors resolved recursively (Annex III B, Eqs. 59-63),
//! keeping direct and indirect parts apart on every node.

use crate::cn::{CnCode, counts_indirect, is_scrap};
use crate::error::{Error, Result};
use crate::facts::Facts;
use crate::num::{add, div, mul, sub};
use crate::origin::Origin;
use crate::rules::default_value;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// t CO2 per t C (IR 2547 Annex II B.3.2, Eq. 12).
pub const CO2_PER_CARBON: Decimal = Decimal::from_parts(3664, 0, 0, false, 3);

/// The carbon content of a source stream, in one of the forms of Eqs. 13-15.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarbonContent {
    /// t C per t, measured.
    Measured(Decimal),
    /// From an emission factor in t CO2/TJ and a net calorific value in TJ/t (Eq. 13).
    FromEfNcv { ef_t_co2_per_tj: Decimal, ncv_tj_per_t: Decimal },
    /// From an emission factor in t CO2/t (Eq. 14).
    FromEf(Decimal),
}

/// One mass-balance source stream. Activity data is negative for streams leaving the boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStream {
    pub name: String,
    pub activity_t: Decimal,
    pub carbon_content: CarbonContent,
    /// Zero-rated biomass fraction (Eq. 15); 0 when unknown or not RED II compliant.
    pub biomass_fraction: Decimal,
}

impl SourceStream {
    /// Em_k = f × AD_k × CC_k, with CC_k = CC_pre × (1 − BF).
    pub fn emissions(&self) -> Result<Decimal> {
        let what = format!("emissions of source stream {}", self.name);
        if self.biomass_fraction < Decimal::ZERO || self.biomass_fraction > Decimal::ONE {
            return Err(Error::invalid(
                format!("biomass fraction of {}", self.name),
                self.biomass_fraction,
                "a fraction from 0 to 1",
            ));
        }
        let fossil = sub(Decimal::ONE, self.biomass_fraction, &what)?;
        // f × CC with CC = EF × NCV / f (Eq. 13) or EF / f (Eq. 14) is EF × NCV or EF: computed
        // without the division so that the result stays exact.
        let per_tonne = match self.carbon_content {
            CarbonContent::Measured(cc) => mul(CO2_PER_CARBON, cc, &what)?,
            CarbonContent::FromEfNcv { ef_t_co2_per_tj, ncv_tj_per_t } => {
                mul(ef_t_co2_per_tj, ncv_tj_per_t, &what)?
            }
            CarbonContent::FromEf(ef) => ef,
        };
        mul(mul(self.activity_t, per_tonne, &what)?, fossil, &what)
    }
}

/// Σ_k Em_k over the mass-balance streams.
pub fn mass_balance(streams: &[SourceStream]) -> Result<Decimal> {
    streams.iter().try_fold(Decimal::ZERO, |sum, s| add(sum, s.emissions()?, "mass balance"))
}

/// Global warming potentials of IR 2547 Annex II G, Table 6.
pub const GWP_CF4: Decimal = Decimal::from_parts(6630, 0, 0, false, 0);
pub const GWP_C2F6: Decimal = Decimal::from_parts(11_100, 0, 0, false, 0);
pub const GWP_N2O: Decimal = Decimal::from_parts(265, 0, 0, false, 0);

/// Primary-aluminium cell technologies with slope-method defaults (IR 2547 Annex II B.7, Table 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellTechnology {
    /// Legacy point-feed prebake.
    PfpbL,
    /// Modern point-feed prebake.
    PfpbM,
    /// Centre-worked prebake.
    Cwpb,
    /// Side-worked prebake.
    Swpb,
    /// Vertical stud Søderberg.
    Vss,
    /// Horizontal stud Søderberg.
    Hss,
}

impl CellTechnology {
    /// (SEF_CF4 in (kg CF4/t Al)/(AE-min/cell-day), F_C2F6 in t C2F6/t CF4). PFPB MW uses its own
    /// measurement, else the CWPB values.
    pub fn slope_defaults(self) -> (Decimal, Decimal) {
        let (slope, ratio) = match self {
            CellTechnology::PfpbL => (122, 97),
            CellTechnology::PfpbM => (104, 57),
            CellTechnology::Cwpb => (143, 121),
            CellTechnology::Swpb => (233, 280),
            CellTechnology::Vss => (58, 86),
            CellTechnology::Hss => (165, 77),
        };
        (Decimal::new(slope, 3), Decimal::new(ratio, 3))
    }
}

/// PFC emissions of primary aluminium by the slope method (Eqs. 21, 22, 26): returns CF4 (t),
/// C2F6 (t) and their sum in t CO2e. `aem` is anode-effect minutes per cell-day (Eq. 23).
pub fn pfc_slope_method(
    aem: Decimal,
    technology: CellTechnology,
    aluminium_t: Decimal,
) -> Result<(Decimal, Decimal, Decimal)> {
    let what = "PFC emissions";
    let (sef, f_c2f6) = technology.slope_defaults();
    let cf4 = mul(mul(aem, div(sef, Decimal::ONE_THOUSAND, what)?, what)?, aluminium_t, what)?;
    let c2f6 = mul(cf4, f_c2f6, what)?;
    let co2e = add(mul(cf4, GWP_CF4, what)?, mul(c2f6, GWP_C2F6, what)?, what)?;
    Ok((cf4, c2f6, co2e))
}

/// The terms of AttrEm_Dir (IR 2547 Annex III A.3), all in t CO2e.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DirectAttribution {
    pub directly_attributable: Decimal,
    pub heat_imported: Decimal,
    pub heat_exported: Decimal,
    pub waste_gas_imported: Decimal,
    pub waste_gas_exported: Decimal,
    pub electricity_produced: Decimal,
}

impl DirectAttribution {
    /// max(0, DirEm* + Em_H,imp − Em_H,exp + WG_imp − WG_exp − Em_el,prod): "a negative value
    /// shall be set to zero".
    pub fn attributed(&self) -> Result<Decimal> {
        let what = "attributed direct emissions";
        let mut total = add(self.directly_attributable, self.heat_imported, what)?;
        total = sub(total, self.heat_exported, what)?;
        total = add(total, self.waste_gas_imported, what)?;
        total = sub(total, self.waste_gas_exported, what)?;
        total = sub(total, self.electricity_produced, what)?;
        Ok(total.max(Decimal::ZERO))
    }
}

/// Where a precursor's SEE comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrecursorSource {
    /// Another process in the graph (by id), whose own SEE is computed first.
    Process { id: String, verified: bool },
    /// A supplier's stated SEE (direct, indirect).
    Stated { direct: Decimal, indirect: Decimal, verified: bool },
    /// The default value for its CN code and country of production.
    Default,
}

/// A precursor consumed by a process (only precursors not produced in the same process).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Precursor {
    pub cn: CnCode,
    pub produced_in: Origin,
    /// m_i = M_i / AL_g: total mass consumed per unit of output, losses included (Eq. 61).
    pub mass_per_unit: Decimal,
    pub source: PrecursorSource,
    /// By-products, off-spec products and waste enter with zero embedded emissions (Annex II F).
    pub is_waste_or_by_product: bool,
    /// The producer's verified specific embedded free allocation SEFA_i, t CO2e per tonne of the
    /// precursor (IR 2025/2620 Annex pt 3.3), where the supplier states it; otherwise the act's
    /// fallback applies (`installations::precursor_sefa`).
    pub sefa: Option<Decimal>,
}

/// One production process of an installation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub id: String,
    pub cn: CnCode,
    /// AttrEm, direct part (t CO2e).
    pub attributed_direct: Decimal,
    /// Emissions of the electricity consumed (t CO2), the indirect part of AttrEm.
    pub attributed_indirect: Decimal,
    /// AL_g: output in functional units, final products only.
    pub activity_level: Decimal,
    pub precursors: Vec<Precursor>,
    /// Production route letter of IR 2025/2620 that selects the process's Column A benchmark
    /// where it differs by route (the free allocation of a precursor made in the file).
    pub route: Option<char>,
}

/// Options for the open questions of docs/CBAM.md §3.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeeOptions {
    /// Open question 1: apply the year's mark-up to precursor defaults. Off (fixture E5).
    pub markup_precursor_defaults: Option<Decimal>,
}

/// How one precursor was valued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrecursorTrace {
    pub process: String,
    pub cn: CnCode,
    pub produced_in: Origin,
    pub direct: Decimal,
    pub indirect: Decimal,
    /// "zero: EU origin", "default 1.325 (Other countries)", "actual (verified)", …
    pub basis: String,
    /// An actual claim without verification that fell back to the default (fixture E5-C).
    pub unresolved: bool,
}

/// SEE of a good, split into the direct part and the indirect part that counts for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct See {
    pub direct: Decimal,
    pub indirect: Decimal,
    pub precursors: Vec<PrecursorTrace>,
}

impl See {
    pub fn total(&self) -> Result<Decimal> {
        add(self.direct, self.indirect, "SEE")
    }
    pub fn unresolved(&self) -> bool {
        self.precursors.iter().any(|p| p.unresolved)
    }
}

/// Computes SEE of process `root` (Eqs. 59-63), precursors of precursors first. Cycles and
/// unknown ids are errors.
pub fn specific_embedded_emissions(
    facts: &Facts,
    processes: &[Process],
    root: &str,
    options: SeeOptions,
) -> Result<See> {
    let by_id: BTreeMap<&str, &Process> = processes.iter().map(|p| (p.id.as_str(), p)).collect();
    let mut stack = Vec::new();
    let mut traces = Vec::new();
    let (direct, indirect) = see_of(facts, &by_id, root, options, &mut stack, &mut traces)?;
    Ok(See { direct, indirect, precursors: traces })
}

fn see_of(
    facts: &Facts,
    by_id: &BTreeMap<&str, &Process>,
    id: &str,
    options: SeeOptions,
    stack: &mut Vec<String>,
    traces: &mut Vec<PrecursorTrace>,
) -> Result<(Decimal, Decimal)> {
    let process = by_id.get(id).ok_or_else(|| Error::UnknownNode(id.to_owned()))?;
    if stack.iter().any(|s| s == id) {
        return Err(Error::Cycle(format!("{} -> {id}", stack.join(" -> "))));
    }
    stack.push(id.to_owned());
    let what = format!("SEE of process {id}");
    if process.activity_level <= Decimal::ZERO {
        return Err(Error::invalid(
            format!("activity level of process {id}"),
            process.activity_level,
            "more than 0",
        ));
    }
    let mut direct = div(process.attributed_direct, process.activity_level, &what)?;
    let mut indirect = if counts_indirect(&process.cn) {
        div(process.attributed_indirect, process.activity_level, &what)?
    } else {
        Decimal::ZERO
    };
    for precursor in &process.precursors {
        let (p_dir, p_ind, basis, unresolved) =
            precursor_see(facts, by_id, precursor, options, stack, traces)?;
        traces.push(PrecursorTrace {
            process: id.to_owned(),
            cn: precursor.cn.clone(),
            produced_in: precursor.produced_in,
            direct: p_dir,
            indirect: p_ind,
            basis,
            unresolved,
        });
        direct = add(direct, mul(precursor.mass_per_unit, p_dir, &what)?, &what)?;
        // IR 2547 Annex I §3.1: a non-Annex II precursor brings its indirect part; an Annex II one
        // does not (open question 2: inherited indirect parts stop at Annex II precursors).
        if counts_indirect(&precursor.cn) {
            indirect = add(indirect, mul(precursor.mass_per_unit, p_ind, &what)?, &what)?;
        }
    }
    stack.pop();
    Ok((direct, indirect))
}

type PrecursorValue = (Decimal, Decimal, String, bool);

fn precursor_see(
    facts: &Facts,
    by_id: &BTreeMap<&str, &Process>,
    precursor: &Precursor,
    options: SeeOptions,
    stack: &mut Vec<String>,
    traces: &mut Vec<PrecursorTrace>,
) -> Result<PrecursorValue> {
    if precursor.mass_per_unit < Decimal::ZERO {
        return Err(Error::invalid(
            format!("mass of precursor {}", precursor.cn),
            precursor.mass_per_unit,
            "0 or more",
        ));
    }
    let zero = |why: &str| Ok((Decimal::ZERO, Decimal::ZERO, format!("zero: {why}"), false));
    if precursor.produced_in.is_eu() {
        return zero("EU origin");
    }
    if precursor.produced_in.is_exempt() {
        return zero("Annex III pt 1 origin");
    }
    if is_scrap(&precursor.cn) {
        return zero("scrap");
    }
    if precursor.is_waste_or_by_product {
        return zero("by-product or waste");
    }
    let fallback = |unresolved: bool| -> Result<PrecursorValue> {
        let found = default_value(facts, &precursor.cn, precursor.produced_in)?;
        let mut total = found.total;
        if let Some(multiplier) = options.markup_precursor_defaults {
            total = crate::num::round_half_away(mul(total, multiplier, "marked-up precursor default")?, 3);
        }
        // Defaults publish direct and indirect separately only for non-Annex II goods.
        let (dir, ind) = match (found.row.direct, found.row.indirect) {
            (Some(d), Some(i)) if options.markup_precursor_defaults.is_none() => (d, i),
            _ => (total, Decimal::ZERO),
        };
        let why = if unresolved { "; unresolved: actual claim without a verification report" } else { "" };
        let basis = format!(
            "default {total} used{why} ({}, default_values.csv line {})",
            found.row.country, found.row.line
        );
        Ok((dir, ind, basis, unresolved))
    };
    match &precursor.source {
        PrecursorSource::Default => fallback(false),
        PrecursorSource::Stated { verified: false, .. }
        | PrecursorSource::Process { verified: false, .. } => fallback(true),
        PrecursorSource::Stated { direct, indirect, verified: true } => {
            Ok((*direct, *indirect, "actual (verified, stated by supplier)".into(), false))
        }
        PrecursorSource::Process { id, verified: true } => {
            let (d, i) = see_of(facts, by_id, id, options, stack, traces)?;
            Ok((d, i, format!("actual (verified, process {id})"), false))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn pfc_illustration_of_cbam_md() {
        // §3.2: AEM 0.5, PFPB M, 100 000 t → CF4 5.2 t, C2F6 0.2964 t, 37 766.04 t CO2e.
        let (cf4, c2f6, co2e) = pfc_slope_method(d("0.5"), CellTechnology::PfpbM, d("100000")).unwrap();
        assert_eq!((cf4, c2f6, co2e), (d("5.2"), d("0.2964"), d("37766.04")));
        assert_eq!(co2e / d("100000"), d("0.3776604"));
    }

    #[test]
    fn source_streams_from_emission_factors_stay_exact() {
        let gas = SourceStream {
            name: "natural gas".into(),
            activity_t: d("10"),
            carbon_content: CarbonContent::FromEfNcv {
                ef_t_co2_per_tj: d("56.1"),
                ncv_tj_per_t: d("0.0482"),
            },
            biomass_fraction: Decimal::ZERO,
        };
        assert_eq!(gas.emissions().unwrap(), d("27.0402"));
        let half_biomass = SourceStream {
            name: "coal with biomass".into(),
            activity_t: d("100"),
            carbon_content: CarbonContent::Measured(d("0.5")),
            biomass_fraction: d("0.5"),
        };
        assert_eq!(half_biomass.emissions().unwrap(), d("91.6"));
        let bad = SourceStream { biomass_fraction: d("1.5"), ..half_biomass };
        assert!(bad.emissions().is_err());
    }

    #[test]
    fn attribution_is_floored_at_zero() {
        let attribution = DirectAttribution {
            directly_attributable: d("10"),
            electricity_produced: d("12"),
            ..Default::default()
        };
        assert_eq!(attribution.attributed().unwrap(), Decimal::ZERO);
    }

    #[test]
    fn cycles_are_rejected() {
        let facts = Facts::bundled().unwrap();
        let node = |id: &str, next: &str| Process {
            id: id.into(),
            cn: CnCode::parse("7206 10 00").unwrap(),
            attributed_direct: d("1"),
            attributed_indirect: Decimal::ZERO,
            activity_level: d("1"),
            precursors: vec![Precursor {
                cn: CnCode::parse("7206 10 00").unwrap(),
                produced_in: Origin::parse("TUR").unwrap(),
                mass_per_unit: d("1"),
                source: PrecursorSource::Process { id: next.into(), verified: true },
                is_waste_or_by_product: false,
                sefa: None,
            }],
            route: None,
        };
        let graph = [node("a", "b"), node("b", "a")];
        assert!(matches!(
            specific_embedded_emissions(facts, &graph, "a", SeeOptions::default()),
            Err(Error::Cycle(_))
        ));
        assert!(matches!(
            specific_embedded_emissions(facts, &graph, "z", SeeOptions::default()),
            Err(Error::UnknownNode(_))
        ));
    }

    #[test]
    fn sinter_brings_its_indirect_part_into_steel_only_when_it_counts() {
        let facts = Facts::bundled().unwrap();
        let pig_iron = Process {
            id: "bf".into(),
            cn: CnCode::parse("7201 10 11").unwrap(),
            attributed_direct: d("150"),
            attributed_indirect: d("30"),
            activity_level: d("100"),
            precursors: vec![Precursor {
                cn: CnCode::parse("2601 12 00").unwrap(),
                produced_in: Origin::parse("AUS").unwrap(),
                mass_per_unit: d("1.5"),
                source: PrecursorSource::Default,
                is_waste_or_by_product: false,
                sefa: None,
            }],
            route: None,
        };
        let see = specific_embedded_emissions(facts, &[pig_iron], "bf", SeeOptions::default()).unwrap();
        // Own: 1.5 direct, no own indirect (Annex II good); sinter AU 0.070 direct + 0.020 indirect.
        assert_eq!(see.direct, d("1.605"));
        assert_eq!(see.indirect, d("0.030"));
    }
}
