//! `decarb tech`: the bundled technology (production route) table, every number with its source.

use super::UserError;
use crate::output::{Cell, RowsOut, Table};
use anyhow::Result;
use decarb_data::facts;
use decarb_data::facts::{CarbonTier, PriceItem, PriceRegion};
use decarb_model::units::{HYDROGEN_GJ_PER_KG, TonnesCo2PerTonne, UsdPerTonne, UsdPerTonnePerYear, Years};
use decarb_model::{Commodity, ElectricitySupply, Region, Sector, TechId, Technology};

#[derive(Debug, clap::Subcommand)]
pub enum TechCommand {
    /// List the bundled routes (all sectors, or one).
    List {
        /// steel, cement, aluminium or ammonia.
        #[arg(long, value_parser = parse_sector)]
        sector: Option<Sector>,
        #[command(flatten)]
        output: RowsOut,
    },
    /// Every field of one route, with units, source and allowed switches.
    Show {
        /// The route id, e.g. steel.h2-dri-eaf (see `decarb tech list`).
        route: String,
        #[command(flatten)]
        output: RowsOut,
    },
    /// The bundled commodity prices a region pays in a year.
    Prices {
        /// decarb region, e.g. europe, north_america, japan_korea_taiwan.
        #[arg(long, value_parser = parse_region)]
        region: Region,
        #[arg(long)]
        year: i32,
        /// Price set name.
        #[arg(long, default_value = "mpp-shared-2022")]
        set: String,
        #[command(flatten)]
        output: RowsOut,
    },
    /// The bundled carbon price paths, by region, at 2025, 2030, 2040 and 2050.
    Carbon {
        #[command(flatten)]
        output: RowsOut,
    },
}

fn parse_region(text: &str) -> Result<Region, String> {
    text.parse::<Region>().map_err(|err| err.to_string())
}

fn parse_sector(text: &str) -> Result<Sector, String> {
    text.parse::<Sector>().map_err(|err| err.to_string())
}

pub fn run(command: TechCommand) -> Result<()> {
    match command {
        TechCommand::List { sector, output } => output.emit(&list(sector)),
        TechCommand::Show { route, output } => output.emit(&show(&route)?),
        TechCommand::Prices { region, year, set, output } => output.emit(&prices(&set, region, year)?),
        TechCommand::Carbon { output } => output.emit(&carbon()),
    }
}

fn prices(set: &str, region: Region, year: i32) -> Result<Table, UserError> {
    let prices = facts::price_set(set).map_err(|err| UserError(err.to_string()))?;
    let price_region = PriceRegion::of(region);
    let mut table = Table::new(["item", "value", "unit", "price_region", "source"]);
    let mut push = |item: String, value: Option<f64>, unit: &str, source: Option<&str>| {
        table.push(vec![
            Cell::text(item),
            value.map_or(Cell::Empty, |v| Cell::number(v, 2)),
            Cell::text(unit),
            Cell::text(price_region.as_str()),
            Cell::text(source.unwrap_or("no price bundled")),
        ]);
    };
    for commodity in Commodity::ALL.into_iter().filter(|c| *c != Commodity::Electricity) {
        let source = prices.source(region, PriceItem::Commodity(commodity));
        push(commodity.to_string(), prices.price(region, commodity, year), commodity.price_unit(), source);
    }
    for supply in ElectricitySupply::ALL.into_iter().filter(|s| *s != ElectricitySupply::Captive) {
        let source = prices.source(region, PriceItem::Electricity(supply));
        let value = prices.electricity(region, supply, year).map(|p| p.0);
        push(format!("electricity_{}", supply.as_str().replace('-', "_")), value, "USD/MWh", source);
    }
    let source = prices.source(region, PriceItem::Co2Transport);
    push(
        "co2_transport_storage".into(),
        prices.co2_transport_storage(region, year).map(|p| p.0),
        "USD/t CO2",
        source,
    );
    let source = prices.source(region, PriceItem::Co2Purchase);
    push("co2_purchase".into(), prices.co2_purchase(region, year).map(|p| p.0), "USD/t CO2", source);
    Ok(table)
}

const CARBON_YEARS: [i32; 4] = [2025, 2030, 2040, 2050];

fn carbon() -> Table {
    let mut table = Table::new(["path", "region", "tier", "2025", "2030", "2040", "2050", "unit", "source"]);
    for name in facts::carbon_path_names() {
        let Ok(path) = facts::carbon_path(name) else { continue };
        for region in Region::ALL {
            let mut row = vec![
                Cell::text(name),
                Cell::text(region.as_str()),
                Cell::text(if path.is_differentiated() {
                    CarbonTier::of_region(region).as_str()
                } else {
                    "all"
                }),
            ];
            row.extend(CARBON_YEARS.map(|year| Cell::number(path.price(region, year).0, 1)));
            row.push(Cell::text("USD/t CO2"));
            row.push(Cell::text(path.sources().join("; ")));
            table.push(row);
        }
    }
    table
}

fn list(sector: Option<Sector>) -> Table {
    let mut table = Table::new([
        "id",
        "sector",
        "name",
        "phase",
        "functional_unit",
        "direct_co2",
        "capture_rate",
        "net_co2",
        "capex_greenfield",
        "fixed_opex",
        "lifetime",
        "cycle",
        "available_from",
        "missing",
        "source",
    ]);
    for tech in facts::technologies().iter().filter(|t| sector.is_none_or(|s| t.sector == s)) {
        table.push(vec![
            Cell::text(tech.id.as_str()),
            Cell::text(tech.sector.as_str()),
            Cell::text(tech.name.as_str()),
            Cell::text(tech.phase.as_str()),
            Cell::text(tech.functional_unit.as_str()),
            Cell::number(tech.direct_co2.0, 3),
            Cell::number(tech.capture_rate, 3),
            Cell::number(tech.net_direct_co2().0, 3),
            Cell::number(tech.capex_greenfield.0, 0),
            Cell::number(tech.fixed_opex.0, 1),
            Cell::number(tech.lifetime.0, 0),
            Cell::number(tech.reinvestment_cycle.0, 0),
            Cell::int(tech.available_from),
            Cell::text(tech.missing.join("; ")),
            Cell::text(tech.source.as_str()),
        ]);
    }
    table
}

fn show(route: &str) -> Result<Table, UserError> {
    let tech = facts::technology(route.trim()).ok_or_else(|| UserError(unknown_route(route)))?;
    let mut table = Table::new(["field", "value", "unit"]);
    let mut text = |field: &str, value: &str, unit: &str| {
        table.push(vec![Cell::text(field), Cell::text(value), Cell::text(unit)]);
    };
    text("id", tech.id.as_str(), "");
    text("sector", tech.sector.as_str(), "");
    text("name", &tech.name, "");
    text("phase", tech.phase.as_str(), "");
    text("functional_unit", &tech.functional_unit, "");
    text("available_from", &tech.available_from.to_string(), "year");
    text("available_until", &tech.available_until.map_or_else(|| "-".to_owned(), |y| y.to_string()), "year");
    for commodity in Commodity::ALL {
        let quantity = tech.inputs[commodity];
        text(&format!("input.{commodity}"), &format_number(quantity, 4), commodity.unit_per_tonne());
    }
    if tech.inputs[Commodity::Hydrogen] != 0.0 {
        let kg = tech.inputs[Commodity::Hydrogen] / HYDROGEN_GJ_PER_KG;
        text("input.hydrogen_kg", &format_number(kg, 1), "kg/t (LHV 0.12 GJ/kg)");
    }
    text("electricity_supply", tech.electricity_supply.as_str(), "");
    text("direct_co2", &format_number(tech.direct_co2.0, 4), TonnesCo2PerTonne::UNIT);
    text("capture_rate", &format_number(tech.capture_rate, 4), "share of direct CO2");
    text("captured_co2", &format_number(tech.captured_co2().0, 4), TonnesCo2PerTonne::UNIT);
    text("net_direct_co2", &format_number(tech.net_direct_co2().0, 4), TonnesCo2PerTonne::UNIT);
    if tech.capex_greenfield_by_year.is_empty() {
        text("capex_greenfield", &format_number(tech.capex_greenfield.0, 1), UsdPerTonnePerYear::UNIT);
    }
    for (year, capex) in &tech.capex_greenfield_by_year {
        text(&format!("capex_greenfield_{year}"), &format_number(capex.0, 1), UsdPerTonnePerYear::UNIT);
    }
    text("capex_renewal", &format_number(tech.capex_renewal.0, 1), UsdPerTonnePerYear::UNIT);
    text("fixed_opex", &format_number(tech.fixed_opex.0, 1), UsdPerTonne::UNIT);
    text("lifetime", &format_number(tech.lifetime.0, 0), Years::UNIT);
    text("reinvestment_cycle", &format_number(tech.reinvestment_cycle.0, 0), Years::UNIT);
    let switches: Vec<&str> = tech.switches_to.iter().map(TechId::as_str).collect();
    let switches =
        if switches.is_empty() { "none (stays on this route)".to_owned() } else { switches.join(", ") };
    text("switches_to", &switches, "");
    if !tech.switch_regions.is_empty() {
        let regions: Vec<&str> = tech.switch_regions.iter().map(|r| r.as_str()).collect();
        text("switch_regions", &regions.join(", "), "taken up only there");
    }
    text("missing", &if tech.missing.is_empty() { "-".to_owned() } else { tech.missing.join(", ") }, "");
    text("note", if tech.note.is_empty() { "-" } else { &tech.note }, "");
    text("source", &tech.source, "");
    Ok(table)
}

/// Numbers as text without trailing zeros, so 2.434 and 40 both read naturally.
fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let trimmed = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if trimmed == "-0" { "0".to_owned() } else { trimmed.to_owned() }
}

/// The error for an unknown id: close matches if any, else every id.
fn unknown_route(route: &str) -> String {
    let query = route.trim().to_ascii_lowercase();
    let ids: Vec<&str> = facts::technologies().iter().map(|t: &Technology| t.id.as_str()).collect();
    let mut close: Vec<&str> =
        ids.iter().copied().filter(|id| !query.is_empty() && id.contains(&query)).collect();
    if close.is_empty() {
        close = decarb_model::suggest::closest(&query, ids.iter().copied());
    }
    if close.is_empty() {
        format!("unknown route {route:?}; known routes: {}", ids.join(", "))
    } else {
        format!(
            "unknown route {route:?}; did you mean: {}? (`decarb tech list` shows all {})",
            close.join(", "),
            ids.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_by_sector() {
        assert_eq!(list(Some(Sector::Ammonia)).rows.len(), 13);
        assert_eq!(list(None).rows.len(), facts::technologies().len());
    }

    #[test]
    fn show_prints_units_sources_and_switches() {
        let table = show("steel.dri-melt-bof").unwrap();
        let field = |name: &str| {
            table
                .rows
                .iter()
                .find(|r| r[0] == Cell::text(name))
                .map(|r| (r[1].clone(), r[2].clone()))
                .unwrap()
        };
        assert_eq!(field("switches_to").0, Cell::text("steel.dri-melt-bof-h2, steel.dri-melt-bof-ccus"));
        assert_eq!(field("input.natural_gas"), (Cell::text("12.53"), Cell::text("GJ/t")));
        assert_eq!(field("capex_greenfield_2020").1, Cell::text("USD/(t/yr)"));
        assert!(matches!(field("source").0, Cell::Text(ref s) if s.contains("MPP steel model")));
    }

    #[test]
    fn prices_and_carbon_paths_are_listed_with_sources() {
        let table = prices("mpp-shared-2022", Region::Europe, 2020).unwrap();
        let row = |item: &str| table.rows.iter().find(|r| r[0] == Cell::text(item)).unwrap().clone();
        assert!(
            matches!(row("electricity_grid")[1], Cell::Number { value, .. } if (value - 113.724).abs() < 1e-6)
        );
        assert_eq!(row("coke")[1], Cell::Empty);
        assert!(prices("nope", Region::Europe, 2020).is_err());
        let carbon = carbon();
        let nze_japan = carbon
            .rows
            .iter()
            .find(|r| r[0] == Cell::text("iea-nze-2021") && r[1] == Cell::text("japan_korea_taiwan"))
            .unwrap();
        assert_eq!(nze_japan[2], Cell::text("advanced"));
        assert!(matches!(nze_japan[4], Cell::Number { value, .. } if (value - 130.0).abs() < 1e-9));
    }

    #[test]
    fn unknown_routes_suggest_close_ids() {
        let err = show("steel.h2-dri").unwrap_err().to_string();
        assert!(err.contains("steel.h2-dri-eaf"), "{err}");
        let err = show("steel.hdri-eaf").unwrap_err().to_string();
        assert!(err.contains("steel.h2-dri-eaf"), "{err}");
        let err = show("zzz").unwrap_err().to_string();
        assert!(err.contains("ammonia.smr"), "{err}");
    }
}
