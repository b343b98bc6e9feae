//! `decarb projects`: low-carbon projects: list, show, add, update, retire.

use crate::commands::UserError;
use crate::output::{Cell, RowsOut, Table};
use crate::store_args::{
    ListArgs, SourceArgs, StoreArgs, WriteArgs, apply, date_arg, opt_text, partial, with_store, writer,
};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_model::CountryCode;
use decarb_model::tracker::ProjectStage;
use decarb_store::{Edit, ProjectFilter, ProjectRecord, ProjectUpdate, Target};

#[derive(Debug, Args)]
pub struct ProjectsCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: ProjectsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// Low-carbon projects (latest, or as of a date).
    List {
        /// steel, cement, aluminium, ammonia, hydrogen, or an IEA sector slug.
        #[arg(long)]
        sector: Option<String>,
        /// Stage: announced, feasibility, fid, construction, operating, paused, completed,
        /// cancelled, decommissioned (GST and IEA status words are accepted too).
        #[arg(long, alias = "stage")]
        status: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// One project.
    Show {
        id: String,
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        as_of: Option<String>,
        #[command(flatten)]
        output: RowsOut,
    },
    /// Retire a project: it leaves every list from --as-of (today by default); its history stays.
    Retire {
        id: String,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Add a project.
    Add(ProjectAddArgs),
    /// Change a project; the change is kept in its history, valid from --as-of.
    Update(ProjectUpdateArgs),
}

#[derive(Debug, Args)]
pub struct ProjectAddArgs {
    /// A new, stable id (a slug such as `stegra-boden-phase-2`).
    #[arg(long)]
    pub id: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub sector: String,
    #[arg(long)]
    pub technology: String,
    #[arg(long)]
    pub country: String,
    #[arg(long, default_value = "announced")]
    pub stage: String,
    /// Lead company (repeat for several).
    #[arg(long)]
    pub company: Vec<String>,
    /// Capacity value, with --unit.
    #[arg(long, requires = "unit")]
    pub capacity: Option<f64>,
    /// Product and unit of the capacity (`Mt steel/yr`, `Mt CO2/yr`).
    #[arg(long, requires = "capacity")]
    pub unit: Option<String>,
    #[arg(long)]
    pub start: Option<String>,
    /// The date the facts hold from (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
}

#[derive(Debug, Args)]
pub struct ProjectUpdateArgs {
    pub id: String,
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long, requires = "unit")]
    pub capacity: Option<f64>,
    #[arg(long, requires = "capacity")]
    pub unit: Option<String>,
    /// Add this much to the capacity (keeps the unit).
    #[arg(long, conflicts_with = "capacity", allow_hyphen_values = true)]
    pub add_capacity: Option<f64>,
    #[arg(long)]
    pub start: Option<String>,
    #[arg(long)]
    pub fid: Option<String>,
    #[arg(long)]
    pub technology: Option<String>,
    /// Add a partner (repeat for several).
    #[arg(long)]
    pub add_partner: Vec<String>,
    #[arg(long)]
    pub note: Option<String>,
    /// The date the change holds from (YYYY-MM-DD) [default: today]; a date before the
    /// project's current state is refused (never silently moved).
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub as_of: Option<String>,
    /// Who makes the change [default: $DECARB_USER, else $USER, else "local CLI (unnamed ...)"].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub fn run_projects(cli: ProjectsCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        ProjectsCommand::List { sector, status, list } => {
            let filter = ProjectFilter {
                sector: sector.map(|s| s.trim().to_ascii_lowercase()),
                country: list.country()?,
                stage: status.as_deref().map(str::parse::<ProjectStage>).transpose()?,
                as_of: list.as_of.clone(),
            };
            let projects = with_store(&target, async |store| store.projects(&filter).await)?;
            let mut table = Table::new([
                "id",
                "name",
                "sector",
                "country",
                "stage",
                "technology",
                "capacity",
                "capacity_unit",
                "start",
                "companies",
                "source",
                "valid_from",
            ]);
            for p in projects {
                table.push(vec![
                    Cell::text(p.key),
                    Cell::text(p.name),
                    Cell::text(p.sector),
                    Cell::text(p.country.unwrap_or(p.country_text)),
                    Cell::text(p.stage),
                    Cell::text(p.technology),
                    p.capacity_value.map_or(Cell::Empty, |v| Cell::number(v, 3)),
                    opt_text(p.capacity_unit),
                    opt_text(p.start),
                    Cell::text(p.companies.join("; ")),
                    Cell::text(p.source),
                    Cell::text(p.valid_from),
                ]);
            }
            list.output.emit(&table)
        }
        ProjectsCommand::Show { id, as_of, output } => {
            let p = with_store(&target, async |store| store.project(&id, as_of.as_deref()).await)?;
            let mut table = Table::new(["field", "value"]);
            let fields = [
                ("id", Some(p.key)),
                ("name", Some(p.name)),
                ("sector", Some(p.sector)),
                ("technology", Some(p.technology)),
                ("country", Some(p.country.unwrap_or(p.country_text))),
                ("site", p.site),
                ("companies", Some(p.companies.join("; "))),
                ("partners", Some(p.partners.join("; "))),
                ("stage", Some(p.stage)),
                ("stage as published", p.stage_raw),
                ("capacity", p.capacity_value.zip(p.capacity_unit).map(|(v, u)| format!("{v} {u}"))),
                ("announced", p.announced),
                ("FID", p.fid),
                ("start", p.start),
                (
                    "investment (millions)",
                    p.investment_value.zip(p.investment_currency).map(|(v, c)| format!("{v} {c}")),
                ),
                ("GEM plant id", p.gem_plant_id),
                ("notes", p.notes),
                ("source", Some(p.source)),
                ("valid from", Some(p.valid_from)),
            ];
            for (field, value) in fields {
                if let Some(value) = value.filter(|v| !v.is_empty()) {
                    table.push(vec![Cell::text(field), Cell::text(value)]);
                }
            }
            output.emit(&table)
        }
        ProjectsCommand::Retire { id, write } => {
            apply(&target, &Edit::Retire { target: Target::Project { key: id } }, &write)
        }
        ProjectsCommand::Add(args) => add_project(&target, args),
        ProjectsCommand::Update(args) => update_project(&target, args),
    }
}

fn add_project(target: &str, args: ProjectAddArgs) -> Result<()> {
    let country = CountryCode::parse(&args.country)?;
    let stage: ProjectStage = args.stage.parse()?;
    let source = args.source.record()?;
    let valid_from = args.as_of.clone().unwrap_or_else(decarb_store::today);
    if args.capacity.is_some_and(|c| !c.is_finite() || c < 0.0) {
        return Err(UserError(format!(
            "--capacity: found {:?}, expected a non-negative number",
            args.capacity.unwrap_or_default()
        ))
        .into());
    }
    let record = ProjectRecord {
        key: args.id.trim().to_owned(),
        name: args.name.trim().to_owned(),
        sector: args.sector.trim().to_ascii_lowercase(),
        technology: args.technology.trim().to_owned(),
        country: Some(country),
        country_text: country.as_str().to_owned(),
        site: None,
        companies: args.company,
        partners: Vec::new(),
        stage,
        stage_raw: None,
        capacity: args.capacity.zip(args.unit),
        announced: None,
        fid: None,
        start: partial("--start", args.start.as_deref())?,
        investment: None,
        gem_plant_id: None,
        parent_programme: None,
        notes: None,
        assessment: None,
        row: None,
    };
    with_store(target, async |store| store.add_project(&record, &source, &valid_from).await)?;
    eprintln!("added project {} ({}, valid from {valid_from})", record.key, record.stage);
    Ok(())
}

fn update_project(target: &str, args: ProjectUpdateArgs) -> Result<()> {
    let source = args.source.record()?;
    let valid_from = args.as_of.clone().unwrap_or_else(decarb_store::today);
    let update = ProjectUpdate {
        stage: args.stage.as_deref().map(str::parse::<ProjectStage>).transpose()?,
        capacity: args.capacity.zip(args.unit),
        start: partial("--start", args.start.as_deref())?,
        fid: partial("--fid", args.fid.as_deref())?,
        investment: None,
        technology: args.technology,
        add_partners: args.add_partner,
        notes: args.note,
        capacity_delta: args.add_capacity,
    };
    let by = writer(args.by.as_deref());
    let row = with_store(target, async |store| {
        store.clone().with_actor(&by).update_project(&args.id, &update, &source, &valid_from).await
    })?;
    eprintln!("updated project {} (stage {}, valid from {})", row.key, row.stage, row.valid_from);
    Ok(())
}
