//! Typed physical and monetary quantities.
//!
//! Every quantity is a newtype over `f64` carrying its unit in its name, after MUSE2's `units.rs`.
//! Only physically meaningful arithmetic is implemented: a tonne of CO2 cannot be added to a tonne
//! of steel, and `Tonnes * TonnesCo2PerTonne` is `TonnesCo2`. Quantities of one kind add and
//! subtract, scale by a plain `f64`, and divide by each other into a plain ratio.
//!
//! ```
//! use decarb_model::units::{Tonnes, TonnesCo2PerTonne, UsdPerTonneCo2};
//! let steel = Tonnes::from_mt(2.0);
//! let emissions = steel * TonnesCo2PerTonne(1.8);
//! let cost = emissions * UsdPerTonneCo2(100.0);
//! assert_eq!(emissions.to_mt(), 3.6);
//! assert_eq!(cost.0, 360_000_000.0);
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// Megajoules per kilowatt-hour is 3.6; gigajoules per megawatt-hour likewise.
pub const GJ_PER_MWH: f64 = 3.6;
/// Lower heating value of hydrogen (TECHNOLOGY.md §0: 0.12 GJ/kg).
pub const HYDROGEN_GJ_PER_KG: f64 = 0.12;

macro_rules! quantity {
    ($(#[$doc:meta])* $name:ident, $unit:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// The unit this quantity is expressed in, for tables and headers.
            pub const UNIT: &'static str = $unit;
            pub const ZERO: Self = Self(0.0);

            /// The larger of two quantities (NaN-safe: a NaN loses).
            #[must_use]
            pub fn max(self, other: Self) -> Self {
                Self(self.0.max(other.0))
            }

            /// The smaller of two quantities (NaN-safe: a NaN loses).
            #[must_use]
            pub fn min(self, other: Self) -> Self {
                Self(self.0.min(other.0))
            }

            pub fn is_finite(self) -> bool {
                self.0.is_finite()
            }
        }

        impl Add for $name {
            type Output = Self;
            fn add(self, rhs: Self) -> Self {
                Self(self.0 + rhs.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, rhs: Self) {
                self.0 += rhs.0;
            }
        }
        impl Sub for $name {
            type Output = Self;
            fn sub(self, rhs: Self) -> Self {
                Self(self.0 - rhs.0)
            }
        }
        impl SubAssign for $name {
            fn sub_assign(&mut self, rhs: Self) {
                self.0 -= rhs.0;
            }
        }
        impl Neg for $name {
            type Output = Self;
            fn neg(self) -> Self {
                Self(-self.0)
            }
        }
        impl Mul<f64> for $name {
            type Output = Self;
            fn mul(self, rhs: f64) -> Self {
                Self(self.0 * rhs)
            }
        }
        impl Mul<$name> for f64 {
            type Output = $name;
            fn mul(self, rhs: $name) -> $name {
                $name(self * rhs.0)
            }
        }
        impl Div<f64> for $name {
            type Output = Self;
            fn div(self, rhs: f64) -> Self {
                Self(self.0 / rhs)
            }
        }
        /// The ratio of two quantities of one kind is a plain number.
        impl Div for $name {
            type Output = f64;
            fn div(self, rhs: Self) -> f64 {
                self.0 / rhs.0
            }
        }
        impl Sum for $name {
            fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
                Self(iter.map(|q| q.0).sum())
            }
        }
        impl<'a> Sum<&'a $name> for $name {
            fn sum<I: Iterator<Item = &'a Self>>(iter: I) -> Self {
                Self(iter.map(|q| q.0).sum())
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if let Some(precision) = f.precision() {
                    write!(f, "{:.*} {}", precision, self.0, $unit)
                } else {
                    write!(f, "{} {}", self.0, $unit)
                }
            }
        }
    };
}

/// `A * B = C`, with the commuted product and both divisions back.
macro_rules! product {
    ($a:ident * $b:ident = $c:ident) => {
        impl Mul<$b> for $a {
            type Output = $c;
            fn mul(self, rhs: $b) -> $c {
                $c(self.0 * rhs.0)
            }
        }
        impl Mul<$a> for $b {
            type Output = $c;
            fn mul(self, rhs: $a) -> $c {
                $c(self.0 * rhs.0)
            }
        }
        impl Div<$a> for $c {
            type Output = $b;
            fn div(self, rhs: $a) -> $b {
                $b(self.0 / rhs.0)
            }
        }
        impl Div<$b> for $c {
            type Output = $a;
            fn div(self, rhs: $b) -> $a {
                $a(self.0 / rhs.0)
            }
        }
    };
    // Same-typed factors (years * per-year): only one Mul impl and one Div.
    ($a:ident * $b:ident = $c:ident, no_commute) => {
        impl Mul<$b> for $a {
            type Output = $c;
            fn mul(self, rhs: $b) -> $c {
                $c(self.0 * rhs.0)
            }
        }
    };
}

quantity!(
    /// Mass of product (crude steel, clinker, cement, aluminium, ammonia...), tonnes.
    Tonnes,
    "t"
);
quantity!(
    /// Production capacity, tonnes of product per year.
    TonnesPerYear,
    "t/yr"
);
quantity!(
    /// Mass of carbon dioxide, tonnes.
    TonnesCo2,
    "t CO2"
);
quantity!(
    /// Energy, gigajoules.
    Gigajoules,
    "GJ"
);
quantity!(
    /// Electrical energy, megawatt-hours.
    MegawattHours,
    "MWh"
);
quantity!(
    /// Money, US dollars (the currency year is the table's, stated with its source).
    Usd,
    "USD"
);
quantity!(
    /// Direct (or indirect) emission intensity, tonnes CO2 per tonne of product.
    TonnesCo2PerTonne,
    "t CO2/t"
);
quantity!(
    /// Mass input per tonne of product (iron ore, scrap, alumina...), t/t.
    TonnesPerTonne,
    "t/t"
);
quantity!(
    /// Energy input per tonne of product, GJ/t.
    GigajoulesPerTonne,
    "GJ/t"
);
quantity!(
    /// Electricity input per tonne of product, MWh/t.
    MegawattHoursPerTonne,
    "MWh/t"
);
quantity!(
    /// Cost per tonne of product, USD/t.
    UsdPerTonne,
    "USD/t"
);
quantity!(
    /// Capital cost per tonne of annual capacity, USD per t/yr.
    UsdPerTonnePerYear,
    "USD/(t/yr)"
);
quantity!(
    /// Price of carbon, or cost of moving and storing it, USD per tonne CO2.
    UsdPerTonneCo2,
    "USD/t CO2"
);
quantity!(
    /// Energy price, USD/GJ.
    UsdPerGigajoule,
    "USD/GJ"
);
quantity!(
    /// Electricity price, USD/MWh.
    UsdPerMegawattHour,
    "USD/MWh"
);
quantity!(
    /// Grid emission factor, t CO2 per MWh.
    TonnesCo2PerMegawattHour,
    "t CO2/MWh"
);
quantity!(
    /// Span of time, years.
    Years,
    "yr"
);

product!(Tonnes * TonnesCo2PerTonne = TonnesCo2);
product!(Tonnes * TonnesPerTonne = Tonnes, no_commute);
product!(Tonnes * GigajoulesPerTonne = Gigajoules);
product!(Tonnes * MegawattHoursPerTonne = MegawattHours);
product!(Tonnes * UsdPerTonne = Usd);
product!(TonnesPerYear * UsdPerTonnePerYear = Usd);
product!(TonnesCo2 * UsdPerTonneCo2 = Usd);
product!(Gigajoules * UsdPerGigajoule = Usd);
product!(MegawattHours * UsdPerMegawattHour = Usd);
product!(MegawattHours * TonnesCo2PerMegawattHour = TonnesCo2);
product!(TonnesPerYear * Years = Tonnes);
// Per-tonne chains used in levelised costs: t CO2/t x USD/t CO2 = USD/t, and so on.
product!(TonnesCo2PerTonne * UsdPerTonneCo2 = UsdPerTonne);
product!(GigajoulesPerTonne * UsdPerGigajoule = UsdPerTonne);
product!(MegawattHoursPerTonne * UsdPerMegawattHour = UsdPerTonne);
product!(MegawattHoursPerTonne * TonnesCo2PerMegawattHour = TonnesCo2PerTonne);

impl Tonnes {
    pub fn from_mt(mt: f64) -> Self {
        Self(mt * 1e6)
    }
    pub fn from_kt(kt: f64) -> Self {
        Self(kt * 1e3)
    }
    pub fn to_mt(self) -> f64 {
        self.0 / 1e6
    }
    pub fn to_kt(self) -> f64 {
        self.0 / 1e3
    }
}

impl TonnesPerYear {
    pub fn from_mt(mt_per_year: f64) -> Self {
        Self(mt_per_year * 1e6)
    }
    /// Thousand tonnes per annum (GEM's "ttpa").
    pub fn from_kt(kt_per_year: f64) -> Self {
        Self(kt_per_year * 1e3)
    }
    pub fn to_mt(self) -> f64 {
        self.0 / 1e6
    }
    pub fn to_kt(self) -> f64 {
        self.0 / 1e3
    }
    /// What a year at this capacity and the given utilisation (0..=1) produces.
    pub fn output(self, utilisation: f64) -> Tonnes {
        Tonnes(self.0 * utilisation)
    }
}

impl TonnesCo2 {
    pub fn from_mt(mt: f64) -> Self {
        Self(mt * 1e6)
    }
    pub fn to_mt(self) -> f64 {
        self.0 / 1e6
    }
    pub fn to_gt(self) -> f64 {
        self.0 / 1e9
    }
}

impl Gigajoules {
    pub fn to_mwh(self) -> MegawattHours {
        MegawattHours(self.0 / GJ_PER_MWH)
    }
}

impl MegawattHours {
    pub fn to_gj(self) -> Gigajoules {
        Gigajoules(self.0 * GJ_PER_MWH)
    }
    pub fn to_twh(self) -> f64 {
        self.0 / 1e6
    }
}

impl GigajoulesPerTonne {
    pub fn to_mwh_per_tonne(self) -> MegawattHoursPerTonne {
        MegawattHoursPerTonne(self.0 / GJ_PER_MWH)
    }
    /// Hydrogen energy per tonne expressed as kg H2 per tonne (LHV).
    pub fn hydrogen_kg_per_tonne(self) -> f64 {
        self.0 / HYDROGEN_GJ_PER_KG
    }
}

impl MegawattHoursPerTonne {
    pub fn to_gj_per_tonne(self) -> GigajoulesPerTonne {
        GigajoulesPerTonne(self.0 * GJ_PER_MWH)
    }
}

impl UsdPerGigajoule {
    pub fn to_usd_per_mwh(self) -> UsdPerMegawattHour {
        UsdPerMegawattHour(self.0 * GJ_PER_MWH)
    }
}

impl Usd {
    pub fn to_billions(self) -> f64 {
        self.0 / 1e9
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emissions_and_costs_chain_through_their_units() {
        // 1,880 Mt of crude steel at the 2020 MPP average BF-BOF intensity 2.43 t/t
        // (TECHNOLOGY.md §1.1) would emit 4.57 Gt.
        let production = Tonnes::from_mt(1880.0);
        let emissions = production * TonnesCo2PerTonne(2.43);
        assert!((emissions.to_gt() - 4.5684).abs() < 1e-9);
        let per_tonne = emissions / production;
        assert_eq!(per_tonne, TonnesCo2PerTonne(2.43 * 1880.0e6 / 1880.0e6));
        let carbon_cost = TonnesCo2PerTonne(2.0) * UsdPerTonneCo2(100.0);
        assert_eq!(carbon_cost, UsdPerTonne(200.0));
    }

    #[test]
    fn energy_conversions_use_3_6_gj_per_mwh_and_hydrogen_lhv() {
        assert!((GigajoulesPerTonne(8.76).hydrogen_kg_per_tonne() - 73.0).abs() < 1e-9);
        assert!((Gigajoules(36.0).to_mwh().0 - 10.0).abs() < 1e-12);
        assert!((UsdPerGigajoule(31.6).to_usd_per_mwh().0 - 113.76).abs() < 1e-9);
    }

    #[test]
    fn capacity_in_kt_and_mt_round_trips() {
        let cap = TonnesPerYear::from_kt(2_271_000.0);
        assert!((cap.to_mt() - 2271.0).abs() < 1e-9);
        assert!((cap.output(0.5).to_mt() - 1135.5).abs() < 1e-9);
        assert_eq!(format!("{:.1}", Tonnes::from_mt(1.0)), "1000000.0 t");
    }
}
