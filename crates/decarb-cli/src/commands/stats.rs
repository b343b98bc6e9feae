//! `decarb stats`: the country production statistics bundled with decarb (worldsteel crude steel,
//! BGS primary aluminium, USGS cement and ammonia), each value with its source.

use super::UserError;
use crate::output::{Cell, RowsOut, Table, display_number};
use anyhow::Result;
use decarb_data::facts::{self, ProductionTable};
use decarb_model::{CountryCode, Sector};

#[derive(Debug, clap::Subcommand)]
pub enum StatsCommand {
    /// Countries ranked by production in a year, largest first.
    Rank {
        /// steel, aluminium, cement or ammonia.
        #[arg(long, value_parser = parse_sector)]
        sector: Sector,
        /// The year to rank (steel 2015-2021, aluminium 2015-2022, cement 2013-2025, ammonia
        /// 2017-2021 and 2024-2025).
        #[arg(long)]
        year: i32,
        /// Show only the N largest producers.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        #[command(flatten)]
        output: RowsOut,
    },
    /// One country's production, year by year.
    Show {
        #[arg(long, value_parser = parse_sector)]
        sector: Sector,
        /// ISO3 or ISO2 code, or a country name ("USA", "Viet Nam").
        #[arg(long, value_parser = parse_country)]
        country: CountryCode,
        #[command(flatten)]
        output: RowsOut,
    },
}

fn parse_sector(text: &str) -> Result<Sector, String> {
    text.parse::<Sector>().map_err(|err| err.to_string())
}

fn parse_country(text: &str) -> Result<CountryCode, String> {
    CountryCode::parse(text).map_err(|err| err.to_string())
}

// Every command group's `run` takes its parsed command by value (main.rs calls them alike).
#[allow(clippy::needless_pass_by_value)]
pub fn run(command: StatsCommand) -> Result<()> {
    match command {
        StatsCommand::Rank { sector, year, top, output } => {
            let table = rank(sector, year, top)?;
            if let Some(note) = coverage_note(table_of(sector)?, year) {
                eprintln!("note: {note}");
            }
            output.emit(&table)
        }
        StatsCommand::Show { sector, country, output } => output.emit(&show(sector, country)?),
    }
}

fn table_of(sector: Sector) -> Result<&'static ProductionTable, UserError> {
    facts::production(sector).map_err(|err| UserError(err.to_string()))
}

/// Values keep one decimal: the tables hold kt, BGS to the tonne.
const DECIMALS: usize = 1;

fn rank(sector: Sector, year: i32, top: Option<usize>) -> Result<Table, UserError> {
    let table = table_of(sector)?;
    let ranked = table.rank(year).map_err(|err| UserError(err.to_string()))?;
    let mut out = Table::new(["rank", "country", "name", "value", "unit", "source"]);
    for entry in ranked.iter().take(top.unwrap_or(usize::MAX)) {
        out.push(vec![
            Cell::int(entry.rank),
            Cell::text(entry.country.as_str()),
            Cell::text(display_name(entry.country, &entry.note)),
            Cell::number(entry.value, DECIMALS),
            Cell::text(format!("{} {}", entry.unit, table.product)),
            Cell::text(entry.source.as_str()),
        ]);
    }
    Ok(out)
}

/// Where the source lists only the leading producers and publishes the rest as one line (USGS
/// Mineral Commodity Summaries), says so on stderr: the ranks are among the listed countries, and
/// the world total is the source's, not the sum of the rows printed.
fn coverage_note(table: &ProductionTable, year: i32) -> Option<String> {
    let world = table.world_total(year)?;
    let listed = table.rank(year).ok()?.len();
    let other = table
        .other_countries(year)
        .map(|o| format!("; other countries {} {}", display_number(o.value, 0), table.unit))
        .unwrap_or_default();
    Some(format!(
        "the source lists {listed} countries for {year} and the ranks are among them{other}; world total \
         (rounded) {} {} {} ({})",
        display_number(world.value, 0),
        table.unit,
        table.product,
        world.source
    ))
}

/// The country's name, with the row's remark where there is one (worldsteel's combined
/// Belgium-Luxembourg), so the columns stay the documented six.
fn display_name(country: CountryCode, note: &str) -> String {
    if note.is_empty() { country.name().to_owned() } else { format!("{} ({note})", country.name()) }
}

fn show(sector: Sector, country: CountryCode) -> Result<Table, UserError> {
    let table = table_of(sector)?;
    let series = table.series(country);
    if series.is_empty() {
        return Err(UserError(format!(
            "no {} statistics for {} ({}) in the bundled table; `decarb stats rank --sector {sector} --year {}` \
             lists the countries covered",
            table.product,
            country.name(),
            country.as_str(),
            table.years().last().copied().unwrap_or_default(),
        )));
    }
    let mut out = Table::new(["year", "country", "name", "value", "unit", "source"]);
    for row in series {
        out.push(vec![
            Cell::int(row.year),
            Cell::text(country.as_str()),
            Cell::text(display_name(country, &row.note)),
            Cell::number(row.value, DECIMALS),
            Cell::text(format!("{} {}", table.unit, table.product)),
            Cell::text(row.source.as_str()),
        ]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cell: &Cell) -> String {
        match cell {
            Cell::Text(t) => t.clone(),
            Cell::Int(i) => i.to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn rank_keeps_the_documented_columns_and_top_n() {
        let table = rank(Sector::Steel, 2020, Some(5)).unwrap();
        assert_eq!(table.columns, ["rank", "country", "name", "value", "unit", "source"]);
        let countries: Vec<String> = table.rows.iter().map(|r| text(&r[1])).collect();
        assert_eq!(countries, ["CHN", "IND", "JPN", "USA", "RUS"]);
        assert_eq!(text(&table.rows[0][4]), "kt crude steel");
    }

    #[test]
    fn uncovered_years_are_user_errors_naming_the_covered_years() {
        let err = rank(Sector::Cement, 2012, None).unwrap_err().to_string();
        assert!(err.contains("2013, 2014, 2015, 2016, 2017"), "{err}");
        let err = rank(Sector::Ammonia, 2023, None).unwrap_err().to_string();
        assert!(err.contains("ammonia") && err.contains("2021, 2024, 2025"), "{err}");
    }

    #[test]
    fn the_coverage_note_gives_the_usgs_world_total() {
        // MCS 2022: 14 countries in 2020, other countries 760,000 kt, world 4,200,000 kt.
        let note = coverage_note(table_of(Sector::Cement).unwrap(), 2020).unwrap();
        assert!(note.contains("14 countries for 2020"), "{note}");
        assert!(note.contains("760000 kt") && note.contains("4200000 kt hydraulic cement"), "{note}");
        assert!(note.contains("Mineral Commodity Summaries 2022"), "{note}");
        // Minerals Yearbook years list every country: no note.
        assert!(coverage_note(table_of(Sector::Cement).unwrap(), 2017).is_none());
    }

    #[test]
    fn show_lists_a_series_and_names_a_missing_country() {
        let usa = CountryCode::resolve("USA").unwrap();
        assert_eq!(show(Sector::Aluminium, usa).unwrap().rows.len(), 8);
        let lux = CountryCode::resolve("Luxembourg").unwrap();
        assert!(show(Sector::Steel, lux).unwrap_err().to_string().contains("Luxembourg"));
        let bel = CountryCode::resolve("BEL").unwrap();
        assert!(text(&show(Sector::Steel, bel).unwrap().rows[0][2]).contains("combined"));
    }
}
