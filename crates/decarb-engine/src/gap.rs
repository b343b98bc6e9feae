//! How far a run leaves heavy industry from net zero: world direct CO2 by sector in the base
//! year, the 2030 milestone year and the end year, the CO2 captured in the end year, and the
//! straight line to net zero the run is judged against. One definition for the CLI's run summary,
//! the run's emissions chart and the API's milestones.

use crate::ensemble::MILESTONE_YEAR;
use crate::outcome::Outcome;
use decarb_model::Sector;
use decarb_model::units::TonnesCo2;

/// World direct CO2 (after capture) in the three years a run is judged on, and the CO2 captured
/// in the end year.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DirectCo2 {
    pub base: TonnesCo2,
    pub milestone: TonnesCo2,
    pub end: TonnesCo2,
    pub captured_end: TonnesCo2,
}

/// A run's distance to net zero: each sector's [`DirectCo2`] and their total.
#[derive(Debug, Clone, PartialEq)]
pub struct GapToNetZero {
    pub base_year: i32,
    /// 2030, or the nearest year of the run when 2030 is outside it.
    pub milestone_year: i32,
    pub end_year: i32,
    /// In the run's sector order; a sector without a world row in a year counts zero there.
    pub sectors: Vec<(Sector, DirectCo2)>,
    /// All the run's sectors together.
    pub total: DirectCo2,
}

impl GapToNetZero {
    /// The end year's direct CO2 as a share of the base year's, % (0 without base-year emissions).
    pub fn remaining_pct(&self) -> f64 {
        let (base, end) = (self.total.base.to_mt(), self.total.end.to_mt());
        if base > 0.0 { 100.0 * end / base } else { 0.0 }
    }

    /// What the straight line from the base year's total to zero in the end year asks for in the
    /// milestone year, Mt CO2.
    pub fn straight_line_at_milestone(&self) -> f64 {
        straight_line(self.total.base.to_mt(), self.base_year, self.end_year, self.milestone_year)
    }
}

/// The straight line to net zero: `start` in `base_year` falling evenly to zero in `end_year`,
/// its value in `year`.
pub fn straight_line(start: f64, base_year: i32, end_year: i32, year: i32) -> f64 {
    start * f64::from(end_year - year) / f64::from((end_year - base_year).max(1))
}

impl Outcome {
    /// The run's [`GapToNetZero`].
    pub fn gap_to_net_zero(&self) -> GapToNetZero {
        let (base_year, end_year) = (self.base_year, self.end_year);
        let milestone_year = MILESTONE_YEAR.clamp(base_year, end_year);
        let direct = |sector: Sector, year: i32| {
            self.world(sector, year).map_or(TonnesCo2(0.0), |r| r.direct_emissions)
        };
        let sectors: Vec<(Sector, DirectCo2)> = self
            .sectors
            .iter()
            .map(|&sector| {
                let figures = DirectCo2 {
                    base: direct(sector, base_year),
                    milestone: direct(sector, milestone_year),
                    end: direct(sector, end_year),
                    captured_end: self.world(sector, end_year).map_or(TonnesCo2(0.0), |r| r.captured),
                };
                (sector, figures)
            })
            .collect();
        let total = DirectCo2 {
            base: sectors.iter().map(|(_, d)| d.base).sum(),
            milestone: sectors.iter().map(|(_, d)| d.milestone).sum(),
            end: sectors.iter().map(|(_, d)| d.end).sum(),
            captured_end: sectors.iter().map(|(_, d)| d.captured_end).sum(),
        };
        GapToNetZero { base_year, milestone_year, end_year, sectors, total }
    }
}

#[cfg(test)]
mod tests {
    use super::straight_line;

    #[test]
    fn the_straight_line_runs_from_the_base_year_to_zero() {
        assert!((straight_line(3000.0, 2020, 2050, 2020) - 3000.0).abs() < 1e-9);
        assert!((straight_line(3000.0, 2020, 2050, 2030) - 2000.0).abs() < 1e-9);
        assert!(straight_line(3000.0, 2020, 2050, 2050).abs() < 1e-9);
        // A run of one year does not divide by zero.
        assert!(straight_line(10.0, 2020, 2020, 2020).is_finite());
    }
}
