//! Technologies (production routes) and the commodities they consume.

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
}
