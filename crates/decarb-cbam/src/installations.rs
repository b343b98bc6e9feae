//! Installation data for complex goods (issue 19 item 5; docs/cbam-declare-format.md,
//! "Installation data"): a CSV of production processes and their precursors, read into
//! [`Process`] records for [`crate::emissions::specific_embedded_emissions`] (IR (EU) 2025/2547
//! Annex III B, Eqs. 59-63); the precursors' share of the free-allocation adjustment
//! ([`precursor_sefa`], IR (EU) 2025/2620 Annex pt 3.3, Eq. 4); and [`apply`], which gives the
//! import lines that name a process their actual values from it.

use crate::cn::{CnCode, is_scrap};
use crate::declare::{DeclareOptions, ImportLine};
use crate::emissions::{Precursor, PrecursorSource, Process, SeeOptions, specific_embedded_emissions};
use crate::error::{Error, LineError, Result};
use crate::facts::Facts;
use crate::num::{add, mul};
use crate::obligation::{DEFAULT_CORRECTION_FACTOR, EmissionsInput, Note, NoteKind};
use crate::origin::Origin;
use crate::rows::{self, Cells};
use crate::rules::{BeyondPublished, Column, benchmark, cbam_factor, default_value_for};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Read;

/// Every column of the installations file.
pub const COLUMNS: &[&str] = &[
    "process_id",
    "kind",
    "cn_code",
    "attributed_direct_tco2",
    "attributed_indirect_tco2",
    "activity_level",
    "precursor_cn_code",
    "produced_in",
    "mass_per_unit",
    "source",
    "source_process",
    "see_direct",
    "see_indirect",
    "verified",
    "waste",
    "route",
    "sefa",
];

const REF: &str = "IR (EU) 2025/2547 Annex III B";

/// One row of the installations file as written (every cell text, an empty cell `None`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct InstallationRow {
    process_id: Option<String>,
    kind: Option<String>,
    cn_code: Option<String>,
    attributed_direct_tco2: Option<String>,
    attributed_indirect_tco2: Option<String>,
    activity_level: Option<String>,
    precursor_cn_code: Option<String>,
    produced_in: Option<String>,
    mass_per_unit: Option<String>,
    source: Option<String>,
    source_process: Option<String>,
    see_direct: Option<String>,
    see_indirect: Option<String>,
    verified: Option<String>,
    waste: Option<String>,
    route: Option<String>,
    sefa: Option<String>,
}

impl Cells {
    /// A cell the row's kind requires.
    fn need<'r>(&mut self, column: &str, text: Option<&'r String>) -> Option<&'r String> {
        if text.is_none() {
            self.fail(column, format!("{column}: required on this row ({REF})"));
        }
        text
    }

    /// A required quantity of zero or more.
    fn quantity(&mut self, column: &str, text: Option<&String>) -> Option<Decimal> {
        let text = self.need(column, text)?;
        match self.number(column, Some(text))? {
            v if v < Decimal::ZERO => {
                self.fail(
                    column,
                    format!("{column}: found {text:?}, expected a value of zero or more ({REF})"),
                );
                None
            }
            v => Some(v),
        }
    }

    /// An optional quantity: zero when empty.
    fn quantity_or_zero(&mut self, column: &str, text: Option<&String>) -> Option<Decimal> {
        if text.is_none() { Some(Decimal::ZERO) } else { self.quantity(column, text) }
    }

    fn cn(&mut self, column: &str, text: Option<&String>) -> Option<CnCode> {
        let text = self.need(column, text)?;
        self.check(column, CnCode::parse(text))
    }
}

fn yes(text: Option<&String>) -> bool {
    text.is_some_and(|t| t.eq_ignore_ascii_case("yes") || t.eq_ignore_ascii_case("true"))
}

/// A `process` row.
fn process_row(id: String, r: &InstallationRow, c: &mut Cells) -> Option<Process> {
    let cn = c.cn("cn_code", r.cn_code.as_ref());
    let direct = c.quantity("attributed_direct_tco2", r.attributed_direct_tco2.as_ref());
    let indirect = c.quantity_or_zero("attributed_indirect_tco2", r.attributed_indirect_tco2.as_ref());
    let level = c.quantity("activity_level", r.activity_level.as_ref());
    if level.is_some_and(|l| l.is_zero()) {
        c.fail("activity_level", format!("activity_level: found 0, expected more than 0 ({REF}, Eq. 59)"));
    }
    let route = r.route.as_deref().and_then(|t| c.check("route", crate::declare::parse_route(t)));
    Some(Process {
        id,
        cn: cn?,
        attributed_direct: direct?,
        attributed_indirect: indirect?,
        activity_level: level?,
        precursors: Vec::new(),
        route,
    })
}

/// A `precursor` row.
fn precursor_row(r: &InstallationRow, c: &mut Cells) -> Option<Precursor> {
    let cn = c.cn("precursor_cn_code", r.precursor_cn_code.as_ref());
    let produced_in =
        c.need("produced_in", r.produced_in.as_ref()).and_then(|t| c.check("produced_in", Origin::parse(t)));
    let mass = c.quantity("mass_per_unit", r.mass_per_unit.as_ref());
    let verified = yes(r.verified.as_ref());
    let source = match r.source.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("default") => Some(PrecursorSource::Default),
        Some("process") => c
            .need("source_process", r.source_process.as_ref())
            .map(|p| PrecursorSource::Process { id: p.clone(), verified }),
        Some("stated") => {
            let direct = c.quantity("see_direct", r.see_direct.as_ref());
            let indirect = c.quantity_or_zero("see_indirect", r.see_indirect.as_ref());
            direct.zip(indirect).map(|(direct, indirect)| PrecursorSource::Stated {
                direct,
                indirect,
                verified,
            })
        }
        Some(other) => {
            c.fail("source", format!("source: found {other:?}, expected default, process or stated"));
            None
        }
    };
    let sefa = r.sefa.as_ref().map(|_| c.quantity("sefa", r.sefa.as_ref()));
    if sefa.is_some() && !verified {
        c.fail(
            "sefa",
            format!("sefa: a supplier's free allocation is used only when verified (verified = yes; {REF})"),
        );
    }
    Some(Precursor {
        cn: cn?,
        produced_in: produced_in?,
        mass_per_unit: mass?,
        source: source?,
        is_waste_or_by_product: yes(r.waste.as_ref()),
        sefa: sefa.map_or(Some(None), |s| s.map(Some))?,
    })
}

/// Reads an installations CSV: `kind` = `process` rows (one per process id) and `precursor` rows
/// (one per precursor of a process). Every bad cell is reported, with its line and column.
pub fn read_installations(reader: impl Read, file: &str) -> Result<Vec<Process>> {
    let (mut csv, keys) = rows::open(reader, file, COLUMNS, &["process_id", "kind"])?;
    let mut processes: Vec<Process> = Vec::new();
    let mut precursors: Vec<(u64, String, Precursor)> = Vec::new();
    let mut errors = Vec::new();
    for record in rows::records::<InstallationRow, _>(&mut csv, &keys) {
        let (line, row, r) = match record {
            Ok(parsed) => parsed,
            Err(bad) => {
                errors.push(bad);
                continue;
            }
        };
        let mut c = Cells::new(line, row);
        let Some(id) = r.process_id.clone() else {
            c.fail("process_id", format!("process_id: required ({REF})"));
            errors.append(&mut c.errors);
            continue;
        };
        match r.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("process") => {
                if processes.iter().any(|p| p.id == id) {
                    c.fail("process_id", format!("process_id: {id:?} has two process rows"));
                }
                if let Some(process) = process_row(id, &r, &mut c) {
                    processes.push(process);
                }
            }
            Some("precursor") => {
                if let Some(precursor) = precursor_row(&r, &mut c) {
                    precursors.push((line, id, precursor));
                }
            }
            other => c.fail(
                "kind",
                format!("kind: found {:?}, expected process or precursor", other.unwrap_or("")),
            ),
        }
        errors.append(&mut c.errors);
    }
    for (line, id, precursor) in precursors {
        match processes.iter_mut().find(|p| p.id == id) {
            Some(process) => process.precursors.push(precursor),
            None => errors.push(LineError {
                line,
                row: line - 1,
                column: "process_id".into(),
                message: format!("process_id: the precursor's process {id:?} has no process row"),
            }),
        }
    }
    if errors.is_empty() { Ok(processes) } else { Err(Error::Lines { file: file.to_owned(), errors }) }
}

/// What the precursors' free allocation depends on besides the installations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SefaContext {
    /// Year of import: the CBAM factor.
    pub year: i32,
    /// Year of production: the benchmark band (the precursors' year y' is taken to be the complex
    /// good's year of production, IR 2025/2547 Art. 13 default).
    pub production_year: i32,
    /// CSCF (1, the flagged placeholder, when unpublished).
    pub correction_factor: Decimal,
    pub beyond_published: BeyondPublished,
}

/// The precursors' share of the specific free allocation of process `root`, Σ_i m_i × SEFA_i
/// (IR 2025/2620 Annex pt 3.3, Eq. 4; docs/CBAM.md §5.3), and one line of explanation per
/// precursor. SEFA_i is, recursively:
///
/// * where the supplier states its verified SEFA_i (`sefa` column, `verified = yes`): that value;
/// * for a precursor made by a verified process of the file: CBAM factor × CSCF × its Column A
///   benchmark (BM*, the process's own route) plus its own precursors' share;
/// * for any other precursor (default values, a supplier's stated values, an unverified claim):
///   the Column B benchmark (BM) of its CN code for its country's default production route
///   (IR 2025/2621 Annex I), × CBAM factor × CSCF: the act's fallback "failing the producer's
///   verified value";
/// * zero for precursors of EU or Annex III pt 1 origin, scrap, by-products and waste: their
///   embedded emissions count as zero (docs/CBAM.md §3.6 rule 3), so no free allocation is
///   adjusted for them (decarb's reading; the act states no SEFA for them).
pub fn precursor_sefa(
    facts: &Facts,
    processes: &[Process],
    root: &str,
    context: &SefaContext,
) -> Result<(Decimal, Vec<String>)> {
    let (factor, _) = cbam_factor(facts, context.year)?;
    let scale = mul(factor, context.correction_factor, "precursor SEFA")?;
    let mut lines = Vec::new();
    let mut stack = Vec::new();
    let sefa = precursors_share(facts, processes, root, context, scale, &mut stack, &mut lines)?;
    Ok((sefa, lines))
}

fn precursors_share(
    facts: &Facts,
    processes: &[Process],
    id: &str,
    context: &SefaContext,
    scale: Decimal,
    stack: &mut Vec<String>,
    lines: &mut Vec<String>,
) -> Result<Decimal> {
    let process = processes.iter().find(|p| p.id == id).ok_or_else(|| Error::UnknownNode(id.to_owned()))?;
    if stack.iter().any(|s| s == id) {
        return Err(Error::Cycle(format!("{} -> {id}", stack.join(" -> "))));
    }
    stack.push(id.to_owned());
    let what = format!("precursor SEFA of process {id}");
    let mut total = Decimal::ZERO;
    for precursor in &process.precursors {
        let zero = precursor.produced_in.is_eu()
            || precursor.produced_in.is_exempt()
            || is_scrap(&precursor.cn)
            || precursor.is_waste_or_by_product;
        let (sefa, basis) = if zero || scale.is_zero() {
            (Decimal::ZERO, "zero (no embedded emissions counted, or no CBAM factor)".to_owned())
        } else if let Some(stated) = precursor.sefa {
            (stated, "the producer's verified SEFA".to_owned())
        } else if let PrecursorSource::Process { id: made_by, verified: true } = &precursor.source {
            let maker = processes
                .iter()
                .find(|p| &p.id == made_by)
                .ok_or_else(|| Error::UnknownNode(made_by.clone()))?;
            let bm = benchmark(
                facts,
                &maker.cn,
                maker.route,
                context.production_year,
                Column::A,
                context.beyond_published,
            )?;
            let own = mul(scale, bm.value, &what)?;
            let below = precursors_share(facts, processes, made_by, context, scale, stack, lines)?;
            (add(own, below, &what)?, format!("process {made_by}: Column A {} + its precursors", bm.value))
        } else {
            let route = default_value_for(facts, &precursor.cn, precursor.produced_in, None)
                .ok()
                .and_then(|found| found.row.route)
                .or_else(|| {
                    default_value_for(facts, &precursor.cn, Origin::OtherCountries, None).ok()?.row.route
                });
            let bm = benchmark(
                facts,
                &precursor.cn,
                route,
                context.production_year,
                Column::B,
                context.beyond_published,
            )
            .map_err(|e| Error::Conflict(format!("process {id}, precursor {}: {e}", precursor.cn)))?;
            let route_text = route.map_or(String::new(), |r| format!(", route ({r})"));
            (mul(scale, bm.value, &what)?, format!("Column B {}{route_text}", bm.value))
        };
        let share = mul(precursor.mass_per_unit, sefa, &what)?;
        lines.push(format!(
            "process {id}: precursor {} from {}: {} × SEFA {} ({basis})",
            precursor.cn,
            precursor.produced_in,
            precursor.mass_per_unit.normalize(),
            sefa.normalize()
        ));
        total = add(total, share, &what)?;
    }
    stack.pop();
    Ok(total)
}

/// Gives every import line whose `installation` names a process of `processes` that process's
/// SEE (direct and counted indirect, precursors included: IR (EU) 2025/2547 Annex III B) as actual
/// data, with its precursors' share of the free allocation ([`precursor_sefa`]). With the file
/// given, an `installation` it does not have is an error on that line's `installation` column.
/// Each process is computed once, however many lines name it.
pub fn apply(
    facts: &Facts,
    processes: &[Process],
    file: &str,
    imports: &mut [ImportLine],
    options: &DeclareOptions,
) -> Result<Vec<Note>, Vec<LineError>> {
    type Computed = Result<(crate::emissions::See, Option<Decimal>), String>;
    // Keyed by process and production year (the benchmark band of the precursors' SEFA).
    let mut computed: BTreeMap<(String, i32), Computed> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    for import in imports.iter_mut() {
        let Some(id) = import.installation.clone() else { continue };
        let fail = |message: String| LineError {
            line: import.line,
            row: import.row,
            column: "installation".into(),
            message,
        };
        let Some(process) = processes.iter().find(|p| p.id == id) else {
            errors.push(fail(format!("installation: {id:?} is not a process_id of {file}")));
            continue;
        };
        if process.cn.digits() != import.request.good.digits() {
            errors.push(fail(format!(
                "installation: process {id:?} makes CN {}, the line imports CN {} (IR (EU) 2025/2547 Annex III B)",
                process.cn, import.request.good
            )));
            continue;
        }
        if matches!(import.request.emissions, EmissionsInput::Actual { .. }) {
            errors.push(fail(format!(
                "installation: the line gives see_direct and names process {id:?}; give one of them"
            )));
            continue;
        }
        let production_year = import.request.production_year.unwrap_or(options.year);
        let result = computed.entry((id.clone(), production_year)).or_insert_with(|| {
            let see = specific_embedded_emissions(facts, processes, &id, SeeOptions::default())
                .map_err(|e| format!("installation {id:?}: {e}"))?;
            let sefa = if process.precursors.is_empty() {
                None
            } else {
                let context = SefaContext {
                    year: options.year,
                    production_year,
                    correction_factor: options.correction_factor.unwrap_or(DEFAULT_CORRECTION_FACTOR),
                    beyond_published: options.beyond_published,
                };
                let (sefa, _) = precursor_sefa(facts, processes, &id, &context)
                    .map_err(|e| format!("installation {id:?}, precursors' free allocation: {e}"))?;
                Some(sefa)
            };
            Ok((see, sefa))
        });
        let (see, sefa) = match result {
            Ok(value) => value.clone(),
            Err(message) => {
                errors.push(fail(message.clone()));
                continue;
            }
        };
        if see.unresolved() {
            notes.push(Note {
                kind: NoteKind::Unresolved,
                text: format!(
                    "installation {id:?}: a precursor claimed as actual without verification was valued at its default \
                     (IR (EU) 2025/2547 Annex III B; docs/CBAM.md §3.6)"
                ),
            });
        }
        let sefa_text = sefa.map_or(String::new(), |s| {
            format!(
                "; precursors' free allocation {} t CO2e/t (IR (EU) 2025/2620 Annex pt 3.3: verified process \
                 Column A, else the precursor's Column B for its country's default route)",
                s.normalize()
            )
        });
        notes.push(Note {
            kind: NoteKind::Info,
            text: format!(
                "line {}: SEE from installation {id:?}: direct {}, indirect {} t CO2e/t ({} precursor(s); defaults of \
                 precursors without the mark-up, docs/CBAM.md §3.6 open question 1){sefa_text}",
                import.line,
                see.direct.normalize(),
                see.indirect.normalize(),
                see.precursors.len()
            ),
        });
        import.request.emissions = EmissionsInput::Actual {
            direct: see.direct,
            indirect: (!see.indirect.is_zero()).then_some(see.indirect),
            precursor_sefa: sefa,
        };
    }
    if errors.is_empty() { Ok(notes) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str_exact(text).unwrap()
    }

    /// Fixture E5 (docs/CBAM.md §3.6) with its free allocation, 2026, CSCF 1, by hand:
    /// own process 7206 10 00 route D, Column A 0.027; DRI 7203 10 00 from 'Other countries'
    /// (1.10 t/t, default values): Column B 0.397 (IR 2025/2620 Annex pt 5.3); the EU
    /// ferro-alloy: zero. Precursors' SEFA = 1.10 × 0.975 × 0.397 = 0.4257825 t/t; with the
    /// process's own 0.975 × 0.027 = 0.026325, SEFA 0.4521075; embedded 3.63758 t/t, so
    /// 100 t owe 363.758 − 45.21075 = 318.54725 certificates (EUR 25,483.78 at EUR 80).
    #[test]
    fn complex_goods_carry_their_precursors_free_allocation() {
        let facts = Facts::bundled().unwrap();
        let csv = "process_id,kind,cn_code,attributed_direct_tco2,activity_level,route,precursor_cn_code,produced_in,mass_per_unit,source\n\
                   melt,process,7206 10 00,218.008,100,D,,,,\n\
                   melt,precursor,,,,,7203 10 00,OTHER,1.10,default\n\
                   melt,precursor,,,,,7202 11 20,DEU,0.02,default\n";
        let processes = read_installations(csv.as_bytes(), "inst.csv").unwrap();
        let context = SefaContext {
            year: 2026,
            production_year: 2026,
            correction_factor: Decimal::ONE,
            beyond_published: BeyondPublished::Error,
        };
        let (sefa, lines) = precursor_sefa(facts, &processes, "melt", &context).unwrap();
        assert_eq!(sefa, d("0.4257825"), "{lines:?}");
        assert!(lines[1].contains("zero"), "{lines:?}");

        let mut options = DeclareOptions::new(2026);
        options.correction_factor = Some(Decimal::ONE);
        options.certificate_price = Some(d("80"));
        let imports_csv = "cn_code,origin,tonnes,route,installation\n7206 10 00,TUR,100,D,melt\n";
        let mut imports = crate::declare::read_imports(imports_csv.as_bytes(), "i.csv", &options).unwrap();
        apply(facts, &processes, "inst.csv", &mut imports, &options).unwrap();
        let declaration = crate::declare::declare(facts, &imports, "i.csv", &options).unwrap();
        let quote = &declaration.lines[0].quote;
        assert_eq!(quote.see_declared, d("3.63758"));
        assert_eq!(quote.sefa, d("0.4521075"));
        assert_eq!(declaration.certificates_exact, d("318.54725"));
        assert_eq!(declaration.cost_eur.round_dp(2), d("25483.78"));
    }

    #[test]
    fn every_bad_cell_of_the_installations_file_is_reported() {
        let unknown = read_installations("process_id,kind,weight\n".as_bytes(), "i.csv").unwrap_err();
        assert!(unknown.to_string().contains("unknown column \"weight\""), "{unknown}");
        let bad = "\u{feff}Process_ID,Kind,cn_code,attributed_direct_tco2,activity_level,precursor_cn_code,produced_in,mass_per_unit,source\n\
                   melt,process,7206 10 00,-1,0,,,,\n\
                   melt,precursor,,,,7203 10 00,India,1.1,guess\n\
                   other,precursor,,,,7203 10 00,IND,1.1,default\n";
        let Err(Error::Lines { errors, .. }) = read_installations(bad.as_bytes(), "i.csv") else {
            panic!("expected line errors");
        };
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            found,
            [
                (2, "attributed_direct_tco2"),
                (2, "activity_level"),
                (3, "produced_in"),
                (3, "source"),
                (4, "process_id")
            ]
        );
    }

    /// A precursor made by a verified process of the file brings that process's Column A and its
    /// own precursors. By hand, 2027 (factor 0.95), CSCF 1: a DRI plant (7203 10 00, Column A
    /// 0.295) feeds 1.10 t/t to the melt shop: 1.10 × 0.95 × 0.295 = 0.308275 t/t.
    #[test]
    fn a_verified_process_precursor_brings_its_column_a() {
        let facts = Facts::bundled().unwrap();
        let csv = "process_id,kind,cn_code,attributed_direct_tco2,activity_level,route,precursor_cn_code,produced_in,mass_per_unit,source,source_process,verified\n\
                   dri,process,7203 10 00,60,100,,,,,,,\n\
                   melt,process,7206 10 00,20,100,D,,,,,,\n\
                   melt,precursor,,,,,7203 10 00,TUR,1.10,process,dri,yes\n";
        let processes = read_installations(csv.as_bytes(), "inst.csv").unwrap();
        let context = SefaContext {
            year: 2027,
            production_year: 2027,
            correction_factor: Decimal::ONE,
            beyond_published: BeyondPublished::Error,
        };
        let (sefa, lines) = precursor_sefa(facts, &processes, "melt", &context).unwrap();
        assert_eq!(sefa, d("0.308275"), "{lines:?}");
        // A supplier's verified SEFA replaces the fallback: 1.10 × 0.25 = 0.275 t/t.
        let stated = "process_id,kind,cn_code,attributed_direct_tco2,activity_level,route,precursor_cn_code,produced_in,mass_per_unit,source,see_direct,verified,sefa\n\
                      melt,process,7206 10 00,20,100,D,,,,,,,\n\
                      melt,precursor,,,,,7203 10 00,TUR,1.10,stated,0.6,yes,0.25\n";
        let processes = read_installations(stated.as_bytes(), "inst.csv").unwrap();
        assert_eq!(precursor_sefa(facts, &processes, "melt", &context).unwrap().0, d("0.275"));
        let unverified = stated.replace(",yes,0.25", ",no,0.25");
        let err = read_installations(unverified.as_bytes(), "inst.csv").unwrap_err().to_string();
        assert!(err.contains("column sefa") && err.contains("verified"), "{err}");
    }
}
