//! `decarb members`: the group's members: list, add, update, retire.

use crate::output::{Cell, Table};
use crate::store_args::{
    ListArgs, RetireByName, SourceArgs, StoreArgs, WriteArgs, apply, opt_text, partial, with_store,
};
use anyhow::Result;
use clap::{Args, Subcommand};
use decarb_model::CountryCode;
use decarb_model::tracker::MemberKind;
use decarb_store::{Edit, MemberPatch, MemberRecord, Target};

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
    Retire(RetireByName),
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
            list.output.emit(&table)
        }
        MembersCommand::Update { name, kind, country, joined, left_on, notes, write } => {
            let patch = MemberPatch { kind, country, joined, left_on, notes };
            apply(&target, &Edit::UpdateMember { name, patch }, &write)
        }
        MembersCommand::Retire(RetireByName { name, write }) => {
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
