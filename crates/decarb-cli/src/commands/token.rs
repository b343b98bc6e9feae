//! `decarb token`: bearer tokens for writes through `decarb serve`. The token is printed once at
//! creation; the store keeps only its SHA-256 hash.

use super::db::{StoreArgs, with_store};
use crate::output::{Cell, Format, Table};
use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct TokenCli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Make a new token and print it (once: only its hash is stored).
    Create {
        /// A unique name saying who or what uses the token ("secretariat-ci").
        name: String,
    },
    /// Every token: name, first characters, when and by whom created, when revoked.
    List {
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Revoke a token by name; requests with it get 401 from then on.
    Revoke { name: String },
}

pub fn run(cli: TokenCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        TokenCommand::Create { name } => {
            let token = with_store(&target, async |store| decarb_server::tokens::create(store, &name).await)?;
            eprintln!(
                "token {name:?} created; it is shown only now. Send it as `Authorization: Bearer <token>`."
            );
            println!("{token}");
            Ok(())
        }
        TokenCommand::List { format } => {
            let tokens = with_store(&target, async |store| store.tokens().await)?;
            let mut table = Table::new(["name", "prefix", "created_at", "created_by", "revoked_at"]);
            for t in tokens {
                table.push(vec![
                    Cell::text(t.name),
                    Cell::text(t.prefix),
                    Cell::text(t.created_at),
                    Cell::text(t.created_by),
                    t.revoked_at.map_or(Cell::Empty, Cell::text),
                ]);
            }
            table.print(Format::resolve(format))
        }
        TokenCommand::Revoke { name } => {
            with_store(&target, async |store| store.revoke_token(&name).await)?;
            eprintln!("token {name:?} revoked");
            Ok(())
        }
    }
}
