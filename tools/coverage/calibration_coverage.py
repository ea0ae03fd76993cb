#!/usr/bin/env python3
"""Coverage of `pkrisk calibrate`'s intervals on synthetic data with a known truth.

Each synthetic data set is a few "years" of fatalities drawn from pkrisk itself:
the scenario with one rate set to its true value and the engine's own year
effect switched on (`year_effect: {cv: --cv}`: a gamma multiplier with mean 1 on
every zone's threat intensity, drawn once per simulated year), one replication
per year with a seed of its own. This is the model calibrate fits. `pkrisk calibrate` then fits that rate to the first years and
predicts the last one. The table counts how often
  - the posterior 90% credible interval holds the true rate,
  - the posterior 90% interval of the year effect's CV holds the true CV,
  - the 90% posterior-predictive interval of the held-out year holds its count
    (its end points are counts that reach at least 5% and 95%, so it holds at
    least 90% of the predictive law: conservative by the counts' granularity),
  - the randomised probability integral transform (PIT) of the held-out count,
    u = P(Y < y) + V P(Y = y) with V uniform, lies in [0.05, 0.95]: exactly 90%
    when the predictive law is right, whatever the granularity (Czado, Gneiting
    & Held 2009); the share is averaged over V in closed form,
and, for comparison, the same for the Poisson-Wald method (its interval at 90%:
estimate x exp(+-1.645 se(log)); its prediction: a Poisson count with the
fitted mean). docs/calibration.md shows the table this makes.

With --from-prior, each data set draws its own truth from calibrate's prior
(the rate log-uniform over the design's box, 0.25 to 4 times the value as
written; the CV uniform on [0, 1]): averaged over the prior, a posterior's 90%
intervals cover exactly 90% when the computation is right (Cook, Gelman & Rubin
2006; Talts et al. 2018), whatever the prior, so this row checks the machinery
while the fixed-truth rows show how the intervals behave at one truth.

Usage (from the repository root, after a build):
  /usr/bin/python3 tools/coverage/calibration_coverage.py --binary build/tools/pkrisk \
      --datasets 200 --markdown /tmp/calibration_coverage.md
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

import yaml

PATH = "zones[kidal_region].ied.emplacement_per_km_day"


def poisson_interval(mu, q_lo=0.05, q_hi=0.95):
    """Smallest counts whose cumulative probability reaches q_lo and q_hi."""
    out, cum, k = [], 0.0, 0
    p = math.exp(-mu)
    for q in (q_lo, q_hi):
        while cum + p < q:
            cum += p
            k += 1
            p *= mu / k
        out.append(k)
    return out


def scenario_without_arms(source, folder):
    """The scenario without arms, acceptance and decision blocks, its
    catalogue by absolute path (run with --allow-outside-files)."""
    with open(source) as f:
        tree = yaml.safe_load(f)
    for key in ("arms", "acceptance", "sweep", "uncertainty", "correlations", "select"):
        tree.pop(key, None)
    if "vehicle_catalogue" in tree:
        tree["vehicle_catalogue"] = os.path.abspath(
            os.path.join(os.path.dirname(source), tree["vehicle_catalogue"]))
    return tree


def set_rate(tree, value):
    for zone in tree["zones"]:
        if zone["id"] == "kidal_region":
            zone["ied"]["emplacement_per_km_day"] = value
            return
    raise SystemExit("no kidal_region zone")


def one_year(binary, tree, seed, folder):
    path = os.path.join(folder, "year.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(tree, f)
    out = subprocess.run([binary, "run", path, "-n", "1", "--seed", str(seed), "-q", "-j", "1",
                          "--format", "json", "--allow-outside-files"],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return int(round(json.loads(out.stdout)["arms"][0]["fatalities"]["mean"]))


def pit_central_share(p_below, p_at_most, lo=0.05, hi=0.95):
    """P over V ~ U(0,1) that p_below + V (p_at_most - p_below) is in [lo, hi]."""
    width = p_at_most - p_below
    if width <= 0:
        return float(lo <= p_at_most <= hi)
    return max(0.0, min(p_at_most, hi) - max(p_below, lo)) / width


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="build/tools/pkrisk")
    # The convoy-scale flagship, frozen for the tests of procedures: the tables of
    # docs/calibration.md were made on it, at a ninth of the mission-scale cost.
    ap.add_argument("--scenario", default="tests/data/sector/sector.yaml")
    ap.add_argument("--datasets", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--truth-factor", type=float, default=1.5,
                    help="the true rate as a multiple of the value as written")
    ap.add_argument("--cv", type=float, default=0.3, help="the year effect's true CV")
    ap.add_argument("--from-prior", action="store_true",
                    help="draw each data set's rate and CV from calibrate's prior")
    ap.add_argument("-n", type=int, default=200, help="replications per design point")
    ap.add_argument("--markdown", help="write the table here")
    args = ap.parse_args()

    folder = tempfile.mkdtemp(prefix="pk_calcov_")
    tree = scenario_without_arms(args.scenario, folder)
    written = next(z for z in tree["zones"] if z["id"] == "kidal_region")["ied"][
        "emplacement_per_km_day"]
    truth = args.truth_factor * written
    hits = {"theta": 0, "cv": 0, "held": 0, "pit": 0, "wald_theta": 0, "wald_held": 0}
    by_years = {}
    rows = 0
    for i in range(args.datasets):
        seed = args.first_seed + i
        years = 3 + i % 4  # 3 to 6 fitted years, like the real data
        cv = args.cv
        if args.from_prior:
            rng = random.Random(seed)
            truth = written * math.exp(rng.uniform(math.log(0.25), math.log(4.0)))
            cv = rng.uniform(0.0, 1.0)
        set_rate(tree, truth)
        tree["year_effect"] = {"cv": cv}
        counts = [one_year(args.binary, tree, 1000003 * seed + y, folder)
                  for y in range(years + 1)]
        set_rate(tree, written)
        tree.pop("year_effect")
        base = os.path.join(folder, "fit.yaml")
        with open(base, "w") as f:
            yaml.safe_dump(tree, f)
        csv = os.path.join(folder, "observed.csv")
        with open(csv, "w") as f:
            f.write("mission,year,deaths\n")
            for y, c in enumerate(counts):
                f.write(f"SYN,{2001 + y},{c}\n")
        out = subprocess.run(
            [args.binary, "calibrate", base, "--observed", csv, "--mission", "SYN", "--column",
             "deaths", "--years", f"2001-{2000 + years}", "--holdout-years", str(2001 + years),
             "--fit", PATH, "-n", str(args.n), "--seed", str(seed), "-j", "2", "-q",
             "--format", "json", "--allow-outside-files"], capture_output=True, text=True)
        if out.returncode != 0:
            print(f"data set {i}: calibrate failed: {out.stderr.strip()}", file=sys.stderr)
            continue
        j = json.loads(out.stdout)
        p = j["parameters"][0]
        lo, hi = p["posterior"]["ci90"]
        cv_lo, cv_hi = j["year_effect"]["cv"]["ci90"]
        held = j["holdout"]["years"][0]
        z = 1.6448536269514722
        w_lo = p["estimate"] * math.exp(-z * (p["se_log"] or float("inf")))
        w_hi = p["estimate"] * math.exp(z * (p["se_log"] or float("inf")))
        pw = poisson_interval(j["predicted_per_year"]["mean"])
        got = {"theta": lo <= truth <= hi, "cv": cv_lo <= cv <= cv_hi,
               "held": held["predictive90"][0] <= held["observed"] <= held["predictive90"][1],
               "pit": pit_central_share(held["p_below"], held["p_at_most"]),
               "wald_theta": w_lo <= truth <= w_hi,
               "wald_held": pw[0] <= held["observed"] <= pw[1]}
        rows += 1
        b = by_years.setdefault(years, {k: 0 for k in hits} | {"n": 0})
        b["n"] += 1
        for k, v in got.items():
            hits[k] += v
            b[k] += v
        print(f"{i + 1}/{args.datasets} years {years} counts {counts} "
              + " ".join(f"{k}={float(v):.3g}" for k, v in got.items()), file=sys.stderr)

    def share(h, n):
        return f"{h / n:.3f}" if n else "-"

    truth_text = (f"{PATH} log-uniform on 0.25-4 x the value as written and year-effect CV "
                  f"uniform on [0, 1], drawn per data set (calibrate's prior)" if args.from_prior
                  else f"{PATH} = {truth:.6g} ({args.truth_factor} x the value as written), "
                  f"year-effect CV {args.cv}")
    lines = [
        f"Truth: {truth_text}; {rows} data sets (3-6 fitted years and one held out), "
        f"{args.n} replications per design point, seeds {args.first_seed}-"
        f"{args.first_seed + args.datasets - 1}.",
        "",
        "| fitted years | data sets | rate, posterior 90% | year CV, posterior 90% | held-out year, "
        "predictive 90% | held-out year, PIT in [0.05, 0.95] | rate, Poisson-Wald 90% | "
        "held-out year, Poisson 90% |",
        "|---|---|---|---|---|---|---|---|"]
    for years in sorted(by_years):
        b = by_years[years]
        lines.append(f"| {years} | {b['n']} | {share(b['theta'], b['n'])} | {share(b['cv'], b['n'])} | "
                     f"{share(b['held'], b['n'])} | {share(b['pit'], b['n'])} | "
                     f"{share(b['wald_theta'], b['n'])} | "
                     f"{share(b['wald_held'], b['n'])} |")
    lines.append(f"| all | {rows} | **{share(hits['theta'], rows)}** | **{share(hits['cv'], rows)}** | "
                 f"**{share(hits['held'], rows)}** | **{share(hits['pit'], rows)}** | "
                 f"{share(hits['wald_theta'], rows)} | "
                 f"{share(hits['wald_held'], rows)} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
