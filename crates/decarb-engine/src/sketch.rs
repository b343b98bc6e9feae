//! A mergeable quantile sketch with bounded relative error (after DDSketch, Masson, Rim & Lee,
//! VLDB 2019): values fall into logarithmic buckets `(gamma^(i-1), gamma^i]`, so a quantile read
//! from the sketch is within [`RELATIVE_ACCURACY`] of the value of that rank in the sorted data.
//! Counts only add up, so the sketch is the same whatever order values arrive in and whatever
//! thread computed them; its memory depends on the spread of the values (at most
//! [`MAX_BUCKETS`] buckets per sign), never on their number.
//!
//! The sum behind the mean is exact ([`ExactSum`]), so it too is the same in any order: two
//! sketches of two halves of the data [`Sketch::merge`] into the sketch of all of it, bit for bit.
//! That is what lets an ensemble run in shards on many machines and be merged
//! (`crate::ensemble::Ensemble::merge`). [`Sketch::encode`] and [`Sketch::decode`] write and read
//! a sketch as little-endian bytes (layout in `docs/cluster.md`).

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

    /// Adds another store's counts bucket by bucket.
    fn merge(&mut self, other: &Store) {
        self.merge_counts(other.offset, other.counts.iter().copied());
    }

    /// Adds `counts` of buckets `offset..`, growing the range in place as needed.
    fn merge_counts(&mut self, offset: i32, counts: impl ExactSizeIterator<Item = u32>) {
        let len = counts.len();
        if len == 0 {
            return;
        }
        if self.counts.is_empty() {
            self.offset = offset;
            self.counts.extend(counts);
            self.collapse();
            return;
        }
        if offset < self.offset {
            let grow = (self.offset - offset) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = offset;
        }
        let high = offset + len as i32;
        if high > self.offset + self.counts.len() as i32 {
            self.counts.resize((high - self.offset) as usize, 0);
        }
        let start = (offset - self.offset) as usize;
        for (slot, c) in self.counts[start..].iter_mut().zip(counts) {
            *slot = slot.saturating_add(c);
        }
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
    sum: ExactSum,
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
            sum: ExactSum::default(),
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
    /// Adds one value (non-finite values are ignored). The sum is exact, so the mean (the exact
    /// sum rounded once, divided by the count) does not depend on the order values are added.
    pub fn add(&mut self, value: f64) {
        if !value.is_finite() {
            return;
        }
        self.count += 1;
        self.sum.add(value);
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
        if self.count == 0 { f64::NAN } else { self.sum.value() / self.count as f64 }
    }

    /// Adds another sketch's values to this one: the result is the sketch of both sets of values,
    /// identical to adding them one by one in any order.
    pub fn merge(&mut self, other: &Sketch) {
        if other.count == 0 {
            return;
        }
        self.count += other.count;
        self.sum.merge(&other.sum);
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.zeros += other.zeros;
        self.positive.merge(&other.positive);
        self.negative.merge(&other.negative);
    }

    /// Appends the sketch as little-endian bytes: count (u64), min, max (f64), zeros (u64), the
    /// exact sum (i16 lowest limb, u16 limbs, then each limb as i64), the positive and the negative
    /// buckets (i32 offset, u32 length, then each count as u32).
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.count.to_le_bytes());
        out.extend_from_slice(&self.min.to_le_bytes());
        out.extend_from_slice(&self.max.to_le_bytes());
        out.extend_from_slice(&self.zeros.to_le_bytes());
        self.sum.encode(out);
        for store in [&self.positive, &self.negative] {
            out.extend_from_slice(&store.offset.to_le_bytes());
            out.extend_from_slice(&(store.counts.len() as u32).to_le_bytes());
            for c in &store.counts {
                out.extend_from_slice(&c.to_le_bytes());
            }
        }
    }

    /// Adds a sketch written by [`Sketch::encode`] from the front of `bytes` (advancing it) without
    /// building it first: [`Sketch::merge`] of [`Sketch::decode`], without allocating. `None` when
    /// the bytes end early or hold impossible values (the sketch is then partly merged: callers
    /// discard it).
    pub fn merge_encoded(&mut self, bytes: &mut &[u8]) -> Option<()> {
        let (count, min, max, zeros) = take_header(bytes)?;
        self.sum.merge_encoded(bytes)?;
        for negative in [false, true] {
            let (offset, counts) = take_store(bytes)?;
            let store = if negative { &mut self.negative } else { &mut self.positive };
            store.merge_counts(offset, counts);
        }
        if count > 0 {
            self.count += count;
            self.min = self.min.min(min);
            self.max = self.max.max(max);
            self.zeros += zeros;
        }
        Some(())
    }

    /// Reads a sketch written by [`Sketch::encode`] from the front of `bytes`, advancing it;
    /// `None` when the bytes end early or hold impossible values.
    pub fn decode(bytes: &mut &[u8]) -> Option<Sketch> {
        let (count, min, max, zeros) = take_header(bytes)?;
        let mut sketch = Sketch { count, sum: ExactSum::default(), min, max, zeros, ..Sketch::default() };
        sketch.sum.merge_encoded(bytes)?;
        for negative in [false, true] {
            let (offset, counts) = take_store(bytes)?;
            let store = if negative { &mut sketch.negative } else { &mut sketch.positive };
            store.offset = offset;
            store.counts = counts.collect();
        }
        Some(sketch)
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

/// The first `N` bytes of `bytes`, advancing it.
fn take<const N: usize>(bytes: &mut &[u8]) -> Option<[u8; N]> {
    let (head, rest) = bytes.split_first_chunk::<N>()?;
    *bytes = rest;
    Some(*head)
}

/// The front of an encoded [`Sketch`]: count, min, max and zeros.
fn take_header(bytes: &mut &[u8]) -> Option<(u64, f64, f64, u64)> {
    let count = u64::from_le_bytes(take(bytes)?);
    let min = f64::from_le_bytes(take(bytes)?);
    let max = f64::from_le_bytes(take(bytes)?);
    Some((count, min, max, u64::from_le_bytes(take(bytes)?)))
}

/// One encoded bucket store: its offset and its counts; `None` when the bytes end early or
/// claim more than [`MAX_BUCKETS`].
fn take_store<'b>(bytes: &mut &'b [u8]) -> Option<(i32, impl ExactSizeIterator<Item = u32> + 'b)> {
    let offset = i32::from_le_bytes(take(bytes)?);
    let len = u32::from_le_bytes(take(bytes)?) as usize;
    if len > MAX_BUCKETS || bytes.len() < 4 * len {
        return None;
    }
    let (head, rest) = bytes.split_at(4 * len);
    *bytes = rest;
    Some((offset, head.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))))
}

/// Limbs of an [`ExactSum`]: 32 bits each over the whole range of f64 (2^-1074 to 2^1024, plus
/// 84 bits of headroom for a shifted mantissa).
const LIMBS: usize = 67;
/// The weight of limb 0 is 2^-1074, the smallest subnormal.
const LIMB_ZERO_EXPONENT: i32 = -1074;

/// The exact sum of finite f64 values as a fixed-point integer in 32-bit limbs (after Neal's
/// "small superaccumulator", arXiv:1505.05571). No summation crate exposes merging two partial
/// sums or their state, which sharded ensembles need, so this is the small part of it they use.
/// Each limb holds a signed i64 and takes at most 2^32 per value, so 2^31 values add before a
/// carry could overflow; [`ExactSum::add`] and [`ExactSum::merge`] normalise every 2^29 additions
/// to stay clear of it.
#[derive(Debug, Clone)]
pub struct ExactSum {
    limbs: [i64; LIMBS],
    /// Additions since the last normalisation (each added at most 2^32 to any limb).
    pending: u32,
}

/// Equal when the sums are equal (however they were carried).
impl PartialEq for ExactSum {
    fn eq(&self, other: &Self) -> bool {
        let (mut a, mut b) = (self.clone(), other.clone());
        a.normalise();
        b.normalise();
        a.limbs == b.limbs
    }
}

impl Eq for ExactSum {}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum { limbs: [0; LIMBS], pending: 0 }
    }
}

impl ExactSum {
    /// Adds a finite value exactly (non-finite values are ignored).
    pub fn add(&mut self, value: f64) {
        if !value.is_finite() || value == 0.0 {
            return;
        }
        let bits = value.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1u64 << 52) - 1);
        // value = mantissa * 2^(shift + LIMB_ZERO_EXPONENT), shift >= 0.
        let (mantissa, shift) =
            if biased == 0 { (fraction, 0) } else { (fraction | (1u64 << 52), biased - 1) };
        let (limb, within) = ((shift / 32) as usize, shift % 32);
        let wide = u128::from(mantissa) << within;
        let sign = if value < 0.0 { -1 } else { 1 };
        for k in 0..3 {
            let part = ((wide >> (32 * k)) & 0xffff_ffff) as i64;
            if part != 0 {
                self.limbs[limb + k] += sign * part;
            }
        }
        self.count_additions(1);
    }

    /// Adds another exact sum.
    pub fn merge(&mut self, other: &ExactSum) {
        if other.pending >= 1 << 29 {
            let mut other = other.clone();
            other.normalise();
            return self.merge(&other);
        }
        for (a, b) in self.limbs.iter_mut().zip(&other.limbs) {
            *a += b;
        }
        self.count_additions(other.pending.max(1));
    }

    fn count_additions(&mut self, n: u32) {
        self.pending = self.pending.saturating_add(n);
        if self.pending >= 1 << 29 {
            self.normalise();
        }
    }

    /// Carries so that every limb but the top one is in 0..2^32: one representation per value.
    fn normalise(&mut self) {
        for k in 0..LIMBS - 1 {
            let carry = self.limbs[k] >> 32;
            self.limbs[k] -= carry << 32;
            self.limbs[k + 1] += carry;
        }
        self.pending = 0;
    }

    /// The sum rounded to f64 (from the normalised limbs, top first, so the same exact sum always
    /// gives the same f64).
    pub fn value(&self) -> f64 {
        let mut n = self.clone();
        n.normalise();
        let mut total = 0.0;
        for k in (0..LIMBS).rev() {
            if n.limbs[k] != 0 {
                total += n.limbs[k] as f64 * pow2(32 * k as i32 + LIMB_ZERO_EXPONENT);
            }
        }
        total
    }

    /// Appends the normalised sum: i16 index of the lowest non-zero limb, u16 number of limbs,
    /// then the limbs as i64 (no limbs for zero).
    fn encode(&self, out: &mut Vec<u8>) {
        let mut n = self.clone();
        n.normalise();
        let low = n.limbs.iter().position(|&l| l != 0).unwrap_or(0);
        let high = n.limbs.iter().rposition(|&l| l != 0).map_or(0, |h| h + 1);
        out.extend_from_slice(&(low as i16).to_le_bytes());
        out.extend_from_slice(&(high.saturating_sub(low) as u16).to_le_bytes());
        for limb in n.limbs.iter().take(high).skip(low) {
            out.extend_from_slice(&limb.to_le_bytes());
        }
    }

    /// Adds an encoded (normalised) sum from the front of `bytes`, advancing it.
    fn merge_encoded(&mut self, bytes: &mut &[u8]) -> Option<()> {
        let low = usize::try_from(i16::from_le_bytes(take(bytes)?)).ok()?;
        let len = usize::from(u16::from_le_bytes(take(bytes)?));
        if low + len > LIMBS {
            return None;
        }
        for k in low..low + len {
            let limb = i64::from_le_bytes(take(bytes)?);
            // Normalised limbs are below 2^32 but the top one; refuse what no encoder writes.
            if k + 1 < low + len && !(0..1 << 32).contains(&limb) {
                return None;
            }
            if k + 1 == low + len && limb.unsigned_abs() >= 1 << 40 {
                return None;
            }
            self.limbs[k] += limb;
        }
        self.count_additions(1 << 8);
        Some(())
    }
}

/// 2^e for any e (subnormal and zero below 2^-1074, infinite above 2^1023).
fn pow2(e: i32) -> f64 {
    if e > 1023 {
        f64::INFINITY
    } else if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else if e >= -1074 {
        f64::from_bits(1u64 << (e + 1074))
    } else {
        0.0
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
    fn merged_halves_are_the_sketch_of_the_whole_bit_for_bit() {
        let values: Vec<f64> = (0..500).map(|i| (f64::from(i) * 0.731).sin() * 1e3 + 0.1).collect();
        let mut whole = Sketch::default();
        for &v in &values {
            whole.add(v);
        }
        let (mut left, mut right) = (Sketch::default(), Sketch::default());
        for &v in &values[..123] {
            left.add(v);
        }
        for &v in values[123..].iter().rev() {
            right.add(v);
        }
        // Round trip through the bytes of a partial result.
        let mut bytes = Vec::new();
        right.encode(&mut bytes);
        let mut slice = bytes.as_slice();
        let right = Sketch::decode(&mut slice).unwrap();
        assert!(slice.is_empty());
        let mut streamed = left.clone();
        streamed.merge_encoded(&mut bytes.as_slice()).unwrap();
        left.merge(&right);
        assert_eq!(left, whole);
        assert_eq!(streamed, whole);
        assert_eq!(left.mean().to_bits(), whole.mean().to_bits());
        // The exact sum: the naive sum of these in this order is off in its last bits.
        let mut e = ExactSum::default();
        for v in [1e16, 1.0, -1e16, 1.0] {
            e.add(v);
        }
        assert_eq!(e.value(), 2.0);
        let mut tiny = ExactSum::default();
        tiny.add(f64::MIN_POSITIVE / 8.0);
        tiny.add(-3.5e300);
        tiny.add(3.5e300);
        assert_eq!(tiny.value(), f64::MIN_POSITIVE / 8.0);
        assert!(Sketch::decode(&mut &bytes[..bytes.len() - 1]).is_none());
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
