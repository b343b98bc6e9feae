//! What the engine runs on: the world (fleet, technologies, price sets, carbon price paths,
//! demand paths, grid factors, start-technology rules) as plain data. The caller assembles it from
//! bundled facts or imported files; the engine never reads a file.

use decarb_model::{
    Commodity, CountryCode, ElectricitySupply, Fleet, Region, Route, Sector, TechId, Technology,
};
use std::collections::BTreeMap;

/// A quantity over time given at anchor years: linear between anchors, held flat before the first
/// and after the last. An empty series is zero everywhere.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    points: Vec<(i32, f64)>,
}

impl Series {
    /// Anchors in any order; a repeated year keeps the last value given.
    pub fn new(points: impl IntoIterator<Item = (i32, f64)>) -> Series {
        let mut by_year = BTreeMap::new();
        for (year, value) in points {
            by_year.insert(year, value);
        }
        Series { points: by_year.into_iter().collect() }
    }

    pub fn constant(value: f64) -> Series {
        Series { points: vec![(2000, value)] }
    }

    pub fn points(&self) -> &[(i32, f64)] {
        &self.points
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The value in `year`.
    pub fn at(&self, year: i32) -> f64 {
        let Some(&(first_year, first)) = self.points.first() else { return 0.0 };
        if year <= first_year {
            return first;
        }
        for pair in self.points.windows(2) {
            let ((y0, v0), (y1, v1)) = (pair[0], pair[1]);
            if year <= y1 {
                let t = f64::from(year - y0) / f64::from(y1 - y0);
                return v0 + t * (v1 - v0);
            }
        }
        self.points.last().map_or(0.0, |&(_, v)| v)
    }

    /// Every value multiplied by `factor`.
    #[must_use]
    pub fn scaled(&self, factor: f64) -> Series {
        Series { points: self.points.iter().map(|&(y, v)| (y, v * factor)).collect() }
    }
}

/// Commodity prices per region and year, in each commodity's [`Commodity::price_unit`], plus the
/// cost of transporting and storing captured CO2.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceSet {
    pub name: String,
    pub source: String,
    /// Every commodity but electricity; a missing entry means the set has no price for it (the
    /// run counts it at zero and says so in [`crate::Outcome::warnings`]).
    pub prices: BTreeMap<(Region, Commodity), Series>,
    /// Electricity, USD/MWh, by how a route is supplied.
    pub electricity: BTreeMap<(Region, ElectricitySupply), Series>,
    /// CO2 transport and storage, USD per t CO2 captured.
    pub co2_transport_storage: BTreeMap<Region, Series>,
    /// A cost per tonne of product added to a technology's operating cost in a region, USD/t,
    /// for sources that give a route's operating cost by region and year rather than as inputs
    /// x prices (the MPP ammonia model's variable and fixed opex). Empty for most price sets.
    pub technology_costs: BTreeMap<(Region, TechId), Series>,
}

/// A carbon price path, USD per t CO2, per region.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CarbonPath {
    pub name: String,
    pub source: String,
    pub by_region: BTreeMap<Region, Series>,
}

/// Demand for each sector's product (t crude steel, t cement, t primary aluminium, t NH3) per
/// region and year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DemandPath {
    pub name: String,
    pub source: String,
    pub demand: BTreeMap<(Sector, Region), Series>,
}

/// A named ratio over time, such as the clinker-to-cement ratio (t clinker per t cement).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RatioPath {
    pub name: String,
    pub source: String,
    pub ratio: Series,
}

/// Grid emission factors, t CO2 per MWh, per region: a power path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GridFactors {
    /// The path's name (`stated-policies`, `net-zero`); scenarios name it in `power_path`.
    pub name: String,
    pub source: String,
    pub by_region: BTreeMap<Region, Series>,
}

/// How a plant's reported route becomes its base-year technology. The first rule whose route
/// matches and whose country and region lists (empty = any) contain the plant applies. Within a
/// (route, region) the plants, in id order, are given the mix's technologies so that their
/// capacity shares follow the mix as closely as whole plants allow (see [`crate::fleet`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StartRule {
    pub route: Route,
    pub countries: Vec<CountryCode>,
    pub regions: Vec<Region>,
    /// Technologies and their capacity shares (summing to 1).
    pub mix: Vec<(TechId, f64)>,
    pub source: String,
    /// Plant processes ([`decarb_model::Plant::process`]) the rule applies to; empty = any.
    pub processes: Vec<String>,
}

impl StartRule {
    pub fn matches(
        &self,
        route: Route,
        country: Option<CountryCode>,
        region: Region,
        process: Option<&str>,
    ) -> bool {
        self.route == route
            && (self.countries.is_empty() || country.is_some_and(|c| self.countries.contains(&c)))
            && (self.regions.is_empty() || self.regions.contains(&region))
            && (self.processes.is_empty() || process.is_some_and(|p| self.processes.iter().any(|q| q == p)))
    }
}

/// Everything a scenario runs on. Scenarios refer to price sets, carbon paths, demand paths and
/// clinker-ratio paths by name.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub technologies: Vec<Technology>,
    pub fleet: Fleet,
    pub price_sets: Vec<PriceSet>,
    pub carbon_paths: Vec<CarbonPath>,
    pub demand_paths: Vec<DemandPath>,
    pub clinker_ratios: Vec<RatioPath>,
    /// The power path of scenarios that name none.
    pub grid_factors: GridFactors,
    /// Named power paths a scenario may choose with `power_path`.
    pub power_paths: Vec<GridFactors>,
    /// Named sets of resource limits a scenario may add with `limit_set`.
    pub limit_sets: Vec<LimitSet>,
    pub start_rules: Vec<StartRule>,
    /// Utilisation bounds per sector (a scenario may override them).
    pub utilisation: BTreeMap<Sector, crate::settings::UtilisationBounds>,
}

/// A named set of resource limits with their sources (a scenario adds them to its own).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LimitSet {
    pub name: String,
    pub source: String,
    pub limits: Vec<crate::scenario::ResolvedLimit>,
}

impl World {
    /// The power path named `name`.
    pub fn power_path(&self, name: &str) -> Option<&GridFactors> {
        self.power_paths.iter().find(|p| p.name == name)
    }
    /// The limit set named `name`.
    pub fn limit_set(&self, name: &str) -> Option<&LimitSet> {
        self.limit_sets.iter().find(|s| s.name == name)
    }
    pub fn technology(&self, id: &str) -> Option<&Technology> {
        self.technologies.iter().find(|t| t.id.as_str() == id)
    }
    pub fn price_set(&self, name: &str) -> Option<&PriceSet> {
        self.price_sets.iter().find(|p| p.name == name)
    }
    pub fn carbon_path(&self, name: &str) -> Option<&CarbonPath> {
        self.carbon_paths.iter().find(|p| p.name == name)
    }
    pub fn demand_path(&self, name: &str) -> Option<&DemandPath> {
        self.demand_paths.iter().find(|p| p.name == name)
    }
    pub fn clinker_ratio(&self, name: &str) -> Option<&RatioPath> {
        self.clinker_ratios.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the values are exact by construction
mod tests {
    use super::*;

    #[test]
    fn series_interpolate_linearly_and_hold_flat_outside() {
        let s = Series::new([(2030, 130.0), (2020, 30.0), (2050, 250.0)]);
        assert_eq!(s.at(2010), 30.0);
        assert_eq!(s.at(2025), 80.0);
        assert_eq!(s.at(2040), 190.0);
        assert_eq!(s.at(2060), 250.0);
        assert_eq!(Series::default().at(2030), 0.0);
        assert_eq!(s.scaled(2.0).at(2025), 160.0);
    }
}
