//! What a run produces: yearly totals per sector and region (and the world), the technology
//! mix, resource use, where resource limits bound, and one log entry per plant decision.

use crate::scenario::LimitedResource;
use crate::settings::Line;
use decarb_model::units::{Tonnes, TonnesCo2, TonnesPerYear, Usd};
use decarb_model::{Commodity, CountryCode, Region, Sector, TechId};
use serde::Serialize;

/// The emissions boundary of every figure the engine reports.
pub const EMISSIONS_BOUNDARY: &str = "direct = scope 1 of every sector: process and fuel CO2, captive power \
(smelters' own coal and gas plants) and alumina refining where the fleet has refineries, after capture, negative where \
captured biogenic CO2 exceeds the rest (BECCUS); the MPP models' scope-1 boundary (steel 2020 reference 3.16 Gt); \
captured CO2 reported apart; indirect = purchased grid electricity x the power path's grid factor (no credit for power \
a works exports); hydrogen and contracted clean power bought are reported as resources, their upstream emissions \
not counted";

/// A region of a row: one region or the world total.
pub type RegionOrWorld = Option<Region>;

/// Yearly totals of one sector in one region (`region == None`: the world).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryRow {
    pub year: i32,
    pub sector: Sector,
    pub region: RegionOrWorld,
    /// Production of the sector's product.
    pub production: Tonnes,
    /// Open capacity of the sector's product at the end of the year.
    pub capacity: TonnesPerYear,
    pub direct_emissions: TonnesCo2,
    pub captured: TonnesCo2,
    pub indirect_emissions: TonnesCo2,
    pub capex: Usd,
    /// Inputs at prices, fixed opex, and CO2 transport and storage; carbon price excluded.
    pub opex: Usd,
    /// Carbon price paid on the charged scopes (not part of `opex`).
    pub carbon_cost: Usd,
    /// Capacity closed this year before the end of its life.
    pub stranded_capacity: TonnesPerYear,
}

/// Production and capacity of one technology.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MixRow {
    pub year: i32,
    pub sector: Sector,
    pub region: RegionOrWorld,
    pub technology: TechId,
    /// Production of the technology's product line (t alumina for refineries).
    pub production: Tonnes,
    pub capacity: TonnesPerYear,
}

/// A resource a run reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Commodity(Commodity),
    /// Hydrogen by mass (the hydrogen commodity converted at 120 GJ/t, LHV).
    HydrogenMass,
    /// Captured CO2 sent to storage or use.
    Co2Stored,
    /// Electricity of plants on end-state technologies.
    CleanElectricity,
}

impl Resource {
    /// Name and unit in the resources table, and the factor from the engine's base unit
    /// (t, GJ, MWh, t CO2) to it.
    pub fn report(self) -> (&'static str, &'static str, f64) {
        match self {
            Resource::Commodity(c) => match c {
                Commodity::IronOre => ("iron_ore", "Mt", 1e-6),
                Commodity::Scrap => ("scrap", "Mt", 1e-6),
                Commodity::MetCoal => ("met_coal", "Mt", 1e-6),
                Commodity::Alumina => ("alumina", "Mt", 1e-6),
                Commodity::Coke => ("coke", "PJ", 1e-6),
                Commodity::Coal => ("coal", "PJ", 1e-6),
                Commodity::NaturalGas => ("natural_gas", "PJ", 1e-6),
                Commodity::Hydrogen => ("hydrogen_energy", "PJ", 1e-6),
                Commodity::Electricity => ("electricity", "TWh", 1e-6),
                Commodity::Biomass => ("biomass", "PJ", 1e-6),
                Commodity::Waste => ("waste", "PJ", 1e-6),
            },
            Resource::HydrogenMass => ("hydrogen", "Mt", 1e-6),
            Resource::Co2Stored => ("co2_stored", "Mt CO2", 1e-6),
            Resource::CleanElectricity => ("clean_electricity", "TWh", 1e-6),
        }
    }
}

/// Use of one resource by one sector in one region, in the engine's base unit (see
/// [`Resource::report`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceRow {
    pub year: i32,
    pub sector: Sector,
    pub region: RegionOrWorld,
    pub resource: Resource,
    pub quantity: f64,
}

/// A resource limit in one year: what it allowed, what plants booked, and how many options it
/// refused (a limit "binds" when it refused any).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitRow {
    pub year: i32,
    pub region: RegionOrWorld,
    pub resource: LimitedResource,
    /// Base unit (t, t CO2, GJ, MWh).
    pub limit: f64,
    pub booked: f64,
    pub refused_options: u32,
    /// USD per base unit (t, t CO2, GJ, MWh): what one more unit of the limit was worth to the
    /// best refused claimant that year (its cost penalty of falling back to the option it took,
    /// divided by the resource it was refused); 0 where no option was refused.
    pub shadow_price: f64,
}

/// Why a plant's technology or status changed (or did not) in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Main reinvestment on the same technology.
    Renewal,
    /// Main reinvestment into another technology.
    Switch,
    /// End of life reached and the capacity still needed: rebuilt on site (greenfield capex).
    Rebuild,
    /// End of life reached and the capacity not needed.
    RetireEndOfLife,
    /// Closed early because demand fell below minimum utilisation.
    CloseDemand,
    /// Built because demand exceeded capacity at maximum utilisation.
    NewBuild,
    /// A plant under construction in the input fleet started producing (its start year).
    Commissioned,
    /// No option was available (moratorium, exclusions): the plant kept its technology.
    KeptNoOption,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Renewal => "renewal",
            Reason::Switch => "switch",
            Reason::Rebuild => "rebuild",
            Reason::RetireEndOfLife => "retire-end-of-life",
            Reason::CloseDemand => "close-demand",
            Reason::NewBuild => "new-build",
            Reason::Commissioned => "commissioned",
            Reason::KeptNoOption => "kept-no-option",
        }
    }
}

/// One decision of one plant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub plant: String,
    pub year: i32,
    pub sector: Sector,
    pub region: Region,
    pub from: Option<TechId>,
    pub to: Option<TechId>,
    pub reason: Reason,
    /// Resource limits that refused better-ranked options, as `resource@region`.
    pub limited_by: Vec<String>,
    pub capacity: TonnesPerYear,
    /// Each option considered, best first: technology and levelised cost, USD per t of product.
    pub options: Vec<(TechId, f64)>,
}

/// Plants the run left out, grouped by reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub reason: String,
    pub plants: usize,
    /// Capacity of those plants where reported.
    pub capacity: TonnesPerYear,
}

/// The pathway of one plant the run kept (or built): its yearly production, capacity and
/// emissions, each indexed by year offset from [`Outcome::base_year`]. Years in which the plant
/// is closed, not yet commissioned or not yet built are zero. Recorded only when the run was asked
/// to ([`crate::RunOptions::record_plants`]; [`crate::run`] records, ensembles and sensitivity
/// runs do not). Plants the run left out are counted in [`Outcome::skipped`], never here.
///
/// The plant rows of a sector add up to its region and world rows in [`Outcome::summary`]:
/// direct, captured and indirect emissions over all of the sector's lines, production and
/// capacity over plants whose `line` [`is_main`](Line::is_main) (an alumina refinery's production
/// is alumina, not the aluminium sector's product).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlantPathway {
    /// The plant's id: the fleet's id, or `new.<line>.<region>.<year>.<n>` for a plant the engine
    /// built.
    pub id: String,
    /// Index of the plant in the run's `World::fleet.plants`; `None` for a plant the engine built.
    pub fleet_index: Option<usize>,
    pub sector: Sector,
    pub line: Line,
    pub region: Region,
    /// The plant's country; for a plant the engine built, the country with the most open capacity
    /// of the line in the region when it was built (`None` if the region had none).
    pub country: Option<CountryCode>,
    /// The technology a plant of the input fleet has when the run starts (for a plant under
    /// construction, the one it opens with); `None` for a cement grinding station (it has no
    /// technology) and for a plant the engine built (its [`Reason::NewBuild`] decision names it).
    /// With the plant's [`Decision`]s this gives its technology in every year
    /// ([`PlantPathway::technologies`]).
    pub start_technology: Option<TechId>,
    /// t of product per year.
    pub production: Vec<f64>,
    /// Open capacity at the end of the year, t per year.
    pub capacity: Vec<f64>,
    /// t CO2 (net of capture; negative with BECCUS).
    pub direct: Vec<f64>,
    /// t CO2.
    pub captured: Vec<f64>,
    /// t CO2.
    pub indirect: Vec<f64>,
}

impl PlantPathway {
    /// Whether the engine built this plant (it is not in the input fleet).
    pub fn is_new_build(&self) -> bool {
        self.fleet_index.is_none()
    }

    /// Whether the plant's production and capacity count towards its sector's (see
    /// [`Line::is_main`]).
    pub fn counts_production(&self) -> bool {
        self.line.is_main()
    }

    /// The plant's technology at the end of each year of the run (`base_year + i`), from its start
    /// technology and its `decisions` (this plant's, in the order the run took them): `None`
    /// before a plant under construction or built by the engine opens, and after it closes.
    /// A renewal keeps the technology, a switch or rebuild changes it, a retirement or closure
    /// ends it.
    pub fn technologies(&self, base_year: i32, decisions: &[&Decision]) -> Vec<Option<TechId>> {
        // A plant whose first decision opens it (commissioned, new build) has no technology before.
        let opens_later = decisions.first().is_some_and(|d| d.from.is_none());
        let mut current = if opens_later { None } else { self.start_technology.clone() };
        let mut next = decisions.iter().peekable();
        (0..self.production.len())
            .map(|i| {
                let year = base_year + i32::try_from(i).unwrap_or(i32::MAX);
                while let Some(decision) = next.next_if(|d| d.year <= year) {
                    current.clone_from(&decision.to);
                }
                current.clone()
            })
            .collect()
    }
}

/// Everything a run produces. Rows are in a fixed order: year, sector, region (regions in
/// [`Region::ALL`] order, then the world), then technology or resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub scenario: String,
    pub base_year: i32,
    pub end_year: i32,
    pub seed: u64,
    pub sectors: Vec<Sector>,
    pub boundary: &'static str,
    pub summary: Vec<SummaryRow>,
    pub technology_mix: Vec<MixRow>,
    pub resources: Vec<ResourceRow>,
    pub limits: Vec<LimitRow>,
    pub decisions: Vec<Decision>,
    pub skipped: Vec<Skipped>,
    /// One pathway per plant the run kept or built, in the engine's plant order (fleet plants
    /// first, then plants built, in the order built); empty when the run did not record plants.
    pub plants: Vec<PlantPathway>,
    /// Things the user should know about the inputs (a price the set lacks, counted at zero).
    pub warnings: Vec<String>,
}

impl Outcome {
    /// World hydrogen demand (t H2) of each simulated sector in a year, sectors in run order.
    pub fn hydrogen_demand(&self, year: i32) -> Vec<(Sector, f64)> {
        self.sectors
            .iter()
            .map(|&sector| {
                let tonnes = self
                    .resources
                    .iter()
                    .filter(|r| {
                        r.year == year
                            && r.sector == sector
                            && r.region.is_none()
                            && r.resource == Resource::HydrogenMass
                    })
                    .map(|r| r.quantity)
                    .sum();
                (sector, tonnes)
            })
            .collect()
    }

    /// The world row of a sector in a year.
    pub fn world(&self, sector: Sector, year: i32) -> Option<&SummaryRow> {
        self.summary.iter().find(|r| r.sector == sector && r.year == year && r.region.is_none())
    }

    /// World direct emissions of all sectors in a year.
    pub fn total_direct(&self, year: i32) -> TonnesCo2 {
        self.summary.iter().filter(|r| r.year == year && r.region.is_none()).map(|r| r.direct_emissions).sum()
    }
}
