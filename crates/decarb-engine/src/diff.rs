//! Differences between two runs' results, value by value: every (sector, region, year, variable)
//! of either run, with the two values and B - A, the largest absolute differences first. Used by
//! `decarb diff`; front ends read their runs (folders, scenarios run on the fly) into [`Value`]s.

use std::collections::BTreeMap;

/// One value of a run's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub sector: String,
    pub region: String,
    pub year: i32,
    pub variable: String,
    pub value: f64,
}

/// A value that differs between run A and run B (`None`: the run has no such row).
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub sector: String,
    pub region: String,
    pub year: i32,
    pub variable: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// B - A, a missing value counted as 0.
    pub difference: f64,
}

impl Difference {
    /// (B - A) / |A|, none when A is missing or 0.
    pub fn relative(&self) -> Option<f64> {
        self.a.filter(|a| *a != 0.0).map(|a| self.difference / a.abs())
    }
}

/// The comparison of two runs: how many values were compared and those that differ, largest
/// absolute difference first (ties in sector, region, year, variable order).
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub compared: usize,
    pub differences: Vec<Difference>,
}

type Key = (String, String, i32, String);

fn keyed(values: &[Value]) -> BTreeMap<Key, f64> {
    values
        .iter()
        .map(|v| ((v.sector.clone(), v.region.clone(), v.year, v.variable.clone()), v.value))
        .collect()
}

/// Compares two runs' values. Values equal in both runs are left out; a value in one run only is a
/// difference against 0.
pub fn diff(a: &[Value], b: &[Value]) -> Diff {
    let (a, b) = (keyed(a), keyed(b));
    let mut keys: Vec<&Key> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    let compared = keys.len();
    let mut differences: Vec<Difference> = keys
        .into_iter()
        .filter_map(|k| {
            let (x, y) = (a.get(k).copied(), b.get(k).copied());
            if x == y {
                return None;
            }
            Some(Difference {
                sector: k.0.clone(),
                region: k.1.clone(),
                year: k.2,
                variable: k.3.clone(),
                a: x,
                b: y,
                difference: y.unwrap_or(0.0) - x.unwrap_or(0.0),
            })
        })
        .collect();
    // Stable: equal magnitudes keep the key order.
    differences.sort_by(|p, q| q.difference.abs().total_cmp(&p.difference.abs()));
    Diff { compared, differences }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(region: &str, year: i32, value: f64) -> Value {
        Value { sector: "steel".into(), region: region.into(), year, variable: "x".into(), value }
    }

    #[test]
    fn largest_first_missing_counts_as_zero_and_equal_values_are_left_out() {
        let a = [v("World", 2020, 10.0), v("World", 2021, 5.0), v("china", 2020, 1.0)];
        let b = [v("World", 2020, 10.0), v("World", 2021, 2.0), v("europe", 2020, 4.0)];
        let d = diff(&a, &b);
        assert_eq!(d.compared, 4);
        let summary: Vec<(&str, i32, f64)> =
            d.differences.iter().map(|x| (x.region.as_str(), x.year, x.difference)).collect();
        assert_eq!(summary, [("europe", 2020, 4.0), ("World", 2021, -3.0), ("china", 2020, -1.0)]);
        assert_eq!(d.differences[1].relative(), Some(-0.6));
        assert_eq!(d.differences[0].relative(), None);
        assert!(diff(&a, &a).differences.is_empty());
    }
}
