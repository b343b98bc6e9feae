#!/usr/bin/env python3
"""Regenerate crates/decarb-data/facts/power_paths.csv: grid CO2 intensity paths by decarb region.

Historical anchors (2020 and 2023; the release's 2024 values cover only part of Africa and the CIS,
so 2023 is the latest anchor) are Ember's yearly electricity data as carried by Our World in
Data's energy dataset (CC BY 4.0): per region, the generation-weighted mean of its countries,
    sum(carbon_intensity_elec [gCO2/kWh] x electricity_generation [TWh]) / sum(electricity_generation),
over the countries (3-letter ISO code, OWID aggregates and OWID_* codes excluded) that report both
values in the year. Countries map to regions through decarb's country table
(crates/decarb-model/src/country/table.rs). gCO2/kWh / 1000 = t CO2/MWh.

Input. The full file owid/energy-data `owid-energy-data.csv` (repository github.com/owid/energy-data;
newest snapshot seen: commit 873ea63d7b27e54d86c733bedd44a96b0352dbf0, 30 May 2025) could not be
retrieved here (its blob is absent from the snapshot). A release with data to 2024 is read instead
from two public column subsets of that file, which this script joins on (country, year):
  - AdhamAbdelmoneem/Energy-Production-and-Consumption-Analytics @59914559e58f3eb4fe728f5606d5531cc8f3bbc0,
    `owid-energy-data.csv` (comma-separated; has carbon_intensity_elec, hydro_electricity, hydro_share_elec)
  - Noemietouitou/Global-co2-Emissions-and-Energy-Analysis-JOHN-BRYCE-Academic-Project
    @0677d1f16057aaa5594ee3d3b63793af31460c48, `owid-energy-data.csv` (semicolon-separated; has
    electricity_generation)
Both hold data to 2024 but are neighbouring releases: generation implied by the first file
(hydro_electricity / hydro_share_elec x 100) differs from the second's electricity_generation by up to
a few per cent for some countries in 2023-24 (revisions). The script weights with the second file's
generation and fails if weighting with the first file's implied generation (where it has hydro)
moves any regional mean by more than 1 %. Pass the full OWID file
instead when you have it (one argument): the columns are looked up by name.

Future anchors (2030, 2040, 2050):
  - `stated-policies`: the region's Ember 2023 value scaled by the relative change of the MPP steel
    model's BAU grid-emissions path (Power Model.xlsx, sheet GridEmissions, customer Industry, grid
    scenario BAU, cost case Baseline; missionpossiblepartnership/mpp-steel-model @1003b98, AGPL-3.0;
    the ratios below are transcribed individual parameters, not the table).
  - `net-zero`: IEA Net Zero by 2050 (2021) milestones: electricity reaches net zero in advanced
    economies by 2035 and globally by 2040. decarb derivation: linear from the Ember 2023 value to 0
    in 2035 (regions whose carbon tier is `advanced`: japan_korea_taiwan, north_america, europe) or
    2040 (the rest), 0 after.
  - `frozen`: the Ember 2020 value held flat (MPP-style comparisons).

    python3 tools/gen_power_paths.py OWID_SUBSET_A.csv OWID_SUBSET_B.csv   # or: FULL_OWID.csv
Attribution: Ember (2025); Energy Institute Statistical Review of World Energy (2024) - with major
processing by Our World in Data, CC BY 4.0.
"""
import csv, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'crates', 'decarb-data', 'facts', 'power_paths.csv')
HIST_YEARS = [2020, 2023]
BASE = 2023  # latest year with near-complete coverage (2024 lacks most of Africa and the CIS)
REGIONS = ['china', 'india', 'japan_korea_taiwan', 'north_america', 'cis', 'middle_east', 'southeast_asia',
           'europe', 'latin_america', 'africa', 'rest_of_world']
ADVANCED = {'japan_korea_taiwan', 'north_america', 'europe'}
# MPP steel Power Model.xlsx GridEmissions, Industry, BAU, Baseline: t CO2/MWh at 2023, 2030, 2040, 2050.
MPP_REGION = {'china': 'China', 'india': 'India', 'japan_korea_taiwan': 'Japan_SthKorea_Taiwan',
              'north_america': 'US', 'cis': 'Russia', 'middle_east': 'Middle_East',
              'southeast_asia': 'Southeast_Asia', 'europe': 'EU', 'latin_america': 'South_BAU_Americas',
              'africa': 'Africa', 'rest_of_world': 'RoW'}
LICENCE_EMBER = 'CC BY 4.0 (Ember via Our World in Data)'
LICENCE_DERIVED = ('decarb derivation (Apache-2.0 OR MIT) from CC BY 4.0 Ember data and cited scenario '
                   'parameters: {}')


def region_of_iso3():
    text = open(os.path.join(ROOT, 'crates', 'decarb-model', 'src', 'country', 'table.rs'), encoding='utf-8').read()
    snake = lambda s: re.sub(r'(?<!^)(?=[A-Z])', '_', s).lower()
    return {m.group(1): snake(m.group(2))
            for m in re.finditer(r'iso3: "(\w+)",.*?region: Region::(\w+)', text)}


def read_any(path):
    text = open(path, encoding='utf-8-sig').read()
    delim = ';' if text.split('\n', 1)[0].count(';') > text.split('\n', 1)[0].count(',') else ','
    return list(csv.DictReader(text.splitlines(), delimiter=delim))


def num(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def load(paths):
    """(iso3, year) -> {column: value} joined over the input files."""
    table = {}
    for path in paths:
        for row in read_any(path):
            code = row.get('iso_code') or ''
            if len(code) != 3 or code.startswith('OWID'):
                continue
            key = (code, int(row['year']))
            cell = table.setdefault(key, {})
            for col in ('carbon_intensity_elec', 'electricity_generation', 'hydro_electricity', 'hydro_share_elec'):
                if num(row.get(col)) is not None:
                    cell[col] = num(row[col])
    return table


def implied_generation(c):
    """Generation implied by the intensity file itself (hydro / hydro share), where it has hydro."""
    if c.get('hydro_share_elec', 0) > 5 and 'hydro_electricity' in c:
        return c['hydro_electricity'] / c['hydro_share_elec'] * 100
    return None


def regional_means(table, regions, year, weight):
    out = {}
    for region in REGIONS:
        num_, den, n = 0.0, 0.0, 0
        for (code, y), c in table.items():
            if y != year or regions.get(code) != region:
                continue
            w = weight(c)
            if 'carbon_intensity_elec' in c and w and w > 0:
                num_ += c['carbon_intensity_elec'] * w
                den += w
                n += 1
        out[region] = (num_ / den / 1000, den, n)
    return out


def main(paths):
    regions = region_of_iso3()
    table = load(paths)
    hist, worst = {}, 0.0
    for year in HIST_YEARS:
        means = regional_means(table, regions, year, lambda c: c.get('electricity_generation'))
        # The two subset files are neighbouring OWID releases whose 2023-24 generation differs by a few
        # per cent for some countries: weight with the intensity file's own implied generation where it
        # has one and check that the regional means barely move.
        alt = regional_means(table, regions, year,
                             lambda c: implied_generation(c) or c.get('electricity_generation'))
        for region in REGIONS:
            hist[(region, year)] = means[region]
            worst = max(worst, abs(alt[region][0] / means[region][0] - 1))
    for region in REGIONS:
        if hist[(region, BASE)][1] < 0.9 * hist[(region, 2020)][1]:
            sys.exit(f'{region} {BASE}: reporting generation below 90 % of 2020 (incomplete coverage)')
    if worst > 0.01:
        sys.exit(f'weights from the two releases move a regional mean by {worst:.2%}')
    checked = worst
    rows = []
    src_hist = ('Ember yearly electricity data via Our World in Data energy dataset (owid/energy-data release '
                'with data to 2024, read from public column subsets named in the script), carbon_intensity_elec '
                'weighted by electricity_generation '
                'over the region\'s {n} reporting countries ({twh:.0f} TWh) in {year}; tools/gen_power_paths.py')
    for region in REGIONS:
        for year in HIST_YEARS:
            value, twh, n = hist[(region, year)]
            rows.append(('stated-policies', region, year, value, src_hist.format(n=n, twh=twh, year=year), LICENCE_EMBER))
    for region in REGIONS:
        for year in HIST_YEARS:
            value, twh, n = hist[(region, year)]
            rows.append(('net-zero', region, year, value, src_hist.format(n=n, twh=twh, year=year), LICENCE_EMBER))
    mpp = MPP_BAU
    for region in REGIONS:
        base = hist[(region, BASE)][0]
        m = mpp[MPP_REGION[region]]
        for year, idx in ((2030, 1), (2040, 2), (2050, 3)):
            value = base * m[idx] / m[0]
            src = (f'decarb derivation: Ember {BASE} value {base:.3f} x MPP BAU grid-emissions change {m[0]} -> {m[idx]} '
                   f't/MWh ({BASE} -> {year}), MPP steel model @1003b98 Power Model.xlsx sheet GridEmissions, region '
                   f'{MPP_REGION[region]}, Industry, BAU, Baseline; tools/gen_power_paths.py')
            rows.append(('stated-policies', region, year, value, src,
                         LICENCE_DERIVED.format('MPP steel model AGPL-3.0, individual parameters transcribed')))
    for region in REGIONS:
        base = hist[(region, BASE)][0]
        zero = 2035 if region in ADVANCED else 2040
        for year in (2030, 2035, 2040, 2050):
            value = max(0.0, base * (zero - year) / (zero - BASE))
            src = (f'decarb derivation: linear from Ember {BASE} value {base:.3f} to 0 in {zero}, held at 0 after; '
                   f'IEA Net Zero by 2050 (2021) milestone: electricity net zero in '
                   + ('advanced economies by 2035 (not re-verified in the reference search; IEA (2021) Achieving Net Zero '
                      'Electricity Sectors in G7 Countries sets the same 2035 date for the G7)'
                      if zero == 2035 else 'the world by 2040')
                   + '; tools/gen_power_paths.py')
            rows.append(('net-zero', region, year, value, src,
                         LICENCE_DERIVED.format('IEA NZE milestone year quoted as a fact')))
    for region in REGIONS:
        value, twh, n = hist[(region, 2020)]
        rows.append(('frozen', region, 2020, value, src_hist.format(n=n, twh=twh, year=2020) + '; held flat',
                     LICENCE_EMBER))
    order = {'stated-policies': 0, 'net-zero': 1, 'frozen': 2}
    rows.sort(key=lambda r: (order[r[0]], REGIONS.index(r[1]), r[2]))
    with open(OUT, 'w', newline='', encoding='utf-8') as f:
        f.write('# Grid CO2 intensity paths by decarb region, t CO2/MWh; generated by tools/gen_power_paths.py '
                '(do not edit by hand). See README.md.\n')
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['path', 'region', 'year', 'grid_factor_tco2_per_mwh', 'source', 'licence'])
        for path, region, year, value, src, lic in rows:
            w.writerow([path, region, year, f'{value:.4f}', src, lic])
    print(f'{len(rows)} rows; largest effect of the weight release on a regional mean: {checked:.3%}', file=sys.stderr)
    for region in REGIONS:
        print(region, ' '.join(f'{y}:{hist[(region, y)][0]:.3f}' for y in HIST_YEARS), file=sys.stderr)


# Transcribed from MPP steel Power Model.xlsx, GridEmissions, Industry, BAU, Baseline (t CO2/MWh):
# 2023, 2030, 2040, 2050.
MPP_BAU = {
    'EU': (0.21, 0.15, 0.08, 0.06),
    'US': (0.32, 0.16, 0.08, 0.02),
    'China': (0.6, 0.48, 0.37, 0.26),
    'India': (0.68, 0.57, 0.38, 0.2),
    'Japan_SthKorea_Taiwan': (0.46, 0.35, 0.21, 0.07),
    'South_BAU_Americas': (0.17, 0.12, 0.06, 0.01),
    'Middle_East': (0.22, 0.13, 0.05, 0.0),
    'Africa': (0.41, 0.34, 0.27, 0.2),
    'Southeast_Asia': (0.53, 0.39, 0.28, 0.22),
    'Russia': (0.29, 0.23, 0.17, 0.12),
    'RoW': (0.62, 0.57, 0.38, 0.2),
}

if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
