// Convoys and patrols on the roads — docs/model.md §2.1 (encounters), §2.3
// (ambushes), §8.10-14.
//
// Each departure becomes a trip. A trip is either moving (from x0 at time t0,
// at constant speed, in direction +1 outbound or −1 on the return leg) or
// holding position (halt, EOD delay). While it moves it keeps exactly one
// kernel timer armed for its next point of interest, the nearest of
//   * the next live device ahead on its route (exact time: t0 + distance / speed),
//   * the point where its next ambush falls,
//   * the end of the leg.
// An IED emplaced ahead of a moving trip, nearer than that point, re-aims the
// timer (§8.10); a device that vanished before the trip got there (expired,
// met by another movement) is noticed when the timer fires, and the trip
// re-aims from that point without stopping.
//
// Ambushes are distance hazards: each kind (the zone's `ambush` block and every
// entry of `ambushes`, by id) is a Poisson process in distance whose rate per
// km depends on the zone and on the zone's intensity at the time the movement
// passes. For each hazard the trip draws an Exp(1) budget from that hazard's
// own stream and walks its path, integrating rate × km over route segments and
// intensity pieces, until the budget is spent: that point is the hazard's next
// ambush, and the nearest of them is the trip's. This is exact for
// independent processes; only moving km consume budget (§8.11).
//
// A trip's last arrival needs no event. When the timer would be aimed at the
// end of the trip's last leg, the trip is marked as finishing at that time
// instead: nothing but a newly placed device ahead (which re-aims the timer,
// as for any moving trip) can happen to it before then. The simulator calls
// retire() before each event, and the trips that finished before that event
// arrive in order of their arrival time, as their own events would have: the
// same km in the same order, the same aircraft back in the pool before the
// next request. Every patrol and convoy saves one of its two or three events.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/devices.hpp"
#include "sim/event_queue.hpp"
#include "sim/random.hpp"
#include "sim/tables.hpp"

namespace pk::sim {

struct World;
struct RouteTable;

class MovementProcess {
 public:
  // Schedules every movement's first departure(s).
  void start(World& w);
  void on_departure(World& w, int movement, int departure);
  // Pushes the departures of an overtaking periodic schedule that can leave
  // within four jitters of the earliest not yet pushed, then a feed event at the
  // earliest time the next one could leave. No departure can leave before its
  // nominal time less half the jitter, so each is in the queue before its
  // time, and the queue holds a few jitters' worth instead of the horizon's.
  void feed(World& w, int movement);
  void on_trip_event(World& w, int trip);
  // A candidate road accident of trip `trip` during its motion number
  // `motion` (§2.8); stale when the trip has stopped since.
  void on_crash_candidate(World& w, int trip, int32_t motion);
  // An IED was just put on a road: movements heading towards it re-aim.
  void on_device_placed(World& w, int slot);
  // At the horizon: counts the km of trips cut while moving (§8.3).
  void finish(World& w);

  // The earliest arrival of a finishing trip (+inf when none): the simulator
  // calls retire() before any event at or after it.
  double next_arrival() const { return next_arrival_; }
  // Ends the finishing trips whose arrival comes before an event at time t
  // with priority `priority` (an arrival is a kPrTrip event), before the horizon.
  void retire(World& w, double t, int priority);

 private:
  enum class Next : uint8_t { kDevice, kAmbush, kLegEnd, kResume };

  // One distance hazard of the trip's route (RouteTable::hazards, same order).
  struct Hazard {
    Stream budgets;         // (movement, hazard, departure): one Exp(1) per ambush
    double left = 0;        // Exp(1) budget left at the trip's x0
    bool ahead = false;     // the budget runs out before the leg end
    double pos = 0;         // km, where it does
    int segment = 0;        // the route segment where it does
    double to_leg_end = 0;  // hazard from x0 to the leg end when !ahead
    uint32_t ambushes = 0;  // ambushes of this hazard on this trip (stream numbering)
  };

  struct Trip {
    int movement = 0;
    int route = 0;
    int32_t departure = 0;
    int dir = 1;  // +1 outbound (from → to), −1 on the return leg
    bool return_leg = false;
    bool moving = false;          // false: holding position until the timer fires
    bool overwatch = false;       // an aircraft flies over this trip
    bool trained = false;         // the lead crew of this departure (§3.4)
    bool cleared = false;         // a route-clearance team goes ahead of this departure
    double speed = 0;             // km/h
    double x0 = 0;                // km, route coordinate where the current motion (or halt) began
    double t0 = 0;                // hours, when it began
    std::vector<Hazard> hazards;  // the route's distance hazards
    Next next = Next::kLegEnd;    // what the armed timer is for
    int target = -1;              // device slot when next == kDevice; hazard when kAmbush
    uint32_t target_generation = 0;
    double target_pos = 0;  // km, where the timer's event happens
    des::TimerId timer = des::kNoTimer;
    int on_route_index = -1;  // its place in trips_on_route_[route], for removal without a search
    bool finishing = false;   // on its last leg with nothing ahead: arrives at target_pos
    double arrival = 0;       // hours, when finishing
    // A movement with pooled groups (MovementTable::pooled, §3.5): this
    // departure's own column, and the vehicles it took from each pool (given
    // back when the trip ends).
    std::vector<VehicleSlot> column;
    int64_t column_count = 0;
    std::vector<std::pair<int, int64_t>> taken;
    // Road accidents (§2.8): the vehicles weighted by accident_factor, the
    // departure's stream of crash candidates, the crashes so far, and the
    // number of the current motion (never reset, so that a candidate of an
    // earlier motion, or of an earlier trip in this slot, is known stale).
    double crash_weight = 0;
    Stream crash_candidates;
    uint32_t crashes = 0;
    int32_t motion = 0;
  };

  // The vehicles of a trip in order of march (§2.1, §3.5).
  const std::vector<VehicleSlot>& column(const MovementTable& mt, const Trip& trip) const {
    return mt.pooled ? trip.column : mt.column(trip.cleared);
  }
  int64_t column_count(const MovementTable& mt, const Trip& trip) const {
    return mt.pooled ? trip.column_count : mt.column_count(trip.cleared);
  }
  // Builds a departure's column from the pools' free vehicles.
  void take_from_pools(World& w, Trip& trip);
  // A group that draws on a pool, for priorities (§3.5).
  struct PoolClaim {
    int movement = 0;
    int64_t priority = 1;
    int64_t count = 0;
    double per_hour = 0;  // its movement's mean departures per hour
  };
  static std::vector<std::vector<PoolClaim>> pool_claims(const World& w);
  int64_t pool_kept(int pool, int movement, int64_t priority, double trip_hours) const;

  // A clearance team for a departure of a movement with route_clearance at
  // time t: always without clearance_teams, else while the week's escorts last.
  bool request_clearance(World& w, double t, size_t m);
  static std::vector<double> clearance_reserves(const World& w);
  void schedule_periodic(World& w, int movement, int departure);
  void schedule_poisson(World& w, int movement);
  int new_trip(World& w);
  void end_trip(World& w, int id);
  // The trip reached the end of its leg (target_pos) at time t: it turns back
  // or its trip is over.
  void arrive(World& w, Trip& trip, int id, double t);
  // The timer of a trip on its last leg with nothing ahead: no event, the trip
  // joins finishing_ until retire() ends it.
  void finish_at(Trip& trip, int id, double t);
  // A finishing trip was re-aimed at a device: it leaves finishing_.
  void resume_aiming(Trip& trip, int id);
  // next_arrival_ from finishing_ (after a trip left it).
  void update_next_arrival();
  void start_motion(World& w, Trip& trip, int id, double x);
  void aim(World& w, Trip& trip, int id, double from);
  // Takes from each distance hazard's budget but `skip`'s (−1: none) what the
  // km from x0 to x cost; call before stop_at.
  void spend_hazards(World& w, Trip& trip, double x, int skip);
  // Stops a moving trip at x (reached at the current time), counting its km.
  void stop_at(World& w, Trip& trip, double x);
  void hold(World& w, Trip& trip, int id, double hours);
  void encounter(World& w, Trip& trip, int id, int slot);
  // An ambush on the trip at the current time; true when it was not pre-empted.
  bool ambush(World& w, Trip& trip, const AmbushThreat& a, int zone, bool halted,
              const StreamId& key);
  // A device the trip found is disposed of: an incident may harm the team (§2.1),
  // drawn from the encounter's stream `s` after its own draws.
  void dispose(World& w, const Trip& trip, const EodDisposal& eod, const Device& dev,
               const StreamId& key, Stream& s);
  // The trip's hazard h fired: its next budget, then the ambush.
  void on_ambush(World& w, Trip& trip, int id, int h);
  // Road accidents (§2.8): the accident-weighted vehicles of the trip's column,
  // the next candidate of the moving trip before the end of its leg, and a crash.
  double crash_weight(const World& w, const Trip& trip) const;
  void schedule_crash_candidate(World& w, Trip& trip, int id);
  void crash(World& w, Trip& trip, const RoadAccidents& ra);

  std::vector<Trip> trips_;
  std::vector<int> free_trips_;
  std::vector<std::vector<int>> trips_on_route_;  // trips under way (moving or held), by route
  std::vector<Stream> poisson_gaps_;              // by movement, Poisson schedules only
  std::vector<double> poisson_clock_;             // by movement: the last Poisson departure due
  std::vector<int32_t> departures_;               // departures drawn so far, by movement
  std::vector<int32_t> fed_;     // by movement, overtaking schedules: departures pushed so far
  std::vector<Stream> jitters_;  // by movement: periodic schedules' jitter uniforms, in turn
  std::vector<int> finishing_;   // trips on their last leg with nothing ahead, by arrival
  double next_arrival_ =
      std::numeric_limits<double>::infinity();  // the earliest arrival among finishing_
  int64_t clearance_week_ = -1;                 // the week the escorts left are counted for
  int64_t escorts_left_ = 0;                    // in clearance_week_
  // By movement: the departures per hour of the movements with route
  // clearance whose priority comes before its own (escorts kept for them).
  std::vector<double> reserve_per_hour_;
  std::vector<int64_t> pool_free_;                   // by vehicle pool: vehicles not on a trip
  std::vector<std::vector<PoolClaim>> pool_claims_;  // by vehicle pool: the groups drawing on it
};

}  // namespace pk::sim
