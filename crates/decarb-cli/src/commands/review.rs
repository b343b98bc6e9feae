//! `decarb review`: the queue of contributors' proposals (made through the API with a
//! contributor's token): list them, approve (apply, logged with proposer and approver) or reject.

use crate::output::{Cell, RowsOut, Table};
use crate::store_args::{StoreArgs, with_store, writer};
use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct ReviewCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: ReviewCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum ReviewCommand {
    /// Proposals, newest first (pending ones unless --status says otherwise).
    List {
        /// pending, approved or rejected.
        #[arg(long, default_value = "pending")]
        status: String,
        #[command(flatten)]
        output: RowsOut,
    },
    /// Approve a proposal: it is applied and logged with the proposer and the approver.
    Approve {
        id: i64,
        #[arg(long)]
        note: Option<String>,
        /// Who approves [default: $DECARB_USER, else $USER, else "local CLI (unnamed ...)"].
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Reject a proposal: nothing is applied; the decision is kept.
    Reject {
        id: i64,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
}

pub fn run(cli: ReviewCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        ReviewCommand::List { status, output } => {
            let rows = with_store(&target, async |store| store.proposals(Some(&status)).await)?;
            let mut table = Table::new([
                "id",
                "entity",
                "key",
                "action",
                "note",
                "source_url",
                "proposed_by",
                "proposed_at",
                "status",
                "decided_by",
                "edit",
            ]);
            for p in rows {
                table.push(vec![
                    Cell::text(p.id.to_string()),
                    Cell::text(p.entity),
                    Cell::text(p.key),
                    Cell::text(p.action),
                    Cell::text(p.note),
                    p.source_url.map_or(Cell::Empty, Cell::text),
                    Cell::text(p.proposed_by),
                    Cell::text(p.proposed_at),
                    Cell::text(p.status),
                    p.decided_by.map_or(Cell::Empty, Cell::text),
                    Cell::text(p.edit.to_string()),
                ]);
            }
            output.emit(&table)
        }
        ReviewCommand::Approve { id, note, by } => decide(&target, id, true, note.as_deref(), by.as_deref()),
        ReviewCommand::Reject { id, note, by } => decide(&target, id, false, note.as_deref(), by.as_deref()),
    }
}

fn decide(target: &str, id: i64, approve: bool, note: Option<&str>, by: Option<&str>) -> Result<()> {
    let by = writer(by);
    let decided = with_store(target, async |store| store.decide(id, approve, &by, note).await)
        .map_err(|err| err.context(format!("proposal {id}")))?;
    eprintln!(
        "proposal {id} ({} {} {:?}) {} by {by}",
        decided.action, decided.entity, decided.key, decided.status
    );
    Ok(())
}
