//! `decarb plants`: plants as the trackers listed them, one plant, operating capacity, and an
//! editor's corrections (`correct`, `retire`) through the same write path as the API's
//! `PATCH /plants/{id}` (`decarb_store::plants::corrections`).

use crate::commands::UserError;
use crate::output::{Cell, RowsOut, Table};
use crate::store_args::{ListArgs, StoreArgs, WriteArgs, apply, date_arg, opt_text, with_store};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_data::import::cells;
use decarb_model::{PlantStatus, Route, Sector};
use decarb_store::{Edit, Holder, PlantFilter, PlantPatch, Target};

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
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        as_of: Option<String>,
        #[command(flatten)]
        output: RowsOut,
    },
    /// Correct a plant (only the fields given) from --as-of (today by default), kept in its
    /// history with --note and --source. A later release keeps the correction while it gives the
    /// value corrected, and ends it when it gives another.
    Correct {
        /// A source id (P100000120845) or store key (gem-steel/P100000120845~announced).
        id: String,
        /// The plant's name as it should read.
        #[arg(long)]
        name: Option<String>,
        /// operating, operating-pre-retirement, construction, announced, mothballed, retired, cancelled.
        #[arg(long)]
        status: Option<String>,
        /// bf-bof, dri-eaf, eaf, ... (see `decarb tech list`).
        #[arg(long)]
        route: Option<String>,
        /// Nameplate capacity in tonnes per year.
        #[arg(long, value_name = "T/YR")]
        capacity_tpa: Option<f64>,
        /// Start of operation: 1941, 2019-09, March 2019, or unknown.
        #[arg(long)]
        start: Option<String>,
        /// Every owner as GEM writes them, replacing the old: "SSAB AB [100%]" or "A [49%]; B".
        #[arg(long)]
        owners: Option<String>,
        /// Every parent company, as --owners.
        #[arg(long)]
        parents: Option<String>,
        /// "latitude, longitude" in degrees: "65.5597, 22.2197".
        #[arg(long, allow_hyphen_values = true)]
        coordinates: Option<String>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Retire a plant (a duplicate, or a record of a plant that never was): unlisted from --as-of,
    /// its history kept; a later release that lists it again leaves it unlisted.
    Retire {
        /// A source id or store key.
        id: String,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Operating capacity by country and route (as of a date).
    Capacity {
        #[arg(long)]
        sector: Option<String>,
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        as_of: Option<String>,
        #[command(flatten)]
        output: RowsOut,
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
                as_of: list.as_of.clone(),
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
            list.output.emit(&table)
        }
        PlantsCommand::Show { id, as_of, output } => show_plant(&target, &id, as_of.as_deref(), &output),
        PlantsCommand::Correct {
            id,
            name,
            status,
            route,
            capacity_tpa,
            start,
            owners,
            parents,
            coordinates,
            write,
        } => {
            let patch = PlantPatch {
                name,
                status,
                route,
                capacity_tpa,
                start,
                owners: owners.as_deref().map(|t| holders("--owners", t)).transpose()?,
                parents: parents.as_deref().map(|t| holders("--parents", t)).transpose()?,
                coordinates: coordinates.as_deref().map(place).transpose()?,
            };
            let key = with_store(&target, async |store| store.resolve_plant_key(&id).await)?;
            apply(&target, &Edit::CorrectPlant { key, patch }, &write)
        }
        PlantsCommand::Retire { id, write } => {
            let key = with_store(&target, async |store| store.resolve_plant_key(&id).await)?;
            apply(&target, &Edit::Retire { target: Target::Plant { key } }, &write)
        }
        PlantsCommand::Capacity { sector, as_of, output } => {
            let sector = sector.as_deref().map(str::parse::<Sector>).transpose()?;
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
            output.emit(&table)
        }
    }
}

/// Holders written as GEM writes them (`A [49%]; B`), read by the importer's own reader.
fn holders(flag: &str, text: &str) -> Result<Vec<Holder>> {
    let (list, _) = cells::ownerships(text, "").map_err(|problem| {
        UserError(format!("{flag}: found {text:?}, expected {}; here {problem}", cells::EXPECTED_SHARES))
    })?;
    Ok(list.into_iter().map(|o| Holder { name: o.name, share: o.share }).collect())
}

/// "latitude, longitude", read as the importer reads a coordinates cell.
fn place(text: &str) -> Result<[f64; 2]> {
    match cells::coordinates(cells::Cell::Text(text)) {
        Ok(Some((lat, lon))) => Ok([lat, lon]),
        _ => {
            Err(UserError(format!("--coordinates: found {text:?}, expected {}", cells::EXPECTED_COORDINATES))
                .into())
        }
    }
}

fn owner_text(owner: &decarb_model::Ownership) -> String {
    match owner.share {
        Some(share) => format!("{} [{:.1}%]", owner.name, share * 100.0),
        None => owner.name.clone(),
    }
}

fn show_plant(target: &str, id: &str, as_of: Option<&str>, output: &RowsOut) -> Result<()> {
    let detail = with_store(target, async |store| store.plant(id, as_of).await)?;
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
    put("version", detail.version.to_string());
    if let Some(wiki) = &detail.gem_wiki {
        put("GEM.wiki", wiki.clone());
    }
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
    for c in &detail.corrections {
        let state = if c.in_force {
            "in force".to_owned()
        } else {
            format!("ended: {}", c.ended_by.as_deref().unwrap_or(""))
        };
        put(
            "correction",
            format!(
                "{} {} (the file gave {}) from {} by {}: {} [{state}]",
                c.field,
                c.value.as_deref().unwrap_or("–"),
                c.file_value.as_deref().unwrap_or("–"),
                c.valid_from,
                c.recorded_by,
                c.reason
            ),
        );
    }
    for unit in &detail.units {
        let capacity =
            unit.capacity_tpa.map_or_else(|| "capacity not stated".to_owned(), |c| format!("{c} t/yr"));
        put("unit", format!("{} {} {:?} {} {capacity}", unit.key, unit.kind, unit.name, unit.status));
    }
    output.emit(&table)
}
