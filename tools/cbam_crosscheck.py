#!/usr/bin/env python3
"""Independent cross-check of the CBAM default-value quote (issue 19 item 7).

Written from docs/CBAM.md (shared spec) and the legal text it quotes, NOT from decarb's Rust:

  SEE   = round_half_away(total x (1 + markup(sector, year)), 3)   IR 2025/2621 Annex I opening
          paragraph as replaced by IR 2026/1740 (recital 10: from the rounded total); CBAM.md 4.2, 11
  SEFA  = CBAM_y x CSCF x BM (Column B, default route of the origin)  IR 2025/2620 Annex pt 4 Eq. 6
          CBAM_y: Dir. 2003/87/EC Art. 10a(1a); CSCF = 1 (unpublished; CBAM.md 5.3)
  cost  = max(0, SEE - SEFA) x certificate price, rounded half away to cents   CBAM.md 5.6

Resolution (CBAM.md 4.1): the origin's own Annex I row (exact CN, else the longest CN heading
listed); "-" or no row for a listed country, or an unlisted country -> "Other countries and
territories". The route of the row used is the default route (IR 2620 pt 4(d)); the benchmark is
the Column B row of the good's CN code with that route indicator and the production-year band
(1) 2026-27 / (2) 2028-30; where several rows remain the highest is used (IR 2620 pt 5.1).
Nothing is published after 2030: for 2031-2033 this script holds the 2028-2030 band (an
assumption, decarb's --beyond-published hold-last); from 2034 the CBAM factor is 0.

Stdlib only. Reads crates/decarb-cbam/facts/{default_values,benchmarks_2620,markup_schedule,
cbam_factor_phaseout}.csv and writes crates/decarb-cbam/tests/data/crosscheck_quotes.csv.
Usage: python3 tools/cbam_crosscheck.py [--check]
"""
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "crates/decarb-cbam/facts"
OUT = ROOT / "crates/decarb-cbam/tests/data/crosscheck_quotes.csv"

SECTOR_OF = {"72": "iron and steel", "73": "iron and steel", "76": "aluminium", "25": "cement",
             "28": None, "31": "fertilisers"}


def sector(cn):
    if cn.startswith("2804 10"):
        return "hydrogen"
    if cn.startswith("2814") or cn.startswith("2808") or cn.startswith("2834"):
        return "fertilisers"
    return SECTOR_OF[cn[:2]]


def rows(name):
    with open(FACTS / name, newline="") as f:
        return [r for r in csv.DictReader(f)]


DEFAULTS = rows("default_values.csv")
BENCH = rows("benchmarks_2620.csv")
FACTOR = {int(r["year"]): Decimal(r["cbam_factor"]) for r in rows("cbam_factor_phaseout.csv")}
MARKUP = rows("markup_schedule.csv")


def markup(sec, year):
    for r in MARKUP:
        groups = [g.strip() for g in r["sector_group"].split(";")]
        upto = int(r["year_to"]) if r["year_to"] else 9999
        if sec in groups and int(r["year_from"]) <= year <= upto:
            return Decimal(r["multiplier"])
    raise SystemExit(f"no mark-up for {sec} {year}")


def r3(x):
    return x.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)  # half away from zero (x >= 0)


def default_row(iso2, cn, want=""):
    def find(key):
        best = None
        for r in DEFAULTS:
            c = r["cn_code"]
            if want and r["route"] != want:
                continue
            if r["iso2"] == key and cn.replace(" ", "").startswith(c.replace(" ", "")):
                if best is None or len(c) > len(best["cn_code"]):
                    best = r
        return best
    own = find(iso2)
    if own is not None and own["total"] not in ("", "-"):
        return own, "own"
    other = find("OTHER")
    if other is None or other["total"] in ("", "-"):
        raise SystemExit(f"no default for {iso2} {cn}")
    return other, ("dash-other" if own is not None else "other")


def benchmark(cn, route, year):
    band = "(1)" if year <= 2027 else "(2)"
    period = "2026-2027" if year <= 2027 else "2028-2030"
    cands = []
    for r in BENCH:
        if r["cn_code"] != cn:
            continue
        ind = r["indicator"]
        if r["period"] not in ("2026-2030", period):
            continue
        if "(1)" in ind or "(2)" in ind:
            if band not in ind:
                continue
        letters = ind.replace("(1)", "").replace("(2)", "")
        if route and letters and letters != f"({route})":
            continue
        cands.append(Decimal(r["column_b_bm"]))
    if not cands:
        raise SystemExit(f"no benchmark for {cn} route {route} {year}")
    return max(cands)


# (cn, origin iso2, year, price[, route given])
CASES = [
    ("7203 10 00", "IN", 2026, "75"), ("7208 51 20", "TH", 2027, "80"),
    ("7208 51 20", "IN", 2026, "75.36"), ("7208 51 20", "CN", 2028, "85"),
    ("7208 51 20", "RU", 2029, "90"), ("7208 51 20", "AF", 2030, "95"),
    ("7208 51 20", "TR", 2031, "100"), ("7208 51 20", "UA", 2032, "105"),
    ("7208 51 20", "KR", 2033, "110"), ("7208 51 20", "IN", 2034, "120"),
    ("7210 49 00", "CN", 2027, "80"), ("7210 49 00", "VN", 2030, "95"),
    ("7203 10 00", "OTHER", 2028, "85"), ("7203 10 00", "IR", 2027, "80"),
    ("7203 10 00", "SA", 2033, "110"), ("7207 11 14", "BR", 2026, "75"),
    ("7207 11 14", "UA", 2029, "90"), ("7213 10 00", "EG", 2028, "85"),
    ("7601 10 10", "CN", 2026, "75"), ("7601 10 10", "IN", 2027, "80"),
    ("7601 10 10", "AE", 2029, "90"), ("7601 10 10", "NO", 2030, "95"),
    ("7606 12 99", "CN", 2031, "100"), ("7606 12 99", "TR", 2034, "120"),
    ("2523 29 00", "IN", 2026, "75"), ("2523 29 00", "TR", 2027, "80"),
    ("2523 29 00", "EG", 2028, "85"), ("2523 29 00", "UA", 2030, "95"),
    ("2523 29 00", "PE", 2032, "105"), ("2523 21 00", "EG", 2029, "90"),
    ("2814 10 00", "CN", 2026, "75"), ("2814 10 00", "IN", 2028, "85"),
    ("2814 10 00", "EG", 2030, "95"), ("2814 10 00", "RU", 2033, "110"),
    ("3102 30 10", "IN", 2026, "75"), ("3102 30 90", "RU", 2027, "80"),
    ("3102 10 90", "EG", 2029, "90"), ("3102 10 12", "CL", 2031, "100"),
    ("2804 10 00", "CN", 2026, "75"), ("2804 10 00", "IN", 2028, "85"),
    ("2804 10 00", "EG", 2030, "95"), ("2804 10 00", "OTHER", 2034, "120"),
    ("3102 10 19", "OTHER", 2027, "80"), ("7604 29 90", "ZA", 2028, "85"),
    ("7601 10 10", "AF", 2028, "85"), ("2814 10 00", "CH", 2027, "80"),
    # clinker: Annex I gives grey (A) and white (B) rows; the route (variant) is given
    ("2523 10 00", "IN", 2026, "75", "A"), ("2523 10 00", "UA", 2029, "90", "A"),
    ("2523 10 00", "EG", 2031, "100", "B"), ("2523 10 00", "VN", 2028, "85", "A"),
]


# Reg. (EU) 2023/956 Annex III pt 1 (CBAM.md 2.3): goods from these countries are outside the CBAM.
EXEMPT = {"IS", "LI", "NO", "CH"}


def quote(cn, iso2, year, price, want=""):
    if iso2 in EXEMPT:
        zero = Decimal(0)
        return dict(cn_code=cn, origin=iso2, year=year, route_given=want, sector=sector(cn),
                    resolution="exempt",
                    route="", default_total="", see=zero, cbam_factor=FACTOR.get(year, zero),
                    benchmark_b=zero, sefa=zero, certificates_per_t=zero, price_eur=price,
                    expected_eur_per_t=zero.quantize(Decimal("0.01")))
    row, resolution = default_row(iso2, cn, want)
    sec = sector(cn)
    total = Decimal(row["total"])
    see = r3(total * markup(sec, year))
    route = row["route"] or ""
    factor = FACTOR.get(year, Decimal(0)) if year < 2034 else Decimal(0)
    bm = benchmark(cn, route, min(year, 2030)) if factor else Decimal(0)
    sefa = factor * Decimal(1) * bm
    net = max(Decimal(0), see - sefa)
    cost = (net * Decimal(price)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return dict(cn_code=cn, origin=iso2, year=year, route_given=want, sector=sec,
                resolution=resolution,
                route=route, default_total=row["total"], see=see, cbam_factor=factor,
                benchmark_b=bm, sefa=sefa, certificates_per_t=net, price_eur=price,
                expected_eur_per_t=cost)


def render():
    lines = [
        "# Generated by tools/cbam_crosscheck.py (independent of decarb's Rust; stdlib Python).",
        "# Sources: docs/CBAM.md 4.1, 4.2, 5.2-5.6, 6, 11; IR (EU) 2025/2621 Annex I as replaced by",
        "# IR (EU) 2026/1740 (mark-up on the rounded total); IR (EU) 2025/2620 Annex pt 4 Eq. 6 and pt 5.3",
        "# (Column B, default route); Dir. 2003/87/EC Art. 10a(1a). Tables: crates/decarb-cbam/facts.",
        "# CSCF = 1; 2031-2033 hold the 2028-2030 benchmark band (assumption). Do not edit by hand.",
    ]
    out = [quote(*c) for c in CASES]
    import io
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(out[0].keys()), lineterminator="\n")
    w.writeheader()
    for r in out:
        w.writerow(r)
    return "\n".join(lines) + "\n" + buf.getvalue()


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        sys.exit(0 if OUT.read_text() == text else "crosscheck_quotes.csv is stale")
    OUT.write_text(text)
    print(f"{len(CASES)} cases -> {OUT.relative_to(ROOT)}")
