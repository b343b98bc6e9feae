//! The member brief. A member country gets its country brief; a member company gets its
//! membership, pledges, partnerships and the tracker's projects that name it, with the headline
//! production facts of its headquarters country.

use crate::BriefError;
use crate::country::{self, BriefOptions, CountryBrief};
use crate::gather::{Pathway, Tracker};
use crate::html::{self, Footnotes, esc};
use decarb_store::{MemberRow, PartnershipRow, PledgeRow, ProjectRow};
use std::fmt::Write as _;

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
    let cite =
        |notes: &mut Footnotes, id: &str| notes.cite(brief.citations.get(id).map_or(id, String::as_str));
    let m = &brief.member;
    let mut body = format!(
        "<header class=\"brief\"><p>decarb member brief</p><h1>{}</h1><p>Member company{}.</p></header>",
        esc(&m.name),
        m.country
            .as_deref()
            .and_then(decarb_model::CountryCode::resolve)
            .map_or(String::new(), |c| format!(", headquartered in {}", esc(c.name())))
    );
    let when = m.joined.as_deref().map_or_else(
        || {
            m.known_from
                .as_deref()
                .map_or("join date not known".to_owned(), |d| format!("named as a member from {d}"))
        },
        |d| format!("joined {d}"),
    );
    let _ = write!(
        body,
        "<h2>Membership</h2><p>{}{}.</p><p class=\"note\">From the {}.</p>",
        esc(&when),
        cite(&mut notes, &m.source),
        esc(&brief.tracker_origin)
    );
    if !brief.pledges.is_empty() {
        let rows: Vec<Vec<String>> = brief
            .pledges
            .iter()
            .map(|p| {
                vec![
                    format!(
                        "{}{}",
                        p.target_year.map_or_else(|| "–".to_owned(), |y| y.to_string()),
                        cite(&mut notes, &p.source)
                    ),
                    esc(&p.metric),
                    esc(&p.scope),
                    p.milestone_2030.as_deref().map_or_else(|| "–".to_owned(), esc),
                ]
            })
            .collect();
        body.push_str("<h2>Pledges</h2>");
        body.push_str(&html::table(&["target year", "metric", "scope", "2030 milestone"], &[0], &rows));
    }
    let alignment: Vec<&decarb_engine::alignment::Alignment> = brief.alignment.iter().collect();
    body.push_str(&crate::alignment::section(&alignment, &brief.scenario));
    if !brief.partnerships.is_empty() {
        let rows: Vec<Vec<String>> = brief
            .partnerships
            .iter()
            .map(|p| {
                vec![
                    format!("{}{}", esc(&p.name), cite(&mut notes, &p.source)),
                    esc(&p.kind),
                    esc(&p.parties.join(", ")),
                ]
            })
            .collect();
        body.push_str("<h2>Partnerships</h2>");
        body.push_str(&html::table(&["partnership", "kind", "parties"], &[], &rows));
    }
    if !brief.projects.is_empty() {
        let rows: Vec<Vec<String>> = brief
            .projects
            .iter()
            .map(|p| {
                vec![
                    format!("{}{}", esc(&p.name), cite(&mut notes, &p.source)),
                    esc(&p.country_text),
                    esc(&p.sector),
                    esc(&p.stage),
                ]
            })
            .collect();
        body.push_str("<h2>Projects</h2>");
        body.push_str(&html::table(&["project", "country", "sector", "stage"], &[], &rows));
    }
    body.push_str("<h2>What is missing</h2>");
    if brief.missing.is_empty() {
        body.push_str("<p>Nothing the brief looks for is missing.</p>");
    } else {
        body.push_str(&html::missing_list(&brief.missing).replace("<h3>What is missing</h3>", ""));
    }
    body.push_str(&notes.render());
    html::page(&format!("{}: decarb member brief", m.name), &body)
}
