//! `decarb brief country|sector|member|all`: generated briefs as self-contained HTML (and PDF
//! with `--pdf` when Chromium is on the machine), from the bundled data, the tracker store and a
//! pathway run. The work is done by `decarb-brief`.

use super::UserError;
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_brief::country::BriefOptions;
use decarb_brief::gather::{self, Pathway, Tracker};
use decarb_brief::{BriefError, country, member, sector};
use decarb_model::{CountryCode, Sector};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct BriefCli {
    #[command(subcommand)]
    pub command: BriefCommand,
}

/// What every brief takes.
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// Pathway scenario: a bundled example (`decarb example list`) or a scenario file.
    #[arg(long, value_name = "NAME|FILE", default_value = decarb_engine::examples::DEFAULT_EXAMPLE)]
    pub scenario: String,
    /// The tracker store (SQLite path or postgres:// URL) [default: $DECARB_DATABASE_URL, else
    /// decarb.db]. When it does not exist, a temporary store with the bundled seed is used and
    /// the brief says so.
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<String>,
    /// Use production statistics up to this year (a brief as it could have been written then)
    /// [default: the latest year the bundled statistics cover].
    #[arg(long, value_name = "YEAR")]
    pub statistics_year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct OutArgs {
    /// Output HTML file.
    #[arg(short, long, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Also print the brief to PDF (next to the HTML, `.pdf`) with headless Chromium.
    #[arg(long)]
    pub pdf: bool,
}

#[derive(Debug, Subcommand)]
pub enum BriefCommand {
    /// A country's brief: headline facts, membership and pledges, fleet and reinvestment wave,
    /// project pipeline, pathway and CBAM cost.
    Country {
        /// ISO3 code or name.
        country: String,
        #[command(flatten)]
        brief: BriefArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// A sector's brief: largest producers, fleet by region, pipeline, world pathway.
    Sector {
        /// steel, cement, aluminium or ammonia.
        sector: String,
        #[command(flatten)]
        brief: BriefArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// A member's brief (a member country gets its country brief).
    Member {
        /// The member's name as the tracker lists it (`decarb members list`).
        name: String,
        #[command(flatten)]
        brief: BriefArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// The brief of every country of the bundled world fleet, as DIR/<ISO3>.html.
    All {
        #[command(flatten)]
        brief: BriefArgs,
        /// Output directory.
        #[arg(short, long, value_name = "DIR")]
        out: PathBuf,
    },
}

fn brief_error(err: BriefError) -> anyhow::Error {
    if err.is_user_error() { UserError(err.to_string()).into() } else { anyhow::Error::new(err) }
}

fn inputs(args: &BriefArgs) -> Result<(Tracker, Pathway, BriefOptions)> {
    if let Some(year) = args.statistics_year
        && !(1900..=2100).contains(&year)
    {
        return Err(UserError(format!(
            "--statistics-year: found {year}, expected a year between 1900 and 2100"
        ))
        .into());
    }
    let tracker = gather::load_tracker(args.db.as_deref()).map_err(brief_error)?;
    if tracker.bundled_seed {
        eprintln!("note: {}", tracker.origin);
    }
    let pathway = gather::run_pathway(&args.scenario).map_err(brief_error)?;
    Ok((tracker, pathway, BriefOptions { statistics_up_to: args.statistics_year }))
}

fn write(html: &str, out: &OutArgs) -> Result<()> {
    if let Some(parent) = out.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| UserError(format!("{}: cannot create the directory: {e}", parent.display())))?;
    }
    std::fs::write(&out.out, html)
        .map_err(|e| UserError(format!("{}: cannot write: {e}", out.out.display())))?;
    eprintln!("brief written to {}", out.out.display());
    if out.pdf {
        let pdf = out.out.with_extension("pdf");
        decarb_brief::pdf::print_pdf(&out.out, &pdf).map_err(brief_error)?;
        eprintln!("PDF written to {}", pdf.display());
    }
    Ok(())
}

pub fn run(cli: BriefCli) -> Result<()> {
    match cli.command {
        BriefCommand::Country { country: name, brief, out } => {
            let code = CountryCode::parse(&name)?;
            let (tracker, pathway, options) = inputs(&brief)?;
            let gathered = country::gather(code, &tracker, &pathway, options).map_err(brief_error)?;
            write(&country::render(&gathered), &out)
        }
        BriefCommand::Sector { sector: name, brief, out } => {
            let sector: Sector = name.parse()?;
            let (tracker, pathway, options) = inputs(&brief)?;
            write(&sector::render(&sector::gather(sector, &tracker, &pathway, options)), &out)
        }
        BriefCommand::Member { name, brief, out } => {
            let (tracker, pathway, options) = inputs(&brief)?;
            let gathered = member::gather(&name, &tracker, &pathway, options).map_err(brief_error)?;
            write(&member::render(&gathered), &out)
        }
        BriefCommand::All { brief, out } => all(&brief, &out),
    }
}

fn all(args: &BriefArgs, dir: &Path) -> Result<()> {
    let (tracker, pathway, options) = inputs(args)?;
    let mut bar = None;
    let mut progress = |done: usize, total: usize| {
        let bar = bar.get_or_insert_with(|| {
            crate::progress::terminal_bar_of(total as u64, Some("country briefs"), "briefs")
        });
        if let Some(bar) = bar {
            bar.set_position(done as u64);
        }
    };
    let files =
        decarb_brief::write_all_countries_with_progress(dir, &tracker, &pathway, options, &mut progress)
            .map_err(brief_error)?;
    if let Some(Some(bar)) = &bar {
        bar.finish_and_clear();
    }
    eprintln!("{} country briefs written to {}", files.len(), dir.display());
    Ok(())
}
