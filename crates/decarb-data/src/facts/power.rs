//! Power and resource facts for pathways: grid CO2 intensity paths (`facts/power_paths.csv`),
//! clean power industry may contract (`facts/clean_power.csv`), firming cost adders
//! (`facts/firming.csv`) and resource limits of net-zero scenarios (`facts/resource_limits.csv`).

use super::{FactsError, FactsFile, bundled, interpolate, value_error};
use crate::error::Error;
use decarb_model::Region;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A grid CO2 intensity path: t CO2 per MWh by region and year, linear between anchor years and
/// held flat outside them.
#[derive(Debug, Clone)]
pub struct PowerPath {
    /// `stated-policies`, `net-zero` or `frozen`.
    pub name: String,
    /// Anchor points (year, t CO2/MWh), ascending, for every region.
    pub by_region: BTreeMap<Region, Vec<(i32, f64)>>,
    /// The source of each anchor point.
    pub sources: BTreeMap<(Region, i32), String>,
    /// The licence of each anchor point.
    pub licences: BTreeMap<(Region, i32), String>,
}

impl PowerPath {
    /// The grid factor in t CO2/MWh (interpolated; `None` only for a region the path lacks, which
    /// the tests rule out for the bundled paths).
    pub fn factor(&self, region: Region, year: i32) -> Option<f64> {
        interpolate(self.by_region.get(&region)?, year)
    }

    /// Where an anchor point comes from.
    pub fn source(&self, region: Region, year: i32) -> Option<&str> {
        self.sources.get(&(region, year)).map(String::as_str)
    }
}

/// The bundled grid-intensity paths, in file order (`stated-policies`, `net-zero`, `frozen`).
///
/// # Errors
/// None in practice (the bundled table is parsed by the tests); the `Result` keeps the facts API
/// uniform.
pub fn power_paths() -> Result<&'static [PowerPath], FactsError> {
    static PATHS: OnceLock<Vec<PowerPath>> = OnceLock::new();
    Ok(bundled(&PATHS, || parse_power_paths("power_paths.csv", include_str!("../../facts/power_paths.csv")))
        .as_slice())
}

/// One bundled grid-intensity path by name.
///
/// # Errors
/// [`FactsError::UnknownName`] for a name the table does not hold.
pub fn power_path(name: &str) -> Result<&'static PowerPath, FactsError> {
    let paths = power_paths()?;
    paths.iter().find(|p| p.name == name).ok_or_else(|| FactsError::UnknownName {
        what: "power path",
        name: name.to_owned(),
        known: paths.iter().map(|p| p.name.clone()).collect(),
    })
}

fn region_or_world(row: &super::FactsRow<'_>, column: &str) -> Result<Option<Region>, Error> {
    match row.text(column)? {
        "world" => Ok(None),
        _ => row.parsed::<Region>(column, "world or a decarb region such as europe").map(Some),
    }
}

fn parse_power_paths(file_name: &'static str, text: &str) -> Result<Vec<PowerPath>, Error> {
    let file = FactsFile::parse(
        file_name,
        text,
        &["path", "region", "year", "grid_factor_tco2_per_mwh", "source", "licence"],
    )?;
    let mut paths: Vec<PowerPath> = Vec::new();
    for row in file.rows() {
        let name = row.text("path")?;
        let region = row.parsed::<Region>("region", "a decarb region such as europe")?;
        let year = row.year("year")?;
        let value = row.number("grid_factor_tco2_per_mwh")?;
        if !(0.0..=1.2).contains(&value) {
            return Err(value_error(
                row.at("grid_factor_tco2_per_mwh"),
                row.cell("grid_factor_tco2_per_mwh"),
                "0 to 1.2 t CO2/MWh",
            ));
        }
        let (source, licence) = (row.text("source")?.to_owned(), row.text("licence")?.to_owned());
        if !paths.iter().any(|p| p.name == name) {
            paths.push(PowerPath {
                name: name.to_owned(),
                by_region: BTreeMap::new(),
                sources: BTreeMap::new(),
                licences: BTreeMap::new(),
            });
        }
        let index = paths.iter().position(|p| p.name == name).unwrap_or_default();
        let path = &mut paths[index];
        let points = path.by_region.entry(region).or_default();
        if points.last().is_some_and(|(last, _)| *last >= year) {
            return Err(value_error(
                row.at("year"),
                row.cell("year"),
                "years ascending within a path and region",
            ));
        }
        points.push((year, value));
        path.sources.insert((region, year), source);
        path.licences.insert((region, year), licence);
    }
    Ok(paths)
}

/// Clean electricity industry may contract in a year (`facts/clean_power.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct CleanPower {
    /// `None` is the world.
    pub region: Option<Region>,
    pub year: i32,
    pub quantity_twh: f64,
    pub source: String,
    pub licence: String,
}

/// The bundled clean-power rows (world, 2023-2050).
///
/// # Errors
/// None in practice (see [`power_paths`]).
pub fn clean_power() -> Result<&'static [CleanPower], FactsError> {
    static ROWS: OnceLock<Vec<CleanPower>> = OnceLock::new();
    Ok(bundled(&ROWS, || parse_clean_power("clean_power.csv", include_str!("../../facts/clean_power.csv")))
        .as_slice())
}

/// Contractable clean power in TWh/yr for a region (or the world: `None`), interpolated between
/// the bundled years and held flat outside them; `None` when no row covers it.
pub fn clean_power_twh(region: Option<Region>, year: i32) -> Option<f64> {
    let points: Vec<(i32, f64)> =
        clean_power().ok()?.iter().filter(|r| r.region == region).map(|r| (r.year, r.quantity_twh)).collect();
    interpolate(&points, year)
}

fn parse_clean_power(file_name: &'static str, text: &str) -> Result<Vec<CleanPower>, Error> {
    let file = FactsFile::parse(file_name, text, &["region", "year", "quantity_twh", "source", "licence"])?;
    let mut rows: Vec<CleanPower> = Vec::new();
    for row in file.rows() {
        let region = region_or_world(&row, "region")?;
        let year = row.year("year")?;
        if rows.last().is_some_and(|last| last.region == region && last.year >= year) {
            return Err(value_error(row.at("year"), row.cell("year"), "years ascending within a region"));
        }
        let quantity_twh = row.number("quantity_twh")?;
        if quantity_twh < 0.0 {
            return Err(value_error(row.at("quantity_twh"), row.cell("quantity_twh"), "a quantity >= 0"));
        }
        rows.push(CleanPower {
            region,
            year,
            quantity_twh,
            source: row.text("source")?.to_owned(),
            licence: row.text("licence")?.to_owned(),
        });
    }
    Ok(rows)
}

/// One firming cost item (`facts/firming.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct FirmingItem {
    pub item: String,
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub licence: String,
}

/// The bundled firming items (`firming_adder` and its low/high ends, storage-hybrid premiums).
///
/// # Errors
/// None in practice (see [`power_paths`]).
pub fn firming() -> Result<&'static [FirmingItem], FactsError> {
    static ROWS: OnceLock<Vec<FirmingItem>> = OnceLock::new();
    Ok(bundled(&ROWS, || parse_firming("firming.csv", include_str!("../../facts/firming.csv"))).as_slice())
}

/// One firming item by name, e.g. `firming_adder` (USD/MWh added to VRE supplying a 24/7 load).
///
/// # Errors
/// [`FactsError::UnknownName`] for an item the table does not hold.
pub fn firming_item(item: &str) -> Result<&'static FirmingItem, FactsError> {
    let rows = firming()?;
    rows.iter().find(|r| r.item == item).ok_or_else(|| FactsError::UnknownName {
        what: "firming item",
        name: item.to_owned(),
        known: rows.iter().map(|r| r.item.clone()).collect(),
    })
}

fn parse_firming(file_name: &'static str, text: &str) -> Result<Vec<FirmingItem>, Error> {
    let file = FactsFile::parse(file_name, text, &["item", "value", "unit", "source", "licence"])?;
    let mut rows: Vec<FirmingItem> = Vec::new();
    for row in file.rows() {
        let item = row.text("item")?.to_owned();
        if rows.iter().any(|r| r.item == item) {
            return Err(value_error(row.at("item"), &item, "each item once"));
        }
        let unit = row.text("unit")?;
        if unit != "USD/MWh" {
            return Err(value_error(row.at("unit"), unit, "USD/MWh"));
        }
        rows.push(FirmingItem {
            item,
            value: row.number("value")?,
            unit: unit.to_owned(),
            source: row.text("source")?.to_owned(),
            licence: row.text("licence")?.to_owned(),
        });
    }
    Ok(rows)
}

/// One resource limit (`facts/resource_limits.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceLimit {
    /// The scenario set, `net-zero`.
    pub set: String,
    /// `co2_storage`, `biomass`, `hydrogen`, `electrolysis_additions`.
    pub resource: String,
    /// `None` is the world.
    pub region: Option<Region>,
    pub year: i32,
    pub quantity: f64,
    /// `Mt CO2/yr`, `EJ/yr`, `Mt H2/yr`, or `as MPP (unit not stated)`.
    pub unit: String,
    pub source: String,
    pub licence: String,
}

/// The bundled resource limits.
///
/// # Errors
/// None in practice (see [`power_paths`]).
pub fn resource_limits() -> Result<&'static [ResourceLimit], FactsError> {
    static ROWS: OnceLock<Vec<ResourceLimit>> = OnceLock::new();
    Ok(bundled(&ROWS, || {
        parse_resource_limits("resource_limits.csv", include_str!("../../facts/resource_limits.csv"))
    })
    .as_slice())
}

/// A resource limit of a set for a region (or the world: `None`), interpolated between the bundled
/// years and held flat outside them; `None` when no row covers it.
pub fn resource_limit(set: &str, resource: &str, region: Option<Region>, year: i32) -> Option<f64> {
    let points: Vec<(i32, f64)> = resource_limits()
        .ok()?
        .iter()
        .filter(|r| r.set == set && r.resource == resource && r.region == region)
        .map(|r| (r.year, r.quantity))
        .collect();
    interpolate(&points, year)
}

fn parse_resource_limits(file_name: &'static str, text: &str) -> Result<Vec<ResourceLimit>, Error> {
    let file = FactsFile::parse(
        file_name,
        text,
        &["set", "resource", "region", "year", "quantity", "unit", "source", "licence"],
    )?;
    let mut rows: Vec<ResourceLimit> = Vec::new();
    for row in file.rows() {
        let (set, resource) = (row.text("set")?.to_owned(), row.text("resource")?.to_owned());
        let region = region_or_world(&row, "region")?;
        let year = row.year("year")?;
        let quantity = row.number("quantity")?;
        if quantity < 0.0 {
            return Err(value_error(row.at("quantity"), row.cell("quantity"), "a quantity >= 0"));
        }
        if rows
            .last()
            .is_some_and(|l| l.set == set && l.resource == resource && l.region == region && l.year >= year)
        {
            return Err(value_error(
                row.at("year"),
                row.cell("year"),
                "years ascending within a set, resource and region",
            ));
        }
        rows.push(ResourceLimit {
            set,
            resource,
            region,
            year,
            quantity,
            unit: row.text("unit")?.to_owned(),
            source: row.text("source")?.to_owned(),
            licence: row.text("licence")?.to_owned(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::dataset;

    #[test]
    fn power_paths_cover_every_region_at_every_anchor_with_sources() {
        let paths = power_paths().unwrap();
        let names: Vec<&str> = paths.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["stated-policies", "net-zero", "frozen"]);
        for path in paths {
            let anchors: &[i32] = match path.name.as_str() {
                "frozen" => &[2020],
                "net-zero" => &[2020, 2023, 2030, 2035, 2040, 2050],
                _ => &[2020, 2023, 2030, 2040, 2050],
            };
            assert_eq!(path.by_region.len(), Region::ALL.len(), "{}", path.name);
            for region in Region::ALL {
                let years: Vec<i32> = path.by_region[&region].iter().map(|(y, _)| *y).collect();
                assert_eq!(years, anchors, "{} {region}", path.name);
                for year in anchors {
                    assert!(
                        path.source(region, *year).is_some_and(|s| s.len() > 20),
                        "{} {region} {year}",
                        path.name
                    );
                    assert!(!path.licences[&(region, *year)].is_empty());
                }
                for (_, v) in &path.by_region[&region] {
                    assert!((0.0..=1.2).contains(v), "{} {region} {v}", path.name);
                }
            }
        }
        assert!(power_path("nope").is_err());
    }

    #[test]
    fn power_paths_are_plausible() {
        let sp = power_path("stated-policies").unwrap();
        let nz = power_path("net-zero").unwrap();
        let frozen = power_path("frozen").unwrap();
        for region in Region::ALL {
            let (h2020, h2023) = (sp.factor(region, 2020).unwrap(), sp.factor(region, 2023).unwrap());
            // Ember 2020 regional means lie between hydro-rich Latin America (~0.23) and India (~0.70).
            assert!((0.15..=0.8).contains(&h2020), "{region} {h2020}");
            // History is shared by the paths; frozen holds 2020.
            assert_eq!(nz.factor(region, 2020), Some(h2020));
            assert_eq!(nz.factor(region, 2023), Some(h2023));
            assert_eq!(frozen.factor(region, 2050), Some(h2020));
            // Net zero reaches 0 by 2040 everywhere and is never above stated policies after 2023.
            assert_eq!(nz.factor(region, 2040), Some(0.0), "{region}");
            for year in 2024..=2050 {
                assert!(
                    nz.factor(region, year).unwrap() <= sp.factor(region, year).unwrap() + 1e-9,
                    "{region} {year}"
                );
            }
            // Stated policies decline after 2023.
            assert!(sp.factor(region, 2050).unwrap() < h2023, "{region}");
        }
        // Advanced economies (IEA NZE milestone): net zero electricity by 2035.
        for region in [Region::Europe, Region::NorthAmerica, Region::JapanKoreaTaiwan] {
            assert_eq!(nz.factor(region, 2035), Some(0.0));
        }
        assert!(nz.factor(Region::China, 2035).unwrap() > 0.0);
        // Spot values: Ember-weighted 2020 means (tools/gen_power_paths.py).
        assert!((sp.factor(Region::India, 2020).unwrap() - 0.7024).abs() < 1e-9);
        assert!((sp.factor(Region::Europe, 2020).unwrap() - 0.2704).abs() < 1e-9);
    }

    #[test]
    fn a_factor_out_of_range_is_an_error() {
        let text = "path,region,year,grid_factor_tco2_per_mwh,source,licence\nx,europe,2020,1.5,s,l\n";
        let err = parse_power_paths("demo.csv", text).unwrap_err().to_string();
        assert!(err.contains("grid_factor_tco2_per_mwh") && err.contains("1.5"), "{err}");
        let text = "path,region,year,grid_factor_tco2_per_mwh,source,licence\nx,atlantis,2020,0.5,s,l\n";
        assert!(parse_power_paths("demo.csv", text).is_err());
        let text = "path,region,year,grid_factor_tco2_per_mwh,source,licence\nx,europe,2020,0.5,,l\n";
        assert!(parse_power_paths("demo.csv", text).is_err());
    }

    #[test]
    fn clean_power_and_firming_parse_with_sources() {
        let rows = clean_power().unwrap();
        assert_eq!(rows.len(), 4);
        assert!(
            rows.iter()
                .all(|r| r.region.is_none() && r.source.contains("BloombergNEF") && !r.licence.is_empty())
        );
        // 198 GW x 8.76 x 0.285 = 494.3 TWh in 2023; grows with 46 GW/yr of new contracts.
        assert!((clean_power_twh(None, 2023).unwrap() - 494.3).abs() < 0.1);
        assert!(clean_power_twh(None, 2050).unwrap() > clean_power_twh(None, 2030).unwrap());
        assert_eq!(clean_power_twh(Some(Region::Europe), 2030), None);
        let adder = firming_item("firming_adder").unwrap();
        assert!((adder.value - 25.0).abs() < 1e-9 && adder.unit == "USD/MWh");
        let (low, high) =
            (firming_item("firming_adder_low").unwrap(), firming_item("firming_adder_high").unwrap());
        assert!(low.value <= adder.value && adder.value <= high.value);
        assert!(
            firming()
                .unwrap()
                .iter()
                .all(|r| (0.0..=200.0).contains(&r.value) && r.source.contains("Lazard"))
        );
        assert!(firming_item("nope").is_err());
    }

    #[test]
    fn resource_limits_parse_with_sources_and_plausible_values() {
        let rows = resource_limits().unwrap();
        assert_eq!(rows.len(), 48);
        for r in rows {
            assert_eq!(r.set, "net-zero");
            assert!(r.source.len() > 20 && !r.licence.is_empty(), "{r:?}");
            let max = match r.unit.as_str() {
                "Mt CO2/yr" => 10_000.0,
                "EJ/yr" => 100.0,
                "Mt H2/yr" => 600.0,
                _ => 1_000.0,
            };
            assert!((0.0..=max).contains(&r.quantity), "{r:?}");
        }
        for region in Region::ALL {
            for year in [2025, 2030, 2035] {
                assert!(
                    resource_limit("net-zero", "co2_storage", Some(region), year).is_some(),
                    "{region} {year}"
                );
            }
        }
        // The world limit is the NZE's capture in industry (NZR 2023), rising from 2022's 4 Mt, not
        // its all-sector total held flat back to the base year.
        assert_eq!(resource_limit("net-zero", "co2_storage", None, 2020), Some(4.0));
        assert_eq!(resource_limit("net-zero", "co2_storage", None, 2026), Some(137.0));
        assert_eq!(resource_limit("net-zero", "co2_storage", None, 2050), Some(2384.0));
        assert_eq!(resource_limit("net-zero", "hydrogen", None, 2050), Some(41.0));
        assert_eq!(resource_limit("net-zero", "biomass", None, 2030), Some(7.0));
        // Announced storage by 2030 (all sectors, IEA CCUS database) is a fraction of the NZE's
        // all-sector 2030 capture (1,024 Mt, NZR 2023) and more than its capture in industry.
        let announced: f64 = Region::ALL
            .iter()
            .map(|r| resource_limit("net-zero", "co2_storage", Some(*r), 2030).unwrap())
            .sum();
        assert!((270.0..1024.0).contains(&announced), "{announced}");
    }

    /// The transcribed MPP numbers agree with the shared MPP files.
    #[test]
    fn mpp_transcriptions_equal_the_shared_files() {
        use calamine::{Data, Reader as _};
        if let Some(dir) = dataset("mpp-shared-code") {
            let path = dir.join("ammonia/electrolysis_capacity_addition_constraint.csv");
            let text = std::fs::read_to_string(path).unwrap();
            let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let mut checked = 0;
            for record in reader.records() {
                let r = record.unwrap();
                let year: i32 = r[3].parse().unwrap();
                if let Some(ours) = resource_limit("net-zero", "electrolysis_additions", None, year)
                    && [2025, 2030, 2040, 2050].contains(&year)
                {
                    let theirs: f64 = r[4].parse().unwrap();
                    assert!((ours - theirs).abs() < 0.01, "{year}: {ours} vs {theirs}");
                    checked += 1;
                }
            }
            assert_eq!(checked, 4);
        }
        let Some(dir) = dataset("mpp-steel-model") else { return };
        let mut book = calamine::open_workbook_auto(dir.join("inputs/Bio Model.xlsx")).unwrap();
        let range = book.worksheet_range("Biomass_constraint").unwrap();
        let mut rows = range.rows();
        let header: Vec<String> = rows.next().unwrap().iter().map(ToString::to_string).collect();
        let col = |name: &str| header.iter().position(|h| h == name).unwrap();
        for year in [2020, 2030, 2040, 2050] {
            let sum: f64 = range
                .rows()
                .skip(1)
                .filter(|r| r[col("Scenario")] == "Prudent")
                .filter(|r| ["Steel", "Cement", "Aluminium"].contains(&r[col("Sector")].to_string().trim()))
                .map(|r| match &r[col(&year.to_string())] {
                    Data::Float(f) => *f,
                    Data::Int(i) => *i as f64,
                    other => panic!("{other:?}"),
                })
                .sum();
            assert_eq!(resource_limit("net-zero", "biomass", None, year), Some(sum), "{year}");
        }
    }

    /// The co2_storage rows agree with the IEA CCUS Projects Database (tools/gen_resource_limits.py).
    #[test]
    fn co2_storage_rows_equal_the_ccus_database() {
        let Some(dir) = dataset("iea-ccus-projects-2025") else { return };
        let mut reader = csv::Reader::from_path(dir.join("ccus_projects.csv")).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (ty, status, stop, fate, cap, op, country) = (
            col("Project type"),
            col("Project Status"),
            col("Suspension/decommissioning/cancellation"),
            col("Fate of carbon"),
            col("Estimated capacity by IEA (Mt CO2/yr)"),
            col("Operation"),
            col("Country or economy"),
        );
        let mut expected: BTreeMap<(Region, i32), f64> = BTreeMap::new();
        for record in reader.records() {
            let r = record.unwrap();
            if !["Storage", "T&S", "Full chain", "Full Chain"].contains(&r[ty].trim())
                || !["Operational", "Under construction", "Planned"].contains(&r[status].trim())
                || !r[stop].trim().is_empty()
                || ["EOR", "Use", "Use low impact", "Vented"].contains(&r[fate].trim())
                || r[cap].trim().is_empty()
                || r[op].trim().is_empty()
            {
                continue;
            }
            let host = r[country].rsplit('-').next().unwrap().trim();
            let code = match host {
                "Island" => "ISL",
                "Lybia" => "LBY",
                "People's Republic of China" => "CHN",
                "Timor Leste" => "TLS",
                other => other,
            };
            let region =
                decarb_model::CountryCode::resolve(code).unwrap_or_else(|| panic!("{host}")).region();
            let start: i32 = r[op].trim().trim_end_matches(".0").parse().unwrap();
            let capacity: f64 = r[cap].trim().parse().unwrap();
            for year in [2025, 2030, 2035] {
                if start <= year {
                    *expected.entry((region, year)).or_default() += capacity;
                }
            }
        }
        for region in Region::ALL {
            for year in [2025, 2030, 2035] {
                let bundled = resource_limit("net-zero", "co2_storage", Some(region), year).unwrap();
                let want = expected.get(&(region, year)).copied().unwrap_or(0.0);
                assert!((bundled - want).abs() < 1e-3, "{region} {year}: {bundled} vs {want}");
            }
        }
    }
}
