//! `decarb pledges`: members' pledges: list, add, update, retire, and their alignment with a
//! pathway.

use crate::commands::UserError;
use crate::output::{Cell, RowsOut, Table};
use crate::store_args::{ListArgs, SourceArgs, StoreArgs, WriteArgs, apply, opt_text, partial, with_store};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_model::tracker::MemberKind;
use decarb_store::{Edit, PledgePatch, PledgeRecord, Target};

#[derive(Debug, Args)]
pub struct PledgesCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: PledgesCommand,
}

#[derive(Debug, Subcommand)]
pub enum PledgesCommand {
    /// Members' pledges (all, or those made by --as-of).
    List {
        /// Pledges of country or company members.
        #[arg(long)]
        kind: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Each pledge against the pathway of the member's own plants in a scenario: a country's
    /// plants, or a company's share of the plants it holds (direct CO2 of the run's sectors).
    /// Columns: member, kind, target_year, metric, base_year_mtco2, pathway_2030_mtco2,
    /// pathway_target_year_mtco2, gap_mtco2, status (aligned / off track / unknown), reason;
    /// then gap_pct, required_2030_mtco2, gap_2030_mtco2, judged_year,
    /// required_judged_year_mtco2, plants, scope, note. Method: docs/pledge-alignment.md.
    Alignment {
        /// Pathway scenario: a bundled example (`decarb example list`) or a scenario file.
        #[arg(long, value_name = "NAME|FILE", default_value = decarb_engine::examples::DEFAULT_EXAMPLE)]
        scenario: String,
        #[command(flatten)]
        output: RowsOut,
    },
    /// Change a pledge, named by member, metric and scope (only the fields given).
    Update {
        member: String,
        metric: String,
        scope: String,
        #[arg(long)]
        target_year: Option<i32>,
        #[arg(long)]
        milestone_2030: Option<String>,
        /// How binding: `in law`, `policy document`, `pledge`...
        #[arg(long)]
        status: Option<String>,
        /// Checked against the government's or company's own text (true or false).
        #[arg(long)]
        verified: Option<bool>,
        /// When the pledge was made (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        stated: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Retire a pledge (withdrawn or superseded); it leaves every list from --as-of.
    Retire {
        member: String,
        metric: String,
        scope: String,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Add a pledge of a member.
    Add(AddPledge),
}

/// A new pledge as the command line gives it.
#[derive(Debug, Args)]
pub struct AddPledge {
    /// The member's name as listed by `decarb members list`.
    #[arg(long)]
    member: String,
    #[arg(long)]
    target_year: Option<i32>,
    /// net-zero, climate-neutrality, carbon-neutrality, emissions-cut...
    #[arg(long, default_value = "net-zero")]
    metric: String,
    /// economy-wide, company, scope 1-2...
    #[arg(long, default_value = "economy-wide")]
    scope: String,
    /// The 2030 milestone in the pledge's own words.
    #[arg(long)]
    milestone_2030: Option<String>,
    /// in law, policy document, announced...
    #[arg(long)]
    status: Option<String>,
    /// Checked against the government's or company's own text.
    #[arg(long)]
    verified: bool,
    /// When the pledge was made (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    stated: Option<String>,
    #[arg(long)]
    notes: Option<String>,
    #[command(flatten)]
    source: SourceArgs,
}

impl AddPledge {
    /// The record the store adds: the member's name trimmed, the stated date and the source
    /// checked.
    fn record(self) -> Result<PledgeRecord> {
        Ok(PledgeRecord {
            member: self.member.trim().to_owned(),
            target_year: self.target_year,
            metric: self.metric,
            scope: self.scope,
            milestone_2030: self.milestone_2030,
            status: self.status,
            verified: self.verified,
            stated: partial("--stated", self.stated.as_deref())?,
            notes: self.notes,
            source: self.source.record()?,
        })
    }
}

pub fn run_pledges(cli: PledgesCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        PledgesCommand::List { kind, list } => {
            let kind = kind.as_deref().map(str::parse::<MemberKind>).transpose()?;
            let filter = list.registry_filter(kind.map(|k| k.as_str().to_owned()))?;
            let pledges = with_store(&target, async |store| store.pledges(&filter).await)?;
            let mut table = Table::new([
                "member",
                "target_year",
                "metric",
                "scope",
                "milestone_2030",
                "status",
                "verified",
                "stated",
                "source",
                "source_url",
                "notes",
            ]);
            for p in pledges {
                table.push(vec![
                    Cell::text(p.member),
                    p.target_year.map_or(Cell::Empty, Cell::Int),
                    Cell::text(p.metric),
                    Cell::text(p.scope),
                    opt_text(p.milestone_2030),
                    opt_text(p.status),
                    Cell::text(if p.verified { "yes" } else { "no" }),
                    opt_text(p.stated),
                    Cell::text(p.source),
                    opt_text(p.source_url),
                    opt_text(p.notes),
                ]);
            }
            list.output.emit(&table)
        }
        PledgesCommand::Alignment { scenario, output } => {
            alignment(cli.store.db.as_deref(), &scenario, &output)
        }
        PledgesCommand::Update {
            member,
            metric,
            scope,
            target_year,
            milestone_2030,
            status,
            verified,
            stated,
            notes,
            write,
        } => {
            let patch = PledgePatch { target_year, milestone_2030, status, verified, stated, notes };
            apply(&target, &Edit::UpdatePledge { member, metric, scope, patch }, &write)
        }
        PledgesCommand::Retire { member, metric, scope, write } => {
            apply(&target, &Edit::Retire { target: Target::Pledge { member, metric, scope } }, &write)
        }
        PledgesCommand::Add(add) => {
            let record = add.record()?;
            with_store(&target, async |store| store.add_pledge(&record).await)?;
            eprintln!("added pledge of {}", record.member);
            Ok(())
        }
    }
}

/// `decarb pledges alignment`: the tracker's pledges (the store, or the bundled seed when there
/// is none) against one pathway run on the bundled world.
fn alignment(db: Option<&str>, scenario: &str, output: &RowsOut) -> Result<()> {
    let brief_error = |e: decarb_brief::BriefError| -> anyhow::Error {
        if e.is_user_error() { UserError(e.to_string()).into() } else { anyhow::Error::new(e) }
    };
    // A `--db` given by name must exist (a typo is not the bundled seed); without one, the
    // default store or, when there is none, the bundled seed (said on stderr).
    if let Some(db) = db {
        crate::store_args::existing_store(db)?;
    }
    let tracker = decarb_brief::gather::load_tracker(db).map_err(brief_error)?;
    if tracker.bundled_seed {
        eprintln!("note: {}", tracker.origin);
    }
    let world = decarb_scenario::bundled::default_world();
    let pathway = decarb_brief::gather::run_pathway_on(&world, scenario).map_err(brief_error)?;
    let rows = decarb_brief::gather::alignment(&tracker, &world, &pathway.outcome).map_err(brief_error)?;
    let mt = |v: Option<f64>| v.map_or(Cell::Empty, |v| Cell::number(v, 2));
    let mut table = Table::new([
        "member",
        "kind",
        "target_year",
        "metric",
        "base_year_mtco2",
        "pathway_2030_mtco2",
        "pathway_target_year_mtco2",
        "gap_mtco2",
        "status",
        "reason",
        "gap_pct",
        "required_2030_mtco2",
        "gap_2030_mtco2",
        "judged_year",
        "required_judged_year_mtco2",
        "plants",
        "scope",
        "note",
    ]);
    for row in rows {
        table.push(vec![
            Cell::text(row.member),
            Cell::text(row.kind.as_str()),
            row.target_year.map_or(Cell::Empty, Cell::int),
            Cell::text(row.metric),
            mt(row.base_year_mtco2),
            mt(row.pathway_2030_mtco2),
            mt(row.pathway_target_year_mtco2),
            mt(row.gap_mtco2),
            Cell::text(row.status.as_str()),
            Cell::text(row.reason),
            row.gap_pct.map_or(Cell::Empty, |v| Cell::number(v, 1)),
            mt(row.required_2030_mtco2),
            mt(row.gap_2030_mtco2),
            row.judged_year.map_or(Cell::Empty, Cell::int),
            mt(row.required_judged_year_mtco2),
            Cell::int(row.plants),
            Cell::text(row.scope),
            Cell::text(row.note),
        ]);
    }
    eprintln!(
        "pledges against {} ({}), direct CO2 of the member's own plants; method: docs/pledge-alignment.md",
        pathway.scenario.name, pathway.origin
    );
    output.emit(&table)
}
