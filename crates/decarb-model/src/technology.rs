//! Technologies (production routes) and the commodities they consume.

use crate::country::Region;
use crate::sector::Sector;
use crate::units::{TonnesCo2PerTonne, UsdPerTonne, UsdPerTonnePerYear, Years};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Index, IndexMut};
use std::str::FromStr;

/// What a route consumes per tonne of product. Each commodity has one unit, so an input vector is
/// a plain array the engine multiplies by a price vector of the same order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Commodity {
    /// Iron ore, t.
    IronOre,
    /// Steel scrap, t.
    Scrap,
    /// Metallurgical (coking) coal, t.
    MetCoal,
    /// Coke bought in, GJ.
    Coke,
    /// Thermal coal, GJ.
    Coal,
    /// Natural gas, GJ.
    NaturalGas,
    /// Hydrogen, GJ (LHV; 0.12 GJ/kg).
    Hydrogen,
    /// Electricity, MWh (negative where a works exports power).
    Electricity,
    /// Solid biomass and biomethane, GJ.
    Biomass,
    /// Alternative fuels such as fossil waste, GJ.
    Waste,
    /// Alumina, t.
    Alumina,
}

impl Commodity {
    pub const COUNT: usize = 11;
    pub const ALL: [Commodity; Self::COUNT] = [
        Commodity::IronOre,
        Commodity::Scrap,
        Commodity::MetCoal,
        Commodity::Coke,
        Commodity::Coal,
        Commodity::NaturalGas,
        Commodity::Hydrogen,
        Commodity::Electricity,
        Commodity::Biomass,
        Commodity::Waste,
        Commodity::Alumina,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Commodity::IronOre => "iron_ore",
            Commodity::Scrap => "scrap",
            Commodity::MetCoal => "met_coal",
            Commodity::Coke => "coke",
            Commodity::Coal => "coal",
            Commodity::NaturalGas => "natural_gas",
            Commodity::Hydrogen => "hydrogen",
            Commodity::Electricity => "electricity",
            Commodity::Biomass => "biomass",
            Commodity::Waste => "waste",
            Commodity::Alumina => "alumina",
        }
    }

    /// The unit one tonne of product consumes this commodity in.
    pub fn unit_per_tonne(self) -> &'static str {
        match self {
            Commodity::IronOre | Commodity::Scrap | Commodity::MetCoal | Commodity::Alumina => "t/t",
            Commodity::Electricity => "MWh/t",
            _ => "GJ/t",
        }
    }

    /// The unit this commodity is priced in.
    pub fn price_unit(self) -> &'static str {
        match self {
            Commodity::IronOre | Commodity::Scrap | Commodity::MetCoal | Commodity::Alumina => "USD/t",
            Commodity::Electricity => "USD/MWh",
            _ => "USD/GJ",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Commodity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Commodity {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Commodity::ALL.into_iter().find(|c| c.as_str() == key).ok_or_else(|| {
            crate::ParseError::new(
                "commodity",
                s,
                "one of iron_ore, scrap, met_coal, coke, coal, natural_gas, hydrogen, electricity, biomass, \
                 waste, alumina",
            )
        })
    }
}

/// Quantities of each commodity per tonne of product, in [`Commodity::unit_per_tonne`] units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Inputs(pub [f64; Commodity::COUNT]);

impl Inputs {
    /// The non-zero entries, in commodity order.
    pub fn iter(&self) -> impl Iterator<Item = (Commodity, f64)> + '_ {
        Commodity::ALL.into_iter().map(|c| (c, self.0[c.index()])).filter(|(_, q)| *q != 0.0)
    }

    /// Cost per tonne at the given prices (same order and units).
    pub fn cost(&self, prices: &[f64; Commodity::COUNT]) -> UsdPerTonne {
        UsdPerTonne(self.0.iter().zip(prices).map(|(q, p)| q * p).sum())
    }
}

impl Index<Commodity> for Inputs {
    type Output = f64;
    fn index(&self, commodity: Commodity) -> &f64 {
        &self.0[commodity.index()]
    }
}

impl IndexMut<Commodity> for Inputs {
    fn index_mut(&mut self, commodity: Commodity) -> &mut f64 {
        &mut self.0[commodity.index()]
    }
}

/// The MPP classification of routes: what a plant may run today, on the way, and at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Today's incumbent routes.
    Initial,
    /// Lower-emission routes that are not near-zero.
    Transition,
    /// Near-zero routes.
    EndState,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Initial => "initial",
            Phase::Transition => "transition",
            Phase::EndState => "end-state",
        }
    }
}

impl FromStr for Phase {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
            "initial" => Ok(Phase::Initial),
            "transition" | "transitional" => Ok(Phase::Transition),
            "end-state" | "endstate" => Ok(Phase::EndState),
            _ => Err(crate::ParseError::new("phase", s, "one of initial, transition, end-state")),
        }
    }
}

/// A technology's identifier, such as `steel.h2-dri-eaf`. Stable: scenario files name them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TechId(pub String);

impl TechId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TechId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a route's electricity comes from, which decides the price it pays: the grid, a power
/// purchase agreement, renewables built on site, or a captive plant whose fuel is an input
/// instead (MPP-shared prices grid, PPA and on-site VRE electricity separately).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElectricitySupply {
    #[default]
    Grid,
    Ppa,
    OnsiteVre,
    /// A captive power plant: the route's electricity input is zero and its fuel is listed.
    Captive,
    /// Existing hydropower (a captive dam or a long-term contract with one): site-bound, so only
    /// a plant that already has it may keep it ([`ElectricitySupply::is_site_bound`]).
    Hydro,
}

impl ElectricitySupply {
    pub const ALL: [ElectricitySupply; 5] = [
        ElectricitySupply::Grid,
        ElectricitySupply::Ppa,
        ElectricitySupply::OnsiteVre,
        ElectricitySupply::Captive,
        ElectricitySupply::Hydro,
    ];

    /// Supply tied to a site that new capacity cannot be given: a plant without it may not
    /// switch to, or be built on, a route that needs it.
    pub fn is_site_bound(self) -> bool {
        matches!(self, ElectricitySupply::Hydro)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ElectricitySupply::Grid => "grid",
            ElectricitySupply::Ppa => "ppa",
            ElectricitySupply::OnsiteVre => "onsite-vre",
            ElectricitySupply::Captive => "captive",
            ElectricitySupply::Hydro => "hydro",
        }
    }
}

impl fmt::Display for ElectricitySupply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ElectricitySupply {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        ElectricitySupply::ALL.into_iter().find(|supply| supply.as_str() == key).ok_or_else(|| {
            crate::ParseError::new("electricity supply", s, "one of grid, ppa, onsite-vre, captive, hydro")
        })
    }
}

/// A production route with its parameters, per tonne of the sector's product (t crude steel,
/// t clinker, t aluminium or alumina, t NH3). Costs are USD of the source's year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technology {
    pub id: TechId,
    pub sector: Sector,
    pub name: String,
    pub phase: Phase,
    pub inputs: Inputs,
    /// Direct (scope 1) CO2 before capture, process emissions included.
    pub direct_co2: TonnesCo2PerTonne,
    /// Share of `direct_co2` captured (0 for routes without capture).
    pub capture_rate: f64,
    /// Greenfield capital cost.
    pub capex_greenfield: UsdPerTonnePerYear,
    /// Brownfield renewal (relining-type reinvestment on the same route).
    pub capex_renewal: UsdPerTonnePerYear,
    /// Fixed and non-energy operating cost per tonne.
    pub fixed_opex: UsdPerTonne,
    pub lifetime: Years,
    /// Years between main reinvestments (relining, kiln rebuild).
    pub reinvestment_cycle: Years,
    /// First year the route can be chosen.
    pub available_from: i32,
    /// Routes a plant on this one may switch to at an investment point.
    pub switches_to: Vec<TechId>,
    /// Where every number of this row comes from (report and table, or dataset and year).
    pub source: String,
    /// What one tonne of product is: "t crude steel", "t clinker", "t alumina", "t NH3".
    #[serde(default)]
    pub functional_unit: String,
    /// Greenfield capex at the years the source gives (2020, 2030, 2050 for MPP), ascending;
    /// [`Technology::capex_greenfield_in`] interpolates. Empty means `capex_greenfield` always.
    #[serde(default)]
    pub capex_greenfield_by_year: Vec<(i32, UsdPerTonnePerYear)>,
    /// Last year the route can be chosen (a moratorium scenario may set it).
    #[serde(default)]
    pub available_until: Option<i32>,
    /// Where the electricity input comes from, which decides its price.
    #[serde(default)]
    pub electricity_supply: ElectricitySupply,
    /// Fields for which the source gives no value: their numbers are 0 and mean "unknown",
    /// so a cost- or energy-based choice must not rely on them.
    #[serde(default)]
    pub missing: Vec<String>,
    /// Caveats a user should read next to the numbers (what is left out, fallbacks).
    #[serde(default)]
    pub note: String,
    /// Real discount rate (WACC) the source states for the route; `None` where it states none
    /// (the scenario's rate applies).
    #[serde(default)]
    pub discount_rate: Option<f64>,
    /// Fixed opex at the years the source gives, ascending; [`Technology::fixed_opex_in`]
    /// interpolates. Empty means `fixed_opex` always.
    #[serde(default)]
    pub fixed_opex_by_year: Vec<(i32, UsdPerTonne)>,
    /// Switch-capex family, where a source sets it; `None` = the engine's family by id prefix
    /// (`decarb_engine::start::route_family`). A switch within a family is a conversion of the
    /// plant; to another family it buys a new asset (greenfield capex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_family: Option<String>,
    /// Regions where a plant may take up the route (switch to it, or build or rebuild on it), where
    /// a source limits them; empty = every region. A plant already on the route may keep it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub switch_regions: Vec<Region>,
}

impl Technology {
    /// Direct CO2 captured per tonne.
    pub fn captured_co2(&self) -> TonnesCo2PerTonne {
        self.direct_co2 * self.capture_rate
    }

    /// Direct CO2 emitted per tonne, after capture.
    pub fn net_direct_co2(&self) -> TonnesCo2PerTonne {
        self.direct_co2 - self.captured_co2()
    }

    /// Greenfield capex in a year: linear between the source's years, held flat outside them.
    pub fn capex_greenfield_in(&self, year: i32) -> UsdPerTonnePerYear {
        let points: Vec<(i32, f64)> = self.capex_greenfield_by_year.iter().map(|&(y, v)| (y, v.0)).collect();
        UsdPerTonnePerYear(interpolate(&points, year).unwrap_or(self.capex_greenfield.0))
    }

    /// Fixed opex in a year: linear between the source's years, held flat outside them.
    pub fn fixed_opex_in(&self, year: i32) -> UsdPerTonne {
        let points: Vec<(i32, f64)> = self.fixed_opex_by_year.iter().map(|&(y, v)| (y, v.0)).collect();
        UsdPerTonne(interpolate(&points, year).unwrap_or(self.fixed_opex.0))
    }

    /// Whether the route can be chosen in a year.
    pub fn is_available(&self, year: i32) -> bool {
        year >= self.available_from && self.available_until.is_none_or(|until| year <= until)
    }

    /// Whether a plant in `region` may take up the route (switch to it or build on it).
    pub fn may_take_up_in(&self, region: Region) -> bool {
        self.switch_regions.is_empty() || self.switch_regions.contains(&region)
    }

    /// Whether every parameter of the route has a sourced value.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Linear between anchor years (ascending), flat outside; `None` without anchors.
fn interpolate(points: &[(i32, f64)], year: i32) -> Option<f64> {
    let (&(first_year, first), &(last_year, last)) = (points.first()?, points.last()?);
    if year <= first_year {
        return Some(first);
    }
    if year >= last_year {
        return Some(last);
    }
    for pair in points.windows(2) {
        let ((y0, v0), (y1, v1)) = (pair[0], pair[1]);
        if year <= y1 {
            let share = f64::from(year - y0) / f64::from(y1 - y0);
            return Some(v0 + (v1 - v0) * share);
        }
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(points: Vec<(i32, UsdPerTonnePerYear)>) -> Technology {
        Technology {
            id: TechId("steel.smelting-reduction".into()),
            sector: Sector::Steel,
            name: "Smelting reduction".into(),
            phase: Phase::Transition,
            inputs: Inputs::default(),
            direct_co2: TonnesCo2PerTonne(1.204),
            capture_rate: 0.0,
            capex_greenfield: points.first().map_or(UsdPerTonnePerYear(0.0), |p| p.1),
            capex_renewal: UsdPerTonnePerYear(160.1),
            fixed_opex: UsdPerTonne(115.2),
            lifetime: Years(40.0),
            reinvestment_cycle: Years(20.0),
            available_from: 2030,
            switches_to: Vec::new(),
            source: "TECHNOLOGY.md §1.2".into(),
            functional_unit: "t crude steel".into(),
            capex_greenfield_by_year: points,
            available_until: Some(2040),
            electricity_supply: ElectricitySupply::Grid,
            missing: Vec::new(),
            note: String::new(),
            discount_rate: None,
            fixed_opex_by_year: Vec::new(),
            switch_family: None,
            switch_regions: Vec::new(),
        }
    }

    #[test]
    fn capex_is_interpolated_between_source_years_and_flat_outside() {
        // MPP smelting reduction, EUR per t/yr: 599.5 (2020), 405.5 (2030), 357.8 (2050).
        let tech = route(vec![
            (2020, UsdPerTonnePerYear(599.5)),
            (2030, UsdPerTonnePerYear(405.5)),
            (2050, UsdPerTonnePerYear(357.8)),
        ]);
        assert!((tech.capex_greenfield_in(2025).0 - 502.5).abs() < 1e-9);
        assert!((tech.capex_greenfield_in(2040).0 - 381.65).abs() < 1e-9);
        assert!((tech.capex_greenfield_in(2010).0 - 599.5).abs() < 1e-9);
        assert!((tech.capex_greenfield_in(2060).0 - 357.8).abs() < 1e-9);
        assert!((route(Vec::new()).capex_greenfield_in(2030).0).abs() < 1e-9);
    }

    #[test]
    fn availability_window_and_supply_parsing() {
        let tech = route(Vec::new());
        assert!(!tech.is_available(2029) && tech.is_available(2030) && tech.is_available(2040));
        assert!(!tech.is_available(2041));
        assert!(tech.is_complete());
        assert_eq!("onsite_vre".parse::<ElectricitySupply>().unwrap(), ElectricitySupply::OnsiteVre);
        assert_eq!("PPA".parse::<ElectricitySupply>().unwrap(), ElectricitySupply::Ppa);
        assert!("wind".parse::<ElectricitySupply>().is_err());
    }
}
