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
