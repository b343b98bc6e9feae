//! A per-client rate limit on the routes that may start heavy work (scenario runs, ensembles,
//! briefs, the scenario comparison page): each client address gets
//! [`crate::Config::heavy_requests_per_minute`] such requests a minute, then 429 with
//! `Retry-After` until its minute is over. Other routes are not counted. A client is its IP
//! address as the connection reports it ([`ClientAddr`], set by [`crate::serve`]); requests
//! without one (tests driving the router directly) are not limited.

use crate::AppState;
use crate::problem::ApiError;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The address of the client of a connection, set on every request by [`crate::serve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

const WINDOW: Duration = Duration::from_mins(1);

/// Clients kept before windows that are over are dropped (bounds the table under many clients).
const PRUNE_ABOVE: usize = 10_000;

/// Heavy requests per client in the current minute.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts one request of `client`; `Err(seconds)` when it is over `per_minute`.
    pub fn check(&self, client: IpAddr, per_minute: u32, now: Instant) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() > PRUNE_ABOVE {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(client).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        if *count >= per_minute {
            let left = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

/// Whether a request may start heavy work: a run, an ensemble, a brief, or a run again with
/// per-plant results (a breakdown `by=country|owner`, pledge alignment, a plant page of a chosen
/// scenario: only a few runs' plant results are kept, `limits::PLANT_RESULTS_KEPT`; a plant page
/// of the default scenario is not counted).
fn is_heavy(method: &Method, path: &str, query: Option<&str>) -> bool {
    let value = |key: &str| query.and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix(key)));
    let breakdown = value("by=").is_some_and(|by| !by.is_empty() && by != "region");
    if method == Method::GET
        && path.starts_with("/plants/")
        && value("scenario=").is_some_and(|s| !s.is_empty())
    {
        return true;
    }
    let scenario_api = path.strip_prefix("/api/v1/scenarios");
    match (method, scenario_api) {
        (&Method::POST, Some("" | "/")) => true,
        (&Method::GET, Some(rest)) => {
            breakdown
                || rest.ends_with("/bands")
                || (rest.starts_with("/examples/") && rest.ends_with("/result"))
        }
        (&Method::GET, None) => {
            path == "/scenarios"
                || path.starts_with("/briefs/")
                || path == "/pledges"
                || path == "/api/v1/pledges/alignment"
        }
        _ => false,
    }
}

/// The middleware: 429 with `Retry-After` for a client over its heavy requests this minute.
pub async fn limit_heavy(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let client = request.extensions().get::<ClientAddr>().copied();
    if let Some(ClientAddr(ip)) = client
        && is_heavy(request.method(), request.uri().path(), request.uri().query())
    {
        let per_minute = state.config.heavy_requests_per_minute;
        if let Err(seconds) = state.rate.check(ip, per_minute, Instant::now()) {
            let mut error = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "more than {per_minute} scenario runs, ensembles or briefs a minute from {ip}: try again in {seconds} s"
                ),
            );
            error.retry_after = Some(seconds);
            return error.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_gets_its_requests_a_minute() {
        let limiter = RateLimiter::default();
        let (a, b) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        assert!(limiter.check(a, 2, t0).is_ok());
        assert!(limiter.check(a, 2, t0).is_ok());
        assert_eq!(limiter.check(a, 2, t0 + Duration::from_secs(15)), Err(45));
        assert!(limiter.check(b, 2, t0).is_ok(), "another client is not affected");
        assert!(limiter.check(a, 2, t0 + WINDOW).is_ok(), "a new minute");
    }

    #[test]
    fn only_routes_that_may_start_heavy_work_count() {
        assert!(is_heavy(&Method::POST, "/api/v1/scenarios", None));
        assert!(is_heavy(&Method::GET, "/api/v1/scenarios/abc/bands", None));
        assert!(is_heavy(&Method::GET, "/api/v1/scenarios/examples/baseline/result", None));
        assert!(is_heavy(&Method::GET, "/scenarios", None));
        assert!(is_heavy(&Method::GET, "/briefs/countries/DEU", None));
        assert!(is_heavy(&Method::GET, "/api/v1/scenarios/abc", Some("by=owner&sector=steel")));
        assert!(is_heavy(&Method::GET, "/api/v1/pledges/alignment", Some("scenario=baseline")));
        assert!(is_heavy(&Method::GET, "/pledges", None));
        assert!(is_heavy(&Method::GET, "/plants/P100000120845", Some("scenario=baseline")));
        assert!(!is_heavy(&Method::GET, "/plants/P100000120845", None));
        assert!(!is_heavy(&Method::GET, "/api/v1/scenarios/abc", None));
        assert!(!is_heavy(&Method::GET, "/api/v1/scenarios/abc", Some("by=region")));
        assert!(!is_heavy(&Method::GET, "/api/v1/plants", None));
        assert!(!is_heavy(&Method::GET, "/api/v1/pledges", None));
        assert!(!is_heavy(&Method::GET, "/api/v1/scenarios/examples", None));
    }
}
