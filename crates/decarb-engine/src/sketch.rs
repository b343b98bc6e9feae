//! A mergeable quantile sketch with bounded relative error (after DDSketch, Masson, Rim & Lee,
//! VLDB 2019): values fall into logarithmic buckets `(gamma^(i-1), gamma^i]`, so a quantile read
//! from the sketch is within [`RELATIVE_ACCURACY`] of the value of that rank in the sorted data.
//! Counts only add up, so the sketch is the same whatever order values arrive in and whatever
//! thread computed them; its memory depends on the spread of the values (at most
//! [`MAX_BUCKETS`] buckets per sign), never on their number.

// Bucket indices are bounded by MAX_BUCKETS and by the exponent range of f64 (|index| < 2e5), so
// the casts between usize, i32 and f64 here cannot truncate or wrap.
#![allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap, clippy::cast_sign_loss)]

/// Relative accuracy of a quantile (0.5 %).
pub const RELATIVE_ACCURACY: f64 = 0.005;
/// Buckets kept per sign; beyond it the smallest magnitudes are merged into one bucket
/// (`gamma^4096` spans 18 orders of magnitude at 0.5 %, more than any reported variable needs).
pub const MAX_BUCKETS: usize = 4096;
/// Magnitudes below this count as zeros in the buckets (values are in Mt or bn USD, so below a
/// tonne or a thousand dollars: rounding noise that would otherwise open buckets down to 1e-300).
/// The exact min and max still bound every quantile.
const ZERO: f64 = 1e-6;

/// Bucket counts of one sign: `counts[k]` holds bucket `offset + k`.
#[derive(Debug, Clone, Default, PartialEq)]
struct Store {
    offset: i32,
    counts: Vec<u32>,
}

impl Store {
    fn add(&mut self, index: i32) {
        if self.counts.is_empty() {
            self.offset = index;
            self.counts.push(1);
            return;
        }
        let top = self.offset + self.counts.len() as i32 - 1;
        if index > top {
            self.counts.resize((index - self.offset + 1) as usize, 0);
        } else if index < self.offset {
            let grow = (self.offset - index) as usize;
            let mut counts = vec![0; grow];
            counts.append(&mut self.counts);
            self.counts = counts;
            self.offset = index;
        }
        let k = (index - self.offset) as usize;
        self.counts[k] = self.counts[k].saturating_add(1);
        self.collapse();
    }

    /// Folds the lowest buckets into the lowest kept one when the range grows past the cap: the
    /// kept range depends only on the highest bucket seen, so the result is order-independent.
    fn collapse(&mut self) {
        if self.counts.len() > MAX_BUCKETS {
            let excess = self.counts.len() - MAX_BUCKETS;
            let folded: u32 = self.counts.drain(..excess).fold(0, u32::saturating_add);
            self.counts[0] = self.counts[0].saturating_add(folded);
            self.offset += excess as i32;
        }
    }
}

/// Count, mean, extremes and quantiles of one variable over the runs of an ensemble.
#[derive(Debug, Clone, PartialEq)]
pub struct Sketch {
    count: u64,
    sum: f64,
    min: f64,
    max: f64,
    zeros: u64,
    positive: Store,
    negative: Store,
}

impl Default for Sketch {
    fn default() -> Self {
        Sketch {
            count: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            zeros: 0,
            positive: Store::default(),
            negative: Store::default(),
        }
    }
}

fn gamma() -> f64 {
    (1.0 + RELATIVE_ACCURACY) / (1.0 - RELATIVE_ACCURACY)
}

fn bucket(magnitude: f64) -> i32 {
    (magnitude.ln() / gamma().ln()).ceil() as i32
}

fn representative(index: i32) -> f64 {
    let g = gamma();
    2.0 * g.powi(index) / (g + 1.0)
}

impl Sketch {
    /// Adds one value (non-finite values are ignored). The sum, and so the mean, is exact up to
    /// floating point and depends on the order values are added: callers add in run order.
    pub fn add(&mut self, value: f64) {
        if !value.is_finite() {
            return;
        }
        self.count += 1;
        self.sum += value;
        self.min = self.min.min(value);
        self.max = self.max.max(value);
        if value.abs() < ZERO {
            self.zeros += 1;
        } else if value > 0.0 {
            self.positive.add(bucket(value));
        } else {
            self.negative.add(bucket(-value));
        }
    }

    /// Buckets held (the sketch's memory is about 4 bytes each).
    pub fn buckets(&self) -> usize {
        self.positive.counts.len() + self.negative.counts.len()
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.sum / self.count as f64 }
    }

    /// The value of rank `round(q (n - 1))` (0-based) among the sorted values, within the relative
    /// accuracy, and clamped to the smallest and largest value seen (so identical values come
    /// back exactly); ranks 0 and n - 1 are the exact minimum and maximum.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return f64::NAN;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).round() as u64;
        // The extremes are kept exactly.
        if rank == 0 {
            return self.min;
        }
        if rank + 1 >= self.count {
            return self.max;
        }
        let mut seen = 0u64;
        let value = 'found: {
            for (k, &c) in self.negative.counts.iter().enumerate().rev() {
                seen += u64::from(c);
                if seen > rank {
                    break 'found -representative(self.negative.offset + k as i32);
                }
            }
            seen += self.zeros;
            if seen > rank {
                break 'found 0.0;
            }
            for (k, &c) in self.positive.counts.iter().enumerate() {
                seen += u64::from(c);
                if seen > rank {
                    break 'found representative(self.positive.offset + k as i32);
                }
            }
            self.max
        };
        value.clamp(self.min, self.max)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_relative_accuracy_of_exact_ranks() {
        let mut s = Sketch::default();
        let values: Vec<f64> = (1..=1000).map(|i| f64::from(i) * 0.37).collect();
        for v in values.iter().rev() {
            s.add(*v);
        }
        for q in [0.05, 0.25, 0.5, 0.75, 0.95] {
            let exact = values[(q * 999.0_f64).round() as usize];
            let got = s.quantile(q);
            assert!((got - exact).abs() <= RELATIVE_ACCURACY * exact + 1e-12, "q {q}: {got} vs {exact}");
        }
        assert!((s.mean() - 0.37 * 500.5).abs() < 1e-9);
    }

    #[test]
    fn identical_values_come_back_exactly_and_signs_are_kept() {
        let mut s = Sketch::default();
        for _ in 0..10 {
            s.add(123.456);
        }
        assert_eq!(s.quantile(0.05), 123.456);
        assert_eq!(s.quantile(0.95), 123.456);
        let mut m = Sketch::default();
        for v in [-5.0, -1.0, 0.0, 2.0, 8.0] {
            m.add(v);
        }
        assert_eq!(m.quantile(0.0), -5.0);
        assert_eq!(m.quantile(0.5), 0.0);
        assert!((m.quantile(0.25) + 1.0).abs() < 0.01);
        assert_eq!(m.quantile(1.0), 8.0);
    }

    #[test]
    fn memory_stays_bounded_for_a_huge_spread() {
        let mut s = Sketch::default();
        for i in 0..2000 {
            s.add(10f64.powi(i % 40 - 20));
        }
        assert!(s.positive.counts.len() <= MAX_BUCKETS);
        assert_eq!(s.count(), 2000);
    }
}
