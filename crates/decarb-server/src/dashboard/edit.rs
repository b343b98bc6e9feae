//! Forms to create, update and retire projects, members, pledges and partnerships, for a
//! signed-in contributor (whose changes become proposals) or editor (whose changes apply).
//!
//! Plain HTML forms, POST-redirect-GET, no JavaScript. A form's fields are turned into the very
//! JSON body the API takes (`api::writes`, `api::registry`) and go through the same checks and
//! the same write path ([`crate::api::writes::submit`] over `decarb_store::edits`): the form holds
//! no validation of its own beyond reading numbers out of text boxes. The store's errors name the
//! field, and the form shows each next to its field. An update carries the version the form was
//! opened on; a stale submit is refused with a message and nothing is overwritten.

use super::page::layout;
use super::session::{self, Account};
use crate::AppState;
use crate::api::writes::{self, Outcome};
use crate::problem::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::url_component;
use decarb_store::{Edit, Role, Target};
use maud::{Markup, html};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

type FormData = BTreeMap<String, String>;

#[derive(Clone, Copy)]
enum Ty {
    Text,
    Area,
    Lines,
    Int,
    Float,
    Check,
    /// Yes, no or (empty) unchanged.
    YesNo,
    Choice(&'static [&'static str]),
}

struct Field {
    name: &'static str,
    label: &'static str,
    ty: Ty,
    required: bool,
}

const fn f(name: &'static str, label: &'static str, ty: Ty, required: bool) -> Field {
    Field { name, label, ty, required }
}

const MEMBER_KINDS: &[&str] = &["country", "company"];
const PARTNERSHIP_KINDS: &[&str] = &["bilateral", "value_chain"];

fn stages() -> &'static [&'static str] {
    const STAGES: &[&str] = &[
        "announced",
        "feasibility",
        "fid",
        "construction",
        "operating",
        "paused",
        "completed",
        "cancelled",
        "decommissioned",
    ];
    STAGES
}

/// The kinds of record the forms edit, as the URL names them.
pub const KINDS: [&str; 4] = ["projects", "members", "pledges", "partnerships"];

fn singular(kind: &str) -> &'static str {
    match kind {
        "projects" => "project",
        "members" => "member",
        "pledges" => "pledge",
        _ => "partnership",
    }
}

fn create_fields(kind: &str) -> Vec<Field> {
    match kind {
        "projects" => vec![
            f("key", "Key (a new, stable slug)", Ty::Text, true),
            f("name", "Name", Ty::Text, true),
            f("sector", "Sector (steel, cement, ...)", Ty::Text, true),
            f("technology", "Technology", Ty::Text, true),
            f("country", "Country (ISO code or name)", Ty::Text, true),
            f("stage", "Stage", Ty::Choice(stages()), false),
            f("companies", "Companies (one a line)", Ty::Lines, false),
            f("capacity_value", "Capacity", Ty::Float, false),
            f("capacity_unit", "Capacity unit (Mt steel/yr)", Ty::Text, false),
            f("start", "Start (2027, 2027-06)", Ty::Text, false),
            f("notes", "Notes", Ty::Area, false),
        ],
        "members" => vec![
            f("name", "Name", Ty::Text, true),
            f("kind", "Kind", Ty::Choice(MEMBER_KINDS), true),
            f("country", "Country (ISO code or name)", Ty::Text, false),
            f("joined", "Joined (2019, 2019-09, 2019-09-23)", Ty::Text, false),
            f("notes", "Notes", Ty::Area, false),
        ],
        "pledges" => vec![
            f("member", "Member", Ty::Text, true),
            f("metric", "Metric (net-zero, ...)", Ty::Text, true),
            f("scope", "Scope (economy-wide, ...)", Ty::Text, true),
            f("target_year", "Target year", Ty::Int, false),
            f("milestone_2030", "2030 milestone", Ty::Text, false),
            f("status", "Status (in law, policy document, pledge)", Ty::Text, false),
            f("verified", "Verified", Ty::Check, false),
            f("stated", "Stated (2019, 2019-09, 2019-09-23)", Ty::Text, false),
            f("notes", "Notes", Ty::Area, false),
        ],
        _ => vec![
            f("name", "Name", Ty::Text, true),
            f("kind", "Kind", Ty::Choice(PARTNERSHIP_KINDS), true),
            f("parties", "Parties (one a line, at least two)", Ty::Lines, true),
            f("started", "Started (2023, 2023-12)", Ty::Text, false),
            f("venue", "Venue", Ty::Text, false),
            f("parent", "Parent initiative", Ty::Text, false),
            f("description", "Description", Ty::Area, false),
        ],
    }
}

fn update_fields(kind: &str) -> Vec<Field> {
    match kind {
        "projects" => vec![
            f("stage", "Stage", Ty::Choice(stages()), false),
            f("technology", "Technology", Ty::Text, false),
            f("capacity_value", "Capacity", Ty::Float, false),
            f("capacity_unit", "Capacity unit", Ty::Text, false),
            f("start", "Start", Ty::Text, false),
            f("fid", "Final investment decision", Ty::Text, false),
            f("notes", "Notes", Ty::Area, false),
        ],
        "members" => vec![
            f("kind", "Kind", Ty::Choice(MEMBER_KINDS), false),
            f("country", "Country", Ty::Text, false),
            f("joined", "Joined", Ty::Text, false),
            f("left_on", "Left on", Ty::Text, false),
            f("notes", "Notes", Ty::Area, false),
        ],
        "pledges" => vec![
            f("target_year", "Target year", Ty::Int, false),
            f("milestone_2030", "2030 milestone", Ty::Text, false),
            f("status", "Status", Ty::Text, false),
            f("verified", "Verified", Ty::YesNo, false),
            f("stated", "Stated", Ty::Text, false),
            f("notes", "Notes", Ty::Area, false),
        ],
        _ => vec![
            f("parties", "Parties (one a line; replaces the list)", Ty::Lines, false),
            f("started", "Started", Ty::Text, false),
            f("venue", "Venue", Ty::Text, false),
            f("parent", "Parent initiative", Ty::Text, false),
            f("description", "Description", Ty::Area, false),
        ],
    }
}

/// Why, evidence and date: every write's.
fn meta_fields(create: bool) -> Vec<Field> {
    let mut fields = vec![
        f("note", "Why (required: what changed and how you know)", Ty::Area, true),
        f("source_url", "Source address (http or https)", Ty::Text, create),
    ];
    if create {
        fields.push(f("citation", "Citation (the source's title; the address when empty)", Ty::Text, false));
    }
    fields.push(f("valid_from", "Valid from (YYYY-MM-DD; today when empty)", Ty::Text, false));
    fields
}

/// The field an error is shown beside: the API's name without its `project.`/`changes.` prefix.
fn field_of(name: &str) -> String {
    let name = name.rsplit('.').next().unwrap_or(name);
    match name {
        "capacity" => "capacity_value".to_owned(),
        "url" => "source_url".to_owned(),
        other => other.to_owned(),
    }
}

/// Reads the form's fields into the API's JSON; a number that is not one is an error on its
/// field.
fn to_json(fields: &[Field], form: &FormData) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for field in fields {
        let raw = form.get(field.name).map_or("", |v| v.trim());
        let value = match field.ty {
            Ty::Check => Value::Bool(!raw.is_empty()),
            _ if raw.is_empty() => continue,
            Ty::Text | Ty::Area | Ty::Choice(_) => Value::String(raw.to_owned()),
            Ty::Lines => Value::Array(
                raw.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_owned()))
                    .collect(),
            ),
            Ty::Int => raw.parse::<i64>().map(Value::from).map_err(|_| {
                ApiError::field(field.name, format!("{}: found {raw:?}, expected a whole number", field.name))
            })?,
            Ty::Float => {
                raw.parse::<f64>().ok().filter(|v| v.is_finite()).map(Value::from).ok_or_else(|| {
                    ApiError::field(field.name, format!("{}: found {raw:?}, expected a number", field.name))
                })?
            }
            Ty::YesNo => Value::Bool(raw == "yes"),
        };
        out.insert(field.name.to_owned(), value);
    }
    Ok(out)
}

fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::bad_request(format!("the form could not be read: {e}")))
}

fn text(form: &FormData, name: &str) -> Option<String> {
    form.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// The edit a create form asks for, through the API's own checks.
fn create_edit(
    kind: &str,
    form: &FormData,
    account: &Account,
) -> Result<(Edit, decarb_store::WriteMeta), ApiError> {
    let caller = account.caller();
    let fields = to_json(&create_fields(kind), form)?;
    if kind == "members" {
        let mut body = fields;
        body.insert("source".into(), json!({"citation": text(form, "citation").or_else(|| text(form, "source_url")).unwrap_or_default(), "url": text(form, "source_url")}));
        body.insert("note".into(), json!(text(form, "note").unwrap_or_default()));
        if let Some(day) = text(form, "valid_from") {
            body.insert("valid_from".into(), json!(day));
        }
        if text(form, "note").is_none() {
            return Err(ApiError::field(
                "note",
                "note: found \"\", expected a note saying why the change is made",
            ));
        }
        let (edit, meta, _) = crate::api::registry::member_edit(from_json(Value::Object(body))?, &caller)?;
        return Ok((edit, meta));
    }
    let record = fields;
    let body = json!({
        "note": text(form, "note").unwrap_or_default(),
        "source_url": text(form, "source_url"),
        "citation": text(form, "citation"),
        "valid_from": text(form, "valid_from"),
        singular(kind): Value::Object(record),
    });
    let body: writes::NewRecordBody = from_json(body)?;
    let record = writes::new_record(&body)?;
    let meta = decarb_store::WriteMeta {
        by: caller.actor(),
        note: body.note,
        source_url: body.source_url,
        valid_from: body.valid_from,
    };
    Ok((Edit::Create { record: Box::new(record) }, meta))
}

/// The edit an update form asks for, through the API's body types.
fn update_edit(
    kind: &str,
    key: &str,
    form: &FormData,
    account: &Account,
) -> Result<(Edit, decarb_store::WriteMeta), ApiError> {
    let caller = account.caller();
    let mut changes = to_json(&update_fields(kind), form)?;
    if kind == "projects" {
        let value = changes.remove("capacity_value");
        let unit = changes.remove("capacity_unit");
        match (value, unit) {
            (None, None) => {}
            (Some(v), Some(u)) => {
                changes.insert("capacity".into(), json!([v, u]));
            }
            _ => {
                return Err(ApiError::field(
                    "capacity_value",
                    "capacity_value: give the capacity with its unit (both, or neither)",
                ));
            }
        }
    }
    let body = json!({
        "note": text(form, "note").unwrap_or_default(),
        "source_url": text(form, "source_url"),
        "valid_from": text(form, "valid_from"),
        "changes": Value::Object(changes),
    });
    let target = writes::target_of(kind, key)?;
    Ok(match target {
        Target::Project { key } => {
            let (meta, patch) = from_json::<writes::ProjectChange>(body)?.split(&caller);
            (Edit::UpdateProject { key, patch }, meta)
        }
        Target::Member { name } => {
            let (meta, patch) = from_json::<writes::MemberChange>(body)?.split(&caller);
            (Edit::UpdateMember { name, patch }, meta)
        }
        Target::Pledge { member, metric, scope } => {
            let (meta, patch) = from_json::<writes::PledgeChange>(body)?.split(&caller);
            (Edit::UpdatePledge { member, metric, scope, patch }, meta)
        }
        Target::Partnership { name } => {
            let (meta, patch) = from_json::<writes::PartnershipChange>(body)?.split(&caller);
            (Edit::UpdatePartnership { name, patch }, meta)
        }
        // Not among the dashboard's kinds (`KINDS`): written through the API and the CLI.
        Target::Analysis { .. } | Target::Plant { .. } => {
            return Err(ApiError::not_found(format!(
                "{kind} have no form on the dashboard: use the API or the CLI"
            )));
        }
    })
}

fn retire_edit(
    kind: &str,
    key: &str,
    form: &FormData,
    account: &Account,
) -> Result<(Edit, decarb_store::WriteMeta), ApiError> {
    let why: writes::Why = from_json(json!({
        "note": text(form, "note").unwrap_or_default(),
        "source_url": text(form, "source_url"),
        "valid_from": text(form, "valid_from"),
    }))?;
    let target = writes::target_of(kind, key)?;
    Ok((Edit::Retire { target }, writes::meta(why, &account.caller())))
}

fn input(field: &Field, form: &FormData, errors: &BTreeMap<String, String>) -> Markup {
    let value = form.get(field.name).map_or("", String::as_str);
    let error = errors.get(field.name);
    let id = format!("f-{}", field.name);
    html! {
        div.field {
            label for=(id) { (field.label) @if field.required { " *" } }
            @match field.ty {
                Ty::Area => textarea id=(id) name=(field.name) rows="3" required[field.required] { (value) },
                Ty::Lines => textarea id=(id) name=(field.name) rows="3" required[field.required] { (value) },
                Ty::Check => input id=(id) type="checkbox" name=(field.name) checked[!value.is_empty()];,
                Ty::YesNo => select id=(id) name=(field.name) {
                    option value="" { "(unchanged)" }
                    option value="yes" selected[value == "yes"] { "yes" }
                    option value="no" selected[value == "no"] { "no" }
                },
                Ty::Choice(choices) => select id=(id) name=(field.name) {
                    option value="" { (if field.required { "(choose)" } else { "(unchanged / default)" }) }
                    @for c in choices { option value=(c) selected[value == *c] { (c) } }
                },
                Ty::Int | Ty::Float | Ty::Text => input id=(id) type="text" name=(field.name) value=(value) required[field.required];,
            }
            @if let Some(error) = error {
                span.field-error role="alert" data-field=(field.name) { (error) }
            }
        }
    }
}

fn errors_of(err: &ApiError) -> BTreeMap<String, String> {
    err.errors.iter().map(|e| (field_of(&e.field), e.detail.clone())).collect()
}

/// A form page with its fields, values as submitted and errors beside their fields.
#[allow(clippy::too_many_arguments)]
fn form_page(
    status: StatusCode,
    title: &str,
    account: &Account,
    action: &str,
    hidden: &[(&str, String)],
    fields: &[Field],
    form: &FormData,
    err: Option<&ApiError>,
    intro: &Markup,
    below: &Markup,
) -> Response {
    let errors = err.map(errors_of).unwrap_or_default();
    let general =
        err.filter(|e| e.errors.iter().all(|fe| !fields.iter().any(|f| f.name == field_of(&fe.field))));
    let body = html! {
        (intro)
        @if let Some(err) = general {
            p.error data-testid="form-error" role="alert" { (message(err)) }
        }
        form.edit method="post" action=(action) {
            input type="hidden" name="csrf" value=(account.csrf);
            @for (name, value) in hidden { input type="hidden" name=(name) value=(value); }
            @for field in fields { (input(field, form, &errors)) }
            button type="submit" { (if account.role >= Role::Editor { "Save" } else { "Propose for review" }) }
        }
        (below)
    };
    (status, layout(title, "", &body)).into_response()
}

/// What a failed write says to a person: a stale version in plain words.
pub(crate) fn message(err: &ApiError) -> String {
    if err.status == StatusCode::PRECONDITION_FAILED {
        format!(
            "This record was changed by someone else since you opened the form, so your change was not saved (nothing was overwritten). Open the form again to see the current record and make your change on it. ({})",
            err.detail
        )
    } else {
        err.detail.clone()
    }
}

fn status_of(err: &ApiError) -> StatusCode {
    if err.status == StatusCode::PRECONDITION_FAILED { StatusCode::CONFLICT } else { err.status }
}

fn kind_or_404(kind: &str) -> Result<&'static str, Box<Response>> {
    KINDS.into_iter().find(|k| *k == kind).ok_or_else(|| {
        Box::new(super::page::error_page(
            StatusCode::NOT_FOUND,
            &ApiError::not_found(format!("no kind of record {kind:?}")),
        ))
    })
}

/// GET /edit: what can be edited, and a message after a proposal was filed.
pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let account = match session::require(&state, &headers, Role::Contributor, "editing the tracker") {
        Ok(a) => a,
        Err(response) => return *response,
    };
    let body = html! {
        @if let Some(id) = params.get("proposed") {
            p.notice data-testid="proposed" role="status" {
                "Your change was filed as proposal #" (id) "; it takes effect when an editor approves it."
            }
        }
        p { @if account.role >= Role::Editor { "Your changes apply at once." } @else { "Your changes are proposals: an editor reviews each before it takes effect." } }
        h2 { "New record" }
        ul { @for kind in KINDS { li { a href=(format!("/edit/{kind}")) { "New " (singular(kind)) } } } }
        h2 { "Change or retire a record" }
        form.filters method="get" action="/edit/lookup" {
            label { "Kind " select name="kind" { @for kind in KINDS { option value=(kind) { (singular(kind)) } } } } " "
            label { "Key " input name="key" placeholder="project key, member or partnership name, member/metric/scope"; } " "
            button { "Open" }
        }
    };
    layout("Edit the tracker", "", &body).into_response()
}

/// GET /edit/lookup?kind=..&key=..: the edit form of that record.
pub async fn lookup(Query(params): Query<BTreeMap<String, String>>) -> Response {
    let kind = params.get("kind").map_or("projects", String::as_str);
    let key = params.get("key").map_or("", |k| k.trim());
    session::redirect(&format!("/edit/{}?key={}", url_component(kind), url_component(key)))
}

/// GET /edit/{kind}: the create form, or with `?key=` the update and retire forms of a record.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let account = match session::require(&state, &headers, Role::Contributor, "editing the tracker") {
        Ok(a) => a,
        Err(response) => return *response,
    };
    let kind = match kind_or_404(&kind) {
        Ok(k) => k,
        Err(response) => return *response,
    };
    let empty = FormData::new();
    match params.get("key").filter(|k| !k.trim().is_empty()) {
        None => new_form(StatusCode::OK, kind, &account, &empty, None),
        Some(key) => edit_forms(&state, StatusCode::OK, kind, key, &account, &empty, None, None).await,
    }
}

fn new_form(
    status: StatusCode,
    kind: &str,
    account: &Account,
    form: &FormData,
    err: Option<&ApiError>,
) -> Response {
    let mut fields = create_fields(kind);
    fields.extend(meta_fields(true));
    let intro = html! { p { "Fields marked * are required. A new record needs the address of its source." } };
    form_page(
        status,
        &format!("New {}", singular(kind)),
        account,
        &format!("/edit/{kind}/create"),
        &[],
        &fields,
        form,
        err,
        &intro,
        &html! {},
    )
}

#[allow(clippy::too_many_arguments)]
async fn edit_forms(
    state: &AppState,
    status: StatusCode,
    kind: &str,
    key: &str,
    account: &Account,
    form: &FormData,
    err: Option<&ApiError>,
    retire_err: Option<&ApiError>,
) -> Response {
    let target = match writes::target_of(kind, key) {
        Ok(t) => t,
        Err(err) => return super::page::error_page(StatusCode::NOT_FOUND, &err),
    };
    let current = match state.store.record_version(&target).await {
        Ok(v) => v,
        Err(err) => return super::page::error_page(StatusCode::NOT_FOUND, &err.into()),
    };
    let shown = current_record(state, &target).await;
    // A resubmitted form keeps the version it was opened on, so a stale one stays stale.
    let version = form.get("version").cloned().unwrap_or_else(|| current.version.to_string());
    let history = format!("/history/{kind}/{}", url_component(key));
    let mut fields = update_fields(kind);
    fields.extend(meta_fields(false));
    let hidden = [("key", key.to_owned()), ("version", version.clone())];
    let intro = html! {
        p {
            "Version " span data-testid="version" { (version) } ". Leave a field empty to keep it as it is. "
            a href=(history) { "History of this record" }
        }
        @if let Some(day) = &current.retired_on { p.error { "Retired on " (day) "." } }
        @if let Some(Value::Object(fields)) = &shown {
            details open {
                summary { "The record now" }
                table.current data-testid="current" {
                    @for (name, value) in fields {
                        @if !value.is_null() && value.as_array().is_none_or(|a| !a.is_empty()) {
                            tr { th { (name) } td { (match value { Value::String(s) => s.clone(), other => other.to_string() }) } }
                        }
                    }
                }
            }
        }
    };
    // The retire form below the update form, in the same page.
    let retire = html! {
        h2 { "Retire" }
        p { "Retiring takes the record out of every list from the date given; nothing is deleted and its history stays." }
        @if let Some(err) = retire_err { p.error data-testid="retire-error" role="alert" { (message(err)) } }
        form.edit method="post" action=(format!("/edit/{kind}/retire")) {
            input type="hidden" name="csrf" value=(account.csrf);
            input type="hidden" name="key" value=(key);
            input type="hidden" name="version" value=(version);
            @for field in meta_fields(false) { (input(&field, &FormData::new(), &BTreeMap::new())) }
            button type="submit" { "Retire" }
        }
    };
    form_page(
        status,
        &format!("Change {} {key}", singular(kind)),
        account,
        &format!("/edit/{kind}/update"),
        &hidden,
        &fields,
        form,
        err,
        &intro,
        &retire,
    )
}

/// The record as the API lists it (its current values), for reading before changing it.
async fn current_record(state: &AppState, target: &Target) -> Option<Value> {
    let all = decarb_store::RegistryFilter::default();
    let value = match target {
        Target::Project { key } => serde_json::to_value(state.store.project(key, None).await.ok()?),
        Target::Member { name } => {
            serde_json::to_value(state.store.members(&all).await.ok()?.into_iter().find(|m| &m.name == name)?)
        }
        Target::Pledge { member, metric, scope } => serde_json::to_value(
            state
                .store
                .pledges(&all)
                .await
                .ok()?
                .into_iter()
                .find(|p| &p.member == member && &p.metric == metric && &p.scope == scope)?,
        ),
        Target::Partnership { name } => serde_json::to_value(
            state.store.partnerships(&all).await.ok()?.into_iter().find(|p| &p.name == name)?,
        ),
        Target::Analysis { .. } | Target::Plant { .. } => return None,
    };
    value.ok()
}

fn after(kind: &str, key: &str, outcome: &Outcome) -> Response {
    match outcome {
        Outcome::Proposed(p) => session::redirect(&format!("/edit?proposed={}", p.id)),
        Outcome::Applied(_) => session::redirect(&format!("/history/{kind}/{}?saved=1", url_component(key))),
    }
}

/// POST /edit/{kind}/{action}: create, update or retire.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((kind, action)): Path<(String, String)>,
    axum::Form(form): axum::Form<FormData>,
) -> Response {
    let account = match session::post_account(&state, &headers, &form).await {
        Ok(a) => a,
        Err(err) => return super::page::error_page(err.status, &err),
    };
    if account.role < Role::Contributor {
        return super::page::error_page(
            StatusCode::FORBIDDEN,
            &ApiError::forbidden(format!(
                "writing needs the role contributor or higher; {:?} is a reader",
                account.name
            )),
        );
    }
    let kind = match kind_or_404(&kind) {
        Ok(k) => k,
        Err(response) => return *response,
    };
    let key = text(&form, "key").unwrap_or_default();
    let version: Option<i64> = form.get("version").and_then(|v| v.trim().parse().ok());
    match action.as_str() {
        "create" => {
            let result = match create_edit(kind, &form, &account) {
                Ok((edit, meta)) => writes::submit(&state, &account.caller(), &edit, &meta, None)
                    .await
                    .map(|o| (edit.target().key(), o)),
                Err(err) => Err(err),
            };
            match result {
                Ok((key, outcome)) => after(kind, &key, &outcome),
                Err(err) => new_form(status_of(&err), kind, &account, &form, Some(&err)),
            }
        }
        "update" | "retire" => {
            let edit = if action == "update" {
                update_edit(kind, &key, &form, &account)
            } else {
                retire_edit(kind, &key, &form, &account)
            };
            let result = match edit {
                Ok((edit, meta)) => writes::submit(&state, &account.caller(), &edit, &meta, version).await,
                Err(err) => Err(err),
            };
            match result {
                Ok(outcome) => after(kind, &key, &outcome),
                Err(err) if action == "update" => {
                    edit_forms(&state, status_of(&err), kind, &key, &account, &form, Some(&err), None).await
                }
                Err(err) => {
                    let kept: FormData =
                        form.get("version").map(|v| ("version".to_owned(), v.clone())).into_iter().collect();
                    edit_forms(&state, status_of(&err), kind, &key, &account, &kept, None, Some(&err)).await
                }
            }
        }
        other => super::page::error_page(
            StatusCode::NOT_FOUND,
            &ApiError::not_found(format!("no action {other:?} (create, update or retire)")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use decarb_model::tracker::ProjectStage;

    #[test]
    fn form_text_becomes_the_apis_json() {
        let mut form = FormData::new();
        form.insert("target_year".into(), " 2045 ".into());
        form.insert("verified".into(), "yes".into());
        form.insert("notes".into(), String::new());
        let json = to_json(&update_fields("pledges"), &form).unwrap();
        assert_eq!(Value::Object(json), json!({"target_year": 2045, "verified": true}));
        form.insert("target_year".into(), "soon".into());
        let err = to_json(&update_fields("pledges"), &form).unwrap_err();
        assert_eq!(err.errors[0].field, "target_year");
        assert_eq!(field_of("project.country"), "country");
        assert_eq!(field_of("changes.target_year"), "target_year");
        let names: Vec<&str> = ProjectStage::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(stages(), names.as_slice());
    }
}
