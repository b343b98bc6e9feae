//! Transitional switches (optional, scenario key `transitional_switches`; the MPP steel model's
//! mechanic): between two main investment points a plant may make one switch to a technology of
//! its own family, inside a window that opens `opens_after` years after the last main point and
//! closes `closes_before` years before the next. The main investment schedule is unchanged.
//!
//! Options are the plant's technology and its switch targets of the same family, available and
//! allowed that year. Staying costs no capex (nothing is due off-cycle); a switch costs the
//! greenfield-capex difference (never below zero), recovered over the years left to the next main
//! point: in the ranking the capex is scaled by cycle / years left (the MPP model scales the whole
//! TCO by the constant 20 / (20 - 11) instead). Ranking, tie-break and the limits' booking rules
//! are those of main decisions, and so is the choice rule (`mpp`, `logit`: the plant's draw is
//! tried first; a draw to stay keeps the plant). Plants are visited in a seeded order of their own
//! and book limited resources first come, first served (the merit order applies to main
//! decisions; transitional switches stay within a furnace family and rarely change a plant's use
//! of a limited resource).

use super::{Ctx, Horizon, Sim, YearSpend, book, choice_stream, rng_for, to_i32};
use crate::outcome::{Decision, Reason};
use crate::scenario::TransitionalSwitches;
use decarb_model::units::TonnesPerYear;
use rand::Rng;
use std::collections::BTreeSet;

/// Sets a transitional decision's choice draw apart from the main decision's of the same plant
/// and year.
const TRANSITIONAL_STREAM: u64 = 0x7A45_0000_0000_0000;

/// The next main investment point at which each plant last used its transitional switch
/// (`i32::MIN`: not used), so that one switch is allowed per cycle.
pub(super) struct State {
    used_before: Vec<i32>,
}

impl State {
    pub(super) fn new() -> State {
        State { used_before: Vec::new() }
    }

    fn used(&self, p: usize, next_main: i32) -> bool {
        self.used_before.get(p).is_some_and(|&n| n == next_main)
    }

    fn mark(&mut self, p: usize, next_main: i32) {
        if self.used_before.len() <= p {
            self.used_before.resize(p + 1, i32::MIN);
        }
        self.used_before[p] = next_main;
    }
}

/// Whether `year` lies in the window between the last main point and the next.
pub(crate) fn in_window(settings: &TransitionalSwitches, year: i32, last_main: i32, next_main: i32) -> bool {
    let opens = last_main + i32::try_from(settings.opens_after).unwrap_or(i32::MAX / 2);
    let closes = next_main - i32::try_from(settings.closes_before).unwrap_or(i32::MAX / 2);
    year >= opens && year <= closes
}

impl Sim<'_> {
    /// Offers every eligible plant its transitional switch for year `yi` (after the main
    /// decisions of the year).
    pub(super) fn transitional(
        &mut self,
        yi: usize,
        settings: &TransitionalSwitches,
        state: &mut State,
        pools: &mut [super::LimitPool],
        spend: &mut YearSpend,
    ) {
        let year = self.base + to_i32(yi);
        let mut rng = rng_for(self.seed, 0x7A45_0000 + u64::try_from(year).unwrap_or(0));
        let mut order: Vec<(u64, usize)> = Vec::new();
        for p in 0..self.plants.len() {
            let plants = &self.plants;
            if !plants.open[p] || plants.grinding[p] || !self.lines.contains(&plants.line[p]) {
                continue;
            }
            let next = plants.next_investment[p];
            let last = next - self.catalog.cycle[plants.tech[p]];
            if next <= year || state.used(p, next) || !in_window(settings, year, last, next) {
                continue;
            }
            order.push((rng.next_u64(), p));
        }
        order.sort_unstable();
        for (_, p) in order {
            self.transitional_plant(p, yi, settings, state, pools, spend);
        }
    }

    fn transitional_plant(
        &mut self,
        p: usize,
        yi: usize,
        settings: &TransitionalSwitches,
        state: &mut State,
        pools: &mut [super::LimitPool],
        spend: &mut YearSpend,
    ) {
        let year = self.base + to_i32(yi);
        let current = self.plants.tech[p];
        let line = self.plants.line[p];
        let (l, r) = (line.index(), self.plants.region[p].index());
        let catalog = &self.catalog;
        let current_id = catalog.techs[current].id.as_str();
        let mut candidates: Vec<usize> = std::iter::once(current)
            .chain(catalog.switches[current].iter().copied().filter(|&t| {
                catalog.line[t] == Some(line)
                    && catalog.may_choose(t, year)
                    && catalog.techs[t].may_take_up_in(self.plants.region[p])
                    && settings.same_family(current_id, catalog.techs[t].id.as_str())
            }))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.len() < 2 {
            return;
        }
        let next = self.plants.next_investment[p];
        let years_left = f64::from((next - year).max(1));
        let cycle = f64::from(catalog.cycle[current]);
        let tables = &self.tables;
        let capex = |t: usize| -> f64 {
            if t == current {
                0.0
            } else {
                (tables.greenfield(t, yi) - tables.greenfield(current, yi)).max(0.0)
            }
        };
        let ctx: Ctx<'_, '_> = self.ctx();
        let ranked = ctx.rank(
            &candidates,
            |t| (capex(t) * cycle / years_left, Horizon::Cycle),
            r,
            yi,
            self.planning_u[l],
        );
        let unit_factor = self.factor(line, yi);
        let scale = self.plants.capacity[p] * self.utilisation[l][r] * unit_factor;
        let current_use = catalog.limited_use[current];
        let held = self.held_use(&current_use, scale);
        let mut limited_by = BTreeSet::new();
        let mut chosen = current;
        // The choice rule's pick first (its own stream, apart from the main decision's draw);
        // a plant whose pick is to stay stays.
        let mut rng = rng_for(self.seed, choice_stream(p, year) ^ TRANSITIONAL_STREAM);
        for &o in &self.choice_order(&ranked, &mut rng) {
            let option = &ranked[o];
            if option.tech == current {
                break;
            }
            let use_t = catalog.limited_use[option.tech];
            let extra: [f64; 5] = std::array::from_fn(|k| (use_t[k] - current_use[k]) * scale);
            if book(pools, &extra, &held, r, &mut limited_by) {
                chosen = option.tech;
                break;
            }
        }
        if chosen == current {
            return;
        }
        let options =
            ranked.iter().map(|o| (catalog.techs[o.tech].id.clone(), o.cost * unit_factor)).collect();
        let decision = Decision {
            plant: self.plants.id[p].clone(),
            year,
            sector: line.sector(),
            region: self.plants.region[p],
            from: Some(catalog.techs[current].id.clone()),
            to: Some(catalog.techs[chosen].id.clone()),
            reason: Reason::Switch,
            limited_by: limited_by.into_iter().collect(),
            capacity: TonnesPerYear(self.plants.capacity[p]),
            options,
        };
        spend.capex[l][r] += capex(chosen) * self.plants.capacity[p] * unit_factor;
        self.plants.tech[p] = chosen;
        state.mark(p, next);
        self.decisions.push(decision);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> TransitionalSwitches {
        TransitionalSwitches {
            opens_after: 3,
            closes_before: 8,
            families: vec![vec!["steel.bf-bof-avg".into(), "steel.bf-bof-bat".into()]],
        }
    }

    #[test]
    fn the_window_opens_three_years_after_and_closes_eight_before() {
        let s = settings();
        assert!(!in_window(&s, 2012, 2010, 2030));
        assert!(in_window(&s, 2013, 2010, 2030));
        assert!(in_window(&s, 2022, 2010, 2030));
        assert!(!in_window(&s, 2023, 2010, 2030));
    }

    #[test]
    fn families_hold_their_members_only() {
        let s = settings();
        assert!(s.same_family("steel.bf-bof-avg", "steel.bf-bof-bat"));
        assert!(!s.same_family("steel.bf-bof-avg", "steel.eaf-scrap"));
        assert!(!s.same_family("steel.eaf-scrap", "steel.eaf-scrap-2"));
    }

    #[test]
    fn one_switch_per_cycle() {
        let mut state = State::new();
        assert!(!state.used(3, 2030));
        state.mark(3, 2030);
        assert!(state.used(3, 2030));
        assert!(!state.used(3, 2050));
        assert!(!state.used(2, 2030));
    }
}
