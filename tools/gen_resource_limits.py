#!/usr/bin/env python3
"""Regenerate crates/decarb-data/facts/resource_limits.csv (set `net-zero`).

1. `co2_storage` by decarb region, 2025 / 2030 / 2035: cumulative CO2 injection capacity of announced
   projects, aggregated from the IEA CCUS Projects Database 2025 (shared dataset
   `iea-ccus-projects-2025/ccus_projects.csv`, our export of the workbook carried in
   liuh886/ccus-policy-hub @76512d0; never copied into decarb). Rule:
     - project type Storage, T&S, Full chain / Full Chain (capture-only, transport-only and CCU
       projects are left out: their CO2 goes to one of these);
     - status Operational, Under construction or Planned (Cancelled, Decommissioned left out) and no
       suspension/decommissioning/cancellation year;
     - fate of carbon not EOR, Use, Use low impact or Vented;
     - capacity = `Estimated capacity by IEA (Mt CO2/yr)` (projects without one are left out);
     - counted from its `Operation` year on (projects without an operation year are left out);
     - country -> decarb region through the country table; a two-country name ("Japan-Malaysia")
       counts in the region of its last-named country (the storage host in the database's
       cross-border entries), and the spellings in OVERRIDES.
   Full-chain and storage entries of one hub may overlap, so the sums are an upper bound of
   announced capacity, not a forecast. Licence of the database: CC BY 4.0 as reported by third
   parties, not confirmed from IEA (DATA.md): attribution "IEA (2025), CCUS Projects Database".
2. World rows transcribed as cited facts (see SOURCES below).

    python3 tools/gen_resource_limits.py [path/to/shared/data]
The test in crates/decarb-data/src/facts/power.rs recomputes part 1 from the shared file.
"""
import csv, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data')
OUT = os.path.join(ROOT, 'crates', 'decarb-data', 'facts', 'resource_limits.csv')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_production_facts import INDEX, normalise  # noqa: E402  (country name index of table.rs)

REGIONS = ['china', 'india', 'japan_korea_taiwan', 'north_america', 'cis', 'middle_east', 'southeast_asia',
           'europe', 'latin_america', 'africa', 'rest_of_world']
YEARS = [2025, 2030, 2035]
TYPES = {'Storage', 'T&S', 'Full chain', 'Full Chain'}
STATUSES = {'Operational', 'Under construction', 'Planned'}
EXCLUDED_FATES = {'EOR', 'Use', 'Use low impact', 'Vented'}
OVERRIDES = {'Island': 'ISL', 'Lybia': 'LBY', "People's Republic of China": 'CHN', 'Timor Leste': 'TLS'}
CCUS_SOURCE = ('IEA (2025), CCUS Projects Database (shared iea-ccus-projects-2025, workbook via liuh886/ccus-policy-hub '
               '@76512d0): IEA-estimated capacity of Storage, T&S and Full-chain projects (operational, under '
               'construction, planned; not EOR/use) operating by {year}, {n} projects; tools/gen_resource_limits.py')
CCUS_LICENCE = 'CC BY 4.0 as reported by third parties, not confirmed from IEA (DATA.md); aggregate by decarb'

# World facts: (resource, year, quantity, unit, source, licence)
SOURCES = [
    # CO2 the modelled sectors may send to storage: the IEA NZE's capture in industry, not its
    # all-sector total. The all-sector total (WEO 2021: 1,665 Mt in 2030) was this limit before; held
    # flat back to 2020, it let cement capture 763 Mt by 2030 when the whole world captured about
    # 45 Mt in 2022. Industry here is all of it (steel, cement, chemicals incl. ammonia, aluminium,
    # and lime, pulp and paper, which decarb does not model), so it bounds our four sectors from above.
    ('co2_storage', 2022, 4, 'Mt CO2/yr',
     'IEA (2023), Net Zero Roadmap 2023 update, CCUS milestones (www.iea.org/reports/ccus): CO2 captured in industry '
     '2022, fossil fuels and processes 4 + bioenergy 0 Mt (all industry; the NZE total of every sector is 45)',
     'IEA terms: individual numbers quoted as facts'),
    ('co2_storage', 2030, 270, 'Mt CO2/yr',
     'IEA (2023), Net Zero Roadmap 2023 update, CCUS milestones: CO2 captured in industry 2030, fossil fuels and '
     'processes 247 + bioenergy 23 Mt (all industry; NZE total 1,024; steel 27 and chemicals 52 of it, NZR 2023 '
     'via TECHNOLOGY.md 7.2)', 'IEA terms: individual numbers quoted as facts'),
    ('co2_storage', 2035, 846, 'Mt CO2/yr',
     'IEA (2023), Net Zero Roadmap 2023 update, CCUS milestones: CO2 captured in industry 2035, fossil fuels and '
     'processes 769 + bioenergy 77 Mt (all industry; NZE total 2,421)', 'IEA terms: individual numbers quoted as facts'),
    ('co2_storage', 2050, 2384, 'Mt CO2/yr',
     'IEA (2023), Net Zero Roadmap 2023 update, CCUS milestones: CO2 captured in industry 2050, fossil fuels and '
     'processes 2,152 + bioenergy 232 Mt (all industry; NZE total 6,040)', 'IEA terms: individual numbers quoted as facts'),
    ('biomass', 2020, 10, 'EJ/yr',
     'MPP steel model @1003b98 Bio Model.xlsx sheet Biomass_constraint, scenario Prudent: steel 9 + cement 1 + '
     'aluminium 0 EJ (2020)', 'AGPL-3.0 (MPP steel model): individual parameters transcribed'),
    ('biomass', 2030, 7, 'EJ/yr',
     'MPP steel model Bio Model.xlsx Biomass_constraint, Prudent: steel 6 + cement 1 + aluminium 0 EJ (2030)',
     'AGPL-3.0 (MPP steel model): individual parameters transcribed'),
    ('biomass', 2040, 4, 'EJ/yr',
     'MPP steel model Bio Model.xlsx Biomass_constraint, Prudent: steel 3 + cement 1 + aluminium 0 EJ (2040)',
     'AGPL-3.0 (MPP steel model): individual parameters transcribed'),
    ('biomass', 2050, 1, 'EJ/yr',
     'MPP steel model Bio Model.xlsx Biomass_constraint, Prudent: steel 0 + cement 1 + aluminium 0 EJ (2050); '
     'MaxPotential gives 0 + 3 + 1 = 4 EJ', 'AGPL-3.0 (MPP steel model): individual parameters transcribed'),
    ('hydrogen', 2030, 6, 'Mt H2/yr',
     'IEA Net Zero Roadmap 2023 milestones via TECHNOLOGY.md 7.2: low-emission H2 used in steel 6 Mt (2030); '
     'steel only (ammonia and chemicals H2 not separated by low emission)', 'IEA terms: individual number quoted as a fact'),
    ('hydrogen', 2035, 17, 'Mt H2/yr',
     'IEA Net Zero Roadmap 2023 via TECHNOLOGY.md 7.2: low-emission H2 in steel 17 Mt (2035); steel only',
     'IEA terms: individual number quoted as a fact'),
    ('hydrogen', 2050, 41, 'Mt H2/yr',
     'IEA Net Zero Roadmap 2023 via TECHNOLOGY.md 7.2: low-emission H2 in steel 41 Mt (2050); steel only',
     'IEA terms: individual number quoted as a fact'),
    ('electrolysis_additions', 2025, 2.19, 'as MPP (unit not stated)',
     'MPP-shared ammonia electrolysis_capacity_addition_constraint.csv @b09472f, scenario "ETC Aggressive 3%", Global, '
     'All products: 2.186592 (2025); the file states no unit', 'AGPL-3.0 (MPP-shared code): individual parameter transcribed'),
    ('electrolysis_additions', 2030, 26.97, 'as MPP (unit not stated)',
     'MPP-shared ammonia electrolysis_capacity_addition_constraint.csv, ETC Aggressive 3%, Global: 26.965697 (2030)',
     'AGPL-3.0 (MPP-shared code): individual parameter transcribed'),
    ('electrolysis_additions', 2040, 92.55, 'as MPP (unit not stated)',
     'MPP-shared ammonia electrolysis_capacity_addition_constraint.csv, ETC Aggressive 3%, Global: 92.547626 (2040)',
     'AGPL-3.0 (MPP-shared code): individual parameter transcribed'),
    ('electrolysis_additions', 2050, 97.42, 'as MPP (unit not stated)',
     'MPP-shared ammonia electrolysis_capacity_addition_constraint.csv, ETC Aggressive 3%, Global: 97.422253 (2050)',
     'AGPL-3.0 (MPP-shared code): individual parameter transcribed'),
]


def region_of_iso3():
    text = open(os.path.join(ROOT, 'crates', 'decarb-model', 'src', 'country', 'table.rs'), encoding='utf-8').read()
    snake = lambda s: re.sub(r'(?<!^)(?=[A-Z])', '_', s).lower()
    return {m.group(1): snake(m.group(2)) for m in re.finditer(r'iso3: "(\w+)",.*?region: Region::(\w+)', text)}


REGION = region_of_iso3()


def country_region(name):
    host = name.split('-')[-1].strip()
    code = OVERRIDES.get(host) or INDEX.get(normalise(host))
    if code is None:
        sys.exit(f'unknown country {name!r}: add an override')
    return REGION[code]


def storage_projects(path):
    """(region, operation year, Mt/yr) of the projects that count."""
    out = []
    with open(path, encoding='utf-8-sig') as f:
        for row in csv.DictReader(f):
            if row['Project type'] not in TYPES or row['Project Status'] not in STATUSES:
                continue
            if row['Suspension/decommissioning/cancellation'].strip():
                continue
            if row['Fate of carbon'].strip() in EXCLUDED_FATES:
                continue
            cap, op = row['Estimated capacity by IEA (Mt CO2/yr)'].strip(), row['Operation'].strip()
            if not cap or not op:
                continue
            out.append((country_region(row['Country or economy']), int(float(op)), float(cap)))
    return out


def main():
    projects = storage_projects(os.path.join(SHARED, 'iea-ccus-projects-2025', 'ccus_projects.csv'))
    rows = []
    for region in REGIONS:
        for year in YEARS:
            sel = [p for p in projects if p[0] == region and p[1] <= year]
            rows.append(('net-zero', 'co2_storage', region, year, round(sum(p[2] for p in sel), 3), 'Mt CO2/yr',
                         CCUS_SOURCE.format(year=year, n=len(sel)), CCUS_LICENCE))
    for resource, year, qty, unit, src, lic in SOURCES:
        rows.append(('net-zero', resource, 'world', year, qty, unit, src, lic))
    with open(OUT, 'w', newline='', encoding='utf-8') as f:
        f.write('# Resource limits for net-zero scenarios; generated by tools/gen_resource_limits.py (edit the script). '
                'See README.md.\n')
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['set', 'resource', 'region', 'year', 'quantity', 'unit', 'source', 'licence'])
        for r in rows:
            w.writerow(r)
    print(f'{len(rows)} rows from {len(projects)} storage projects', file=sys.stderr)
    for region in REGIONS:
        print(region, [r[4] for r in rows if r[2] == region], file=sys.stderr)


if __name__ == '__main__':
    main()
