"""Reads a decarb run's iamc.csv and iamc.xlsx with pyam and checks them against the run's
summary.csv and the IAMC common-definitions variable lists (called by tests/iamc.rs).

usage: check_pyam.py OUTDIR VARIABLES.txt EXTENSIONS.txt
Prints one line per check and exits 1 on the first failure."""

import csv
import math
import sys

import pyam

out, variables_file, extensions_file = sys.argv[1:4]


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def names(path):
    with open(path, encoding="utf-8") as f:
        return {line.split("\t")[0].strip() for line in f if line.strip() and not line.startswith("#")}


known = names(variables_file)
extensions = names(extensions_file)

csv_df = pyam.IamDataFrame(f"{out}/iamc.csv")
xlsx_df = pyam.IamDataFrame(f"{out}/iamc.xlsx")
print(f"pyam {pyam.__version__}: iamc.csv {len(csv_df)} values, iamc.xlsx {len(xlsx_df)} values")
if not csv_df.equals(xlsx_df):
    fail("iamc.csv and iamc.xlsx hold different data")

unknown = sorted(set(csv_df.variable) - known - extensions)
if unknown:
    fail(f"variables neither in the common-definitions list nor in the extension table: {unknown}")
print(f"{len(csv_df.variable)} variables: {len(set(csv_df.variable) & known)} common-definitions, "
      f"{len(set(csv_df.variable) & extensions)} extensions")
if len(csv_df.model) != 1 or not csv_df.model[0].startswith("decarb "):
    fail(f"model {csv_df.model}")

# World rows of the summary against the IAMC World rows. summary.csv rounds to 3 decimals (Mt), the
# IAMC file to 6: the two may differ by half of 1e-3 plus float error.
TOLERANCE = 0.0005 + 1e-6
PATHS = {"steel": "Iron and Steel", "cement": "Non-Metallic Minerals|Cement",
         "aluminium": "Non-Ferrous Metals|Aluminum", "ammonia": "Chemicals|Ammonia"}
PRODUCTION = {"steel": "Production|Iron and Steel|Steel", "cement": "Production|Non-Metallic Minerals|Cement",
              "aluminium": "Production|Non-Ferrous Metals|Aluminum", "ammonia": "Production|Chemicals|Ammonia"}
world = csv_df.filter(region="World").timeseries()
checked = 0
with open(f"{out}/summary.csv", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["region"] != "World":
            continue
        sector, year = row["sector"], int(row["year"])
        path = PATHS[sector]
        for variable, column in [
            (PRODUCTION[sector], "production_mt"),
            (f"Emissions|CO2|Energy and Industrial Processes|Industry|{path}", "direct_emissions_mtco2"),
            (f"Carbon Capture|Industry|{path}", "captured_mtco2"),
            (f"Emissions|CO2|Indirect|Electricity|Industry|{path}", "indirect_emissions_mtco2"),
            (f"Capacity|Industry|{path}", "capacity_mt"),
            (f"Investment|Industry|{path}", "capex_busd"),
        ]:
            series = world[world.index.get_level_values("variable") == variable]
            if len(series) != 1:
                fail(f"World {variable}: {len(series)} rows, expected 1")
            value = float(series[year].iloc[0])
            expected = float(row[column])
            if not math.isclose(value, expected, abs_tol=TOLERANCE):
                fail(f"World {variable} {year}: iamc {value} vs summary.csv {column} {expected}")
            checked += 1
if checked == 0:
    fail("summary.csv has no World rows")
print(f"World: {checked} values equal summary.csv within {TOLERANCE}")

# decarb regions sum to World (the regions are one aggregation level, World another).
regions = [r for r in csv_df.region if r.startswith("decarb|")]
for variable in [v for v in csv_df.variable if v.startswith("Production|")]:
    total = csv_df.filter(variable=variable, region=regions).timeseries().sum()
    w = csv_df.filter(variable=variable, region="World").timeseries().iloc[0]
    gap = (total - w).abs().max()
    if gap > 1e-5 * len(regions):
        fail(f"{variable}: decarb regions sum to World within {gap}, expected 1e-5 per region")
print(f"decarb regions ({len(regions)}) sum to World")
print("OK")
