#include "sim/devices.hpp"

#include <array>
#include <boost/random/poisson_distribution.hpp>

#include "sim/world.hpp"

namespace pk::sim {

void DeviceProcess::start(World& w) {
  const Scenario& sc = w.scenario;
  pool_.clear();
  free_.clear();
  by_route_.resize(sc.routes.size());
  for (auto& list : by_route_) list.clear();
  zones_.resize(sc.zones.size());

  // Mines first: the stock lies on the roads from t = 0 (§2.2, §8.9).
  for (size_t z = 0; z < sc.zones.size(); ++z) {
    if (sc.zones[z].mines && w.tables.zones[z].route_km > 0) lay_stock(w, static_cast<int>(z));
  }

  for (size_t z = 0; z < sc.zones.size(); ++z) {
    zones_[z].gaps = Stream(w.key, Proc::kIedArrivals, w.tables.zones[z].name);
    zones_[z].candidates = 0;
    schedule_next(w, static_cast<int>(z));
    zones_[z].mine_gaps = Stream(w.key, Proc::kMineArrivals, w.tables.zones[z].name);
    zones_[z].mine_candidates = 0;
    schedule_next_mine(w, static_cast<int>(z));
  }
}

// The stock at t = 0: Poisson(per_km × route km) mines placed by length over
// the zone's pieces, or, at the steady state, Poisson(stock of the piece) on
// each piece in turn (one count stream; mine i's attributes keyed by i).
void DeviceProcess::lay_stock(World& w, int zone) {
  const ZoneTable& zt = w.tables.zones[zone];
  const MineField& field = *w.scenario.zones[zone].mines;
  Stream counts(w.key, Proc::kMineField, zt.name);
  uint32_t number = 0;
  // Poisson(mean) mines on `piece` (−1: placed by length over the zone).
  auto lay = [&](double mean, int piece) {
    const int n = mean > 0 ? boost::random::poisson_distribution<int, double>(mean)(counts) : 0;
    for (int i = 0; i < n; ++i, ++number) {
      Stream s(w.key, Proc::kMineAttributes, zt.name, number);
      lay_mine(w, zone, number, s, piece);
    }
  };
  if (!field.steady_stock) {
    lay(field.per_km * zt.route_km, -1);
    return;
  }
  // The steady stock follows the laying rate at t = 0, and so its year's factor.
  for (size_t p = 0; p < zt.pieces.size(); ++p)
    lay(zt.pieces[p].mine_stock * w.year_effect.at(0.0), static_cast<int>(p));
}

int DeviceProcess::lay_mine(World& w, int zone, uint32_t number, Stream& s, int piece) {
  Device d;
  d.zone = zone;
  d.index = number;
  d.mine = true;
  d.trigger = Trigger::kPressure;
  if (piece < 0) {
    place(w, zone, s, d);
  } else {
    const ZonePiece& p = w.tables.zones[zone].pieces[piece];
    d.route = p.route;
    d.pos_km = p.begin_km + s.uniform() * p.length_km;
  }
  ++w.tally->mine.emplaced;
  const int slot = insert(w, d);
  const double now = w.queue.now();
  if (w.trace) {
    w.log(now, "mine_laid", "zone %s route %s km %.2f", w.scenario.zones[zone].id.c_str(),
          w.scenario.routes[d.route].id.c_str(), d.pos_km);
  }
  const double lifetime = w.scenario.zones[zone].mines->lifetime_hours;
  if (lifetime > 0) schedule_expiry(w, slot, now + s.exp1() * lifetime);
  return slot;
}

void DeviceProcess::schedule_next_mine(World& w, int zone) {
  schedule_candidate(w, zone, w.tables.zones[zone].mine_candidate_rate * w.year_effect.max,
                     zones_[zone].mine_gaps, kEvMineCandidate);
}

// Candidate k is kept with probability intensity(t) × profile(t) / their
// peaks: the same thinning as IED emplacement, without UAV deterrence (§2.2).
void DeviceProcess::on_mine_candidate(World& w, int zone) {
  ZoneArrivals& za = zones_[zone];
  const uint32_t k = za.mine_candidates++;
  const IntensityTable& in = w.intensity(zone);
  const DailyProfile& day = w.scenario.zones[zone].mines->time_of_day;
  const double now = w.queue.now();
  if (za.mine_gaps.uniform() * in.max_factor * day.peak < in.at(now) * day.at(now)) {
    Stream s(w.key, Proc::kMineAttributes, w.tables.zones[zone].name, laid_mine_number(k));
    const int slot = lay_mine(w, zone, laid_mine_number(k), s, -1);
    w.movements.on_device_placed(w, slot);
  }
  schedule_next_mine(w, zone);
}

void DeviceProcess::schedule_expiry(World& w, int slot, double at) {
  if (at < w.horizon) {
    w.queue.push(
        at, kPrExpiry,
        des::Payload{kEvDeviceExpiry, slot, static_cast<int32_t>(pool_[slot].generation), 0});
  }
}

void DeviceProcess::schedule_next(World& w, int zone) {
  schedule_candidate(w, zone,
                     w.tables.zones[zone].ied_candidate_rate * w.year_effect.max *
                         w.attack_bound(zone, Cause::kIed),
                     zones_[zone].gaps, kEvIedCandidate);
}

// The next candidate of a zone's arrival process at `rate` per hour, its gap
// drawn from `gaps`; none at or after the horizon.
void DeviceProcess::schedule_candidate(World& w, int zone, double rate, Stream& gaps,
                                       uint32_t kind) {
  if (!(rate > 0)) return;
  const double t = w.queue.now() + gaps.exp1() / rate;
  if (t < w.horizon) w.queue.push(t, kPrCandidate, des::Payload{kind, zone, 0, 0});
}

void DeviceProcess::place(const World& w, int zone, Stream& s, Device& d) const {
  const ZoneTable& zt = w.tables.zones[zone];
  const double u_piece = s.uniform();
  const double u_offset = s.uniform();
  const double target = u_piece * zt.route_km;
  size_t i = 0;
  while (i + 1 < zt.pieces.size() && zt.pieces[i].cum_end_km <= target) ++i;
  const ZonePiece& p = zt.pieces[i];
  d.route = p.route;
  d.pos_km = p.begin_km + u_offset * p.length_km;
}

int DeviceProcess::insert(World& w, const Device& d) {
  int slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
    const uint32_t gen = pool_[slot].generation;
    pool_[slot] = d;
    pool_[slot].generation = gen;
  } else {
    slot = static_cast<int>(pool_.size());
    pool_.push_back(d);
    pool_[slot].generation = 0;
  }
  pool_[slot].alive = true;
  std::vector<int>& list = by_route_[d.route];
  auto it = list.begin();
  while (it != list.end() && pool_[*it].pos_km <= d.pos_km) ++it;
  list.insert(it, slot);
  (void)w;
  return slot;
}

void DeviceProcess::remove(int slot) {
  Device& d = pool_[slot];
  std::vector<int>& list = by_route_[d.route];
  for (auto it = list.begin(); it != list.end(); ++it) {
    if (*it == slot) {
      list.erase(it);
      break;
    }
  }
  d.alive = false;
  ++d.generation;
  free_.push_back(slot);
}

void DeviceProcess::on_candidate(World& w, int zone) {
  ZoneArrivals& za = zones_[zone];
  const uint32_t k = za.candidates++;
  const ZoneTable& zt = w.tables.zones[zone];
  const double now = w.queue.now();
  const double c = w.uav.coverage(w, zone);
  const UavArea* area = w.scenario.uav && w.scenario.uav->area ? &*w.scenario.uav->area : nullptr;
  const double deterrence = area ? area->deterrence * c : 0.0;
  // One uniform decides; its threshold shrinks as coverage grows, so an arm
  // with more UAVs deters a subset of the same candidates.
  // The time of day thins the same uniform (§2.6): a flat day multiplies by 1.
  const IedThreat& ied = *w.scenario.zones[zone].ied;
  const IntensityTable& in = w.intensity(zone);
  // An adaptive adversary's factor thins it too (§2.9): 1 against a static one.
  const bool emplaced =
      za.gaps.uniform() * in.max_factor * ied.time_of_day.peak * w.attack_bound(zone, Cause::kIed) <
      in.at(now) * ied.time_of_day.at(now) * (1.0 - deterrence) *
          w.attack_rate(zone, Cause::kIed, now);
  if (emplaced) {
    Device d;
    d.zone = zone;
    d.index = k;
    d.mine = false;
    Stream s(w.key, Proc::kIedAttributes, zt.name, k);
    place(w, zone, s, d);
    const double u_trigger = s.uniform();
    const double u_observe = s.uniform();
    const double lifetime = s.exp1() * ied.lifetime_hours;
    const std::array<double, kTriggerCount>& mix =
        w.adversary() ? w.adversary()->at(zone, now).trigger_mix : ied.trigger_mix;
    d.trigger = u_trigger < mix[0]            ? Trigger::kPressure
                : u_trigger < mix[0] + mix[1] ? Trigger::kCommand
                                              : Trigger::kRadio;
    ++w.tally->ied.emplaced;
    w.count_attack(zone, ied_option(d.trigger), false);
    const bool observed = area && u_observe < area->p_observe * c;
    if (w.trace) {
      static const char* const kTriggerNames[] = {"pressure", "command", "radio"};
      w.log(now, observed ? "ied_found_uav_area" : "ied_emplaced",
            "zone %s route %s km %.2f trigger %s", w.scenario.zones[zone].id.c_str(),
            w.scenario.routes[d.route].id.c_str(), d.pos_km,
            kTriggerNames[static_cast<int>(d.trigger)]);
    }
    if (observed) {
      ++w.tally->ied.found_uav_area;
    } else {
      const int slot = insert(w, d);
      schedule_expiry(w, slot, now + lifetime);
      w.movements.on_device_placed(w, slot);
    }
  }
  schedule_next(w, zone);
}

void DeviceProcess::on_expiry(World& w, int slot, uint32_t generation) {
  if (!live(slot, generation)) return;  // met before its end
  const Device& d = pool_[slot];
  ++(d.mine ? w.tally->mine : w.tally->ied).expired;
  if (w.trace) {
    w.log(w.queue.now(), d.mine ? "mine_expired" : "ied_expired", "route %s km %.2f",
          w.scenario.routes[d.route].id.c_str(), d.pos_km);
  }
  remove(slot);
}

}  // namespace pk::sim
