//! The member brief. A member country gets its country brief; a member company gets its
//! membership, pledges, partnerships and the tracker's projects that name it, with the headline
//! production facts of its headquarters country.

use crate::BriefError;
use crate::country::{self, BriefOptions, CountryBrief};
use crate::gather::{Pathway, Tracker};
use crate::view::{self, Footnotes, opt_num};
use decarb_store::{MemberRow, PartnershipRow, PledgeRow, ProjectRow};
use maud::{Markup, html};

#[derive(Debug, Clone)]
pub enum MemberBrief {
    Country(Box<CountryBrief>),
    Company(Box<CompanyBrief>),
}

#[derive(Debug, Clone)]
pub struct CompanyBrief {
    pub member: MemberRow,
    pub pledges: Vec<PledgeRow>,
    pub partnerships: Vec<PartnershipRow>,
    pub projects: Vec<ProjectRow>,
    pub tracker_origin: String,
    pub citations: std::collections::BTreeMap<String, String>,
    pub missing: Vec<String>,
    /// The member's pledges against the pathway of the plants it holds.
    pub alignment: Vec<decarb_engine::alignment::Alignment>,
    /// The scenario of that pathway.
    pub scenario: String,
}

/// Finds a member by name (case-insensitive, surrounding spaces ignored) and gathers its brief.
pub fn gather(
    name: &str,
    tracker: &Tracker,
    pathway: &Pathway,
    options: BriefOptions,
) -> Result<MemberBrief, BriefError> {
    let wanted = name.trim().to_lowercase();
    let member = tracker.members.iter().find(|m| m.name.to_lowercase() == wanted).ok_or_else(|| {
        let known: Vec<&str> = tracker.members.iter().map(|m| m.name.as_str()).collect();
        BriefError::Input(format!(
            "no member named {name:?} in the {}; members: {}",
            tracker.origin,
            known.join(", ")
        ))
    })?;
    if member.kind == "country"
        && let Some(code) = member.country.as_deref().and_then(decarb_model::CountryCode::resolve)
    {
        return Ok(MemberBrief::Country(Box::new(country::gather(code, tracker, pathway, options)?)));
    }
    let lower = member.name.to_lowercase();
    // Company names in project rows carry shares and notes ("CF Industries (40%)"): match the
    // member's name as a prefix of a listed company.
    let names_member = |text: &str| text.to_lowercase().starts_with(&lower);
    let pledges: Vec<PledgeRow> =
        tracker.pledges.iter().filter(|p| p.member == member.name).cloned().collect();
    let partnerships: Vec<PartnershipRow> = tracker
        .partnerships
        .iter()
        .filter(|p| p.parties.iter().any(|party| names_member(party)))
        .cloned()
        .collect();
    let projects: Vec<ProjectRow> = tracker
        .projects
        .iter()
        .filter(|p| p.companies.iter().chain(p.partners.iter()).any(|c| names_member(c)))
        .cloned()
        .collect();
    let mut missing = Vec::new();
    if pledges.is_empty() {
        missing.push(format!("No pledge of {} in the tracker.", member.name));
    }
    if partnerships.is_empty() {
        missing.push(format!("No partnership naming {} in the tracker.", member.name));
    }
    if projects.is_empty() {
        missing.push(format!("No project naming {} in the tracker.", member.name));
    }
    let alignment =
        crate::gather::member_alignment(tracker, &pathway.fleet, &pathway.outcome, |m| m == member.name)?;
    let ids = std::iter::once(&member.source)
        .chain(pledges.iter().map(|p| &p.source))
        .chain(partnerships.iter().map(|p| &p.source))
        .chain(projects.iter().map(|p| &p.source));
    let citations = ids.map(|id| (id.clone(), tracker.citation(id))).collect();
    Ok(MemberBrief::Company(Box::new(CompanyBrief {
        member: member.clone(),
        pledges,
        partnerships,
        projects,
        tracker_origin: tracker.origin.clone(),
        citations,
        missing,
        alignment,
        scenario: pathway.scenario.name.clone(),
    })))
}

pub fn render(brief: &MemberBrief) -> String {
    match brief {
        MemberBrief::Country(country) => country::render(country),
        MemberBrief::Company(company) => render_company(company),
    }
}

fn render_company(brief: &CompanyBrief) -> String {
    let mut notes = Footnotes::default();
    let m = &brief.member;
    let headquarters = m.country.as_deref().and_then(decarb_model::CountryCode::resolve);
    let when = m.joined.as_deref().map_or_else(
        || {
            m.known_from
                .as_deref()
                .map_or("join date not known".to_owned(), |d| format!("named as a member from {d}"))
        },
        |d| format!("joined {d}"),
    );
    let alignment: Vec<&decarb_engine::alignment::Alignment> = brief.alignment.iter().collect();
    let body = html! {
        header.brief {
            p { "decarb member brief" }
            h1 { (m.name) }
            p { "Member company" @if let Some(c) = headquarters { ", headquartered in " (c.name()) } "." }
        }
        h2 { "Membership" }
        p { (when) (cite(brief, &mut notes, &m.source)) "." }
        p.note { "From the " (brief.tracker_origin) "." }
        (pledges(brief, &mut notes))
        (crate::alignment::section(&alignment, &brief.scenario))
        (partnerships_and_projects(brief, &mut notes))
        (view::missing_section(&brief.missing))
        (notes.render())
    };
    view::brief_page(&format!("{}: decarb member brief", m.name), &body)
}

fn cite(brief: &CompanyBrief, notes: &mut Footnotes, id: &str) -> Markup {
    notes.cite(brief.citations.get(id).map_or(id, String::as_str))
}

fn pledges(brief: &CompanyBrief, notes: &mut Footnotes) -> Markup {
    if brief.pledges.is_empty() {
        return html! {};
    }
    let rows: Vec<Vec<Markup>> = brief
        .pledges
        .iter()
        .map(|p| {
            vec![
                html! { (opt_num(p.target_year)) (cite(brief, notes, &p.source)) },
                html! { (p.metric) },
                html! { (p.scope) },
                html! { (p.milestone_2030.as_deref().unwrap_or("–")) },
            ]
        })
        .collect();
    html! { h2 { "Pledges" } (view::table(&["target year", "metric", "scope", "2030 milestone"], &[0], &rows)) }
}

fn partnerships_and_projects(brief: &CompanyBrief, notes: &mut Footnotes) -> Markup {
    let partnerships: Vec<Vec<Markup>> = brief
        .partnerships
        .iter()
        .map(|p| {
            vec![
                html! { (p.name) (cite(brief, notes, &p.source)) },
                html! { (p.kind) },
                html! { (p.parties.join(", ")) },
            ]
        })
        .collect();
    let projects: Vec<Vec<Markup>> = brief
        .projects
        .iter()
        .map(|p| {
            vec![
                html! { (p.name) (cite(brief, notes, &p.source)) },
                html! { (p.country_text) },
                html! { (p.sector) },
                html! { (p.stage) },
            ]
        })
        .collect();
    html! {
        @if !partnerships.is_empty() {
            h2 { "Partnerships" }
            (view::table(&["partnership", "kind", "parties"], &[], &partnerships))
        }
        @if !projects.is_empty() {
            h2 { "Projects" }
            (view::table(&["project", "country", "sector", "stage"], &[], &projects))
        }
    }
}
