#!/usr/bin/python3
"""CVaR95 interval candidates on closed-form laws (docs/coverage.md, "Which intervals
changed, and why"): percentile, BCa (the engine's before), bootstrap-t (the engine's now),
normal with the influence-function standard error. Pure Python, standard library only.

  compare_cvar_intervals.py 400 200 1000     # n, samples per law, resamples
"""
import math, random, sys, bisect
from statistics import NormalDist
ND = NormalDist()

def panjer(lam, sizes, upto=400):
    # compound Poisson pmf: sizes = dict size->prob (size>=1)
    f = [0.0] * (upto + 1); f[0] = math.exp(-lam)
    for k in range(1, upto + 1):
        f[k] = lam / k * sum(j * sizes.get(j, 0) * f[k - j] for j in range(1, k + 1) if j in sizes)
    return f

def law_cvar(pmf, alpha=0.95):
    c = 0.0
    for k, p in enumerate(pmf):
        c += p
        if c >= alpha - 1e-12: var = k; break
    return var + sum(p * (k - var) for k, p in enumerate(pmf) if k > var) / (1 - alpha)

def cvar_of(sorted_x, alpha=0.95):
    n = len(sorted_x)
    r = max(1, math.ceil(alpha * n - 1e-9))
    var = sorted_x[r - 1]
    ex = sum(x - var for x in sorted_x[r:] if x > var)
    return var + ex / (n * (1 - alpha)), var

def if_se(sorted_x, var, alpha=0.95):
    n = len(sorted_x)
    e = [max(0.0, x - var) / (1 - alpha) for x in sorted_x]
    m = sum(e) / n
    return math.sqrt(sum((v - m) ** 2 for v in e) / (n - 1) / n)

def intervals(x, B, rng):
    x = sorted(x); n = len(x)
    est, var = cvar_of(x); se = if_se(x, var)
    stats, ts = [], []
    for _ in range(B):
        y = sorted(rng.choices(x, k=n))
        c, v = cvar_of(y); s = if_se(y, v)
        stats.append(c)
        ts.append((c - est) / s if s > 0 else (0.0 if c == est else math.copysign(1e9, c - est)))
    stats.sort(); ts.sort()
    at = lambda arr, q: arr[min(len(arr) - 1, int(math.floor(q * (len(arr) - 1) + 0.5)))]
    out = {}
    out["perc"] = (at(stats, 0.025), at(stats, 0.975))
    # BCa
    below = bisect.bisect_left(stats, est); eq = bisect.bisect_right(stats, est) - below
    share = min(max((below + 0.5 * eq) / B, 0.5 / B), 1 - 0.5 / B)
    z0 = ND.inv_cdf(share)
    jack = []
    for i in range(n):
        jack.append(cvar_of(x[:i] + x[i + 1:])[0])
    jm = sum(jack) / n
    num = sum((jm - v) ** 3 for v in jack); den = sum((jm - v) ** 2 for v in jack)
    acc = num / (6 * den ** 1.5) if den > 0 else 0.0
    lvl = lambda p: ND.cdf(z0 + (z0 + ND.inv_cdf(p)) / (1 - acc * (z0 + ND.inv_cdf(p))))
    out["bca"] = (at(stats, lvl(0.025)), at(stats, lvl(0.975)))
    out["boot_t"] = (est - at(ts, 0.975) * se, est - at(ts, 0.025) * se)
    out["bca_u_boot_t"] = (min(out["bca"][0], out["boot_t"][0]), max(out["bca"][1], out["boot_t"][1]))
    out["normal_if"] = (est - 1.96 * se, est + 1.96 * se)
    return out

def main():
    n = int(sys.argv[1]); seeds = int(sys.argv[2]); B = int(sys.argv[3])
    laws = {
        "poisson4": {k: p for k, p in enumerate(panjer(4.0, {1: 1.0}, 80))},
        "cp_geo3": None, "cp_rare": None,
    }
    geo = lambda mean: {j: (1 / mean) * (1 - 1 / mean) ** (j - 1) for j in range(1, 200)}
    pm = {"poisson4": panjer(4.0, {1: 1.0}, 80), "cp_geo3": panjer(2.0, geo(3.0), 250),
          "cp_rare": panjer(0.5, geo(4.0), 250)}
    for name, pmf in pm.items():
        truth = law_cvar(pmf)
        rng = random.Random(12345); vals = list(range(len(pmf)))
        cov = {}; wid = {}
        for s in range(seeds):
            x = rng.choices(vals, weights=pmf, k=n)
            for k, ci in intervals(x, B, rng).items():
                cov[k] = cov.get(k, 0) + (ci[0] - 1e-9 <= truth <= ci[1] + 1e-9)
                wid[k] = wid.get(k, 0) + ci[1] - ci[0]
        print(name, "truth %.3f" % truth, " ".join("%s=%.3f(w%.2f)" % (k, cov[k] / seeds, wid[k] / seeds) for k in cov), flush=True)

main()
