#!/usr/bin/env python3
"""Regenerate crates/decarb-data/facts/production_{steel,aluminium,cement}.csv and trade_steel.csv.

Reads the shared statistics (../shared/data beside the repository; never copied into decarb) and
writes decarb's own long tables: country (ISO3), year, value, unit, source, note. Country names are
resolved through the bundled country table (crates/decarb-model/src/country/table.rs), with the same
normalisation as `CountryCode::resolve`, plus the few overrides below. Run it and review the diff; it
is not run by the build. The tests in crates/decarb-data/src/facts/production.rs and trade.rs check
the output against the shared files value for value.

    python3 tools/gen_production_facts.py [path/to/shared/data]
"""
import csv, os, re, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data')
OUT = os.path.join(ROOT, 'crates', 'decarb-data', 'facts')

# Names of the sources that the country table does not know.
OVERRIDES = {
    'Belgium-Luxembourg': 'BEL',   # worldsteel reports the two together; booked under BEL with a note
    'Macau': 'MAC',                # USGS spelling
    'Papua New Guineae': 'PNG',    # typo in the USGS tidy file
}

STEEL_SOURCE = ('World Steel Association, Steel Statistical Yearbook (via GCAM WSA_steel_prod_cons_1970_2018.csv '
                '@bdfb2c8 / worldsteel 2019-21); Source: World Steel Association')
ALU_SOURCE = ('BGS World Mineral Statistics, primary aluminium {year} (via pypsa-earth data/AL_production.csv @082b56e); '
              '(c) UKRI / BGS World Mineral Statistics')
STEEL_TRADE_SOURCE = ('World Steel Association, Steel Statistical Yearbook (via GCAM WSA_steel_trade_1970_2018.csv '
                      '@8dd3689), semi-finished and finished steel products; Source: World Steel Association')
CEMENT_SOURCE = 'USGS Minerals Yearbook 2017, Cement, Table 22 (hydraulic cement production by country), {year}'


def normalise(text):
    """Python twin of decarb_model::country::normalise_name."""
    fold = {'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
            'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o',
            'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u', 'ç': 'c', 'ñ': 'n', 'ý': 'y', 'ÿ': 'y'}
    out, pending = [], False
    for ch in text.strip().lower():
        ch = fold.get(ch, ch)
        if ch in "'’`.":
            continue
        if not ch.isalnum():
            pending = bool(out)
            continue
        if pending:
            out.append(' ')
            pending = False
        out.append(ch)
    return ''.join(out)


def country_index():
    text = open(os.path.join(ROOT, 'crates', 'decarb-model', 'src', 'country', 'table.rs'), encoding='utf-8').read()
    index = {}
    for m in re.finditer(r'iso3: "(\w+)", iso2: "(\w+)", name: "([^"]*)", iso_name: "([^"]*)",.*?aliases: &\[(.*?)\] \}',
                         text):
        iso3, iso2, name, iso_name, aliases = m.groups()
        names = [iso3, iso2, name, iso_name] + re.findall(r'"((?:[^"\\]|\\.)*)"', aliases)
        for n in names:
            index.setdefault(normalise(n.replace("\\'", "'")), iso3)
    names = {}
    for m in re.finditer(r'iso3: "(\w+)", iso2: "(\w+)", name: "([^"]*)"', text):
        names[m.group(1)] = m.group(3)
    return index, names


INDEX, NAMES = country_index()


def iso3(name):
    if name in OVERRIDES:
        return OVERRIDES[name]
    code = INDEX.get(normalise(name))
    if code is None:
        sys.exit(f'unknown country {name!r}: add an override')
    return code


def fmt(value):
    text = f'{value:.3f}'.rstrip('0').rstrip('.')
    return text if text else '0'


def write(path, rows, header_comment):
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(path, 'w', newline='', encoding='utf-8') as f:
        f.write(header_comment)
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['country', 'year', 'value', 'unit', 'source', 'note'])
        w.writerows(rows)
    print(f'{path}: {len(rows)} rows')


def steel():
    rows = []
    path = os.path.join(SHARED, 'worldsteel-production-trade', 'crude_steel_production_kt_2015_2021.csv')
    with open(path, encoding='utf-8-sig', newline='') as f:
        for rec in csv.DictReader(f):
            name = rec['country']
            for year in range(2015, 2022):
                cell = rec[str(year)].strip()
                if not cell:
                    continue  # not reported (Bahrain, Kuwait 2015-18)
                note = ''
                if name == 'Belgium-Luxembourg':
                    note = 'Belgium and Luxembourg combined, as worldsteel reports them'
                elif name == 'North Korea':
                    note = 'worldsteel estimate, flat 1,250 kt in every year'
                rows.append([iso3(name), year, fmt(float(cell)), 'kt', STEEL_SOURCE, note])
    write(os.path.join(OUT, 'production_steel.csv'), rows,
          '# Crude steel production by country, kt. Generated by tools/gen_production_facts.py; see README.md.\n')


def aluminium():
    rows = []
    path = os.path.join(SHARED, 'bgs-aluminium-production', 'AL_production_BGS_2015-2022.csv')
    with open(path, encoding='utf-8-sig', newline='') as f:
        # keep_default_na is a pandas trap; csv keeps "NA" (Namibia) as text anyway.
        for rec in csv.DictReader(f):
            code = iso3(rec['country'])
            year = int(rec['Year'])
            value = float(rec['production[ktons/a]'])
            note = 'looks incomplete (4,017 kt in 2021)' if code == 'IND' and year == 2022 else ''
            rows.append([code, year, fmt(value), 'kt', ALU_SOURCE.format(year=year), note])
    write(os.path.join(OUT, 'production_aluminium.csv'), rows,
          '# Primary aluminium production by country, kt. Generated by tools/gen_production_facts.py; see README.md.\n')


def cement():
    rows = []
    path = os.path.join(SHARED, 'production-stats-usgs-worldsteel', 'USGS_cement_production__USGS_cement_by_country_tidy.csv')
    with open(path, encoding='utf-8-sig', newline='') as f:
        for rec in csv.DictReader(f):
            cell = rec['value'].strip()
            if not cell:
                continue  # not reported
            year = int(rec['year'])
            rows.append([iso3(rec['locality']), year, fmt(float(cell)), 'kt', CEMENT_SOURCE.format(year=year), ''])
    write(os.path.join(OUT, 'production_cement.csv'), rows,
          '# Hydraulic cement production by country, kt. Generated by tools/gen_production_facts.py; see README.md.\n')


def steel_trade():
    rows = []
    path = os.path.join(SHARED, 'worldsteel-production-trade', 'steel_trade_kt_2019_2021.csv')
    with open(path, encoding='utf-8-sig', newline='') as f:
        for rec in csv.DictReader(f):
            name, metric = rec['country'], rec['metric'].strip()
            flow = {'Exports': 'exports', 'Imports': 'imports'}.get(metric)
            if flow is None:
                sys.exit(f'unknown metric {metric!r} for {name!r}')
            for year in range(2019, 2022):
                cell = rec[str(year)].strip()
                if not cell:
                    continue  # not reported (none in the 2019-21 file)
                value = float(cell)
                note = ''
                if name == 'Belgium-Luxembourg':
                    note = 'Belgium and Luxembourg combined, as worldsteel reports them'
                elif name == 'Thailand' and flow == 'exports' and year == 2021 and value == 0.0:
                    note = '0.0 as in the upstream file; probably a gap, not a real zero (1,224 kt in 2020)'
                rows.append([iso3(name), year, flow, fmt(value), 'kt', STEEL_TRADE_SOURCE, note])
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = os.path.join(OUT, 'trade_steel.csv')
    with open(out, 'w', newline='', encoding='utf-8') as f:
        f.write('# Steel exports and imports (semi-finished and finished products) by country, kt. '
                'Generated by tools/gen_production_facts.py; see README.md.\n')
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['country', 'year', 'flow', 'value', 'unit', 'source', 'note'])
        w.writerows(rows)
    print(f'{out}: {len(rows)} rows')


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    steel()
    steel_trade()
    aluminium()
    cement()
