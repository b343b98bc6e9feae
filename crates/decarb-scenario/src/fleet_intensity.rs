//! Each country's emission intensity of its bundled-world fleet (`decarb leakage exposure`'s
//! default intensity source): the technologies the engine starts every fleet row on
//! (`decarb_engine::start`), weighted by capacity. It lives here, the bridge between the bundled
//! data (`decarb_data::world`, `decarb_data::facts`) and the engine's start rules.

use decarb_model::{CountryCode, Sector};
use std::collections::BTreeMap;

/// Why no fleet intensity could be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FleetIntensityError {
    /// The sector has no product whose intensity stands for its exports (a user's choice).
    #[error("no product intensity is defined for {0} exposure")]
    NoProduct(Sector),
    /// The bundled world or technologies disagree with the start rules (a defect of decarb).
    #[error("{0} (a decarb defect)")]
    Defect(String),
}

/// The functional unit of the product whose intensity stands for a sector's exports.
fn product_unit(sector: Sector) -> Option<&'static str> {
    match sector {
        Sector::Steel => Some("t crude steel"),
        Sector::Aluminium => Some("t primary aluminium"),
        Sector::Cement | Sector::Ammonia => None,
    }
}

/// Each country's capacity-weighted direct CO2 intensity, net of capture, of its bundled-world
/// fleet of a sector, t CO2 per t of product: every fleet row takes the technology mix the
/// engine starts it on (`decarb_engine::start`, first matching rule, shares normalised as the
/// engine does), weighted by the row's capacity. Plants under construction and rows whose
/// technologies make another product (alumina refineries for aluminium) are left out.
pub fn fleet_intensities(sector: Sector) -> Result<BTreeMap<CountryCode, f64>, FleetIntensityError> {
    let unit = product_unit(sector).ok_or(FleetIntensityError::NoProduct(sector))?;
    let rules = decarb_engine::start::default_start_rules();
    // (capacity-weighted intensity, capacity) per country.
    let mut sums: BTreeMap<CountryCode, (f64, f64)> = BTreeMap::new();
    // Operating plants only: plants under construction make nothing yet.
    for row in
        decarb_data::world::fleet_rows().iter().filter(|r| r.sector == sector && r.status.is_operating())
    {
        let Some(rule) = decarb_engine::start::rule_index(&rules, row.route, row.country, row.process_name())
            .and_then(|i| rules.get(i))
        else {
            return Err(FleetIntensityError::Defect(format!(
                "no start rule for route {} in {}",
                row.route,
                row.country.as_str()
            )));
        };
        let share_total: f64 = rule.mix.iter().map(|(_, share)| share.max(0.0)).sum();
        if share_total <= 0.0 {
            continue;
        }
        for (id, share) in &rule.mix {
            let technology = decarb_data::facts::technology(id.as_str()).ok_or_else(|| {
                FleetIntensityError::Defect(format!("start technology {id} is not bundled"))
            })?;
            if technology.functional_unit != unit {
                continue;
            }
            let weight = row.capacity.0 * share.max(0.0) / share_total;
            let entry = sums.entry(row.country).or_default();
            entry.0 += weight * technology.net_direct_co2().0;
            entry.1 += weight;
        }
    }
    Ok(sums
        .into_iter()
        .filter(|(_, (_, capacity))| *capacity > 0.0)
        .map(|(country, (weighted, capacity))| (country, weighted / capacity))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::Route;

    fn country(code: &str) -> CountryCode {
        CountryCode::resolve(code).unwrap()
    }

    fn net_direct(id: &str) -> f64 {
        decarb_data::facts::technology(id).unwrap().net_direct_co2().0
    }

    /// The hand computation: capacity-weighted over the country's fleet rows, with the routes
    /// mapped as the MPP steel plant file does (average BF-BOF in China, India and South Korea,
    /// BAT elsewhere; gas DRI-EAF; scrap EAF).
    fn by_hand(code: &str, bf_bof: &str) -> f64 {
        let (mut weighted, mut capacity) = (0.0, 0.0);
        for row in decarb_data::world::fleet_rows()
            .iter()
            .filter(|r| r.sector == Sector::Steel && r.country.as_str() == code && r.status.is_operating())
        {
            let id = match row.route {
                Route::BfBof => bf_bof,
                Route::DriEaf => "steel.dri-eaf-gas",
                Route::Eaf => "steel.eaf-scrap",
                other => panic!("unexpected route {other} in {code}"),
            };
            weighted += row.capacity.0 * net_direct(id);
            capacity += row.capacity.0;
        }
        weighted / capacity
    }

    #[test]
    fn fleet_intensity_is_the_capacity_weighted_start_technology_intensity() {
        let fleet = fleet_intensities(Sector::Steel).unwrap();
        let india = fleet[&country("IND")];
        assert!((india - by_hand("IND", "steel.bf-bof-avg")).abs() < 1e-9, "{india}");
        // Operating GEM plants: 82,394 kt/yr BF-BOF at 2.434, 15,931 DRI-EAF at 0.8516, 15,347 EAF at
        // 0.1632 t/t.
        assert!((india - 1.905_645).abs() < 1e-6, "{india}");
        let usa = fleet[&country("USA")];
        assert!((usa - by_hand("USA", "steel.bf-bof-bat")).abs() < 1e-9, "{usa}");
        // 33,023 kt/yr BAT BF-BOF at 1.794, 260 DRI-EAF at 0.8516, 79,523 scrap EAF at 0.1632.
        assert!((usa - 0.642_190).abs() < 1e-6, "{usa}");
        let (scrap, average) = (net_direct("steel.eaf-scrap"), net_direct("steel.bf-bof-avg"));
        // All-EAF countries sit at the scrap-EAF value, up to float rounding of the weighting.
        for (code, value) in &fleet {
            assert!((scrap - 1e-12..=average + 1e-12).contains(value), "{}: {value}", code.as_str());
        }
        assert!(india > scrap && india < average);
        assert!(fleet.len() > 50, "{}", fleet.len());
    }

    #[test]
    fn aluminium_fleet_intensity_leaves_refineries_out() {
        let fleet = fleet_intensities(Sector::Aluminium).unwrap();
        // Smelters only: every country lies between the grid-powered smelter (2.09 t/t) and the
        // captive-coal one (16.5 t/t); a refinery (0.8 t/t alumina) would pull it below.
        let (grid, coal) = (
            net_direct("aluminium.smelter-carbon-anode-grid"),
            net_direct("aluminium.smelter-carbon-anode-coal"),
        );
        for (code, value) in &fleet {
            assert!((grid - 1e-12..=coal + 1e-12).contains(value), "{}: {value}", code.as_str());
        }
        // China's smelters run mostly on captive coal (MPP asset stack): far above grid smelting.
        let china = fleet[&country("CHN")];
        assert!(china > 8.0 && china < coal, "{china}");
        assert!(fleet_intensities(Sector::Cement).is_err());
    }
}
