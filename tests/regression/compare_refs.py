#!/usr/bin/python3
"""Compares two `pkrisk run --format json` results of the same scenario, metric by metric.

Used when the engine's random numbers change (e.g. streams re-keyed) but the model must not:
for every arm and every metric with a mean and sd, the new mean must lie within the old one's
99% interval of a difference of two independent estimates,

    |new - old| <= 2.576 * sqrt(se_old^2 + se_new^2),   se = sd / sqrt(replications).

Prints one Markdown table row per metric whose mean is not 0 in both runs, then a summary
line, and exits 1 if any metric is outside its interval (2 on bad usage). With 99% intervals
about 1 metric in 100 is expected outside by chance alone, so `--allow` sets how many may be.

    tests/regression/compare_refs.py OLD.json NEW.json [--allow N] [--title TEXT]
"""

import argparse
import json
import math
import sys

Z99 = 2.576


def metrics(arm):
    """(name, mean, sd) of every flat metric of an arm ("ied.emplaced", "fatalities", ...)."""
    for name, value in sorted(arm.items()):
        if isinstance(value, dict) and "mean" in value and "sd" in value:
            yield name, value["mean"], value["sd"]


def compare(old, new):
    """Rows (arm, metric, old mean, new mean, |diff|, bound, inside) for every metric."""
    if old["replications"] <= 1 or new["replications"] <= 1:
        raise ValueError("need at least 2 replications in each run")
    if [a["name"] for a in old["arms"]] != [a["name"] for a in new["arms"]]:
        raise ValueError("the two runs have different arms")
    rows = []
    for old_arm, new_arm in zip(old["arms"], new["arms"]):
        new_metrics = {name: (mean, sd) for name, mean, sd in metrics(new_arm)}
        for name, old_mean, old_sd in metrics(old_arm):
            if name not in new_metrics:
                raise ValueError(f"{old_arm['name']}: {name} is missing from the new run")
            new_mean, new_sd = new_metrics[name]
            se_old = old_sd / math.sqrt(old["replications"])
            se_new = new_sd / math.sqrt(new["replications"])
            bound = Z99 * math.sqrt(se_old**2 + se_new**2)
            diff = abs(new_mean - old_mean)
            rows.append((old_arm["name"], name, old_mean, new_mean, diff, bound, diff <= bound))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--allow", type=int, default=0, help="metrics allowed outside (chance)")
    parser.add_argument("--title", default="", help="a heading printed before the table")
    args = parser.parse_args()
    try:
        with open(args.old, encoding="utf-8") as f:
            old = json.load(f)
        with open(args.new, encoding="utf-8") as f:
            new = json.load(f)
        rows = compare(old, new)
    except (OSError, ValueError, KeyError) as e:
        print(f"compare_refs.py: error: {e}", file=sys.stderr)
        return 2

    if args.title:
        print(f"### {args.title}\n")
    print("| arm | metric | old mean | new mean | abs diff | 99% bound | inside |")
    print("|---|---|---:|---:|---:|---:|---|")
    for arm, name, old_mean, new_mean, diff, bound, inside in rows:
        if old_mean == 0 and new_mean == 0:
            continue
        mark = "yes" if inside else "**NO**"
        print(f"| {arm} | {name} | {old_mean:.6g} | {new_mean:.6g} | {diff:.4g} | {bound:.4g} "
              f"| {mark} |")
    outside = [r for r in rows if not r[6]]
    zero = sum(1 for r in rows if r[2] == 0 and r[3] == 0)
    identical = sum(1 for r in rows if r[2] == r[3]) - zero
    print(f"\n{len(rows)} metrics compared ({zero} zero in both runs, not listed; "
          f"{identical} others with identical means), "
          f"{len(outside)} outside the 99% bound"
          + (": " + ", ".join(f"{r[0]}/{r[1]}" for r in outside) if outside else "") + ".\n")
    return 0 if len(outside) <= args.allow else 1


if __name__ == "__main__":
    sys.exit(main())
