//! Results by region, country or owner, from the per-plant pathways of a run
//! ([`Outcome::plants`]) and the fleet the run was given (`World::fleet`). Pure: no I/O.
//!
//! Every plant row of a run goes to one or more groups, so a year's groups of a sector add up to
//! the sector's world row in [`Outcome::summary`] (production and capacity of the sector's main
//! product line, emissions of all its lines; see [`PlantPathway`]).
//!
//! - **Region**: the plant's region (as in the summary rows).
//! - **Country**: the plant's ISO 3166-1 alpha-3 code. A plant the engine built gets the country
//!   with the most open capacity of its line in its region when it was built;
//!   [`COUNTRY_UNKNOWN`] if that region had none.
//! - **Owner**: the plant's parents (GEM "Parent") where given, else its owners (GEM "Owner", SFI's
//!   owner for cement), each with its share of the plant:
//!   - a stated share (`Name [49.0%]`) is used as stated;
//!   - **assumption**: where no share is stated, the plant (or what the stated shares leave) is
//!     split equally among the holders without one. Sources rarely state shares for joint
//!     holdings ("Salzgitter AG; thyssenkrupp AG; Vallourec SA"); an equal split is the neutral
//!     choice. [`Attribution::plants_with_assumed_shares`] counts the plants it touched;
//!   - what stated shares leave unassigned (all shares stated, summing below 100 %), and holders
//!     named "small shareholder(s)", "natural person(s)" (GEM's private individuals), "other(s)",
//!     "unknown" or left blank, go to [`OTHER_HOLDERS`];
//!   - a plant with neither parents nor owners goes to [`OWNER_UNKNOWN`];
//!   - a plant the engine built goes to [`NEW_CAPACITY`].
//!
//!   Owner names are normalised only by trimming white space: "ArcelorMittal SA" and
//!   "ArcelorMittal" are two groups.
//!
//! Plants are matched to the fleet by [`PlantPathway::fleet_index`] (checked against the id), else
//! by id.
//!
//! [`owner_pathway`] gives a company's share-weighted pathway (owner names chosen by a
//! predicate), [`country_pathway`] a country's pathway from its own plants.

use crate::outcome::{Outcome, PlantPathway};
use decarb_model::units::{Tonnes, TonnesCo2, TonnesPerYear};
use decarb_model::{CountryCode, Fleet, Ownership, Plant, Sector};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Group of the plants the engine built, by owner.
pub const NEW_CAPACITY: &str = "(new capacity)";
/// Group of the plants without parents or owners, by owner.
pub const OWNER_UNKNOWN: &str = "(owner unknown)";
/// Group of unnamed holders, small shareholders and shares the source leaves unassigned.
pub const OTHER_HOLDERS: &str = "(other holders)";
/// Group of plants without a country (engine-built plants in a region without plants).
pub const COUNTRY_UNKNOWN: &str = "(country unknown)";

/// What to break results down by: `region` (the default; a run's summary holds the regions),
/// `country` (ISO 3166-1 alpha-3 codes) or `owner` (GEM parents where given, else owners, at their
/// stated shares; unstated shares split equally; docs/scenario-format.md, "Breakdowns"). The one
/// definition for `decarb run --by` (feature `clap`) and the API's `by` (feature `openapi`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    Region,
    Country,
    Owner,
}

impl GroupBy {
    pub const ALL: [GroupBy; 3] = [GroupBy::Region, GroupBy::Country, GroupBy::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Region => "region",
            GroupBy::Country => "country",
            GroupBy::Owner => "owner",
        }
    }
}

impl std::fmt::Display for GroupBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GroupBy::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| format!("unknown breakdown {s:?}; known: region, country, owner"))
    }
}

/// Yearly totals of one sector in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    pub year: i32,
    pub sector: Sector,
    /// Region name, ISO alpha-3 country code, or owner name (or one of the bracketed groups).
    pub group: String,
    pub production: Tonnes,
    pub capacity: TonnesPerYear,
    pub direct_emissions: TonnesCo2,
    pub captured: TonnesCo2,
    pub indirect_emissions: TonnesCo2,
}

/// How the plants of an owner breakdown were attributed (counts of plants of the run, each
/// counted once; zero for region and country breakdowns).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// Plants split equally among holders without a stated share (the module's assumption).
    pub plants_with_assumed_shares: usize,
    /// Plants of the fleet with neither parents nor owners.
    pub plants_owner_unknown: usize,
    /// Plants with a part in [`OTHER_HOLDERS`].
    pub plants_with_other_holders: usize,
    /// Plants the engine built.
    pub plants_new_capacity: usize,
}

/// Results broken down by a key: rows in order of year, sector, then group name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub by: GroupBy,
    pub rows: Vec<GroupRow>,
    pub attribution: Attribution,
}

impl Breakdown {
    /// The note an output shows beside an owner breakdown (empty for other breakdowns).
    pub fn note(&self) -> String {
        if self.by != GroupBy::Owner {
            return String::new();
        }
        let a = &self.attribution;
        format!(
            "owners: parents where given, else owners, with stated shares; {} plants split equally among holders \
without a stated share (assumed); {} plants with part of their shares in {OTHER_HOLDERS}; {} plants {OWNER_UNKNOWN}; \
{} plants {NEW_CAPACITY}",
            a.plants_with_assumed_shares,
            a.plants_with_other_holders,
            a.plants_owner_unknown,
            a.plants_new_capacity
        )
    }
}

impl Breakdown {
    /// The `n` groups of a sector with the most direct emissions in `year` (ties: by name), most
    /// first. For tables that show the largest groups and a [`Breakdown::rows_with_rest`] row.
    pub fn top_groups(&self, sector: Sector, year: i32, n: usize) -> Vec<String> {
        let mut rows: Vec<&GroupRow> =
            self.rows.iter().filter(|r| r.sector == sector && r.year == year).collect();
        rows.sort_by(|a, b| {
            b.direct_emissions.0.total_cmp(&a.direct_emissions.0).then_with(|| a.group.cmp(&b.group))
        });
        rows.into_iter().take(n).map(|r| r.group.clone()).collect()
    }

    /// The rows of `groups` of a sector in a year, in that order (zeros for a group without a row
    /// that year), then one row named `rest` holding every other group (none if there is nothing
    /// else).
    pub fn rows_with_rest(&self, sector: Sector, year: i32, groups: &[String], rest: &str) -> Vec<GroupRow> {
        let zero = |group: &str| GroupRow {
            year,
            sector,
            group: group.to_owned(),
            production: Tonnes(0.0),
            capacity: TonnesPerYear(0.0),
            direct_emissions: TonnesCo2(0.0),
            captured: TonnesCo2(0.0),
            indirect_emissions: TonnesCo2(0.0),
        };
        let of_year: Vec<&GroupRow> =
            self.rows.iter().filter(|r| r.sector == sector && r.year == year).collect();
        let mut out: Vec<GroupRow> = groups
            .iter()
            .map(|g| of_year.iter().find(|r| &r.group == g).map_or_else(|| zero(g), |r| (*r).clone()))
            .collect();
        let others: Vec<&&GroupRow> = of_year.iter().filter(|r| !groups.contains(&r.group)).collect();
        if !others.is_empty() {
            let mut row = zero(rest);
            for r in others {
                row.production.0 += r.production.0;
                row.capacity.0 += r.capacity.0;
                row.direct_emissions.0 += r.direct_emissions.0;
                row.captured.0 += r.captured.0;
                row.indirect_emissions.0 += r.indirect_emissions.0;
            }
            out.push(row);
        }
        out
    }
}

/// How a group reads in a table: a country as "India (IND)", anything else as it is.
pub fn group_label(by: GroupBy, group: &str) -> String {
    match (by, CountryCode::resolve(group)) {
        (GroupBy::Country, Some(code)) => format!("{} ({group})", code.name()),
        _ => group.to_owned(),
    }
}

/// One year of one sector of a group's pathway.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayPoint {
    pub year: i32,
    pub sector: Sector,
    pub production: Tonnes,
    pub capacity: TonnesPerYear,
    pub direct_emissions: TonnesCo2,
    pub captured: TonnesCo2,
    pub indirect_emissions: TonnesCo2,
}

/// Breaks a run's results down by `by`. Needs the run's per-plant pathways (a run that
/// recorded plants: [`crate::run`]); returns no rows otherwise.
pub fn breakdown(outcome: &Outcome, fleet: &Fleet, by: GroupBy) -> Breakdown {
    let (sums, attribution) = group_series(outcome, fleet, by);
    let years = years_of(outcome);
    let mut rows = Vec::with_capacity(years * sums.len());
    for yi in 0..years {
        for ((sector, group), series) in &sums {
            let v = series[yi];
            rows.push(GroupRow {
                year: outcome.base_year + i32::try_from(yi).unwrap_or(i32::MAX),
                sector: *sector,
                group: group.clone(),
                production: Tonnes(v[0]),
                capacity: TonnesPerYear(v[1]),
                direct_emissions: TonnesCo2(v[2]),
                captured: TonnesCo2(v[3]),
                indirect_emissions: TonnesCo2(v[4]),
            });
        }
    }
    Breakdown { by, rows, attribution }
}

/// Yearly sums per (sector, group), by year index: production, capacity, direct, captured,
/// indirect.
pub(crate) type GroupSeries = BTreeMap<(Sector, String), Vec<[f64; 5]>>;

/// Yearly sums per (sector, group): production, capacity, direct, captured, indirect by year
/// index. One map lookup per plant and group, not per year.
pub(crate) fn group_series(outcome: &Outcome, fleet: &Fleet, by: GroupBy) -> (GroupSeries, Attribution) {
    let lookup = FleetLookup::new(fleet);
    let years = years_of(outcome);
    let mut sums = GroupSeries::new();
    let mut attribution = Attribution::default();
    for plant in &outcome.plants {
        let groups: Vec<(String, f64)> = match by {
            GroupBy::Region => vec![(plant.region.as_str().to_owned(), 1.0)],
            GroupBy::Country => vec![(country_group(plant), 1.0)],
            GroupBy::Owner => {
                let shares = owner_shares(plant, &lookup);
                attribution.add(&shares);
                shares.parts
            }
        };
        for (group, share) in groups {
            let series = sums.entry((plant.sector, group)).or_insert_with(|| vec![[0.0; 5]; years]);
            for (yi, e) in series.iter_mut().enumerate() {
                add_year(e, plant, yi, share);
            }
        }
    }
    (sums, attribution)
}

/// A company's pathway: each plant's share held by the owners `matches` accepts (owner names as
/// [`breakdown`] attributes them: parents where given, else owners; trimmed), summed per year and
/// sector. One point per year for each sector in which a matching owner holds any plant; empty if
/// none does.
pub fn owner_pathway(outcome: &Outcome, fleet: &Fleet, matches: impl Fn(&str) -> bool) -> Vec<PathwayPoint> {
    let lookup = FleetLookup::new(fleet);
    pathway(outcome, |plant| {
        owner_shares(plant, &lookup).parts.iter().filter(|(name, _)| matches(name)).map(|(_, s)| s).sum()
    })
}

/// A company's plants and pathway for pledge alignment: the company holds a plant through its
/// parents or through its owners, whichever gives the larger share (a member may be the group
/// parent, "Dalmia Bharat Ltd", or the operating owner, "Dalmia Cement (Bharat) Ltd"; the
/// tracker names one or both). Shares as [`breakdown`] reads them. Returns the number of plants
/// held in any part and the share-weighted pathway (as [`owner_pathway`]).
pub fn company_pathway(
    outcome: &Outcome,
    fleet: &Fleet,
    matches: impl Fn(&str) -> bool,
) -> (usize, Vec<PathwayPoint>) {
    let lookup = FleetLookup::new(fleet);
    let share_of = |plant: &PlantPathway| -> f64 {
        let Some(source) = lookup.find(plant).filter(|_| !plant.is_new_build()) else { return 0.0 };
        let via = |holders: &[Ownership]| -> f64 {
            if holders.is_empty() {
                return 0.0;
            }
            holder_shares(holders).parts.iter().filter(|(name, _)| matches(name)).map(|(_, s)| s).sum()
        };
        via(&source.parents).max(via(&source.owners))
    };
    let plants = outcome.plants.iter().filter(|p| share_of(p) > 0.0).count();
    (plants, pathway(outcome, share_of))
}

/// A country's pathway from its own plants (and plants the engine built and assigned to it). One
/// point per year for each sector in which the country has a plant; empty if it has none.
pub fn country_pathway(outcome: &Outcome, country: CountryCode) -> Vec<PathwayPoint> {
    pathway(outcome, |plant| if plant.country == Some(country) { 1.0 } else { 0.0 })
}

fn pathway(outcome: &Outcome, share_of: impl Fn(&PlantPathway) -> f64) -> Vec<PathwayPoint> {
    let years = years_of(outcome);
    let mut sums: BTreeMap<Sector, Vec<[f64; 5]>> = BTreeMap::new();
    for plant in &outcome.plants {
        let share = share_of(plant);
        if share <= 0.0 {
            continue;
        }
        let series = sums.entry(plant.sector).or_insert_with(|| vec![[0.0; 5]; years]);
        for (yi, e) in series.iter_mut().enumerate() {
            add_year(e, plant, yi, share);
        }
    }
    let mut points = Vec::new();
    for yi in 0..years {
        for (&sector, series) in &sums {
            let v = series[yi];
            points.push(PathwayPoint {
                year: outcome.base_year + i32::try_from(yi).unwrap_or(i32::MAX),
                sector,
                production: Tonnes(v[0]),
                capacity: TonnesPerYear(v[1]),
                direct_emissions: TonnesCo2(v[2]),
                captured: TonnesCo2(v[3]),
                indirect_emissions: TonnesCo2(v[4]),
            });
        }
    }
    points
}

fn years_of(outcome: &Outcome) -> usize {
    outcome.plants.first().map_or(0, |p| p.production.len())
}

/// Adds `share` of the plant's year `yi` to `e` (production, capacity, direct, captured,
/// indirect); production and capacity only for the sector's main product line.
fn add_year(e: &mut [f64; 5], plant: &PlantPathway, yi: usize, share: f64) {
    let at = |v: &[f64]| v.get(yi).copied().unwrap_or(0.0) * share;
    if plant.counts_production() {
        e[0] += at(&plant.production);
        e[1] += at(&plant.capacity);
    }
    e[2] += at(&plant.direct);
    e[3] += at(&plant.captured);
    e[4] += at(&plant.indirect);
}

fn country_group(plant: &PlantPathway) -> String {
    plant.country.map_or_else(|| COUNTRY_UNKNOWN.to_owned(), |c| c.as_str().to_owned())
}

struct FleetLookup<'f> {
    plants: &'f [Plant],
    by_id: HashMap<&'f str, usize>,
}

impl<'f> FleetLookup<'f> {
    fn new(fleet: &'f Fleet) -> Self {
        let mut by_id = HashMap::new();
        for (i, p) in fleet.plants.iter().enumerate() {
            by_id.entry(p.id.as_str()).or_insert(i);
        }
        FleetLookup { plants: &fleet.plants, by_id }
    }

    fn find(&self, plant: &PlantPathway) -> Option<&'f Plant> {
        plant
            .fleet_index
            .and_then(|i| self.plants.get(i))
            .filter(|p| p.id == plant.id)
            .or_else(|| self.by_id.get(plant.id.as_str()).map(|&i| &self.plants[i]))
    }
}

/// A plant's parts by owner and how they were attributed.
struct OwnerShares {
    parts: Vec<(String, f64)>,
    holders: Holders,
    /// Some part went to [`OTHER_HOLDERS`].
    other: bool,
}

/// Where a plant's owner attribution came from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holders {
    /// Named holders with stated shares.
    Stated,
    /// Named holders, some or all shares assumed equal.
    Assumed,
    /// No holder named.
    Unknown,
    /// Built by the engine.
    NewCapacity,
}

impl Attribution {
    fn add(&mut self, s: &OwnerShares) {
        self.plants_with_assumed_shares += usize::from(s.holders == Holders::Assumed);
        self.plants_with_other_holders += usize::from(s.other);
        self.plants_owner_unknown += usize::from(s.holders == Holders::Unknown);
        self.plants_new_capacity += usize::from(s.holders == Holders::NewCapacity);
    }
}

impl OwnerShares {
    fn single(group: &str, holders: Holders) -> OwnerShares {
        OwnerShares { parts: vec![(group.to_owned(), 1.0)], holders, other: false }
    }
}

fn owner_shares(plant: &PlantPathway, lookup: &FleetLookup<'_>) -> OwnerShares {
    if plant.is_new_build() {
        return OwnerShares::single(NEW_CAPACITY, Holders::NewCapacity);
    }
    let Some(source) = lookup.find(plant) else {
        return OwnerShares::single(OWNER_UNKNOWN, Holders::Unknown);
    };
    let holders = if source.parents.is_empty() { &source.owners } else { &source.parents };
    if holders.is_empty() {
        return OwnerShares::single(OWNER_UNKNOWN, Holders::Unknown);
    }
    holder_shares(holders)
}

/// Whether a holder's name stands for no one in particular.
fn is_unnamed(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.is_empty()
        || lower.starts_with("small shareholder")
        || lower.starts_with("natural person")
        || matches!(lower.as_str(), "other" | "others" | "unknown" | "n/a" | "na" | "unknown owner")
}

fn holder_shares(holders: &[Ownership]) -> OwnerShares {
    let stated: f64 = holders.iter().filter_map(|h| h.share).filter(|s| s.is_finite() && *s > 0.0).sum();
    let unstated = holders.iter().filter(|h| h.share.is_none()).count();
    // Shares above 100 % are refused when the fleet is read; scale them down if one gets here.
    let scale = if stated > 1.0 { 1.0 / stated } else { 1.0 };
    let left = (1.0 - stated * scale).max(0.0);
    let assumed_each = if unstated > 0 {
        #[allow(clippy::cast_precision_loss)]
        let n = unstated as f64;
        left / n
    } else {
        0.0
    };
    let mut parts: BTreeMap<String, f64> = BTreeMap::new();
    let mut other = false;
    for h in holders {
        let share = match h.share {
            Some(s) if s.is_finite() && s > 0.0 => s * scale,
            Some(_) => 0.0,
            None => assumed_each,
        };
        if share <= 0.0 {
            continue;
        }
        let name = h.name.trim();
        let group = if is_unnamed(name) {
            other = true;
            OTHER_HOLDERS
        } else {
            name
        };
        *parts.entry(group.to_owned()).or_default() += share;
    }
    // All shares stated and summing below 100 % (a rounding remainder, or holders the source
    // does not name).
    if unstated == 0 && left > 1e-9 {
        other = true;
        *parts.entry(OTHER_HOLDERS.to_owned()).or_default() += left;
    }
    if parts.is_empty() {
        // Only zero shares: nothing to go by.
        return OwnerShares::single(OWNER_UNKNOWN, Holders::Unknown);
    }
    OwnerShares {
        parts: parts.into_iter().collect(),
        holders: if unstated > 0 { Holders::Assumed } else { Holders::Stated },
        other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(name: &str, share: Option<f64>) -> Ownership {
        Ownership { name: name.into(), entity_id: None, share }
    }

    fn parts(h: &[Ownership]) -> Vec<(String, f64)> {
        holder_shares(h).parts.into_iter().map(|(n, s)| (n, (s * 1e6).round() / 1e6)).collect()
    }

    #[test]
    fn stated_shares_are_used_and_the_rest_goes_to_other_holders() {
        assert_eq!(
            parts(&[holder("A", Some(0.6)), holder(" B ", Some(0.3))]),
            vec![("(other holders)".into(), 0.1), ("A".into(), 0.6), ("B".into(), 0.3)]
        );
    }

    #[test]
    fn unstated_shares_split_equally_and_are_reported_as_assumed() {
        let h =
            [holder("Salzgitter AG", None), holder("thyssenkrupp AG", None), holder("Vallourec SA", None)];
        let s = holder_shares(&h);
        assert!(s.holders == Holders::Assumed);
        assert!(s.parts.iter().all(|(_, x)| (x - 1.0 / 3.0).abs() < 1e-12));
        // Mixed: the stated share stands, the rest is split among the others.
        assert_eq!(
            parts(&[holder("A", Some(0.5)), holder("B", None), holder("C", None)]),
            vec![("A".into(), 0.5), ("B".into(), 0.25), ("C".into(), 0.25)]
        );
    }

    #[test]
    fn small_shareholders_are_other_holders() {
        assert_eq!(
            parts(&[holder("A", Some(0.9)), holder("small shareholders", Some(0.1))]),
            vec![("(other holders)".into(), 0.1), ("A".into(), 0.9)]
        );
    }
}
