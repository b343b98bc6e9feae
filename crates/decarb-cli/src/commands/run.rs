//! `decarb run`: run a pathway scenario on the bundled world (or an imported fleet) and write
//! summary, technology mix, resources, limits and decisions as CSV (and JSON when asked), SVG
//! charts, and a terminal summary.

mod args;
mod charts;
mod ensemble;
pub mod export;
mod iamc;
mod manifest;
mod summary;

use crate::commands::UserError;
use crate::output::{Format, default_out};
use anyhow::Result;
use args::args_from;
pub use args::{RunArgs, RunFormat};
use decarb_engine::breakdown::GroupBy;
use decarb_engine::outcome::Outcome;
use decarb_engine::{Scenario, World};
use decarb_scenario::mpp_folder::{LoadError, MppModel};
use std::path::Path;

pub fn run(args: &RunArgs) -> Result<()> {
    if let Some(path) = &args.from {
        let recorded = manifest::read(path)?;
        let replay = args_from(&recorded, args.out.clone())?;
        return run_with(&replay, Some(&recorded.scenario));
    }
    run_with(args, None)
}

/// The recorded scenario of a run: name, origin, example and text.
fn recorded_scenario(args: &RunArgs, name: &str, text: &str, origin: &str) -> manifest::ScenarioText {
    let example = if args.scenario.is_some() {
        None
    } else {
        Some(origin.strip_prefix("example ").map_or_else(|| origin.to_owned(), str::to_owned))
    };
    manifest::ScenarioText {
        name: name.to_owned(),
        origin: origin.to_owned(),
        example,
        text: text.to_owned(),
    }
}

pub(crate) fn run_with(args: &RunArgs, recorded: Option<&manifest::ScenarioText>) -> Result<()> {
    // An MPP input folder brings its own world and scenarios (a scenario file written for that
    // world, or one of the model's examples), with the folder's resource limits added.
    let (file, example) = (args.scenario.as_deref(), args.example.as_deref());
    let mpp = [
        (&args.mpp_steel, MppModel::Steel),
        (&args.mpp_aluminium, MppModel::Aluminium),
        (&args.mpp_ammonia, MppModel::Ammonia),
    ]
    .into_iter()
    .find_map(|(dir, model)| dir.as_deref().map(|dir| (dir, model)));
    if let Some((dir, model)) = mpp {
        let (world, mut scenario) = model.load(dir, file, example).map_err(load_error)?;
        apply_choice(&mut scenario, args.choice.as_deref())?;
        let source = model.scenario_source(file, example).map_err(|e| UserError(e.to_string()))?;
        let recorded = recorded_scenario(args, &scenario.name, &source.text, &source.origin);
        return run_on(args, &world, &scenario, recorded);
    }
    let (text, origin) = match recorded {
        Some(r) => (r.text.clone(), r.origin.clone()),
        None => super::scenario_text(args.scenario.as_deref(), args.example.as_deref())?,
    };
    let world = if args.fleet.is_empty() && args.db.is_none() {
        decarb_scenario::bundled::default_world()
    } else {
        let mut imported = decarb_model::Fleet::default();
        if let Some(db) = &args.db {
            let target = if db.is_empty() { decarb_store::default_target(None) } else { db.clone() };
            crate::store::existing_store(&target)?;
            let stored = decarb_store::load_fleet(&target, args.as_of.as_deref()).map_err(|e| {
                UserError(format!("{}: cannot read the stored fleet: {e}", decarb_store::redact_url(&target)))
            })?;
            eprintln!(
                "read {} plants from the tracker store {}{}",
                stored.len(),
                decarb_store::redact_url(&target),
                args.as_of.as_deref().map(|d| format!(" as of {d}")).unwrap_or_default()
            );
            imported.extend(stored);
        }
        for path in &args.fleet {
            let fleet = decarb_data::import_fleet(path, None)?;
            eprintln!("read {} plants from {}", fleet.fleet.len(), path.display());
            imported.extend(fleet.fleet);
        }
        // In the canonical plant order that seeded choices depend on.
        decarb_scenario::bundled::world_with_imported(imported)
    };
    let mut scenario = decarb_scenario::load(&text, &origin, &world).map_err(|e| UserError(e.to_string()))?;
    apply_choice(&mut scenario, args.choice.as_deref())?;
    // After the scenario parses: a bad scenario file gets its error alone on stderr.
    summary::report_bundled_world(&world.fleet);
    let seed = args.seed.unwrap_or(scenario.seed);
    if let Some(runs) = args.runs {
        if args.by != GroupBy::Region {
            return Err(UserError(
                "--by country and --by owner break down a single run; an ensemble (--runs) keeps no plant results"
                    .to_owned(),
            )
            .into());
        }
        let out = args.out.clone().unwrap_or_else(|| default_out(&scenario.name).join("ensemble"));
        let request = ensemble::Request { runs, seed, threads: args.threads, out: &out, shard: args.shard };
        ensemble::run(&world, &scenario, &text, &origin, &request)?;
        if args.shard.is_some() {
            // A shard writes only its part folder; the merged folder is `decarb merge`'s.
            return Ok(());
        }
        let recorded = recorded_scenario(args, &scenario.name, &text, &origin);
        return manifest::write(&manifest::build(args, recorded, seed)?, &out);
    }
    let outcome = crate::threads::solve(&world, &scenario, seed, args.threads)
        .map_err(|e| super::located(&text, &origin, &e))?;
    let out = args.out.clone().unwrap_or_else(|| default_out(&scenario.name));
    std::fs::create_dir_all(&out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    let recorded = recorded_scenario(args, &scenario.name, &text, &origin);
    finish(args, &world, &scenario, &outcome, &out, recorded)
}

/// Runs a loaded world and scenario and writes the run's files.
fn run_on(
    args: &RunArgs,
    world: &World,
    scenario: &Scenario,
    recorded: manifest::ScenarioText,
) -> Result<()> {
    let seed = args.seed.unwrap_or(scenario.seed);
    let outcome =
        crate::threads::solve(world, scenario, seed, args.threads).map_err(|e| UserError(e.to_string()))?;
    let out = args.out.clone().unwrap_or_else(|| default_out(&scenario.name));
    std::fs::create_dir_all(&out)
        .map_err(|e| UserError(format!("{}: cannot create the output directory: {e}", out.display())))?;
    finish(args, world, scenario, &outcome, &out, recorded)
}

/// Writes the run's files and prints its summary, with the breakdown `--by` asks for.
fn finish(
    args: &RunArgs,
    world: &World,
    scenario: &Scenario,
    outcome: &Outcome,
    out: &Path,
    recorded: manifest::ScenarioText,
) -> Result<()> {
    crate::run_tables::write_outputs(outcome, out, args.format == RunFormat::Json)?;
    charts::write_all(outcome, out)?;
    if args.iamc {
        iamc::write(&decarb_engine::iamc::table(outcome, &world.fleet), out)?;
    }
    manifest::write(&manifest::build(args, recorded, outcome.seed)?, out)?;
    let by = args.by;
    let breakdown =
        (by != GroupBy::Region).then(|| decarb_engine::breakdown::breakdown(outcome, &world.fleet, by));
    if let Some(b) = &breakdown {
        for (name, table) in crate::run_tables::breakdown_tables(&outcome.scenario, b) {
            table.write_file(&out.join(format!("{name}.csv")), Format::Csv)?;
            if args.format == RunFormat::Json {
                table.write_file(&out.join(format!("{name}.json")), Format::Json)?;
            }
        }
    }
    if args.quiet {
        return Ok(());
    }
    summary::print_summary(outcome, scenario, out);
    if let Some(b) = &breakdown {
        summary::print_breakdown(outcome, b);
    }
    Ok(())
}

/// Sets the scenario's choice rule from `--choice` when given.
fn apply_choice(scenario: &mut Scenario, choice: Option<&str>) -> Result<()> {
    decarb_scenario::rules::apply_choice(scenario, choice).map_err(|e| UserError(e).into())
}

/// An MPP folder that cannot be read or mapped is the user's to fix (exit code 2).
fn load_error(e: LoadError) -> anyhow::Error {
    match e {
        LoadError::Read(e) => e.into(),
        LoadError::Invalid(message) => UserError(message).into(),
    }
}

#[cfg(test)]
mod tests;
