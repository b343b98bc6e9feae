//! `decarb`: the command-line face of the decarb platform. A thin layer: argument parsing,
//! output formatting and exit codes; the work is done by the library crates.

// Non-test code returns errors instead of panicking (issue 15; tests may unwrap: clippy.toml).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod charts;
mod commands;
mod ensemble_files;
mod limits;
mod output;
mod progress;
mod run_tables;
mod store;
mod store_args;
mod threads;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// decarb: plants, pathways and border costs for the transition of heavy industry.
#[derive(Debug, Parser)]
#[command(name = "decarb", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Show tables whole, however wide: without it, a table on a terminal wraps and cuts long
    /// text to the terminal's width (or to the COLUMNS environment variable).
    #[arg(long, global = true)]
    wide: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read plant trackers (GEM, SFI, decarb's own format): summarise and export fleets.
    #[command(subcommand)]
    Fleet(commands::fleet::FleetCommand),
    /// Country production statistics bundled with decarb (worldsteel, BGS, USGS).
    #[command(subcommand)]
    Stats(commands::stats::StatsCommand),
    /// The bundled technology (production route) table with its sources.
    #[command(subcommand)]
    Tech(commands::tech::TechCommand),
    /// Carbon border adjustment (EU CBAM, UK CBAM): quotes, annual declarations, 2026-2034 schedules.
    #[command(subcommand)]
    Cbam(commands::cbam::CbamCommand),
    /// Carbon-leakage exposure by country: trade and emission intensity, carbon cost, CBAM exposure.
    #[command(subcommand)]
    Leakage(commands::leakage::LeakageCommand),
    /// Run a pathway scenario (default: the bundled net-zero-2050 on the bundled world).
    Run(commands::run::RunArgs),
    /// Compare two runs (output folders, scenario files or example names): every summary value that
    /// differs by sector, region and year, largest first.
    Diff(commands::diff::DiffArgs),
    /// Export a run's results in other formats (IAMC timeseries).
    #[command(subcommand)]
    Export(commands::run::export::ExportCommand),
    /// Merge the partial results of an ensemble run in shards (`run --runs N --shard K/M`) into
    /// the bands.csv, runs.csv and probabilities.csv one machine writes.
    Merge(commands::merge::MergeArgs),
    /// Sensitivity of a scenario to its uncertain inputs: tornado (p5/p95 swings), optional Sobol indices.
    Sensitivity(commands::sensitivity::SensitivityArgs),
    /// The bundled example scenarios: list them or print one.
    #[command(subcommand)]
    Example(commands::example::ExampleCommand),
    /// The tracker store: init, import releases, history, diff between releases, export.
    Db(commands::db::DbCli),
    /// Plants in the tracker store, as of any date.
    Plants(commands::tracker::PlantsCli),
    /// Low-carbon projects in the tracker store: list, show, add, update, retire.
    Projects(commands::tracker::ProjectsCli),
    /// Members of the group, with join dates and sources.
    Members(commands::tracker::MembersCli),
    /// Members' pledges (net-zero years, 2030 milestones), each with its source.
    Pledges(commands::tracker::PledgesCli),
    /// Partnerships: bilateral and value-chain.
    Partnerships(commands::tracker::PartnershipsCli),
    /// Compare decarb with another model on the same inputs (MPP steel).
    #[command(subcommand)]
    Validate(commands::validate::ValidateCommand),
    /// Serve the HTTP API (/api/v1, OpenAPI at /api/openapi.json) and the dashboard.
    Serve(commands::serve::ServeArgs),
    /// Bearer tokens for writes through the HTTP API: create (with a role and expiry), list, revoke.
    Token(commands::token::TokenCli),
    /// Contributors' proposals waiting for review: list, approve, reject.
    Review(commands::review::ReviewCli),
    /// Generated briefs (country, sector, member) as self-contained HTML, optionally PDF.
    Brief(commands::brief::BriefCli),
    /// Find countries, members, projects, plants and owners by name (typos and accents tolerated).
    Search(commands::search::SearchCli),
    /// The group's analyses (publications) in the tracker store: add, list, show.
    Analyses(commands::analyses::AnalysesCli),
}

fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout with exit 0, usage errors to stderr with 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    // A panic is a bug in decarb: the hook has said so; exit 1 rather than 101. Panics inside the
    // server's request handlers never get here: each is caught per request (answered 500) and the
    // server goes on, which is why the hook itself must not end the process.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli))) {
        Ok(code) => code,
        Err(_) => ExitCode::from(1),
    }
}

fn dispatch(cli: Cli) -> ExitCode {
    output::set_wide(cli.wide);
    let result = match cli.command {
        Command::Fleet(command) => commands::fleet::run(command),
        Command::Stats(command) => commands::stats::run(command),
        Command::Tech(command) => commands::tech::run(command),
        Command::Cbam(command) => commands::cbam::run(command),
        Command::Leakage(command) => commands::leakage::run(command),
        Command::Run(args) => commands::run::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Export(command) => commands::run::export::run(&command),
        Command::Merge(args) => commands::merge::run(&args),
        Command::Sensitivity(args) => commands::sensitivity::run(&args),
        Command::Example(command) => commands::example::run(command),
        Command::Db(cli) => commands::db::run(cli),
        Command::Plants(cli) => commands::tracker::run_plants(cli),
        Command::Projects(cli) => commands::tracker::run_projects(cli),
        Command::Members(cli) => commands::tracker::run_members(cli),
        Command::Pledges(cli) => commands::tracker::run_pledges(cli),
        Command::Partnerships(cli) => commands::tracker::run_partnerships(cli),
        Command::Validate(command) => commands::validate::run(command),
        Command::Serve(args) => commands::serve::run(args),
        Command::Token(cli) => commands::token::run(cli),
        Command::Review(cli) => commands::review::run(cli),
        Command::Brief(cli) => commands::brief::run(cli),
        Command::Search(cli) => commands::search::run(cli),
        Command::Analyses(cli) => commands::analyses::run(cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(commands::exit_code(&err))
        }
    }
}

/// A panic is a bug in decarb, never the user's fault: say so. The hook only reports; `main`
/// turns a panic of the command into exit code 1, and the server catches a handler's panic per
/// request (a hook that exited would take the whole server down with one request).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("internal error (a bug in decarb, please report it): {info}");
    }));
}

#[cfg(test)]
mod tests {
    /// The hook reports and returns: the panic unwinds to whoever catches it (a server's
    /// per-request catch) instead of ending the process. Under a hook that exits, this test
    /// binary would exit 1 here.
    #[test]
    fn the_panic_hook_does_not_end_the_process() {
        super::install_panic_hook();
        let caught = std::panic::catch_unwind(|| panic!("injected"));
        let _ = std::panic::take_hook();
        assert!(caught.is_err());
    }
}
