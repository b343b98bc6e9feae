//! Every limit the server enforces, in one place, each with the reason for its value
//! (`docs/limits.md` lists them with the CLI's and the scenario format's). A request over a limit
//! gets a 4xx problem document naming the parameter, the value and the limit; heavy work beyond
//! the server's capacity gets 503 with `Retry-After`.

use std::time::Duration;

/// The most Monte Carlo runs one request may ask for (`/scenarios/{id}/bands?runs=`, the
/// dashboard's `bands=`): 1,000 runs of a whole-world example take about 8 s on 2 cores in a
/// release build (`decarb run carbon-price.toml --runs 1000`), inside the default 30 s request
/// timeout.
pub const MAX_RUNS_PER_REQUEST: u64 = 1000;

/// The most Monte Carlo runs an anonymous request may ask for (no bearer token): about 1.6 s of
/// both cores in a release build, so anonymous callers cannot hold the heavy slots for long;
/// up to [`MAX_RUNS_PER_REQUEST`] needs a token (`decarb token create`).
pub const MAX_ANONYMOUS_RUNS: u64 = 200;

/// The most runs (examples and ids together) one dashboard comparison page may show: each is a
/// scenario run (and, with `bands`, an ensemble); eight lines are already more than a chart can
/// tell apart.
pub const MAX_RUNS_PER_PAGE: usize = 8;

/// Heavy jobs (a scenario run that is not cached, an ensemble) running at once, by default: one
/// per core of the project's 2-core machine, so that cheap routes (plants, facts, cached results)
/// always find a worker thread free.
pub const DEFAULT_HEAVY_JOBS: usize = 2;

/// Worker threads of the server's engine pool, by default: all cores but one (at least one), so
/// that the async workers answering cheap routes always have a core even while ensembles run.
pub fn default_engine_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1))
}

/// How long a heavy request waits for a free slot before it is answered 503, by default: long
/// enough for a single cached-miss run (about 0.1-1 s) to finish, short enough that a queue of
/// ensembles never holds connections for the whole request timeout.
pub const DEFAULT_HEAVY_WAIT: Duration = Duration::from_secs(5);

/// The `Retry-After` (seconds) sent with a 503 for a busy server: about one ensemble of
/// [`MAX_RUNS_PER_REQUEST`] runs.
pub const BUSY_RETRY_AFTER_SECS: u64 = 10;

/// Requests that may start heavy work (scenario runs, ensembles, briefs, the comparison page)
/// per client address a minute, by default: one a second on average is more than a person
/// clicking through the dashboard makes, while a script cannot queue work faster than the two
/// heavy slots drain it.
pub const DEFAULT_HEAVY_REQUESTS_PER_MINUTE: u32 = 60;

/// Longest a client may take to send a request's headers, and longest an idle keep-alive
/// connection stays open waiting for the next request (hyper starts the same timer for both): a
/// browser sends its headers in one packet, so 10 s only ever cuts off slow or stalled clients.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Open connections at once, by default. Further clients wait in the listen backlog (they are not
/// refused) until a connection closes. Far below the usual 1,024 open-file limit, so the process
/// keeps descriptors for the database and the files it serves; with [`HEADER_READ_TIMEOUT`] a
/// slot held by a slow client frees itself within seconds.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// The most memory one run or ensemble may be estimated to need ([`decarb_engine::memory`]),
/// bytes, by default: 192 MiB, so that [`DEFAULT_HEAVY_JOBS`] jobs at once (384 MiB) plus the
/// process, the bundled world and the result cache (about 60 MB) stay under the 500 MB the server
/// is meant to hold at most (issue 14), while the bundled world's largest job, an ensemble of
/// [`MAX_RUNS_PER_REQUEST`] runs, is estimated at well under half of it.
pub const DEFAULT_MEMORY_BUDGET: u64 = 192 << 20;

/// Plant list pages kept built (`/api/v1/plants`, one per filter, page and offset), each checked
/// against the store's version before it is served: the default page and the dashboard's few
/// filters fit many times over; a client walking through text searches only ever evicts pages
/// (the cache is emptied when full), never grows it.
pub const PLANT_PAGE_CACHE: usize = 256;

/// Runs whose per-plant results (every plant's yearly series and decisions: the server's memory
/// grows by 10-12 MB for each on the bundled world, measured as RSS after plant pages of one
/// example after another) are kept for the plant pages (`/plants/{id}?scenario=`): the default
/// example and two others a reader switches between, about 35 MB, which keeps the budget of
/// [`DEFAULT_MEMORY_BUDGET`] (two jobs at once and the process under 500 MB). A plant page of a
/// run not kept runs it again (tens of milliseconds in a release build, about 1 s in a debug
/// one); the run's compact results stay in the larger result cache.
pub const PLANT_RESULTS_KEPT: usize = 3;
