//! Pledge alignment: for every member with a pledge, the pathway of the member's own plants in a
//! run against what the pledge asks of them.
//!
//! - **Whose plants.** A country member answers for the plants in its territory; a company member
//!   for its share of the plants it holds, through the plant's parents or its owners, whichever
//!   names it for the larger share (at the stated share or an equal split; see
//!   [`crate::breakdown::company_pathway`]). A holder is the
//!   member when the holder's name starts with one of the member's names at a word boundary
//!   (`Tata Steel` holds through `Tata Steel Ltd` and `Tata Steel Nederland BV`); a member's
//!   names are its listed name without a parenthesis and the name inside it (`HeidelbergCement
//!   (now Heidelberg Materials)` is both).
//! - **What the pledge asks.** Net zero, climate neutrality and carbon neutrality in a target year
//!   leave at most [`RESIDUAL_SHARE`] of the base year's direct emissions, to be neutralised by
//!   removals (SBTi Corporate Net-Zero Standard v1.0, October 2021: long-term cuts of 90-95 %,
//!   the residual 5-10 % neutralised; decarb takes the looser 10 %). The 2030 milestone is the
//!   pledge's own when it reads as a cut against a year the run covers (`-50 % vs 2020`);
//!   otherwise the straight line from the base year to the residual in the target year.
//! - **How it is judged.** `aligned` when the pathway is at or below what the pledge asks both in
//!   2030 and in the target year (or, for a target after the run's end, in the run's last year,
//!   on the same straight line); `off track` otherwise; `unknown`, with the reason, when the
//!   pledge has no target year or a metric decarb cannot judge, or the member has no plants with
//!   direct emissions in the run.
//! - **Boundary.** Direct (scope 1) CO2 of the run's sectors, whatever the pledge's own scope:
//!   an economy-wide pledge is judged on the member's heavy industry, which it covers without
//!   being limited to it.

use crate::breakdown;
use crate::outcome::Outcome;
use decarb_model::tracker::{Member, MemberKind, Pledge};
use serde::Serialize;
use std::fmt;

/// Share of base-year emissions a net-zero target leaves as residual (SBTi Corporate Net-Zero
/// Standard v1.0, October 2021: 90-95 % cuts; the looser end).
pub const RESIDUAL_SHARE: f64 = 0.10;

/// The 2030 milestone year every pledge of the group names (DESIGN.md: "2030 as the milestone").
pub const MILESTONE_YEAR: i32 = 2030;

/// Metrics read as "net emissions of zero in the target year".
/// `fossil-free` (SSAB's "fossil-free operations by 2045") leaves no fossil CO2 and
/// `carbon-negative` (Dalmia Cement's 2040 target) asks for more than net zero: both are judged
/// at least by the net-zero residual.
const NET_ZERO_METRICS: [&str; 6] = [
    "net-zero",
    "climate-neutrality",
    "carbon-neutrality",
    "net-zero-emissions",
    "fossil-free",
    "carbon-negative",
];

/// The emissions of the plants a member answers for, by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberFleet {
    /// Plants counted (a company's part-held plants count once each).
    pub plants: usize,
    /// (year, t CO2 direct) for every year of the run, in year order.
    pub direct: Vec<(i32, f64)>,
}

impl MemberFleet {
    fn at(&self, year: i32) -> Option<f64> {
        self.direct.iter().find(|(y, _)| *y == year).map(|(_, v)| *v)
    }
}

/// aligned / off track / unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Aligned,
    OffTrack,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Aligned => "aligned",
            Status::OffTrack => "off track",
            Status::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One pledge judged against the pathway of the member's plants. Emissions in Mt CO2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    pub member: String,
    pub kind: MemberKind,
    pub target_year: Option<i32>,
    pub metric: String,
    pub scope: String,
    /// Direct CO2 of the member's plants in the run's base year.
    pub base_year_mtco2: Option<f64>,
    pub pathway_2030_mtco2: Option<f64>,
    /// The pathway in the target year (none when the target lies after the run's end).
    pub pathway_target_year_mtco2: Option<f64>,
    /// What the pledge allows in 2030 (its own milestone, or the straight line to the target).
    pub required_2030_mtco2: Option<f64>,
    /// The year the target is judged in: the target year, or the run's last year before it.
    pub judged_year: Option<i32>,
    /// What the pledge allows in the judged year.
    pub required_judged_year_mtco2: Option<f64>,
    /// Pathway minus allowance in the judged year (positive: above what the pledge allows).
    pub gap_mtco2: Option<f64>,
    /// `gap_mtco2` as a percentage of the base year's emissions.
    pub gap_pct: Option<f64>,
    /// Pathway minus allowance in 2030.
    pub gap_2030_mtco2: Option<f64>,
    pub status: Status,
    /// Why the status is unknown (empty otherwise).
    pub reason: String,
    /// How the allowance was read (the milestone used, a target after the run's end).
    pub note: String,
    pub plants: usize,
    /// The pathway of the member's plants, (year, Mt CO2), every year of the run (for charts).
    pub pathway: Vec<(i32, f64)>,
    /// What the pledge allows, (year, Mt CO2), from the base year to the judged year: the
    /// straight line to the residual (empty when unknown).
    pub allowed: Vec<(i32, f64)>,
}

/// Why alignment cannot be computed at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AlignmentError {
    #[error("pledge {row} names member {member:?}, which is not in the tracker's members")]
    UnknownMember { row: usize, member: String },
}

/// Judges every pledge (rows in the pledges' order) with `fleet_of` giving the plants of a
/// member. A pledge of a member not among `members` is an error naming the pledge's row
/// (1-based).
pub fn align(
    pledges: &[Pledge],
    members: &[Member],
    fleet_of: impl Fn(&Member) -> Option<MemberFleet>,
    base_year: i32,
    end_year: i32,
) -> Result<Vec<Alignment>, AlignmentError> {
    pledges
        .iter()
        .enumerate()
        .map(|(i, pledge)| {
            let member = members
                .iter()
                .find(|m| m.name == pledge.member)
                .ok_or_else(|| AlignmentError::UnknownMember { row: i + 1, member: pledge.member.clone() })?;
            Ok(assess(pledge, member, fleet_of(member).as_ref(), base_year, end_year))
        })
        .collect()
}

/// [`align`] on a run: the member's plants are found in the run's per-plant results
/// ([`Outcome::plants`]; a run that did not record them finds none).
pub fn align_outcome(
    outcome: &Outcome,
    fleet: &decarb_model::Fleet,
    pledges: &[Pledge],
    members: &[Member],
) -> Result<Vec<Alignment>, AlignmentError> {
    align(pledges, members, |m| member_fleet(outcome, fleet, m), outcome.base_year, outcome.end_year)
}

/// The plants a member answers for in a run, with their direct emissions by year (all the run's
/// sectors); `None` when it has none (or a country member has no country).
pub fn member_fleet(outcome: &Outcome, fleet: &decarb_model::Fleet, member: &Member) -> Option<MemberFleet> {
    let (plants, points) = match member.kind {
        MemberKind::Country => {
            let country = member.country?;
            let plants = outcome.plants.iter().filter(|p| p.country == Some(country)).count();
            (plants, breakdown::country_pathway(outcome, country))
        }
        MemberKind::Company => {
            let names = member_names(&member.name);
            breakdown::company_pathway(outcome, fleet, |holder| holder_matches(&names, holder))
        }
    };
    if plants == 0 {
        return None;
    }
    let mut direct: Vec<(i32, f64)> = (outcome.base_year..=outcome.end_year).map(|y| (y, 0.0)).collect();
    for point in points {
        if let Some(slot) = direct.iter_mut().find(|(y, _)| *y == point.year) {
            slot.1 += point.direct_emissions.0;
        }
    }
    Some(MemberFleet { plants, direct })
}

/// One pledge judged against the member's plants (`fleet`: `None` when the member has none).
pub fn assess(
    pledge: &Pledge,
    member: &Member,
    fleet: Option<&MemberFleet>,
    base_year: i32,
    end_year: i32,
) -> Alignment {
    let mt = |t: f64| t * 1e-6;
    let mut row = Alignment {
        member: pledge.member.clone(),
        kind: member.kind,
        target_year: pledge.target_year,
        metric: pledge.metric.clone(),
        scope: pledge.scope.clone(),
        base_year_mtco2: None,
        pathway_2030_mtco2: None,
        pathway_target_year_mtco2: None,
        required_2030_mtco2: None,
        judged_year: None,
        required_judged_year_mtco2: None,
        gap_mtco2: None,
        gap_pct: None,
        gap_2030_mtco2: None,
        status: Status::Unknown,
        reason: String::new(),
        note: String::new(),
        plants: fleet.map_or(0, |f| f.plants),
        pathway: fleet.map(|f| f.direct.iter().map(|&(y, v)| (y, mt(v))).collect()).unwrap_or_default(),
        allowed: Vec::new(),
    };
    if let Some(fleet) = fleet {
        row.base_year_mtco2 = fleet.at(base_year).map(mt);
        row.pathway_2030_mtco2 = fleet.at(MILESTONE_YEAR).map(mt);
        row.pathway_target_year_mtco2 = pledge.target_year.and_then(|y| fleet.at(y)).map(mt);
    }
    let unknown = |mut row: Alignment, reason: String| {
        row.reason = reason;
        row
    };
    let Some(target) = pledge.target_year else {
        return unknown(row, "the pledge names no target year".into());
    };
    if !NET_ZERO_METRICS.contains(&pledge.metric.trim().to_ascii_lowercase().as_str()) {
        return unknown(
            row,
            format!(
                "metric {:?}: decarb judges net-zero, neutrality, fossil-free and carbon-negative targets only",
                pledge.metric
            ),
        );
    }
    if target <= base_year {
        return unknown(row, format!("target year {target} is not after the run's base year {base_year}"));
    }
    let Some(fleet) = fleet.filter(|f| f.plants > 0) else {
        return unknown(row, no_plants(member));
    };
    let Some(base) = fleet.at(base_year).filter(|b| *b > 0.0) else {
        return unknown(row, format!("the member's plants emit no direct CO2 in {base_year}"));
    };
    let residual = RESIDUAL_SHARE * base;
    // The straight line from the base year to the residual in the target year.
    let line =
        |year: i32| base + (residual - base) * f64::from(year - base_year) / f64::from(target - base_year);
    let mut notes = Vec::new();
    let required_2030 = allowance_2030(pledge, fleet, target, base_year..=end_year, &line, &mut notes);
    let judged = target.min(end_year);
    if judged < target {
        notes.push(format!(
            "target {target} after the run's end: judged in {end_year} on the straight line to it"
        ));
    }
    let required_judged = if judged == target { residual } else { line(judged) };
    let pathway_judged = fleet.at(judged).unwrap_or(0.0);
    let gap = pathway_judged - required_judged;
    let gap_2030 = required_2030.and_then(|r| fleet.at(MILESTONE_YEAR).map(|p| p - r));
    // Rounding noise of the accounting is far below a tonne; treat it as on the line.
    let off = |gap: f64| gap > 1.0;
    row.required_2030_mtco2 = required_2030.map(mt);
    row.judged_year = Some(judged);
    row.required_judged_year_mtco2 = Some(mt(required_judged));
    row.gap_mtco2 = Some(mt(gap));
    row.gap_pct = Some(gap / base * 100.0);
    row.gap_2030_mtco2 = gap_2030.map(mt);
    row.status = if off(gap) || gap_2030.is_some_and(off) { Status::OffTrack } else { Status::Aligned };
    row.note = notes.join("; ");
    row.allowed = (base_year..=judged).map(|y| (y, mt(line(y)))).collect();
    row
}

/// What the pledge allows in 2030: its own milestone when it reads as a cut against a year of
/// the run, else the straight line `line` to the target; `None` for a target by 2030.
fn allowance_2030(
    pledge: &Pledge,
    fleet: &MemberFleet,
    target: i32,
    run_years: std::ops::RangeInclusive<i32>,
    line: &dyn Fn(i32) -> f64,
    notes: &mut Vec<String>,
) -> Option<f64> {
    if target <= MILESTONE_YEAR {
        return None;
    }
    let base = fleet.at(*run_years.start()).unwrap_or(0.0);
    match pledge.milestone_2030.as_deref().map(parse_milestone) {
        Some(Milestone::Cut { share, against }) if run_years.contains(&against) => {
            let reference = fleet.at(against).unwrap_or(base);
            notes.push(format!("2030: the pledge's milestone, -{:.0} % vs {against}", share * 100.0));
            Some(reference * (1.0 - share))
        }
        Some(Milestone::Cut { against, .. }) => {
            notes.push(format!(
                "2030: straight line to the target (the milestone's reference year {against} is outside the run)"
            ));
            Some(line(MILESTONE_YEAR))
        }
        Some(Milestone::Other) => {
            notes
                .push("2030: straight line to the target (the milestone is not a cut against a year)".into());
            Some(line(MILESTONE_YEAR))
        }
        None => {
            notes.push("2030: straight line to the target".into());
            Some(line(MILESTONE_YEAR))
        }
    }
}

fn no_plants(member: &Member) -> String {
    match member.kind {
        MemberKind::Country if member.country.is_none() => "the member has no country code".into(),
        MemberKind::Country => "no plants of the run's sectors in the member's country".into(),
        MemberKind::Company => format!(
            "no plant of the run's fleet is held by a company named {}",
            member_names(&member.name).iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" or ")
        ),
    }
}

/// A 2030 milestone as decarb reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Milestone {
    /// A cut of `share` (0..1) against the emissions of year `against`.
    Cut { share: f64, against: i32 },
    /// Anything else (a cap in the country's own accounting, an intensity claim).
    Other,
}

/// Reads "-65% vs 1990", "-50 % vs 2005", "55% below 1990", "minus 40 % against 2019".
fn parse_milestone(text: &str) -> Milestone {
    let lower = text.to_ascii_lowercase();
    let Some(pct_at) = lower.find('%') else { return Milestone::Other };
    let number: String = lower[..pct_at]
        .chars()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let Ok(share) = number.parse::<f64>() else { return Milestone::Other };
    let rest = &lower[pct_at + 1..];
    let against_word = [" vs ", " vs. ", " below ", " against ", " compared to ", " from "]
        .iter()
        .filter_map(|w| rest.find(w).map(|i| i + w.len()))
        .min();
    let Some(start) = against_word else { return Milestone::Other };
    let year: String = rest[start..].trim_start().chars().take_while(char::is_ascii_digit).collect();
    match year.parse::<i32>() {
        Ok(against) if year.len() == 4 && (0.0..=100.0).contains(&share) => {
            Milestone::Cut { share: share / 100.0, against }
        }
        _ => Milestone::Other,
    }
}

/// A member's names for matching holders: the listed name without a parenthesis, and the name
/// inside it without "now"/"formerly" (`HeidelbergCement (now Heidelberg Materials)`).
pub fn member_names(name: &str) -> Vec<String> {
    let mut names = Vec::new();
    let (outside, inside) = match (name.find('('), name.rfind(')')) {
        (Some(open), Some(close)) if open < close => {
            (format!("{} {}", &name[..open], &name[close + 1..]), Some(&name[open + 1..close]))
        }
        _ => (name.to_owned(), None),
    };
    names.push(normalise(&outside));
    if let Some(inside) = inside {
        let inside = inside.trim();
        let inside = ["now ", "formerly ", "previously ", "ex "]
            .iter()
            .find_map(|p| inside.to_ascii_lowercase().starts_with(p).then(|| &inside[p.len()..]))
            .unwrap_or(inside);
        names.push(normalise(inside));
    }
    names.retain(|n| !n.is_empty());
    names.dedup();
    names
}

/// True when `holder` starts with one of `names` at a word boundary (names from
/// [`member_names`]).
pub fn holder_matches(names: &[String], holder: &str) -> bool {
    let holder = normalise(holder);
    names.iter().any(|name| {
        holder.strip_prefix(name.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

/// Lower case, letters and digits only, single spaces.
fn normalise(name: &str) -> String {
    let mapped: String =
        name.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::CountryCode;
    use decarb_model::tracker::Source;

    fn member(name: &str, kind: MemberKind, country: &str) -> Member {
        Member {
            name: name.into(),
            kind,
            country: CountryCode::resolve(country),
            joined: None,
            source: Source { citation: "test".into(), url: None, licence: None, retrieved: None },
        }
    }

    fn pledge(name: &str, target: Option<i32>, metric: &str, milestone: Option<&str>) -> Pledge {
        Pledge {
            member: name.into(),
            target_year: target,
            metric: metric.into(),
            scope: "economy-wide".into(),
            milestone_2030: milestone.map(str::to_owned),
            source: Source { citation: "test".into(), url: None, licence: None, retrieved: None },
        }
    }

    /// Emissions falling linearly from `base` Mt in 2020 to `end` Mt in 2050.
    fn fleet(base: f64, end: f64) -> MemberFleet {
        MemberFleet {
            plants: 3,
            direct: (2020..=2050)
                .map(|y| (y, 1e6 * (base + (end - base) * f64::from(y - 2020) / 30.0)))
                .collect(),
        }
    }

    #[test]
    fn names_split_parentheses_and_match_at_word_boundaries() {
        let names = member_names("HeidelbergCement (now Heidelberg Materials)");
        assert_eq!(names, vec!["heidelbergcement".to_owned(), "heidelberg materials".to_owned()]);
        assert!(holder_matches(&names, "Heidelberg Materials AG"));
        assert!(holder_matches(&names, "HeidelbergCement India Ltd"));
        let tata = member_names("Tata Steel");
        assert!(holder_matches(&tata, "Tata Steel Ltd"));
        assert!(holder_matches(&tata, "Tata Steel Nederland BV"));
        assert!(!holder_matches(&tata, "Tata Steelworks Holdings"));
        let sail = member_names("Steel Authority of India Ltd (SAIL)");
        assert!(holder_matches(&sail, "Steel Authority of India Ltd"));
        assert!(holder_matches(&member_names("Stegra (formerly H2 Green Steel)"), "H2 Green Steel AB"));
    }

    #[test]
    fn milestones_read_as_cuts_against_a_year() {
        assert_eq!(parse_milestone("-65% vs 1990"), Milestone::Cut { share: 0.65, against: 1990 });
        assert_eq!(parse_milestone("-50 % vs 2005"), Milestone::Cut { share: 0.5, against: 2005 });
        assert_eq!(parse_milestone("55% below 2020 levels"), Milestone::Cut { share: 0.55, against: 2020 });
        assert_eq!(parse_milestone("cap of 359 MtCO2e in 2030 (unconditional)"), Milestone::Other);
        assert_eq!(parse_milestone("up to 95% below European steelmaking"), Milestone::Other);
    }

    #[test]
    fn a_pathway_to_ten_percent_by_the_target_is_aligned_and_one_above_is_off_track() {
        let sweden = member("Sweden", MemberKind::Country, "SWE");
        let nz2050 = pledge("Sweden", Some(2050), "net-zero", None);
        // Straight line from 10 Mt to 1 Mt in 2050 is exactly the pledge's line.
        let on = assess(&nz2050, &sweden, Some(&fleet(10.0, 1.0)), 2020, 2050);
        assert_eq!(on.status, Status::Aligned, "{on:?}");
        assert!((on.required_2030_mtco2.unwrap() - 7.0).abs() < 1e-9);
        assert!(on.gap_mtco2.unwrap().abs() < 1e-6);
        let off = assess(&nz2050, &sweden, Some(&fleet(10.0, 4.0)), 2020, 2050);
        assert_eq!(off.status, Status::OffTrack);
        assert!((off.gap_mtco2.unwrap() - 3.0).abs() < 1e-9, "4 Mt against 1 Mt allowed");
        assert!((off.gap_pct.unwrap() - 30.0).abs() < 1e-9);
        assert!((off.pathway_target_year_mtco2.unwrap() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn a_milestone_against_a_year_of_the_run_sets_2030() {
        let m = member("X", MemberKind::Country, "SWE");
        let p = pledge("X", Some(2045), "net-zero", Some("-50% vs 2020"));
        let row = assess(&p, &m, Some(&fleet(10.0, 0.0)), 2020, 2050);
        assert!((row.required_2030_mtco2.unwrap() - 5.0).abs() < 1e-9);
        // 2030 pathway is 10 - 10/3 = 6.67 Mt: off track on the milestone.
        assert_eq!(row.status, Status::OffTrack);
        assert!(row.note.contains("-50 % vs 2020"), "{}", row.note);
    }

    #[test]
    fn a_target_after_the_run_is_judged_on_the_line_in_the_last_year() {
        let india = member("India", MemberKind::Country, "IND");
        let p = pledge("India", Some(2070), "net-zero", None);
        let row = assess(&p, &india, Some(&fleet(10.0, 5.0)), 2020, 2050);
        // Line from 10 (2020) to 1 (2070): in 2050 10 - 9 x 30/50 = 4.6 Mt; the pathway is 5.
        assert_eq!(row.judged_year, Some(2050));
        assert!((row.required_judged_year_mtco2.unwrap() - 4.6).abs() < 1e-9);
        assert_eq!(row.pathway_target_year_mtco2, None);
        assert_eq!(row.status, Status::OffTrack);
    }

    #[test]
    fn missing_pledge_or_fleet_is_unknown_with_a_reason() {
        let stegra = member("Stegra (formerly H2 Green Steel)", MemberKind::Company, "SWE");
        let cut = pledge(&stegra.name, None, "emissions-cut", Some("up to 95% below European steelmaking"));
        let row = assess(&cut, &stegra, None, 2020, 2050);
        assert_eq!(row.status, Status::Unknown);
        assert!(row.reason.contains("no target year"));
        let scania = member("Scania", MemberKind::Company, "SWE");
        let row = assess(&pledge("Scania", Some(2040), "net-zero", None), &scania, None, 2020, 2050);
        assert_eq!(row.status, Status::Unknown);
        assert!(row.reason.contains("\"scania\""), "{}", row.reason);
    }

    #[test]
    fn a_pledge_of_an_unknown_member_is_an_error_naming_its_row() {
        let members = [member("Sweden", MemberKind::Country, "SWE")];
        let pledges = [
            pledge("Sweden", Some(2045), "net-zero", None),
            pledge("Atlantis", Some(2050), "net-zero", None),
        ];
        let err = align(&pledges, &members, |_| None, 2020, 2050).unwrap_err();
        assert_eq!(err, AlignmentError::UnknownMember { row: 2, member: "Atlantis".into() });
        assert!(err.to_string().contains("pledge 2"));
    }
}
