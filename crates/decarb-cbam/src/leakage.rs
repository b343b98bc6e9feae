//! Assembling the leakage exposure table's inputs (`decarb leakage exposure`): the good that
//! stands for a sector's exports, where each country's emission intensity comes from (a fleet's
//! capacity-weighted intensity, an engine run's regional intensity, or the CBAM default value),
//! and the per-country flows [`crate::exposure::exposure`] ranks. The intensities themselves are
//! computed where their data lives (`decarb_scenario::fleet_intensity` for the bundled fleet;
//! [`crate::inputs::region_intensities`] for a run).

use crate::cn::CnCode;
use crate::error::{Error, Result};
use crate::exposure::{CountryFlows, Exposure};
use crate::inputs::Trade;
use decarb_model::{CountryCode, Region, Sector};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The good whose CBAM treatment stands for a sector's exports in the leakage table: the
/// sector's representative good ([`crate::exposure::representative_good`]: hot-rolled flat
/// steel, unwrought aluminium), for the sectors with by-country trade. Cement and ammonia have
/// none bundled.
pub fn leakage_good(sector: Sector) -> Result<CnCode> {
    match sector {
        Sector::Steel | Sector::Aluminium => crate::exposure::representative_good(sector),
        Sector::Cement | Sector::Ammonia => Err(Error::Conflict(format!(
            "leakage exposure is not available for {sector}: no by-country trade is bundled for it (only \
             worldsteel's steel trade; docs/cbam-declare-format.md, \"Aluminium and fertiliser trade\"); its CBAM \
             default values are bundled: `decarb cbam quote` prices its goods"
        ))),
    }
}

/// Where each country's emission intensity comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum IntensitySource {
    /// t CO2 per t of each country's bundled fleet.
    Fleet(BTreeMap<CountryCode, f64>),
    /// t CO2 per t of each region in an engine run, and the run's path.
    Run(BTreeMap<Region, f64>, PathBuf),
    /// The CBAM default values (the exposure table looks them up when the intensity is None).
    CbamDefault,
}

/// An f64 intensity as a decimal, rounded to 6 places (a micro-tonne per tonne).
fn intensity_decimal(value: f64) -> Option<Decimal> {
    Decimal::try_from(value).ok().map(|d| d.round_dp(6))
}

impl IntensitySource {
    /// A country's intensity and its source; None for the CBAM default value.
    pub fn of(&self, country: CountryCode, year: i32) -> Option<(Decimal, String)> {
        match self {
            IntensitySource::Run(by_region, _) => {
                let region = country.region();
                by_region.get(&region).and_then(|v| intensity_decimal(*v)).map(|v| {
                    (v, format!("engine run: {region} region direct emissions / production, {year}"))
                })
            }
            IntensitySource::Fleet(by_country) => {
                by_country.get(&country).and_then(|v| intensity_decimal(*v)).map(|v| {
                    (
                        v,
                        "bundled fleet: capacity-weighted net direct CO2 of the engine's start technologies"
                            .to_owned(),
                    )
                })
            }
            IntensitySource::CbamDefault => None,
        }
    }

    /// Why a country fell back to the CBAM default, or None when the default was asked for.
    pub fn fallback_reason(&self) -> Option<&'static str> {
        match self {
            IntensitySource::Run(..) => Some("no region row in the run"),
            IntensitySource::Fleet(_) => Some("no bundled fleet"),
            IntensitySource::CbamDefault => None,
        }
    }

    /// The note that says where the intensities come from.
    pub fn note(&self, sector: Sector, good: &CnCode, year: i32, cbam_year: i32) -> String {
        match self {
            IntensitySource::Run(_, dir) => format!(
                "emission intensity: the region's direct emissions / production in {} for {year}, taken as the \
                 verified actual emissions of {good} (Column A benchmark); regions missing from the run fall back \
                 to the IR 2025/2621 country default",
                dir.display()
            ),
            IntensitySource::Fleet(_) => format!(
                "emission intensity: capacity-weighted direct CO2, net of capture, of the country's bundled-world \
                 {sector} fleet on the technologies the engine starts it on (decarb_engine::start), taken as the \
                 verified actual emissions of {good} (Column A benchmark); countries without a bundled fleet fall \
                 back to the IR 2025/2621 country default (default values, mark-up)"
            ),
            IntensitySource::CbamDefault => format!(
                "emission intensity: the country's IR 2025/2621 default value for {good} (no mark-up), the act's \
                 country average; CBAM cost per tonne: {good} on default values in {cbam_year}"
            ),
        }
    }
}

/// Each producing country's flows for the table: production (thousand tonnes, as the bundled
/// statistics hold it, rounded to whole tonnes), its trade, and its intensity; and the countries
/// that had no intensity of the chosen source (they take the CBAM default).
pub fn country_flows(
    production: impl IntoIterator<Item = (CountryCode, f64)>,
    trade: &Trade,
    intensities: &IntensitySource,
    year: i32,
) -> Result<(Vec<CountryFlows>, BTreeSet<CountryCode>)> {
    let mut fallback = BTreeSet::new();
    let mut flows = Vec::new();
    for (country, kt) in production {
        // Whole tonnes are exact enough for statistics bundled in thousand tonnes as f64.
        let production_t = Decimal::try_from(kt * 1000.0)
            .map_err(|_| {
                Error::invalid(
                    format!("production of {}", country.as_str()),
                    kt,
                    "a finite number of thousand tonnes",
                )
            })?
            .round();
        let (exports_t, imports_t) = trade.get(&country).copied().unwrap_or((None, None));
        let intensity = intensities.of(country, year);
        if intensity.is_none() {
            fallback.insert(country);
        }
        flows.push(CountryFlows { country, production_t, exports_t, imports_t, intensity });
    }
    Ok((flows, fallback))
}

/// Marks the rows of countries that fell back to the CBAM default value, saying why.
pub fn mark_fallbacks(table: &mut Exposure, fallback: &BTreeSet<CountryCode>, intensities: &IntensitySource) {
    if let Some(reason) = intensities.fallback_reason() {
        for row in table.rows.iter_mut().filter(|r| fallback.contains(&r.country)) {
            row.intensity_source = format!("{} (fallback: {reason})", row.intensity_source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_take_the_sources_intensity_or_fall_back() {
        let (ind, usa) = (CountryCode::resolve("IND").unwrap(), CountryCode::resolve("USA").unwrap());
        let source = IntensitySource::Fleet(BTreeMap::from([(ind, 1.905_645_4)]));
        let trade = Trade::from([(ind, (Some(Decimal::from(10)), None))]);
        let (flows, fallback) = country_flows([(ind, 100.4), (usa, 80.0)], &trade, &source, 2020).unwrap();
        assert_eq!(flows[0].production_t, Decimal::from(100_400));
        assert_eq!(flows[0].intensity.as_ref().map(|i| i.0), Some(Decimal::new(1_905_645, 6)));
        assert_eq!(flows[0].exports_t, Some(Decimal::from(10)));
        assert_eq!(fallback, BTreeSet::from([usa]));
        assert!(leakage_good(Sector::Cement).is_err());
        assert_eq!(leakage_good(Sector::Aluminium).unwrap().to_string(), "7601 10 00");
    }
}
