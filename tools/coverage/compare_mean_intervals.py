#!/usr/bin/python3
"""Candidate intervals of a mean, compared on per-replication dumps (docs/coverage.md,
"Which intervals changed, and why"). Pure Python, standard library only.

  # the dumps: seeds 1..200 at n = 50 (the first 20 replications of each are the
  # n = 20 run: replication i depends on the seed and i only)
  for s in $(seq 1 200); do build/tools/pkrisk run scenarios/minusma-north.yaml -n 50 --seed $s \
      -q -j 1 --format json --per-replication DIR/minusma-north.50/$s.csv > /dev/null; done
  compare_mean_intervals.py DIR minusma-north 20,50 [-v]

The engine's rule before the skewness correction (gamma below 30 effective events, Student t
above, MOVER for differences) is "t"; the others join Hall's or Johnson's corrections to it.
"""
import csv, json, math, os, sys, glob, collections

T975 = {19: 2.093024054408263, 49: 2.009575237129235}
Z = 1.959963984540054

# ---- regularized incomplete gamma and gamma quantile ----
def gammainc_p(a, x):
    if x <= 0: return 0.0
    if x < a + 1:
        ap, s, d = a, 1.0 / a, 1.0 / a
        for _ in range(100000):
            ap += 1; d *= x / ap; s += d
            if abs(d) < abs(s) * 1e-15: break
        return s * math.exp(-x + a * math.log(x) - math.lgamma(a))
    b = x + 1 - a; c = 1e300; d = 1 / b; h = d
    for i in range(1, 100000):
        an = -i * (i - a); b += 2
        d = an * d + b; d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c; c = 1e-300 if abs(c) < 1e-300 else c
        d = 1 / d; de = d * c; h *= de
        if abs(de - 1) < 1e-15: break
    return 1 - math.exp(-x + a * math.log(x) - math.lgamma(a)) * h

def gamma_q(shape, scale, p):
    lo, hi = 0.0, max(1.0, shape) * 10
    while gammainc_p(shape, hi) < p: hi *= 2
    for _ in range(100):
        m = (lo + hi) / 2
        if gammainc_p(shape, m) < p: lo = m
        else: hi = m
    return (lo + hi) / 2 * scale

def gamma_interval(s, v, w, n):
    w = max(1.0, w)
    lo = 0.0
    if s > 0 and v > 0: lo = gamma_q(s * s / v, v / s, 0.025)
    elif s > 0: lo = s
    y, vv = s + w, v + w * w
    hi = gamma_q(y * y / vv, vv / y, 0.975)
    return lo / n, hi / n

def count_interval(xs):
    n = len(xs); s = float(sum(xs)); m = s / n
    ss = sum((x - m) ** 2 for x in xs)
    v = max(ss * n / max(1, n - 1), s)
    return gamma_interval(s, v, v / s if s > 0 else 1.0, n)

def engine_nont(xs, diff):
    n = len(xs)
    if all(x == 0 for x in xs):
        b = 3.0 / n * (-math.log(0.05)) / 3.0
        return (-b if diff else 0.0, b)
    if not diff:
        return count_interval(xs)
    ip = count_interval([max(x, 0) for x in xs]); im = count_interval([max(-x, 0) for x in xs])
    p = sum(max(x, 0) for x in xs) / n; q = sum(max(-x, 0) for x in xs) / n
    mean = sum(xs) / n
    return (mean - math.hypot(p - ip[0], im[1] - q), mean + math.hypot(ip[1] - p, q - im[0]))

def moments(xs):
    n = len(xs); m = sum(xs) / n
    d2 = sum((x - m) ** 2 for x in xs); d3 = sum((x - m) ** 3 for x in xs)
    s = math.sqrt(d2 / (n - 1)) if n > 1 else 0.0
    m2 = d2 / n
    g1 = (d3 / n) / m2 ** 1.5 if m2 > 0 else 0.0
    G1 = g1 * math.sqrt(n * (n - 1)) / (n - 2) if n > 2 else g1
    return m, s, g1, G1

def hall(m, s, n, gam, q):
    # Hall (1992): g(T) = T + a T^2 + a^2 T^3 / 3 + b, a = gam/(3 sqrt n), b = gam/(6 sqrt n)
    if gam == 0: return (m - q * s / math.sqrt(n), m + q * s / math.sqrt(n))
    a = gam / (3 * math.sqrt(n)); b = gam / (6 * math.sqrt(n))
    def ginv(x):
        u = 1 + 3 * a * (x - b)
        return (math.copysign(abs(u) ** (1 / 3), u) - 1) / a
    se = s / math.sqrt(n)
    return (m - se * ginv(q), m - se * ginv(-q))

def union(a, b): return (min(a[0], b[0]), max(a[1], b[1]))


def candidates(xs, diff):
    n = len(xs)
    absx = sum(abs(x) for x in xs); sq = sum(x * x for x in xs)
    E = absx * absx / sq if sq > 0 else 0.0
    m, s, g1, G1 = moments(xs)
    q = T975[n - 1]
    t = (m - q * s / math.sqrt(n), m + q * s / math.sqrt(n))
    cur = t if (E >= 30 and s > 0) else engine_nont(xs, diff)
    out = {"t": cur}
    if s > 0:
        hh = hall(m, s, n, G1, q)
        out["hall_long"] = (cur[0], max(cur[1], hh[1])) if G1 > 0 else ((min(cur[0], hh[0]) if diff else max(0.0, min(cur[0], hh[0])), cur[1]) if G1 < 0 else cur)
        if G1 < 0 and not diff: out["hall_long"] = (min(cur[0], max(0.0, hh[0])), cur[1])
        out["hall_g1"] = union(cur, hall(m, s, n, g1, q))
        out["hall_G1"] = union(cur, hall(m, s, n, G1, q))
        out["hall_G1_E10"] = union(cur, hall(m, s, n, G1, q)) if E >= 10 else cur
        jo = (m + g1 * s / (6 * n) - q * s / math.sqrt(n), m + g1 * s / (6 * n) + q * s / math.sqrt(n))
        out["johnson"] = union(cur, jo)
        out["ssj_hall_G1"] = cur if n > 28 + 25 * G1 * G1 else union(cur, hall(m, s, n, G1, q))
    else:
        for k in ["hall_long","hall_g1","hall_G1","hall_G1_E10","johnson","ssj_hall_G1"]: out[k]=cur
    out["_ssj_flag"] = not (n > 28 + 25 * G1 * G1)
    return out

def main():
    data_dir, case, ns = sys.argv[1], sys.argv[2], [int(x) for x in sys.argv[3].split(",")]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    truths = json.load(open(os.path.join(root, "tests", "data", "coverage", "truths.json")))["cases"][case]
    files = sorted(glob.glob(os.path.join(data_dir, "%s.50" % case, "*.csv")))
    files = [f for f in files if not f.endswith(".tmp")]
    cov = collections.defaultdict(lambda: collections.Counter())
    width = collections.defaultdict(float)
    runs = collections.Counter()
    for f in files:
        rows = list(csv.reader(open(f)))
        head = rows[0]
        data = collections.defaultdict(lambda: collections.defaultdict(list))
        for r in rows[1:]:
            rep = int(r[0]); arm = r[1]
            for k, v in zip(head[2:], r[2:]):
                data[arm][k].append((rep, float(v)))
        for n in ns:
            base = None
            for t in truths["arms"]:
                a = t["name"]
                d = {k: [v for rep, v in sorted(vals) if rep < n] for k, vals in data[a].items()}
                if base is None: base = d
                items = []
                for m, tm in t["metrics"].items():
                    if tm["sd"] == 0 or tm["events_per_rep"] * n < 3: continue
                    items.append((a + ":" + m, d[m], tm["mean"], False))
                if "diff" in t and t["diff"]["mean"] != 0 and t["diff"]["events_per_rep"] * n >= 3:
                    xs = [x - y for x, y in zip(d["fatalities"], base["fatalities"])]
                    items.append((a + ":DIFF", xs, t["diff"]["mean"], True))
                for name, xs, truth, diff in items:
                    c = candidates(xs, diff)
                    key = (n, name)
                    runs[key] += 1
                    for meth, ci in c.items():
                        if meth.startswith("_"):
                            cov[key][meth] += ci; continue
                        ok = ci[0] - 1e-9 * (1 + abs(truth)) <= truth <= ci[1] + 1e-9 * (1 + abs(truth))
                        cov[key][meth] += ok
                        width[(key, meth)] += ci[1] - ci[0]
    meths = ["t","hall_long","hall_g1","hall_G1","hall_G1_E10","johnson","ssj_hall_G1"]
    print(case, "seeds", len(files))
    for n in ns:
        keys = [k for k in runs if k[0] == n]
        print(" n=%d items %d" % (n, len(keys)))
        for meth in meths:
            c = [cov[k][meth] / runs[k] for k in keys]
            wrel = sum(width[(k, meth)] / width[(k, "t")] for k in keys if width[(k, "t")] > 0) / len(keys)
            print("  %-14s pooled %.3f min %.3f below.93 %3d above.97 %3d relwidth %.3f" % (
                meth, sum(c) / len(c), min(c), sum(x < 0.93 for x in c), sum(x > 0.97 for x in c), wrel))
        fl = [cov[k]["_ssj_flag"] / runs[k] for k in keys]
        print("  ssj-flag share of runs: mean %.3f" % (sum(fl) / len(fl)))
        if "-v" in sys.argv:
            for k in sorted(keys, key=lambda k: cov[k]["t"] / runs[k])[:12]:
                print("   ", k, " ".join("%s=%.3f" % (m, cov[k][m] / runs[k]) for m in meths), "ssjflag=%.2f" % (cov[k]["_ssj_flag"] / runs[k]))

main()
