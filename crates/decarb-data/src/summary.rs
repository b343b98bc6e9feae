//! Fleet summaries: plants and capacity per group (country, route, status, sector), the numbers
//! behind `decarb fleet summary`.
//!
//! Plant files: `plants` counts plants (records split by status from one GIST plant count once
//! per group), `capacity` sums the known capacities of the sector's product (crude steel, cement)
//! and `capacity_unknown` counts the plants whose capacity is `unknown`, `>0` or blank; those add
//! nothing to `capacity` and are never counted as zero silently.
//!
//! Unit files (furnaces): `units` counts units, `plants` counts distinct plant ids, `capacity`
//! sums the crude steel capacity of steelmaking units (BOF, EAF, OHF) and `iron_capacity` that of
//! ironmaking units (BF, DRI): iron and steel are never added together. `capacity_unknown` counts
//! units. The `route` of a unit is its furnace kind (`bf`, `bof`, `eaf`, `dri`, `ohf`).

use decarb_model::units::TonnesPerYear;
use decarb_model::{FurnaceUnit, Plant, PlantStatus, Reported, Sector};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

/// What records are grouped by. The column names of the output are [`GroupKey::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum GroupKey {
    /// ISO3 code; the source's own text when it matched no country.
    Country,
    /// Production route of plants; furnace kind of units.
    Route,
    Status,
    Sector,
}

impl GroupKey {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupKey::Country => "country",
            GroupKey::Route => "route",
            GroupKey::Status => "status",
            GroupKey::Sector => "sector",
        }
    }
}

impl fmt::Display for GroupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupKey {
    type Err = decarb_model::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "country" => Ok(GroupKey::Country),
            "route" | "kind" => Ok(GroupKey::Route),
            "status" => Ok(GroupKey::Status),
            "sector" => Ok(GroupKey::Sector),
            _ => Err(decarb_model::ParseError::new("group key", s, "one of country, route, status, sector")),
        }
    }
}

/// Which records to keep: empty lists keep everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub statuses: Vec<PlantStatus>,
    pub sectors: Vec<Sector>,
}

impl Filter {
    fn keeps(&self, status: PlantStatus, sector: Sector) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&status))
            && (self.sectors.is_empty() || self.sectors.contains(&sector))
    }
}

/// One group of a summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryRow {
    /// The group's values, in the order of the keys asked for.
    pub keys: Vec<String>,
    pub plants: usize,
    /// Known capacity: crude steel or cement (plants); crude steel of steelmaking units (units).
    pub capacity: TonnesPerYear,
    /// Plants (or units) of the group whose capacity is not a number.
    pub capacity_unknown: usize,
    /// Unit summaries only: number of units.
    pub units: Option<usize>,
    /// Unit summaries only: known capacity of the ironmaking units (BF, DRI).
    pub iron_capacity: Option<TonnesPerYear>,
}

/// The identity of each record as a plant: records that are status slices of one plant (same
/// source and id) share one; every other record is its own plant, even with a repeated id.
fn plant_identities(plants: &[Plant]) -> Vec<usize> {
    let mut slices: HashMap<(&str, &str), usize> = HashMap::new();
    plants
        .iter()
        .enumerate()
        .map(|(index, plant)| {
            if plant.status_slice {
                *slices.entry((&plant.source, &plant.id)).or_insert(index)
            } else {
                index
            }
        })
        .collect()
}

/// The number of plants among `plants` records.
pub fn distinct_plants(plants: &[Plant]) -> usize {
    plant_identities(plants).into_iter().collect::<BTreeSet<_>>().len()
}

fn country_key(country: Option<decarb_model::CountryCode>, text: &str) -> String {
    match country {
        Some(code) => code.as_str().to_owned(),
        None if text.trim().is_empty() => "unknown".to_owned(),
        None => text.trim().to_owned(),
    }
}

#[derive(Default)]
struct Accumulator {
    plants: BTreeSet<usize>,
    unknown: BTreeSet<usize>,
    capacity: f64,
    units: usize,
    iron: f64,
}

pub fn summarise_plants(plants: &[Plant], by: &[GroupKey], filter: &Filter) -> Vec<SummaryRow> {
    let identities = plant_identities(plants);
    let mut groups: BTreeMap<Vec<String>, Accumulator> = BTreeMap::new();
    for (plant, identity) in plants.iter().zip(identities) {
        if !filter.keeps(plant.status, plant.sector) {
            continue;
        }
        let keys = by
            .iter()
            .map(|key| match key {
                GroupKey::Country => country_key(plant.country, &plant.country_text),
                GroupKey::Route => plant.route.as_str().to_owned(),
                GroupKey::Status => plant.status.as_str().to_owned(),
                GroupKey::Sector => plant.sector.as_str().to_owned(),
            })
            .collect();
        let group = groups.entry(keys).or_default();
        group.plants.insert(identity);
        match plant.capacity {
            Reported::Value(value) => group.capacity += value.0,
            _ => {
                group.unknown.insert(identity);
            }
        }
    }
    into_rows(by, groups, false)
}

pub fn summarise_units(units: &[FurnaceUnit], by: &[GroupKey], filter: &Filter) -> Vec<SummaryRow> {
    let mut plant_index: HashMap<&str, usize> = HashMap::new();
    let mut groups: BTreeMap<Vec<String>, Accumulator> = BTreeMap::new();
    for (index, unit) in units.iter().enumerate() {
        if !filter.keeps(unit.status, Sector::Steel) {
            continue;
        }
        let next = plant_index.len();
        let plant = *plant_index.entry(&unit.plant_id).or_insert(next);
        let keys = by
            .iter()
            .map(|key| match key {
                GroupKey::Country => country_key(unit.country, &unit.country_text),
                GroupKey::Route => unit.kind.as_str().to_owned(),
                GroupKey::Status => unit.status.as_str().to_owned(),
                GroupKey::Sector => Sector::Steel.as_str().to_owned(),
            })
            .collect();
        let group = groups.entry(keys).or_default();
        group.plants.insert(plant);
        group.units += 1;
        match unit.capacity {
            Reported::Value(value) if unit.kind.makes_steel() => group.capacity += value.0,
            Reported::Value(value) => group.iron += value.0,
            _ => {
                group.unknown.insert(index);
            }
        }
    }
    into_rows(by, groups, true)
}

/// The summary's rows, one a group (with unit counts and iron capacity when `units`). Without
/// grouping keys there is always exactly one (total) row, even when nothing matched.
fn into_rows(
    by: &[GroupKey],
    mut groups: BTreeMap<Vec<String>, Accumulator>,
    units: bool,
) -> Vec<SummaryRow> {
    if by.is_empty() && groups.is_empty() {
        groups.insert(Vec::new(), Accumulator::default());
    }
    groups
        .into_iter()
        .map(|(keys, group)| SummaryRow {
            keys,
            plants: group.plants.len(),
            capacity: TonnesPerYear(group.capacity),
            capacity_unknown: group.unknown.len(),
            units: units.then_some(group.units),
            iron_capacity: units.then_some(TonnesPerYear(group.iron)),
        })
        .collect()
}
