//! Decimal helpers: checked arithmetic (an overflow is an error, never a panic) and the rounding
//! rules of docs/CBAM.md §11.

use crate::error::{Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// Round half away from zero to `dp` decimals: the rule of the published marked-up defaults
/// (1.325 x 1.3 = 1.7225 -> 1.723; banker's rounding would give 1.722).
pub fn round_half_away(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Whole certificates: the number is rounded up, the conservative design decision of §11
/// (no rounding rule is found in Reg. 2023/956).
pub fn certificates_ceiling(value: Decimal) -> Decimal {
    value.max(Decimal::ZERO).ceil()
}

pub fn mul(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| Error::Overflow { what: what.to_owned() })
}

pub fn add(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| Error::Overflow { what: what.to_owned() })
}

pub fn sub(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(|| Error::Overflow { what: what.to_owned() })
}

/// Division; a zero divisor is an input error named by `what`.
pub fn div(a: Decimal, b: Decimal, what: &str) -> Result<Decimal> {
    if b.is_zero() {
        return Err(Error::invalid(what, "0", "a non-zero divisor"));
    }
    a.checked_div(b).ok_or_else(|| Error::Overflow { what: what.to_owned() })
}

/// Parses a decimal written as text ("4.049", "-1.5", "1e3", "1 000"), never through f64.
pub fn parse_decimal(text: &str, what: &str) -> Result<Decimal> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '_' && *c != ' ').collect();
    if cleaned.is_empty() {
        return Err(Error::invalid(what, text, "a decimal number"));
    }
    let parsed = if cleaned.contains(['e', 'E']) {
        Decimal::from_scientific(&cleaned)
    } else {
        Decimal::from_str_exact(&cleaned).or_else(|_| Decimal::from_str(&cleaned))
    };
    parsed
        .map(|value| value.normalize())
        .map_err(|_| Error::invalid(what, text, "a decimal number such as 4.049"))
}

/// A quantity that must not be negative (tonnes, SEE, prices).
pub fn non_negative(value: Decimal, what: &str) -> Result<Decimal> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::invalid(what, value, "a value of zero or more"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    #[test]
    fn half_away_from_zero_matches_the_published_marked_up_defaults() {
        assert_eq!(round_half_away(d("1.325") * d("1.3"), 3), d("1.723"));
        assert_eq!(round_half_away(d("3.715") * d("1.1"), 3), d("4.087"));
        // The trap: banker's rounding gives the wrong published digit.
        assert_eq!((d("1.325") * d("1.3")).round_dp(3), d("1.722"));
    }

    #[test]
    fn certificates_round_up_and_never_go_negative() {
        assert_eq!(certificates_ceiling(d("3372.25")), d("3373"));
        assert_eq!(certificates_ceiling(d("3372")), d("3372"));
        assert_eq!(certificates_ceiling(d("-4")), d("0"));
    }

    #[test]
    fn parsing_is_exact_and_rejects_garbage() {
        assert_eq!(parse_decimal(" 4.049 ", "x").unwrap(), d("4.049"));
        assert_eq!(parse_decimal("1e3", "x").unwrap(), d("1000"));
        assert!(parse_decimal("abc", "x").is_err());
        assert!(parse_decimal("", "x").is_err());
        assert!(parse_decimal("1e40", "x").is_err());
        assert!(mul(Decimal::MAX, d("2"), "x").is_err());
    }
}
