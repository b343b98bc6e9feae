//! The JSON of `decarb cbam`: quotes, declarations and the annual declaration document
//! (docs/cbam-declare-format.md), formatted from decarb-cbam's results.

use decarb_cbam::annual::{self, AnnualDeclaration};
use decarb_cbam::num::round_half_away;
use decarb_cbam::{Declaration, Note, Quote};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// A decimal as a JSON number. serde_json prints the shortest text that reads back as the same
/// f64, which is the decimal's own text for the ≤ 15 significant digits of these quantities.
pub(super) fn number(value: Decimal) -> Value {
    if value.fract().is_zero()
        && let Ok(whole) = i64::try_from(value.trunc())
    {
        return Value::from(whole);
    }
    value
        .normalize()
        .to_string()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

pub(super) fn notes_json(notes: &[Note]) -> Value {
    Value::Array(notes.iter().map(|n| json!({ "kind": n.kind, "text": n.text })).collect())
}

pub(super) fn quote_json(quote: &Quote) -> Value {
    let eu = quote.currency == "EUR";
    json!({
        "regime": quote.regime,
        "good": quote.good.to_string(),
        "sector": quote.sector.as_str(),
        "origin": quote.origin.to_string(),
        "year": quote.year,
        "production_year": quote.production_year,
        "tonnes": number(quote.tonnes),
        "data_path": quote.data_path,
        "see_declared_t_per_t": number(quote.see_declared),
        "sefa_t_per_t": number(quote.sefa),
        "embedded_tco2": number(quote.embedded_tco2),
        "free_allocation_adjustment_tco2": number(quote.free_allocation_adjustment_tco2),
        "carbon_price_deduction_tco2": number(quote.carbon_price_deduction_tco2),
        "certificates_exact": number(quote.certificates_exact),
        "certificates": quote.certificates.map_or(Value::Null, number),
        "certificate_price": number(quote.price),
        "price_period": quote.price_period,
        "currency": quote.currency,
        "cost_eur": if eu { number(quote.cost) } else { Value::Null },
        "cost_eur_per_tonne": if eu { number(quote.cost_per_tonne) } else { Value::Null },
        "cost_gbp": if eu { Value::Null } else { number(quote.cost) },
        "cost_gbp_per_tonne": if eu { Value::Null } else { number(quote.cost_per_tonne) },
        "steps": quote.steps.iter().map(|s| json!({
            "step": s.name, "formula": s.formula, "value": number(s.value), "unit": s.unit, "basis": s.basis,
        })).collect::<Vec<_>>(),
        "notes": notes_json(&quote.notes),
    })
}

/// The notes without repeats, in order.
fn unique(notes: &[Note]) -> Vec<Note> {
    notes.iter().collect::<BTreeSet<_>>().into_iter().cloned().collect()
}

/// The complete annual declaration (Reg. (EU) 2023/956 Art. 6(2)) as documented JSON
/// (docs/cbam-declare-format.md, "The annual declaration file").
pub(super) fn annual_declaration_json(
    declaration: &Declaration,
    annual: &AnnualDeclaration<'_>,
    declarant: &str,
    declarant_id: Option<&str>,
    holding: Option<Decimal>,
    notes: &[Note],
) -> Value {
    let opt = |v: Option<Decimal>| v.map_or(Value::Null, number);
    let goods: Vec<Value> = annual
        .goods
        .iter()
        .map(|good| {
            let (line, q) = (good.line, &good.line.quote);
            json!({
                "line": line.line,
                "line_id": line.label,
                "cn_code": q.good.to_string(),
                "sector": q.sector,
                "origin": q.origin.to_string(),
                "installation": line.installation,
                "quantity_tonnes": number(q.tonnes),
                "emissions_basis": q.data_path,
                "legal_reference": good.legal_reference,
                "see_direct_t_per_t": opt(good.see_direct),
                "see_indirect_t_per_t": opt(good.see_indirect),
                "indirect_counted": good.indirect_counted,
                "see_declared_t_per_t": number(q.see_declared),
                "embedded_direct_tco2": opt(good.embedded_direct),
                "embedded_indirect_tco2": opt(good.embedded_indirect),
                "embedded_tco2": number(q.embedded_tco2),
                "deductions": {
                    "free_allocation_adjustment_tco2": number(q.free_allocation_adjustment_tco2),
                    "free_allocation_reference": annual::REF_FAA,
                    "sefa_t_per_t": number(q.sefa),
                    "carbon_price_paid_eur_per_t": opt(line.carbon_price_paid),
                    "carbon_price_deduction_tco2": number(q.carbon_price_deduction_tco2),
                    "carbon_price_reference": annual::REF_ART9,
                },
                "certificates_exact": number(q.certificates_exact),
                "certificate_price_eur": number(q.price),
                "price_period": q.price_period,
                "cost_eur": number(round_half_away(q.cost, 2)),
                "liable": line.liable,
            })
        })
        .collect();
    json!({
        "document": "CBAM annual declaration",
        "format": "decarb-cbam-declaration/1",
        "legal_basis": annual::LEGAL_BASIS,
        "declarant": { "name": declarant, "id": declarant_id },
        "year": declaration.year,
        "due": annual.due,
        "de_minimis": {
            "counted_tonnes": number(declaration.de_minimis.counted_tonnes),
            "threshold_tonnes": number(declaration.de_minimis.threshold_tonnes),
            "exempt": declaration.de_minimis.exempt,
            "legal_reference": annual::REF_DE_MINIMIS,
        },
        "goods": goods,
        "totals": {
            "quantity_by_cn_tonnes": annual.quantity_by_cn.iter().map(|(k, v)| (k.clone(), number(*v))).collect::<serde_json::Map<_, _>>(),
            "embedded_direct_tco2": number(annual.embedded_direct),
            "embedded_indirect_tco2": number(annual.embedded_indirect),
            "embedded_tco2": number(declaration.embedded_tco2),
            "free_allocation_adjustment_tco2": number(declaration.free_allocation_adjustment_tco2),
            "carbon_price_deduction_tco2": number(declaration.carbon_price_deduction_tco2),
            "certificates_exact": number(declaration.certificates_exact),
            "certificates_to_surrender": number(declaration.certificates),
            "certificates_reference": annual::REF_CERTIFICATES,
            "cost_eur": number(round_half_away(declaration.cost_eur, 2)),
            "quarterly_holding_certificates": holding.map_or(Value::Null, number),
        },
        "notes": notes_json(&unique(notes)),
    })
}

pub(super) fn declaration_json(declaration: &Declaration, notes: &[Note]) -> Value {
    json!({
        "year": declaration.year,
        "de_minimis": {
            "counted_tonnes": number(declaration.de_minimis.counted_tonnes),
            "threshold_tonnes": number(declaration.de_minimis.threshold_tonnes),
            "exempt": declaration.de_minimis.exempt,
        },
        "lines": declaration.lines.iter().map(|line| {
            let mut value = quote_json(&line.quote);
            if let Value::Object(map) = &mut value {
                map.insert("line".into(), json!(line.line));
                map.insert("line_id".into(), json!(line.label));
                map.insert("liable".into(), json!(line.liable));
                map.remove("steps");
                map.remove("notes");
            }
            value
        }).collect::<Vec<_>>(),
        "totals": {
            "embedded_tco2": number(declaration.embedded_tco2),
            "free_allocation_adjustment_tco2": number(declaration.free_allocation_adjustment_tco2),
            "carbon_price_deduction_tco2": number(declaration.carbon_price_deduction_tco2),
            "certificates_exact": number(declaration.certificates_exact),
            "certificates": number(declaration.certificates),
            "cost_eur": number(declaration.cost_eur),
        },
        "notes": notes_json(&unique(notes)),
    })
}
