#!/usr/bin/python3
"""How the engine's cost grows: one Markdown report for docs/performance.md.

Builds nothing: pass the pkrisk binary.

  /usr/bin/python3 tools/bench/scaling.py --pkrisk build/tools/pkrisk [--quick] [--out FILE.md]

What it measures, and why:

1. Every shipped scenario (scenarios/*.yaml that holds a `scenario` block, so
   not the vehicle catalogue; the templates live in a subfolder), 1,000
   replications with --threads 1: mission-years per second on one core, where
   a mission-year is one arm (the baseline counts) simulated for 365 days, so
   arms x replications for the one-year scenarios shipped. Best of 3 runs. The speed of the
   flagship and of the reference alone says little about a user's own world.
2. Scaling exponents, on variants of scenarios/reference.yaml written to a
   temporary folder: the wall time of a run is fitted as a * x^b by least
   squares on log-log, for x =
   (a) the horizon, x 0.25 to 4 (the zones' intensity windows are stretched
       with it, as a window may not end after the horizon);
   (b) the number of movements, x 1 to 16: each movement is copied with ids
       "ID-2" ... "ID-k" on the same routes (the arms' `movements[*]`
       overrides reach the copies, `movements[ID]` ones only the original);
   (c) the size of the world, x 1 to 16: zones, sites, routes and movements
       are copied k times, each copy pointing at its own copies; the UAV area
       surveillance lists every copy of its zones; the UAV fleet and the
       MEDEVAC helicopters stay shared (the arms address them);
   (d) the number of replications, 1,000 to 20,000.
   b near 1 means cost in proportion; above 1, something grows faster than the
   world (a queue, a search along routes), which the fixed-size benchmarks of
   pk_bench cannot show. Each point is also run with 30 replications and b is
   fitted on the difference, the cost of the other replications alone: what a
   run costs whatever its length (start-up, loading, the summaries) would
   flatten b. b on the whole wall is shown too. pkrisk runs every arm (it has
   no baseline-only option), so each variant runs the reference's four arms.
   1 thread, best of 3; 1,000 replications per horizon variant, 500 per
   movements or world variant.
3. The speed-up from 1 to 2 threads on reference.yaml at 10,000 replications
   (best of 3 each, alternating, as tools/bench/run_timing.sh does).
4. Peak resident memory of `pkrisk run reference.yaml --threads 2` with 1e3 to
   1e6 replications (one run each): nothing is stored per replication, so it
   should stay flat. /usr/bin/time -f %M when installed, else the child's own
   rusage from os.wait4 (which counts this script's few MB at the fork).

The run JSON has no count of the engine's events (each metric's `events` is
the effective number of events behind its interval, not a count of simulated
events), so the report has no events-per-replication column; pk_bench's
BM_Scenario gives events per mission-year for the reference and the flagship.

Runtimes on the project's 2-core machine with the engine of 2026-12-01,
while other jobs kept its load average at 2.5 to 9: --quick (best of 1, small
n, memory up to 1e5) 2.1-3.5 minutes; the full mode 37.5 minutes, 26 of them
the 1e6-replication memory run. The full mode took 24 minutes of CPU time,
more than half of it on two threads: roughly 16 to 18 minutes on an idle
machine, so its replication counts were left as they are. Exit codes 0 and 1 (a failed
acceptance gate: the result is still printed) count as success.

Wall-clock figures depend on the machine's load: read them as indications
(callgrind instruction counts are the stable measure). Run nothing else
CPU-heavy meanwhile.
"""
import argparse
import copy
import datetime
import json
import math
import os
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import yaml

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REFERENCE = "scenarios/reference.yaml"
TIME = "/usr/bin/time"
DAYS_PER_YEAR = 365.0


@dataclass
class Plan:
    """How much to run: the full mode, or --quick for a smoke test."""
    repeats: int            # best of this many runs
    n_scenarios: int        # replications per shipped scenario
    n_horizon: int          # replications per horizon variant
    n_world: int            # replications per movements / world variant
    n_list: tuple           # replications for the replication scaling
    n_threads: int          # replications for the 1 -> 2 threads speed-up
    n_memory: tuple         # replications for the peak-memory runs


FULL = Plan(repeats=3, n_scenarios=1000, n_horizon=1000, n_world=500,
            n_list=(1000, 2000, 4000, 10000, 20000), n_threads=10000,
            n_memory=(1000, 10000, 100000, 1000000))
QUICK = Plan(repeats=1, n_scenarios=200, n_horizon=100, n_world=100,
             n_list=(100, 200, 400, 1000, 2000), n_threads=1000,
             n_memory=(1000, 10000, 100000))
FACTORS = (1, 2, 4, 8, 16)
HORIZON_FACTORS = (0.25, 0.5, 1, 2, 4)
N_FIXED = 30            # the fewest replications an acceptance gate decides on


# ----------------------------------------------------------------------------
# Running pkrisk
# ----------------------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    result: dict        # the run's JSON
    peak_kb: int = 0    # peak resident set, when asked for

    @property
    def mission_years(self):
        """Arms (baseline included) x replications x horizon in years."""
        r = self.result
        return len(r["arms"]) * r["replications"] * r["horizon_days"] / DAYS_PER_YEAR


def command(pkrisk, scenario, n, threads):
    return [pkrisk, "run", scenario, "-n", str(n), "--threads", str(threads),
            "-q", "--format", "json"]


def run_once(pkrisk, scenario, n, threads, memory=False):
    """One run of pkrisk from the repository's root, timed; with memory, its
    peak RSS: /usr/bin/time's when installed, else the child's own rusage."""
    argv = command(pkrisk, scenario, n, threads)
    timed = memory and os.access(TIME, os.X_OK)
    with tempfile.TemporaryDirectory() as tmp:
        out, err, rss = (os.path.join(tmp, name) for name in ("out", "err", "rss"))
        if timed:
            argv = [TIME, "-f", "%M", "-o", rss] + argv
        with open(out, "w") as fout, open(err, "w") as ferr:
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=REPO, stdout=fout, stderr=ferr)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        # 1: the acceptance gate failed; the result is still printed whole.
        if code not in (0, 1):
            with open(err) as f:
                sys.exit(f"{' '.join(argv)}: exit {code}\n{f.read()}")
        with open(out) as f:
            result = json.load(f)
        if timed:
            with open(rss) as f:
                peak_kb = int(f.read().split()[-1])
        else:
            peak_kb = usage.ru_maxrss        # KB on Linux
    return Run(seconds, result, peak_kb)


def best_of(repeats, pkrisk, scenario, n, threads=1):
    """The fastest of `repeats` runs (the one least disturbed by the machine)."""
    return min((run_once(pkrisk, scenario, n, threads) for _ in range(repeats)),
               key=lambda r: r.seconds)


# ----------------------------------------------------------------------------
# Variants of the reference scenario
# ----------------------------------------------------------------------------
def scale_horizon(doc, f):
    """The horizon times f, the zones' intensity windows stretched with it."""
    doc["scenario"]["horizon_days"] = doc["scenario"]["horizon_days"] * f
    for zone in doc["zones"]:
        for window in zone.get("intensity", []):
            window["from_day"] *= f
            window["to_day"] *= f
    return doc


def multiply_movements(doc, k):
    """Every movement k times: copies "ID-2" ... "ID-k" on the same routes."""
    doc["movements"] = doc["movements"] + [
        dict(copy.deepcopy(m), id=f"{m['id']}-{j}")
        for j in range(2, k + 1) for m in doc["movements"]]
    return doc


def multiply_world(doc, k):
    """k copies of the world: zones, sites, routes and movements, each copy
    pointing at its own; the UAV area surveillance lists every copy."""
    def ids(j, name):
        return name if j == 1 else f"{name}-{j}"

    zones, sites, routes, movements = [], [], [], []
    for j in range(1, k + 1):
        for z in doc["zones"]:
            zones.append(dict(copy.deepcopy(z), id=ids(j, z["id"])))
        for s in doc["sites"]:
            sites.append(dict(copy.deepcopy(s), id=ids(j, s["id"]), zone=ids(j, s["zone"])))
        for r in doc["routes"]:
            c = dict(copy.deepcopy(r), id=ids(j, r["id"]),
                     **{"from": ids(j, r["from"]), "to": ids(j, r["to"])})
            for seg in c["segments"]:
                seg["zone"] = ids(j, seg["zone"])
            routes.append(c)
        for m in doc["movements"]:
            movements.append(dict(copy.deepcopy(m), id=ids(j, m["id"]),
                                  route=ids(j, m["route"])))
    doc.update(zones=zones, sites=sites, routes=routes, movements=movements)
    area = doc.get("uav", {}).get("area")
    if area:
        area["zones"] = [ids(j, z) for j in range(1, k + 1) for z in area["zones"]]
    return doc


def write_variant(folder, name, change, factor):
    """reference.yaml changed by change(doc, factor), written to folder/name."""
    with open(os.path.join(REPO, REFERENCE)) as f:
        doc = yaml.safe_load(f)
    doc = change(doc, factor)
    assert doc["pkrisk"] == 1
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        yaml.safe_dump(doc, f, sort_keys=False)
    return path


# ----------------------------------------------------------------------------
# Fitting and formatting
# ----------------------------------------------------------------------------
def fit_exponent(xs, ys):
    """b of y = a * x^b, by least squares on log y = log a + b log x."""
    lx = [math.log(x) for x in xs]
    ly = [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return (sum((u - mx) * (v - my) for u, v in zip(lx, ly))
            / sum((u - mx) ** 2 for u in lx))


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def git_commit():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                          capture_output=True, text=True).stdout.strip() or "unknown"


def shown(pkrisk, scenario, n, threads):
    """A command line as run from the repository's root (n may be a name)."""
    return " ".join(command(pkrisk, scenario, n, threads))


# ----------------------------------------------------------------------------
# The four measurements
# ----------------------------------------------------------------------------
def shipped_scenarios():
    found = []
    for name in sorted(os.listdir(os.path.join(REPO, "scenarios"))):
        path = os.path.join("scenarios", name)
        if name.endswith(".yaml"):
            with open(os.path.join(REPO, path)) as f:
                if "scenario" in (yaml.safe_load(f) or {}):
                    found.append(path)
    return found


def per_scenario(args, plan, log):
    rows = []
    for path in shipped_scenarios():
        log(f"scenario {path}")
        r = best_of(plan.repeats, args.binary, path, plan.n_scenarios)
        rows.append((f"`{os.path.basename(path)}`", len(r.result["arms"]),
                     f"{r.result['replications']:,}", f"{r.seconds:.2f}",
                     f"{r.mission_years / r.seconds:,.0f}"))
    return "\n".join([
        "## Mission-years per second, per scenario (1 thread)", "",
        "```sh", shown(args.pkrisk, "scenarios/SCENARIO.yaml", plan.n_scenarios, 1), "```", "",
        table(("scenario", "arms", "replications", "wall s (best)",
               "mission-years / s / core"), rows)])


def scaling(args, plan, log, folder, title, what, points):
    """One scaling table and its exponents. points: (label, x, scenario, n).

    Each point is also run with N_FIXED replications: wall minus that run is
    the cost of the other replications alone, without what a run costs
    whatever its length (start-up, loading, summaries), which would flatten
    the exponent."""
    rows, xs, walls, own = [], [], [], []
    fixed = {}
    for label, x, scenario, n in points:
        log(f"{title}: {label}")
        r = best_of(plan.repeats, args.binary, scenario, n)
        if scenario not in fixed:
            fixed[scenario] = best_of(plan.repeats, args.binary, scenario, N_FIXED)
        f = fixed[scenario]
        cost = r.seconds - f.seconds
        rows.append((label, f"{x:,g}", f"{r.seconds:.3f}", f"{f.seconds:.3f}",
                     f"{cost / (r.mission_years - f.mission_years) * 1e6:.0f}"))
        xs.append(x)
        walls.append(r.seconds)
        own.append(cost)
    n = points[-1][3]
    example = points[-1][2].replace(folder, "$VARIANTS")
    at_n = "" if what == "replications" else f", {n:,} replications"
    return "\n".join([
        f"### {title}", "",
        "```sh", shown(args.pkrisk, example, n, 1), "```", "",
        table(("factor", what, "wall s", f"fixed s (-n {N_FIXED})",
               "µs per mission-year (wall − fixed)"), rows),
        "",
        f"Exponent **b = {fit_exponent(xs, own):.2f}** on wall − fixed "
        f"({fit_exponent(xs, walls):.2f} on the whole wall); {what} from {min(xs):,g} to "
        f"{max(xs):,g} ({max(xs) / min(xs):g}×){at_n}."])


def exponents(args, plan, log, folder):
    with open(os.path.join(REPO, REFERENCE)) as f:
        ref = yaml.safe_load(f)
    horizon = ref["scenario"]["horizon_days"]
    n_mov, n_zones = len(ref["movements"]), len(ref["zones"])

    def variants(prefix, change, factors, x0, n):
        return [(f"×{f:g}", x0 * f, write_variant(folder, f"{prefix}-x{f:g}.yaml", change, f), n)
                for f in factors]

    sections = [
        scaling(args, plan, log, folder, "(a) Horizon", "horizon days",
                variants("horizon", scale_horizon, HORIZON_FACTORS, horizon, plan.n_horizon)),
        scaling(args, plan, log, folder, "(b) Movements", "movements",
                variants("movements", multiply_movements, FACTORS, n_mov, plan.n_world)),
        scaling(args, plan, log, folder, "(c) World copies", "zones",
                variants("world", multiply_world, FACTORS, n_zones, plan.n_world)),
        scaling(args, plan, log, folder, "(d) Replications", "replications",
                [(f"×{n / plan.n_list[0]:g}", n, REFERENCE, n) for n in plan.n_list]),
    ]
    intro = ("## Scaling exponents (reference.yaml variants, 1 thread)\n\n"
             "Variants written by this script to a temporary folder (`$VARIANTS`); "
             "every run has the reference's baseline and three arms. Wall = a·x^b is "
             "fitted by least squares on log-log. A mission-year is one arm over 365 days.")
    return "\n\n".join([intro] + sections)


def threads(args, plan, log):
    n = plan.n_threads
    best = {1: math.inf, 2: math.inf}
    for i in range(plan.repeats):           # alternating, like run_timing.sh
        for t in (1, 2):
            log(f"threads {t}, run {i + 1}")
            best[t] = min(best[t], run_once(args.binary, REFERENCE, n, t).seconds)
    return "\n".join([
        "## 1 → 2 threads", "",
        "```sh", shown(args.pkrisk, REFERENCE, n, 1), shown(args.pkrisk, REFERENCE, n, 2),
        "```", "",
        table(("threads", "wall s (best)"), [(t, f"{s:.2f}") for t, s in best.items()]),
        "", f"Speed-up: **{best[1] / best[2]:.2f}×** ({n:,} replications, "
            f"best of {plan.repeats})."])


def peak_memory(args, plan, log):
    rows = []
    for n in plan.n_memory:
        log(f"memory, {n:,} replications")
        r = run_once(args.binary, REFERENCE, n, 2, memory=True)
        rows.append((f"{n:,}", f"{r.mission_years:,.0f}", f"{r.seconds:.1f}",
                     f"{r.peak_kb / 1024:.1f}"))
    if os.access(TIME, os.X_OK):
        how = "`/usr/bin/time -f %M`"
    else:
        how = "the child's rusage (`os.wait4`), an upper bound: it counts this script at the fork"
    return "\n".join([
        "## Peak memory (2 threads)", "",
        "```sh", shown(args.pkrisk, REFERENCE, "N", 2), "```", "",
        f"Peak resident set from {how}, one run each.", "",
        table(("replications", "mission-years", "wall s", "peak RSS MB"), rows)])


# ----------------------------------------------------------------------------
def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pkrisk", required=True, help="the pkrisk binary (build/tools/pkrisk)")
    p.add_argument("--quick", action="store_true", help="smoke test: best of 1, small n")
    p.add_argument("--out", help="also write the report to this Markdown file")
    args = p.parse_args()
    if not (os.path.isfile(args.pkrisk) and os.access(args.pkrisk, os.X_OK)):
        sys.exit(f"{args.pkrisk} is not an executable")
    plan = QUICK if args.quick else FULL
    args.binary = os.path.abspath(args.pkrisk)      # the runs start in the repository

    started, load = time.perf_counter(), os.getloadavg()[0]

    def log(what):
        print(f"[{time.perf_counter() - started:6.0f} s] {what}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="pkrisk-scaling-") as folder:
        sections = [per_scenario(args, plan, log), exponents(args, plan, log, folder),
                    threads(args, plan, log), peak_memory(args, plan, log)]
    engine = run_once(args.binary, REFERENCE, 30, 1).result
    head = "\n".join([
        f"# Engine scaling{' (quick mode)' if args.quick else ''}", "",
        f"- date: {datetime.date.today().isoformat()}",
        f"- repository commit: {git_commit()}; engine: pkrisk {engine['version']} "
        f"(built from {engine['git'][:7]})",
        f"- command: `{shlex.join(['/usr/bin/python3'] + sys.argv)}`",
        f"- runs: best of {plan.repeats}; total {time.perf_counter() - started:.0f} s; "
        f"load average at the start {load:.2f} ({os.cpu_count()} cores)"])
    report = head + "\n\n" + "\n\n".join(sections) + "\n"
    print(report, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)


if __name__ == "__main__":
    main()
