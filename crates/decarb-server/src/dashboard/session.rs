//! Signing in to the dashboard with an API token, sessions and CSRF protection.
//!
//! - `/sign-in` takes a token in a form, checks it with the store (role, expiry, revocation) and
//!   opens a session: a random 256-bit id in the cookie `decarb_session` (HttpOnly,
//!   SameSite=Strict, Path=/, `Secure` when the request came over https: the URI's scheme or a
//!   proxy's `X-Forwarded-Proto: https`; plain-http localhost gets no `Secure`, or the browser
//!   would drop the cookie). The token itself never leaves the server again: the session keeps
//!   its SHA-256 hash and checks it with the store on every write, so a token revoked or expired
//!   mid-session stops working at once.
//! - Sessions live in memory ([`Sessions`], in `AppState`), for [`SESSION_HOURS`] hours: they are
//!   short-lived, belong to one server process, and keeping them out of the database needs no
//!   migration on both backends; a restart signs everybody out, and the token signs them in again.
//! - Every form POST carries the session's CSRF token in a hidden field `csrf` (checked before
//!   anything else: 403 without it or with a wrong one). The sign-in form, before any session,
//!   uses a double-submit cookie `decarb_signin` with the same check. SameSite=Strict and the
//!   server's Origin check ([`crate::app`]) are the second and third lines.

use crate::AppState;
use crate::problem::ApiError;
use crate::tokens::{Caller, hash_token, hex};
use axum::extract::{Request, State};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use decarb_store::{Role, TokenCheck};
use maud::{Markup, html};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "decarb_session";
/// The sign-in form's double-submit cookie.
pub const SIGNIN_COOKIE: &str = "decarb_signin";
/// How long a session lasts from sign-in.
pub const SESSION_HOURS: u64 = 8;
/// At most this many live sessions; the oldest goes when a new one would exceed it.
const MAX_SESSIONS: usize = 10_000;

/// A signed-in person: the token's name and role, and the session's CSRF token.
#[derive(Clone)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub csrf: String,
    token_hash: String,
    expires: Instant,
}

impl Account {
    /// The caller the API's write path takes; the change log names it `web:<token name>`.
    pub fn caller(&self) -> Caller {
        Caller { name: self.name.clone(), role: self.role, via: "web" }
    }
}

/// The live sessions, by id.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Account>>,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the ids: they are the keys to the sessions.
        f.write_str("Sessions")
    }
}

impl Sessions {
    fn get(&self, id: &str) -> Option<Account> {
        let mut map = self.map.lock().ok()?;
        let now = Instant::now();
        match map.get(id) {
            Some(account) if account.expires > now => Some(account.clone()),
            Some(_) => {
                map.remove(id);
                None
            }
            None => None,
        }
    }

    fn insert(&self, id: String, account: Account) {
        if let Ok(mut map) = self.map.lock() {
            let now = Instant::now();
            map.retain(|_, a| a.expires > now);
            if map.len() >= MAX_SESSIONS
                && let Some(oldest) = map.iter().min_by_key(|(_, a)| a.expires).map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
            map.insert(id, account);
        }
    }

    fn remove(&self, id: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(id);
        }
    }
}

fn random_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| ApiError::internal(format!("no random source: {err}")))?;
    Ok(hex(&bytes))
}

/// The value of cookie `name` in the request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(
        |pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        },
    )
}

/// Whether the request came over https (directly, or through a proxy that says so).
fn secure(headers: &HeaderMap, scheme: Option<&str>) -> bool {
    scheme == Some("https")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

fn set_cookie(name: &str, value: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("decarb_invalid=1"))
}

/// Equal without telling, by timing, how much of a guess was right.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session's account, when the request carries a live session cookie.
pub fn account(state: &AppState, headers: &HeaderMap) -> Option<Account> {
    state.sessions.get(&cookie(headers, SESSION_COOKIE)?)
}

/// The account of a form POST: 403 without a session, or without the session's CSRF token in
/// the form's `csrf` field; then the token is checked again with the store (revoked or expired:
/// the session ends, 403).
pub async fn post_account(
    state: &AppState,
    headers: &HeaderMap,
    form: &BTreeMap<String, String>,
) -> Result<Account, ApiError> {
    let account = account(state, headers)
        .ok_or_else(|| ApiError::forbidden("this form needs a signed-in session (sign in at /sign-in)"))?;
    let sent = form.get("csrf").map_or("", String::as_str);
    if !same(sent, &account.csrf) {
        return Err(ApiError::forbidden(
            "the form's CSRF token is missing or wrong: reload the page and submit it again",
        ));
    }
    if let TokenCheck::Valid { role, .. } = state.store.check_token(&account.token_hash).await? {
        return Ok(Account { role, ..account });
    }
    if let Some(id) = cookie(headers, SESSION_COOKIE) {
        state.sessions.remove(&id);
    }
    Err(ApiError::forbidden("the token of this session was revoked or has expired: sign in again"))
}

tokio::task_local! {
    /// The account of the request being answered, for the page header.
    static CURRENT: Option<Account>;
}

/// Makes the signed-in account (if any) known to [`header_account`] while the request runs.
pub async fn identify(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let current = account(&state, request.headers());
    CURRENT.scope(current, next.run(request)).await
}

/// The signed-in account of the request being answered (contributor or higher), for a page's
/// links to its record's forms; `None` for anyone else.
pub fn current_writer() -> Option<Account> {
    CURRENT.try_with(Clone::clone).ok().flatten().filter(|a| a.role >= Role::Contributor)
}

/// The header's account box: who is signed in, their role, and a sign-out button; or a sign-in
/// link.
pub fn header_account() -> Markup {
    let current = CURRENT.try_with(Clone::clone).ok().flatten();
    html! {
        div.account data-testid="account" {
            @if let Some(a) = current {
                span { "Signed in as " strong { (a.name) } " (" (a.role.as_str()) ")" } " "
                @if a.role >= Role::Contributor { a href="/edit" { "Edit" } " " }
                @if a.role >= Role::Editor { a href="/review" { "Review" } " " }
                form.inline method="post" action="/sign-out" {
                    input type="hidden" name="csrf" value=(a.csrf);
                    button type="submit" { "Sign out" }
                }
            } @else {
                a href="/sign-in" { "Sign in" }
            }
        }
    }
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn sign_in_form(status: StatusCode, error: Option<&str>, secure: bool) -> Response {
    let Ok(nonce) = random_id() else {
        return super::page::error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            &ApiError::internal("no random source"),
        );
    };
    let body = html! {
        p { "Sign in with an API token (" code { "decarb token create" } " makes one). The token is checked and kept on the server; your browser holds only a session cookie." }
        form.edit method="post" action="/sign-in" {
            input type="hidden" name="csrf" value=(nonce);
            label { "Token " input type="password" name="token" autocomplete="off" required; }
            @if let Some(error) = error { p.error.field-error data-testid="signin-error" { (error) } }
            button type="submit" { "Sign in" }
        }
    };
    let mut response = (status, super::page::layout("Sign in", "", &body)).into_response();
    response.headers_mut().insert(SET_COOKIE, set_cookie(SIGNIN_COOKIE, &nonce, 3600, secure));
    response
}

/// GET /sign-in.
pub async fn sign_in_page(request: Request) -> Response {
    let secure = secure(request.headers(), request.uri().scheme_str());
    sign_in_form(StatusCode::OK, None, secure)
}

/// POST /sign-in: checks the token and opens a session (303 to /edit), or shows why not.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Response {
    let secure = secure(&headers, uri.scheme_str());
    let nonce = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    let sent = form.get("csrf").map_or("", String::as_str);
    if nonce.is_empty() || !same(sent, &nonce) {
        return super::page::error_page(
            StatusCode::FORBIDDEN,
            &ApiError::forbidden("the sign-in form's CSRF token is missing or wrong: reload /sign-in"),
        );
    }
    let token = form.get("token").map_or("", |t| t.trim());
    let hash = hash_token(token);
    let check = match state.store.check_token(&hash).await {
        Ok(check) => check,
        Err(err) => return super::page::error_page(StatusCode::INTERNAL_SERVER_ERROR, &err.into()),
    };
    let (name, role) = match check {
        TokenCheck::Valid { name, role } => (name, role),
        TokenCheck::Unknown => {
            return sign_in_form(StatusCode::UNAUTHORIZED, Some("This token is not valid."), secure);
        }
        TokenCheck::Revoked { name, at } => {
            let text = format!("The token {name:?} was revoked at {at}.");
            return sign_in_form(StatusCode::UNAUTHORIZED, Some(&text), secure);
        }
        TokenCheck::Expired { name, at } => {
            let text = format!("The token {name:?} expired at {at}.");
            return sign_in_form(StatusCode::UNAUTHORIZED, Some(&text), secure);
        }
    };
    let (Ok(id), Ok(csrf)) = (random_id(), random_id()) else {
        return super::page::error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            &ApiError::internal("no random source"),
        );
    };
    let lifetime = SESSION_HOURS * 3600;
    let expires = Instant::now() + Duration::from_secs(lifetime);
    state.sessions.insert(id.clone(), Account { name, role, csrf, token_hash: hash, expires });
    let mut response = see_other(if role >= Role::Editor { "/review" } else { "/edit" });
    response.headers_mut().append(SET_COOKIE, set_cookie(SESSION_COOKIE, &id, lifetime, secure));
    response.headers_mut().append(SET_COOKIE, set_cookie(SIGNIN_COOKIE, "", 0, secure));
    response
}

/// POST /sign-out: ends the session (CSRF-checked) and clears the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Response {
    let account = account(&state, &headers);
    let sent = form.get("csrf").map_or("", String::as_str);
    if !account.as_ref().is_some_and(|a| same(sent, &a.csrf)) {
        return super::page::error_page(
            StatusCode::FORBIDDEN,
            &ApiError::forbidden("signing out needs the form's CSRF token of a live session"),
        );
    }
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        state.sessions.remove(&id);
    }
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, secure(&headers, uri.scheme_str())));
    response
}

/// The signed-in account for a page that needs at least `role`: a redirect to /sign-in without a
/// session, 403 with a role too low.
pub fn require(
    state: &AppState,
    headers: &HeaderMap,
    role: Role,
    what: &str,
) -> Result<Account, Box<Response>> {
    let Some(account) = account(state, headers) else {
        return Err(Box::new(see_other("/sign-in")));
    };
    if account.role >= role {
        Ok(account)
    } else {
        let err = ApiError::forbidden(format!(
            "{what} needs the role {} or higher; {:?} is a {}",
            role.as_str(),
            account.name,
            account.role.as_str()
        ));
        Err(Box::new(super::page::error_page(StatusCode::FORBIDDEN, &err)))
    }
}

/// A 303 to `to` (POST-redirect-GET).
pub fn redirect(to: &str) -> Response {
    see_other(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_name_and_compared_whole() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=1; decarb_session=abc; b=2"));
        assert_eq!(cookie(&headers, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "decarb"), None);
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        let flags = set_cookie(SESSION_COOKIE, "x", 60, true);
        assert_eq!(
            flags.to_str().unwrap(),
            "decarb_session=x; HttpOnly; SameSite=Strict; Path=/; Max-Age=60; Secure"
        );
    }
}
