#!/usr/bin/python3
"""Static and adaptive lives saved on the flagship (docs/adversary.md).

Copies scenarios/minusma-north.yaml (and its vehicle catalogue) to a
temporary folder, adds an adversary block (the values below, each an
assumption stated in docs/adversary.md), runs it and prints each arm's lives
saved a year against a static adversary and against its adaptive twin, with
95% intervals, and the options the adversary moved most.

    /usr/bin/python3 tools/studies/flagship_adaptive.py --pkrisk build/tools/pkrisk

Standard library only.
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "..", "..", "scenarios")
ADVERSARY = """
adversary:
  displacement_elasticity: {eps}
  half_life_days: {half_life}
  max_recovery: {recovery}
  pilot_replications: {pilot}
"""


def interval(vs, years):
    lo, hi = vs["fatalities_diff"]["ci95"]
    return "%.2f [%.2f, %.2f]" % (vs["lives_saved_per_year"], -hi / years, -lo / years)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pkrisk", default="build/tools/pkrisk")
    ap.add_argument("--replications", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=2016)
    ap.add_argument("--eps", type=float, default=1.0)
    ap.add_argument("--half-life", type=float, default=180)
    ap.add_argument("--recovery", type=float, default=0.5)
    ap.add_argument("--pilot", type=int, default=2000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        for name in ("minusma-north.yaml", "vehicles.yaml"):
            shutil.copy(os.path.join(SCENARIOS, name), work)
        path = os.path.join(work, "minusma-north.yaml")
        with open(path, "a", encoding="utf-8") as f:
            f.write(ADVERSARY.format(eps=args.eps, half_life=args.half_life,
                                     recovery=args.recovery, pilot=args.pilot))
        out = subprocess.run([args.pkrisk, "run", path, "-q", "--format", "json", "-n",
                              str(args.replications), "--seed", str(args.seed)],
                             check=True, capture_output=True, text=True)
    result = json.loads(out.stdout)
    years = result["horizon_days"] / 365.0
    arms = {a["name"]: a for a in result["arms"]}
    print("displacement_elasticity %g, half_life_days %g, max_recovery %g; %d replications, seed %d"
          % (args.eps, args.half_life, args.recovery, args.replications, args.seed))
    print()
    print("| arm | lives saved a year, static | adaptive | kept | what the adversary moved most |")
    print("|---|---|---|---|---|")
    for a in result["arms"][1:]:
        if "adaptive_of" in a:
            continue
        vs = a["vs_baseline"]
        ad = vs["adaptive"]
        twin = arms[a["name"] + "/adaptive"]["adversary"]
        moved = sorted(twin["options"], key=lambda o: -abs(o["rate_factor"] - 1))[:2]
        what = ", ".join("%s %s ×%.2f" % (o["zone"], o["option"], o["rate_factor"]) for o in moved
                         if abs(o["rate_factor"] - 1) > 0.005)
        leth = [o for o in twin["options"] if o["lethality_factor"] > 1.005]
        if leth:
            top = max(leth, key=lambda o: o["lethality_factor"])
            what += "; lethality %s %s ×%.2f fully adapted" % (top["zone"], top["option"],
                                                                  top["lethality_factor"])
        kept = ad["lives_saved_per_year"] / vs["lives_saved_per_year"] if vs["lives_saved_per_year"] else float("nan")
        print("| %s | %s | %s | %.0f%% | %s |" % (a["name"], interval(vs, years), interval(ad, years),
                                              100 * kept, what or "nothing"))


if __name__ == "__main__":
    main()
