//! Editing in the dashboard without a browser: sign-in and its cookie's flags, CSRF (403 without
//! the form's token), the review queue's roles, field errors beside their fields, a stale form,
//! and a contributor's project approved by an editor.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{runtime, state, tracker_copy};
use decarb_brief::view::url_component;
use decarb_store::Role;
use http_body_util::BodyExt;
use tower::ServiceExt;

struct Page {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    html: String,
}

async fn request(
    app: &Router,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
) -> Page {
    request_with(app, method, uri, cookie, form, None).await
}

async fn request_with(
    app: &Router,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    form: Option<&[(&str, &str)]>,
    proto: Option<&str>,
) -> Page {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(cookie) = cookie {
        builder = builder.header("cookie", cookie);
    }
    if let Some(proto) = proto {
        builder = builder.header("x-forwarded-proto", proto);
    }
    let request = match form {
        Some(fields) => {
            let body: Vec<String> =
                fields.iter().map(|(k, v)| format!("{}={}", url_component(k), url_component(v))).collect();
            builder
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(body.join("&")))
                .unwrap()
        }
        None => builder.body(Body::empty()).unwrap(),
    };
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned());
    let cookies =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Page { status, location, cookies, html: String::from_utf8_lossy(&bytes).into_owned() }
}

/// The value of the first hidden `csrf` field of a page.
fn csrf(html: &str) -> String {
    let start = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[start..start + 64].to_owned()
}

/// `name=value` of the cookie `name` set by a response.
fn cookie_pair(page: &Page, name: &str) -> String {
    let set = page.cookies.iter().find(|c| c.starts_with(&format!("{name}="))).expect("the cookie");
    set.split(';').next().unwrap().to_owned()
}

/// Signs in with `token`; returns the session cookie (`decarb_session=...`) and the reply.
async fn sign_in(app: &Router, token: &str, proto: Option<&str>) -> (String, Page) {
    let form = request_with(app, "GET", "/sign-in", None, None, proto).await;
    assert_eq!(form.status, StatusCode::OK);
    let nonce = cookie_pair(&form, "decarb_signin");
    let page = request_with(
        app,
        "POST",
        "/sign-in",
        Some(&nonce),
        Some(&[("csrf", &csrf(&form.html)), ("token", token)]),
        proto,
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    (cookie_pair(&page, "decarb_session"), page)
}

#[test]
fn sign_in_csrf_roles_errors_staleness_and_review() {
    let Some(db) = tracker_copy("dashboard_editing") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let token = |name: &'static str, role| {
            let store = store.clone();
            async move { decarb_server::tokens::create_with(&store, name, role, None).await.unwrap() }
        };
        let reader = token("ria-reader", Role::Reader).await;
        let contributor = token("cora-contributor", Role::Contributor).await;
        let editor = token("eda-editor", Role::Editor).await;

        // The cookie: HttpOnly, SameSite=Strict, Path=/, Secure only over https; never the token.
        let (session, reply) = sign_in(&app, &editor, None).await;
        let set = reply.cookies.iter().find(|c| c.starts_with("decarb_session=")).unwrap();
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(set.contains(flag), "{set}");
        }
        assert!(!set.contains("Secure"), "plain http gets no Secure: {set}");
        assert!(!set.contains(&editor) && !set.contains(&editor[7..]), "the token is never in the cookie");
        let (_, https) = sign_in(&app, &editor, Some("https")).await;
        assert!(https.cookies.iter().any(|c| c.starts_with("decarb_session=") && c.ends_with("; Secure")));
        let home = request(&app, "GET", "/", Some(&session), None).await;
        assert!(home.html.contains("Signed in as <strong>eda-editor</strong> (editor)"), "header shows who");

        // A wrong token is refused on the form; a sign-in POST without the form's nonce is 403.
        let form = request(&app, "GET", "/sign-in", None, None).await;
        let bad = request(
            &app,
            "POST",
            "/sign-in",
            Some(&cookie_pair(&form, "decarb_signin")),
            Some(&[("csrf", &csrf(&form.html)), ("token", "decarb_nope")]),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert!(bad.html.contains("This token is not valid."));
        let forged = request(&app, "POST", "/sign-in", None, Some(&[("token", &editor)])).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        // Every form POST needs the session's CSRF token: 403 without it or with another.
        let edit = request(&app, "GET", "/edit/members?key=Sweden", Some(&session), None).await;
        assert_eq!(edit.status, StatusCode::OK, "{}", edit.html);
        let fields = [("key", "Sweden"), ("notes", "co-chair of LeadIT"), ("note", "press release")];
        let missing = request(&app, "POST", "/edit/members/update", Some(&session), Some(&fields)).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.html.contains("CSRF"), "{}", missing.html);
        let zeros = "0".repeat(64);
        let wrong = [fields.as_slice(), &[("csrf", zeros.as_str())]].concat();
        assert_eq!(
            request(&app, "POST", "/edit/members/update", Some(&session), Some(&wrong)).await.status,
            StatusCode::FORBIDDEN
        );
        let out = request(&app, "POST", "/sign-out", Some(&session), Some(&[])).await;
        assert_eq!(out.status, StatusCode::FORBIDDEN, "signing out needs the CSRF token too");

        field_errors_and_staleness(&app, &store, &session, &edit.html).await;
        review_queue(&app, &session, &reader, &contributor).await;
        partnership_created_and_retired(&app, &session).await;
    });
}

/// A field the store refuses is shown beside it; a good update applies; the same form sent again
/// is stale.
async fn field_errors_and_staleness(app: &Router, store: &decarb_store::Store, session: &str, edit: &str) {
    let (app, session) = (app.clone(), session.to_owned());
    let token_field = csrf(edit);
    let edit = Page { status: StatusCode::OK, location: None, cookies: Vec::new(), html: edit.to_owned() };
    // A field the store refuses is shown beside that field (422), the values kept.
    let version = {
        let start = edit.html.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
        edit.html[start..].split('"').next().unwrap().to_owned()
    };
    let invalid = [
        ("csrf", token_field.as_str()),
        ("key", "Sweden"),
        ("version", version.as_str()),
        ("country", "Atlantis"),
        ("note", "moved"),
    ];
    let page = request(&app, "POST", "/edit/members/update", Some(&session), Some(&invalid)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
    assert!(page.html.contains("data-field=\"country\""), "{}", page.html);
    assert!(page.html.contains("value=\"Atlantis\""));

    // A good update applies (editor) and lands on the record's history with who and why.
    let good = [
        ("csrf", token_field.as_str()),
        ("key", "Sweden"),
        ("version", version.as_str()),
        ("notes", "co-chair of LeadIT"),
        ("note", "co-chair announced"),
        ("source_url", "https://www.industrytransition.org/leadit/"),
    ];
    let saved = request(&app, "POST", "/edit/members/update", Some(&session), Some(&good)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let history = request(&app, "GET", saved.location.as_deref().unwrap(), None, None).await;
    assert!(history.html.contains("web:eda-editor") && history.html.contains("co-chair announced"));

    // The same form submitted again holds the old version: stale, said plainly, nothing saved.
    let again = [("notes", "something else"), ("note", "second thoughts")];
    let outdated = [&good[..3], &again[..]].concat();
    let page = request(&app, "POST", "/edit/members/update", Some(&session), Some(&outdated)).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.html);
    assert!(page.html.contains("changed by someone else since you opened the form"), "{}", page.html);
    let members = store.members(&decarb_store::RegistryFilter::default()).await.unwrap();
    let sweden = members.iter().find(|m| m.name == "Sweden").unwrap();
    assert_eq!(sweden.notes.as_deref(), Some("co-chair of LeadIT"), "not overwritten");
}

/// The review queue is for editors; a contributor's project waits there until approved.
async fn review_queue(app: &Router, session: &str, reader: &str, contributor: &str) {
    let (app, session) = (app.clone(), session.to_owned());
    // The review queue is for editors: a reader (and a contributor) gets 403.
    let (reader_session, _) = sign_in(&app, reader, None).await;
    assert_eq!(
        request(&app, "GET", "/review", Some(&reader_session), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        request(&app, "GET", "/edit", Some(&reader_session), None).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(request(&app, "GET", "/review", None, None).await.status, StatusCode::SEE_OTHER);

    // A contributor's project is a proposal; the editor approves it; it is listed.
    let (cora, _) = sign_in(&app, contributor, None).await;
    assert_eq!(request(&app, "GET", "/review", Some(&cora), None).await.status, StatusCode::FORBIDDEN);
    let new = request(&app, "GET", "/edit/projects", Some(&cora), None).await;
    let project = [
        ("csrf", csrf(&new.html)),
        ("key", "test-h2-dri-lulea-2031".into()),
        ("name", "Test H2-DRI Luleå".into()),
        ("sector", "steel".into()),
        ("technology", "H2-DRI + EAF".into()),
        ("country", "Sweden".into()),
        ("stage", "announced".into()),
        ("capacity_value", "2.5".into()),
        ("capacity_unit", "Mt steel/yr".into()),
        ("note", "announced by the company".into()),
        ("source_url", "https://example.org/press/2026-12-04".into()),
    ];
    let project: Vec<(&str, &str)> = project.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let filed = request(&app, "POST", "/edit/projects/create", Some(&cora), Some(&project)).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.html);
    let id = filed.location.unwrap().rsplit('=').next().unwrap().to_owned();
    let listed = request(&app, "GET", "/projects?text=Test%20H2-DRI", None, None).await;
    assert!(!listed.html.contains("test-h2-dri-lulea-2031"), "not before approval");
    let queue = request(&app, "GET", "/review", Some(&session), None).await;
    assert!(queue.html.contains("test-h2-dri-lulea-2031") && queue.html.contains("web:cora-contributor"));
    let approve = format!("/review/{id}/approve");
    assert_eq!(
        request(&app, "POST", &approve, Some(&session), Some(&[])).await.status,
        StatusCode::FORBIDDEN
    );
    let done = request(&app, "POST", &approve, Some(&session), Some(&[("csrf", &csrf(&queue.html))])).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location.as_deref(), Some(format!("/review?done=approved&id={id}").as_str()));
    let listed = request(&app, "GET", "/projects?text=Test%20H2-DRI", None, None).await;
    assert!(listed.html.contains("test-h2-dri-lulea-2031"), "listed after approval");
    let history = request(&app, "GET", "/history/projects/test-h2-dri-lulea-2031", None, None).await;
    assert!(history.html.contains("web:cora-contributor") && history.html.contains("web:eda-editor"));
}

/// An editor's partnership applies at once; a number that is not one is an error on its field;
/// retiring through the form takes the partnership out of the list.
async fn partnership_created_and_retired(app: &Router, session: &str) {
    let new = request(app, "GET", "/edit/partnerships", Some(session), None).await;
    let token = csrf(&new.html);
    let name = "Test Sweden-India steel partnership";
    let fields = [
        ("csrf", token.as_str()),
        ("name", name),
        ("kind", "bilateral"),
        ("parties", "Sweden\r\nIND"),
        ("started", "2026-11"),
        ("note", "signed at the summit"),
        ("source_url", "https://example.org/partnership"),
    ];
    let made = request(app, "POST", "/edit/partnerships/create", Some(session), Some(&fields)).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
    let listed = request(app, "GET", "/api/v1/partnerships", None, None).await.html;
    assert!(listed.contains(name) && listed.contains("India"), "created with India resolved from IND");

    let uri = format!("/edit/partnerships?key={}", url_component(name));
    let form = request(app, "GET", &uri, Some(session), None).await;
    assert!(form.html.contains("data-testid=\"current\""), "the current record is shown");
    let version = {
        let start = form.html.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
        form.html[start..].split('"').next().unwrap().to_owned()
    };
    let retire = [
        ("csrf", token.as_str()),
        ("key", name),
        ("version", version.as_str()),
        ("note", "ended"),
        ("valid_from", "2026-12-01"),
    ];
    let done = request(app, "POST", "/edit/partnerships/retire", Some(session), Some(&retire)).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let listed = request(app, "GET", "/api/v1/partnerships", None, None).await.html;
    assert!(!listed.contains(name), "retired: no longer listed");

    let pledge = request(app, "GET", "/edit/pledges", Some(session), None).await;
    let bad = [
        ("csrf", token.as_str()),
        ("member", "Sweden"),
        ("metric", "net-zero"),
        ("scope", "steel"),
        ("target_year", "soon"),
        ("note", "x"),
        ("source_url", "https://example.org/"),
    ];
    assert_eq!(pledge.status, StatusCode::OK);
    let page = request(app, "POST", "/edit/pledges/create", Some(session), Some(&bad)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("data-field=\"target_year\"") && page.html.contains("expected a whole number")
    );
}

/// The value of the first hidden field `name` of a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name}: {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The `data-value` of the element with `data-testid="{testid}"`.
fn data_value(html: &str, testid: &str) -> Option<f64> {
    let at = html.find(&format!("data-testid=\"{testid}\""))?;
    let rest = &html[at..];
    let start = rest.find("data-value=\"")? + "data-value=\"".len();
    rest[start..].split('"').next()?.parse().ok()
}

const LULEA: &str = "P100000120845~operating-pre-retirement";
const LULEA_KEY: &str = "gem-steel/P100000120845~operating-pre-retirement";

/// SSAB Luleå (GEM's 2025 map file) corrected through the dashboard's form: linked from its page
/// for a signed-in user only, a bad value shown beside its field, an editor's capacity on the
/// plant page and in its history, a stale form refused, a contributor's correction waiting in
/// the review queue until approved, and a phase retired.
#[test]
fn plants_are_corrected_and_retired_through_the_dashboard() {
    let Some(db) = tracker_copy("dashboard_editing_plants") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let contributor =
            decarb_server::tokens::create_with(&store, "cora-contributor", Role::Contributor, None)
                .await
                .unwrap();
        let editor =
            decarb_server::tokens::create_with(&store, "eda-editor", Role::Editor, None).await.unwrap();
        let (eda, _) = sign_in(&app, &editor, None).await;

        // The plant page links each phase's form for a signed-in user, and only for one.
        let link = format!("/edit/plants?key={}", url_component(LULEA_KEY));
        let public = request(&app, "GET", "/plants/P100000120845", None, None).await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(!public.html.contains("correct-links"), "no form links for a visitor");
        let page = request(&app, "GET", "/plants/P100000120845", Some(&eda), None).await;
        assert!(page.html.contains(&format!("href=\"{link}\"")), "{}", page.html);
        let capacity = format!("capacity-{LULEA}");
        assert_eq!(data_value(&page.html, &capacity), Some(2300.0), "GEM's 2025 file: 2,300 kt/yr");

        // The form, by the plant's id: the record now, its version.
        let form = request(&app, "GET", &format!("/edit/plants?key={LULEA}"), Some(&eda), None).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.html);
        assert!(
            form.html.contains("data-testid=\"current\"") && form.html.contains("2300000"),
            "{}",
            form.html
        );
        assert_eq!(hidden(&form.html, "key"), LULEA_KEY);
        let version = hidden(&form.html, "version");
        let token = csrf(&form.html);
        let fields = |extra: &[(&'static str, &'static str)]| -> Vec<(&'static str, String)> {
            let mut all = vec![
                ("csrf", token.clone()),
                ("key", LULEA.to_owned()),
                ("version", version.clone()),
                ("note", "blast furnace 3 closes early".to_owned()),
                ("source_url", "https://www.ssab.com/en/news".to_owned()),
                ("valid_from", "2026-01-15".to_owned()),
            ];
            all.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
            all
        };
        let post = |fields: Vec<(&'static str, String)>, session: String, action: &'static str| {
            let app = app.clone();
            async move {
                let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                request(&app, "POST", &format!("/edit/plants/{action}"), Some(&session), Some(&pairs)).await
            }
        };

        // A bad value re-renders the form naming the field, the values kept; nothing is saved.
        for (field, value, says) in [
            ("capacity_tpa", "1e12", "capacity_tpa"),
            ("capacity_tpa", "lots", "expected a number"),
            ("coordinates", "65.5597", "latitude, longitude"),
            ("owners", "SSAB AB [140%]", "owners"),
        ] {
            let page = post(fields(&[(field, value)]), eda.clone(), "update").await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}: {}", page.html);
            assert!(page.html.contains(&format!("data-field=\"{field}\"")), "{field}={value}: {}", page.html);
            assert!(page.html.contains(says), "{field}={value}: {}", page.html);
            assert!(page.html.contains(&format!("value=\"{value}\"")), "kept: {value}");
        }
        let stored = store.plant(LULEA_KEY, None).await.unwrap();
        assert_eq!((stored.row.capacity_tpa, stored.version), (Some(2_300_000.0), 1), "nothing saved");

        // An editor's correction applies: on the plant page and in its history, with who and why.
        let saved = post(fields(&[("capacity_tpa", "2200000")]), eda.clone(), "update").await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
        let history_uri = format!("/history/plants/{}", url_component(LULEA_KEY));
        assert_eq!(saved.location.as_deref(), Some(format!("{history_uri}?saved=1").as_str()));
        let history = request(&app, "GET", &history_uri, None, None).await.html;
        assert!(
            history.contains("web:eda-editor") && history.contains("blast furnace 3 closes early"),
            "{history}"
        );
        assert!(history.contains("2200000") && history.contains("https://www.ssab.com/en/news"), "{history}");
        let page = request(&app, "GET", "/plants/P100000120845", None, None).await.html;
        assert_eq!(data_value(&page, &capacity), Some(2200.0));
        assert!(page.contains("<h2>Corrections</h2>"), "the correction is listed");
        let before = request(&app, "GET", "/plants/P100000120845?as_of=2026-01-14", None, None).await.html;
        assert_eq!(
            data_value(&before, &capacity),
            Some(2300.0),
            "the file's value before the correction's day"
        );

        // The same form sent again holds the old version: refused in plain words, nothing saved.
        let outdated = post(fields(&[("capacity_tpa", "2100000")]), eda.clone(), "update").await;
        assert_eq!(outdated.status, StatusCode::CONFLICT, "{}", outdated.html);
        assert!(
            outdated.html.contains("changed by someone else since you opened the form"),
            "{}",
            outdated.html
        );
        assert_eq!(store.plant(LULEA_KEY, None).await.unwrap().row.capacity_tpa, Some(2_200_000.0));

        plant_proposal_and_retirement(&app, &store, &eda, &contributor).await;
        store.close().await;
    });
}

/// A contributor's correction of SSAB Luleå's owners waits in the review queue until an editor
/// approves it; the announced phase is retired through its form.
async fn plant_proposal_and_retirement(
    app: &Router,
    store: &decarb_store::Store,
    eda: &str,
    contributor: &str,
) {
    let post = |fields: Vec<(&'static str, String)>, session: String, action: &'static str| {
        let app = app.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            request(&app, "POST", &format!("/edit/plants/{action}"), Some(&session), Some(&pairs)).await
        }
    };
    let (app, eda) = (app.clone(), eda.to_owned());
    let link = format!("/edit/plants?key={}", url_component(LULEA_KEY));
    let history_uri = format!("/history/plants/{}", url_component(LULEA_KEY));
    // A contributor's correction is a proposal in the review queue until an editor approves it.
    let (cora, _) = sign_in(&app, contributor, None).await;
    let form = request(&app, "GET", &link, Some(&cora), None).await;
    assert!(form.html.contains("Propose for review"), "{}", form.html);
    let proposal = vec![
        ("csrf", csrf(&form.html)),
        ("key", LULEA_KEY.to_owned()),
        ("version", hidden(&form.html, "version")),
        ("owners", "SSAB AB [100%]".to_owned()),
        ("note", "SSAB owns the works in full".to_owned()),
        ("source_url", "https://www.ssab.com/en/company/about-ssab".to_owned()),
    ];
    let filed = post(proposal, cora.clone(), "update").await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.html);
    let id = filed.location.unwrap().rsplit('=').next().unwrap().to_owned();
    let share = |detail: decarb_store::PlantDetail| detail.owners.first().and_then(|o| o.share);
    assert_eq!(
        share(store.plant(LULEA_KEY, None).await.unwrap()),
        None,
        "GEM's file gives no share; not before approval"
    );
    let queue = request(&app, "GET", "/review", Some(&eda), None).await;
    assert!(queue.html.contains(&format!("data-key=\"{LULEA_KEY}\"")), "{}", queue.html);
    assert!(
        queue.html.contains("web:cora-contributor") && queue.html.contains("SSAB owns the works in full")
    );
    assert!(queue.html.contains(&format!("href=\"{history_uri}\"")), "the queue links the plant's history");
    let done = request(
        &app,
        "POST",
        &format!("/review/{id}/approve"),
        Some(&eda),
        Some(&[("csrf", &csrf(&queue.html))]),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(share(store.plant(LULEA_KEY, None).await.unwrap()), Some(1.0));
    let history = request(&app, "GET", &history_uri, None, None).await.html;
    assert!(
        history.contains("web:cora-contributor") && history.contains("SSAB owns the works in full"),
        "{history}"
    );

    // Retiring the announced phase through its form unlists it; its page and history stay.
    let announced = "P100000120845~announced";
    let form = request(&app, "GET", &format!("/edit/plants?key={announced}"), Some(&eda), None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    let retire = vec![
        ("csrf", csrf(&form.html)),
        ("key", hidden(&form.html, "key")),
        ("version", hidden(&form.html, "version")),
        ("note", "plan withdrawn".to_owned()),
        ("valid_from", "2026-02-01".to_owned()),
    ];
    let gone = post(retire, eda.clone(), "retire").await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.html);
    assert!(!store.plant("gem-steel/P100000120845~announced", None).await.unwrap().listed);
    assert_eq!(
        request(&app, "GET", "/edit/plants", Some(&eda), None).await.status,
        StatusCode::NOT_FOUND,
        "plants are not created from a form"
    );
}

/// An analysis created, changed and retired through the dashboard's forms: a bad date named
/// beside its field, a contributor's change approved from the review queue, links from the
/// analysis page for a signed-in user.
#[test]
fn analyses_are_created_changed_and_retired_through_the_dashboard() {
    let Some(db) = tracker_copy("dashboard_editing_analyses") else { return };
    runtime().block_on(async {
        let state = state(&db).await;
        let store = state.store.clone();
        let app = decarb_server::app(state);
        let contributor =
            decarb_server::tokens::create_with(&store, "cora-contributor", Role::Contributor, None)
                .await
                .unwrap();
        let editor =
            decarb_server::tokens::create_with(&store, "eda-editor", Role::Editor, None).await.unwrap();
        let (eda, _) = sign_in(&app, &editor, None).await;

        let new = request(&app, "GET", "/edit/analyses", Some(&eda), None).await;
        assert_eq!(new.status, StatusCode::OK, "{}", new.html);
        let token = csrf(&new.html);
        let analysis = [
            ("csrf", token.as_str()),
            ("title", "U.S. joins LeadIT"),
            ("published", "2021-04-23"),
            ("authors", "Andrea Lindblom"),
            ("tags", "Climate Politics\r\nPartnerships"),
            ("countries", "United States\r\nSWE"),
            ("sectors", "Steel"),
            ("body_markdown", "The **United States** has joined."),
            ("note", "published on the website"),
            ("source_url", "https://www.industrytransition.org/insights/us-joins-leadit/"),
        ];
        let no_title: Vec<(&str, &str)> = analysis.iter().copied().filter(|(k, _)| *k != "title").collect();
        let refused = request(&app, "POST", "/edit/analyses/create", Some(&eda), Some(&no_title)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        assert!(refused.html.contains("data-field=\"title\""), "{}", refused.html);
        let made = request(&app, "POST", "/edit/analyses/create", Some(&eda), Some(&analysis)).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.html);
        assert_eq!(made.location.as_deref(), Some("/history/analyses/u-s-joins-leadit?saved=1"));
        let read = store.analysis("u-s-joins-leadit").await.unwrap();
        assert_eq!(read.tags, ["Climate Politics", "Partnerships"]);
        assert_eq!(
            read.linked(decarb_store::analyses::LinkKind::Country).collect::<Vec<_>>(),
            ["SWE", "USA"]
        );

        // The analysis page links its form and history for a signed-in user only.
        let public = request(&app, "GET", "/analyses/u-s-joins-leadit", None, None).await.html;
        assert!(public.contains("United States") && !public.contains("data-testid=\"edit-links\""));
        let page = request(&app, "GET", "/analyses/u-s-joins-leadit", Some(&eda), None).await.html;
        assert!(page.contains("href=\"/edit/analyses?key=u-s-joins-leadit\""), "{page}");

        // A date that does not exist is named beside its field; nothing is saved.
        let form = request(&app, "GET", "/edit/analyses?key=u-s-joins-leadit", Some(&eda), None).await;
        assert!(form.html.contains("U.S. joins LeadIT"), "the record now");
        let version = hidden(&form.html, "version");
        let bad = [
            ("csrf", token.as_str()),
            ("key", "u-s-joins-leadit"),
            ("version", version.as_str()),
            ("published", "2021-02-30"),
            ("note", "typo"),
        ];
        let page = request(&app, "POST", "/edit/analyses/update", Some(&eda), Some(&bad)).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.html);
        assert!(
            page.html.contains("data-field=\"published\"") && page.html.contains("February 2021 has 28 days")
        );

        analysis_reviewed_and_retired(&app, &store, &eda, &contributor).await;
        store.close().await;
    });
}

/// A contributor's new title of the analysis waits in the review queue until approved; the
/// analysis is retired through its form and its history stays.
async fn analysis_reviewed_and_retired(
    app: &Router,
    store: &decarb_store::Store,
    eda: &str,
    contributor: &str,
) {
    let (app, eda) = (app.clone(), eda.to_owned());
    // A contributor's new title waits in the review queue; approved, it is the title.
    let (cora, _) = sign_in(&app, contributor, None).await;
    let form = request(&app, "GET", "/edit/analyses?key=u-s-joins-leadit", Some(&cora), None).await;
    let change = [
        ("csrf", csrf(&form.html)),
        ("key", "u-s-joins-leadit".to_owned()),
        ("version", hidden(&form.html, "version")),
        ("title", "The United States joins LeadIT".to_owned()),
        ("note", "full name".to_owned()),
    ];
    let change: Vec<(&str, &str)> = change.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let filed = request(&app, "POST", "/edit/analyses/update", Some(&cora), Some(&change)).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.html);
    let id = filed.location.unwrap().rsplit('=').next().unwrap().to_owned();
    assert_eq!(store.analysis("u-s-joins-leadit").await.unwrap().title, "U.S. joins LeadIT");
    let queue = request(&app, "GET", "/review", Some(&eda), None).await;
    assert!(queue.html.contains("href=\"/history/analyses/u-s-joins-leadit\""), "{}", queue.html);
    let done = request(
        &app,
        "POST",
        &format!("/review/{id}/approve"),
        Some(&eda),
        Some(&[("csrf", &csrf(&queue.html))]),
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(store.analysis("u-s-joins-leadit").await.unwrap().title, "The United States joins LeadIT");

    // Retired through its form: gone from the list and its page; its history stays.
    let form = request(&app, "GET", "/edit/analyses?key=u-s-joins-leadit", Some(&eda), None).await;
    let token = csrf(&form.html);
    let retire = [
        ("csrf", token.as_str()),
        ("key", "u-s-joins-leadit"),
        ("version", &hidden(&form.html, "version")),
        ("note", "withdrawn"),
    ];
    let gone = request(&app, "POST", "/edit/analyses/retire", Some(&eda), Some(&retire)).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.html);
    assert_eq!(
        request(&app, "GET", "/analyses/u-s-joins-leadit", None, None).await.status,
        StatusCode::NOT_FOUND
    );
    let history = request(&app, "GET", "/history/analyses/u-s-joins-leadit", None, None).await.html;
    assert!(
        history.contains("withdrawn")
            && history.contains("web:cora-contributor")
            && history.contains("web:eda-editor")
    );
}
