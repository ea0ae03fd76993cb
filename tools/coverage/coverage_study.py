#!/usr/bin/python3
"""Coverage of every 95% interval pkrisk reports (docs/coverage.md).

For each case (a shipped scenario or a closed form of tests/data/coverage/) and
replication count n, runs `pkrisk run CASE -n N --seed S --format json` for
many independent seeds S and counts how often each reported interval holds the
long-run truth: means of every metric, the paired difference, P(any
fatality), RRR, cost per fatality averted (Fieller sets), quantiles and CVaR.

  truths:  coverage_study.py truths [--replications 10000] [--cases ...]
           runs each case once, long, and writes tests/data/coverage/truths.json
           (closed forms replace the simulated truths where known); with --cases
           only those are renewed
  study:   coverage_study.py study --seeds 200 --n 20 50 [--cases ...] [--markdown FILE]
           [--first-seed F]: seeds F..F+S-1 (default 1), e.g. to add seeds
           to a study without repeating its runs
  check:   coverage_study.py check --seeds 40 --n 20 --cases minusma-north monusco-beni
           exits 1 when a pooled coverage is below what 0.93 allows at that
           number of checks (binomial, 0.1% one-sided), or when the truth lies
           beyond one side of the intervals more often than 3% allows (lopsided)

The study prints a summary first: per kind of interval, the items below 0.93
and above 0.97 beside what chance alone gives with that many seeds if every
true coverage were 0.95.

Items whose truth the sample cannot reach are flagged, with the reason, not
counted: a constant metric, fewer than 3 expected events at n, an end the
method leaves unbounded at n.
"""
import argparse
import concurrent.futures
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRUTHS = os.path.join(ROOT, "tests", "data", "coverage", "truths.json")
TRUTH_SEED = 987654321  # far from the study's seeds 1..S
QUANTILES = ["p50", "p90", "p95", "p99"]
SIDE_MISS = 0.03  # the most a side of a 95% interval may miss in `check` (with the 0.1% tail)


def case_path(case):
    for d in ("scenarios", os.path.join("tests", "data", "coverage")):
        p = os.path.join(ROOT, d, case + ".yaml")
        if os.path.exists(p):
            return p
    raise SystemExit("no case " + case)


def default_cases():
    names = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "scenarios"))
                   if f.endswith(".yaml") and f != "vehicles.yaml")
    names += sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "tests", "data", "coverage"))
                    if f.endswith(".yaml"))
    return names


def run(binary, case, n, seed, threads=1):
    cmd = [binary, "run", case_path(case), "-n", str(n), "--seed", str(seed), "--format", "json",
           "-q", "-j", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    # 1: the acceptance gate failed; 2 with "NOT DECIDED": too few replications
    # for the gate to decide. Both still print the whole result.
    undecided = out.returncode == 2 and "acceptance NOT DECIDED" in out.stderr
    if out.returncode not in (0, 1) and not undecided:
        raise SystemExit("failed: " + " ".join(cmd) + "\n" + out.stderr)
    return json.loads(out.stdout)



# ---- closed forms ------------------------------------------------------------

def poisson_law(mean, upto=None):
    upto = upto or int(mean + 20 * math.sqrt(mean + 1) + 20)
    pmf, p = [], math.exp(-mean)
    for k in range(upto + 1):
        pmf.append(p)
        p *= mean / (k + 1)
    return pmf


def law_quantile(pmf, p):
    c = 0.0
    for k, q in enumerate(pmf):
        c += q
        if c >= p - 1e-12:
            return float(k)
    return float(len(pmf) - 1)


def law_cvar(pmf, alpha=0.95):
    var = law_quantile(pmf, alpha)
    excess = sum(q * (k - var) for k, q in enumerate(pmf) if k > var)
    return var + excess / (1 - alpha)


CLOSED_FORMS = {
    # mine.laid ~ Poisson(per_km x 80 km) (docs/model.md §2.2)
    "mines_common": {"mine.laid": 0.05 * 80},
    "mines_rare": {"mine.laid": 0.002 * 80},
}


# ---- truths ------------------------------------------------------------------

def truths(args):
    out = {"seed": TRUTH_SEED, "replications": args.replications, "cases": {}}
    if args.cases and os.path.exists(args.truths):
        # Renew some cases: the others stay as they were made.
        with open(args.truths) as f:
            kept = json.load(f)
        if kept["seed"] == TRUTH_SEED and kept["replications"] == args.replications:
            out["cases"] = kept["cases"]
    for case in args.cases or default_cases():
        command = "build/tools/pkrisk run %s -n %d --seed %d --format json -q -j 2" % (
            os.path.relpath(case_path(case), ROOT), args.replications, TRUTH_SEED)
        print("truth:", command, file=sys.stderr)
        r = run(args.binary, case, args.replications, TRUTH_SEED, threads=2)
        arms = []
        base = r["arms"][0]
        for arm in r["arms"]:
            t = {"name": arm["name"], "cost_usd": arm["cost_usd"], "metrics": {}}
            for k, v in arm.items():
                if isinstance(v, dict) and "sd" in v and "cvar95" in v and ("." in k or k in (
                        "fatalities", "kia", "dow", "wia", "departures")):
                    t["metrics"][k] = {"mean": v["mean"], "sd": v["sd"], "events_per_rep":
                                       v["events"] / r["replications"], "cvar95": v["cvar95"],
                                       **{q: v[q] for q in QUANTILES}}
            t["p_any_fatality"] = arm["p_any_fatality"]["p"]
            if "vs_baseline" in arm:
                vs = arm["vs_baseline"]
                d = vs["fatalities_diff"]
                t["diff"] = {"mean": d["mean"], "events_per_rep": d["events"] / r["replications"]}
                bm = base["fatalities"]["mean"]
                t["rrr"] = -d["mean"] / bm if bm > 0 else None
                t["cost_ratio"] = arm["cost_usd"] / -d["mean"] if d["mean"] != 0 else None
            for m, mean in CLOSED_FORMS.get(case, {}).items():
                pmf = poisson_law(mean)
                t["metrics"][m].update({"mean": mean, "sd": math.sqrt(mean), "cvar95":
                                        law_cvar(pmf), "closed_form": "Poisson(%g)" % mean,
                                        **{q: law_quantile(pmf, float("0." + q[1:]))
                                           for q in QUANTILES}})
            arms.append(t)
        out["cases"][case] = {"command": command, "arms": arms}
    with open(args.truths, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


# ---- coverage ----------------------------------------------------------------

def inside(ci, x):
    lo, hi = ci
    return (lo is None or lo <= x + 1e-9 * (1 + abs(x))) and (
        hi is None or x <= hi + 1e-9 * (1 + abs(x)))


def side(ci, x):
    """+1 when x lies above the interval, -1 below, 0 inside."""
    lo, hi = ci
    if hi is not None and x > hi + 1e-9 * (1 + abs(x)):
        return 1
    if lo is not None and x < lo - 1e-9 * (1 + abs(x)):
        return -1
    return 0


def in_fieller(f, x):
    if f["case"] == "unbounded":
        return True
    if f["case"] == "bounded":
        return inside([f["lo"], f["hi"]], x)
    return x <= f["lo"] + 1e-9 * abs(x) or x >= f["hi"] - 1e-9 * abs(x)  # exclusive


def items_of_run(result, truth):
    """(family, item, covered, unbounded[, side]) for every interval of one run; side
    (+1 truth above, -1 below) for the means and differences."""
    out = []
    for arm, t in zip(result["arms"], truth["arms"]):
        a = arm["name"]
        for m, tm in t["metrics"].items():
            s = arm[m]
            out.append(("mean", a + ":" + m, inside(s["ci95"], tm["mean"]), None in s["ci95"],
                        side(s["ci95"], tm["mean"])))
            for q in QUANTILES:
                ci = s["quantile_ci95"][q]
                out.append((q, a + ":" + m, inside(ci, tm[q]), None in ci))
            out.append(("cvar95", a + ":" + m, inside(s["cvar95_ci95"], tm["cvar95"]),
                        None in s["cvar95_ci95"]))
        p = arm["p_any_fatality"]
        out.append(("p_any_fatality", a, inside(p["ci95"], t["p_any_fatality"]), False))
        if "vs_baseline" in arm:
            vs = arm["vs_baseline"]
            ci = vs["fatalities_diff"]["ci95"]
            out.append(("diff", a, inside(ci, t["diff"]["mean"]), False, side(ci, t["diff"]["mean"])))
            if t["rrr"] is not None:
                out.append(("rrr", a, in_fieller(vs["rrr_fieller"], t["rrr"]),
                            vs["rrr_fieller"]["case"] != "bounded"))
            if t["diff"]["mean"] != 0:
                # The cost is exact, not estimated: the true ratio takes the run's
                # cost (truths made before a scenario's costs were restated stay valid).
                f = vs["cost_per_fatality_averted_fieller"]
                ratio = arm["cost_usd"] / -t["diff"]["mean"]
                out.append(("cost_per_life", a, in_fieller(f, ratio), f["case"] != "bounded"))
    return out


def flag(family, item, truth, n, unbounded_share):
    """Why an item cannot be judged at n, or None."""
    arm, _, metric = item.partition(":")
    t = next(x for x in truth["arms"] if x["name"] == arm)
    if family == "diff" or family in ("rrr", "cost_per_life"):
        events = t["diff"]["events_per_rep"] * n
        if t["diff"]["mean"] == 0:
            return "arm changes nothing: the difference is 0 in every replication"
        if events < 3:
            return "%.2g expected events at n: often none is seen" % events
        if unbounded_share > 0.5:
            return "set unbounded in %.0f%% of runs" % (100 * unbounded_share)
        return None
    if family == "p_any_fatality":
        p = t["p_any_fatality"]
        if p in (0.0, 1.0):
            return "truth is %g: covered by construction" % p
        if min(p, 1 - p) * n < 3:
            return "%.2g expected events at n" % (min(p, 1 - p) * n)
        return None
    tm = t["metrics"][metric]
    if tm["sd"] == 0:
        return "constant metric (always %g)" % tm["mean"]
    events = tm["events_per_rep"] * n
    if events < 3:
        return "%.2g expected events at n: often none is seen" % events
    if family in QUANTILES + ["cvar95"] and unbounded_share > 0.5:
        tail = {"p50": 0.5, "p90": 0.1, "p95": 0.05, "p99": 0.01, "cvar95": 0.05}[family] * n
        return "an end unbounded in %.0f%% of runs (%.3g tail replications at n)" % (
            100 * unbounded_share, tail)
    return None


def study(args, cases, ns, seeds):
    with open(args.truths) as f:
        truth_all = json.load(f)["cases"]
    first = args.first_seed
    jobs = [(c, n, s) for c in cases for n in ns for s in range(first, first + seeds)]
    counts = {}  # (case, n, family, item) -> [covered, runs, unbounded]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run, args.binary, c, n, s): (c, n, s) for c, n, s in jobs}
        for fut in concurrent.futures.as_completed(futures):
            c, n, _ = futures[fut]
            for family, item, ok, unb, *where in items_of_run(fut.result(), truth_all[c]):
                k = counts.setdefault((c, n, family, item), [0, 0, 0, 0, 0])
                k[0] += ok
                k[1] += 1
                k[2] += unb
                k[3] += bool(where) and where[0] > 0
                k[4] += bool(where) and where[0] < 0
    rows = []
    for (c, n, family, item), (cov, runs, unb, above, below) in sorted(counts.items()):
        reason = flag(family, item, truth_all[c], n, unb / runs)
        rows.append({"case": c, "n": n, "family": family, "item": item,
                     "coverage": cov / runs, "runs": runs, "flag": reason,
                     "above": above / runs, "below": below / runs})
    return rows


FAMILIES = ["mean", "diff", "p_any_fatality", "rrr", "cost_per_life"] + QUANTILES + ["cvar95"]


def table(rows, seeds):
    lines = ["| case | n | interval | judged | in [0.93, 0.97] | above 0.97 | below 0.93 | "
             "pooled coverage | lowest (item) | flagged: not estimable at n |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    keys = sorted({(r["case"], r["n"]) for r in rows})
    for case, n in keys:
        for fam in FAMILIES:
            rs = [r for r in rows if r["case"] == case and r["n"] == n and r["family"] == fam]
            if not rs:
                continue
            judged = [r for r in rs if r["flag"] is None]
            flagged = [r for r in rs if r["flag"] is not None]
            reasons = {}
            for r in flagged:
                key = r["flag"].split(" (")[0] if "unbounded" in r["flag"] else (
                    "constant metric" if r["flag"].startswith("constant") else
                    "< 3 expected events" if "expected events" in r["flag"] else r["flag"])
                reasons[key] = reasons.get(key, 0) + 1
            flag_text = "; ".join("%d: %s" % (v, k) for k, v in sorted(reasons.items()))
            if judged:
                low = min(judged, key=lambda r: r["coverage"])
                pooled = sum(r["coverage"] for r in judged) / len(judged)
                lines.append("| %s | %d | %s | %d | %d | %d | %d | %.3f | %.3f (%s) | %s |" % (
                    case, n, fam, len(judged),
                    sum(0.93 <= r["coverage"] <= 0.97 for r in judged),
                    sum(r["coverage"] > 0.97 for r in judged),
                    sum(r["coverage"] < 0.93 for r in judged), pooled, low["coverage"],
                    low["item"], flag_text))
            else:
                lines.append("| %s | %d | %s | 0 | | | | | | %s |" % (case, n, fam, flag_text))
    return "\n".join(lines)


def binomial_pmf(k, trials, p):
    return math.exp(math.lgamma(trials + 1) - math.lgamma(k + 1) - math.lgamma(trials - k + 1) +
                    k * math.log(p) + (trials - k) * math.log(1 - p))


def chance_shares(seeds, p=0.95, band=(0.93, 0.97)):
    """Shares of items below and above the band by chance alone when every true
    coverage is p: an item's coverage over `seeds` runs is Binomial(seeds, p) / seeds."""
    below = sum(binomial_pmf(k, seeds, p) for k in range(seeds + 1) if k < band[0] * seeds - 1e-9)
    above = sum(binomial_pmf(k, seeds, p) for k in range(seeds + 1) if k > band[1] * seeds + 1e-9)
    return below, above


def summary(rows, seeds):
    """One line per kind of interval, pooled over cases and n: the counts per band
    beside what chance alone gives if every true coverage were 0.95."""
    below_share, above_share = chance_shares(seeds)
    lines = ["| interval | judged items | pooled coverage | lowest (case, n, item) | below 0.93 "
             "(chance: %.1f%%) | above 0.97 (chance: %.1f%%) | flagged |" % (
                 100 * below_share, 100 * above_share),
             "|---|---|---|---|---|---|---|"]
    for fam in FAMILIES:
        rs = [r for r in rows if r["family"] == fam]
        if not rs:
            continue
        judged = [r for r in rs if r["flag"] is None]
        flagged = len(rs) - len(judged)
        if not judged:
            lines.append("| %s | 0 | | | | | %d |" % (fam, flagged))
            continue
        low = min(judged, key=lambda r: r["coverage"])
        m = len(judged)
        lines.append("| %s | %d | %.3f | %.3f (%s, %d, %s) | %d (%.0f) | %d (%.0f) | %d |" % (
            fam, m, sum(r["coverage"] for r in judged) / m, low["coverage"], low["case"], low["n"],
            low["item"], sum(r["coverage"] < 0.93 - 1e-9 for r in judged), below_share * m,
            sum(r["coverage"] > 0.97 + 1e-9 for r in judged), above_share * m, flagged))
    return "\n".join(lines)


def binomial_floor(p, trials, tail=0.001):
    """The smallest k with P(Binomial(trials, p) < k) > tail: fewer covered
    than this is too few for a true coverage of p (log-space pmf)."""
    c = 0.0
    for k in range(trials + 1):
        log_pk = (math.lgamma(trials + 1) - math.lgamma(k + 1) - math.lgamma(trials - k + 1) +
                  k * math.log(p) + (trials - k) * math.log(1 - p))
        c += math.exp(log_pk)
        if c > tail:
            return k
    return trials


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["truths", "study", "check"])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "tools", "pkrisk"))
    ap.add_argument("--truths", default=TRUTHS)
    ap.add_argument("--cases", nargs="*")
    ap.add_argument("--n", nargs="*", type=int, default=[20, 50])
    ap.add_argument("--seeds", type=int, default=200)
    # Seeds F..F+S-1: more seeds for a study without repeating its runs. (Until
    # 2026-12-02 the replication word was symmetric in seed and replication, so
    # seeds 1..S shared replications; docs/coverage.md, "Independent seeds".)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--replications", type=int, default=10000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--markdown")
    ap.add_argument("--rows")
    args = ap.parse_args()
    if args.mode == "truths":
        return truths(args)
    cases = args.cases or default_cases()
    rows = study(args, cases, args.n, args.seeds)
    if args.rows:
        with open(args.rows, "w") as f:
            json.dump(rows, f, indent=1)
    text = summary(rows, args.seeds) + "\n\n" + table(rows, args.seeds)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.mode == "check":
        # Pooled over the judged items of a family: each item's coverage is a
        # Binomial(seeds, c) count; the pool of m items is Binomial(m seeds, c)
        # when they are independent (they are not quite: one run gives them
        # all, so the floor is a guide, with a 0.1% tail).
        bad = 0
        for case in cases:
            for n in args.n:
                for fam in FAMILIES:
                    rs = [r for r in rows if r["case"] == case and r["n"] == n and
                          r["family"] == fam and r["flag"] is None]
                    if not rs:
                        continue
                    trials = len(rs) * args.seeds
                    covered = round(sum(r["coverage"] * r["runs"] for r in rs))
                    floor = binomial_floor(0.93, trials)
                    if covered < floor:
                        bad += 1
                        print("UNDER-COVERAGE %s n=%d %s: %d of %d < %d" % (
                            case, n, fam, covered, trials, floor))
                    # Each side of a two-sided 95% interval should miss 2.5%:
                    # the truth beyond one side more often than 3% allows (the
                    # same 0.1% tail) is a lopsided interval, e.g. one blind
                    # to skewness, even when the pooled coverage looks right
                    # (Student t and the gamma interval on MINUSMA-North at
                    # n = 20: 3.5% above, 2.1% below).
                    for where in ("above", "below"):
                        missed = round(sum(r.get(where, 0) * r["runs"] for r in rs))
                        ceiling = trials - binomial_floor(1 - SIDE_MISS, trials)
                        if missed > ceiling:
                            bad += 1
                            print("LOPSIDED %s n=%d %s: truth %s the interval in %d of %d > %d"
                                  % (case, n, fam, where, missed, trials, ceiling))
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
