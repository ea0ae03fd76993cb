#!/usr/bin/python3
"""The worked example of the adaptive adversary (docs/adversary.md).

Runs scenarios/examples/trigger-substitution.yaml with the jammers in their
first to fifth year (adversary.elapsed_days 0, 365, ..., 1460) and prints, for
each year, the share of IED casualties from radio-triggered devices in the
baseline, under the static jammer arm and under its adaptive twin, with 95%
delta-method intervals from the per-replication metrics, and the lives saved.

    /usr/bin/python3 tools/studies/trigger_substitution.py --pkrisk build/tools/pkrisk

Standard library only.
"""
import argparse
import csv
import json
import math
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "..", "..", "scenarios", "examples", "trigger-substitution.yaml")
TRIGGERS = ("pressure", "command", "radio")


def radio_share(rows):
    """Σ radio / Σ all IED casualties over replications, with its delta-method 95% interval."""
    num = [float(r["adversary.valley.ied_radio.casualties"]) for r in rows]
    den = [sum(float(r["adversary.valley.ied_%s.casualties" % t]) for t in TRIGGERS) for r in rows]
    n = len(rows)
    ratio = sum(num) / sum(den)
    ss = sum((a - ratio * b) ** 2 for a, b in zip(num, den))
    se = math.sqrt(ss / (n * (n - 1))) / (sum(den) / n)
    return ratio, ratio - 1.96 * se, ratio + 1.96 * se


def run_year(pkrisk, text, elapsed, replications, work):
    path = os.path.join(work, "year-%d.yaml" % elapsed)
    with open(path, "w", encoding="utf-8") as f:
        f.write(re.sub(r"elapsed_days: \d+", "elapsed_days: %d" % elapsed, text))
    reps = os.path.join(work, "year-%d.csv" % elapsed)
    out = subprocess.run([pkrisk, "run", path, "-q", "--format", "json", "-n", str(replications),
                          "--per-replication", reps], check=True, capture_output=True, text=True)
    summary = json.loads(out.stdout)
    by_arm = {}
    with open(reps, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_arm.setdefault(row["arm"], []).append(row)
    return summary, by_arm


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pkrisk", default="build/tools/pkrisk")
    ap.add_argument("--replications", type=int, default=10000)
    args = ap.parse_args()
    with open(SCENARIO, encoding="utf-8") as f:
        text = f.read()
    print("| year of the jammers | radio share, baseline | static jammers | adaptive | "
          "lives saved a year, static | adaptive |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as work:
        for year in range(5):
            summary, by_arm = run_year(args.pkrisk, text, 365 * year, args.replications, work)
            cells = []
            for arm in ("baseline", "jammers", "jammers/adaptive"):
                r, lo, hi = radio_share(by_arm[arm])
                cells.append("%.1f%% [%.1f, %.1f]" % (100 * r, 100 * lo, 100 * hi))
            jam = next(a for a in summary["arms"] if a["name"] == "jammers")["vs_baseline"]
            saved = [jam["lives_saved_per_year"], jam["adaptive"]["lives_saved_per_year"]]
            print("| %d (elapsed_days %d) | %s | %.1f | %.1f |" %
                  (year + 1, 365 * year, " | ".join(cells), saved[0], saved[1]))


if __name__ == "__main__":
    main()
