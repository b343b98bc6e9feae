//! `decarb plants|projects|members|pledges|partnerships`: reading and editing the tracker store.
//! Every list takes filters, `--as-of DATE` (what the tracker said that day) and `--format`.

use super::UserError;
use super::db::{StoreArgs, day, opt_text, store_error, with_store};
use crate::output::{Cell, Format, Table};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_model::tracker::{MemberKind, PartnershipKind, ProjectStage};
use decarb_model::{CountryCode, PlantStatus, Route, Sector};
use decarb_store::{
    Edit, MemberPatch, MemberRecord, PartnershipPatch, PartnershipRecord, PlantFilter, PledgePatch,
    PledgeRecord, ProjectFilter, ProjectRecord, ProjectUpdate, RegistryFilter, SourceRecord, Target,
    WriteMeta, source_id_for,
};

/// Filters shared by list commands.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this country (ISO code or name).
    #[arg(long)]
    pub country: Option<String>,
    /// What the tracker said on this date (YYYY-MM-DD) [default: latest].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

impl ListArgs {
    fn country(&self) -> Result<Option<CountryCode>> {
        Ok(self.country.as_deref().map(CountryCode::parse).transpose()?)
    }
    fn as_of(&self) -> Result<Option<String>> {
        self.as_of.as_deref().map(day).transpose()
    }
    /// The filter of the member, pledge and partnership lists: a kind in the store's words,
    /// then this list's country and date.
    fn registry_filter(&self, kind: Option<String>) -> Result<RegistryFilter> {
        Ok(RegistryFilter { kind, country: self.country()?, as_of: self.as_of()? })
    }
}

/// The source of an edit typed on the command line: every fact carries one.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Citation of the source of this fact ("LeadIT press release, 2024-06-25").
    #[arg(long, value_name = "CITATION")]
    pub source: String,
    /// Address of the source.
    #[arg(long)]
    pub url: Option<String>,
}

impl SourceArgs {
    fn record(&self) -> Result<SourceRecord> {
        let citation = self.source.trim();
        if citation.is_empty() {
            return Err(UserError("--source: give the citation of the source of this fact".into()).into());
        }
        Ok(SourceRecord {
            id: source_id_for(&format!("{citation} {}", self.url.as_deref().unwrap_or(""))),
            citation: citation.to_owned(),
            url: self.url.clone(),
            licence: None,
            retrieved: Some(decarb_store::today()),
        })
    }
}

/// Why, on what evidence, from when and by whom: what every `update` and `retire` verb records
/// in the change log (the same as a write through the API).
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Why the change is made (required; kept in the record's history).
    #[arg(long)]
    pub note: String,
    /// The address of the evidence (http or https).
    #[arg(long, value_name = "URL")]
    pub source: Option<String>,
    /// The day the change holds from (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Who makes the change [default: $DECARB_USER, else $USER, else "local CLI (unnamed ...)"].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

impl WriteArgs {
    fn meta(&self) -> Result<WriteMeta> {
        let meta = WriteMeta {
            by: writer(self.by.as_deref()),
            note: self.note.clone(),
            source_url: self.source.clone(),
            valid_from: self.as_of.as_deref().map(day).transpose()?,
        };
        meta.check().map_err(|err| match err {
            decarb_store::StoreError::Field { field, found, expected } => UserError(format!(
                "--{}: found {found:?}, expected {expected}",
                match field.as_str() {
                    "source_url" => "source",
                    "valid_from" => "as-of",
                    other => other,
                }
                .replace('_', "-")
            ))
            .into(),
            other => store_error(other),
        })?;
        Ok(meta)
    }
}

/// Who a write from the command line is recorded as: `--by`, else `DECARB_USER`, else `USER`;
/// without any of them, [`UNNAMED`] (said in so many words, with a warning, never "unknown").
pub fn writer(by: Option<&str>) -> String {
    let named = by
        .map(str::to_owned)
        .or_else(|| std::env::var("DECARB_USER").ok())
        .or_else(|| std::env::var("USER").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty());
    named.unwrap_or_else(|| {
        eprintln!("warning: no --by, DECARB_USER or USER: the change is recorded as by {UNNAMED:?}");
        UNNAMED.to_owned()
    })
}

/// The writer recorded when nobody is named.
pub const UNNAMED: &str = "local CLI (unnamed: no --by, DECARB_USER or USER)";

/// Applies an edit from the command line and says what it did.
fn apply(target: &str, edit: &Edit, args: &WriteArgs) -> Result<()> {
    let meta = args.meta()?;
    let applied = with_store(target, async |store| store.apply_edit(edit, &meta, None).await)?;
    let what = match edit {
        Edit::Retire { .. } => "retired",
        _ if applied.changed == 0 => "unchanged",
        _ => "updated",
    };
    eprintln!(
        "{what} {} {:?} (version {}, {} field(s), recorded by {})",
        applied.entity, applied.key, applied.version, applied.changed, meta.by
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------- plants

#[derive(Debug, Args)]
pub struct PlantsCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: PlantsCommand,
}

#[derive(Debug, Subcommand)]
pub enum PlantsCommand {
    /// Plants as the trackers listed them (latest, or as of a date).
    List {
        /// steel, cement, aluminium or ammonia.
        #[arg(long)]
        sector: Option<String>,
        /// operating, operating-pre-retirement, construction, announced, mothballed, retired, cancelled.
        #[arg(long)]
        status: Option<String>,
        /// bf-bof, dri-eaf, eaf, ... (see `decarb tech list`).
        #[arg(long)]
        route: Option<String>,
        /// Tracker family: gem-steel, sfi-cement, decarb...
        #[arg(long)]
        family: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// One plant: its state, every id the trackers gave it, owners and furnace units.
    Show {
        /// A source id (SMY00015, P100000120850, SMY00015#2) or store key (gem-steel/SMY00015).
        id: String,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Operating capacity by country and route (as of a date).
    Capacity {
        #[arg(long)]
        sector: Option<String>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
}

pub fn run_plants(cli: PlantsCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        PlantsCommand::List { sector, status, route, family, list } => {
            let filter = PlantFilter {
                sector: sector.as_deref().map(str::parse::<Sector>).transpose()?,
                country: list.country()?,
                status: status.as_deref().map(str::parse::<PlantStatus>).transpose()?,
                route: route.as_deref().map(str::parse::<Route>).transpose()?,
                family,
                as_of: list.as_of()?,
            };
            let plants = with_store(&target, async |store| store.plants(&filter).await)?;
            let mut table = Table::new([
                "family",
                "id",
                "name",
                "sector",
                "country",
                "status",
                "route",
                "capacity_mt",
                "capacity_reported",
                "start",
                "source",
                "valid_from",
            ]);
            for p in plants {
                table.push(vec![
                    Cell::text(p.family),
                    Cell::text(p.key),
                    Cell::text(p.name),
                    Cell::text(p.sector),
                    Cell::text(p.country.unwrap_or(p.country_text)),
                    Cell::text(p.status),
                    Cell::text(p.route),
                    p.capacity_tpa.map_or(Cell::Empty, |t| Cell::number(t / 1e6, 3)),
                    Cell::text(p.capacity_kind),
                    opt_text(p.start),
                    Cell::text(p.source),
                    Cell::text(p.valid_from),
                ]);
            }
            table.print(Format::resolve(list.format))
        }
        PlantsCommand::Show { id, as_of, format } => show_plant(&target, &id, as_of.as_deref(), format),
        PlantsCommand::Capacity { sector, as_of, format } => {
            let sector = sector.as_deref().map(str::parse::<Sector>).transpose()?;
            let as_of = as_of.as_deref().map(day).transpose()?;
            let rows =
                with_store(&target, async |store| store.operating_capacity(as_of.as_deref(), sector).await)?;
            let mut table = Table::new(["country", "route", "plants", "capacity_mt"]);
            for r in rows {
                table.push(vec![
                    opt_text(r.country),
                    Cell::text(r.route),
                    Cell::Int(r.plants),
                    Cell::number(r.capacity_tpa / 1e6, 3),
                ]);
            }
            table.print(Format::resolve(format))
        }
    }
}

fn owner_text(owner: &decarb_model::Ownership) -> String {
    match owner.share {
        Some(share) => format!("{} [{:.1}%]", owner.name, share * 100.0),
        None => owner.name.clone(),
    }
}

// -------------------------------------------------------------------------------------- projects

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
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum)]
        format: Option<Format>,
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
    #[arg(long, value_name = "DATE")]
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
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Who makes the change [default: $DECARB_USER, else $USER, else "local CLI (unnamed ...)"].
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
}

fn partial(what: &str, text: Option<&str>) -> Result<Option<String>> {
    text.map(|t| decarb_store::parse_partial_date(what, t)).transpose().map_err(store_error)
}

pub fn run_projects(cli: ProjectsCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        ProjectsCommand::List { sector, status, list } => {
            let filter = ProjectFilter {
                sector: sector.map(|s| s.trim().to_ascii_lowercase()),
                country: list.country()?,
                stage: status.as_deref().map(str::parse::<ProjectStage>).transpose()?,
                as_of: list.as_of()?,
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
            table.print(Format::resolve(list.format))
        }
        ProjectsCommand::Show { id, as_of, format } => {
            let as_of = as_of.as_deref().map(day).transpose()?;
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
            table.print(Format::resolve(format))
        }
        ProjectsCommand::Retire { id, write } => {
            apply(&target, &Edit::Retire { target: Target::Project { key: id } }, &write)
        }
        ProjectsCommand::Add(args) => add_project(&target, args),
        ProjectsCommand::Update(args) => update_project(&target, args),
    }
}

fn show_plant(target: &str, id: &str, as_of: Option<&str>, format: Option<Format>) -> Result<()> {
    let as_of = as_of.map(day).transpose()?;
    let detail = with_store(target, async |store| store.plant(id, as_of.as_deref()).await)?;
    let mut table = Table::new(["field", "value"]);
    let mut put = |field: &str, value: String| table.push(vec![Cell::text(field), Cell::text(value)]);
    let row = &detail.row;
    put("store key", format!("{}/{}", row.family, row.key));
    put("name", row.name.clone());
    put("sector", row.sector.clone());
    put("country", row.country.clone().unwrap_or_else(|| row.country_text.clone()));
    put("status", row.status.clone());
    put("route", row.route.clone());
    put("capacity (t/yr)", row.capacity_tpa.map_or_else(|| row.capacity_kind.clone(), |c| format!("{c}")));
    put("start", row.start.clone().unwrap_or_default());
    put("listed", detail.listed.to_string());
    put("source", row.source.clone());
    put("valid from", row.valid_from.clone());
    if let Some((lat, lon)) = detail.coordinates {
        put("coordinates", format!("{lat}, {lon}"));
    }
    for (scheme, external, occurrence, how) in &detail.ids {
        put("id", format!("{scheme} {external} (occurrence {occurrence}, matched by {how})"));
    }
    for owner in &detail.owners {
        put("owner", owner_text(owner));
    }
    for parent in &detail.parents {
        put("parent", owner_text(parent));
    }
    for unit in &detail.units {
        let capacity =
            unit.capacity_tpa.map_or_else(|| "capacity not stated".to_owned(), |c| format!("{c} t/yr"));
        put("unit", format!("{} {} {:?} {} {capacity}", unit.key, unit.kind, unit.name, unit.status));
    }
    table.print(Format::resolve(format))
}

fn add_project(target: &str, args: ProjectAddArgs) -> Result<()> {
    let country = CountryCode::parse(&args.country)?;
    let stage: ProjectStage = args.stage.parse()?;
    let source = args.source.record()?;
    let valid_from = args.as_of.as_deref().map_or_else(|| Ok(decarb_store::today()), day)?;
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
    let valid_from = args.as_of.as_deref().map_or_else(|| Ok(decarb_store::today()), day)?;
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

// ------------------------------------------------------------------------- members, pledges, ...

#[derive(Debug, Args)]
pub struct MembersCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: MembersCommand,
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Members of the group (all, or those that had joined by --as-of).
    List {
        /// country or company.
        #[arg(long)]
        kind: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Change a member (only the fields given); kept in its history with --note and --source.
    Update {
        name: String,
        /// country or company.
        #[arg(long)]
        kind: Option<String>,
        /// The country, or the company's headquarters country.
        #[arg(long)]
        country: Option<String>,
        /// Join date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        joined: Option<String>,
        /// The date the member left the group.
        #[arg(long)]
        left_on: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Retire a member (withdrawn from the tracker: an error or a duplicate; a member that left
    /// the group is `update --left-on`). It and its pledges leave every list from --as-of.
    Retire {
        name: String,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Add a member.
    Add {
        #[arg(long)]
        name: String,
        /// country or company.
        #[arg(long)]
        kind: String,
        /// The country, or the company's headquarters country.
        #[arg(long)]
        country: String,
        /// Join date (YYYY, YYYY-MM or YYYY-MM-DD).
        #[arg(long)]
        joined: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        #[command(flatten)]
        source: SourceArgs,
    },
}

pub fn run_members(cli: MembersCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        MembersCommand::List { kind, list } => {
            let kind = kind.as_deref().map(str::parse::<MemberKind>).transpose()?;
            let filter = list.registry_filter(kind.map(|k| k.as_str().to_owned()))?;
            let members = with_store(&target, async |store| store.members(&filter).await)?;
            let mut table = Table::new([
                "name",
                "kind",
                "country",
                "joined",
                "known_from",
                "left",
                "source",
                "source_url",
                "notes",
            ]);
            for m in members {
                table.push(vec![
                    Cell::text(m.name),
                    Cell::text(m.kind),
                    opt_text(m.country),
                    opt_text(m.joined),
                    opt_text(m.known_from),
                    opt_text(m.left_on),
                    Cell::text(m.source),
                    opt_text(m.source_url),
                    opt_text(m.notes),
                ]);
            }
            table.print(Format::resolve(list.format))
        }
        MembersCommand::Update { name, kind, country, joined, left_on, notes, write } => {
            let patch = MemberPatch { kind, country, joined, left_on, notes };
            apply(&target, &Edit::UpdateMember { name, patch }, &write)
        }
        MembersCommand::Retire { name, write } => {
            apply(&target, &Edit::Retire { target: Target::Member { name } }, &write)
        }
        MembersCommand::Add { name, kind, country, joined, notes, source } => {
            let record = MemberRecord {
                name: name.trim().to_owned(),
                kind: kind.parse()?,
                country: Some(CountryCode::parse(&country)?),
                joined: partial("--joined", joined.as_deref())?,
                known_from: None,
                left_on: None,
                notes,
                source: source.record()?,
            };
            with_store(&target, async |store| store.add_member(&record).await)?;
            eprintln!("added member {}", record.name);
            Ok(())
        }
    }
}

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
        #[arg(long, value_enum)]
        format: Option<Format>,
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
    Add {
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
    },
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
            table.print(Format::resolve(list.format))
        }
        PledgesCommand::Alignment { scenario, format } => {
            alignment(cli.store.db.as_deref(), &scenario, format)
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
        PledgesCommand::Add {
            member,
            target_year,
            metric,
            scope,
            milestone_2030,
            status,
            verified,
            stated,
            notes,
            source,
        } => {
            let record = PledgeRecord {
                member: member.trim().to_owned(),
                target_year,
                metric,
                scope,
                milestone_2030,
                status,
                verified,
                stated: partial("--stated", stated.as_deref())?,
                notes,
                source: source.record()?,
            };
            with_store(&target, async |store| store.add_pledge(&record).await)?;
            eprintln!("added pledge of {}", record.member);
            Ok(())
        }
    }
}

/// `decarb pledges alignment`: the tracker's pledges (the store, or the bundled seed when there
/// is none) against one pathway run on the bundled world.
fn alignment(db: Option<&str>, scenario: &str, format: Option<Format>) -> Result<()> {
    let brief_error = |e: decarb_brief::BriefError| -> anyhow::Error {
        if e.is_user_error() { UserError(e.to_string()).into() } else { anyhow::Error::new(e) }
    };
    // A `--db` given by name must exist (a typo is not the bundled seed); without one, the
    // default store or, when there is none, the bundled seed (said on stderr).
    if let Some(db) = db {
        super::db::existing_store(db)?;
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
    table.print(Format::resolve(format))
}

#[derive(Debug, Args)]
pub struct PartnershipsCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: PartnershipsCommand,
}

#[derive(Debug, Subcommand)]
pub enum PartnershipsCommand {
    /// Partnerships (all, or those started by --as-of).
    List {
        /// bilateral or value_chain.
        #[arg(long)]
        kind: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Change a partnership (only the fields given).
    Update {
        name: String,
        /// The full list of parties, replacing the old (repeat for each; at least two).
        #[arg(long = "party")]
        parties: Vec<String>,
        #[arg(long)]
        started: Option<String>,
        #[arg(long)]
        venue: Option<String>,
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Retire a partnership (ended or withdrawn); it leaves every list from --as-of.
    Retire {
        name: String,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Add a partnership.
    Add {
        #[arg(long)]
        name: String,
        /// bilateral or value_chain.
        #[arg(long)]
        kind: String,
        /// A party: a country or a company (repeat, at least two).
        #[arg(long = "party", required = true)]
        parties: Vec<String>,
        #[arg(long)]
        started: Option<String>,
        #[arg(long)]
        venue: Option<String>,
        /// The initiative it belongs to (LeadIT).
        #[arg(long)]
        parent: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        source: SourceArgs,
    },
}

pub fn run_partnerships(cli: PartnershipsCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        PartnershipsCommand::List { kind, list } => {
            let kind = kind.as_deref().map(str::parse::<PartnershipKind>).transpose()?;
            let filter = list.registry_filter(kind.map(|k| match k {
                PartnershipKind::Bilateral => "bilateral".to_owned(),
                PartnershipKind::ValueChain => "value_chain".to_owned(),
            }))?;
            let partnerships = with_store(&target, async |store| store.partnerships(&filter).await)?;
            let mut table = Table::new([
                "name",
                "kind",
                "parties",
                "started",
                "venue",
                "parent",
                "description",
                "source",
                "source_url",
            ]);
            for p in partnerships {
                table.push(vec![
                    Cell::text(p.name),
                    Cell::text(p.kind),
                    Cell::text(p.parties.join("; ")),
                    opt_text(p.started),
                    opt_text(p.venue),
                    opt_text(p.parent),
                    opt_text(p.description),
                    Cell::text(p.source),
                    opt_text(p.source_url),
                ]);
            }
            table.print(Format::resolve(list.format))
        }
        PartnershipsCommand::Update { name, parties, started, venue, parent, description, write } => {
            let parties = (!parties.is_empty()).then_some(parties);
            let patch = PartnershipPatch { parties, started, venue, parent, description };
            apply(&target, &Edit::UpdatePartnership { name, patch }, &write)
        }
        PartnershipsCommand::Retire { name, write } => {
            apply(&target, &Edit::Retire { target: Target::Partnership { name } }, &write)
        }
        PartnershipsCommand::Add { name, kind, parties, started, venue, parent, description, source } => {
            let record = PartnershipRecord {
                name: name.trim().to_owned(),
                kind: kind.parse()?,
                parties,
                started: partial("--started", started.as_deref())?,
                venue,
                parent,
                description,
                source: source.record()?,
            };
            with_store(&target, async |store| store.add_partnership(&record).await)?;
            eprintln!("added partnership {}", record.name);
            Ok(())
        }
    }
}
