#!/usr/bin/python3
"""compare.py - run the pkrisk engine and the Python reference model on one
scenario and print, per arm and metric: engine mean +- se, Python mean +- se,
z = difference / sqrt(se1^2 + se2^2); |z| > 4 is flagged.
The standard deviations are compared too (z(sd), se of an sd from the Python
sample's fourth moment), and P(any fatality).

  /usr/bin/python3 compare.py SCENARIO.yaml [--engine-n 20000] [--py-n 2000]
        [--seed 7] [--arms baseline,uav_x4] [--markdown] [--json out.json] [--jobs 2]
        [--pilot-n N] [--answer-seeds K] [--no-pilot]

With an `adversary:` block (docs/model.md §2.9) the adaptive twins `<arm>/adaptive` are
compared too: the Python model plays the engine's answer read from the engine's JSON (the
rate and lethality factors of each option, mode a), so the playing of the answer is tested
independently of the pilots' noise; then the reference's own pilot and answer (mode b) are
printed beside the engine's, option by option.
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


def answer_table(E, doc, a, md):
    """§2.9 answers: (1) the engine's rate factors recomputed in closed form from its own base
    shares and payoff ratios, and its reported lethality factors (lambda) against
    1 + (1/l - 1) rho (also printed by main); (2) the engine's answer beside the reference's
    own pilot (mode b), z = difference / se, se combining the reference pilot's
    block-jackknife se and the spread of the engine's answer over --answer-seeds extra engine
    runs (without them, the reference's se counted twice). The engine's lambda is its
    reported lethality_factor."""
    blk = doc["adversary"]
    EA = pkrisk_ref.engine_answers(E)
    eps = float(blk.get("displacement_elasticity", 0) or 0)
    eta = float(blk.get("total_elasticity", 0) or 0)
    rho = float(blk.get("max_recovery", 0) or 0)
    print("\n## Adversary answers (docs/model.md §2.9)\n")
    # (1) closed form from the engine's own ratios
    dm = dl_rho = 0.0
    for t, (static, adapts, ans, opts) in EA.items():
        srl = {(o["zone"], o["option"]): [o["base_share"], o["payoff_ratio"], o["lethality_ratio"]] for o in opts}
        cf = pkrisk_ref.answer_closed_form(srl, eps, eta, rho)
        for o in opts:
            k = (o["zone"], o["option"])
            dm = max(dm, abs(cf[k][3] - o["rate_factor"]) / max(1e-12, abs(o["rate_factor"])))
            lf = o["lethality_factor"]
            dl_rho = max(dl_rho, abs(lf - cf[k][4]) / cf[k][4])
    print("- rate_factor against T r_i^eps / sum_j s_j r_j^eps from the engine's own s, r (eps %g, eta %g): "
          "largest relative difference %.2e" % (eps, eta, dm))
    print("- lethality_factor against 1 + (1/l_i - 1) rho (rho %g) by the closed form: largest relative "
          "difference %.2e\n" % (rho, dl_rho))
    # spread of the engine's answer over other seeds (its pilot noise)
    spread = {}
    if a.answer_seeds > 0:
        runs = []
        for k in range(a.answer_seeds):
            Ek, _, _ = engine_run(a.scenario, 100, a.seed + 1000 + k, a.threads)
            runs.append(pkrisk_ref.engine_answers(Ek))
        for t in EA:
            for o in EA[t][3]:
                vals = {}
                for r in runs:
                    x = next(x for x in r[t][3] if x["zone"] == o["zone"] and x["option"] == o["option"])
                    x = dict(x)
                    x["lambda"] = x["lethality_factor"]
                    for f in ("base_share", "payoff_ratio", "lethality_ratio", "rate_factor", "lambda"):
                        vals.setdefault(f, []).append(x[f])
                for f, xs in vals.items():
                    mu = sum(xs) / len(xs)
                    spread[(t, o["zone"], o["option"], f)] = math.sqrt(sum((x - mu) ** 2 for x in xs) / max(1, len(xs) - 1))
    pn = a.pilot_n or int(blk.get("pilot_replications", 2000))
    t0 = time.time()
    PA = pkrisk_ref.pilot_answers(doc, pn, a.seed + 1, a.jobs)
    print("Reference pilot: %d replications of the baseline and each arm (seed %d), %.1f s wall; "
          "engine answer spread from %d extra engine runs (seeds %d to %d). Cells: engine / reference ± "
          "reference's se (z); lambda of the engine = its reported lethality_factor.\n"
          % (pn, a.seed + 1, time.time() - t0, a.answer_seeds, a.seed + 1000, a.seed + 999 + a.answer_seeds))
    cols = (("base_share", "s"), ("payoff_ratio", "r"), ("lethality_ratio", "l"), ("rate_factor", "m"),
            ("lambda", "lam"))
    if md:
        print("| twin | zone | option | " + " | ".join(c for c, _ in cols) + " |")
        print("|---|---|---|" + "---|" * len(cols))
    zs = []
    for t, (static, adapts, ans, opts) in EA.items():
        for o in opts:
            k = (o["zone"], o["option"])
            o = dict(o)
            o["lambda"] = o["lethality_factor"]
            R = PA[static][k]
            cells = []
            for f, key in cols:
                ev, rv, se = o[f], R[key], R["se_" + key]
                es = spread.get((t, o["zone"], o["option"], f))
                den = math.sqrt(se ** 2 + (es if es is not None else se) ** 2)
                if abs(ev - rv) < 1e-9:
                    z = 0.0
                else:
                    z = (rv - ev) / den if den > 0 else float("inf")
                zs.append((abs(z), z, t, k, f))
                cells.append("%.4g / %.4g ± %.2g (%+.1f)" % (ev, rv, se, z))
            if md:
                print("| %s | %s | %s | %s |" % (t, k[0], k[1], " | ".join(cells)))
            else:
                print("%-26s %-6s %-13s %s" % (t, k[0], k[1], "  ".join(cells)))
    zs.sort(reverse=True)
    nz = [x for x in zs if x[1] != 0.0]
    big = [x for x in zs if x[0] > a.zmax]
    rms = math.sqrt(sum(x[1] ** 2 for x in nz) / len(nz)) if nz else 0.0
    print("\n%d answer comparisons (%d not identical), RMS z %.2f, %d with |z| > 3, %d with |z| > %g; largest: %s\n" % (
        len(zs), len(nz), rms, sum(1 for x in zs if x[0] > 3), len(big), a.zmax,
        ", ".join("%s %s.%s %s %+.2f" % (x[2], x[3][0], x[3][1], x[4], x[1]) for x in zs[:3])))


def vs_baseline_adaptive(E, S_py, a, md):
    """vs_baseline.adaptive.fatalities_diff of the engine: equal to the twin's fatalities mean
    less the baseline's (its own numbers), and beside the reference's (independent samples)."""
    print("\n## vs_baseline.adaptive (lives saved, static and adaptive)\n")
    base = next(x for x in E["arms"] if x["name"] == "baseline")
    H = float(E["horizon_days"])
    if md:
        print("| arm | engine static diff | engine adaptive diff | twin − baseline (engine means) | "
              "lives saved/yr adaptive | Python adaptive diff ± se | z |")
        print("|---|---|---|---|---|---|---|")
    for arm in E["arms"]:
        vb = arm.get("vs_baseline") or {}
        if "adaptive" not in vb:
            continue
        twin = next(x for x in E["arms"] if x.get("adaptive_of") == arm["name"])
        d_static = vb["fatalities_diff"]["mean"]
        d_ad = vb["adaptive"]["fatalities_diff"]["mean"]
        own = twin["fatalities"]["mean"] - base["fatalities"]["mean"]
        ls = vb["adaptive"]["lives_saved_per_year"]
        pt, pb = S_py.get(twin["name"]), S_py.get("baseline")
        if pt and pb:
            pd = pt["fatalities"]["mean"] - pb["fatalities"]["mean"]
            se = math.sqrt(pt["fatalities"]["se"] ** 2 + pb["fatalities"]["se"] ** 2)
            # the engine's paired difference: its se from its ci95 half-width / 1.96
            ci = vb["adaptive"]["fatalities_diff"]["ci95"]
            ese = (ci[1] - ci[0]) / 2 / 1.96
            z = (pd - d_ad) / math.sqrt(se ** 2 + ese ** 2)
            pstr_ = "%.4g ± %.2g" % (pd, se)
            zstr = "%+.2f" % z
        else:
            pstr_, zstr = "", ""
        row = (arm["name"], "%.4g" % d_static, "%.4g" % d_ad, "%.4g" % own,
               "%.4g (−diff×365/H: %.4g)" % (ls, -d_ad * 365.0 / H), pstr_, zstr)
        print(("| %s | %s | %s | %s | %s | %s | %s |" if md else "%s  %s  %s  %s  %s  %s  %s") % row)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("--engine-n", type=int, default=20000)
    ap.add_argument("--py-n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2, help="Python processes")
    ap.add_argument("--arms", default=None)
    ap.add_argument("--zmax", type=float, default=4.0)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", default=None)
    ap.add_argument("--pilot-n", type=int, default=None,
                    help="replications of the reference's own pilot (default: pilot_replications)")
    ap.add_argument("--answer-seeds", type=int, default=0,
                    help="extra engine runs (n = 100, other seeds) that measure the spread of the "
                         "engine's answer, for the z of the answer table")
    ap.add_argument("--no-pilot", action="store_true", help="skip the reference's own pilot")
    a = ap.parse_args()

    E, ewall, ecmd = engine_run(a.scenario, a.engine_n, a.seed, a.threads)
    print("# engine: %s  (%.1f s wall)" % (ecmd, ewall))
    doc = pkrisk_ref.load_raw(a.scenario)
    want = set(a.arms.split(",")) if a.arms else None
    out = {"scenario": a.scenario, "engine_cmd": ecmd, "engine_n": a.engine_n, "py_n": a.py_n,
           "arms": {}}
    # the arms, then with an adversary block the adaptive twins, which play the engine's
    # answer (mode a: --answer-from the engine's JSON, docs/model.md §2.9)
    jobs = [(name, d, None) for name, d in pkrisk_ref.arm_docs(doc)]
    if doc.get("adversary"):
        # the twins play the JSON's lethality_factor, lambda_i = 1 + (1/l_i - 1) rho fully
        # adapted (§2.9); checked here against the lethality_ratio l_i and max_recovery rho
        rho = float(doc["adversary"].get("max_recovery", 0) or 0)
        EA = pkrisk_ref.engine_answers(E)
        worst, nopt, nl = pkrisk_ref.lambda_check(E, rho)
        print("# lethality_factor against 1 + (1/l - 1) max_recovery (rho %g): largest relative "
              "difference %.2e (%d options, %d with l < 1)" % (rho, worst, nopt, nl))
        out["lambda_check"] = {"rho": rho, "largest_rel_diff": worst, "options": nopt, "options_l_below_1": nl}
        for tname, static, d in pkrisk_ref.twin_docs(doc):
            _, adapts, ans, opts = EA[tname]
            jobs.append((tname, d, ans if adapts else None))
    tasks = []
    for k, (name, d, ans) in enumerate(jobs):
        if want and name not in want:
            continue
        M = pkrisk_ref.Model(d, ans)
        # independent Python seeds per arm, so that the z of different arms are independent tests
        seeds = [(a.seed + 1) * 1000003 + k * 100000007 + i for i in range(a.py_n)]
        tasks.append((name, d, ans, seeds, pkrisk_ref.metric_names(M)))
    t0 = time.time()
    ROWS = pkrisk_ref.run_many(tasks, a.jobs)
    pywall = time.time() - t0
    print("# Python: %d arms x %d replications in %.1f s wall (%d processes)" % (len(tasks), a.py_n, pywall, a.jobs))
    nflag = 0
    S_py = {}
    for name, d, ans, seeds, names in tasks:
        earm = next(x for x in E["arms"] if x["name"] == name)
        S = pkrisk_ref.summarize(ROWS[name], names)
        S_py[name] = S
        extra = ""
        if earm.get("adaptive_of"):
            extra = ", adaptive twin of `%s`, engine's answer played (adapts: %s)" % (
                earm["adaptive_of"], (earm.get("adversary") or {}).get("adapts"))
        print("\n## arm `%s` (engine n=%d, Python n=%d%s)\n" % (name, a.engine_n, a.py_n, extra))
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
    if doc.get("adversary"):
        vs_baseline_adaptive(E, S_py, a, a.markdown)
        if not a.no_pilot:
            answer_table(E, doc, a, a.markdown)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
