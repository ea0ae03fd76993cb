#!/usr/bin/python3
"""pkrisk_ref.py - an independent reference implementation of docs/model.md in Python.

Written only from docs/model.md, docs/model-notes.md, docs/scenario-format.md
and the scenario YAML (not from the C++ engine), to cross-check the engine's
numbers statistically.  The event kernel is SimPy 2 (Debian's python3-simpy,
`from SimPy.Simulation import ...`): every replication is one `Simulation`
instance with Process objects for IED emplacement and mine laying (one per zone),
IDF and VBIED (one per site), departure schedules (one per movement) and trips
(one per departure).  The mine stock at t = 0 (per_km, or the steady state of
laying, docs/model.md §2.2) is drawn before the run.  An IED or mine laid ahead
of a moving convoy interrupts the trip's `hold` (SimPy's interrupt mechanism),
and the trip re-plans its next event.
The MEDEVAC FIFO queue is settled in closed form at request time (requests are
served in arrival order, so a request's fate depends only on earlier ones).
Causes outside hostile action (§2.8): road accidents are a per-trip crash budget in
distance thinned by the hour, illness is drawn per site at t = 0 (its evacuated share as
one-patient MEDEVAC requests at uniform times, an IllEvac process per site), and a MEDEVAC
sortie crashes at dispatch (the helicopter is then lost).
A strike (IED or mine, §2.1 step 3) also wounds the occupants of the vehicles just
ahead of and just behind the struck one with their own type's blast.p_wound_adjacent,
in the same casualty event.

The adversary who answers (§2.9): with an `adversary:` block every arm counts attacks,
strikes and casualties per zone option, and each arm but the baseline gets an adaptive twin
`<arm>/adaptive` that plays an answer {(zone, option): (rate factor m, lethality factor
lambda)} along the path of the block (pieces of step_days, half-life, elapsed_days): the
engine's answer read from its JSON (--answer-from), or the reference's own, from its own
pilot of pilot_replications of the baseline and every arm.

Usage:
  /usr/bin/python3 pkrisk_ref.py SCENARIO.yaml -n 300 --seed 1 [--arms baseline,uav_x4] [-o out.json]
        [--jobs 2] [--answer-from ENGINE.json] [--pilot-n N]
"""
import argparse
import copy
import heapq
import json
import math
import os
import random
import re
import sys
import time

import yaml
from SimPy.Simulation import Simulation, Process, hold

HOURS_PER_DAY = 24.0
# power checks of readings of §2.9 (each a deliberately different reading, off by default):
# complex attacks thinned by the zone's ambush rate factor too; an IED's lethality factor
# read at its emplacement instead of its strike
ADV_THIN_COMPLEX = os.environ.get("PKRISK_REF_ADV_THIN_COMPLEX") == "1"
ADV_LETH_AT_EMPLACEMENT = os.environ.get("PKRISK_REF_ADV_LETH_AT_EMPLACEMENT") == "1"
NO_REAIM = os.environ.get("PKRISK_REF_NO_REAIM") == "1"
# deliberately wrong reading of evacuated illness (every evacuated case dies with plain
# case_fatality, whatever its time to care), to show the check's power
PKRISK_REF_ILL_PLAIN_CF = os.environ.get("PKRISK_REF_ILL_PLAIN_CF") == "1"
MALICIOUS = ("ied", "mine", "ambush", "idf", "vbied")
# causes outside hostile action (§2.8): not malicious
CAUSES = MALICIOUS + ("road_accident", "illness", "air_accident")
DETECTORS = ("route_clearance", "crew", "uav")


# ----------------------------------------------------------------------------
# Overrides (docs/model.md §5, §8.21)
# ----------------------------------------------------------------------------
_TOKEN = re.compile(r"([^.\[\]]+)((?:\[[^\]]*\])*)")


def _parse_path(path):
    steps = []
    for part in path.split("."):
        m = _TOKEN.fullmatch(part)
        if not m:
            raise ValueError("bad path %r" % path)
        steps.append(("key", m.group(1)))
        for sel in re.findall(r"\[([^\]]*)\]", m.group(2)):
            steps.append(("sel", sel))
    return steps


def apply_override(doc, path, value):
    steps = _parse_path(path)
    targets = [doc]
    for i, (kind, arg) in enumerate(steps):
        last = i == len(steps) - 1
        nxt = []
        for t in targets:
            if kind == "key":
                if not isinstance(t, dict):
                    continue
                if last:
                    nxt.append((t, arg))
                elif arg in t and t[arg] is not None:
                    nxt.append(t[arg])
            else:
                if not isinstance(t, list):
                    continue
                if arg == "*":
                    nxt.extend(t)
                else:
                    found = [e for e in t if isinstance(e, dict) and
                             any(str(e.get(k)) == arg for k in ("id", "type", "name"))]
                    if not found and re.fullmatch(r"\d+", arg) and int(arg) < len(t):
                        found = [t[int(arg)]]
                    nxt.extend(found)
        targets = nxt
        if not targets:
            raise ValueError("override path %r selects nothing" % path)
    for parent, key in targets:
        parent[key] = copy.deepcopy(value)


# ----------------------------------------------------------------------------
# Scenario
# ----------------------------------------------------------------------------
class Obj(object):
    def __init__(self, **kw):
        self.__dict__.update(kw)


def load_raw(path):
    with open(path) as f:
        doc = yaml.safe_load(f)
    cat = doc.get("vehicle_catalogue")
    if cat:
        with open(os.path.join(os.path.dirname(os.path.abspath(path)), cat)) as f:
            c = yaml.safe_load(f)
        vt = {v["id"]: v for v in c.get("vehicle_types", [])}
        for v in doc.get("vehicle_types") or []:
            vt[v["id"]] = v
        doc["vehicle_types"] = list(vt.values())
    return doc


class Model(object):
    """The scenario with units converted to hours.  `answer` (§2.9): the adaptive twin's
    answer, {(zone, option): (rate_factor m, lethality_factor lambda)} fully adapted, played
    along the path of the scenario's `adversary` block; None for a static arm."""

    def __init__(self, doc, answer=None):
        sc = doc["scenario"]
        self.H = float(sc["horizon_days"]) * HOURS_PER_DAY
        self.vtypes = {}
        for v in doc.get("vehicle_types") or []:
            b = v["blast"]
            self.vtypes[v["id"]] = Obj(id=v["id"], p_kill=float(b["p_kill"]), p_wound=float(b["p_wound"]),
                                       # §2.1 step 3, beyond the struck vehicle: an occupant is
                                       # wounded when the vehicle ahead or behind is struck
                                       p_adj=float(b.get("p_wound_adjacent") or 0.0),
                                       exposure=float(v.get("ambush_exposure", 1.0)),
                                       acc=float(v.get("accident_factor", 1.0)))
        self.zones = {}
        for z in doc["zones"]:
            windows = [(float(w["from_day"]) * 24, float(w["to_day"]) * 24, float(w["factor"]))
                       for w in (z.get("intensity") or [])]
            fmax = max([1.0] + [w[2] for w in windows])
            # distance hazards (§2.3): the `ambush` block is the hazard named 'ambush',
            # each entry of `ambushes` a further one named by its id
            hazards = []
            if z.get("ambush"):
                hazards.append(("ambush", z["ambush"]))
            for a in z.get("ambushes") or []:
                hazards.append((a["id"], a))
            # mines (§2.2): a stock at t = 0 (per_km, or the steady state of laying when
            # per_km is absent), optionally laid on at laying_per_km_day, with lifetimes
            mn = z.get("mines")
            mines = None
            if mn:
                lay = float(mn.get("laying_per_km_day", 0) or 0) / 24.0
                life = mn.get("lifetime_days")
                mines = Obj(per_km=None if mn.get("per_km") is None else float(mn["per_km"]),
                            lay=lay, life=None if life is None else float(life) * 24.0)
            # causes outside hostile action (§2.8): road accidents per vehicle-km, illness
            ra = z.get("road_accidents")
            road = None
            if ra:
                road = Obj(r=float(ra["per_million_vehicle_km"]) * 1e-6,
                           nf=float(ra.get("night_factor", 1.0)),
                           pk=float(ra["p_kill"]), pw=float(ra["p_wound"]))
            il = z.get("illness")
            illness = None
            if il:
                # evacuated illness (§2.8): a share e of the cases are one-patient MEDEVAC
                # requests whose case fatality is scaled by dow_curve(T) / dow_curve(T0)
                e = float(il.get("evacuated_share", 0) or 0)
                t0 = il.get("case_fatality_at_hours")
                illness = Obj(rate=float(il["per_1000_person_years"]) / 1000.0,
                              cf=float(il["case_fatality"]), e=e,
                              t0=None if t0 is None else float(t0))
            self.zones[z["id"]] = Obj(id=z["id"], ied=z.get("ied"), mines=mines,
                                      road=road, illness=illness,
                                      hazards=hazards,
                                      complex_amb=hazards[0][1] if hazards else None,
                                      idf=z.get("idf"),
                                      vbied=z.get("vbied"), windows=windows, fmax=fmax,
                                      segs=[], km=0.0)
        # vehicle pools (§3.5): how many each holds and what drives when none is free
        self.pools = {p["id"]: Obj(n=int(p["vehicles"]), fallback=self.vtypes[p["fallback_type"]])
                      for p in (doc.get("vehicle_pools") or [])}
        # contingents (§3.4): the fatalities key of each movement and site that names one
        self.contingents = {c["id"]: c for c in (doc.get("contingents") or [])}
        self.contingent_of = {}
        for s in doc["sites"]:
            if s.get("contingent"):
                self.contingent_of["fatalities_by_site." + s["id"]] = "fatalities_by_contingent." + s["contingent"]
        self.sites = []
        for s in doc["sites"]:
            p = s.get("protection") or {}
            self.sites.append(Obj(id=s["id"], zone=s["zone"], personnel=int(s["personnel"]),
                                  idf_exposure=float(p.get("idf_exposure", 1.0)),
                                  perimeter_stop=float(p.get("perimeter_stop", 0.0))))
        self.routes = {}
        for r in doc.get("routes") or []:
            segs = []
            x = 0.0
            for s in r["segments"]:
                L = float(s["length_km"])
                segs.append(Obj(zone=s["zone"], start=x, end=x + L, length=L))
                self.zones[s["zone"]].segs.append((r["id"], x, L))
                self.zones[s["zone"]].km += L
                x += L
            self.routes[r["id"]] = Obj(id=r["id"], segs=segs, L=x, passes=0.0)
        self.movements = []
        for m in doc.get("movements") or []:
            cont = self.contingents.get(m.get("contingent"))
            m = with_contingent(m, cont)
            if cont is not None:
                self.contingent_of["fatalities_by_movement." + m["id"]] = \
                    "fatalities_by_contingent." + cont["id"]
            groups = [Obj(vt=self.vtypes[v["type"]], count=int(v["count"]), crew=int(v["crew"]),
                          pool=v.get("pool"), priority=int(v.get("priority", 1)), keep=[])
                      for v in m["vehicles"]]
            lead = next((g for g in groups if g.count > 0), None)
            rc = m.get("route_clearance")
            speed = own_speed = float(m["speed_kmh"])
            if rc:
                speed = min(speed, float(rc["speed_kmh"]))
            c = m.get("c_ied")
            self.movements.append(Obj(
                id=m["id"], route=self.routes[m["route"]], schedule=dict(m["schedule"], count=int(m.get("count", 1))), speed=speed,
                round_trip=bool(m.get("round_trip", False)), groups=groups, lead=lead,
                nveh=sum(g.count for g in groups),
                c_ied=None if not c else Obj(tf=float(c.get("trained_fraction", 0)),
                                             pt=float(c.get("p_detect_trained", 0)),
                                             pu=float(c.get("p_detect_untrained", 0)),
                                             nf=float(c.get("night_factor", 1))),
                rc_p=None if not rc else float(rc["p_find"]),
                rc_nf=1.0 if not rc else float(rc.get("night_factor", 1)),
                jam_p=None if not m.get("jammer") else float(m["jammer"]["p_defeat"]),
                eod=float(m.get("eod_delay_hours", 0)), halt=float(m.get("halt_hours", 0)),
                spacing=float(m.get("spacing_m", 0) or 0), own_speed=own_speed,
                eod_disposal=m.get("eod_disposal"), learning=learning_curve(cont),
                # the clearance element's own vehicles lead an escorted column (§2.1)
                rc_groups=[Obj(vt=self.vtypes[v["type"]], count=int(v["count"]), crew=int(v["crew"]))
                           for v in ((rc or {}).get("vehicles") or [])]))
        # pool priorities (§3.5): a pooled group of priority p keeps, for each group of another
        # movement on the same pool with a smaller number, (its count, its movement's mean
        # departures per hour r_j: periodic count / every_hours, Poisson count x per_day / 24)
        for mv in self.movements:
            s = mv.schedule
            if s.get("poisson_per_day") is not None:
                mv.rate = s["count"] * float(s["poisson_per_day"]) / 24.0
            else:
                mv.rate = s["count"] / float(s["every_hours"])
        for mv in self.movements:
            for g in mv.groups:
                if g.pool is None:
                    continue
                g.keep = [(o.count, other.rate)
                          for other in self.movements if other is not mv
                          for o in other.groups
                          if o.pool == g.pool and o.priority < g.priority
                          and o.count > 0 and other.rate > 0]
        # P_r (§2.2): passages per hour of a point of route r, expected departures over the
        # horizon / horizon, twice for a round trip
        for mv in self.movements:
            mv.route.passes += expected_departures(mv.schedule, self.H) / self.H * (2 if mv.round_trip else 1)
        # shared clearance teams (§8.14): teams x escorts_per_week escorts a week
        ct = doc.get("clearance_teams")
        self.escorts_a_week = None if not ct else int(ct["teams"]) * int(ct["escorts_per_week"])
        u = doc.get("uav")
        self.uav = None
        if u:
            area = u.get("area")
            ow = u.get("overwatch")
            self.uav = Obj(n=int(u["aircraft"]), avail=float(u.get("availability", 1.0)),
                           ground=float(u.get("weather_grounding", 0.0)),
                           ow=None if not ow else Obj(p_det=float(ow["p_detect_ied"]), p_warn=float(ow["p_warn"]),
                                                      nf=float(ow.get("night_factor", 1))),
                           area=None)
            if area:
                zs = set(area["zones"])
                self.uav.area = Obj(zones=zs, kpa=float(area["km_per_aircraft"]),
                                    p_obs=float(area["p_observe"]), det=float(area["deterrence"]),
                                    km=sum(self.zones[z].km for z in zs))
        me = doc.get("medevac")
        self.medevac = None
        if me:
            m = float(me["flight_hours"])
            sd = float(me.get("flight_sd_hours", 0) or 0)
            if sd > 0 and m > 0:
                s2 = math.log(1 + sd * sd / (m * m))
                mu, sig = math.log(m) - s2 / 2, math.sqrt(s2)
            else:
                mu, sig = None, 0.0
            self.medevac = Obj(n=int(me["helicopters"]), dispatch=float(me.get("dispatch_hours", 0)),
                               mean=m, mu=mu, sig=sig, night=bool(me.get("night_flying", False)),
                               maxwait=float(me.get("max_wait_hours", 0)),
                               ground=float(me["ground_evac_hours"]),
                               curve=[(float(a), float(b)) for a, b in me["dow_curve"]],
                               acc=None)
            # where the Role 2 is (§3.3): movements[*].care and sites[*].care may give their
            # casualties' own flight_hours (the mission's draw scaled to that mean, the same
            # coefficient of variation) and ground_evac_hours; with or without a care chain
            self.medevac.local = {}
            for kind, lst in (("movement", doc.get("movements")), ("site", doc.get("sites"))):
                for e in lst or []:
                    c = e.get("care") or {}
                    fh, gh = c.get("flight_hours"), c.get("ground_evac_hours")
                    if fh is not None or gh is not None:
                        self.medevac.local["fatalities_by_%s.%s" % (kind, e["id"])] = (
                            None if fh is None else float(fh), None if gh is None else float(gh))
            ac = me.get("accidents")
            if ac:
                # aviation accidents of the sorties (§2.8)
                self.medevac.acc = Obj(r=float(ac["per_100k_flight_hours"]) / 1e5,
                                       nf=float(ac.get("night_factor", 1.0)),
                                       crew=int(ac.get("crew", 4)), pk=float(ac["p_kill"]))
        # the care chain (§3.6), only under a medevac block
        self.care = None
        cc = (me or {}).get("care_chain")
        if cc:
            self.care = care_chain(cc, doc)
        # the adversary who answers (§2.9): with the block every arm counts attacks, strikes
        # and casualties per option; a twin plays its answer
        self.adv = doc.get("adversary")
        self.adv_on = self.adv is not None
        self.options = adversary_options(doc) if self.adv_on else []
        self.play = None
        if answer is not None:
            self.play = build_play(self, answer, self.adv or {})

    def piece(self, t):
        """The piece of step_days (§2.9) holding time t (hours)."""
        return min(int(t // self.play.step_h), self.play.K - 1)

    def intensity(self, z, t):
        for a, b, f in z.windows:
            if a <= t < b:
                return f
        return 1.0


TRIGGERS = ("pressure", "command", "radio")
OPTIONS = ("ied_pressure", "ied_command", "ied_radio", "ambush", "idf", "vbied")


def adversary_options(doc):
    """The options of every zone (§2.9), in the order the engine reports them: a zone's IEDs
    by trigger (all three when it has an `ied` block), its ambushes (the `ambush` block and
    every entry of `ambushes`, one option), indirect fire, VBIEDs. Mines are not an option."""
    out = []
    for z in doc["zones"]:
        if z.get("ied"):
            out += [(z["id"], "ied_" + t) for t in TRIGGERS]
        if z.get("ambush") or z.get("ambushes"):
            out.append((z["id"], "ambush"))
        if z.get("idf"):
            out.append((z["id"], "idf"))
        if z.get("vbied"):
            out.append((z["id"], "vbied"))
    return out


def adversary_metric_names(options):
    return ["adversary.%s.%s.%s" % (z, o, k) for z, o in options for k in ("attacks", "strikes", "casualties")]


def path_g(blk, H):
    """g at the middle of each piece of step_days of the horizon (§2.9): g(tau) =
    1 - 2^(-tau/h), tau = elapsed_days + the piece's middle (a last, shorter piece: the
    middle of what is left of the horizon; PKRISK_REF_ADV_FULL_PIECE=1 takes k + step/2
    instead); 1 everywhere without a half-life. Returns (step in hours, [g_k])."""
    step = float(blk.get("step_days", 7) or 7)
    hd = H / 24.0
    K = max(1, int(math.ceil(hd / step - 1e-12)))
    el = float(blk.get("elapsed_days", 0) or 0)
    h = blk.get("half_life_days")
    gs = []
    for k in range(K):
        a = k * step
        b = min((k + 1) * step, hd)
        if os.environ.get("PKRISK_REF_ADV_FULL_PIECE") == "1":
            b = (k + 1) * step
        tau = el + (a + b) / 2.0
        gs.append(1.0 if h is None else 1.0 - 2.0 ** (-tau / float(h)))
    return step * 24.0, gs


def build_play(M, answer, blk):
    """The path of the answer (§2.9): per option, rate factor F[k] = 1 + (m - 1) g_k and
    lethality factor L[k] = 1 + (lambda - 1) g_k per piece k; per zone the IED weights
    mix_t F_t[k] (their sum thins emplacement, their shares draw the trigger) and the bounds
    (largest factor of the path) at which candidates are drawn. None when nothing moves."""
    if not answer or all(m == 1.0 and l == 1.0 for m, l in answer.values()):
        return None
    step_h, gs = path_g(blk, M.H)
    P = Obj(step_h=step_h, K=len(gs), F={}, L={}, B={}, ied={})
    for key, (m, l) in answer.items():
        P.F[key] = [1.0 + (m - 1.0) * g for g in gs]
        P.L[key] = [1.0 + (l - 1.0) * g for g in gs]
        P.B[key] = max(P.F[key])
    for zid, z in M.zones.items():
        if not z.ied:
            continue
        mix = z.ied["trigger_mix"]
        W = []
        for k in range(len(gs)):
            W.append([float(mix.get(t, 0) or 0) * P.F.get((zid, "ied_" + t), [1.0] * len(gs))[k]
                      for t in TRIGGERS])
        tot = [sum(w) for w in W]
        P.ied[zid] = Obj(W=W, tot=tot, B=max(tot))
    return P


def adversary_answer(base, arm, options, blk):
    """The answer to an arm (§2.9) from pilot sums {(zone, option): [attacks, strikes,
    casualties]} of the baseline and the arm: per option (s, r, l, m, lambda)."""
    eps = float(blk.get("displacement_elasticity", 0) or 0)
    eta = float(blk.get("total_elasticity", 0) or 0)
    rho = float(blk.get("max_recovery", 0) or 0)
    tot = sum(base[o][0] for o in options)
    out = {}
    for o in options:
        ab, sb, cb = base[o]
        aa, sa, ca = arm[o]
        s = ab / tot if tot > 0 else 0.0
        r = (ca / aa) / (cb / ab) if ab > 0 and aa > 0 and cb > 0 else 1.0
        l = (ca / sa) / (cb / sb) if sb > 0 and sa > 0 and cb > 0 else 1.0
        out[o] = [s, r, l]
    return answer_closed_form(out, eps, eta, rho)


def answer_closed_form(srl, eps, eta, rho):
    """m_i = T r_i^eps / sum_j s_j r_j^eps, T = (sum_j s_j r_j)^eta; lambda_i = 1 + (1/l_i - 1)
    rho where l_i < 1, else 1 (§2.9). srl: {option: [s, r, l]} -> {option: (s, r, l, m, lam)}."""
    T = sum(s * r for s, r, _ in srl.values()) ** eta
    D = sum(s * r ** eps for s, r, _ in srl.values())
    out = {}
    for o, (s, r, l) in srl.items():
        m = T * r ** eps / D if D > 0 else 1.0
        lam = 1.0 + (1.0 / l - 1.0) * rho if 0 < l < 1 else (1.0 if l >= 1 else float("inf"))
        out[o] = (s, r, l, m, lam)
    return out


def expected_departures(s, H):
    """Expected departures in [0, H) of a schedule (§8.12): Poisson, or periodic with
    Uniform[-J/2, J/2] jitter, clamped at 0, dropped at or after the horizon."""
    if s.get("poisson_per_day") is not None:
        return s["count"] * float(s["poisson_per_day"]) / 24.0 * H
    J = float(s.get("jitter_hours", 0))
    n, k = 0.0, 0
    while nominal_time(s, k) - J / 2 < H:
        t = nominal_time(s, k)
        n += 1.0 if J <= 0 or t + J / 2 < H else (H - (t - J / 2)) / J
        k += 1
    return n


def nominal_time(s, d):
    """Departure d of a periodic schedule before jitter: a class of `count` leaves
    spread_hours / count apart at each time (§8.12)."""
    ev = float(s["every_hours"])
    first = float(s.get("first_hour", 0))
    c = s["count"]
    spread = float(s.get("spread_hours", ev))
    return first + (d // c) * ev + (d % c) * spread / c


def dow_p(curve, T):
    if T <= curve[0][0]:
        return curve[0][1]
    for (x0, y0), (x1, y1) in zip(curve, curve[1:]):
        if T <= x1:
            return y0 + (y1 - y0) * (T - x0) / (x1 - x0) if x1 > x0 else y1
    return curve[-1][1]


CATS = ("t1", "t2", "t3")


def care_chain(cc, doc):
    """medevac.care_chain (docs/model.md §3.6, docs/scenario-format.md), times in hours.
    Category index 0, 1, 2 = T1, T2, T3."""
    def by_cat(blk, default):
        blk = blk or {}
        return [float(blk.get(k, default) if blk.get(k) is not None else default) for k in CATS]
    sev = by_cat(cc["severity"], 0.0)
    fa = cc.get("first_aid") or {}
    ac = cc.get("advanced_care") or {}
    hz = cc.get("hazard_per_hour") or {}
    ps = cc.get("potentially_survivable")
    r2 = cc.get("role2")
    C = Obj(sev=sev,
            rs=float(fa.get("responder_share", 0.0)),
            resp_h=float(fa.get("responder_minutes", 5.0)) / 60.0,
            fa_h=float(fa.get("minutes", 30.0)) / 60.0,
            fwd_role1=bool(ac.get("forward_role1", False)),
            camp_role1=bool(ac.get("camp_role1", True)),
            role1_h=float(ac.get("role1_minutes", 30.0)) / 60.0,
            h1=by_cat(hz.get("before_first_aid"), 0.0),
            h2=by_cat(hz.get("before_advanced_care"), 0.0),
            rr=by_cat(cc.get("dow_relative_risk"), 1.0),
            ps=None if not ps else Obj(share=float(ps["share_of_killed"]),
                                       h1=float(ps["hazard_before_first_aid"]),
                                       h2=float(ps["hazard_before_advanced_care"])),
            role2=None, local={})
    if r2:
        st = r2.get("stay_days") or {}
        C.role2 = Obj(tables=int(r2["operating_tables"]), surgery_h=float(r2["surgery_hours"]),
                      beds=None if r2.get("beds") is None else int(r2["beds"]),
                      stay=[int(st.get(k, d) if st.get(k) is not None else d)
                            for k, d in zip(CATS, (7, 3, 1))])
    # per movement and site (movements[*].care, sites[*].care): responder share and a Role 1
    # on the spot, the chain's where unset (forward_role1 for movements, camp_role1 for sites)
    for m in doc.get("movements") or []:
        c = m.get("care") or {}
        C.local["fatalities_by_movement." + m["id"]] = (
            float(c["responder_share"]) if c.get("responder_share") is not None else C.rs,
            bool(c["role1"]) if c.get("role1") is not None else C.fwd_role1)
    for s in doc.get("sites") or []:
        c = s.get("care") or {}
        C.local["fatalities_by_site." + s["id"]] = (
            float(c["responder_share"]) if c.get("responder_share") is not None else C.rs,
            bool(c["role1"]) if c.get("role1") is not None else C.camp_role1)
    return C


# ----------------------------------------------------------------------------
# One replication
# ----------------------------------------------------------------------------
def poisson(rng, mean):
    if mean <= 0:
        return 0
    if mean > 50:
        # exact: a sum of independent Poissons of at most 50 each
        k = int(mean // 50)
        return sum(poisson(rng, 50.0) for _ in range(k)) + poisson(rng, mean - 50.0 * k)
    L = math.exp(-mean)
    k, p = 0, rng.random()
    while p > L:
        k += 1
        p *= rng.random()
    return k


def binom(rng, n, p):
    if p <= 0 or n <= 0:
        return 0
    if p >= 1:
        return n
    r = rng.random
    return sum(1 for _ in range(n) if r() < p)


class Dev(object):
    __slots__ = ("route", "x", "zone", "trigger", "expiry", "alive", "mine", "t_laid")

    def __init__(self, route, x, zone, trigger, expiry, mine, t_laid=0.0):
        self.route, self.x, self.zone, self.trigger = route, x, zone, trigger
        self.expiry, self.alive, self.mine, self.t_laid = expiry, True, mine, t_laid


def with_contingent(m, cont):
    """The movement as its contingent makes it (§3.4): its crews' training and night
    detection, no departures outside 06-18 under the night caveat, and of each vehicle group
    round(count x fill) present (half up), the rest driving as the shortfall type behind them."""
    if cont is None:
        return m
    m = copy.deepcopy(m)
    if cont.get("trained_fraction") is not None:
        m.setdefault("c_ied", {})["trained_fraction"] = cont["trained_fraction"]
    if cont.get("night_factor") is not None:
        m.setdefault("c_ied", {})["night_factor"] = cont["night_factor"]
    if cont.get("night_moves") is False:
        w = m["schedule"].get("window") or {"from_hour": 0, "to_hour": 24}
        m["schedule"]["window"] = {"from_hour": max(6.0, float(w["from_hour"])),
                                   "to_hour": min(18.0, float(w["to_hour"]))}
    fill = cont.get("equipment_fill")
    if fill:
        out = []
        for v in m["vehicles"]:
            keep = int(math.floor(int(v["count"]) * float(fill["rate"]) + 0.5))
            if v["type"] == fill["shortfall_type"] or keep >= int(v["count"]):
                out.append(v)
                continue
            out.append(dict(v, count=keep))
            out.append(dict(v, type=fill["shortfall_type"], count=int(v["count"]) - keep))
        m["vehicles"] = out
    return m


def learning_curve(cont):
    """The factor on a contingent's crews' detection at time t (hours) after a rotation (§3.4)."""
    rot = (cont or {}).get("rotation")
    if not rot:
        return lambda t: 1.0
    first = float(rot["first_day"]) * 24.0
    every = float(rot.get("every_days") or 0) * 24.0
    learn = float(rot["learning_days"]) * 24.0
    f0 = float(rot["initial_factor"])

    def L(t):
        if t < first:
            return 1.0
        since = t - first
        if every > 0:
            since -= every * math.floor(since / every)
        return 1.0 if since >= learn else f0 + (1.0 - f0) * since / learn
    return L


def day_profile(blk):
    """A threat's time-of-day profile (§2.6): (peak, relative rate at t), weights by hour
    rescaled to a daily mean of 1; hours no window lists weigh 1."""
    wins = [(float(w["from_hour"]), float(w["to_hour"]), float(w["weight"]))
            for w in (blk.get("time_of_day") or [])]
    if not wins:
        return 1.0, lambda t: 1.0
    covered = sum(b - a for a, b, _ in wins)
    mean = (sum((b - a) * w for a, b, w in wins) + (24.0 - covered)) / 24.0
    top = max([w for _, _, w in wins] + ([1.0] if covered < 24.0 else []))

    def rel(t):
        h = t % 24.0
        for a, b, w in wins:
            if a <= h < b:
                return w / mean
        return 1.0 / mean
    return top / mean, rel


def at_hour(p, night_factor, t):
    """A detector's probability at time t (hours): times night_factor outside 06:00-18:00."""
    h = t % 24.0
    return p if 6.0 <= h < 18.0 else min(1.0, p * night_factor)


class Rep(object):
    def __init__(self, M, rng):
        self.M, self.rng = M, rng
        self.sim = Simulation()
        self.c = dict()
        self.devs = {r: [] for r in M.routes}
        # trips moving on each route, in the order they started their current hold: a dict,
        # not a set, so that re-aiming (place) interrupts them in an order that does not
        # depend on object addresses and a run is reproducible from its seed
        self.moving = {r: {} for r in M.routes}
        self.assigned = 0
        self.week, self.escorts_left = -1, 0
        self.pool_free = {k: p.n for k, p in M.pools.items()}
        u = M.uav
        ndays = int(math.ceil(M.H / 24.0)) + 1
        self.capable = [0] * ndays
        if u:
            for d in range(ndays):
                if rng.random() < u.ground:
                    self.capable[d] = 0
                else:
                    self.capable[d] = binom(rng, u.n, u.avail)
        me = M.medevac
        self.heli = [0.0] * (me.n if me else 0)
        self.patients = []  # (arrival at the Role 2, number, injury time, category, u', cause, who)

    def inc(self, k, v=1):
        self.c[k] = self.c.get(k, 0) + v

    def adv(self, zid, opt, attacks=0, strikes=0, cas=0):
        """Per-option counts of §2.9 (only with an `adversary` block)."""
        if not self.M.adv_on:
            return
        pre = "adversary.%s.%s." % (zid, opt)
        if attacks:
            self.inc(pre + "attacks", attacks)
        if strikes:
            self.inc(pre + "strikes", strikes)
        if cas:
            self.inc(pre + "casualties", cas)

    def leth(self, zid, opt, t):
        """The adaptive twin's lethality factor of option opt of zone zid at time t (§2.9)."""
        P = self.M.play
        if P is None:
            return 1.0
        L = P.L.get((zid, opt))
        return 1.0 if L is None else L[self.M.piece(t)]

    def now(self):
        return self.sim._t

    # --- UAV -------------------------------------------------------------
    def free_aircraft(self, t):
        return max(0, self.capable[int(t // 24)] - self.assigned)

    def coverage(self, zid, t):
        u = self.M.uav
        if not u or not u.area or zid not in u.area.zones or u.area.km <= 0:
            return 0.0
        return min(1.0, self.free_aircraft(t) * u.area.kpa / u.area.km)

    def request_clearance(self, t):
        if self.M.escorts_a_week is not None:
            week = int(math.floor(t / 168.0))
            if week != self.week:
                self.week, self.escorts_left = week, self.M.escorts_a_week
            if self.escorts_left == 0:
                self.inc("route_clearance.refused")
                return False
            self.escorts_left -= 1
        self.inc("route_clearance.escorts")
        return True

    def request_overwatch(self, t):
        u = self.M.uav
        if u and u.ow and self.capable[int(t // 24)] - self.assigned > 0:
            self.assigned += 1
            return True
        return False

    # --- casualties and MEDEVAC -------------------------------------------
    def dead(self, kind, cause, who, n):
        """n deaths counted as kind ('kia' or 'dow') of cause, for movement/site `who`."""
        if n <= 0:
            return
        self.inc(kind, n)
        self.inc(kind + "_by_cause." + cause, n)
        if who is None:
            return
        self.inc(who, n)
        cont = self.M.contingent_of.get(who)
        if cont:
            self.inc(cont, n)

    def casualties(self, t, cause, killed, wounded, who):
        if self.M.care is not None and self.M.medevac is not None:
            return self.care_event(t, cause, killed, wounded, who)
        self.dead("kia", cause, who, killed)
        if wounded <= 0:
            return
        me = self.M.medevac
        if me is None:
            self.inc("wia", wounded)
            self.inc("wia_by_cause." + cause, wounded)
            return
        rng = self.rng
        T, _, crash = self.evacuate(t, who)
        p = dow_p(me.curve, T)
        dead = binom(rng, wounded, p)
        self.dead("dow", cause, who, dead)
        surv = wounded - dead
        if crash:
            # the sortie crashed (§2.8): its survivors and crew are killed with p_kill;
            # patients stay with their movement or site, the crew count under air_accident alone
            k = binom(rng, surv, me.acc.pk)
            self.dead("kia", "air_accident", who, k)
            surv -= k
            self.dead("kia", "air_accident", None, binom(rng, me.acc.crew, me.acc.pk))
        self.inc("wia", surv)
        self.inc("wia_by_cause." + cause, surv)

    def ill_patient(self, t, il, who):
        """One evacuated case of illness (§2.8): a MEDEVAC request of one patient from its
        site; dies with min(1, cf x dow_curve(T) / dow_curve(T0)) (cf when dow_curve(T0)
        is 0), counted in dow under illness; a survivor aboard a crashed sortie is killed
        with p_kill (air_accident); survivors count only in illness.cases. No triage, no
        operating table, no care-chain metric, with or without a chain."""
        me, rng = self.M.medevac, self.rng
        self.inc("illness.cases")
        T, _, crash = self.evacuate(t, who)
        d0 = dow_p(me.curve, il.t0)
        p = il.cf if d0 <= 0 else min(1.0, il.cf * dow_p(me.curve, T) / d0)
        if PKRISK_REF_ILL_PLAIN_CF:
            p = il.cf  # deliberately wrong reading, to show the check's power
        died = rng.random() < p
        if died:
            self.dead("dow", "illness", who, 1)
        if crash:
            if not died and rng.random() < me.acc.pk:
                self.dead("kia", "air_accident", who, 1)
            self.dead("kia", "air_accident", None, binom(rng, me.acc.crew, me.acc.pk))

    def evacuate(self, t, who=None):
        """One MEDEVAC request at t (§3.3, §8.16-18) from movement or site `who`: (time to
        care T, time at which the evacuation brings advanced care: the crew halfway through
        the flight, or arrival by ground), both in hours from t, and whether the sortie
        crashed (§2.8: drawn at dispatch with 1 - exp(-r F nf), the helicopter is lost for
        the rest of the run). F and the ground time are `who`'s own when its care block
        gives them (§3.3, "Where the Role 2 is")."""
        me = self.M.medevac
        rng = self.rng
        self.inc("medevac.requests")
        flight = me.mean if me.sig <= 0 else rng.lognormvariate(me.mu, me.sig)
        ground = me.ground
        loc = me.local.get(who)
        if loc is not None:
            fh, gh = loc
            if fh is not None:
                # the mission's draw scaled to this mean (same uniform, same CV);
                # a mission mean of 0 leaves nothing to scale: the flight is fh exactly
                flight = flight * (fh / me.mean) if me.mean > 0 else fh
            if gh is not None:
                ground = gh
        # the crash uniform is drawn by ground too (§2.8), and only with accidents
        ucrash = rng.random() if me.acc is not None else None
        if me.n == 0:
            self.inc("medevac.ground")
            return ground, ground, False
        i = min(range(len(self.heli)), key=self.heli.__getitem__)
        d = max(t, self.heli[i])
        if d != float("inf") and not me.night:
            h = d % 24.0
            if h < 6.0:
                d += 6.0 - h
            elif h >= 18.0:
                d += 30.0 - h
        if d > t:
            self.inc("medevac.waited")
        if d - t <= me.maxwait:
            self.heli[i] = d + me.dispatch + flight
            crash = False
            if ucrash is not None:
                h = d % 24.0
                f = 1.0 if 6.0 <= h < 18.0 else me.acc.nf
                if ucrash < 1.0 - math.exp(-me.acc.r * flight * f):
                    crash = True
                    self.inc("air_accident.crashes")
                    self.heli[i] = float("inf")
            return (d - t) + me.dispatch + flight, (d - t) + me.dispatch + flight / 2.0, crash
        self.inc("medevac.ground")
        T = me.maxwait + ground
        return T, T, False

    def care_event(self, t, cause, killed, wounded, who):
        """The care chain of one event (§3.6): triage, potentially survivable killed, first
        aid, advanced care and deaths before them; the survivors go on to surgery, at once
        on arrival without a Role 2, else queued in settle_role2()."""
        C, me, rng = self.M.care, self.M.medevac, self.rng
        nps = binom(rng, killed, C.ps.share) if C.ps else 0
        self.dead("kia", cause, who, killed - nps)
        cats = []
        for _ in range(wounded):
            v = rng.random()
            k = 0 if v < C.sev[0] else (1 if v < C.sev[0] + C.sev[1] else 2)
            cats.append(k)
        # the potentially survivable after the event's wounded (their order in the Role 2
        # queue when they arrive together; the engine's order, see README)
        cats += [0] * nps
        if not cats:
            return
        T, t_ac_evac, crash = self.evacuate(t, who)
        if crash:
            # the crew of the crashed sortie (§2.8), under air_accident alone
            self.dead("kia", "air_accident", None, binom(rng, me.acc.crew, me.acc.pk))
        rs, role1 = C.local.get(who, (C.rs, False))
        for j, k in enumerate(cats):
            ps = j >= wounded
            h1, h2 = (C.ps.h1, C.ps.h2) if ps else (C.h1[k], C.h2[k])
            resp = rng.random() < rs
            t_fa = C.resp_h if resp else C.fa_h
            t_ac = min(C.role1_h if role1 else t_ac_evac, T)
            t_fa = min(t_fa, t_ac)
            u = rng.random()
            p1 = 1.0 - math.exp(-h1 * t_fa)
            p2 = 1.0 - math.exp(-h2 * (t_ac - t_fa))
            q = p1 + (1.0 - p1) * p2
            t1 = k == 0
            if t1:
                self.inc("care.t1")
            if u < p1:
                self.inc("care.died_before_first_aid")
                self.dead("kia", cause, who, 1)
                continue
            if t1 and t_fa <= 10.0 / 60.0:
                self.inc("care.t1_first_aid_10min")
            if u < q:
                self.inc("care.died_before_advanced_care")
                self.dead("kia", cause, who, 1)
                continue
            if t1 and t_ac <= 1.0:
                self.inc("care.t1_advanced_care_1h")
            if crash and rng.random() < me.acc.pk:
                # aboard the crashed sortie (§3.6: the crash comes before care)
                self.dead("kia", "air_accident", who, 1)
                continue
            u2 = (u - q) / (1.0 - q)
            if C.role2 is None:
                # surgery on arrival; the engine counts these operations in care.surgeries
                # too (no table or bed counts), see README
                if self.surgery_fate(k, u2, T, cause, who) and k != 2:
                    self.inc("care.surgeries")
            else:
                self.patients.append((t + T, len(self.patients), t, k, u2, cause, who))

    def surgery_fate(self, k, u2, t_s, cause, who):
        """Dies before surgery at t_s hours from injury with min(1, r_k dow_curve(t_s))."""
        C, me = self.M.care, self.M.medevac
        if u2 < min(1.0, C.rr[k] * dow_p(me.curve, t_s)):
            self.dead("dow", cause, who, 1)
            return False
        self.inc("wia")
        self.inc("wia_by_cause." + cause)
        if k == 0 and t_s <= 2.0:
            self.inc("care.t1_surgery_2h")
        return True

    def settle_role2(self):
        """The Role 2 (§3.6): T1 and T2 operated on in arrival order on c tables, fate decided
        when the operation would start (the dead use no table), exponential operations; T3
        decided on arrival. Survivors take a bed from the decision for stay_days."""
        R2 = self.M.care.role2
        rng = self.rng
        tables = [0.0] * R2.tables
        beds = []
        wait = table = 0.0
        for a, _, t0, k, u2, cause, who in sorted(self.patients):
            if k == 2:
                if self.surgery_fate(k, u2, a - t0, cause, who):
                    beds.append((a, R2.stay[k]))
                continue
            i = min(range(len(tables)), key=tables.__getitem__)
            start = max(a, tables[i])
            if not self.surgery_fate(k, u2, start - t0, cause, who):
                continue
            self.inc("care.surgeries")
            if start > a:
                self.inc("care.surgery_waited")
                wait += start - a
            dur = rng.expovariate(1.0 / R2.surgery_h)
            table += dur
            tables[i] = start + dur
            beds.append((start, R2.stay[k]))
        self.inc("care.surgery_wait_minutes", int(round(wait * 60.0)))
        self.inc("care.table_minutes", int(round(table * 60.0)))
        occ = []
        peak = 0
        for d, days in sorted(beds):
            while occ and occ[0] <= d:
                heapq.heappop(occ)
            if R2.beds is not None and len(occ) >= R2.beds:
                self.inc("care.over_capacity")
            heapq.heappush(occ, d + days * 24.0)
            peak = max(peak, len(occ))
            self.inc("care.bed_days", days)
        self.inc("care.peak_beds", peak)

    # --- devices ------------------------------------------------------------
    def pick_place(self, z):
        """A segment of z chosen by length, then a uniform point along it (§2.1)."""
        rng = self.rng
        w = rng.random() * z.km
        for rid, start, L in z.segs:
            if w < L:
                break
            w -= L
        return rid, start + rng.random() * L

    def place(self, proc, dev):
        """Put a device on its route at the current time; re-aim moving convoys on that
        route that would reach it before their planned event (§8.10)."""
        t = self.now()
        self.devs[dev.route].append(dev)
        # (PKRISK_REF_NO_REAIM=1 disables this, to show the check's power)
        for trip in ([] if NO_REAIM else list(self.moving[dev.route])):
            pos = trip.pos + trip.dir * trip.speed * (t - trip.t0)
            ahead = trip.dir * (dev.x - pos)
            if ahead > 0 and t + ahead / trip.speed < trip.wake:
                proc.interrupt(trip)

    def finish(self):
        H = self.M.H
        if self.M.care is not None and self.M.care.role2 is not None:
            self.settle_role2()
        for lst in self.devs.values():
            for d in lst:
                if d.alive and d.expiry < H:
                    self.inc("mine.expired" if d.mine else "ied.expired")
        c = self.c
        c["fatalities"] = c.get("kia", 0) + c.get("dow", 0)
        for k in CAUSES:
            c["fatalities_by_cause." + k] = c.get("kia_by_cause." + k, 0) + c.get("dow_by_cause." + k, 0)
        c["fatalities_malicious"] = sum(c["fatalities_by_cause." + k] for k in MALICIOUS)
        return c


class Emplacer(Process):
    def run(self, R, z):
        M, rng = R.M, R.rng
        ied = z.ied
        peak, rel = day_profile(ied)
        # the adaptive twin (§2.9): candidates at the bound of the mix-weighted factor
        zp = M.play.ied.get(z.id) if M.play is not None else None
        rate = float(ied["emplacement_per_km_day"]) * z.km / 24.0 * z.fmax * peak * (zp.B if zp else 1.0)
        if rate <= 0:
            return
        life = float(ied["lifetime_days"]) * 24.0
        mix = ied["trigger_mix"]
        cum = []
        acc = 0.0
        for k in ("pressure", "command", "radio"):
            acc += float(mix.get(k, 0))
            cum.append((acc, k))
        u = M.uav
        in_area = bool(u and u.area and z.id in u.area.zones)
        t = 0.0
        while True:
            gap = rng.expovariate(rate)
            if t + gap >= M.H:
                return
            t += gap
            yield hold, self, gap
            if rng.random() * z.fmax >= M.intensity(z, t):
                continue
            if peak != 1.0 and rng.random() * peak >= rel(t):
                continue
            kp = None
            if zp is not None:
                kp = M.piece(t)
                if rng.random() * zp.B >= zp.tot[kp]:
                    continue
            cov = R.coverage(z.id, t) if in_area else 0.0
            if cov > 0 and rng.random() < u.area.det * cov:
                continue
            R.inc("ied.emplaced")
            trig = None
            if M.adv_on:
                # an attack of option ied_<trigger> (§2.9), seen at emplacement or not: the
                # trigger is drawn first (only with the block, so other scenarios draw as before)
                if kp is None:
                    v = rng.random() * acc
                    trig = next(k for c_, k in cum if v < c_)
                else:
                    w = zp.W[kp]
                    v = rng.random() * zp.tot[kp]
                    trig = TRIGGERS[-1]
                    for tk, wk in zip(TRIGGERS, w):
                        if v < wk:
                            trig = tk
                            break
                        v -= wk
                R.adv(z.id, "ied_" + trig, attacks=1)
            if cov > 0 and rng.random() < u.area.p_obs * cov:
                R.inc("ied.found_uav_area")
                continue
            # position: segment by length, then uniform offset
            rid, x = R.pick_place(z)
            if trig is None:
                v = rng.random() * acc
                trig = next(k for c_, k in cum if v < c_)
            R.place(self, Dev(rid, x, z, trig, t + rng.expovariate(1.0 / life), False, t))


class MineLayer(Process):
    """Mines laid on during the run (§2.2): Poisson candidates at laying x L_z x max f_z,
    kept with f_z(t) / max f_z (no UAV deterrence or observation), placed like IEDs,
    pressure-triggered, with an exponential lifetime of mean lifetime_days."""

    def run(self, R, z):
        M, rng = R.M, R.rng
        mn = z.mines
        rate = mn.lay * z.km * z.fmax
        if rate <= 0:
            return
        t = 0.0
        while True:
            gap = rng.expovariate(rate)
            if t + gap >= M.H:
                return
            t += gap
            yield hold, self, gap
            if rng.random() * z.fmax >= M.intensity(z, t):
                continue
            R.inc("mine.laid")
            rid, x = R.pick_place(z)
            exp = t + rng.expovariate(1.0 / mn.life) if mn.life else float("inf")
            R.place(self, Dev(rid, x, z, "pressure", exp, True))


class SiteAttacks(Process):
    def run(self, R, site, z, kind):
        M, rng = R.M, R.rng
        blk = z.idf if kind == "idf" else z.vbied
        base = float(blk["per_site_day"]) / 24.0 if kind == "idf" else float(blk["per_site_year"]) / (365.0 * 24.0)
        peak, rel = day_profile(blk)
        # the adaptive twin (§2.9): candidates at the bound of the option's factor
        key = (z.id, kind)
        F = M.play.F.get(key) if M.play is not None else None
        B = M.play.B[key] if F is not None else 1.0
        rate = base * z.fmax * peak * B
        if rate <= 0:
            return
        t = 0.0
        while True:
            gap = rng.expovariate(rate)
            if t + gap >= M.H:
                return
            t += gap
            yield hold, self, gap
            if rng.random() * z.fmax >= M.intensity(z, t):
                continue
            if peak != 1.0 and rng.random() * peak >= rel(t):
                continue
            if F is not None and rng.random() * B >= F[M.piece(t)]:
                continue
            R.inc(kind + ".attacks")
            # learning (§2.9): casualties_per_round, casualties_stopped/_breach x lambda
            lf = R.leth(z.id, kind, t)
            if kind == "idf":
                mr = float(blk.get("mean_rounds", 1))
                rounds = 1 + (poisson(rng, mr - 1) if mr > 1 else 0)
                cas = 0
                lam = float(blk["casualties_per_round"]) * site.idf_exposure * lf
                pe = float(blk["p_effective"])
                for _ in range(rounds):
                    if rng.random() < pe:
                        cas += poisson(rng, lam)
            else:
                if rng.random() < site.perimeter_stop:
                    cas = poisson(rng, float(blk["casualties_stopped"]) * lf)
                else:
                    cas = poisson(rng, float(blk["casualties_breach"]) * lf)
            # every attack on a site is a strike (§2.9)
            R.adv(z.id, kind, attacks=1, strikes=1, cas=cas)
            k = binom(rng, cas, float(blk["kill_share"]))
            R.casualties(t, kind, k, cas - k, "fatalities_by_site." + site.id)


class IllEvac(Process):
    """The evacuated cases of illness of one site (§2.8), each a request at its time."""
    def run(self, R, il, who, times):
        t = 0.0
        for tc in times:
            yield hold, self, tc - t
            t = tc
            R.ill_patient(tc, il, who)


class Schedule(Process):
    def run(self, R, mv):
        M, rng = R.M, R.rng
        s = mv.schedule
        if "poisson_per_day" in s and s["poisson_per_day"] is not None:
            rate = s["count"] * float(s["poisson_per_day"]) / 24.0
            if rate <= 0:
                return
            times = []
            t = rng.expovariate(rate)
            while t < M.H:
                times.append(t)
                t += rng.expovariate(rate)
        else:
            J = float(s.get("jitter_hours", 0))
            times = []
            k = 0
            while nominal_time(s, k) - J / 2 < M.H:
                t = nominal_time(s, k)
                if J > 0:
                    t += (rng.random() - 0.5) * J
                t = max(0.0, t)
                if t < M.H:
                    times.append(t)
                k += 1
            times.sort()
        # departure window (§8.12): a departure due outside [from, to) of its day
        # waits for the next opening; dropped when that is at or after the horizon
        w = s.get("window")
        if w:
            lo, hi = float(w["from_hour"]), float(w["to_hour"])
            moved = []
            for t in times:
                day = math.floor(t / 24.0)
                h = t - 24.0 * day
                if not (lo <= h < hi):
                    t = 24.0 * (day if h < lo else day + 1) + lo
                if t < M.H:
                    moved.append(t)
            times = moved
        for t in times:
            dt = t - R.now()
            if dt > 0:
                yield hold, self, dt
            trip = Trip(sim=R.sim)
            R.sim.activate(trip, trip.run(R, mv))


class Trip(Process):
    def halt(self, R, h):
        # hold in place (no ambushes, no interrupts)
        return h

    def run(self, R, mv):
        M, rng, sim = R.M, R.rng, R.sim
        H = M.H
        R.inc("departures")
        trained = bool(mv.c_ied and rng.random() < mv.c_ied.tf)
        ow = R.request_overwatch(sim._t)
        cleared = mv.rc_p is not None and R.request_clearance(sim._t)
        # the departure's speed (§8.14): the team's when one escorts it
        self.speed = v = mv.speed if cleared or mv.rc_p is None else mv.own_speed
        # the column of this departure: pooled groups take what is free (§3.5), beyond what
        # is kept for the groups of other movements of a smaller priority number: their count
        # x ceil(r_j D), D this departure's drive time (route, twice for a round trip, over
        # its speed; no halts or delays)
        D = mv.route.L * (2 if mv.round_trip else 1) / v
        groups, nveh = column(mv, cleared)
        taken = []
        col = []
        for g in groups:
            pool = getattr(g, "pool", None)
            if pool is None:
                col.append(g)
                continue
            kept = sum(c * math.ceil(r * D - 1e-9) for c, r in g.keep)
            k = min(g.count, max(0, R.pool_free[pool] - kept))
            R.pool_free[pool] -= k
            taken.append((pool, k))
            col.append(Obj(vt=g.vt, count=k, crew=g.crew))
            col.append(Obj(vt=M.pools[pool].fallback, count=g.count - k, crew=g.crew))
        self.col = ([g for g in col if g.count > 0], nveh)
        # road accidents (§2.8): the column's summed accident factors
        acc_sum = sum(g.count * g.vt.acc for g in self.col[0])
        route = mv.route
        segs = route.segs
        moving = R.moving[route.id]
        legs = (1, -1) if mv.round_trip else (1,)
        try:
            for d in legs:
                self.dir = d
                pos = 0.0 if d == 1 else route.L
                si = 0 if d == 1 else len(segs) - 1
                amb_left = None
                while True:
                    now = sim._t
                    seg = segs[si]
                    z = M.zones[seg.zone]
                    if amb_left is None:
                        # one distance budget per hazard of the zone, at its peak rate
                        amb_left = {}
                        for hid, blk in z.hazards:
                            amb_left[hid] = self.budget(rng, blk, z, M)
                        # crash candidates in distance at the zone's bound
                        # r x max(1, night_factor) x sum a_v, thinned by the hour when reached
                        cr_left = float("inf")
                        if z.road is not None and acc_sum > 0:
                            crate = z.road.r * max(1.0, z.road.nf) * acc_sum
                            if crate > 0:
                                cr_left = rng.expovariate(crate)
                    bound = seg.end if d == 1 else seg.start
                    dist, kind, target = abs(bound - pos), "b", None
                    for hid, left in amb_left.items():
                        if left < dist:
                            dist, kind, hz = left, "a", hid
                    if cr_left < dist:
                        dist, kind = cr_left, "c"
                    # nearest live device strictly ahead
                    lst = R.devs[route.id]
                    best = dist
                    for dv in lst:
                        if dv.alive and dv.expiry > now:
                            a = d * (dv.x - pos)
                            if 0 < a < best:
                                best, target = a, dv
                    if target is not None:
                        dist, kind = best, "d"
                    dt = dist / v
                    if now + dt > H:
                        dt, kind = H - now, "h"
                    self.pos, self.t0, self.wake = pos, now, now + dt
                    moving[self] = None
                    yield hold, self, dt
                    moving.pop(self, None)
                    if self.interrupted():
                        elapsed = dt - self.interruptLeft
                        self.interruptReset()
                        adv = v * elapsed
                        pos += d * adv
                        for hid in amb_left:
                            amb_left[hid] -= adv
                        cr_left -= adv
                        R.inc("movement_km", adv)
                        continue
                    R.inc("movement_km", dist if kind != "h" else v * dt)
                    if kind == "h":
                        return
                    for hid in amb_left:
                        amb_left[hid] -= dist
                    cr_left -= dist
                    now = sim._t
                    if kind == "b":
                        pos = bound
                        si += d
                        amb_left = None
                        if si < 0 or si >= len(segs):
                            break
                        continue
                    if kind == "c":
                        pos += d * dist
                        zr = z.road
                        cr_left = rng.expovariate(zr.r * max(1.0, zr.nf) * acc_sum)
                        h = now % 24.0
                        f = 1.0 if 6.0 <= h < 18.0 else zr.nf
                        if rng.random() * max(1.0, zr.nf) < f:
                            self.crash(R, mv, zr)
                        continue
                    if kind == "a":
                        pos += d * dist
                        # the hazard that struck starts afresh; the others carry on (§8.11)
                        blk = dict(z.hazards)[hz]
                        amb_left[hz] = self.budget(rng, blk, z, M)
                        if rng.random() * z.fmax >= M.intensity(z, now):
                            continue
                        peak, rel = day_profile(blk)
                        if peak != 1.0 and rng.random() * peak >= rel(now):
                            continue
                        # the adaptive twin (§2.9): one more uniform, kept with F(t) / bound
                        if M.play is not None and (z.id, "ambush") in M.play.F:
                            key = (z.id, "ambush")
                            if rng.random() * M.play.B[key] >= M.play.F[key][M.piece(now)]:
                                continue
                        if self.ambush(R, mv, blk, ow, False, cleared, z.id):
                            if mv.halt > 0:
                                yield hold, self, min(mv.halt, max(0.0, H - now))
                        continue
                    # device
                    pos = target.x
                    if not (target.alive and target.expiry > now):
                        continue
                    h = self.encounter(R, mv, target, trained, ow, cleared)
                    if h > 0:
                        yield hold, self, min(h, max(0.0, H - now))
                    if sim._t >= H:
                        return
        finally:
            moving.pop(self, None)
            if ow:
                R.assigned -= 1
            for pool, k in taken:
                R.pool_free[pool] += k

    def crash(self, R, mv, zr):
        """A road accident (§2.8): the vehicle drawn in proportion to its accident factor,
        each occupant killed with p_kill or injured with p_wound; no halt."""
        rng = R.rng
        groups, _ = self.col
        R.inc("road_accident.crashes")
        ws = [(g, g.count * g.vt.acc) for g in groups if g.count * g.vt.acc > 0]
        w = rng.random() * sum(x for _, x in ws)
        g = ws[-1][0]
        for gg, x in ws:
            if w < x:
                g = gg
                break
            w -= x
        k = w_ = 0
        for _ in range(g.crew):
            u = rng.random()
            if u < zr.pk:
                k += 1
            elif u < zr.pk + zr.pw:
                w_ += 1
        R.casualties(R.now(), "road_accident", k, w_, "fatalities_by_movement." + mv.id)

    @staticmethod
    def budget(rng, blk, z, M):
        r = float(blk["per_1000km"]) / 1000.0 * z.fmax * day_profile(blk)[0]
        if M.play is not None and (z.id, "ambush") in M.play.B:
            r *= M.play.B[(z.id, "ambush")]
        return rng.expovariate(r) if r > 0 else float("inf")

    def ambush(self, R, mv, amb, ow, halted, cleared, zid):
        """An ambush in zone zid (a complex attack: the device's zone), §2.3; it counts for
        zid's ambush option (§2.9): an attack, a strike unless pre-empted, its hits."""
        rng = R.rng
        groups, nveh = self.col
        R.inc("ambush.attacks")
        R.adv(zid, "ambush", attacks=1)
        if ow and rng.random() < at_hour(R.M.uav.ow.p_warn, R.M.uav.ow.nf, R.now()):
            R.inc("ambush.preempted")
            return False
        # learning (§2.9): p_hit x lambda, the per-person probability capped at 1
        lf = R.leth(zid, "ambush", R.now())
        ph = float(amb["p_hit"]) * lf
        pk = float(amb["p_kill_given_hit"])
        hf = float(amb.get("halted_factor", 1.0)) if halted else 1.0
        # convoy geometry (§2.3): a kill zone of L m on a column of nveh vehicles s m
        # apart, placed uniformly along the column with its ends joined
        L = float(amb.get("kill_zone_m", 0) or 0)
        length = nveh * mv.spacing
        start = rng.random() * length if L > 0 and mv.spacing > 0 and L < length else None
        hits = 0
        first = 0
        for g in groups:
            exposed = g.count
            if start is not None:
                exposed = sum(1 for j in range(first, first + g.count)
                              if ((j + 0.5) * mv.spacing - start) % length < L)
            first += g.count
            if exposed <= 0 or g.crew <= 0:
                continue
            hits += binom(rng, exposed * g.crew, min(1.0, ph * g.vt.exposure * hf))
        k = binom(rng, hits, pk)
        R.adv(zid, "ambush", strikes=1, cas=hits)
        R.casualties(R.now(), "ambush", k, hits - k, "fatalities_by_movement." + mv.id)
        return True

    def encounter(self, R, mv, dv, trained, ow, cleared):
        rng = R.rng
        pre = "mine." if dv.mine else "ied."
        cause = "mine" if dv.mine else "ied"
        dv.alive = False
        found = None
        t = R.now()
        if cleared and rng.random() < at_hour(mv.rc_p, mv.rc_nf, t):
            found = "route_clearance"
        elif mv.c_ied is not None and rng.random() < at_hour(
                mv.c_ied.pt if trained else mv.c_ied.pu, mv.c_ied.nf, t) * mv.learning(t):
            found = "crew"
        elif ow and rng.random() < at_hour(R.M.uav.ow.p_det, R.M.uav.ow.nf, t):
            found = "uav"
        if found:
            R.inc(pre + "found_" + found)
            # disposal (§2.1): an incident with p_incident harms each of `team`
            ed = mv.eod_disposal
            if ed and rng.random() < float(ed["p_incident"]):
                team = int(ed["team"])
                k = binom(rng, team, float(ed["p_kill"]))
                pw = float(ed["p_wound"]) / (1 - float(ed["p_kill"])) if float(ed["p_kill"]) < 1 else 0
                w = binom(rng, team - k, min(1.0, pw))
                if not dv.mine:
                    # a payoff without a strike (§2.9); mines are no option
                    R.adv(dv.zone.id, "ied_" + dv.trigger, cas=k + w)
                R.casualties(R.now(), cause, k, w, "fatalities_by_movement." + mv.id)
            return mv.eod
        if dv.trigger == "radio" and mv.jam_p is not None and rng.random() < mv.jam_p:
            R.inc(pre + "jammed")
            return 0.0
        R.inc(pre + "detonated")
        # learning (§2.9): the strike's per-person probabilities x lambda of its trigger,
        # each capped at 1 (p_kill, p_kill + p_wound, p_wound_adjacent); mines: no option
        lf = 1.0
        if not dv.mine:
            R.adv(dv.zone.id, "ied_" + dv.trigger, strikes=1)
            lf = R.leth(dv.zone.id, "ied_" + dv.trigger, dv.t_laid if ADV_LETH_AT_EMPLACEMENT else R.now())
        ied = dv.zone.ied or {}
        lead_share = float(ied.get("lead_share", 1.0))
        complex_share = float(ied.get("complex_share", 0.0))
        groups, nveh = self.col
        if nveh > 0:
            # idx: the struck vehicle's place in the column (0 = the lead; groups of
            # count 0 are not in self.col)
            if dv.trigger == "pressure" and rng.random() < lead_share:
                g = next(g for g in groups if g.count > 0)
                idx = 0
            else:
                w = rng.random() * nveh
                first = 0
                for g in groups:
                    if w < g.count:
                        break
                    w -= g.count
                    first += g.count
                else:
                    first -= g.count  # rounding at the very end: the last vehicle
                    w = g.count - 1
                idx = first + min(int(w), g.count - 1)
            k = w_ = 0
            pk, pkw = g.vt.p_kill, g.vt.p_kill + g.vt.p_wound
            if lf != 1.0:
                pk, pkw = min(1.0, pk * lf), min(1.0, pkw * lf)
            for _ in range(g.crew):
                u = rng.random()
                if u < pk:
                    k += 1
                elif u < pkw:
                    w_ += 1
            # beyond the struck vehicle (§2.1 step 3): the vehicle just ahead and just
            # behind in the column (one at either end), each occupant wounded with its own
            # type's p_wound_adjacent; no one killed; same casualty event. A type with 0
            # draws nothing, so scenarios without the key draw as before.
            for j in (idx - 1, idx + 1):
                ga = vehicle_at(groups, j)
                if ga is None or ga.vt.p_adj <= 0:
                    continue
                pa = min(1.0, ga.vt.p_adj * lf)
                for _ in range(ga.crew):
                    if rng.random() < pa:
                        w_ += 1
            if not dv.mine:
                R.adv(dv.zone.id, "ied_" + dv.trigger, cas=k + w_)
            R.casualties(R.now(), cause, k, w_, "fatalities_by_movement." + mv.id)
        # complex attack: the zone's `ambush` block, or the first of `ambushes` (§8.8)
        if dv.zone.complex_amb and rng.random() < complex_share:
            P = R.M.play
            key = (dv.zone.id, "ambush")
            if ADV_THIN_COMPLEX and P is not None and key in P.F and \
                    rng.random() * P.B[key] >= P.F[key][R.M.piece(R.now())]:
                return mv.halt
            self.ambush(R, mv, dv.zone.complex_amb, ow, True, cleared, dv.zone.id)
        return mv.halt


def vehicle_at(groups, j):
    """The group of the j-th vehicle of a column (0 = the lead), or None outside it."""
    if j < 0:
        return None
    for g in groups:
        if j < g.count:
            return g
        j -= g.count
    return None


def column(mv, cleared):
    """The vehicles of a trip in order of march and their number: an escorting
    clearance team's first (§2.1)."""
    groups = (mv.rc_groups + mv.groups) if cleared else mv.groups
    return groups, sum(g.count for g in groups)


def run_rep(M, seed):
    rng = random.Random(seed)
    R = Rep(M, rng)
    sim = R.sim
    # mines at t = 0 (§2.2): per_km as written, placed by length over the zone's segments;
    # without per_km, the steady state of laying: Poisson(lay f_z(0) len_s / (1/life + P_r))
    # per segment s of route r, uniform on it.  Every mine of the stock lives Exp(life).
    # The stock counts in mine.laid.
    for z in M.zones.values():
        mn = z.mines
        if not mn or z.km <= 0:
            continue
        life = mn.life
        if mn.per_km is not None or mn.lay <= 0:
            n = poisson(rng, (mn.per_km or 0.0) * z.km)
            places = [R.pick_place(z) for _ in range(n)]
        else:
            f0 = M.intensity(z, 0.0)
            places = []
            for rid, start, L in z.segs:
                k = poisson(rng, mn.lay * f0 * L / (1.0 / life + M.routes[rid].passes))
                places.extend((rid, start + rng.random() * L) for _ in range(k))
        R.inc("mine.laid", len(places))
        for rid, x in places:
            exp = rng.expovariate(1.0 / life) if life else float("inf")
            R.devs[rid].append(Dev(rid, x, z, "pressure", exp, True))
    # illness (§2.8): per site of a zone with `illness`, deaths Poisson(mean x cf) in dow,
    # then recoveries Poisson(mean x (1 - cf)); mean = rate x personnel x horizon / 365 d
    for s in M.sites:
        il = M.zones[s.zone].illness
        if il is None:
            continue
        mean = il.rate * s.personnel * M.H / (365.0 * 24.0)
        # evacuated illness (§2.8) needs a medevac block; without one no case is evacuated
        e = il.e if M.medevac is not None else 0.0
        nd = poisson(rng, mean * (1.0 - e) * il.cf)
        nr = poisson(rng, mean * (1.0 - e) * (1.0 - il.cf))
        R.inc("illness.cases", nd + nr)
        R.dead("dow", "illness", "fatalities_by_site." + s.id, nd)
        if e > 0:
            # Poisson(mean x e) cases, each at a uniform time of the horizon; their
            # requests are made in time order by a process (the FIFO queue is settled
            # at request time, interleaved with the other requests)
            times = sorted(rng.random() * M.H for _ in range(poisson(rng, mean * e)))
            if times:
                p = IllEvac(sim=sim)
                sim.activate(p, p.run(R, il, "fatalities_by_site." + s.id, times))
    for z in M.zones.values():
        if z.ied and z.km > 0:
            p = Emplacer(sim=sim)
            sim.activate(p, p.run(R, z))
        if z.mines and z.mines.lay > 0 and z.km > 0:
            p = MineLayer(sim=sim)
            sim.activate(p, p.run(R, z))
    for s in M.sites:
        z = M.zones[s.zone]
        for kind in ("idf", "vbied"):
            if getattr(z, kind):
                p = SiteAttacks(sim=sim)
                sim.activate(p, p.run(R, s, z, kind))
    for mv in M.movements:
        p = Schedule(sim=sim)
        sim.activate(p, p.run(R, mv))
    sim.simulate(until=M.H)
    return R.finish()


METRICS = (["fatalities", "kia", "dow", "wia"] +
           ["fatalities_by_cause." + c for c in CAUSES] +
           ["kia_by_cause." + c for c in CAUSES] +
           ["dow_by_cause." + c for c in CAUSES] +
           ["wia_by_cause." + c for c in CAUSES] +
           ["fatalities_malicious", "road_accident.crashes", "illness.cases", "air_accident.crashes"] +
           ["ied.emplaced", "ied.found_uav_area"] + ["ied.found_" + d for d in DETECTORS] +
           ["ied.jammed", "ied.detonated", "ied.expired", "mine.laid"] +
           ["mine.found_" + d for d in DETECTORS] + ["mine.jammed", "mine.detonated", "mine.expired"] +
           ["ambush.attacks", "ambush.preempted", "idf.attacks", "vbied.attacks",
            "departures", "route_clearance.escorts", "route_clearance.refused",
            "movement_km", "medevac.requests", "medevac.waited", "medevac.ground"] +
           ["care.t1", "care.t1_first_aid_10min", "care.t1_advanced_care_1h", "care.t1_surgery_2h",
            "care.died_before_first_aid", "care.died_before_advanced_care",
            "care.surgeries", "care.surgery_waited", "care.surgery_wait_minutes", "care.table_minutes",
            "care.bed_days", "care.peak_beds", "care.over_capacity"])


def metric_names(M):
    """METRICS and the scenario's fatalities_by_movement.ID and fatalities_by_site.ID (§6)."""
    return (METRICS + ["fatalities_by_movement." + mv.id for mv in M.movements] +
            ["fatalities_by_site." + s.id for s in M.sites] +
            ["fatalities_by_contingent." + c for c in M.contingents] +
            adversary_metric_names(M.options))


def summarize(rows, names=METRICS):
    n = len(rows)
    out = {}
    for m in names:
        xs = [r.get(m, 0) for r in rows]
        mean = sum(xs) / n
        var = sum((x - mean) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0
        m4 = sum((x - mean) ** 4 for x in xs) / n
        # standard error of the sample sd (delta method, from the 4th moment)
        se_sd = math.sqrt(max(0.0, m4 - var * var) / (4.0 * n * var)) if var > 0 else 0.0
        out[m] = {"mean": mean, "sd": math.sqrt(var), "se": math.sqrt(var / n),
                  "se_sd": se_sd, "m4": m4}
    p = sum(1 for r in rows if r.get("fatalities", 0) > 0) / float(n)
    out["p_any_fatality"] = {"mean": p, "se": math.sqrt(p * (1 - p) / n)}
    return out


def arm_docs(doc):
    base = copy.deepcopy(doc)
    base.pop("arms", None)
    yield "baseline", base
    for a in doc.get("arms") or []:
        d = copy.deepcopy(base)
        for p, v in (a.get("overrides") or {}).items():
            apply_override(d, p, v)
        yield a["name"], d


# ----------------------------------------------------------------------------
# The adversary who answers (§2.9): twins, pilots, answers
# ----------------------------------------------------------------------------
def twin_docs(doc):
    """(twin name, static arm name, arm doc) for every arm but the baseline, with the block."""
    if not doc.get("adversary"):
        return []
    return [(name + "/adaptive", name, d) for name, d in arm_docs(doc) if name != "baseline"]


def engine_answers(E):
    """The engine's answers from its `pkrisk run --format json` result: {twin name: (static
    arm, adapts, {(zone, option): (rate_factor, lethality_factor)}, [option dicts])}.  The
    JSON's `lethality_factor` is lambda = 1 + (1/l - 1) rho fully adapted (§2.9, §6), played
    as reported; lambda_check compares it with l and the block's max_recovery."""
    out = {}
    for a in E["arms"]:
        if a.get("adaptive_of") is None:
            continue
        adv = a.get("adversary") or {}
        ans = {}
        for o in adv.get("options", []):
            ans[(o["zone"], o["option"])] = (float(o["rate_factor"]), float(o["lethality_factor"]))
        out[a["name"]] = (a["adaptive_of"], bool(adv.get("adapts")), ans, adv.get("options", []))
    return out


def lambda_of(l, rho):
    """§2.9: lambda = 1 + (1/l - 1) rho, 1 where the arm raised lethality (l >= 1) or l <= 0."""
    return 1.0 + (1.0 / l - 1.0) * rho if 0 < l < 1 else 1.0


def lambda_check(E, rho):
    """Largest relative difference between the engine's reported lethality_factor and
    1 + (1/l - 1) rho from its lethality_ratio l and the block's max_recovery rho; returns
    (largest difference, options compared, options with 0 < l < 1)."""
    worst, n, nl = 0.0, 0, 0
    for t, (static, adapts, ans, opts) in engine_answers(E).items():
        for o in opts:
            l = float(o["lethality_ratio"])
            lam = lambda_of(l, rho)
            worst = max(worst, abs(float(o["lethality_factor"]) - lam) / lam)
            n += 1
            nl += 0 < l < 1
    return worst, n, nl


def _run_chunk(args):
    doc, answer, seeds, names = args
    M = Model(doc, answer)
    rows = []
    for sd in seeds:
        c = run_rep(M, sd)
        rows.append(dict((k, c[k]) for k in names if k in c))
    return rows


def run_many(tasks, jobs=1, chunk=250):
    """tasks: list of (key, doc, answer, seeds, names) -> {key: rows} (rows in seed order),
    spread over `jobs` processes in chunks."""
    work, owner = [], []
    for key, doc, answer, seeds, names in tasks:
        for i in range(0, len(seeds), chunk):
            work.append((doc, answer, seeds[i:i + chunk], names))
            owner.append(key)
    if jobs > 1 and len(work) > 1:
        import multiprocessing
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            res = pool.map(_run_chunk, work, chunksize=1)
    else:
        res = [_run_chunk(w) for w in work]
    out = {}
    for key, rows in zip(owner, res):
        out.setdefault(key, []).extend(rows)
    return out


def pilot_answers(doc, n, seed, jobs=1, blocks=20):
    """The reference's own pilot (§2.9): n replications of the baseline and of every arm,
    replication i of every arm on the same seed, and its answer to each arm, with block
    jackknife standard errors of s, r, l, m, lambda (blocks of n / blocks replications).
    Returns {arm: {(zone, option): {"s", "r", "l", "m", "lam": value, "se_*": se}}}."""
    blk = doc.get("adversary") or {}
    M0 = Model(arm_docs(doc).__next__()[1])
    options = M0.options
    names = adversary_metric_names(options)
    seeds = [seed * 1000003 + 7919 + i for i in range(n)]
    arms = list(arm_docs(doc))
    rows = run_many([(name, d, None, seeds, names) for name, d in arms], jobs)

    def sums(rs):
        out = {}
        for o in options:
            pre = "adversary.%s.%s." % o
            out[o] = [sum(r.get(pre + k, 0) for r in rs) for k in ("attacks", "strikes", "casualties")]
        return out

    nb = min(blocks, n)
    bounds = [(b * n // nb, (b + 1) * n // nb) for b in range(nb)]
    bsum = {name: [sums(rows[name][a:b]) for a, b in bounds] for name, _ in arms}
    tot = {name: sums(rows[name]) for name, _ in arms}

    def minus(S, B):
        return {o: [S[o][k] - B[o][k] for k in range(3)] for o in S}

    out = {}
    for name, _ in arms[1:]:
        full = adversary_answer(tot["baseline"], tot[name], options, blk)
        jk = [adversary_answer(minus(tot["baseline"], bsum["baseline"][b]), minus(tot[name], bsum[name][b]),
                               options, blk) for b in range(nb)]
        res = {}
        for o in options:
            d = {}
            for idx, key in enumerate(("s", "r", "l", "m", "lam")):
                v = full[o][idx]
                xs = [j[o][idx] for j in jk]
                mj = sum(xs) / nb
                d[key] = v
                d["se_" + key] = math.sqrt((nb - 1.0) / nb * sum((x - mj) ** 2 for x in xs))
            res[o] = d
        out[name] = res
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario")
    ap.add_argument("-n", type=int, default=200, help="replications per arm")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--arms", default=None, help="comma-separated arm names (default: all)")
    ap.add_argument("-o", "--output", default=None)
    ap.add_argument("--answer-from", default=None,
                    help="with an adversary block: play the answers of this engine JSON "
                         "(pkrisk run --format json) in the adaptive twins, instead of the "
                         "reference's own pilot")
    ap.add_argument("--pilot-n", type=int, default=None,
                    help="replications of the reference's own pilot (default: the block's "
                         "pilot_replications, 2000)")
    ap.add_argument("--jobs", type=int, default=1, help="processes for the replications")
    a = ap.parse_args(argv)
    doc = load_raw(a.scenario)
    want = set(a.arms.split(",")) if a.arms else None
    result = {"scenario": a.scenario, "replications": a.n, "seed": a.seed, "arms": []}
    t_all = time.process_time()
    w_all = time.time()
    jobs = [(name, d, None) for name, d in arm_docs(doc)]
    if doc.get("adversary"):
        blk = doc["adversary"]
        if a.answer_from:
            with open(a.answer_from) as f:
                E = json.load(f)
            EA = engine_answers(E)
            worst, nopt, nl = lambda_check(E, float(blk.get("max_recovery", 0) or 0))
            print("lethality_factor against 1 + (1/l - 1) max_recovery: largest relative "
                  "difference %.2e (%d options, %d with l < 1)" % (worst, nopt, nl), file=sys.stderr)
            result["lambda_check"] = worst
            result["answers_from"] = a.answer_from
            for tname, static, d in twin_docs(doc):
                _, adapts, ans, opts = EA[tname]
                jobs.append((tname, d, ans if adapts else None))
            result["answers"] = {t: v[3] for t, v in EA.items()}
        else:
            pn = a.pilot_n or int(blk.get("pilot_replications", 2000))
            PA = pilot_answers(doc, pn, a.seed + 1, a.jobs)
            result["answers"] = {}
            for tname, static, d in twin_docs(doc):
                ans = {o: (v["m"], v["lam"]) for o, v in PA[static].items()}
                jobs.append((tname, d, ans))
                result["answers"][tname] = [dict(zone=o[0], option=o[1], **v) for o, v in PA[static].items()]
    for name, d, ans in jobs:
        if want and name not in want:
            continue
        M = Model(d, ans)
        t0, c0 = time.time(), time.process_time()
        names = metric_names(M)
        seeds = [a.seed * 1000003 + i for i in range(a.n)]
        rows = run_many([(name, d, ans, seeds, names)], a.jobs)[name]
        wall, cpu = time.time() - t0, time.process_time() - c0
        s = summarize(rows, names)
        arm = {"name": name, "wall_seconds": wall, "metrics": s}
        if a.jobs == 1:
            arm["cpu_seconds"] = cpu
        result["arms"].append(arm)
        print("%-16s n=%d fatalities %.3f +- %.3f  (%.1f s wall)" % (
            name, a.n, s["fatalities"]["mean"], s["fatalities"]["se"], wall), file=sys.stderr)
    result["wall_seconds"] = time.time() - w_all
    if a.jobs == 1:
        # CPU of this process (the replications run here with --jobs 1; the reference's own
        # pilot of an adversary block included)
        result["cpu_seconds"] = time.process_time() - t_all
        result["mission_years"] = len(result["arms"]) * a.n * Model(doc).H / (365 * 24.0)
        result["mission_years_per_cpu_second"] = result["mission_years"] / result["cpu_seconds"]
    js = json.dumps(result, indent=1)
    if a.output:
        with open(a.output, "w") as f:
            f.write(js)
    else:
        print(js)


if __name__ == "__main__":
    main()
