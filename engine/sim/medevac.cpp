#include "sim/medevac.hpp"

#include <algorithm>
#include <boost/random/lognormal_distribution.hpp>
#include <cmath>

#include "sim/world.hpp"

namespace pk::sim {

namespace {

// One flight time: lognormal with the given mean and sd (§8.17); sd 0 is fixed.
double draw_flight(const Medevac& m, Stream& s) {
  if (m.flight_sd_hours <= 0 || m.flight_hours <= 0) return m.flight_hours;
  const double ratio = m.flight_sd_hours / m.flight_hours;
  const double sigma2 = std::log1p(ratio * ratio);
  const double mu = std::log(m.flight_hours) - 0.5 * sigma2;
  return boost::random::lognormal_distribution<double>(mu, std::sqrt(sigma2))(s);
}

// Whether a sortie of `hours` dispatched at time t crashes (§2.8): one uniform
// of the request's stream, drawn only when the block has accidents.
bool sortie_crashes(const Medevac& m, Stream& s, double hours, double t) {
  if (!m.accidents) return false;
  const AirAccidents& a = *m.accidents;
  const double rate = a.per_flight_hour * (pk::daylight(t) ? 1.0 : a.night_factor);
  return s.uniform() < -std::expm1(-rate * hours);
}

// A request's flight time: the mission's draw, scaled to the mean of the
// event's own `care.flight_hours` — a lognormal of the same coefficient of
// variation, from the same uniform, so the draws of every arm line up.
double flight_for(const Scenario& sc, const CasualtyEvent& e, Stream& s) {
  const Medevac& m = *sc.medevac;
  const double flight = draw_flight(m, s);
  const LocalCare* l = local_care_of(sc, e);
  if (!l || !l->flight_hours) return flight;
  if (m.flight_hours <= 0) return *l->flight_hours;
  return flight * (*l->flight_hours / m.flight_hours);
}

// The time by ground to the Role 2 for the event's casualties (§3.3).
double ground_for(const Scenario& sc, const CasualtyEvent& e) {
  const LocalCare* l = local_care_of(sc, e);
  return l && l->ground_evac_hours ? *l->ground_evac_hours : sc.medevac->ground_evac_hours;
}

}  // namespace

double dow_probability(const std::vector<std::pair<double, double>>& curve, double t) {
  if (curve.empty()) return 0;
  if (t <= curve.front().first) return curve.front().second;
  for (size_t i = 1; i < curve.size(); ++i) {
    if (t <= curve[i].first) {
      const auto& [x0, y0] = curve[i - 1];
      const auto& [x1, y1] = curve[i];
      if (x1 <= x0) return y1;
      return y0 + (y1 - y0) * (t - x0) / (x1 - x0);
    }
  }
  return curve.back().second;
}

bool MedevacService::can_fly(const World& w, double t) {
  return w.scenario.medevac->night_flying || pk::daylight(t);
}

void MedevacService::start(World& w) {
  requests_.clear();
  queue_.clear();
  head_ = 0;
  daylight_pending_ = false;
  free_ = w.scenario.medevac ? w.scenario.medevac->helicopters : 0;
}

void MedevacService::record_casualties(World& w, const CasualtyEvent& event) {
  if (event.option >= 0)
    if (OptionCounts* oc = w.option_counts(event.zone, event.option))
      oc->casualties += event.killed + event.wounded;
  const CasualtyEvent e = w.care.split_survivable(w, event);
  Tally& t = *w.tally;
  const int cause = static_cast<int>(e.cause);
  Casualties* owner = owner_of(t, e);
  t.by_cause[cause].n[static_cast<int>(Outcome::kKia)] += e.killed;
  w.count_deaths(e, w.queue.now(), e.killed);
  if (owner) owner->n[static_cast<int>(Outcome::kKia)] += e.killed;
  if (e.wounded + e.critical <= 0) return;

  const auto& medevac = w.scenario.medevac;
  if (!medevac) {  // deaths of wounds not modelled (§8.18)
    t.by_cause[cause].n[static_cast<int>(Outcome::kWia)] += e.wounded;
    if (owner) owner->n[static_cast<int>(Outcome::kWia)] += e.wounded;
    return;
  }

  ++t.medevac_requests;
  const double now = w.queue.now();
  requests_.push_back(Request{e, now, false});
  const int id = static_cast<int>(requests_.size() - 1);
  if (medevac->helicopters <= 0) {  // everyone by ground at once (§8.18)
    ++t.medevac_ground;
    go_by_ground(w, requests_[id], ground_for(w.scenario, e));
    return;
  }
  if (free_ > 0 && can_fly(w, now)) {
    dispatch(w, id);
    return;
  }
  ++t.medevac_waited;
  requests_[id].waiting = true;
  queue_.push_back(id);
  w.queue.push(now + medevac->max_wait_hours, kPrMedevacTimeout,
               des::Payload{kEvMedevacTimeout, id, 0, 0});
  try_dispatch(w);  // schedules the next 06:00 when a helicopter is free at night
}

void MedevacService::dispatch(World& w, int id) {
  const Medevac& m = *w.scenario.medevac;
  Request& r = requests_[id];
  r.waiting = false;
  const double now = w.queue.now();
  const double wait = now - r.requested_at;
  Stream s(w.key, StreamId{static_cast<uint32_t>(Proc::kMedevac), r.event.key.hash(), 0, 0});
  const double flight = flight_for(w.scenario, r.event, s);
  const bool crashed = sortie_crashes(m, s, flight, now);
  --free_;
  // A helicopter that crashed does not come back (§2.8).
  if (!crashed)
    w.queue.push(now + m.dispatch_hours + flight, kPrMedevacFree,
                 des::Payload{kEvMedevacFree, 0, 0, 0});
  w.tally->medevac_wait_hours += wait;
  // The crew reaches the casualty halfway through the flight (§3.6).
  const double to_pickup = wait + m.dispatch_hours + 0.5 * flight;
  settle(w, r, s, CareTimes{to_pickup, wait + m.dispatch_hours + flight}, false, crashed);
}

void MedevacService::go_by_ground(World& w, const Request& r, double hours_to_care) {
  // The flight draw comes first even by ground, so the death-of-wounds draws of
  // an event line up whether or not an arm changes how its wounded travel.
  Stream s(w.key, StreamId{static_cast<uint32_t>(Proc::kMedevac), r.event.key.hash(), 0, 0});
  (void)draw_flight(*w.scenario.medevac, s);
  if (w.scenario.medevac->accidents) (void)s.uniform();  // the sortie's crash draw, unused
  settle(w, r, s, CareTimes{hours_to_care, hours_to_care}, true);
}

void MedevacService::on_illness_case(World& w, int site, int number) {
  CasualtyEvent e;
  e.cause = Cause::kIllness;
  e.site = site;
  e.wounded = 1;
  // Keyed by the site and the case's number: the site's own illness stream
  // draws the counts and times, this one the patient's evacuation.
  e.key = StreamId{static_cast<uint32_t>(Proc::kIllness), w.tables.sites[site].name,
                   static_cast<uint64_t>(number) + 1, 0};
  record_casualties(w, e);
}

void MedevacService::settle_illness(World& w, const Request& r, Stream& s, double hours,
                                    bool crashed) {
  const Medevac& m = *w.scenario.medevac;
  const Site& site = w.scenario.sites[static_cast<size_t>(r.event.site)];
  const Illness& ill = *w.scenario.zones[site.zone].illness;
  // The case fatality observed with the care as it was, weighed by how much
  // sooner or later this patient reaches care (§2.8).
  const double usual = dow_probability(m.dow_curve, ill.case_fatality_at_hours);
  const double p =
      usual > 0 ? std::min(1.0, ill.case_fatality * dow_probability(m.dow_curve, hours) / usual)
                : ill.case_fatality;
  const bool died = s.uniform() < p;
  Tally& t = *w.tally;
  Casualties* owner = owner_of(t, r.event);
  if (died) {
    t.by_cause[static_cast<int>(Cause::kIllness)].n[static_cast<int>(Outcome::kDow)] += 1;
    owner->n[static_cast<int>(Outcome::kDow)] += 1;
  }
  if (w.trace) {
    w.log(w.queue.now(), "illness_evacuated", "site %s care after %.2f h, died %d", site.id.c_str(),
          hours, died ? 1 : 0);
  }
  if (!crashed) return;
  // A patient who survived the illness is killed in the crash with p_kill.
  const int64_t killed = !died && s.uniform() < m.accidents->p_kill ? 1 : 0;
  book_air_crash(w, s, killed, owner);
}

void MedevacService::settle(World& w, const Request& r, Stream& s, const CareTimes& times,
                            bool by_ground, bool crashed) {
  const Medevac& m = *w.scenario.medevac;
  if (r.event.cause == Cause::kIllness) {  // not a wound: no triage, no table (§2.8)
    settle_illness(w, r, s, times.arrival, crashed);
    return;
  }
  const char* kind = by_ground ? "medevac_ground" : "medevac_care";
  if (m.care) {
    if (w.trace)
      w.log(w.queue.now(), kind, "wounded %lld, advanced care after %.2f h, care after %.2f h",
            static_cast<long long>(r.event.wounded), times.pickup, times.arrival);
    w.care.treat(w, r.event, r.requested_at, s, times, crashed);
    return;
  }
  int64_t dead = 0;
  const double p = dow_probability(m.dow_curve, times.arrival);
  for (int64_t i = 0; i < r.event.wounded; ++i) {
    if (s.uniform() < p) ++dead;
  }
  Tally& t = *w.tally;
  const int cause = static_cast<int>(r.event.cause);
  t.by_cause[cause].n[static_cast<int>(Outcome::kDow)] += dead;
  w.count_deaths(r.event, r.requested_at, dead);
  t.by_cause[cause].n[static_cast<int>(Outcome::kWia)] += r.event.wounded - dead;
  Casualties* owner = owner_of(t, r.event);
  if (owner) {
    owner->n[static_cast<int>(Outcome::kDow)] += dead;
    owner->n[static_cast<int>(Outcome::kWia)] += r.event.wounded - dead;
  }
  if (w.trace) {
    w.log(w.queue.now(), kind, "wounded %lld, care after %.2f h, died of wounds %lld",
          static_cast<long long>(r.event.wounded), times.arrival, static_cast<long long>(dead));
  }
  if (!crashed) return;
  // Each surviving patient is killed with p_kill: they leave the wounded of
  // the first cause for the killed of air accidents (§2.8).
  const int64_t survivors = r.event.wounded - dead;
  int64_t patients_killed = 0;
  for (int64_t i = 0; i < survivors; ++i) patients_killed += s.uniform() < m.accidents->p_kill;
  t.by_cause[cause].n[static_cast<int>(Outcome::kWia)] -= patients_killed;
  if (owner) owner->n[static_cast<int>(Outcome::kWia)] -= patients_killed;
  book_air_crash(w, s, patients_killed, owner);
}

void MedevacService::book_air_crash(World& w, Stream& s, int64_t patients_killed,
                                    Casualties* owner) {
  const AirAccidents& a = *w.scenario.medevac->accidents;
  Tally& t = *w.tally;
  ++t.air_accidents;
  constexpr int kKia = static_cast<int>(Outcome::kKia);
  int64_t crew_killed = 0;
  for (int64_t i = 0; i < a.crew; ++i) crew_killed += s.uniform() < a.p_kill;
  t.by_cause[static_cast<int>(Cause::kAirAccident)].n[kKia] += patients_killed + crew_killed;
  if (owner) owner->n[kKia] += patients_killed;
  if (w.trace) {
    w.log(w.queue.now(), "air_crash", "patients killed %lld crew killed %lld, helicopter lost",
          static_cast<long long>(patients_killed), static_cast<long long>(crew_killed));
  }
}

void MedevacService::try_dispatch(World& w) {
  while (free_ > 0 && head_ < queue_.size()) {
    const int id = queue_[head_];
    if (!requests_[id].waiting) {  // already gone by ground
      ++head_;
      continue;
    }
    const double now = w.queue.now();
    if (!can_fly(w, now)) {
      if (!daylight_pending_) {
        const double day = std::floor(now / kHoursPerDay);
        const double h = now - kHoursPerDay * day;
        const double next = h < 6.0 ? kHoursPerDay * day + 6.0 : kHoursPerDay * (day + 1) + 6.0;
        w.queue.push(next, kPrMedevacFree, des::Payload{kEvMedevacDaylight, 0, 0, 0});
        daylight_pending_ = true;
      }
      return;
    }
    ++head_;
    dispatch(w, id);
  }
}

void MedevacService::on_helicopter_free(World& w) {
  ++free_;
  try_dispatch(w);
}

void MedevacService::on_daylight(World& w) {
  daylight_pending_ = false;
  try_dispatch(w);
}

void MedevacService::on_timeout(World& w, int id) {
  Request& r = requests_[id];
  if (!r.waiting) return;
  r.waiting = false;
  const Medevac& m = *w.scenario.medevac;
  ++w.tally->medevac_ground;
  w.tally->medevac_wait_hours += m.max_wait_hours;
  go_by_ground(w, r, m.max_wait_hours + ground_for(w.scenario, r.event));
}

}  // namespace pk::sim
