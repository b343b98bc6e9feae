//! `decarb partnerships`: partnerships between members: list, add, update, retire.

use crate::output::{Cell, Table};
use crate::store_args::{
    ListArgs, RetireByName, SourceArgs, StoreArgs, WriteArgs, apply, opt_text, partial, with_store,
};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_model::tracker::PartnershipKind;
use decarb_store::{Edit, PartnershipPatch, PartnershipRecord, Target};

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
        #[command(flatten)]
        fields: PartnershipFields,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Retire a partnership (ended or withdrawn); it leaves every list from --as-of.
    Retire(RetireByName),
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
        #[command(flatten)]
        fields: PartnershipFields,
        #[command(flatten)]
        source: SourceArgs,
    },
}

/// What `add` and `update` say about a partnership besides its name, kind and parties.
#[derive(Debug, Args)]
pub struct PartnershipFields {
    /// When it started (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    started: Option<String>,
    #[arg(long)]
    venue: Option<String>,
    /// The initiative it belongs to (LeadIT).
    #[arg(long)]
    parent: Option<String>,
    #[arg(long)]
    description: Option<String>,
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
            list.output.emit(&table)
        }
        PartnershipsCommand::Update { name, parties, fields, write } => {
            let PartnershipFields { started, venue, parent, description } = fields;
            let parties = (!parties.is_empty()).then_some(parties);
            let patch = PartnershipPatch { parties, started, venue, parent, description };
            apply(&target, &Edit::UpdatePartnership { name, patch }, &write)
        }
        PartnershipsCommand::Retire(RetireByName { name, write }) => {
            apply(&target, &Edit::Retire { target: Target::Partnership { name } }, &write)
        }
        PartnershipsCommand::Add { name, kind, parties, fields, source } => {
            let record = PartnershipRecord {
                name: name.trim().to_owned(),
                kind: kind.parse()?,
                parties,
                started: partial("--started", fields.started.as_deref())?,
                venue: fields.venue,
                parent: fields.parent,
                description: fields.description,
                source: source.record()?,
            };
            with_store(&target, async |store| store.add_partnership(&record).await)?;
            eprintln!("added partnership {}", record.name);
            Ok(())
        }
    }
}
