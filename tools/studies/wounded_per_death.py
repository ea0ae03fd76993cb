#!/usr/bin/python3
"""Wounded per death of a scenario's baseline, by cause group, with 95% intervals.

A ratio of two means over replications (wounded who survived over deaths, KIA + DOW), its
interval by the delta method on the replications' pairs, as the engine's own ratio outputs
(engine/stats/ratio.hpp). Also the died-of-wounds rate (DOW / (DOW + WIA)) and the share of
deaths that are deaths of wounds. Made for docs/plausibility.md, "Wounded per death".

    pkrisk run scenarios/minusma-north.yaml -q --format json --per-replication reps.csv > /dev/null
    /usr/bin/python3 tools/studies/wounded_per_death.py reps.csv [ARM]
"""
import csv
import math
import sys

GROUPS = [
    ("IEDs and mines", ["ied", "mine"]),
    ("ambushes", ["ambush"]),
    ("attacks on camps (IDF, VBIED)", ["idf", "vbied"]),
    ("all malicious acts", ["ied", "mine", "ambush", "idf", "vbied"]),
    ("road accidents", ["road_accident"]),
]


def ratio(xs, ys):
    """Mean(x) / mean(y) with its delta-method 95% interval."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    r = mx / my
    # Residuals of x - r y: Var(r) ~ Var(x - r y) / (n my^2).
    d = [x - r * y for x, y in zip(xs, ys)]
    md = sum(d) / n
    var = sum((v - md) ** 2 for v in d) / (n - 1)
    se = math.sqrt(var / n) / my
    return r, r - 1.96 * se, r + 1.96 * se


def main():
    path = sys.argv[1]
    arm = sys.argv[2] if len(sys.argv) > 2 else "baseline"
    rows = [r for r in csv.DictReader(open(path)) if r["arm"] == arm]
    if not rows:
        sys.exit(f"no rows of arm {arm} in {path}")
    print(f"{len(rows)} replications of arm {arm}")
    print("| causes | wounded / yr | deaths / yr | wounded per death (95% CI) | "
          "DOW / (DOW + WIA) | DOW share of deaths |")
    print("|---|---|---|---|---|---|")
    for label, causes in GROUPS:
        def col(prefix):
            return [sum(float(r.get(f"{prefix}.{c}", 0) or 0) for c in causes) for r in rows]
        wia, kia, dow = col("wia_by_cause"), col("kia_by_cause"), col("dow_by_cause")
        deaths = [k + d for k, d in zip(kia, dow)]
        if sum(deaths) == 0:
            continue
        r, lo, hi = ratio(wia, deaths)
        n = len(rows)
        w, dd, dw = sum(wia) / n, sum(deaths) / n, sum(dow) / n
        print(f"| {label} | {w:.1f} | {dd:.2f} | {r:.2f} [{lo:.2f}, {hi:.2f}] | "
              f"{dw / (dw + w):.3f} | {dw / dd:.2f} |")


if __name__ == "__main__":
    main()
