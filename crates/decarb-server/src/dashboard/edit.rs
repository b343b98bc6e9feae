//! Forms to create, update and retire projects, members, pledges, partnerships and analyses,
//! and to correct and retire plants, for a signed-in contributor (whose changes become
//! proposals) or editor (whose changes apply).
//!
//! Plain HTML forms, POST-redirect-GET, no JavaScript. A form's fields are turned into the very
//! JSON body the API takes (`api::writes`, `api::registry`) and go through the same checks and
//! the same write path ([`crate::api::writes::submit`] over `decarb_store::edits`): the form holds
//! no validation of its own beyond reading numbers out of text boxes. The store's errors name the
//! field, and the form shows each next to its field. An update carries the version the form was
//! opened on; a stale submit is refused with a message and nothing is overwritten.
//!
//! A plant is corrected, never created (plants come from the trackers' files). Its owners and
//! parents are written as GEM writes them (`SSAB AB [100%]`, `A [49%]; B`) and its coordinates as
//! `latitude, longitude`, read by the importer's own readers (`decarb_data::import::cells`), as
//! `decarb plants correct` reads them.

use super::page::layout;
use super::session::{self, Account};
use crate::AppState;
use crate::api::writes::{self, Outcome};
use crate::problem::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::url_component;
use decarb_data::import::cells;
use decarb_model::tracker::ProjectStage;
use decarb_model::{PlantStatus, Route};
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
    /// Holders as GEM writes them (`A [49%]; B`), sent as `[{"name", "share"}]`.
    Holders,
    /// `latitude, longitude`, sent as `[lat, lon]`.
    Place,
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

/// The project stages a form offers: the model's, in pipeline order.
const STAGES: &[&str] = &ProjectStage::NAMES;

/// A plant's statuses and routes: the model's.
const PLANT_STATUSES: &[&str] = &PlantStatus::NAMES;
const ROUTES: &[&str] = &Route::NAMES;

/// The kinds of record the forms edit, as the URL names them.
pub const KINDS: [&str; 6] = ["projects", "members", "pledges", "partnerships", "analyses", "plants"];

/// The kinds a form creates: plants come from the trackers' files and are only corrected.
pub const CREATE_KINDS: [&str; 5] = ["projects", "members", "pledges", "partnerships", "analyses"];

fn singular(kind: &str) -> &'static str {
    match kind {
        "projects" => "project",
        "members" => "member",
        "pledges" => "pledge",
        "analyses" => "analysis",
        "plants" => "plant",
        _ => "partnership",
    }
}

fn create_fields(kind: &str) -> Vec<Field> {
    match kind {
        "analyses" => analysis_fields(true),
        "projects" => vec![
            f("key", "Key (a new, stable slug)", Ty::Text, true),
            f("name", "Name", Ty::Text, true),
            f("sector", "Sector (steel, cement, ...)", Ty::Text, true),
            f("technology", "Technology", Ty::Text, true),
            f("country", "Country (ISO code or name)", Ty::Text, true),
            f("stage", "Stage", Ty::Choice(STAGES), false),
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

fn analysis_fields(create: bool) -> Vec<Field> {
    let mut fields = Vec::new();
    if create {
        fields.push(f("slug", "Slug (from the title when empty)", Ty::Text, false));
    }
    fields.extend([
        f("title", "Title", Ty::Text, create),
        f("published", "Published (YYYY-MM-DD)", Ty::Text, create),
        f("authors", "Authors (one a line)", Ty::Lines, false),
        f("tags", "Tags (one a line)", Ty::Lines, false),
        f("body_markdown", "Body (Markdown)", Ty::Area, false),
        f("countries", "Countries it discusses (ISO codes or names, one a line)", Ty::Lines, false),
        f("sectors", "Sectors (one a line)", Ty::Lines, false),
        f("projects", "Project keys (one a line)", Ty::Lines, false),
        f("partnerships", "Partnership names (one a line)", Ty::Lines, false),
    ]);
    fields
}

fn update_fields(kind: &str) -> Vec<Field> {
    match kind {
        "analyses" => analysis_fields(false),
        "plants" => vec![
            f("name", "Name", Ty::Text, false),
            f("status", "Status", Ty::Choice(PLANT_STATUSES), false),
            f("route", "Route", Ty::Choice(ROUTES), false),
            f("capacity_tpa", "Capacity (t/yr)", Ty::Float, false),
            f("start", "Start (1941, 2019-09, March 2019, unknown)", Ty::Text, false),
            f(
                "owners",
                "Owners, all of them, as GEM writes them (SSAB AB [100%]; A [49%]; B)",
                Ty::Holders,
                false,
            ),
            f("parents", "Parent companies, all of them, as the owners", Ty::Holders, false),
            f("coordinates", "Coordinates (latitude, longitude: 65.5597, 22.2197)", Ty::Place, false),
        ],
        "projects" => vec![
            f("stage", "Stage", Ty::Choice(STAGES), false),
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
        if field.required && raw.is_empty() {
            return Err(ApiError::field(
                field.name,
                format!("{}: found nothing; it is required", field.name),
            ));
        }
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
            Ty::Holders => {
                let (list, _) = cells::ownerships(raw, "").map_err(|problem| {
                    ApiError::field(
                        field.name,
                        format!(
                            "{}: found {raw:?}, expected {}; here {problem}",
                            field.name,
                            cells::EXPECTED_SHARES
                        ),
                    )
                })?;
                Value::Array(list.into_iter().map(|o| json!({"name": o.name, "share": o.share})).collect())
            }
            Ty::Place => match cells::coordinates(cells::Cell::Text(raw)) {
                Ok(Some((lat, lon))) => json!([lat, lon]),
                _ => {
                    return Err(ApiError::field(
                        field.name,
                        format!("{}: found {raw:?}, expected {}", field.name, cells::EXPECTED_COORDINATES),
                    ));
                }
            },
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
        Target::Analysis { slug } => {
            let (meta, patch) = from_json::<writes::AnalysisChange>(body)?.split(&caller);
            (Edit::UpdateAnalysis { slug, patch }, meta)
        }
        // `key` is the plant's store key ([`resolve_key`]).
        Target::Plant { key } => {
            let (meta, patch) = from_json::<writes::PlantChange>(body)?.split(&caller);
            (Edit::CorrectPlant { key, patch }, meta)
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
                Ty::Int | Ty::Float | Ty::Text | Ty::Holders | Ty::Place => input id=(id) type="text" name=(field.name) value=(value) required[field.required];,
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

/// The key the store knows a record by: a plant's id (`P100000120845~operating-pre-retirement`,
/// a source id or `family/key`) resolved to its store key, as the API's plant routes do; other
/// keys as given.
async fn resolve_key(state: &AppState, kind: &str, key: &str) -> Result<String, ApiError> {
    if kind == "plants" {
        return Ok(state.store.resolve_plant_key(key).await?);
    }
    Ok(key.to_owned())
}

fn not_created(kind: &str) -> Response {
    super::page::error_page(
        StatusCode::NOT_FOUND,
        &ApiError::not_found(format!(
            "{kind} are not created here: they come from the trackers' files (decarb db import); open one by its id to correct or retire it (/edit/{kind}?key=ID)"
        )),
    )
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
        ul { @for kind in CREATE_KINDS { li { a href=(format!("/edit/{kind}")) { "New " (singular(kind)) } } } }
        h2 { "Change or retire a record" }
        form.filters method="get" action="/edit/lookup" {
            label { "Kind " select name="kind" { @for kind in KINDS { option value=(kind) { (singular(kind)) } } } } " "
            label { "Key " input name="key" placeholder="project key, member or partnership name, member/metric/scope, analysis slug, plant id"; } " "
            button { "Open" }
        }
        p { "Plants come from the trackers' files: they are corrected or retired, not created here. Open one by its id ("
            code { "P100000120845~operating-pre-retirement" } ") or from the link on its page." }
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
        None if !CREATE_KINDS.contains(&kind) => not_created(kind),
        None => new_form(StatusCode::OK, kind, &account, &empty, None),
        Some(key) => match resolve_key(&state, kind, key.trim()).await {
            Ok(key) => edit_forms(&state, StatusCode::OK, kind, &key, &account, &empty, None, None).await,
            Err(err) => super::page::error_page(StatusCode::NOT_FOUND, &err),
        },
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
    let intro = if kind == "analyses" {
        html! { (intro) p { "A list replaces the old one; countries, sectors, projects and partnerships link the analysis to the pages of each." } }
    } else {
        intro
    };
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
            @if let Some(page) = page_of(kind, key) { " · " a href=(page) { "Its page" } }
        }
        @if kind == "plants" {
            p { "A correction holds from its \"valid from\" day (today when empty) as a dated state of the plant; the value the tracker's file gave is kept with it, and a later release that gives another value ends it." }
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
        @if kind == "plants" {
            p { "Retiring unlists the plant (a duplicate, or a plant that never was) from the date given: it leaves every list, fleet and map; nothing is deleted and its history stays. To say a plant closed, correct its status to retired instead." }
        } @else {
            p { "Retiring takes the record out of every list from the date given; nothing is deleted and its history stays." }
        }
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
        &format!("{} {} {key}", if kind == "plants" { "Correct" } else { "Change" }, singular(kind)),
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

/// The dashboard page of a record that has one (a plant's site, an analysis, a project).
fn page_of(kind: &str, key: &str) -> Option<String> {
    match kind {
        "plants" => Some(super::page::plant_href(key)),
        "analyses" => Some(format!("/analyses/{}", url_component(key))),
        "projects" => Some(super::page::project_href(key)),
        _ => None,
    }
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
        Target::Analysis { slug } => serde_json::to_value(state.store.analysis(slug).await.ok()?),
        Target::Plant { key } => return Some(plant_now(&state.store.plant(key, None).await.ok()?)),
    };
    value.ok()
}

/// A plant's correctable fields as the form reads them (owners as GEM writes them, coordinates
/// as `latitude, longitude`), and whether it is listed.
fn plant_now(detail: &decarb_store::PlantDetail) -> Value {
    let holders = |list: &[decarb_model::Ownership]| -> Value {
        let text: Vec<String> = list
            .iter()
            .map(|o| match o.share {
                Some(share) => format!("{} [{}%]", o.name, (share * 1000.0).round() / 10.0),
                None => o.name.clone(),
            })
            .collect();
        Value::String(text.join("; "))
    };
    let row = &detail.row;
    json!({
        "name": row.name,
        "status": row.status,
        "route": row.route,
        "capacity_tpa": row.capacity_tpa,
        "start": row.start,
        "owners": holders(&detail.owners),
        "parents": holders(&detail.parents),
        "coordinates": detail.coordinates.map(|(lat, lon)| format!("{lat}, {lon}")),
        "country": row.country.clone().unwrap_or_else(|| row.country_text.clone()),
        "listed": detail.listed,
        "valid_from": row.valid_from,
        "source": row.source,
    })
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
    let key = if action == "create" {
        key
    } else {
        match resolve_key(&state, kind, &key).await {
            Ok(key) => key,
            Err(err) => return super::page::error_page(StatusCode::NOT_FOUND, &err),
        }
    };
    let version: Option<i64> = form.get("version").and_then(|v| v.trim().parse().ok());
    match action.as_str() {
        "create" if !CREATE_KINDS.contains(&kind) => not_created(kind),
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
    }

    #[test]
    fn plant_fields_read_as_the_importer_reads_them() {
        assert_eq!(PLANT_STATUSES[1], "operating-pre-retirement");
        assert_eq!(ROUTES[0], "bf-bof");
        let mut form = FormData::new();
        form.insert("owners".into(), "SSAB AB [49%]; Other AB [51%]".into());
        form.insert("coordinates".into(), "65.5597, 22.2197".into());
        form.insert("capacity_tpa".into(), "2200000".into());
        let json = Value::Object(to_json(&update_fields("plants"), &form).unwrap());
        assert_eq!(json["coordinates"], json!([65.5597, 22.2197]));
        assert_eq!(json["owners"][0]["name"], "SSAB AB");
        assert!((json["owners"][1]["share"].as_f64().unwrap() - 0.51).abs() < 1e-9, "{json}");
        assert_eq!(json["capacity_tpa"].as_f64(), Some(2_200_000.0));
        for (field, bad) in [("coordinates", "65.5597"), ("coordinates", "95, 22"), ("owners", "A [140%]")] {
            let mut form = FormData::new();
            form.insert(field.into(), bad.into());
            let err = to_json(&update_fields("plants"), &form).unwrap_err();
            assert_eq!(err.errors[0].field, field, "{bad}");
        }
    }
}
