//! Data gathering, kept apart from rendering: the tracker's registry (from a store, or from a
//! temporary store initialised with the bundled seed when there is none) and one pathway run.
//! Briefs of many countries share one [`Tracker`] and one [`Pathway`].

use crate::BriefError;
use decarb_engine::outcome::Outcome;
use decarb_engine::{Scenario, World};
use decarb_store::{MemberRow, PartnershipRow, PledgeRow, ProjectFilter, ProjectRow, RegistryFilter, Store};
use std::collections::BTreeMap;
use std::path::Path;

/// Members, pledges, partnerships and projects as the tracker holds them, and where they came from.
#[derive(Debug, Clone, Default)]
pub struct Tracker {
    /// Where the rows came from, in words, for the brief ("tracker store decarb.db", or the
    /// temporary store of the bundled seed).
    pub origin: String,
    /// True when no store was found and the bundled seed tables were used.
    pub bundled_seed: bool,
    pub members: Vec<MemberRow>,
    pub pledges: Vec<PledgeRow>,
    pub partnerships: Vec<PartnershipRow>,
    pub projects: Vec<ProjectRow>,
    /// Sources by id, for footnotes.
    pub sources: BTreeMap<String, decarb_store::SourceRecord>,
}

impl Tracker {
    /// The citation of a source id, with its address as text (briefs link to nothing outside
    /// the file), or the id itself when the store has no such source.
    pub fn citation(&self, id: &str) -> String {
        match self.sources.get(id) {
            Some(source) => match &source.url {
                Some(url) => format!("{} ({url})", source.citation),
                None => source.citation.clone(),
            },
            None => format!("tracker source {id}"),
        }
    }
}

/// Reads the tracker from an open store (for callers that are async already, such as the
/// server); `origin` says where it is, in words, for the brief.
pub async fn read_tracker(store: &Store, origin: String) -> Result<Tracker, BriefError> {
    let mut tracker = read_registry(store).await?;
    tracker.origin = origin;
    Ok(tracker)
}

async fn read_registry(store: &Store) -> decarb_store::Result<Tracker> {
    let filter = RegistryFilter::default();
    Ok(Tracker {
        origin: String::new(),
        bundled_seed: false,
        members: store.members(&filter).await?,
        pledges: store.pledges(&filter).await?,
        partnerships: store.partnerships(&filter).await?,
        projects: store.projects(&ProjectFilter::default()).await?,
        sources: store.sources().await?.into_iter().map(|s| (s.id.clone(), s)).collect(),
    })
}

/// True when `target` names a store that exists: any URL, or a SQLite file that is there.
fn store_exists(target: &str) -> bool {
    if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        return true;
    }
    let path = target.strip_prefix("sqlite://").or_else(|| target.strip_prefix("sqlite:")).unwrap_or(target);
    let path = path.split('?').next().unwrap_or(path);
    Path::new(path).is_file()
}

/// Reads the tracker from `db` (a SQLite path or PostgreSQL URL; `None`: `DECARB_DATABASE_URL`,
/// else `decarb.db`). When that store does not exist, a temporary SQLite store is initialised
/// with the bundled seed tables (`decarb db init`) and read instead, and [`Tracker::origin`]
/// says so. An existing store is opened read-mostly (opening migrates it, as every command does).
pub fn load_tracker(db: Option<&str>) -> Result<Tracker, BriefError> {
    let target = db.map_or_else(|| decarb_store::default_target(None), str::to_owned);
    if store_exists(&target) {
        let mut tracker = decarb_store::block_on(async {
            let store = Store::open(&target).await?;
            let tracker = read_registry(&store).await;
            store.close().await;
            tracker
        })??;
        tracker.origin = format!("tracker store {}", decarb_store::redact_url(&target));
        return Ok(tracker);
    }
    let dir = tempfile::tempdir().map_err(|e| BriefError::Io("temporary directory".into(), e))?;
    let file = dir.path().join("seed.db");
    let file_text = file.display().to_string();
    let mut tracker = decarb_store::block_on(async {
        let store = Store::open(&file_text).await?;
        store.init().await?;
        let tracker = read_registry(&store).await;
        store.close().await;
        tracker
    })??;
    tracker.origin = format!(
        "no tracker store at {}: a temporary store initialised with decarb's bundled seed tables \
         (crates/decarb-store/seed, as `decarb db init` loads them)",
        decarb_store::redact_url(&target)
    );
    tracker.bundled_seed = true;
    Ok(tracker)
}

/// One pathway run on the bundled world, with its per-plant results (briefs read a country's or
/// a company's own plants from them) and the fleet it ran on.
#[derive(Debug, Clone)]
pub struct Pathway {
    pub scenario: Scenario,
    /// Where the scenario came from: "bundled example net-zero-2050" or a file path.
    pub origin: String,
    pub outcome: Outcome,
    /// The fleet the run was made on: its plants' owners say which company holds what (pledge
    /// alignment).
    pub fleet: decarb_model::Fleet,
}

/// Runs a scenario on the bundled world: `name` is a bundled example (`decarb example list`) or a
/// scenario file (TOML).
pub fn run_pathway(name: &str) -> Result<Pathway, BriefError> {
    run_pathway_on(&decarb_scenario::bundled::default_world(), name)
}

/// [`run_pathway`] on a world built already (the server keeps one).
pub fn run_pathway_on(world: &World, name: &str) -> Result<Pathway, BriefError> {
    let source = decarb_scenario::source::example_or_file(name)
        .map_err(|e| BriefError::Input(format!("--scenario: {e}")))?;
    let (text, origin) = (source.text, source.origin);
    let scenario =
        decarb_scenario::load(&text, &origin, world).map_err(|e| BriefError::Input(e.to_string()))?;
    let outcome =
        decarb_engine::run(world, &scenario, scenario.seed).map_err(|e| BriefError::Input(e.to_string()))?;
    Ok(pathway_of(world, scenario, origin, outcome))
}

fn pathway_of(world: &World, scenario: Scenario, origin: String, outcome: Outcome) -> Pathway {
    Pathway { scenario, origin, outcome, fleet: world.fleet.clone() }
}

/// Every pledge of the tracker judged against the run's pathway of the member's own plants
/// (`decarb_engine::alignment`); `world` is the world the run was made on (its fleet names the
/// plants' holders). A pledge of a member the tracker does not list is an input error naming
/// the pledge's row.
pub fn alignment(
    tracker: &Tracker,
    world: &World,
    outcome: &Outcome,
) -> Result<Vec<decarb_engine::alignment::Alignment>, BriefError> {
    alignment_on(tracker, &world.fleet, outcome)
}

/// [`alignment`] with the run's fleet alone (a [`Pathway`] keeps it).
pub fn alignment_on(
    tracker: &Tracker,
    fleet: &decarb_model::Fleet,
    outcome: &Outcome,
) -> Result<Vec<decarb_engine::alignment::Alignment>, BriefError> {
    member_alignment(tracker, fleet, outcome, |_| true)
}

/// [`alignment_on`] for the pledges of the members `wanted` accepts (by name) only.
pub fn member_alignment(
    tracker: &Tracker,
    fleet: &decarb_model::Fleet,
    outcome: &Outcome,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<decarb_engine::alignment::Alignment>, BriefError> {
    let members = tracker.members.iter().map(MemberRow::to_member).collect::<Result<Vec<_>, _>>()?;
    let pledges: Vec<_> =
        tracker.pledges.iter().filter(|p| wanted(&p.member)).map(PledgeRow::to_pledge).collect();
    decarb_engine::alignment::align_outcome(outcome, fleet, &pledges, &members)
        .map_err(|e| BriefError::Input(format!("{}: {e}", tracker.origin)))
}
