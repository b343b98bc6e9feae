//! Properties of the obligation over arbitrary inputs: no panic on any number (negative, zero,
//! huge), never negative, more tonnes or more emissions never cost less, later years (through the
//! phase-out) never cost less, and carbon price paid reduces the cost one for one up to the
//! liability.

use decarb_cbam::{BeyondPublished, CnCode, EmissionsInput, Facts, Origin, QuoteRequest, Regime, quote};
use proptest::prelude::*;
use rust_decimal::Decimal;

const GOODS: &[&str] = &[
    "7208",
    "7208 51 20",
    "7207 19 12",
    "7601 10 00",
    "2804 10 00",
    "2523 29 00",
    "7206 10 00",
    "7203 10 00",
];
const ORIGINS: &[&str] = &["IND", "CHN", "TUR", "DEU", "NOR", "MEX", "OTHER", "KOR", "USA"];

/// Any decimal: mantissa over the whole 96-bit range, any scale, either sign.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i128>(), 0u32..=28).prop_map(|(m, scale)| {
        let m = m % 79_228_162_514_264_337_593_543_950_335i128;
        Decimal::from_i128_with_scale(m, scale)
    })
}

/// Mostly ordinary magnitudes (so that most quotes succeed), sometimes anything at all.
fn mixed_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        3 => (-1_000_000i64..100_000_000_000).prop_map(|m| Decimal::new(m, 3)),
        1 => any_decimal(),
        1 => Just(Decimal::ZERO),
        1 => Just(Decimal::MAX),
    ]
}

/// A sensible non-negative decimal with up to 6 decimals.
fn amount(max: i64) -> impl Strategy<Value = Decimal> {
    (0..=max * 1_000_000).prop_map(|m| Decimal::new(m, 6))
}

fn base(good: &str, origin: &str, tonnes: Decimal, year: i32) -> QuoteRequest {
    let mut request =
        QuoteRequest::new(CnCode::parse(good).unwrap(), Origin::parse(origin).unwrap(), tonnes, year);
    request.correction_factor = Some(Decimal::ONE);
    request.certificate_price = Some(Decimal::new(7536, 2));
    request.beyond_published = BeyondPublished::HoldLast;
    request
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_panic_and_never_negative_for_any_numbers(
        good in prop::sample::select(GOODS),
        origin in prop::sample::select(ORIGINS),
        tonnes in mixed_decimal(),
        see in mixed_decimal(),
        indirect in prop::option::of(mixed_decimal()),
        bm in prop::option::of(mixed_decimal()),
        cp in prop::option::of(mixed_decimal()),
        price in prop::option::of(mixed_decimal()),
        cscf in prop::option::of(mixed_decimal()),
        uk_fa in prop::option::of(mixed_decimal()),
        year in prop_oneof![3 => 2026i32..=2036, 1 => -5i32..3000],
        actual in any::<bool>(),
        uk in any::<bool>(),
    ) {
        let facts = Facts::bundled().unwrap();
        let mut request = QuoteRequest::new(CnCode::parse(good).unwrap(), Origin::parse(origin).unwrap(), tonnes, year);
        if actual {
            request.emissions = EmissionsInput::Actual { direct: see, indirect, precursor_sefa: None };
        }
        request.benchmark = bm;
        request.carbon_price_paid = cp;
        request.certificate_price = price;
        request.correction_factor = cscf;
        request.uk_free_allocation = uk_fa;
        request.regime = if uk { Regime::Uk } else { Regime::Eu };
        let result = quote(facts, &request);
        if let Ok(quote) = result {
            prop_assert!(quote.certificates_exact >= Decimal::ZERO);
            prop_assert!(quote.cost >= Decimal::ZERO);
            prop_assert!(quote.free_allocation_adjustment_tco2 <= quote.embedded_tco2);
        }
    }

    #[test]
    fn more_tonnes_never_cost_less(
        good in prop::sample::select(GOODS),
        origin in prop::sample::select(ORIGINS),
        t1 in amount(1_000_000),
        extra in amount(1_000_000),
        year in 2026i32..=2034,
    ) {
        let facts = Facts::bundled().unwrap();
        let small = quote(facts, &base(good, origin, t1, year));
        let large = quote(facts, &base(good, origin, t1 + extra, year));
        if let (Ok(small), Ok(large)) = (small, large) {
            prop_assert!(large.cost >= small.cost);
            prop_assert!(large.certificates.unwrap_or_default() >= small.certificates.unwrap_or_default());
        }
    }

    #[test]
    fn more_embedded_emissions_never_cost_less(
        good in prop::sample::select(GOODS),
        see in amount(40),
        extra in amount(40),
        cp in prop::option::of(amount(200)),
        year in 2026i32..=2034,
    ) {
        let facts = Facts::bundled().unwrap();
        let at = |direct: Decimal| {
            let mut request = base(good, "TUR", Decimal::from(1000), year);
            request.emissions = EmissionsInput::Actual { direct, indirect: None, precursor_sefa: None };
            request.benchmark = Some(Decimal::new(1370, 3));
            request.carbon_price_paid = cp;
            quote(facts, &request)
        };
        if let (Ok(low), Ok(high)) = (at(see), at(see + extra)) {
            // The Art. 9 deduction grows with emissions too, so compare before it.
            let before = |q: &decarb_cbam::Quote| q.embedded_tco2 - q.free_allocation_adjustment_tco2;
            prop_assert!(before(&high) >= before(&low));
            if cp.is_none() {
                prop_assert!(high.cost >= low.cost);
            }
        }
    }

    #[test]
    fn later_years_never_cost_less_through_the_phase_out(
        good in prop::sample::select(GOODS),
        origin in prop::sample::select(ORIGINS),
        year in 2026i32..2034,
        actual in prop::option::of(amount(20)),
    ) {
        let facts = Facts::bundled().unwrap();
        let at = |year: i32| {
            let mut request = base(good, origin, Decimal::ONE, year);
            if let Some(direct) = actual {
                request.emissions = EmissionsInput::Actual { direct, indirect: None, precursor_sefa: None };
                request.route = Some('C');
            }
            quote(facts, &request)
        };
        if let (Ok(now), Ok(next)) = (at(year), at(year + 1)) {
            prop_assert!(next.cost >= now.cost, "{year}: {} then {}", now.cost, next.cost);
        }
    }

    #[test]
    fn carbon_price_paid_reduces_cost_one_for_one_up_to_the_liability(
        see in amount(30),
        cp in amount(300),
        tonnes in amount(10_000),
        year in 2026i32..=2034,
    ) {
        let facts = Facts::bundled().unwrap();
        let at = |paid: Option<Decimal>| {
            let mut request = base("7208", "TUR", tonnes, year);
            request.emissions = EmissionsInput::Actual { direct: see, indirect: None, precursor_sefa: None };
            request.benchmark = Some(Decimal::new(1370, 3));
            request.carbon_price_paid = paid;
            quote(facts, &request).unwrap()
        };
        let without = at(None);
        let with = at(Some(cp));
        let expected = (without.cost - without.embedded_tco2 * cp).max(Decimal::ZERO);
        let tolerance = Decimal::new(1, 12) * (Decimal::ONE + without.cost);
        prop_assert!((with.cost - expected).abs() <= tolerance, "{} vs {}", with.cost, expected);
    }
}
