#!/usr/bin/python3
"""compare.py - run the pkrisk engine and the Python reference model on one
scenario and print, per arm and metric: engine mean +- se, Python mean +- se,
z = difference / sqrt(se1^2 + se2^2); |z| > 4 is flagged.
The standard deviations are compared too (z(sd), se of an sd from the Python
sample's fourth moment), and P(any fatality).

  /usr/bin/python3 compare.py SCENARIO.yaml [--engine-n 20000] [--py-n 2000]
        [--seed 7] [--arms baseline,uav_x4] [--markdown] [--json out.json]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pkrisk_ref  # noqa: E402

ENGINE = os.path.join(HERE, "..", "..", "build", "tools", "pkrisk")


def engine_run(path, n, seed, threads):
    cmd = [ENGINE, "run", path, "-n", str(n), "--seed", str(seed), "--format", "json", "-q",
           "--threads", str(threads)]
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode not in (0, 1):  # 1: acceptance gate failed, results still printed
        sys.exit("engine failed (%d): %s" % (p.returncode, p.stderr))
    return json.loads(p.stdout), time.time() - t0, " ".join(cmd)


def engine_metric(arm, name, n):
    v = arm.get(name)
    if v is None:
        # nested form, e.g. kia_by_cause.ied -> arm['kia_by_cause']['ied']
        v = arm
        for k in name.split("."):
            if not isinstance(v, dict) or k not in v:
                return None
            v = v[k]
    if not isinstance(v, dict) or "mean" not in v:
        return None
    sd = v.get("sd")
    return v["mean"], (sd / math.sqrt(n) if sd is not None else None)


def pstr(p):
    return "%.4g ± %.2g" % (p["mean"], p["se"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--engine-n", type=int, default=20000)
    ap.add_argument("--py-n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--arms", default=None)
    ap.add_argument("--zmax", type=float, default=4.0)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", default=None)
    a = ap.parse_args()

    E, ewall, ecmd = engine_run(a.scenario, a.engine_n, a.seed, a.threads)
    print("# engine: %s  (%.1f s wall)" % (ecmd, ewall))
    doc = pkrisk_ref.load_raw(a.scenario)
    want = set(a.arms.split(",")) if a.arms else None
    out = {"scenario": a.scenario, "engine_cmd": ecmd, "engine_n": a.engine_n, "py_n": a.py_n,
           "arms": {}}
    nflag = 0
    for k, (name, d) in enumerate(pkrisk_ref.arm_docs(doc)):
        if want and name not in want:
            continue
        earm = next(x for x in E["arms"] if x["name"] == name)
        M = pkrisk_ref.Model(d)
        t0 = time.process_time()
        # independent Python seeds per arm, so that the z of different arms are independent tests
        rows = [pkrisk_ref.run_rep(M, (a.seed + 1) * 1000003 + k * 100000007 + i) for i in range(a.py_n)]
        cpu = time.process_time() - t0
        names = pkrisk_ref.metric_names(M)
        S = pkrisk_ref.summarize(rows, names)
        print("\n## arm `%s` (engine n=%d, Python n=%d, Python %.1f s cpu)\n" % (name, a.engine_n, a.py_n, cpu))
        if a.markdown:
            print("| metric | engine mean ± se | Python mean ± se | z | engine sd | Python sd ± se | z(sd) | |")
            print("|---|---|---|---|---|---|---|---|")
        else:
            print("%-28s %21s %21s %7s %9s %16s %7s" % ("metric", "engine mean +- se", "python mean +- se", "z",
                                                      "eng sd", "python sd +- se", "z(sd)"))
        res = {}
        for m in names + ["p_any_fatality"]:
            p = S[m]
            if m == "p_any_fatality":
                pe = earm["p_any_fatality"]["p"]
                e = (pe, math.sqrt(pe * (1 - pe) / a.engine_n))
                esd = None
            else:
                e = engine_metric(earm, m, a.engine_n)
                v = earm.get(m) or {}
                esd = v.get("sd") if isinstance(v, dict) else None
            if e is None:
                estr, z = "n/a", None
            else:
                em, es = e
                estr = "%.4g ± %s" % (em, "%.2g" % es if es is not None else "?")
                se2 = (es or 0.0) ** 2 + p["se"] ** 2
                if abs(p["mean"] - em) <= 1e-9 * max(1.0, abs(em)):
                    z = 0.0  # equal but for rounding (a constant metric's sums in another order)
                else:
                    z = (p["mean"] - em) / math.sqrt(se2) if se2 > 0 else float("inf")
            # sd comparison: se of each sd from the Python sample's 4th moment (same shape assumed)
            zsd = None
            sdstr = esdstr = ""
            if esd is not None and "se_sd" in p:
                sdstr = "%.4g ± %.2g" % (p["sd"], p["se_sd"])
                esdstr = "%.4g" % esd
                ese = p["se_sd"] * math.sqrt(float(a.py_n) / a.engine_n)
                den = math.sqrt(p["se_sd"] ** 2 + ese ** 2)
                if den > 0:
                    zsd = (p["sd"] - esd) / den
            flag = ""
            if z is not None and abs(z) > a.zmax:
                flag = "FLAG"
            if zsd is not None and abs(zsd) > a.zmax:
                flag += " FLAG(sd)"
            nflag += bool(flag)
            zs = "" if z is None else "%+.2f" % z
            zsds = "" if zsd is None else "%+.2f" % zsd
            if a.markdown:
                print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (m, estr, pstr(p), zs, esdstr, sdstr, zsds, flag))
            else:
                print("%-28s %21s %21s %7s %9s %16s %7s %s" % (m, estr.replace("±", "+-"), pstr(p).replace("±", "+-"),
                                                             zs, esdstr, sdstr.replace("±", "+-"), zsds, flag))
            res[m] = {"engine": e, "engine_sd": esd, "python": [p["mean"], p["se"]],
                      "python_sd": [p.get("sd"), p.get("se_sd")], "z": z, "z_sd": zsd}
        out["arms"][name] = res
    print("\n%d metric(s) flagged (|z| > %g)" % (nflag, a.zmax))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
