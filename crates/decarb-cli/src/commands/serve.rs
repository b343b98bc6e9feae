//! `decarb serve`: the HTTP API, its OpenAPI document and the dashboard, on one address.

use super::UserError;
use crate::store_args::{StoreArgs, existing_store, seeded, store_error, with_store_or_new};
use anyhow::{Context, Result};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

/// How request logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on (port 0 picks a free port, printed at start).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Folder of the dashboard's npm packages (world-atlas, topojson-client for the map's
    /// country outlines; `npm ci` in dashboard/). Without them the map shows points only.
    #[arg(long, value_name = "DIR", default_value = "dashboard/node_modules")]
    pub node_modules: PathBuf,
    /// Largest request body accepted, in bytes (larger gets 413).
    #[arg(long, value_name = "BYTES", default_value_t = 256 * 1024)]
    pub body_limit: usize,
    /// Request log format on stderr: text (one readable line a request) or json (one JSON object
    /// a line: time, level, method, uri, status, latency), for log collectors.
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: LogFormat,
    /// Longest a request may take, in seconds (longer gets 408).
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Create the store (seeded, as `decarb db init`) when it does not exist, or bring it up to
    /// date. Without it, a store that does not exist is an error.
    #[arg(long)]
    pub init: bool,
}

pub fn run(args: ServeArgs) -> Result<()> {
    // Request logs (one line per request: method, path, status, latency) go to stderr; the level
    // is set by DECARB_LOG (an EnvFilter: "info", "tower_http=debug", ...).
    let filter = tracing_subscriber::EnvFilter::try_from_env("DECARB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match args.log_format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
    };
    let target = args.store.target();
    if args.init {
        let summary = with_store_or_new(&target, async |store| store.init().await)?;
        eprintln!(
            "{} store {}: {}",
            summary.backend,
            decarb_store::redact_url(&target),
            if summary.seeded {
                format!("created and seeded ({} countries, {})", summary.countries, seeded(&summary))
            } else {
                "up to date, already seeded".to_owned()
            }
        );
    } else {
        existing_store(&target)?;
    }
    let config = decarb_server::Config {
        db: target,
        body_limit: args.body_limit,
        timeout: Duration::from_secs(args.timeout.max(1)),
        node_modules: args.node_modules,
        ..decarb_server::Config::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let state = decarb_server::AppState::open(config).await.map_err(store_error)?;
        if !decarb_server::dashboard::vendor_available(&state) {
            eprintln!(
                "note: {} has no world-atlas/topojson-client (run `npm ci` in dashboard/); the map will show plants without country outlines",
                state.config.node_modules.display()
            );
        }
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .map_err(|e| UserError(format!("--addr {}: cannot listen: {e}", args.addr)))?;
        let local = listener.local_addr().context("reading the listening address")?;
        eprintln!("decarb serving on http://{local}/ (API: http://{local}/api/v1, OpenAPI: http://{local}/api/openapi.json)");
        decarb_server::serve(state, listener).await.context("serving HTTP")
    })
}
