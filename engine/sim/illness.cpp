#include "sim/illness.hpp"

#include <boost/random/poisson_distribution.hpp>

#include "sim/world.hpp"

namespace pk::sim {

namespace {

int64_t poisson_count(Stream& s, double mean) {
  if (!(mean > 0)) return 0;
  return boost::random::poisson_distribution<int64_t, double>(mean)(s);
}

}  // namespace

void draw_illness(World& w) {
  const Scenario& sc = w.scenario;
  Tally& t = *w.tally;
  constexpr int kIll = static_cast<int>(Cause::kIllness);
  constexpr int kDied = static_cast<int>(Outcome::kDow);
  for (size_t i = 0; i < sc.sites.size(); ++i) {
    const Site& site = sc.sites[i];
    const auto& ill = sc.zones[site.zone].illness;
    if (!ill) continue;
    const double mean = ill->per_person_hour * static_cast<double>(site.personnel) * w.horizon;
    if (!(mean > 0)) continue;
    // The site's own stream: deaths, then recoveries. A Poisson count of cases
    // each fatal with case_fatality is two independent Poisson counts (the
    // splitting property), drawn in constant time however many people.
    Stream s(w.key, Proc::kIllness, w.tables.sites[i].name);
    // Evacuated cases (§2.8) need MEDEVAC; without it every case stays here.
    const double evacuated = sc.medevac ? ill->evacuated_share : 0.0;
    const double stay = mean * (1 - evacuated);
    const int64_t deaths = poisson_count(s, stay * ill->case_fatality);
    const int64_t cases = deaths + poisson_count(s, stay * (1 - ill->case_fatality));
    t.illness_cases += cases;
    // Then the evacuated: each a one-patient request at a uniform time of the
    // horizon (a Poisson process), settled by MEDEVAC (medevac.cpp).
    const int64_t flown = poisson_count(s, mean * evacuated);
    t.illness_cases += flown;
    for (int64_t k = 0; k < flown; ++k) {
      w.queue.push(
          s.uniform() * w.horizon, kPrSiteAttack,
          des::Payload{kEvIllnessCase, static_cast<int32_t>(i), static_cast<int32_t>(k), 0});
    }
    // Deaths of illness are not at the scene of an event: they count with
    // those who died later (the DOW column, §2.8); the cases who recover are
    // not wounded and are counted only as cases.
    t.by_cause[kIll].n[kDied] += deaths;
    t.by_site[i].n[kDied] += deaths;
    if (w.trace) {
      w.log(0.0, "illness", "site %s cases %lld died %lld over the horizon", site.id.c_str(),
            static_cast<long long>(cases), static_cast<long long>(deaths));
      if (flown > 0)
        w.log(0.0, "illness", "site %s cases evacuated %lld (each settled as it reaches care)",
              site.id.c_str(), static_cast<long long>(flown));
    }
  }
}

}  // namespace pk::sim
