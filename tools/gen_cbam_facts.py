#!/usr/bin/env python3
"""Regenerate decarb's own CBAM reference tables in crates/decarb-cbam/facts/.

Input: the transcriptions of the EU legal acts in ../shared/data/cbam (see its SOURCE.md). Output:
decarb's tables, which keep only what the calculation reads plus each row's legal `source` and its
`status` (transcribed / secondary / draft / UNVERIFIED), in a stable row order. The shared files are
never copied; `cargo test -p decarb-cbam` checks that the parsed tables still agree with them.
Not here: default_values.csv (tools/gen_cbam_defaults.py, from the complete opencbam transcription)
and the grid emission factors of IR 2025/2621 Annex II (IEA data under CC BY-NC-SA 4.0, never
bundled: the user supplies them, docs/data-licences.md).
Run from the repository root and review the diff.
"""
import csv, os, sys

SHARED = os.environ.get('DECARB_SHARED_DATA', os.path.join('..', 'shared', 'data'))
OUT = os.path.join('crates', 'decarb-cbam', 'facts')
TABLES = {
    'benchmarks.csv': ['scheme', 'sector', 'product', 'cn_code', 'indicator', 'period', 'column_a_bm_star',
                       'column_b_bm', 'value', 'unit', 'status', 'source'],
    'cbam_factor_phaseout.csv': ['year', 'cbam_factor', 'status', 'source'],
    'markup_schedule.csv': ['sector_group', 'year_from', 'year_to', 'markup_pct', 'multiplier', 'status', 'source'],
}

for name, columns in TABLES.items():
    with open(os.path.join(SHARED, 'cbam', name), newline='', encoding='utf-8-sig') as f:
        rows = list(csv.DictReader(f))
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        sys.exit(f'{name}: the shared table has no column {missing}')
    with open(os.path.join(OUT, name), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(columns)
        for row in rows:
            w.writerow([row[c].strip() for c in columns])
    print(f'{name}: {len(rows)} rows, {len(columns)} columns')
