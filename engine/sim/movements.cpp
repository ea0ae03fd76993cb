#include "sim/movements.hpp"

#include <algorithm>
#include <cmath>

#include "sim/distance_hazards.hpp"
#include "sim/world.hpp"

namespace pk::sim {

namespace {

// The lead crew's probability of detecting a device at time t (§2.1, §3.4):
// by day or night, times its contingent's learning after a rotation.
double crew_detection(const Scenario& sc, const Movement& mv, bool trained, double t) {
  const double p = by_time_of_day(trained ? mv.c_ied.p_detect_trained : mv.c_ied.p_detect_untrained,
                                  mv.c_ied.night_factor, t);
  return mv.contingent < 0 ? p : p * sc.contingents[mv.contingent].learning(t);
}

// The departures a movement of mean rate `per_hour` is expected to make in
// `hours`, rounded up, as a priority keeps them (§3.5, §8.14). Only whether
// it reaches what is left matters, so it is capped above any pool (10^5
// vehicles) or week's escorts (10^8) before the conversion: a hostile rate
// would overflow it.
int64_t departures_in(double per_hour, double hours) {
  return static_cast<int64_t>(std::min(std::ceil(per_hour * hours - 1e-9), 1e12));
}

}  // namespace

void MovementProcess::start(World& w) {
  const Scenario& sc = w.scenario;
  trips_.clear();
  free_trips_.clear();
  trips_on_route_.resize(sc.routes.size());
  for (auto& list : trips_on_route_) list.clear();
  poisson_gaps_.resize(sc.movements.size());
  poisson_clock_.assign(sc.movements.size(), 0.0);
  departures_.assign(sc.movements.size(), 0);
  fed_.assign(sc.movements.size(), 0);
  jitters_.resize(sc.movements.size());
  finishing_.clear();
  next_arrival_ = kInf;
  clearance_week_ = -1;
  escorts_left_ = 0;
  reserve_per_hour_ = clearance_reserves(w);
  pool_free_.clear();
  for (const VehiclePool& p : sc.vehicle_pools) pool_free_.push_back(p.vehicles);
  pool_claims_ = pool_claims(w);
  for (size_t m = 0; m < sc.movements.size(); ++m) {
    if (!w.tables.movements[m].active) continue;
    const Schedule& sch = sc.movements[m].schedule;
    const int mi = static_cast<int>(m);
    jitters_[m] = Stream(w.key, Proc::kJitter, w.tables.movements[m].name);
    if (sch.kind == Schedule::Kind::kPoisson) {
      poisson_gaps_[m] = Stream(w.key, Proc::kSchedule, w.tables.movements[m].name);
      schedule_poisson(w, mi);
    } else if (sch.jitter_hours <= sch.shortest_gap()) {
      // Jitter no wider than the gaps keeps departures in order, so each
      // departure schedules the next one (few pending events).
      schedule_periodic(w, mi, 0);
    } else {
      // Departures may overtake each other: fed to the queue a few jitters ahead.
      feed(w, mi);
    }
  }
}

void MovementProcess::schedule_periodic(World& w, int m, int d) {
  const Schedule& sch = w.scenario.movements[m].schedule;
  // Departures are scheduled in the order of d, each taking one word of the
  // movement's jitter stream: the time of departure d is word d, whatever
  // else happens (four departures to a Philox call).
  const double u = jitters_[m].uniform();
  double t = std::max(0.0, sch.nominal_time(d) + (u - 0.5) * sch.jitter_hours);
  if (sch.has_window()) t = sch.next_in_window(t);
  if (t < w.horizon) w.queue.push(t, kPrDeparture, des::Payload{kEvDeparture, m, d, 0});
}

void MovementProcess::feed(World& w, int m) {
  const Schedule& sch = w.scenario.movements[m].schedule;
  const double half = sch.jitter_hours / 2;
  const auto earliest = [&](int32_t d) { return std::max(0.0, sch.nominal_time(d) - half); };
  const auto due = [&](int32_t d) { return sch.nominal_time(d) - half < w.horizon; };
  int32_t& d = fed_[m];
  const double until = earliest(d) + 4 * sch.jitter_hours;
  while (due(d) && earliest(d) <= until) schedule_periodic(w, m, d++);
  if (due(d)) w.queue.push(earliest(d), kPrFeed, des::Payload{kEvDepartureFeed, m, 0, 0});
}

void MovementProcess::schedule_poisson(World& w, int m) {
  // The process runs on its own clock: a departure a window delays does not
  // delay the ones after it (§8.12).
  const Schedule& sch = w.scenario.movements[m].schedule;
  poisson_clock_[m] += poisson_gaps_[m].exp1() / sch.per_hour;
  const double t = sch.has_window() ? sch.next_in_window(poisson_clock_[m]) : poisson_clock_[m];
  if (t < w.horizon) {
    w.queue.push(t, kPrDeparture, des::Payload{kEvDeparture, m, departures_[m]++, 0});
  }
}

int MovementProcess::new_trip(World& w) {
  if (!free_trips_.empty()) {
    const int id = free_trips_.back();
    free_trips_.pop_back();
    return id;
  }
  trips_.emplace_back();
  trips_.back().timer = w.queue.new_timer();
  return static_cast<int>(trips_.size() - 1);
}

void MovementProcess::on_departure(World& w, int m, int d) {
  const Movement& mv = w.scenario.movements[m];
  const int id = new_trip(w);
  Trip& trip = trips_[id];
  const uint64_t name = w.tables.movements[m].name;
  // The departure's own block (§4): trained lead crew, then the first word of
  // its zones' `ambush` budgets and the first two of its crash candidates (a
  // round trip's two legs), whose further draws are their own streams'. One
  // Philox call makes them, and most departures need nothing more.
  Stream opening(w.key, Proc::kDeparture, name, static_cast<uint64_t>(d));
  trip.trained = opening.uniform() < mv.c_ied.trained_fraction;
  const uint64_t ambush_word = opening();
  const uint64_t crash_first = opening();
  const uint64_t crash_second = opening();
  if (mv.schedule.kind == Schedule::Kind::kPoisson) {
    schedule_poisson(w, m);
  } else if (mv.schedule.jitter_hours <= mv.schedule.shortest_gap()) {
    schedule_periodic(w, m, d + 1);
  }
  trip.movement = m;
  trip.route = mv.route;
  trip.departure = d;
  trip.dir = 1;
  trip.return_leg = false;
  trip.overwatch = w.uav.request_overwatch(w);
  trip.cleared = mv.route_clearance && request_clearance(w, w.queue.now(), m);
  // A departure without its team drives at its own speed, not the team's (§8.14).
  trip.speed = trip.cleared || !mv.route_clearance ? w.tables.movements[m].speed_kmh : mv.speed_kmh;
  if (w.tables.movements[m].pooled) take_from_pools(w, trip);
  // Each distance hazard's budgets come from its own stream, keyed by names.
  const RouteTable& r = w.tables.routes[trip.route];
  if (r.crash_bound > 0) {
    trip.crash_weight = crash_weight(w, trip);
    trip.crash_candidates.reset(w.key, StreamId{static_cast<uint32_t>(Proc::kCrashCandidates), name,
                                                static_cast<uint64_t>(d), 0});
    trip.crash_candidates.lead_with(crash_first, crash_second);
    trip.crashes = 0;
  }
  trip.hazards.resize(r.hazards.size());
  for (size_t h = 0; h < r.hazards.size(); ++h) {
    Hazard& hz = trip.hazards[h];
    const HazardKind& kind = w.tables.hazards[r.hazards[h].kind];
    hz.budgets.reset(w.key, StreamId{static_cast<uint32_t>(Proc::kHazardBudget), name, kind.name,
                                     static_cast<uint64_t>(d)});
    if (kind.leads) hz.budgets.lead_with(ambush_word);
    hz.left = hz.budgets.exp1();
    hz.ambushes = 0;
  }
  trip.on_route_index = static_cast<int>(trips_on_route_[trip.route].size());
  trips_on_route_[trip.route].push_back(id);
  ++w.tally->departures;
  if (w.trace) {
    w.log(w.queue.now(), "departure", "movement %s departure %d%s%s%s", mv.id.c_str(), d,
          trip.trained ? " trained lead crew" : "", trip.overwatch ? " with UAV overwatch" : "",
          !mv.route_clearance ? ""
          : trip.cleared      ? " with route clearance"
                              : " without route clearance (no team free)");
  }
  start_motion(w, trip, id, 0.0);
}

void MovementProcess::take_from_pools(World& w, Trip& trip) {
  const Movement& mv = w.scenario.movements[trip.movement];
  trip.column.clear();
  trip.taken.clear();
  trip.column_count = 0;
  const auto add = [&](int group, int type, int64_t count, int crew) {
    if (count <= 0) return;
    trip.column_count += count;
    trip.column.push_back(VehicleSlot{group, type, count, crew, trip.column_count});
  };
  // The trip's drive time, halts and delays left out: how long the vehicles are away.
  const double trip_hours =
      w.scenario.routes[trip.route].length_km * (mv.round_trip ? 2 : 1) / trip.speed;
  // In order of march: first come, first served within the departure too.
  for (const VehicleSlot& s : w.tables.movements[trip.movement].column(trip.cleared)) {
    const int pool = s.group >= 0 ? mv.vehicles[s.group].pool : -1;
    if (pool < 0) {
      add(s.group, s.type, s.count, s.crew);
      continue;
    }
    const int64_t kept = pool_kept(pool, trip.movement, mv.vehicles[s.group].priority, trip_hours);
    const int64_t k = std::min(s.count, std::max<int64_t>(0, pool_free_[pool] - kept));
    pool_free_[pool] -= k;
    if (k > 0) trip.taken.emplace_back(pool, k);
    add(s.group, s.type, k, s.crew);
    add(s.group, w.scenario.vehicle_pools[pool].fallback_type, s.count - k, s.crew);
    if (w.trace && k < s.count) {
      w.log(w.queue.now(), "pool_short",
            "movement %s departure %d: %lld of %lld from pool %s (%lld kept for priority)",
            mv.id.c_str(), trip.departure, static_cast<long long>(k),
            static_cast<long long>(s.count), w.scenario.vehicle_pools[pool].id.c_str(),
            static_cast<long long>(kept));
    }
  }
}

// The groups that draw on each pool, with their movement's mean departure rate.
std::vector<std::vector<MovementProcess::PoolClaim>> MovementProcess::pool_claims(const World& w) {
  const Scenario& sc = w.scenario;
  std::vector<std::vector<PoolClaim>> out(sc.vehicle_pools.size());
  for (size_t m = 0; m < sc.movements.size(); ++m) {
    if (!w.tables.movements[m].active) continue;
    for (const VehicleGroup& g : sc.movements[m].vehicles) {
      if (g.pool < 0) continue;
      out[g.pool].push_back(PoolClaim{static_cast<int>(m), g.priority, g.count,
                                      sc.movements[m].schedule.mean_per_hour()});
    }
  }
  return out;
}

// The vehicles of `pool` kept for the groups of other movements with a smaller
// priority number: each its count times the departures its movement is
// expected to make while this trip drives, rounded up (§3.5). With every
// priority equal, none: first come, first served.
int64_t MovementProcess::pool_kept(int pool, int movement, int64_t priority,
                                   double trip_hours) const {
  int64_t kept = 0;
  for (const PoolClaim& c : pool_claims_[pool]) {
    if (c.priority >= priority || c.movement == movement) continue;
    // count <= 10^5 and each term <= 10^12: the sum stays far inside int64.
    kept =
        std::min<int64_t>(kept + c.count * departures_in(c.per_hour, trip_hours), int64_t{1} << 60);
  }
  return kept;
}

// By movement, the departures per hour (the schedule's mean rate) of the
// active movements with route clearance and a smaller priority number.
std::vector<double> MovementProcess::clearance_reserves(const World& w) {
  const Scenario& sc = w.scenario;
  std::vector<double> out(sc.movements.size(), 0.0);
  if (!sc.clearance_teams) return out;
  for (size_t m = 0; m < sc.movements.size(); ++m) {
    if (!sc.movements[m].route_clearance) continue;
    for (size_t o = 0; o < sc.movements.size(); ++o) {
      const Movement& other = sc.movements[o];
      if (!w.tables.movements[o].active || !other.route_clearance ||
          other.route_clearance->priority >= sc.movements[m].route_clearance->priority)
        continue;
      out[m] += other.schedule.mean_per_hour();
    }
  }
  return out;
}

// The week's escorts, first come, first served, except that those expected
// to be asked for by movements of higher priority in the rest of the week
// (rounded up) are kept for them (§8.14).
bool MovementProcess::request_clearance(World& w, double t, size_t m) {
  const auto& pool = w.scenario.clearance_teams;
  if (pool) {
    const double week_hours = 7 * kHoursPerDay;
    const auto week = static_cast<int64_t>(std::floor(t / week_hours));
    if (week != clearance_week_) {
      clearance_week_ = week;
      escorts_left_ = pool->escorts_a_week();
    }
    const double left_hours = week_hours * static_cast<double>(week + 1) - t;
    const int64_t kept = departures_in(reserve_per_hour_[m], left_hours);
    if (escorts_left_ <= kept) {
      ++w.tally->clearance_refused;
      return false;
    }
    --escorts_left_;
  }
  ++w.tally->clearance_escorts;
  return true;
}

void MovementProcess::start_motion(World& w, Trip& trip, int id, double x) {
  const RouteTable& r = w.tables.routes[trip.route];
  trip.moving = true;
  ++trip.motion;
  trip.x0 = x;
  trip.t0 = w.queue.now();
  const double leg_end = trip.dir > 0 ? r.length_km : 0.0;
  const double leg_start = trip.dir > 0 ? 0.0 : r.length_km;
  // Fast path: a whole leg inside one intensity epoch has a precomputed hazard.
  const int epoch = w.tables.epoch(trip.t0);
  const bool one_epoch =
      x == leg_start && trip.t0 + r.length_km / trip.speed < w.tables.epoch_end(epoch);
  // An epoch lies in one year (tables.cpp), whose factor scales its hazard.
  const double year = w.year_effect.at(trip.t0);
  for (size_t h = 0; h < r.hazards.size(); ++h) {
    Hazard& hz = trip.hazards[h];
    const double leg_hazard = one_epoch ? r.hazards[h].hazard_by_epoch[epoch] * year : 0.0;
    if (one_epoch && leg_hazard < hz.left) {
      hz.ahead = false;
      hz.to_leg_end = leg_hazard;
      continue;
    }
    const Walk walk =
        walk_hazard(w, r, r.hazards[h], x, trip.t0, trip.dir, trip.speed, hz.left, leg_end);
    hz.ahead = walk.hit;
    hz.pos = walk.pos;
    hz.segment = walk.segment;
    hz.to_leg_end = walk.hit ? 0.0 : walk.hazard;
  }
  if (r.crash_bound > 0) schedule_crash_candidate(w, trip, id);
  aim(w, trip, id, x);
}

void MovementProcess::aim(World& w, Trip& trip, int id, double from) {
  const RouteTable& r = w.tables.routes[trip.route];
  const int dir = trip.dir;
  trip.next = Next::kLegEnd;
  trip.target_pos = dir > 0 ? r.length_km : 0.0;
  // The nearest ambush of all hazards; on a tie the first hazard's.
  for (size_t h = 0; h < trip.hazards.size(); ++h) {
    const Hazard& hz = trip.hazards[h];
    const double beyond_aim = dir * (hz.pos - trip.target_pos);
    if (hz.ahead && (trip.next == Next::kAmbush ? beyond_aim < 0 : beyond_aim <= 0)) {
      trip.next = Next::kAmbush;
      trip.target = static_cast<int>(h);
      trip.target_pos = hz.pos;
    }
  }
  const int slot = w.devices.next_ahead(trip.route, from, dir);
  if (slot >= 0) {
    const Device& d = w.devices.device(slot);
    if (dir * (d.pos_km - trip.target_pos) <= 0) {
      trip.next = Next::kDevice;
      trip.target = slot;
      trip.target_generation = d.generation;
      trip.target_pos = d.pos_km;
    }
  }
  const double t =
      std::max(w.queue.now(), trip.t0 + std::abs(trip.target_pos - trip.x0) / trip.speed);
  const bool last_leg = trip.return_leg || !w.scenario.movements[trip.movement].round_trip;
  if (trip.next == Next::kLegEnd && last_leg) {
    finish_at(trip, id, t);
    return;
  }
  w.queue.arm(trip.timer, t, kPrTrip, des::Payload{kEvTrip, id, 0, 0});
}

void MovementProcess::finish_at(Trip& trip, int id, double t) {
  trip.finishing = true;
  trip.arrival = t;
  // Kept in order of arrival, and on a tie in the order of becoming
  // finishing: behind every trip that arrives no later.
  auto at = finishing_.end();
  while (at != finishing_.begin() && trips_[*(at - 1)].arrival > t) --at;
  finishing_.insert(at, id);
  update_next_arrival();
}

void MovementProcess::update_next_arrival() {
  next_arrival_ = finishing_.empty() ? kInf : trips_[finishing_.front()].arrival;
}

void MovementProcess::resume_aiming(Trip& trip, int id) {
  trip.finishing = false;
  finishing_.erase(std::find(finishing_.begin(), finishing_.end(), id));
  update_next_arrival();
}

void MovementProcess::retire(World& w, double t, int priority) {
  // An arrival is a kPrTrip event: at the same time it comes before the
  // events of a larger priority. At or after the horizon, finish() counts it.
  const auto before = [&](double a) {
    return a < w.horizon && (a < t || (a == t && kPrTrip < priority));
  };
  while (before(next_arrival_)) {
    const int id = finishing_.front();  // the earliest; on a tie, the first to finish
    finishing_.erase(finishing_.begin());
    update_next_arrival();
    Trip& trip = trips_[id];
    trip.finishing = false;
    arrive(w, trip, id, trip.arrival);
  }
}

void MovementProcess::on_device_placed(World& w, int slot) {
  const Device& d = w.devices.device(slot);
  const double now = w.queue.now();
  for (int id : trips_on_route_[d.route]) {
    Trip& trip = trips_[id];
    if (!trip.moving) continue;  // met after the halt (§8.10)
    const double x_now = trip.x0 + trip.dir * trip.speed * (now - trip.t0);
    if (trip.dir * (d.pos_km - x_now) <= 0) continue;           // behind the lead element
    if (trip.dir * (d.pos_km - trip.target_pos) > 0) continue;  // beyond the current aim
    if (trip.finishing) resume_aiming(trip, id);
    trip.next = Next::kDevice;
    trip.target = slot;
    trip.target_generation = d.generation;
    trip.target_pos = d.pos_km;
    const double t = std::max(now, trip.t0 + std::abs(d.pos_km - trip.x0) / trip.speed);
    w.queue.arm(trip.timer, t, kPrTrip, des::Payload{kEvTrip, id, 0, 0});
  }
}

void MovementProcess::spend_hazards(World& w, Trip& trip, double x, int skip) {
  const RouteTable& r = w.tables.routes[trip.route];
  for (size_t h = 0; h < trip.hazards.size(); ++h) {
    if (static_cast<int>(h) == skip) continue;
    const Walk walk =
        walk_hazard(w, r, r.hazards[h], trip.x0, trip.t0, trip.dir, trip.speed, kInf, x);
    trip.hazards[h].left = std::max(0.0, trip.hazards[h].left - walk.hazard);
  }
}

void MovementProcess::stop_at(World& w, Trip& trip, double x) {
  w.tally->movement_km += std::abs(x - trip.x0);
  trip.moving = false;
  trip.x0 = x;
  trip.t0 = w.queue.now();
}

void MovementProcess::hold(World& w, Trip& trip, int id, double hours) {
  if (!(hours > 0)) {
    start_motion(w, trip, id, trip.x0);
    return;
  }
  trip.moving = false;
  trip.next = Next::kResume;
  trip.target_pos = trip.x0;
  w.queue.arm(trip.timer, w.queue.now() + hours, kPrTrip, des::Payload{kEvTrip, id, 0, 0});
}

void MovementProcess::on_trip_event(World& w, int id) {
  Trip& trip = trips_[id];
  switch (trip.next) {
    case Next::kDevice: {
      if (!w.devices.live(trip.target, trip.target_generation)) {
        aim(w, trip, id, trip.target_pos);  // it vanished first: look further on
        return;
      }
      spend_hazards(w, trip, trip.target_pos, -1);
      stop_at(w, trip, trip.target_pos);
      encounter(w, trip, id, trip.target);
      return;
    }
    case Next::kAmbush:
      on_ambush(w, trip, id, trip.target);
      return;
    case Next::kLegEnd:
      arrive(w, trip, id, w.queue.now());
      return;
    case Next::kResume:
      start_motion(w, trip, id, trip.x0);
      return;
  }
}

void MovementProcess::arrive(World& w, Trip& trip, int id, double t) {
  w.tally->movement_km += std::abs(trip.target_pos - trip.x0);
  trip.moving = false;
  trip.x0 = trip.target_pos;
  trip.t0 = t;
  for (Hazard& hz : trip.hazards) hz.left = std::max(0.0, hz.left - hz.to_leg_end);
  const Movement& mv = w.scenario.movements[trip.movement];
  if (!trip.return_leg && mv.round_trip) {
    trip.return_leg = true;  // the return leg starts on arrival (§8.13)
    trip.dir = -1;
    if (w.trace) {
      w.log(t, "arrival", "movement %s departure %d, returning", mv.id.c_str(), trip.departure);
    }
    start_motion(w, trip, id, trip.x0);
    return;
  }
  if (w.trace) {
    w.log(t, "arrival", "movement %s departure %d, trip over", mv.id.c_str(), trip.departure);
  }
  end_trip(w, id);
}

void MovementProcess::on_ambush(World& w, Trip& trip, int id, int h) {
  Hazard& hz = trip.hazards[h];
  spend_hazards(w, trip, hz.pos, h);  // the others spend what the km to here cost
  stop_at(w, trip, hz.pos);
  hz.left = hz.budgets.exp1();  // memoryless: this hazard starts afresh (§8.11)
  const RouteTable& r = w.tables.routes[trip.route];
  const RouteHazard& rh = r.hazards[h];
  const int zone = r.segments[hz.segment].zone;
  const AmbushThreat& threat = *w.tables.zones[zone].hazard[rh.kind];
  // A time-of-day profile thins the candidates drawn at its peak (§2.6), and an
  // adaptive adversary's factor at its bound (§2.9), with a uniform of the
  // hazard's own budget stream: without either nothing is drawn.
  const double now = w.queue.now();
  if ((!threat.time_of_day.windows.empty() || w.adversary()) &&
      hz.budgets.uniform() * threat.time_of_day.peak * w.attack_bound(zone, Cause::kAmbush) >=
          threat.time_of_day.at(now) * w.attack_rate(zone, Cause::kAmbush, now)) {
    start_motion(w, trip, id, trip.x0);
    return;
  }
  const StreamId key{static_cast<uint32_t>(Proc::kAmbushAttack),
                     w.tables.movements[trip.movement].name, w.tables.hazards[rh.kind].name,
                     departure_word(trip.departure, hz.ambushes++)};
  if (ambush(w, trip, threat, zone, false, key)) {
    hold(w, trip, id, w.scenario.movements[trip.movement].halt_hours);
  } else {
    start_motion(w, trip, id, trip.x0);  // pre-empted: no halt (§8.11)
  }
}

double MovementProcess::crash_weight(const World& w, const Trip& trip) const {
  double sum = 0;
  for (const VehicleSlot& v : column(w.tables.movements[trip.movement], trip))
    sum += static_cast<double>(v.count) * w.scenario.vehicle_types[v.type].accident_factor;
  return sum;
}

// Crashes are a Poisson process in the trip's time at rate speed × rate per
// vehicle-km of the zone it is in (× night_factor at night) × crash_weight,
// drawn by thinning candidates at the route's bound (§2.8). A candidate is
// drawn afresh at each motion: the process is memoryless, and one past the end
// of the leg is never used.
void MovementProcess::schedule_crash_candidate(World& w, Trip& trip, int id) {
  const RouteTable& r = w.tables.routes[trip.route];
  const double per_hour = r.crash_bound * trip.crash_weight * trip.speed;
  if (!(per_hour > 0)) return;
  const double leg_end = trip.dir > 0 ? r.length_km : 0.0;
  const double t_end = trip.t0 + std::abs(leg_end - trip.x0) / trip.speed;
  const double t = w.queue.now() + trip.crash_candidates.exp1() / per_hour;
  if (t < t_end && t < w.horizon)
    w.queue.push(t, kPrCrash, des::Payload{kEvCrashCandidate, id, trip.motion, 0});
}

void MovementProcess::on_crash_candidate(World& w, int id, int32_t motion) {
  Trip& trip = trips_[id];
  if (!trip.moving || trip.motion != motion) return;  // stopped since: a new motion draws anew
  const RouteTable& r = w.tables.routes[trip.route];
  const double now = w.queue.now();
  const double x = trip.x0 + trip.dir * trip.speed * (now - trip.t0);
  const auto& ra = w.scenario.zones[r.segments[segment_at(r, x)].zone].road_accidents;
  const double rate = ra ? ra->per_vehicle_km * (daylight(now) ? 1.0 : ra->night_factor) : 0.0;
  if (trip.crash_candidates.uniform() * r.crash_bound < rate) crash(w, trip, *ra);
  schedule_crash_candidate(w, trip, id);
}

// One vehicle of the column, drawn by count × accident_factor, crashes; each
// of its occupants is killed, injured or unhurt. The movement goes on (§2.8).
void MovementProcess::crash(World& w, Trip& trip, const RoadAccidents& ra) {
  const MovementTable& mt = w.tables.movements[trip.movement];
  CasualtyEvent e;
  e.cause = Cause::kRoadAccident;
  e.movement = trip.movement;
  e.key = StreamId{static_cast<uint32_t>(Proc::kCrash), mt.name,
                   departure_word(trip.departure, trip.crashes++), 0};
  Stream s(w.key, e.key);
  const std::vector<VehicleSlot>& col = column(mt, trip);
  double u = s.uniform() * trip.crash_weight;
  const VehicleSlot* hit = nullptr;
  for (const VehicleSlot& v : col) {
    const double weight =
        static_cast<double>(v.count) * w.scenario.vehicle_types[v.type].accident_factor;
    if (!(weight > 0)) continue;
    hit = &v;  // the last one with weight, should rounding leave u at the end
    if (u < weight) break;
    u -= weight;
  }
  ++w.tally->road_accidents;
  if (hit) draw_outcomes(s, hit->crew, ra.p_kill, ra.p_kill + ra.p_wound, e);
  if (w.trace) {
    w.log(w.queue.now(), "crash", "movement %s departure %d vehicle %s killed %lld injured %lld",
          w.scenario.movements[trip.movement].id.c_str(), trip.departure,
          hit ? w.scenario.vehicle_types[hit->type].id.c_str() : "none",
          static_cast<long long>(e.killed), static_cast<long long>(e.wounded));
  }
  w.medevac.record_casualties(w, e);
}

void MovementProcess::end_trip(World& w, int id) {
  Trip& trip = trips_[id];
  if (trip.overwatch) w.uav.release_overwatch(w);
  for (const auto& [pool, k] : trip.taken) pool_free_[pool] += k;
  trip.taken.clear();
  trip.overwatch = false;
  trip.moving = false;
  w.queue.cancel(trip.timer);
  // Swap-remove: the list keeps the order a search-and-swap would leave, which
  // matters (on_device_placed arms timers in list order).
  std::vector<int>& list = trips_on_route_[trip.route];
  const int i = trip.on_route_index;
  list[i] = list.back();
  trips_[list[i]].on_route_index = i;
  list.pop_back();
  trip.on_route_index = -1;
  free_trips_.push_back(id);
}

namespace {

// The slot of the column that holds vehicle v (0 = the lead).
int slot_of(const std::vector<VehicleSlot>& column, int64_t v) {
  int slot = 0;
  while (column[slot].cum_end <= v) ++slot;
  return slot;
}

// Blast beyond the struck vehicle (§2.1 step 3): the occupants of the vehicle
// just ahead and just behind vehicle v are each wounded with their own type's
// p_wound_adjacent (times the adversary's lethality factor, §2.9). The draws
// follow the struck vehicle's, and a type with 0 draws nothing, so a scenario
// without the key draws as before.
void wound_adjacent(const World& w, const std::vector<VehicleSlot>& column, int64_t vehicles,
                    int64_t v, double lethality, Stream& s, CasualtyEvent& e) {
  for (const int64_t n : {v - 1, v + 1}) {
    if (n < 0 || n >= vehicles) continue;
    const VehicleSlot& vs = column[slot_of(column, n)];
    const double p =
        std::min(1.0, w.scenario.vehicle_types[vs.type].blast.p_wound_adjacent * lethality);
    if (p > 0) draw_outcomes(s, vs.crew, 0, p, e);
  }
}

}  // namespace

void MovementProcess::encounter(World& w, Trip& trip, int id, int slot) {
  const Device dev = w.devices.device(slot);
  w.devices.remove(slot);
  const Movement& mv = w.scenario.movements[trip.movement];
  const MovementTable& mt = w.tables.movements[trip.movement];
  const ZoneTable& zt = w.tables.zones[dev.zone];
  DeviceCounts& counts = dev.mine ? w.tally->mine : w.tally->ied;
  // Keyed by the device's zone and number and the movement's name and departure.
  const StreamId key{static_cast<uint32_t>(Proc::kEncounter), zt.name, mt.name,
                     device_trip_word(dev.mine, dev.index, trip.departure)};
  Stream s(w.key, key);
  // Every decision's uniform is drawn up front, always, so an arm that adds a
  // detector or a jammer leaves the strike draws of this encounter unchanged.
  const double u_clearance = s.uniform();
  const double u_crew = s.uniform();
  const double u_uav = s.uniform();
  const double u_jammer = s.uniform();
  const double u_lead = s.uniform();
  const double u_vehicle = s.uniform();
  const double u_complex = s.uniform();
  const char* what = dev.mine ? "mine" : "ied";
  const double now = w.queue.now();

  // 1. Detection, crediting the first detector in the order of §2.1.
  int64_t* found = nullptr;
  const char* found_by = nullptr;
  const auto& uav = w.scenario.uav;
  if (trip.cleared && u_clearance < by_time_of_day(mv.route_clearance->p_find,
                                                   mv.route_clearance->night_factor, now)) {
    found = &counts.found_route_clearance;
    found_by = "route_clearance";
  } else if (u_crew < crew_detection(w.scenario, mv, trip.trained, now)) {
    found = &counts.found_crew;
    found_by = "crew";
  } else if (trip.overwatch && u_uav < by_time_of_day(uav->overwatch->p_detect_ied,
                                                      uav->overwatch->night_factor, now)) {
    found = &counts.found_uav;
    found_by = "uav";
  }
  if (found) {
    ++*found;
    if (w.trace) {
      w.log(now, "device_found", "%s found by %s, movement %s km %.2f", what, found_by,
            mv.id.c_str(), dev.pos_km);
    }
    if (mv.eod_disposal) dispose(w, trip, *mv.eod_disposal, dev, key, s);
    hold(w, trip, id, mv.eod_delay_hours);
    return;
  }

  // 2. Electronic defeat of radio-triggered devices that were not detected.
  if (dev.trigger == Trigger::kRadio && mv.jammer && u_jammer < mv.jammer->p_defeat) {
    ++counts.jammed;
    if (w.trace) {
      w.log(now, "device_jammed", "%s jammed, movement %s km %.2f", what, mv.id.c_str(),
            dev.pos_km);
    }
    start_motion(w, trip, id, trip.x0);
    return;
  }

  // 3. Strike.
  ++counts.detonated;
  CasualtyEvent e;
  e.cause = dev.mine ? Cause::kMine : Cause::kIed;
  e.movement = trip.movement;
  e.key = key;
  // An adaptive adversary's larger charges (§2.9): 1 for mines and against a static one.
  double lethality = 1.0;
  if (!dev.mine) {
    e.zone = dev.zone;
    e.option = ied_option(dev.trigger);
    lethality = w.lethality(e.zone, e.option, now);
    if (OptionCounts* oc = w.option_counts(e.zone, e.option)) ++oc->strikes;
  }
  // An escorting clearance team's vehicles lead the column (§2.1).
  const std::vector<VehicleSlot>& column = this->column(mt, trip);
  const int64_t vehicles = column_count(mt, trip);
  int struck = -1;
  if (vehicles > 0) {
    int64_t v = 0;  // the struck vehicle's place in the column
    if (!(dev.trigger == Trigger::kPressure && u_lead < zt.lead_share)) {
      v = std::min<int64_t>(vehicles - 1,
                            static_cast<int64_t>(u_vehicle * static_cast<double>(vehicles)));
    }
    struck = slot_of(column, v);
    const VehicleSlot& vs = column[struck];
    const Blast& blast = w.scenario.vehicle_types[vs.type].blast;
    draw_outcomes(s, vs.crew, std::min(1.0, blast.p_kill * lethality),
                  std::min(1.0, (blast.p_kill + blast.p_wound) * lethality), e);
    wound_adjacent(w, column, vehicles, v, lethality, s, e);
  }
  if (w.trace) {
    w.log(now, "strike", "%s strike on movement %s km %.2f, vehicle %s, killed %lld wounded %lld",
          what, mv.id.c_str(), dev.pos_km,
          struck >= 0 ? w.scenario.vehicle_types[column[struck].type].id.c_str() : "none",
          static_cast<long long>(e.killed), static_cast<long long>(e.wounded));
  }
  w.medevac.record_casualties(w, e);

  // 4. Complex attack on the halted movement (§8.8).
  if (u_complex < zt.complex_share && zt.complex_ambush) {
    StreamId ckey = key;
    ckey.proc = static_cast<uint32_t>(Proc::kComplexAttack);
    ambush(w, trip, *zt.complex_ambush, dev.zone, true, ckey);
  }

  // 5. Halt once.
  hold(w, trip, id, mv.halt_hours);
}

bool MovementProcess::ambush(World& w, Trip& trip, const AmbushThreat& a, int zone, bool halted,
                             const StreamId& key) {
  const Movement& mv = w.scenario.movements[trip.movement];
  const MovementTable& mt = w.tables.movements[trip.movement];
  ++w.tally->ambush_attacks;
  Stream s(w.key, key);
  const double u_warn = s.uniform();
  const double now = w.queue.now();
  const UavOverwatch* ow = trip.overwatch ? &*w.scenario.uav->overwatch : nullptr;
  if (ow && u_warn < by_time_of_day(ow->p_warn, ow->night_factor, now)) {
    ++w.tally->ambush_preempted;
    w.count_attack(zone, static_cast<int>(AttackOption::kAmbush), false);
    if (w.trace) {
      w.log(now, "ambush_preempted", "%sambush on movement %s km %.2f spotted by overwatch",
            halted ? "complex " : "", mv.id.c_str(), trip.x0);
    }
    return false;
  }
  CasualtyEvent e;
  e.cause = Cause::kAmbush;
  e.movement = trip.movement;
  e.key = key;
  e.zone = zone;
  e.option = static_cast<int>(AttackOption::kAmbush);
  w.count_attack(zone, e.option, true);
  const double lethality = w.lethality(zone, e.option, now);  // §2.9; 1 when static
  const double factor = halted ? a.halted_factor : 1.0;
  // Convoy geometry (§2.3): the kill zone covers kill_zone_m of the column of
  // n vehicles spaced spacing_m apart, at a uniformly random place along it,
  // the column's ends joined, so that each vehicle is inside with probability
  // kill_zone_m / (n spacing_m) wherever it rides.
  const std::vector<VehicleSlot>& column = this->column(mt, trip);
  const double column_m = static_cast<double>(column_count(mt, trip)) * mv.spacing_m;
  const bool geometry = a.kill_zone_m > 0 && mv.spacing_m > 0 && a.kill_zone_m < column_m;
  const double zone_start = geometry ? s.uniform() * column_m : 0;
  int64_t vehicle = 0;
  for (const VehicleSlot& vs : column) {
    const double p_hit = std::min(
        1.0, a.p_hit * w.scenario.vehicle_types[vs.type].ambush_exposure * factor * lethality);
    const double p_killed = p_hit * a.p_kill_given_hit;
    for (int64_t v = 0; v < vs.count; ++v, ++vehicle) {
      if (geometry) {
        double into_zone = (static_cast<double>(vehicle) + 0.5) * mv.spacing_m - zone_start;
        if (into_zone < 0) into_zone += column_m;
        if (into_zone >= a.kill_zone_m) continue;
      }
      // One uniform per occupant: below p_hit is a hit, and below p_hit × p_kill
      // a hit that kills (the uniform is still uniform given the hit).
      draw_outcomes(s, vs.crew, p_killed, p_hit, e);
    }
  }
  if (w.trace) {
    w.log(now, "ambush", "%sambush on movement %s km %.2f, killed %lld wounded %lld",
          halted ? "complex " : "", mv.id.c_str(), trip.x0, static_cast<long long>(e.killed),
          static_cast<long long>(e.wounded));
  }
  w.medevac.record_casualties(w, e);
  return true;
}

void MovementProcess::dispose(World& w, const Trip& trip, const EodDisposal& eod, const Device& dev,
                              const StreamId& key, Stream& s) {
  // The draws follow the encounter's own (a found device strikes no vehicle),
  // so an arm that adds a disposal risk changes no other draw.
  if (s.uniform() >= eod.p_incident) return;
  CasualtyEvent e;
  e.cause = dev.mine ? Cause::kMine : Cause::kIed;
  e.movement = trip.movement;
  e.key = key;
  if (!dev.mine) {  // the adversary's payoff (§2.9), not a strike
    e.zone = dev.zone;
    e.option = ied_option(dev.trigger);
  }
  draw_outcomes(s, eod.team, eod.p_kill, eod.p_kill + eod.p_wound, e);
  if (w.trace) {
    w.log(w.queue.now(), "disposal_incident",
          "%s went off in disposal, movement %s km %.2f, killed %lld wounded %lld",
          dev.mine ? "mine" : "ied", w.scenario.movements[trip.movement].id.c_str(), dev.pos_km,
          static_cast<long long>(e.killed), static_cast<long long>(e.wounded));
  }
  w.medevac.record_casualties(w, e);
}

void MovementProcess::finish(World& w) {
  retire(w, w.horizon, 0);
  for (const auto& list : trips_on_route_) {
    for (int id : list) {
      const Trip& trip = trips_[id];
      if (trip.moving && trip.t0 < w.horizon) {
        w.tally->movement_km += trip.speed * (w.horizon - trip.t0);
      }
    }
  }
}

}  // namespace pk::sim
