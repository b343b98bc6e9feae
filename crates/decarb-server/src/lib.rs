//! decarb-server: the HTTP face of decarb, run by `decarb serve`.
//!
//! - A JSON API under `/api/v1` ([`api`]): plants (filters and pages), fleet aggregates,
//!   projects, members, pledges, partnerships, production rankings, technologies, scenario runs
//!   (cached by the scenario's content hash) and CBAM quotes and schedules.
//! - The OpenAPI document of that API at `/api/openapi.json`, generated from the handlers.
//! - Errors as RFC 9457 problem details ([`problem`]); reads are public, writes need a bearer
//!   token ([`tokens`]); request bodies are limited (413) and requests time out (408); every
//!   request is logged with method, path, status and latency (`tracing`).
//! - Defences ([`limits`]): a panic in a handler answers 500 and the server keeps serving; heavy
//!   work (uncached runs, ensembles) takes a slot of a bounded pool (503 with `Retry-After` when
//!   busy) and stops when its request times out; slow or idle clients are cut off after a
//!   header-read timeout and open connections are capped ([`serve`]).
//! - The dashboard ([`dashboard`]): server-rendered pages with SVG charts, working offline; the
//!   map's country outlines come from npm packages in `dashboard/node_modules` when present.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let config = decarb_server::Config { db: "decarb.db".into(), ..decarb_server::Config::default() };
//! let state = decarb_server::AppState::open(config).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! decarb_server::serve(state, listener).await?;
//! # Ok(()) }
//! ```

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod api;
pub mod dashboard;
pub mod limits;
pub mod problem;
pub mod queries;
pub mod rate;
pub mod tokens;

use crate::problem::{ApiError, PROBLEM_JSON};
use api::scenarios::ScenarioCache;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use decarb_engine::World;
use decarb_store::Store;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt as _;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::{CompressionLayer, Predicate as _, predicate::SizeAbove};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tracing::Level;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The tracker database: a SQLite path or a `postgres://` URL.
    pub db: String,
    /// Largest request body accepted, bytes (larger gets 413).
    pub body_limit: usize,
    /// Longest a request may take (longer gets 408).
    pub timeout: Duration,
    /// The npm packages the map uses (`world-atlas`, `topojson-client`); the map shows points
    /// only when they are absent.
    pub node_modules: PathBuf,
    /// Scenario results kept in memory.
    pub scenario_cache: usize,
    /// Heavy jobs (uncached scenario runs, ensembles) running at once.
    pub heavy_jobs: usize,
    /// Worker threads the heavy jobs share (their rayon pool).
    pub engine_threads: usize,
    /// Longest a heavy request waits for a slot before it gets 503 with `Retry-After`.
    pub heavy_wait: Duration,
    /// Longest a client may take to send request headers; also how long an idle keep-alive
    /// connection is kept.
    pub header_read_timeout: Duration,
    /// Open connections at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Requests that may start heavy work (runs, ensembles, briefs) per client a minute; more
    /// get 429 ([`rate`]).
    pub heavy_requests_per_minute: u32,
    /// The most memory one run or ensemble may be estimated to need, bytes
    /// ([`limits::DEFAULT_MEMORY_BUDGET`]); over it, 422 before the run starts.
    pub memory_budget: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: "decarb.db".to_owned(),
            body_limit: 256 * 1024,
            timeout: Duration::from_secs(30),
            node_modules: PathBuf::from("dashboard/node_modules"),
            scenario_cache: 64,
            heavy_jobs: limits::DEFAULT_HEAVY_JOBS,
            engine_threads: limits::default_engine_threads(),
            heavy_wait: limits::DEFAULT_HEAVY_WAIT,
            header_read_timeout: limits::HEADER_READ_TIMEOUT,
            max_connections: limits::DEFAULT_MAX_CONNECTIONS,
            heavy_requests_per_minute: limits::DEFAULT_HEAVY_REQUESTS_PER_MINUTE,
            memory_budget: limits::DEFAULT_MEMORY_BUDGET,
        }
    }
}

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub world: Arc<World>,
    pub scenarios: Arc<ScenarioCache>,
    pub config: Arc<Config>,
    /// Slots for heavy jobs ([`Config::heavy_jobs`]); a job holds its permit until its blocking
    /// work has stopped.
    pub heavy: Arc<tokio::sync::Semaphore>,
    /// The threads heavy jobs run on ([`Config::engine_threads`]), apart from the async workers.
    pub engine: Arc<rayon::ThreadPool>,
    /// Heavy requests per client this minute ([`rate`]).
    pub rate: Arc<rate::RateLimiter>,
    /// Plant list pages already built, each with the store version it was built from
    /// ([`queries::PlantPageCache`]).
    pub plant_pages: Arc<queries::PlantPageCache>,
    /// The dashboard's signed-in sessions ([`dashboard::session`]).
    pub sessions: Arc<dashboard::session::Sessions>,
}

impl AppState {
    /// Opens (and migrates) the database and builds the bundled world once.
    /// A slot for one heavy job, waiting at most [`Config::heavy_wait`]; 503 with `Retry-After`
    /// when every slot stays taken.
    pub async fn heavy_slot(&self, what: &str) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        let busy = || {
            ApiError::busy(
                format!(
                    "the server is already running {} heavy jobs (uncached runs and ensembles); {what} was not started: try again shortly",
                    self.config.heavy_jobs.max(1)
                ),
                limits::BUSY_RETRY_AFTER_SECS,
            )
        };
        match tokio::time::timeout(self.config.heavy_wait, self.heavy.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }

    pub async fn open(config: Config) -> Result<AppState, decarb_store::StoreError> {
        let store = Store::open(&config.db).await?;
        Ok(AppState::new(store, config))
    }

    pub fn new(store: Store, config: Config) -> AppState {
        AppState {
            store,
            world: Arc::new(decarb_scenario::bundled::default_world()),
            scenarios: Arc::new(ScenarioCache::new(config.scenario_cache)),
            heavy: Arc::new(tokio::sync::Semaphore::new(config.heavy_jobs.max(1))),
            engine: Arc::new(engine_pool(config.engine_threads)),
            rate: Arc::new(rate::RateLimiter::default()),
            plant_pages: Arc::new(queries::PlantPageCache::default()),
            sessions: Arc::new(dashboard::session::Sessions::default()),
            config: Arc::new(config),
        }
    }
}

/// The pool heavy jobs run on: `threads` workers, or the calling thread alone when threads
/// cannot be started (results do not depend on the number of threads).
#[allow(
    clippy::expect_used,
    reason = "a one-thread pool on the calling thread spawns nothing and cannot fail"
)]
fn engine_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("decarb-engine-{i}"))
        .build()
        .or_else(|_| rayon::ThreadPoolBuilder::new().use_current_thread().num_threads(1).build())
        .expect("a pool on the current thread always builds")
}

/// The OpenAPI document of the API (paths under `/api/v1`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = api::router().split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    doc
}

/// The whole application: API, OpenAPI document, dashboard and static files, with limits,
/// timeouts, problem details and request logs.
pub fn app(state: AppState) -> Router {
    app_with(state, Router::new())
}

/// [`app`] with `extra` routes merged in under the same layers (limits, timeout, panic catching,
/// problem details, logs); for tests that need a route of their own.
pub fn app_with(state: AppState, extra: Router<AppState>) -> Router {
    let (api_router, doc) = api::router().split_for_parts();
    let mut doc = doc;
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    let doc = Arc::new(doc);
    let limit = state.config.body_limit;
    let timeout = state.config.timeout;
    Router::new()
        .nest("/api/v1", api_router.fallback(api_not_found))
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .merge(dashboard::router(&state))
        .merge(extra)
        .layer(axum::middleware::from_fn_with_state(state.clone(), rate::limit_heavy))
        .with_state(state)
        // A panic in a handler is answered 500 (a problem document under /api); the server goes on.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        // Outside the limit and timeout layers, so their 413 and 408 become problem documents too.
        .layer(axum::middleware::from_fn(problem_for_api_errors))
        .layer(axum::middleware::from_fn(same_origin_and_security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
        // Outermost, so every layer and handler inside sees plain bodies (the problem-details
        // rewrite reads them).
        .layer(compression())
}

/// Responses at least this long are compressed; below it the few bytes saved do not pay for the
/// encoder (a one-packet answer stays one packet either way).
pub const COMPRESS_MIN_BYTES: u64 = 1024;

/// Response compression (gzip, brotli at tower-http's on-the-fly quality 4) of text answers of at
/// least [`COMPRESS_MIN_BYTES`], for clients that accept it: pages, JSON, CSV, GeoJSON, scripts,
/// styles, SVG. The dashboard's map page is mostly MapLibre GL JS and outlines, 2.4 MB as files
/// and about 440 kB brotli-compressed (its 500 kB budget, issue 17). Not compressed: answers that
/// are already (the precompressed npm files, `dashboard::router`), byte ranges, and binary types
/// (images, spreadsheets). Bodies stream through the encoder; headers such as `ETag` (a record's
/// version, for `If-Match`) are kept as they are, and `Vary: accept-encoding` is added.
fn compression() -> CompressionLayer<impl tower_http::compression::Predicate> {
    CompressionLayer::new().br(true).gzip(true).compress_when(SizeAbove::new(COMPRESS_MIN_BYTES).and(
        |_: StatusCode,
         _: axum::http::Version,
         headers: &axum::http::HeaderMap,
         _: &axum::http::Extensions| {
            headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(is_text)
        },
    ))
}

/// Whether a content type is text that compresses: `text/*`, JSON (with problem details and
/// GeoJSON), JavaScript, XML (Atom, SVG), TOML.
pub fn is_text(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.starts_with("text/")
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
        || matches!(
            essence.as_str(),
            "application/json" | "application/javascript" | "application/xml" | "application/toml"
        )
}

/// The Content-Security-Policy of every response: scripts, styles, images and requests from this
/// server only (inline style attributes and the briefs' inline stylesheet allowed, no inline
/// script), never framed, no plugins.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Browser defences on every response (CSP, no MIME sniffing, no framing, no referrer leaving the
/// site), and the same-origin policy for writes: a POST, PUT, PATCH or DELETE whose `Origin`
/// header names another site is refused with 403 before any handler runs (a cross-site form or
/// `text/plain` fetch would otherwise run unseen in a visitor's browser). Clients that send no
/// `Origin` (curl, scripts) are not browsers and are not affected. A write must also carry one of
/// its route's documented content types ([`write_content_types`]), else 415.
///
/// CORS: the server sends no `Access-Control-Allow-*` header, on any response or preflight, so a
/// browser lets only this server's own pages read its answers (same origin; docs/server.md).
async fn same_origin_and_security_headers(request: Request, next: Next) -> Response {
    let writes = !matches!(
        request.method(),
        &axum::http::Method::GET | &axum::http::Method::HEAD | &axum::http::Method::OPTIONS
    );
    if writes && let Some(origin) = request.headers().get(header::ORIGIN) {
        let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        let origin = origin.to_str().unwrap_or("");
        let same = origin.split_once("://").is_some_and(|(scheme, rest)| {
            matches!(scheme, "http" | "https") && !host.is_empty() && rest.eq_ignore_ascii_case(host)
        });
        if !same {
            let mut response = ApiError::new(
                StatusCode::FORBIDDEN,
                format!("cross-origin write refused: Origin {origin:?} is not this server ({host}); writes are accepted from this server's own pages or from clients that send no Origin"),
            )
            .into_response();
            add_security_headers(response.headers_mut());
            return response;
        }
    }
    if writes && let Some(accepted) = write_content_types(request.uri().path()) {
        let found = request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        if !found.as_deref().is_some_and(|t| accepted.contains(&t)) {
            let found = found.map_or_else(|| "no content type".to_owned(), |t| format!("content type {t:?}"));
            let mut response = ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{found}: {} accepts {}", request.uri().path(), accepted.join(", ")),
            )
            .into_response();
            add_security_headers(response.headers_mut());
            return response;
        }
    }
    let mut response = next.run(request).await;
    add_security_headers(response.headers_mut());
    response
}

/// The content types each write route accepts (docs/server.md, "Writes"); any other, or none, is
/// a 415 problem document naming them, before the handler runs. `None` for a path that takes no
/// writes (it answers 404 or 405 as usual).
pub fn write_content_types(path: &str) -> Option<&'static [&'static str]> {
    let path = path.trim_end_matches('/');
    match path {
        "/api/v1/scenarios" => Some(&["application/toml", "text/plain", "application/json"]),
        _ if ["members", "projects", "pledges", "partnerships", "retire", "review"].iter().any(|kind| {
            path == format!("/api/v1/{kind}") || path.starts_with(&format!("/api/v1/{kind}/"))
        }) =>
        {
            Some(&["application/json"])
        }
        _ => None,
    }
}

fn add_security_headers(headers: &mut axum::http::HeaderMap) {
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
}

/// The answer to a request whose handler panicked: 500, with no detail of the panic for the
/// client (the panic message goes to the log through the panic hook).
fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked (a bug in decarb); answered 500");
    ApiError::internal("internal error: the request failed on a bug in decarb; the server goes on")
        .into_response()
}

async fn api_not_found(axum::extract::OriginalUri(uri): axum::extract::OriginalUri) -> ApiError {
    ApiError::not_found(format!("no API route {}", uri.path()))
}

/// Error responses under `/api` that came from the framework or a middleware (405, 413, 408, a
/// rejected body) rather than a handler are rewritten as problem documents, keeping their status.
async fn problem_for_api_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api");
    let response = next.run(request).await;
    let status = response.status();
    if !is_api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_problem =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    if is_problem {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let detail = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            format!("the request body is larger than the server accepts ({text})")
        }
        StatusCode::REQUEST_TIMEOUT => "the request took longer than the server allows".to_owned(),
        StatusCode::METHOD_NOT_ALLOWED => "this method is not allowed on this path".to_owned(),
        _ if text.is_empty() => status.canonical_reason().unwrap_or("error").to_owned(),
        _ => text,
    };
    let mut problem = ApiError::new(status, detail).into_response();
    // Keep headers such as `Allow` on a 405.
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name.clone(), value.clone());
        }
    }
    problem.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    problem
}

/// Serves the application on `listener` until Ctrl-C (or the end of the process).
///
/// HTTP/1.1 through hyper directly rather than `axum::serve`, for the defences it does not offer:
/// a header-read timeout that also closes idle keep-alive connections
/// ([`Config::header_read_timeout`]), and a cap on open connections ([`Config::max_connections`]):
/// the next connection is accepted only when a slot is free.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_until(state, listener, shutdown_signal()).await
}

/// [`serve`] until `signal` completes; then connections finish their current request and close.
pub async fn serve_until(
    state: AppState,
    listener: tokio::net::TcpListener,
    signal: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let config = state.config.clone();
    let slots = Arc::new(tokio::sync::Semaphore::new(config.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let service = app(state);
    let mut signal = std::pin::pin!(signal);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut signal => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of descriptors and the like: wait a little rather than spin.
                    tracing::warn!("accept error: {err}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut signal => break,
        };
        let _ = stream.set_nodelay(true);
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(config.header_read_timeout);
        // Every request of the connection knows its client, for the per-client rate limit.
        let client = rate::ClientAddr(remote.ip());
        let service =
            service.clone().map_request(move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(client);
                request
            });
        let service = hyper_util::service::TowerToHyperService::new(service);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!("connection closed: {err}");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}

/// A body from a static string, for the embedded assets.
pub(crate) fn static_body(text: &'static str) -> Body {
    Body::from(text)
}
