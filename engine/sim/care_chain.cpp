#include "sim/care_chain.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/threats.hpp"
#include "sim/world.hpp"

namespace pk::sim {

namespace {

constexpr int kT1 = 0, kT3 = 2;
constexpr double kEps = 1e-9;  // times compared with the 10-1-2 limits, in hours

int triage_of(const CareChain& c, double u) {
  if (u < c.severity[0]) return 0;
  if (u < c.severity[0] + c.severity[1]) return 1;
  return c.severity[2] > 0 ? 2 : (c.severity[1] > 0 ? 1 : 0);
}

// Whether advanced care comes from a Role 1 on the spot: the movement's or
// the camp's own, else the chain's forward Role 1 (movements) or camps' Role 1.
bool role1_on_the_spot(const Scenario& s, const CareChain& c, const CasualtyEvent& e) {
  const LocalCare* l = local_care_of(s, e);
  if (l && l->role1) return *l->role1;
  return (e.movement >= 0 && c.forward_role1) || (e.site >= 0 && c.camp_role1);
}

// The share of the event's wounded a trained responder reaches.
double responder_share(const Scenario& s, const CareChain& c, const CasualtyEvent& e) {
  const LocalCare* l = local_care_of(s, e);
  return l && l->responder_share ? *l->responder_share : c.responder_share;
}

const char* cause_name(const CasualtyEvent& e) {
  return threat_types()[static_cast<size_t>(e.cause)].name;
}

int64_t minutes(double hours) {
  return std::llround(hours * 60);
}

}  // namespace

void CareChainService::start(World& w) {
  fresh_.clear();
  patients_.clear();
  free_slots_.clear();
  queue_.clear();
  head_ = 0;
  beds_ = {};
  const auto& m = w.scenario.medevac;
  free_tables_ = m && m->care && m->care->role2 ? m->care->role2->operating_tables : 0;
}

CasualtyEvent CareChainService::split_survivable(World& w, const CasualtyEvent& e) const {
  const auto& m = w.scenario.medevac;
  if (!m || !m->care || m->care->survivable_share <= 0 || e.killed <= 0) return e;
  CasualtyEvent out = e;
  Stream s(w.key, StreamId{static_cast<uint32_t>(Proc::kCare), e.key.hash(), 0, 2});
  for (int64_t i = 0; i < e.killed; ++i) out.critical += s.uniform() < m->care->survivable_share;
  out.killed -= out.critical;
  if (w.trace && out.critical > 0)
    w.log(w.queue.now(), "survivable", "%s %lld of the killed potentially survivable",
          cause_name(e), static_cast<long long>(out.critical));
  return out;
}

void CareChainService::treat(World& w, const CasualtyEvent& e, double injured_at, Stream& s,
                             const CareTimes& times, bool crashed) {
  const CareChain& c = *w.scenario.medevac->care;
  fresh_.clear();
  const double share = responder_share(w.scenario, c, e);
  // For the trace: the deaths before advanced care this request adds.
  const int64_t first_aid_before = w.tally->care.died_before_first_aid;
  const int64_t advanced_before = w.tally->care.died_before_advanced_care;
  for (int64_t i = 0; i < e.wounded; ++i) {
    const double u = s.uniform();  // where dow_curve alone draws its death uniform
    Stream cs(w.key, StreamId{static_cast<uint32_t>(Proc::kCare), e.key.hash(),
                              static_cast<uint64_t>(i), 0});
    const int k = triage_of(c, cs.uniform());
    const bool responder = cs.uniform() < share;
    admit(w, e, injured_at, times, k, c.before_first_aid_hazard[k], c.before_advanced_hazard[k],
          responder, u, static_cast<uint32_t>(i));
  }
  // The potentially survivable: T1 with their own hazards, drawn from their
  // own stream so that the wounded's draws above do not move.
  Stream ps(w.key, StreamId{static_cast<uint32_t>(Proc::kCare), e.key.hash(), 0, 3});
  for (int64_t j = 0; j < e.critical; ++j) {
    const double u = ps.uniform();
    const bool responder = ps.uniform() < share;
    admit(w, e, injured_at, times, kT1, c.survivable_first_aid_hazard, c.survivable_advanced_hazard,
          responder, u, static_cast<uint32_t>(e.wounded + j));
  }
  Tally& t = *w.tally;
  Casualties* owner = owner_of(t, e);
  if (w.trace) {
    const int64_t first_aid = t.care.died_before_first_aid - first_aid_before;
    const int64_t advanced = t.care.died_before_advanced_care - advanced_before;
    w.log(w.queue.now(), "prehospital",
          "%s killed before advanced care %lld (before first aid %lld), alive %lld", cause_name(e),
          static_cast<long long>(first_aid + advanced), static_cast<long long>(first_aid),
          static_cast<long long>(fresh_.size()));
  }
  if (crashed) {  // the survivors aboard, in order, then the crew (§2.8)
    const double p_kill = w.scenario.medevac->accidents->p_kill;
    int64_t killed = 0;
    size_t kept = 0;
    for (size_t i = 0; i < fresh_.size(); ++i) {
      if (s.uniform() < p_kill) {
        ++killed;
      } else {
        fresh_[kept++] = fresh_[i];
      }
    }
    fresh_.resize(kept);
    w.medevac.book_air_crash(w, s, killed, owner);
  }
  // Without a Role 2 surgery starts on arrival: nothing to keep. With one, a
  // patient holds a slot from now until its operation starts (or it dies),
  // so memory follows the patients in flight, not the replication's total.
  for (const Patient& p : fresh_) {
    if (!c.role2) {
      operate(w, p, p.arrival_at);
      continue;
    }
    int id;
    if (free_slots_.empty()) {
      id = static_cast<int>(patients_.size());
      patients_.push_back(p);
    } else {
      id = free_slots_.back();
      free_slots_.pop_back();
      patients_[static_cast<size_t>(id)] = p;
    }
    w.queue.push(p.arrival_at, kPrCare, des::Payload{kEvCareArrival, id, 0, 0});
  }
}

void CareChainService::admit(World& w, const CasualtyEvent& e, double injured_at,
                             const CareTimes& times, int k, double h1, double h2, bool responder,
                             double u, uint32_t number) {
  const CareChain& c = *w.scenario.medevac->care;
  Tally& t = *w.tally;
  CareCounts& care = t.care;
  // Advanced care brings first aid with it; neither comes after arrival.
  double advanced = role1_on_the_spot(w.scenario, c, e) ? c.role1_hours : times.pickup;
  advanced = std::min(advanced, times.arrival);
  const double first_aid = std::min(responder ? c.responder_hours : c.first_aid_hours, advanced);
  const double p1 = -std::expm1(-h1 * first_aid);
  const double p2 = -std::expm1(-h2 * (advanced - first_aid));
  const double q = p1 + (1 - p1) * p2;
  const bool t1 = k == kT1;
  care.t1 += t1;
  if (t1 && u >= p1) care.t1_first_aid_10min += first_aid <= 10.0 / 60 + kEps;
  if (u < q) {  // died before advanced care: killed in action
    ++(u < p1 ? care.died_before_first_aid : care.died_before_advanced_care);
    constexpr int kKia = static_cast<int>(Outcome::kKia);
    ++t.by_cause[static_cast<int>(e.cause)].n[kKia];
    w.count_deaths(e, injured_at, 1);
    if (Casualties* owner = owner_of(t, e)) ++owner->n[kKia];
    return;
  }
  if (t1) care.t1_advanced_care_1h += advanced <= 1 + kEps;
  Patient p;
  p.event = e;
  p.number = number;
  p.triage = k;
  p.injured_at = injured_at;
  p.arrival_at = injured_at + times.arrival;
  p.surgery_u = q > 0 ? (u - q) / (1 - q) : u;
  fresh_.push_back(p);
}

void CareChainService::on_arrival(World& w, int id) {
  const Patient& p = patients_[static_cast<size_t>(id)];
  if (p.triage == kT3 || free_tables_ > 0) {
    operate(w, p, w.queue.now());
    free_slots_.push_back(id);
    return;
  }
  queue_.push_back(id);
}

void CareChainService::on_table_free(World& w) {
  ++free_tables_;
  start_queued(w);
}

void CareChainService::start_queued(World& w) {
  while (free_tables_ > 0 && head_ < queue_.size()) {
    const int id = queue_[head_++];
    operate(w, patients_[static_cast<size_t>(id)], w.queue.now());
    free_slots_.push_back(id);
  }
  if (head_ == queue_.size()) {  // all served: the queue starts again from its front
    queue_.clear();
    head_ = 0;
  }
}

void CareChainService::operate(World& w, const Patient& p, double now) {
  const Medevac& m = *w.scenario.medevac;
  const CareChain& c = *m.care;
  Tally& t = *w.tally;
  const double to_surgery = now - p.injured_at;
  const double risk =
      std::min(1.0, c.dow_relative_risk[p.triage] * dow_probability(m.dow_curve, to_surgery));
  const bool died = p.surgery_u < risk;
  const Outcome o = died ? Outcome::kDow : Outcome::kWia;
  if (w.trace)
    w.log(w.queue.now(), "care_outcome",
          "%s T%d, died of wounds %d, surgery stage %.2f h after injury", cause_name(p.event),
          p.triage + 1, died ? 1 : 0, to_surgery);
  ++t.by_cause[static_cast<int>(p.event.cause)].n[static_cast<int>(o)];
  if (died) w.count_deaths(p.event, p.injured_at, 1);
  if (Casualties* owner = owner_of(t, p.event)) ++owner->n[static_cast<int>(o)];
  if (died || p.triage == kT3) {
    if (!died && c.role2) take_bed(w, p, now);
    return;
  }
  ++t.care.surgeries;
  if (p.triage == kT1 && to_surgery <= 2 + kEps) ++t.care.t1_surgery_2h;
  if (!c.role2) return;
  const double wait = now - p.arrival_at;
  t.care.surgery_waited += wait > kEps;
  t.care.surgery_wait_minutes += minutes(wait);
  Stream s(w.key, StreamId{static_cast<uint32_t>(Proc::kCare), p.event.key.hash(), p.number, 1});
  const double hours = c.role2->surgery_hours * s.exp1();
  t.care.table_minutes += minutes(hours);
  --free_tables_;
  w.queue.push(now + hours, kPrCare, des::Payload{kEvTableFree, 0, 0, 0});
  take_bed(w, p, now);
}

// Survivors take a bed from the time their fate is known for their stay;
// beds are counted, not refused: one more patient than beds is over capacity.
void CareChainService::take_bed(World& w, const Patient& p, double now) {
  const Role2& r = *w.scenario.medevac->care->role2;
  while (!beds_.empty() && beds_.top() <= now) beds_.pop();
  const int64_t days = r.stay_days[static_cast<size_t>(p.triage)];
  if (days <= 0) return;
  CareCounts& care = w.tally->care;
  beds_.push(now + kHoursPerDay * static_cast<double>(days));
  care.bed_days += days;
  const auto taken = static_cast<int64_t>(beds_.size());
  care.peak_beds = std::max(care.peak_beds, taken);
  if (r.beds >= 0 && taken > r.beds) ++care.over_capacity;  // 0 beds: every survivor
}

}  // namespace pk::sim
