//! The contents of the annual CBAM declaration (Reg. (EU) 2023/956 Art. 6(2)) beyond the quotes:
//! per good the direct and indirect values the declared SEE rests on, its legal basis, the
//! embedded direct and indirect emissions; the totals by CN code; and the notes every caller
//! prints (de minimis, quarterly holding). The command line and any other presentation layer
//! format these (docs/cbam-declare-format.md, "The annual declaration file").

use crate::cn::counts_indirect;
use crate::declare::{Declaration, DeclaredLine};
use crate::error::Result;
use crate::facts::Facts;
use crate::functional::per_tonne_of_good;
use crate::num::{add, mul, round_half_away};
use crate::obligation::{EmissionsInput, Note, NoteKind, Quote, Regime};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub const BASIS_DEFAULT: &str = "default values: Reg. (EU) 2023/956 Art. 7(2)(b) and Annex IV pt 4.1; IR (EU) \
                                 2025/2621 Annex I (Annex IV for precursors of unknown origin), mark-up as replaced \
                                 by IR (EU) 2026/1740";
pub const BASIS_ACTUAL: &str =
    "actual emissions: Reg. (EU) 2023/956 Art. 7(2)(a), Art. 8 (verified) and Annex IV; IR (EU) 2025/2547";
pub const BASIS_EXEMPT: &str =
    "outside the CBAM: Reg. (EU) 2023/956 Art. 2 and Annex III pt 1 (EU or exempt origin)";
pub const REF_FAA: &str =
    "Reg. (EU) 2023/956 Art. 31; IR (EU) 2025/2620 Annex (CBAM factor: Directive 2003/87/EC Art. 10a(1a))";
pub const REF_ART9: &str =
    "Reg. (EU) 2023/956 Art. 9 (carbon price effectively paid in the country of origin)";
pub const LEGAL_BASIS: &str = "Reg. (EU) 2023/956 Art. 6 as replaced by Reg. (EU) 2025/2083";
pub const REF_CERTIFICATES: &str =
    "Reg. (EU) 2023/956 Art. 6(2)(c), Art. 22(1); rounded up once to a whole certificate (design decision)";
pub const REF_DE_MINIMIS: &str = "Reg. (EU) 2023/956 Art. 2a";

/// One good of the declaration with the values its declared SEE rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualGood<'d> {
    pub line: &'d DeclaredLine,
    /// Direct and indirect SEE per tonne of good (None where the act gives none, e.g. indirect of
    /// Annex II goods, or an exempt line).
    pub see_direct: Option<Decimal>,
    pub see_indirect: Option<Decimal>,
    /// False for Annex II goods (direct emissions only, Art. 7).
    pub indirect_counted: bool,
    pub legal_reference: &'static str,
    pub embedded_direct: Option<Decimal>,
    /// Only where the indirect emissions count.
    pub embedded_indirect: Option<Decimal>,
}

/// The declaration's goods and the totals the quotes do not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualDeclaration<'d> {
    pub goods: Vec<AnnualGood<'d>>,
    /// Net mass by CN code (every line, liable or not).
    pub quantity_by_cn: BTreeMap<String, Decimal>,
    /// Embedded direct and counted indirect emissions of the liable lines.
    pub embedded_direct: Decimal,
    pub embedded_indirect: Decimal,
    /// 30 September of the following year (Art. 6(1)).
    pub due: String,
}

/// The annual declaration's goods and totals for a computed declaration.
pub fn annual_declaration<'d>(facts: &Facts, declaration: &'d Declaration) -> Result<AnnualDeclaration<'d>> {
    let mut goods = Vec::with_capacity(declaration.lines.len());
    let mut quantity_by_cn: BTreeMap<String, Decimal> = BTreeMap::new();
    let (mut embedded_direct, mut embedded_indirect) = (Decimal::ZERO, Decimal::ZERO);
    for line in &declaration.lines {
        let q = &line.quote;
        let indirect_counted = counts_indirect(&q.good);
        let (see_direct, see_indirect, legal_reference) = match (&line.emissions, q.data_path) {
            (_, "exempt") => (None, None, BASIS_EXEMPT),
            (EmissionsInput::Actual { direct, indirect, .. }, _) => (
                Some(per_tonne_of_good(&q.good, line.see_basis, *direct)?),
                indirect.map(|i| per_tonne_of_good(&q.good, line.see_basis, i)).transpose()?,
                BASIS_ACTUAL,
            ),
            (EmissionsInput::Default { .. }, _) => {
                let route = line.route.or_else(|| crate::functional::taric_route(&q.good));
                let row = crate::rules::default_value_for(facts, &q.good, q.origin, route)?.row;
                (row.direct, row.indirect, BASIS_DEFAULT)
            }
        };
        let direct = see_direct.map(|d| mul(d, q.tonnes, "embedded direct emissions")).transpose()?;
        let indirect = see_indirect
            .filter(|_| indirect_counted)
            .map(|i| mul(i, q.tonnes, "embedded indirect emissions"))
            .transpose()?;
        if line.liable {
            embedded_direct = add(embedded_direct, direct.unwrap_or_default(), "embedded direct emissions")?;
            embedded_indirect =
                add(embedded_indirect, indirect.unwrap_or_default(), "embedded indirect emissions")?;
        }
        let quantity = quantity_by_cn.entry(q.good.to_string()).or_default();
        *quantity = add(*quantity, q.tonnes, "quantity by CN code")?;
        goods.push(AnnualGood {
            line,
            see_direct,
            see_indirect,
            indirect_counted,
            legal_reference,
            embedded_direct: direct,
            embedded_indirect: indirect,
        });
    }
    Ok(AnnualDeclaration {
        goods,
        quantity_by_cn,
        embedded_direct,
        embedded_indirect,
        due: format!("{}-09-30", declaration.year + 1),
    })
}

/// The de minimis result of a declaration, said plainly.
pub fn de_minimis_note(declaration: &Declaration) -> Note {
    let dm = declaration.de_minimis;
    let text = if dm.exempt {
        format!(
            "de minimis (Art. 2a): {} t of Annex I goods (electricity and hydrogen aside) is within {} t: those lines \
             owe nothing; electricity and hydrogen stay liable",
            dm.counted_tonnes.normalize(),
            dm.threshold_tonnes
        )
    } else {
        format!(
            "de minimis (Art. 2a): {} t exceeds {} t: every line is liable, not only the excess",
            dm.counted_tonnes.normalize(),
            dm.threshold_tonnes
        )
    };
    Note { kind: NoteKind::Info, text }
}

/// The quarterly holding (Art. 22(2)) of a declaration's imports, as a note.
pub fn holding_note(exact: Decimal, whole: Decimal) -> Note {
    Note {
        kind: NoteKind::Info,
        text: format!(
            "quarterly holding (Art. 22(2)): if these are the imports to a quarter's end, hold at least {whole} \
             certificates ({} t: 50 % of embedded emissions on defaults without mark-up, less the FAA)",
            round_half_away(exact, 6).normalize()
        ),
    }
}

/// A one-import quote cannot apply the de minimis test, which is on the year's total: the note
/// that says so, for goods the test covers.
pub fn de_minimis_reminder(quote: &Quote) -> Option<Note> {
    (quote.sector.de_minimis_applies() && quote.regime == Regime::Eu && quote.data_path != "exempt").then(|| Note {
        kind: NoteKind::Info,
        text: "de minimis (Art. 2a): an importer whose Annex I goods (electricity and hydrogen aside) total 50 t or \
               less in the year owes nothing; the test is on the annual total (decarb cbam declare)"
            .into(),
    })
}
