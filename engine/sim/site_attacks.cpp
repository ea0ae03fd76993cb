#include "sim/site_attacks.hpp"

#include <boost/random/poisson_distribution.hpp>

#include "sim/world.hpp"

namespace pk::sim {

namespace {

// Poisson(mean) through Boost.Random; 0 for a mean of 0 (Boost requires mean > 0).
int64_t poisson(Stream& s, double mean) {
  if (!(mean > 0)) return 0;
  return boost::random::poisson_distribution<int, double>(mean)(s);
}

// Each of n casualties is killed with probability kill_share, else wounded.
void split_casualties(Stream& s, int64_t n, double kill_share, CasualtyEvent& e) {
  for (int64_t i = 0; i < n; ++i) {
    if (s.uniform() < kill_share) {
      ++e.killed;
    } else {
      ++e.wounded;
    }
  }
}

}  // namespace

void SiteAttacks::start(World& w) {
  const size_t n = w.scenario.sites.size();
  idf_.resize(n);
  vbied_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int site = static_cast<int>(i);
    idf_[i].gaps = Stream(w.key, Proc::kIdfArrivals, i);
    idf_[i].candidates = 0;
    vbied_[i].gaps = Stream(w.key, Proc::kVbiedArrivals, i);
    vbied_[i].candidates = 0;
    schedule_next(w, idf_[i], w.tables.sites[i].idf_candidate_rate, kEvIdfCandidate, site);
    schedule_next(w, vbied_[i], w.tables.sites[i].vbied_candidate_rate, kEvVbiedCandidate, site);
  }
}

void SiteAttacks::schedule_next(World& w, Arrivals& a, double rate, uint32_t kind, int site) {
  if (!(rate > 0)) return;
  const double t = w.queue.now() + a.gaps.exp1() / rate;
  if (t < w.horizon) w.queue.push(t, kPrSiteAttack, des::Payload{kind, site, 0, 0});
}

bool SiteAttacks::thin(World& w, Arrivals& a, int site, uint32_t& k) {
  k = a.candidates++;
  const IntensityTable& it = w.tables.zones[w.scenario.sites[site].zone].intensity;
  return a.gaps.uniform() * it.max_factor < it.at(w.queue.now());
}

void SiteAttacks::on_idf_candidate(World& w, int site) {
  uint32_t k = 0;
  if (thin(w, idf_[site], site, k)) {
    const Site& st = w.scenario.sites[site];
    const double now = w.queue.now();
    const IdfThreat& idf = *w.scenario.zones[st.zone].idf;
    ++w.tally->idf_attacks;
    CasualtyEvent e;
    e.cause = Cause::kIdf;
    e.site = site;
    e.key = StreamId{static_cast<uint32_t>(Proc::kIdfAttack), static_cast<uint64_t>(site), k, 0};
    Stream s(w.key, e.key);
    const int64_t rounds = idf.mean_rounds > 1 ? 1 + poisson(s, idf.mean_rounds - 1) : 1;
    const double mean_casualties = idf.casualties_per_round * st.idf_exposure;
    for (int64_t r = 0; r < rounds; ++r) {
      if (!(s.uniform() < idf.p_effective)) continue;
      split_casualties(s, poisson(s, mean_casualties), idf.kill_share, e);
    }
    if (w.trace) {
      w.log(now, "idf", "site %s rounds %lld killed %lld wounded %lld", st.id.c_str(),
            static_cast<long long>(rounds), static_cast<long long>(e.killed),
            static_cast<long long>(e.wounded));
    }
    w.medevac.record_casualties(w, e);
  }
  schedule_next(w, idf_[site], w.tables.sites[site].idf_candidate_rate, kEvIdfCandidate, site);
}

void SiteAttacks::on_vbied_candidate(World& w, int site) {
  uint32_t k = 0;
  if (thin(w, vbied_[site], site, k)) {
    const Site& st = w.scenario.sites[site];
    const double now = w.queue.now();
    const VbiedThreat& vb = *w.scenario.zones[st.zone].vbied;
    ++w.tally->vbied_attacks;
    CasualtyEvent e;
    e.cause = Cause::kVbied;
    e.site = site;
    e.key = StreamId{static_cast<uint32_t>(Proc::kVbiedAttack), static_cast<uint64_t>(site), k, 0};
    Stream s(w.key, e.key);
    const bool stopped = s.uniform() < st.perimeter_stop;
    split_casualties(s, poisson(s, stopped ? vb.casualties_stopped : vb.casualties_breach),
                     vb.kill_share, e);
    if (w.trace) {
      w.log(now, "vbied", "site %s %s killed %lld wounded %lld", st.id.c_str(),
            stopped ? "stopped at perimeter" : "breached", static_cast<long long>(e.killed),
            static_cast<long long>(e.wounded));
    }
    w.medevac.record_casualties(w, e);
  }
  schedule_next(w, vbied_[site], w.tables.sites[site].vbied_candidate_rate, kEvVbiedCandidate,
                site);
}

}  // namespace pk::sim
