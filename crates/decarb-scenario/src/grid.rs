//! Grid emission factors per decarb region, t CO2 per MWh.
//!
//! Source: Implementing Regulation (EU) 2025/2621, Annex II (the CBAM default grid factors: 5-year
//! average emission factor of each country's grid, IEA data), as transcribed in the shared
//! `cbam/grid_emission_factors.csv`. The annex lists a few countries; a region takes the value of
//! its listed country with the largest crude-steel production in 2020 (worldsteel), or the annex's
//! "other countries and territories" value where none of its countries is listed. Held flat over
//! time: the annex has no path, so indirect emissions in later years are an upper bound.

use decarb_engine::inputs::{GridFactors, Series};
use decarb_model::Region;

const ANNEX: &str = "IR (EU) 2025/2621 Annex II (CBAM default grid factors, IEA 5-year averages)";

/// (region, t CO2/MWh, which annex entry).
pub const REGION_FACTORS: [(Region, f64, &str); 11] = [
    (Region::China, 0.605, "China"),
    (Region::India, 0.726, "India"),
    (Region::JapanKoreaTaiwan, 0.469, "Japan"),
    (Region::NorthAmerica, 0.358, "United States"),
    (Region::Cis, 0.465, "other countries and territories (Russia not listed)"),
    (Region::MiddleEast, 0.465, "other countries and territories (Iran not listed)"),
    (Region::SoutheastAsia, 0.581, "Viet Nam"),
    (Region::Europe, 0.420, "Türkiye (EU member states not listed)"),
    (Region::LatinAmerica, 0.096, "Brazil (secondary quotation)"),
    (Region::Africa, 0.387, "Egypt"),
    (Region::RestOfWorld, 0.645, "Australia (secondary quotation)"),
];

/// The grid factors of every region.
pub fn grid_factors() -> GridFactors {
    GridFactors {
        source: format!(
            "{ANNEX}: {}",
            REGION_FACTORS.iter().map(|(r, v, c)| format!("{r} {v} ({c})")).collect::<Vec<_>>().join("; ")
        ),
        by_region: REGION_FACTORS.iter().map(|&(r, v, _)| (r, Series::constant(v))).collect(),
    }
}
