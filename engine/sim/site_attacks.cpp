#include "sim/site_attacks.hpp"

#include <array>
#include <boost/random/poisson_distribution.hpp>
#include <stdexcept>
#include <string>

#include "scenario/threats.hpp"
#include "sim/world.hpp"

namespace pk::sim {

namespace {

// Poisson(mean) through Boost.Random; 0 for a mean of 0 (Boost requires mean > 0).
int64_t poisson(Stream& s, double mean) {
  if (!(mean > 0)) return 0;
  return boost::random::poisson_distribution<int, double>(mean)(s);
}

// Each of n casualties is killed with probability kill_share, else wounded
// (uniforms are below 1, so every one that is not killed is wounded).
void split_casualties(Stream& s, int64_t n, double kill_share, CasualtyEvent& e) {
  draw_outcomes(s, n, kill_share, 1.0, e);
}

// A threat on sites' streams and its casualty draw (§2.4, §2.5).
using Casualties = void (*)(World& w, int site, Stream& s, CasualtyEvent& e);
struct ThreatProcess {
  Cause cause;
  Proc arrivals;  // (site): candidate gaps and thinning uniforms
  Proc attack;    // (site, candidate): the attack's draws
  Casualties casualties;
};

void idf_casualties(World& w, int site, Stream& s, CasualtyEvent& e);
void vbied_casualties(World& w, int site, Stream& s, CasualtyEvent& e);

// Every threat type with site rules (scenario/threats.hpp) has one row.
constexpr std::array<ThreatProcess, 2> kProcesses = {{
    {Cause::kIdf, Proc::kIdfArrivals, Proc::kIdfAttack, idf_casualties},
    {Cause::kVbied, Proc::kVbiedArrivals, Proc::kVbiedAttack, vbied_casualties},
}};

const ThreatProcess& process_of(Cause cause) {
  for (const ThreatProcess& p : kProcesses)
    if (p.cause == cause) return p;
  throw std::logic_error("pkrisk: no site process for the threat type " +
                         std::string(threat_types()[static_cast<int>(cause)].name));
}

}  // namespace

void SiteAttacks::start(World& w) {
  const size_t n = w.scenario.sites.size();
  for (const ThreatType& threat : threat_types()) {
    if (!threat.site) continue;
    const ThreatProcess& p = process_of(threat.cause);
    std::vector<Arrivals>& arrivals = arrivals_[static_cast<int>(threat.cause)];
    arrivals.resize(n);
    for (size_t i = 0; i < n; ++i) {
      arrivals[i].gaps = Stream(w.key, p.arrivals, w.tables.sites[i].name);
      arrivals[i].candidates = 0;
      schedule_next(w, threat.cause, static_cast<int>(i));
    }
  }
}

void SiteAttacks::schedule_next(World& w, Cause threat, int site) {
  const int t = static_cast<int>(threat);
  const double rate = w.tables.sites[site].candidate_rate[t] * w.year_effect.max *
                      w.attack_bound(w.scenario.sites[site].zone, threat);
  if (!(rate > 0)) return;
  const double when = w.queue.now() + arrivals_[t][site].gaps.exp1() / rate;
  if (when < w.horizon)
    w.queue.push(when, kPrSiteAttack, des::Payload{kEvSiteCandidate, site, t, 0});
}

void SiteAttacks::on_candidate(World& w, Cause threat, int site) {
  Arrivals& a = arrivals_[static_cast<int>(threat)][site];
  const uint32_t k = a.candidates++;
  const int zone = w.scenario.sites[site].zone;
  const IntensityTable& it = w.intensity(zone);
  // The time of day thins the same uniform (§2.6): a flat day multiplies by 1.
  const DailyProfile& day =
      threat_types()[static_cast<int>(threat)].site->time_of_day(w.scenario.zones[zone]);
  const double now = w.queue.now();
  // An adaptive adversary's factor thins the same uniform (§2.9).
  if (a.gaps.uniform() * it.max_factor * day.peak * w.attack_bound(zone, threat) <
      it.at(now) * day.at(now) * w.attack_rate(zone, threat, now))
    attack(w, threat, site, k);
  schedule_next(w, threat, site);
}

void SiteAttacks::attack(World& w, Cause threat, int site, uint32_t k) {
  const ThreatProcess& p = process_of(threat);
  CasualtyEvent e;
  e.cause = threat;
  e.site = site;
  e.key = StreamId{static_cast<uint32_t>(p.attack), w.tables.sites[site].name, k, 0};
  e.zone = w.scenario.sites[site].zone;
  e.option = static_cast<int>(threat == Cause::kIdf ? AttackOption::kIdf : AttackOption::kVbied);
  Stream s(w.key, e.key);  // candidate k's own draws: (site, k)
  ++w.tally->site_attacks[static_cast<int>(threat)];
  w.count_attack(e.zone, e.option, true);
  p.casualties(w, site, s, e);
  w.medevac.record_casualties(w, e);
}

namespace {

void idf_casualties(World& w, int site, Stream& s, CasualtyEvent& e) {
  const Site& st = w.scenario.sites[site];
  const IdfThreat& idf = *w.scenario.zones[st.zone].idf;
  const int64_t rounds = idf.mean_rounds > 1 ? 1 + poisson(s, idf.mean_rounds - 1) : 1;
  // An adaptive adversary's factor on lethality (§2.9): 1 against a static one.
  const double mean_casualties =
      idf.casualties_per_round * st.idf_exposure * w.lethality(e.zone, e.option, w.queue.now());
  for (int64_t r = 0; r < rounds; ++r) {
    if (!(s.uniform() < idf.p_effective)) continue;
    split_casualties(s, poisson(s, mean_casualties), idf.kill_share, e);
  }
  if (w.trace) {
    w.log(w.queue.now(), "idf", "site %s rounds %lld killed %lld wounded %lld", st.id.c_str(),
          static_cast<long long>(rounds), static_cast<long long>(e.killed),
          static_cast<long long>(e.wounded));
  }
}

void vbied_casualties(World& w, int site, Stream& s, CasualtyEvent& e) {
  const Site& st = w.scenario.sites[site];
  const VbiedThreat& vb = *w.scenario.zones[st.zone].vbied;
  const bool stopped = s.uniform() < st.perimeter_stop;
  const double lethality = w.lethality(e.zone, e.option, w.queue.now());  // §2.9
  split_casualties(s,
                   poisson(s, (stopped ? vb.casualties_stopped : vb.casualties_breach) * lethality),
                   vb.kill_share, e);
  if (w.trace) {
    w.log(w.queue.now(), "vbied", "site %s %s killed %lld wounded %lld", st.id.c_str(),
          stopped ? "stopped at perimeter" : "breached", static_cast<long long>(e.killed),
          static_cast<long long>(e.wounded));
  }
}

}  // namespace

}  // namespace pk::sim
