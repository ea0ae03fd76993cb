#include "sim/simulator.hpp"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "sim/illness.hpp"
#include "sim/tables.hpp"
#include "sim/world.hpp"

namespace pk {

void sim::World::log(double t, const char* kind, const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  trace->record(TraceEvent{t, kind, buf});
}

namespace {

// The adversary's behaviour piece by piece (docs/model.md §2.9), for a trace:
// each zone's factors on its threats' attack rates, the mix of IEDs emplaced
// and the factors on per-strike lethality.
void log_adversary_path(sim::World& w) {
  const AdversaryPath* path = w.adversary();
  if (!path) return;
  for (size_t z = 0; z < path->zones.size(); ++z) {
    for (size_t k = 0; k < path->zones[z].size(); ++k) {
      const double t = static_cast<double>(k) * path->step_hours;
      if (k > 0 && t >= w.horizon) break;
      const AdversaryPath::Piece& p = path->zones[z][k];
      const auto& r = p.rate;
      const auto& l = p.lethality;
      w.log(t, "adversary",
            "zone %s attacks x ied %.3f ambush %.3f idf %.3f vbied %.3f; ied mix pressure %.3f "
            "command %.3f radio %.3f; lethality x ied %.3f/%.3f/%.3f ambush %.3f idf %.3f "
            "vbied %.3f",
            w.scenario.zones[z].id.c_str(), r[0], r[2], r[3], r[4], p.trigger_mix[0],
            p.trigger_mix[1], p.trigger_mix[2], l[0], l[1], l[2], l[3], l[4], l[5]);
    }
  }
}

}  // namespace

struct Simulator::Impl {
  explicit Impl(const Scenario& s) : scenario(s), tables(sim::Tables::build(s)), world(s, tables) {}

  const Scenario& scenario;
  const sim::Tables tables;
  sim::World world;
};

Simulator::Simulator(const Scenario& scenario) : impl_(std::make_unique<Impl>(scenario)) {}
Simulator::~Simulator() = default;

bool Simulator::run(uint64_t seed, uint64_t replication, Tally& out, TraceSink* trace) {
  using namespace sim;
  World& w = impl_->world;
  const Scenario& sc = impl_->scenario;
  out.reset(sc.movements.size(), sc.sites.size(), impl_->tables.option_count, impl_->tables.months);
  w.tally = &out;
  w.trace = trace;
  w.key = ReplicationKey::make(seed, replication);
  w.horizon = sc.horizon_hours;
  w.queue.clear();
  w.year_effect.draw(w);
  if (trace) log_adversary_path(w);

  w.medevac.start(w);
  w.care.start(w);
  w.uav.start(w);
  w.devices.start(w);
  w.movements.start(w);
  w.site_attacks.start(w);
  draw_illness(w);

  // pop → set clock → dispatch. Past the horizon only MEDEVAC and care events
  // are played: requests made before it are settled (§8.3).
  des::Event ev;
  int64_t events = 0;
  bool past_horizon = false;
  // A stop request is read once per kStopCheck events: one masked test per
  // event otherwise, so the loop costs the same, and the history does not
  // depend on it (the flag only ends the loop).
  constexpr uint32_t kStopCheck = 4096;
  uint32_t until_check = kStopCheck;
  while (w.queue.pop(ev)) {
    if (--until_check == 0) {
      until_check = kStopCheck;
      if (stop_ && stop_->load(std::memory_order_relaxed)) {
        w.tally = nullptr;
        w.trace = nullptr;
        return false;
      }
      // So that a trace need not hold the whole history to put it in time
      // order. From here on a record is made at the time of its event (at or
      // after this one), except an arrival, logged at its own time when it
      // is retired, and the UAV fleet's day, logged at 00:00 when the fleet
      // is first consulted that day.
      if (trace)
        trace->settled(std::min({ev.time, w.movements.next_arrival(), w.uav.next_log(ev.time)}));
    }
    const des::Payload& p = ev.payload;
    // Trips that arrived before this event end first (movements.hpp).
    if (ev.time >= w.movements.next_arrival()) w.movements.retire(w, ev.time, ev.priority);
    if (ev.time >= w.horizon && !past_horizon) {
      past_horizon = true;
      w.movements.finish(w);
    }
    if (past_horizon && p.kind != kEvMedevacFree && p.kind != kEvMedevacDaylight &&
        p.kind != kEvMedevacTimeout && p.kind != kEvCareArrival && p.kind != kEvTableFree) {
      continue;
    }
    ++events;
    switch (p.kind) {
      case kEvIedCandidate:
        w.devices.on_candidate(w, p.a);
        break;
      case kEvMineCandidate:
        w.devices.on_mine_candidate(w, p.a);
        break;
      case kEvDeviceExpiry:
        w.devices.on_expiry(w, p.a, static_cast<uint32_t>(p.b));
        break;
      case kEvDeparture:
        w.movements.on_departure(w, p.a, p.b);
        break;
      case kEvTrip:
        w.movements.on_trip_event(w, p.a);
        break;
      case kEvCrashCandidate:
        w.movements.on_crash_candidate(w, p.a, p.b);
        break;
      case kEvSiteCandidate:
        w.site_attacks.on_candidate(w, static_cast<Cause>(p.b), p.a);
        break;
      case kEvMedevacFree:
        w.medevac.on_helicopter_free(w);
        break;
      case kEvMedevacDaylight:
        w.medevac.on_daylight(w);
        break;
      case kEvMedevacTimeout:
        w.medevac.on_timeout(w, p.a);
        break;
      case kEvCareArrival:
        w.care.on_arrival(w, p.a);
        break;
      case kEvTableFree:
        w.care.on_table_free(w);
        break;
      case kEvDepartureFeed:
        w.movements.feed(w, p.a);
        break;
      case kEvIllnessCase:
        w.medevac.on_illness_case(w, p.a, p.b);
        break;
      default:
        throw std::logic_error("pkrisk: unknown event kind " + std::to_string(p.kind) +
                               " at t = " + std::to_string(ev.time) + " h");
    }
  }
  if (!past_horizon) w.movements.finish(w);
  out.events = events;
  out.sum_by_contingent(sc);
  w.tally = nullptr;
  w.trace = nullptr;
  return true;
}

}  // namespace pk
