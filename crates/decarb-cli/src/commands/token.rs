//! `decarb token`: bearer tokens for writes through `decarb serve`. The token is printed once at
//! creation; the store keeps only its SHA-256 hash.

use crate::output::{Cell, RowsOut, Table};
use crate::store_args::{StoreArgs, store_error, with_store, writer};
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
        /// What the token may do: reader (read the review queue), contributor (changes wait for
        /// review), editor (writes apply at once; approves proposals) or admin.
        #[arg(long, default_value = "editor")]
        role: String,
        /// When it stops working: a date (2027-03-31, UTC) or a number of days (90d) [default: never].
        #[arg(long, value_name = "DATE|DAYS")]
        expires: Option<String>,
    },
    /// Every token: name, first characters, when and by whom created, when revoked, role,
    /// expiry, last use and who revoked it.
    List {
        #[command(flatten)]
        output: RowsOut,
    },
    /// Revoke a token by name; requests with it get 401 from then on. Who revoked it is kept.
    Revoke {
        name: String,
        /// Who revokes it [default: $DECARB_USER, else $USER, else "local CLI (unnamed)"].
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
}

pub fn run(cli: TokenCli) -> Result<()> {
    let target = cli.store.target();
    match cli.command {
        TokenCommand::Create { name, role, expires } => {
            let role: decarb_store::Role = role.parse().map_err(store_error)?;
            let expires =
                expires.as_deref().map(decarb_store::parse_expiry).transpose().map_err(store_error)?;
            let by = writer(None);
            let token = with_store(&target, async |store| {
                decarb_server::tokens::create_with(
                    &store.clone().with_actor(&by),
                    &name,
                    role,
                    expires.as_deref(),
                )
                .await
            })?;
            eprintln!(
                "token {name:?} ({}, {}) created; it is shown only now. Send it as `Authorization: Bearer <token>`.",
                role.as_str(),
                expires.as_deref().map_or_else(|| "never expires".to_owned(), |at| format!("expires {at}"))
            );
            println!("{token}");
            Ok(())
        }
        TokenCommand::List { output } => {
            let tokens = with_store(&target, async |store| store.tokens().await)?;
            let mut table = Table::new([
                "name",
                "prefix",
                "created_at",
                "created_by",
                "revoked_at",
                "role",
                "expires_at",
                "last_used_at",
                "revoked_by",
            ]);
            for t in tokens {
                table.push(vec![
                    Cell::text(t.name),
                    Cell::text(t.prefix),
                    Cell::text(t.created_at),
                    Cell::text(t.created_by),
                    t.revoked_at.map_or(Cell::Empty, Cell::text),
                    Cell::text(t.role),
                    t.expires_at.map_or(Cell::Empty, Cell::text),
                    t.last_used_at.map_or(Cell::Empty, Cell::text),
                    t.revoked_by.map_or(Cell::Empty, Cell::text),
                ]);
            }
            output.emit(&table)
        }
        TokenCommand::Revoke { name, by } => {
            let by = writer(by.as_deref());
            with_store(&target, async |store| store.revoke_token_by(&name, &by).await)?;
            eprintln!("token {name:?} revoked by {by}");
            Ok(())
        }
    }
}
