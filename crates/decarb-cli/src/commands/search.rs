//! `decarb search QUERY`: countries, members, projects, plants and owners in the tracker store
//! whose names match, tolerating accents, case and small typos (`decarb_store::search`, the same
//! ranking as `GET /api/v1/search`).

use crate::output::{Cell, RowsOut, Table};
use crate::store_args::{StoreArgs, store_error, with_store};
use anyhow::Result;
use clap::Args;
use decarb_model::search::HitKind;
use decarb_store::SearchRequest;

#[derive(Debug, Args)]
pub struct SearchCli {
    #[command(flatten)]
    pub store: StoreArgs,
    /// What to find: a name, part of one, or a misspelling of one ("Oxelosund", "Indai").
    pub query: String,
    /// Only these kinds (repeat or comma-separate): country, member, project, plant, owner.
    #[arg(short, long, value_delimiter = ',', value_parser = parse_kind)]
    pub kind: Vec<HitKind>,
    /// Hits per kind (1 to 50).
    #[arg(short = 'n', long, default_value_t = 10)]
    pub limit: usize,
    #[command(flatten)]
    pub output: RowsOut,
}

fn parse_kind(text: &str) -> Result<HitKind, String> {
    text.parse::<HitKind>().map_err(|err| err.to_string())
}

pub fn run(cli: SearchCli) -> Result<()> {
    let target = cli.store.target();
    let request = SearchRequest { query: cli.query, kinds: cli.kind, per_kind: cli.limit };
    request.check().map_err(store_error)?;
    let hits = with_store(&target, async |store| store.search(&request).await)?;
    if hits.is_empty() {
        eprintln!("nothing matches {:?}", request.query);
    }
    let mut table = Table::new(["kind", "key", "name", "detail", "score"]);
    for hit in hits {
        table.push(vec![
            Cell::text(hit.candidate.kind.as_str()),
            Cell::text(hit.candidate.key),
            Cell::text(hit.candidate.label),
            Cell::text(hit.candidate.detail),
            Cell::number(hit.score, 2),
        ]);
    }
    cli.output.emit(&table)
}
