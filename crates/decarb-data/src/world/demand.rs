//! Demand paths: the sources' levels turned into tonnes per sector x region x year.

use super::{BASE_YEAR, FINAL_YEAR, World};
use crate::error::{Error, Location, Result};
use decarb_model::units::Tonnes;
use decarb_model::{Region, Sector};
use std::path::Path;

const YEARS: usize = (FINAL_YEAR - BASE_YEAR + 1) as usize;

/// Demand of every sector in every region for each year 2020..=2050.
///
/// Built from the given points of `world/demand.csv`: for each sector the path has a series per
/// region or one for the world; a region without its own series follows the world's. Between
/// given years the series is interpolated linearly. Demand in a region is its base-year
/// production times the series' value over its 2020 value, so demand in 2020 equals reported
/// production everywhere (the engine has no trade; the sources' own 2020 levels, which count
/// apparent use, are in [`DemandPath::sources`] and `world/README.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct DemandPath {
    name: String,
    /// Tonnes, `[sector][region][year - 2020]`.
    values: Vec<[[f64; YEARS]; Region::ALL.len()]>,
    sources: Vec<Vec<String>>,
}

impl DemandPath {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Demand for the sector's product in a region and year; `None` outside 2020..=2050.
    pub fn demand(&self, sector: Sector, region: Region, year: i32) -> Option<Tonnes> {
        let offset = usize::try_from(year.checked_sub(BASE_YEAR)?).ok().filter(|&i| i < YEARS)?;
        Some(Tonnes(self.values[sector.index()][region.index()][offset]))
    }

    /// Demand summed over regions; `None` outside 2020..=2050.
    pub fn world(&self, sector: Sector, year: i32) -> Option<Tonnes> {
        Region::ALL.iter().map(|&region| self.demand(sector, region, year)).sum()
    }

    /// The years covered, 2020..=2050.
    pub fn years(&self) -> std::ops::RangeInclusive<i32> {
        BASE_YEAR..=FINAL_YEAR
    }

    /// The distinct sources of the sector's points, in table order.
    pub fn sources(&self, sector: Sector) -> &[String] {
        &self.sources[sector.index()]
    }
}

pub(super) fn build(name: &str, world: &World) -> Result<DemandPath> {
    let at = || Location::file(Path::new("world/demand.csv")).column("path");
    if !world.demand.iter().any(|p| p.path == name) {
        let expected = format!("a demand path: one of {}", super::DEMAND_PATHS.join(", "));
        return Err(Error::value(at(), name, expected));
    }
    let mut values = vec![[[0.0; YEARS]; Region::ALL.len()]; Sector::ALL.len()];
    let mut sources = vec![Vec::new(); Sector::ALL.len()];
    for sector in Sector::ALL {
        let points: Vec<_> = world.demand.iter().filter(|p| p.path == name && p.sector == sector).collect();
        for point in &points {
            if !sources[sector.index()].contains(&point.source) {
                sources[sector.index()].push(point.source.clone());
            }
        }
        for region in Region::ALL {
            let base = world.production_by_region[sector.index()][region.index()];
            if base <= 0.0 {
                continue;
            }
            let own: Vec<(i32, f64)> =
                points.iter().filter(|p| p.region == Some(region)).map(|p| (p.year, p.value)).collect();
            let series = if own.is_empty() {
                points.iter().filter(|p| p.region.is_none()).map(|p| (p.year, p.value)).collect()
            } else {
                own
            };
            let missing = || {
                Error::format(
                    at(),
                    format!(
                        "demand path {name:?} has no {sector} series for {region} or the world covering \
                         {BASE_YEAR}..={FINAL_YEAR} with a positive {BASE_YEAR} value"
                    ),
                )
            };
            let start = interpolate(&series, BASE_YEAR).filter(|v| *v > 0.0).ok_or_else(missing)?;
            for (offset, year) in (BASE_YEAR..=FINAL_YEAR).enumerate() {
                let level = interpolate(&series, year).ok_or_else(missing)?;
                values[sector.index()][region.index()][offset] = base * level / start;
            }
        }
    }
    Ok(DemandPath { name: name.to_owned(), values, sources })
}

/// Linear interpolation between given (year, value) points; `None` outside their span.
fn interpolate(points: &[(i32, f64)], year: i32) -> Option<f64> {
    let mut sorted = points.to_vec();
    sorted.sort_by_key(|&(y, _)| y);
    if let Some(&(_, v)) = sorted.iter().find(|&&(y, _)| y == year) {
        return Some(v);
    }
    let after = sorted.iter().position(|&(y, _)| y > year)?;
    let (y0, v0) = *sorted.get(after.checked_sub(1)?)?;
    let (y1, v1) = sorted[after];
    Some(v0 + (v1 - v0) * f64::from(year - y0) / f64::from(y1 - y0))
}

#[cfg(test)]
mod tests {
    use super::interpolate;

    #[test]
    fn interpolation_is_linear_between_points_and_undefined_outside() {
        let points = [(2020, 100.0), (2030, 200.0), (2050, 0.0)];
        assert_eq!(interpolate(&points, 2025), Some(150.0));
        assert_eq!(interpolate(&points, 2040), Some(100.0));
        assert_eq!(interpolate(&points, 2050), Some(0.0));
        assert_eq!(interpolate(&points, 2019), None);
        assert_eq!(interpolate(&points, 2051), None);
    }
}
