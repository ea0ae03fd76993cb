#!/usr/bin/python3
"""Lives saved per added unit of the care chain on the flagship (docs/plausibility.md).

Replaces the flagship's arms by arms that add one unit at a time — a MEDEVAC
helicopter, an operating table at the Role 2, a tenth more of the wounded
reached by a trained first responder — and runs them against the unchanged
baseline on common random numbers. Prints a Markdown table: lives saved a
year with its 95% interval, and the same per unit added (the marginal curve).

    /usr/bin/python3 tools/studies/care_marginals.py build/tools/pkrisk [replications]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
FLAGSHIP = os.path.join(ROOT, "scenarios", "minusma-north.yaml")

# (name, units added, overrides)
ARMS = [
    ("helicopters_3", 1, {"medevac.helicopters": 3}),
    ("helicopters_4", 2, {"medevac.helicopters": 4}),
    ("helicopters_6", 4, {"medevac.helicopters": 6}),
    ("tables_3", 1, {"medevac.care_chain.role2.operating_tables": 3}),
    ("tables_4", 2, {"medevac.care_chain.role2.operating_tables": 4}),
    ("responders_0.4", 1, {"medevac.care_chain.first_aid.responder_share": 0.4}),
    ("responders_0.6", 3, {"medevac.care_chain.first_aid.responder_share": 0.6}),
    ("responders_0.9", 6, {"medevac.care_chain.first_aid.responder_share": 0.9}),
]
UNIT = {"helicopters": "helicopter", "tables": "operating table",
        "responders": "tenth of the wounded reached"}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pkrisk = sys.argv[1]
    reps = sys.argv[2] if len(sys.argv) > 2 else "4000"
    with open(FLAGSHIP) as f:
        scenario = yaml.safe_load(f)
    scenario["arms"] = [{"name": n, "cost": {"annual_om_usd": 0}, "overrides": o}
                        for n, _, o in ARMS]
    for key in ("select", "sweep", "uncertainty", "correlations", "acceptance"):
        scenario.pop(key, None)
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(os.path.join(ROOT, "scenarios", "vehicles.yaml"), d)
        path = os.path.join(d, "marginals.yaml")
        with open(path, "w") as f:
            yaml.safe_dump(scenario, f, sort_keys=False)
        out = subprocess.run([pkrisk, "run", path, "-n", reps, "-q", "--format", "json"],
                             check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    years = result["horizon_days"] / 365
    print(f"flagship baseline: {result['arms'][0]['fatalities']['mean'] / years:.2f} deaths a year;"
          f" {reps} replications, seed {result['seed']}\n")
    print("| arm | units added | lives saved a year (95% CI) | per unit |")
    print("|---|---|---|---|")
    for (name, units, _), arm in zip(ARMS, result["arms"][1:]):
        d = arm["vs_baseline"]["fatalities_diff"]
        lo, hi = (-d["ci95"][1] / years, -d["ci95"][0] / years)
        saved = arm["vs_baseline"]["lives_saved_per_year"]
        unit = UNIT[name.split("_")[0]]
        print(f"| {name} | {units} ({unit}) | {saved:.3f} [{lo:.3f}, {hi:.3f}] | {saved / units:.3f} |")


if __name__ == "__main__":
    main()
