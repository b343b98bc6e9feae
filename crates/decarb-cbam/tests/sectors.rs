//! Issue 19 item 4: the sectors with their own rules (clinker's functional unit, fertilisers'
//! nitrogen, electricity), each on an example computed by hand from the legal text. Every test
//! states its computation; the table values are IR (EU) 2025/2621 Annex I as adopted and IR (EU)
//! 2025/2620 Annex pt 5.3 (the bundled tables), CBAM factor 0.975 in 2026 (Directive 2003/87/EC
//! Art. 10a(1a)), CSCF 1.

use decarb_cbam::{CnCode, EmissionsInput, Error, Facts, Origin, QuoteRequest, SeeBasis, quote};
use rust_decimal::Decimal;

fn d(text: &str) -> Decimal {
    Decimal::from_str_exact(text).unwrap()
}

fn request(good: &str, origin: &str, tonnes: &str) -> QuoteRequest {
    let mut request =
        QuoteRequest::new(CnCode::parse(good).unwrap(), Origin::parse(origin).unwrap(), d(tonnes), 2026);
    request.correction_factor = Some(Decimal::ONE);
    request.certificate_price = Some(d("75.36"));
    request
}

/// Grey clinker from Ukraine, 1 000 t, 2026, per tonne of clinker (the functional unit of CN
/// 2523 10 00 is its own tonne): Annex I Ukraine grey clinker (A) 1.370 × 1.1 = 1.507; Column B
/// (A) 0.666 × 0.975 = 0.64935; 1 000 × (1.507 − 0.64935) = 857.65 t; × 75.36 = EUR 64,632.50
/// (64,632.504). The TARIC code 2523 10 00 90 (IR 2026/1740, grey) selects route A by itself.
#[test]
fn grey_clinker_from_ukraine_per_tonne_of_clinker() {
    let facts = Facts::bundled().unwrap();
    for (good, route) in [("2523 10 00", Some('A')), ("2523100090", None)] {
        let mut r = request(good, "UKR", "1000");
        r.route = route;
        let q = quote(facts, &r).unwrap();
        assert_eq!(q.see_declared, d("1.507"), "{good}");
        assert_eq!(q.sefa, d("0.64935"), "{good}");
        assert_eq!(q.certificates_exact, d("857.65"), "{good}");
        assert_eq!(q.cost.round_dp(2), d("64632.50"), "{good}");
    }
    // Without a route or TARIC code the two clinker rows are ambiguous: an error, not a guess.
    let err = quote(facts, &request("2523 10 00", "UKR", "1000")).unwrap_err().to_string();
    assert!(err.contains("route") || err.contains("--route"), "{err}");
    // A TARIC code and a contradicting route: an error naming the field and the act.
    let mut r = request("2523100010", "UKR", "1000");
    r.route = Some('A');
    let err = quote(facts, &r).unwrap_err().to_string();
    assert!(err.starts_with("route") && err.contains("2026/1740"), "{err}");
}

/// White clinker from Ukraine: Annex I prints "–", so the 'Other countries' white clinker (B)
/// 1.370 applies, said in a note: 1.370 × 1.1 = 1.507; Column B (B) 0.859 × 0.975 = 0.837525;
/// net 0.669475 t per t clinker.
#[test]
fn white_clinker_from_ukraine_falls_to_other_countries_with_a_note() {
    let facts = Facts::bundled().unwrap();
    let q = quote(facts, &request("2523100010", "UKR", "1")).unwrap();
    assert_eq!((q.see_declared, q.sefa, q.certificates_exact), (d("1.507"), d("0.837525"), d("0.669475")));
    assert!(q.notes.iter().any(|n| n.text.contains("'–'")), "{:?}", q.notes);
}

/// Grey cement whose actual values are per tonne of clinker contained: 0.85 direct and 0.04
/// indirect per t clinker, 75 % clinker: 0.6375 + 0.03 = 0.6675 t per t cement (indirect counts:
/// cement is outside Annex II); Column A of 2523 29 00 is 0.000 (IR 2620 pt 5.3), so SEFA 0 and
/// 100 t owe 66.75 certificates.
#[test]
fn cement_actual_values_per_tonne_of_clinker_contained() {
    let facts = Facts::bundled().unwrap();
    let mut r = request("2523 29 00", "IND", "100");
    r.emissions =
        EmissionsInput::Actual { direct: d("0.85"), indirect: Some(d("0.04")), precursor_sefa: None };
    r.see_basis = SeeBasis::PerTonneOfClinker { clinker_content: d("0.75") };
    let q = quote(facts, &r).unwrap();
    assert_eq!(q.see_declared, d("0.6675"));
    assert_eq!(q.certificates_exact, d("66.7500"));
    assert!(q.steps.iter().any(|s| s.name == "see_basis"));
}

/// Ammonium nitrate (3102 30 90) from India, 100 t, 2026, default values per tonne of product:
/// 2.340 × 1.01 = 2.3634 → 2.363 (three decimals, half away); Column B 0.767 × 0.975 =
/// 0.747825; 100 × (2.363 − 0.747825) = 161.5175 t; × 75.36 = EUR 12,171.96 (12,171.9588).
#[test]
fn ammonium_nitrate_from_india_on_default_values() {
    let facts = Facts::bundled().unwrap();
    let q = quote(facts, &request("3102 30 90", "IND", "100")).unwrap();
    assert_eq!(q.see_declared, d("2.363"));
    assert_eq!(q.certificates_exact, d("161.517500"));
    assert_eq!(q.cost.round_dp(2), d("12171.96"));
    // The N content converts actual values only: with defaults it is a contradiction.
    let mut r = request("3102 30 90", "IND", "100");
    r.see_basis = SeeBasis::PerTonneOfNitrogen { nitrogen_content: d("0.34") };
    assert!(matches!(quote(facts, &r), Err(Error::Conflict(_))));
}

/// Urea (3102 10 19, 46 % N) from Egypt whose operator reports per tonne of nitrogen: 1.60
/// direct and 0.05 indirect t CO2e per t N × 0.46 = 0.736 + 0.023 = 0.759 t per t urea; Column A
/// 0.053 × 0.975 = 0.051675; net 0.707325 t per t urea.
#[test]
fn urea_actual_values_per_tonne_of_nitrogen() {
    let facts = Facts::bundled().unwrap();
    let mut r = request("3102 10 19", "EGY", "1");
    r.emissions =
        EmissionsInput::Actual { direct: d("1.60"), indirect: Some(d("0.05")), precursor_sefa: None };
    r.see_basis = SeeBasis::PerTonneOfNitrogen { nitrogen_content: d("0.46") };
    let q = quote(facts, &r).unwrap();
    assert_eq!(q.see_declared, d("0.759"));
    assert_eq!(q.sefa, d("0.051675"));
    assert_eq!(q.certificates_exact, d("0.707325"));
    // 46 is a percentage, not a fraction: an error naming the field and the act.
    r.see_basis = SeeBasis::PerTonneOfNitrogen { nitrogen_content: d("46") };
    let err = quote(facts, &r).unwrap_err().to_string();
    assert!(err.starts_with("nitrogen content") && err.contains("2025/2547"), "{err}");
}

/// Imported electricity from Serbia on default values, 1 000 MWh, 2026, with a user-supplied
/// Annex III row of 0.900 t CO2/MWh (a test value: the annex is IEA data and not bundled):
/// 1 000 × 0.900 = 900 t embedded, no mark-up, free-allocation adjustment 0 (IR 2620 Art. 1(2)),
/// 900 certificates, × 75.36 = EUR 67,824.
#[test]
fn electricity_default_is_mwh_times_the_annex_iii_factor() {
    let bundled = Facts::bundled().unwrap();
    let r = request("2716 00 00", "SRB", "1000");
    let err = quote(bundled, &r).unwrap_err().to_string();
    assert!(err.contains("Annex III") && err.contains("CC BY-NC-SA 4.0"), "{err}");
    let facts = bundled
        .with_electricity_factors(
            "iso2,country,ef,unit,status,source\nRS,Serbia,0.900,t CO2/MWh,test,test row (not the act's value)\n",
            "annex3.csv",
        )
        .unwrap();
    let q = quote(&facts, &r).unwrap();
    assert_eq!((q.see_declared, q.sefa, q.embedded_tco2), (d("0.900"), Decimal::ZERO, d("900.000")));
    assert_eq!(q.cost.round_dp(2), d("67824.00"));
    // A country the file does not list: an error naming the country and the annex.
    let err = quote(&facts, &request("2716 00 00", "MAR", "1")).unwrap_err().to_string();
    assert!(err.contains("MAR") && err.contains("Annex III"), "{err}");
}
