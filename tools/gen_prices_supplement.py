#!/usr/bin/env python3
"""Regenerate crates/decarb-data/facts/prices_supplement.csv: prices that overlay the MPP-shared set.

Reads two workbooks of the MPP steel model's inputs (shared dataset `mpp-steel-model/inputs/`, from
missionpossiblepartnership/mpp-steel-model @1003b98, AGPL-3.0; never copied into decarb) with the
standard library only (xlsx = zip of XML) and writes individual transcribed parameters:

- hydrogen, USD/GJ LHV: `H2 Model.xlsx` sheet Prices, production set-up "Utility plant, dedicated
  VREs", cost case Baseline, USD/kg H2 / 0.12 GJ/kg (decarb's LHV convention), at 2020, 2025, 2030,
  2035, 2040, 2050. The model's regions map one to one except: north_america <- US; latin_america <-
  South_BAU_Americas; oceania <- AustralasiaOceania; rest_of_asia <- Japan_SthKorea_Taiwan (the price
  region covers Japan-Korea-Taiwan and Southeast Asia; JKT holds most of its steel; Southeast_Asia is
  cheaper, 3.0 vs 3.7 USD/kg in 2020, and is named in the source text).
- biomass, USD/GJ: `Bio Model.xlsx` sheet Feedstock_Prices, feedstock "Woody biomass from forestry",
  price scenario Medium, growth Increasing, at 2020, 2030, 2040, 2050. Regions: europe <- EU;
  north_america <- NAFTA; latin_america <- South and central Americas; russia <- CIS (the price
  region covers the CIS; the model's own "Russia" row repeats the EU values); rest_of_asia <-
  Japan_SthKorea_Taiwan (Southeast_Asia identical); oceania <- AustralasiaOceania.
- alumina, USD/t, all regions: 2023 COMEX alumina quarterly averages 357 / 349 / 336 / 334 (FocusEconomics
  alumina page) -> 344 (mean), a cited fact held flat. USGS Mineral Commodity Summaries prices were not
  found in the reference search.

    python3 tools/gen_prices_supplement.py [path/to/shared/data]
"""
import csv, os, re, sys, zipfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data')
OUT = os.path.join(ROOT, 'crates', 'decarb-data', 'facts', 'prices_supplement.csv')
NS = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
RELNS = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id'
LICENCE_MPP = 'AGPL-3.0 (MPP steel model): individual parameters transcribed'

H2_REGION = {'europe': 'EU', 'north_america': 'US', 'china': 'China', 'india': 'India', 'middle_east': 'Middle_East',
             'latin_america': 'South_BAU_Americas', 'africa': 'Africa', 'russia': 'Russia',
             'rest_of_asia': 'Japan_SthKorea_Taiwan', 'oceania': 'AustralasiaOceania'}
BIO_REGION = {'europe': 'EU', 'north_america': 'NAFTA', 'china': 'China', 'india': 'India',
              'middle_east': 'Middle_East', 'latin_america': 'South and central Americas', 'africa': 'Africa',
              'russia': 'CIS', 'rest_of_asia': 'Japan_SthKorea_Taiwan', 'oceania': 'AustralasiaOceania'}


def sheet(path, name):
    """Rows of one sheet as lists of cell text (column letters resolved)."""
    z = zipfile.ZipFile(path)
    strings = [''.join(t.text or '' for t in si.iter(NS + 't'))
               for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall(NS + 'si')]
    wb = ET.fromstring(z.read('xl/workbook.xml'))
    rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
    target = next(rels[s.get(RELNS)] for s in wb.find(NS + 'sheets') if s.get('name') == name).lstrip('/')
    target = target if target.startswith('xl/') else 'xl/' + target
    rows = []
    for r in ET.fromstring(z.read(target)).iter(NS + 'row'):
        row = {}
        for c in r.findall(NS + 'c'):
            v = c.find(NS + 'v')
            if v is not None:
                row[re.match(r'[A-Z]+', c.get('r')).group()] = strings[int(v.text)] if c.get('t') == 's' else v.text
        rows.append(row)
    header = rows[0]
    return [{header[k]: v for k, v in row.items() if k in header} for row in rows[1:]]


def main():
    inputs = os.path.join(SHARED, 'mpp-steel-model', 'inputs')
    rows = []
    h2 = sheet(os.path.join(inputs, 'H2 Model.xlsx'), 'Prices')
    for region, mpp in H2_REGION.items():
        row = next(r for r in h2 if r['Region'] == mpp and r['Production scenario'] == 'Utility plant, dedicated VREs'
                   and r['Cost scenario'] == 'Baseline')
        for year in (2020, 2025, 2030, 2035, 2040, 2050):
            kg = float(row[str(year)])
            note = '; Southeast_Asia differs' if region == 'rest_of_asia' else ''
            rows.append((region, 'hydrogen', year, round(kg / 0.12, 3), 'USD/GJ',
                         f'MPP steel model @1003b98 H2 Model.xlsx sheet Prices, region {mpp}, Utility plant dedicated '
                         f'VREs, Baseline: {kg:g} USD/kg H2 / 0.12 GJ/kg LHV{note}; tools/gen_prices_supplement.py',
                         LICENCE_MPP))
    bio = sheet(os.path.join(inputs, 'Bio Model.xlsx'), 'Feedstock_Prices')
    for region, mpp in BIO_REGION.items():
        row = next(r for r in bio if r['Region'] == mpp and r['Feedstock type'] == 'Woody biomass from forestry'
                   and r['Price scenario'] == 'Medium' and r['Growth scenario'] == 'Increasing')
        for year in (2020, 2030, 2040, 2050):
            rows.append((region, 'biomass', year, round(float(row[str(year)]), 3), 'USD/GJ',
                         f'MPP steel model @1003b98 Bio Model.xlsx sheet Feedstock_Prices, region {mpp}, Woody biomass '
                         f'from forestry, Medium, Increasing; tools/gen_prices_supplement.py', LICENCE_MPP))
    rows.append(('all', 'alumina', 2023, 344.0, 'USD/t',
                 'Alumina COMEX quarterly averages 2023: 357, 349, 336, 334 USD/t (FocusEconomics, Alumina price page, '
                 'accessed via the reference search), mean 344; held flat (2024 spiked above 500 and is not used)',
                 'individual market prices quoted as facts'))
    # Existing hydropower for smelters that have it (site-bound): IRENA's global weighted-average
    # LCOE of hydropower commissioned in 2020, USD 0.044/kWh = 44 USD/MWh = 12.222 USD/GJ, held flat.
    rows.append(('all', 'electricity_hydro', 2020, 12.222, 'USD/GJ',
                 'IRENA, Renewable Power Generation Costs in 2020 (2021), hydropower global weighted-average LCOE '
                 '2020 USD 0.044/kWh = 44 USD/MWh (12.222 USD/GJ); held flat',
                 'individual figure quoted as a fact (IRENA publication)'))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    with open(OUT, 'w', newline='', encoding='utf-8') as f:
        f.write('# Price supplement overlaid on a price set (facts::price_set_with_supplement); generated by '
                'tools/gen_prices_supplement.py. See README.md.\n')
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['price_region', 'item', 'year', 'value', 'unit', 'source', 'licence'])
        w.writerows(rows)
    print(f'{len(rows)} rows', file=sys.stderr)


if __name__ == '__main__':
    main()
