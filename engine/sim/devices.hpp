// IEDs and mines on routes — docs/model.md §2.1, §2.2, §8.4-5, §8.9.
//
// Owns every live device of a replication and the two processes that put
// them on the roads:
//  * IED emplacement, per zone: a Poisson process thinned by the zone's
//    intensity and by UAV deterrence 1 − area.deterrence·c(t). Candidates come
//    at the bound rate (emplacement rate × route km × the largest intensity);
//    candidate k is kept with probability intensity(t)/bound × (1 − d·c(t)),
//    using c(t) at that instant, which is exact whatever c does in between.
//    Candidate k's attributes (position, trigger, observation, lifetime) and
//    later its encounter draws are keyed by (zone name, k), so an arm that adds UAVs
//    keeps every surviving IED exactly where and what it was.
//  * Mines: a stock at t = 0 and, when the zone lays them on, a Poisson
//    process thinned by the zone's intensity (no UAV deterrence: §2.2); with a
//    lifetime each mine expires like an IED (the stock's residual lifetimes
//    are exponential too, so a stock of laying × lifetime is stationary).
// Devices are kept per route sorted by position, so a movement finds the next
// one ahead with a short scan.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/random.hpp"

namespace pk::sim {

struct World;

struct Device {
  double pos_km = 0;   // route coordinate (km from the route's `from` end)
  int route = 0;       // index into Scenario::routes
  int zone = 0;        // index into Scenario::zones
  uint32_t index = 0;  // candidate number within the zone (IEDs) or mine number
  bool mine = false;
  bool alive = false;
  Trigger trigger = Trigger::kPressure;
  uint32_t generation = 0;  // bumped when the slot is freed, so stale expiries are ignored
};

class DeviceProcess {
 public:
  // Lays the mines and schedules each zone's first IED candidate.
  void start(World& w);
  void on_candidate(World& w, int zone);
  void on_mine_candidate(World& w, int zone);
  void on_expiry(World& w, int slot, uint32_t generation);

  // The nearest live device strictly ahead of route coordinate x when moving
  // in direction dir (+1 or −1); −1 if none.
  int next_ahead(int route, double x, int dir) const {
    const std::vector<int>& list = by_route_[route];
    if (dir > 0) {
      for (int slot : list) {
        if (pool_[slot].pos_km > x) return slot;
      }
    } else {
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if (pool_[*it].pos_km < x) return *it;
      }
    }
    return -1;
  }

  const Device& device(int slot) const { return pool_[slot]; }
  bool live(int slot, uint32_t generation) const {
    return pool_[slot].alive && pool_[slot].generation == generation;
  }
  // The device was met (found, jammed or detonated): it is gone.
  void remove(int slot);

 private:
  struct ZoneArrivals {
    Stream gaps;              // candidate gaps and thinning uniforms, in turn
    uint32_t candidates = 0;  // candidates drawn so far
    Stream mine_gaps;         // the same for mines laid on
    uint32_t mine_candidates = 0;
  };

  // Draws a position over the zone's route segments by length (§8.4).
  void place(const World& w, int zone, Stream& s, Device& d) const;
  int insert(World& w, const Device& d);
  void schedule_next(World& w, int zone);
  void schedule_next_mine(World& w, int zone);
  void schedule_candidate(World& w, int zone, double rate, Stream& gaps, uint32_t kind);
  void lay_stock(World& w, int zone);
  // Puts a mine on the road — on zone piece `piece`, or placed by length over
  // the zone when it is −1 — and returns its slot; its lifetime (when mines
  // have one) is the next draw of `s`.
  int lay_mine(World& w, int zone, uint32_t number, Stream& s, int piece);
  void schedule_expiry(World& w, int slot, double at);

  std::vector<Device> pool_;
  std::vector<int> free_;
  std::vector<std::vector<int>> by_route_;  // live device slots, sorted by position
  std::vector<ZoneArrivals> zones_;
};

}  // namespace pk::sim
