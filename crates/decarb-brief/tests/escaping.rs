//! Every text a brief prints is escaped (maud): a member and a project named with markup and an
//! ampersand come out as text, in the member brief and in their country's brief.

use decarb_brief::{country, gather, member};

const HOSTILE: &str = "<script>alert(1)</script> & Co";

#[test]
fn names_with_markup_are_printed_as_text() {
    let mut tracker = gather::load_tracker(Some("/nonexistent/decarb.db")).unwrap();
    let mut company = tracker.members.iter().find(|m| m.kind == "company").unwrap().clone();
    company.name = HOSTILE.to_owned();
    company.country = Some("SWE".to_owned());
    let mut project = tracker.projects[0].clone();
    project.name = format!("{HOSTILE} plant");
    project.companies = vec![HOSTILE.to_owned()];
    project.country = Some("SWE".to_owned());
    tracker.members.push(company);
    tracker.projects.push(project);
    let pathway = gather::run_pathway("net-zero-2050").unwrap();
    let options = country::BriefOptions::default();
    let brief = member::render(&member::gather(HOSTILE, &tracker, &pathway, options).unwrap());
    let swe = decarb_model::CountryCode::resolve("SWE").unwrap();
    let country = country::render(&country::gather(swe, &tracker, &pathway, options).unwrap());
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co";
    assert!(brief.contains(&format!("<h1>{escaped}</h1>")), "the member's name, escaped");
    assert!(brief.contains(&format!("{escaped} plant")), "the project's name, escaped");
    assert!(country.contains(&format!("{escaped} plant")), "the project in its country's brief");
    for html in [&brief, &country] {
        assert!(!html.contains("<script"), "no markup from the data");
    }
}
