#!/usr/bin/env python3
"""Regenerate crates/decarb-cbam/facts/default_values.csv: the complete CBAM default values.

Input: the opencbam 0.1.0 transcription of Commission Implementing Regulation (EU) 2025/2621
(../shared/data/cbam/opencbam-0.1.0/, see its SOURCE.md; Apache-2.0, its NOTICE is reproduced in
docs/data-licences.md): Annex I (every country table, every CN line, direct / indirect / total and
the country's default production route) and Annex IV (precursors whose country of production is
unknown). The EU texts themselves are reusable under Commission Decision 2011/833/EU.

Output: one compact row per (table, CN line, variant): ISO alpha-2 key (OTHER for "Other countries
and territories", UNKNOWN for Annex IV), CN code, route letter, direct, indirect, total, a short
variant name where one CN line has two rows (grey / white clinker and hydraulic cement), and a
`src` code that names the act, the transcription and its licence (legend in
crates/decarb-cbam/facts/README.md and src/facts.rs). "–" in the act (DASH) is kept as "-": the
country is listed without a value, so the "Other countries" value applies. "N/A" (Annex II goods,
direct emissions only) is kept as an empty indirect cell. The deleted mark-up-inclusive columns are
not carried (IR 2026/1740 recital 10: the Registry computes the mark-up from the rounded total).

What the script changes on the way, all stated:
* country names become ISO 3166-1 alpha-2 codes (Debian iso-codes, plus the aliases below);
* numbers are written with three decimals ("2" becomes "2.000"): same value;
* the route of a clinker / hydraulic-cement row is taken from its variant where the transcription
  leaves it empty: grey -> (A), white -> (B), the indicators of IR 2025/2620 Annex pt 5.3.

IR (EU) 2026/1740, which replaced Annexes I and IV retroactively from 1.1.2026, could not be found
in any source available to the project: no correction is applied, and every row says so (status).
Searched again 2026-12-04 (CELEX 32026R1740; web pages, documentation, public source code): only
secondary transcriptions, which report TARIC re-keying of calcined clay, clinker and hydraulic
cement (2507 00 80 80; 2523 10 00 10/90; 2523 90 00 10/90), routes (C)/(F) for 7205 and no change
to the United States' values. None of that is a value to apply here: the TARIC codes are accepted
as inputs by decarb (functional::taric_route), and the rows stay as adopted
(docs/data-licences.md, "IR (EU) 2026/1740").

Second output: crates/decarb-cbam/facts/benchmarks_2620.csv, every CN line of the IR (EU) 2025/2620
Annex pt 5.3 benchmark table (opencbam's benchmarks_2620.json, 570 lines), one row per route and
band, Column A (BM*) paired with Column B (BM) by route and band, in the column layout of
facts/benchmarks.csv. decarb reads it where its own condensed benchmarks.csv has no line.

Run from the repository root and review the diff: python3 tools/gen_cbam_defaults.py
"""
import csv, json, os, sys
from decimal import Decimal

SHARED = os.environ.get('DECARB_SHARED_DATA', os.path.join('..', 'shared', 'data'))
SRC = os.path.join(SHARED, 'cbam', 'opencbam-0.1.0')
OUT = os.path.join('crates', 'decarb-cbam', 'facts', 'default_values.csv')

ALIASES = {
    'Brunei': 'BN',
    'Democratic Republic of the Congo': 'CD',
    'Myanmar/Burma': 'MM',
    'Russia': 'RU',
    'Other Countries and Territories': 'OTHER',
}
SECTOR_ORDER = ['Cement', 'Fertilisers', 'Iron and steel', 'Aluminium', 'Hydrogen']


def iso_codes():
    iso = json.load(open('/usr/share/iso-codes/json/iso_3166-1.json'))['3166-1']
    names = {}
    for c in iso:
        for key in ('name', 'common_name', 'official_name'):
            if key in c:
                names[c[key].lower()] = c['alpha_2']
    return names


def number(text, what, where):
    if text == 'DASH':
        return '-'
    if text == 'NA':
        return ''
    value = Decimal(text)
    if value < 0 or value > 100:
        sys.exit(f'{where}: {what} {text!r} is not a plausible intensity')
    return f'{value:.3f}'


def variant_and_route(description, route):
    words = description.lower()
    for variant, letter in (('grey', 'A'), ('white', 'B')):
        if words.startswith(variant) and ('clinker' in words or 'hydraulic' in words):
            if route not in (None, letter):
                sys.exit(f'{description}: route {route} contradicts the variant')
            return f'{variant} {"clinker" if "clinker" in words else "hydraulic cement"}', letter
    return '', route


def main():
    names = iso_codes()
    records = json.load(open(os.path.join(SRC, 'default_values_2621.json'), encoding='utf-8'))
    annex_iv = json.load(open(os.path.join(SRC, 'annex_iv_precursor_defaults_2621.json'), encoding='utf-8'))
    rows = []
    for r in records:
        key = ALIASES.get(r['country']) or names.get(r['country'].lower())
        if key is None:
            sys.exit(f'no ISO code for {r["country"]!r}')
        where = f'{r["country"]} {r["cn_code"]}'
        variant, route = variant_and_route(r['description'], r['route'])
        rows.append((key, r['sector'], r['cn_code'], route or '', number(r['direct'], 'direct', where),
                     number(r['indirect'], 'indirect', where), number(r['total'], 'total', where), variant,
                     '2621-I/oc'))
    for r in annex_iv:
        variant, route = variant_and_route(r['description'], r['route'])
        rows.append(('UNKNOWN', r['sector'], r['cn_code'], route or '', '', '',
                     number(r['highest'], 'highest', f'Annex IV {r["cn_code"]}'), variant, '2621-IV/oc'))
    # Stable order: the act's sectors, then the country key (OTHER and UNKNOWN last), then CN line.
    rank = lambda k: (1 if k in ('OTHER', 'UNKNOWN') else 0, k)
    rows.sort(key=lambda r: (rank(r[0]), SECTOR_ORDER.index(r[1]), r[2].replace(' ', ''), r[7]))
    seen = set()
    for r in rows:
        ident = (r[0], r[2], r[7])
        if ident in seen:
            sys.exit(f'duplicate row {ident}')
        seen.add(ident)
    with open(OUT, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['iso2', 'cn_code', 'route', 'direct', 'indirect', 'total', 'variant', 'src'])
        for r in rows:
            w.writerow([r[0], r[2], r[3], r[4], r[5], r[6], r[7], r[8]])
    countries = {r[0] for r in rows} - {'OTHER', 'UNKNOWN'}
    valued = sum(1 for r in rows if r[6] not in ('-', ''))
    print(f'{OUT}: {len(rows)} rows ({len(records)} Annex I, {len(annex_iv)} Annex IV), '
          f'{len(countries)} countries + Other, {valued} with a value')


BM_OUT = os.path.join('crates', 'decarb-cbam', 'facts', 'benchmarks_2620.csv')
BM_STATUS = 'transcribed (opencbam 0.1.0); provisional (recital 35)'
BM_SOURCE = 'IR (EU) 2025/2620 Annex pt 5.3 (opencbam 0.1.0, Apache-2.0)'
PERIODS = {None: '2026-2030', '1': '2026-2027', '2': '2028-2030'}


def benchmarks():
    lines = json.load(open(os.path.join(SRC, 'benchmarks_2620.json'), encoding='utf-8'))
    out = []
    for line in lines:
        a_list = line['column_a']
        for b in line['column_b']:
            pick = [a for a in a_list if a['route'] == b['route'] and a['year'] == b['year']] \
                or [a for a in a_list if a['route'] == b['route'] and a['year'] is None] \
                or [a for a in a_list if a['route'] is None and a['year'] in (None, b['year'])] \
                or ([a_list[0]] if len(a_list) == 1 else [])
            if len(pick) != 1:
                sys.exit(f'{line["cn_code"]}: no single Column A value for {b}')
            a = pick[0]
            indicator = (f'({b["route"]})' if b['route'] else '') + (f'({b["year"]})' if b['year'] else '')
            for v in (a['value'], b['value']):
                if not (0 <= Decimal(v) < 100):
                    sys.exit(f'{line["cn_code"]}: implausible benchmark {v}')
            out.append(['EU CBAM', line['sector'].lower(), line['description'][:40], line['cn_code'], indicator,
                        PERIODS[b['year']], f'{Decimal(a["value"]):.3f}', f'{Decimal(b["value"]):.3f}', '',
                        't CO2e/t good', BM_STATUS, BM_SOURCE])
    with open(BM_OUT, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['scheme', 'sector', 'product', 'cn_code', 'indicator', 'period', 'column_a_bm_star',
                    'column_b_bm', 'value', 'unit', 'status', 'source'])
        w.writerows(out)
    print(f'{BM_OUT}: {len(out)} rows for {len(lines)} CN lines')


if __name__ == '__main__':
    main()
    benchmarks()
