//! The tracker's entities beyond plants: sources, companies, low-carbon projects, members of the
//! group, their pledges, and partnerships. See `../shared/docs/TRACKER.md` for how the field
//! records them; the store keeps every change to them with its date.

use crate::country::CountryCode;
use crate::plant::PartialDate;
use crate::sector::Sector;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a fact comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Human-readable citation ("Global Energy Monitor, Global Steel Plant Tracker, March 2023").
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// When the source was read or published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<PartialDate>,
}

/// A company: an owner, a parent, a project developer or a member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Company {
    pub name: String,
    /// The source's entity id (GEM `E100...`, a PermID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<String>,
    /// Headquarters country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// Other names publishers use for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// How far a low-carbon project has come. GST's `Paused or postponed` is `Paused`; its
/// `Finalized (research & testing)` is `Completed` (TRACKER.md §2.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStage {
    Announced,
    Feasibility,
    /// Final investment decision taken.
    Fid,
    Construction,
    Operating,
    Paused,
    Completed,
    Cancelled,
    Decommissioned,
}

impl ProjectStage {
    /// The stages a write accepts, for messages (the reader of tracker files takes more words).
    pub const EXPECTED: &'static str = "announced, feasibility, fid, construction, operating, paused, completed, cancelled or decommissioned";

    pub const ALL: [ProjectStage; 9] = [
        ProjectStage::Announced,
        ProjectStage::Feasibility,
        ProjectStage::Fid,
        ProjectStage::Construction,
        ProjectStage::Operating,
        ProjectStage::Paused,
        ProjectStage::Completed,
        ProjectStage::Cancelled,
        ProjectStage::Decommissioned,
    ];

    /// The stages' names in pipeline order (`ALL` as words), for forms and charts.
    pub const NAMES: [&'static str; 9] = {
        let mut names = [""; 9];
        let mut i = 0;
        while i < names.len() {
            names[i] = ProjectStage::ALL[i].as_str();
            i += 1;
        }
        names
    };

    pub const fn as_str(self) -> &'static str {
        match self {
            ProjectStage::Announced => "announced",
            ProjectStage::Feasibility => "feasibility",
            ProjectStage::Fid => "fid",
            ProjectStage::Construction => "construction",
            ProjectStage::Operating => "operating",
            ProjectStage::Paused => "paused",
            ProjectStage::Completed => "completed",
            ProjectStage::Cancelled => "cancelled",
            ProjectStage::Decommissioned => "decommissioned",
        }
    }
}

impl fmt::Display for ProjectStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProjectStage {
    type Err = crate::ParseError;
    /// Reads decarb's words and the Green Steel Tracker's and IEA CCUS database's status words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase();
        let stage = match key.as_str() {
            "announced" | "planned" | "proposed" => ProjectStage::Announced,
            "feasibility" | "feasibility study" | "pre-feed" | "feed" => ProjectStage::Feasibility,
            "fid" | "final investment decision" => ProjectStage::Fid,
            "construction" | "under construction" => ProjectStage::Construction,
            "operating" | "operational" | "in operation" => ProjectStage::Operating,
            "paused" | "paused or postponed" | "postponed" | "suspended" => ProjectStage::Paused,
            "completed" | "finalized (research & testing)" | "finalised" | "finalized" => {
                ProjectStage::Completed
            }
            "cancelled" | "canceled" => ProjectStage::Cancelled,
            "decommissioned" => ProjectStage::Decommissioned,
            _ => {
                return Err(crate::ParseError::new(
                    "project stage",
                    s,
                    "one of announced, feasibility, fid, construction, operating, paused, completed, \
                     cancelled, decommissioned (or a GST/IEA status word)",
                ));
            }
        };
        Ok(stage)
    }
}

/// An amount of money as a source states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Money {
    pub amount: f64,
    /// ISO 4217 code as given (EUR, USD, SEK...).
    pub currency: String,
    /// What the amount is: total capex, public grant, EPC contract...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// A capacity with its own product and unit: project capacities are not comparable across
/// products (Mt steel/yr, Mt DRI/yr, Mt CO2 captured/yr, MW electrolysis), so they are never added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatedCapacity {
    pub value: f64,
    pub unit: String,
}

/// A low-carbon project (H2-DRI, CCS, electrified kiln, inert anode...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    /// Stable key: `GST-nnn` for Green Steel Tracker rows, a slug otherwise.
    pub id: String,
    pub name: String,
    pub sector: Sector,
    pub technology: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub companies: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<StatedCapacity>,
    pub stage: ProjectStage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investment: Option<Money>,
    pub source: Source,
}

/// Whether a member of the group is a country or a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Country,
    Company,
}

impl MemberKind {
    /// The kinds, for messages.
    pub const EXPECTED: &'static str = "country or company";

    /// The kind as the store and every output write it: `country` or `company`.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Country => "country",
            MemberKind::Company => "company",
        }
    }
}

impl FromStr for MemberKind {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "country" | "government" => Ok(MemberKind::Country),
            "company" | "corporate" | "business" => Ok(MemberKind::Company),
            _ => Err(crate::ParseError::new("member kind", s, MemberKind::EXPECTED)),
        }
    }
}

/// A member of the leadership group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub kind: MemberKind,
    /// The country itself, or the company's headquarters country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<PartialDate>,
    pub source: Source,
}

/// A member's commitment: a target (net zero, climate or carbon neutrality, a cut) by a year,
/// with a 2030 milestone in its own words. The shape of the tracker's pledge table (TRACKER.md
/// §4: member, target year, metric, scope, baseline, value, source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pledge {
    pub member: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_year: Option<i32>,
    /// What is pledged: `net-zero`, `climate-neutrality`, `carbon-neutrality`, `emissions-cut`...
    pub metric: String,
    /// What it covers: economy-wide, industry, a sector, scopes.
    pub scope: String,
    /// The 2030 milestone in the pledge's own words ("-50 % vs 2005").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone_2030: Option<String>,
    pub source: Source,
}

/// The kind of partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnershipKind {
    /// Between countries (the India-Sweden Industry Transition Partnership).
    Bilateral,
    /// Along a value chain: offtake agreements between a producer and its buyers.
    ValueChain,
}

impl PartnershipKind {
    /// The kinds, for messages.
    pub const EXPECTED: &'static str = "bilateral or value_chain";
}

impl FromStr for PartnershipKind {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "bilateral" => Ok(PartnershipKind::Bilateral),
            "value_chain" | "offtake" => Ok(PartnershipKind::ValueChain),
            _ => Err(crate::ParseError::new("partnership kind", s, PartnershipKind::EXPECTED)),
        }
    }
}

/// A partnership between members, countries or companies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partnership {
    pub name: String,
    pub kind: PartnershipKind,
    pub parties: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub source: Source,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracker_status_words_map_to_stages() {
        assert_eq!("Paused or postponed".parse(), Ok(ProjectStage::Paused));
        assert_eq!("Finalized (research & testing)".parse(), Ok(ProjectStage::Completed));
        assert_eq!("Planned".parse(), Ok(ProjectStage::Announced));
        assert_eq!("Under construction".parse(), Ok(ProjectStage::Construction));
        assert!("maybe".parse::<ProjectStage>().is_err());
    }

    #[test]
    fn stage_names_are_in_pipeline_order_and_read_back() {
        assert_eq!(ProjectStage::NAMES[0], "announced");
        assert_eq!(ProjectStage::NAMES[3], "construction");
        assert_eq!(ProjectStage::NAMES[8], "decommissioned");
        for (name, stage) in ProjectStage::NAMES.iter().zip(ProjectStage::ALL) {
            assert_eq!(name.parse(), Ok(stage));
        }
    }
}
