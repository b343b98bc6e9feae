//! Declaring 100 000 import lines: quote, de minimis and totals (parsing excluded); and the
//! same with every line a complex good whose SEE and precursors' free allocation come from
//! installation data (IR 2025/2547 Annex III B; IR 2025/2620 Annex pt 3.3).

use decarb_cbam::{DeclareOptions, Facts, declare, read_imports};
use std::fmt::Write;

fn main() {
    divan::main();
}

/// 100 000 lines cycling through origins, goods and both data paths.
fn imports_csv() -> String {
    // (good, route): actual-data lines need the route where Column A differs by route.
    let goods = [
        ("7208 51 20", "C"),
        ("7209 16 90", "C"),
        ("7213 91 10", "C"),
        ("7601 10 00", "K"),
        ("2804 10 00", ""),
        ("7207 19 12", "C"),
    ];
    let origins = ["IND", "CHN", "TUR", "KOR", "USA", "BRA", "ZAF", "MEX"];
    let mut text = String::from("cn_code,origin,tonnes,see_direct,route,import_date\n");
    for i in 0..100_000usize {
        let (good, route) = goods[i % goods.len()];
        let origin = origins[i % origins.len()];
        let tonnes = 10 + i % 990;
        let see = if i % 3 == 0 { format!("{}.{:03}", 1 + i % 3, i % 1000) } else { String::new() };
        let _ = writeln!(text, "{good},{origin},{tonnes},{see},{route},2026-0{}-15", 1 + i % 9);
    }
    text
}

#[divan::bench(sample_count = 5)]
fn declare_100k_lines(bencher: divan::Bencher) {
    let facts = Facts::bundled().unwrap();
    let mut options = DeclareOptions::new(2026);
    options.correction_factor = Some(rust_decimal::Decimal::ONE);
    let text = imports_csv();
    let imports = read_imports(text.as_bytes(), "bench.csv", &options).unwrap();
    bencher.bench(|| declare(facts, divan::black_box(&imports), "bench.csv", &options).unwrap());
}

/// 100 melt shops (7206 10 00, route D), each fed by its own verified DRI plant (7203 10 00) and
/// by DRI bought on default values, with an EU ferro-alloy; 100 000 import lines, each naming one.
fn installations_csv() -> (String, String) {
    let origins = ["IND", "CHN", "TUR", "KOR", "USA", "BRA", "ZAF", "MEX"];
    let mut plants = String::from(
        "process_id,kind,cn_code,attributed_direct_tco2,activity_level,route,precursor_cn_code,produced_in,\
         mass_per_unit,source,source_process,verified\n",
    );
    for p in 0..100usize {
        let origin = origins[p % origins.len()];
        let _ = writeln!(plants, "dri{p},process,7203 10 00,{},100,,,,,,,", 50 + p % 40);
        let _ = writeln!(plants, "melt{p},process,7206 10 00,{},100,D,,,,,,", 10 + p % 30);
        let _ = writeln!(plants, "melt{p},precursor,,,,,7203 10 00,{origin},0.80,process,dri{p},yes");
        let _ = writeln!(plants, "melt{p},precursor,,,,,7203 10 00,{origin},0.30,default,,");
        let _ = writeln!(plants, "melt{p},precursor,,,,,7202 11 20,DEU,0.02,default,,");
    }
    let mut imports = String::from("cn_code,origin,tonnes,route,import_date,installation\n");
    for i in 0..100_000usize {
        let origin = origins[(i % 100) % origins.len()];
        let _ = writeln!(
            imports,
            "7206 10 00,{origin},{},D,2026-0{}-15,melt{}",
            10 + i % 990,
            1 + i % 9,
            i % 100
        );
    }
    (plants, imports)
}

/// 100 000 complex-good lines with precursors: the installations applied (each process's SEE
/// and precursors' SEFA computed once) and the declaration (CSV parsing excluded).
#[divan::bench(sample_count = 5)]
fn declare_100k_lines_with_precursors(bencher: divan::Bencher) {
    let facts = Facts::bundled().unwrap();
    let mut options = DeclareOptions::new(2026);
    options.correction_factor = Some(rust_decimal::Decimal::ONE);
    let (plants, imports_text) = installations_csv();
    let processes = decarb_cbam::installations::read_installations(plants.as_bytes(), "plants.csv").unwrap();
    let imports = read_imports(imports_text.as_bytes(), "bench.csv", &options).unwrap();
    bencher.with_inputs(|| imports.clone()).bench_local_values(|mut lines| {
        decarb_cbam::installations::apply(facts, &processes, "plants.csv", &mut lines, &options).unwrap();
        declare(facts, divan::black_box(&lines), "bench.csv", &options).unwrap()
    });
}

/// One default-path quote with the complete default-value table (11 651 rows): hot-rolled flat
/// steel from Thailand, 2027 (country row, default route E, Column B benchmark).
#[divan::bench]
fn quote_one_default_value() -> decarb_cbam::Quote {
    let facts = Facts::bundled().unwrap();
    let mut request = decarb_cbam::QuoteRequest::new(
        decarb_cbam::CnCode::parse("7208 51 20").unwrap(),
        decarb_cbam::Origin::parse("THA").unwrap(),
        rust_decimal::Decimal::ONE,
        2027,
    );
    request.correction_factor = Some(rust_decimal::Decimal::ONE);
    request.certificate_price = Some(rust_decimal::Decimal::from(80));
    decarb_cbam::quote(facts, divan::black_box(&request)).unwrap()
}

/// Parsing the bundled tables once (what the first quote of a process pays).
#[divan::bench(sample_count = 5)]
fn parse_bundled_tables() -> decarb_cbam::Facts {
    decarb_cbam::Facts::parse(&decarb_cbam::facts::FactSources::BUNDLED).unwrap()
}
