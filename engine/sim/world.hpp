// The state one replication shares between its processes, and the event kinds
// the simulator dispatches. Domain words live here and in the processes, not
// in the kernel (event_queue.hpp).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/attack_options.hpp"
#include "scenario/scenario.hpp"
#include "sim/care_chain.hpp"
#include "sim/devices.hpp"
#include "sim/event_queue.hpp"
#include "sim/medevac.hpp"
#include "sim/movements.hpp"
#include "sim/random.hpp"
#include "sim/site_attacks.hpp"
#include "sim/tables.hpp"
#include "sim/tally.hpp"
#include "sim/trace.hpp"
#include "sim/uav_fleet.hpp"
#include "sim/year_effect.hpp"

namespace pk::sim {

// What a kernel event means. Payload arguments are listed per kind.
enum EventKind : uint32_t {
  kEvIedCandidate = 0,  // a: zone
  kEvDeviceExpiry,      // a: device slot, b: device generation
  kEvDeparture,         // a: movement, b: departure number
  kEvTrip,              // a: trip slot (a timer: the trip's next point of interest)
  kEvSiteCandidate,     // a: site, b: Cause of a threat on sites
  kEvMedevacFree,       // a helicopter is back
  kEvMedevacDaylight,   // 06:00: queued requests may fly
  kEvMedevacTimeout,    // a: request; its max wait is over
  kEvMineCandidate,     // a: zone (mines laid on, §2.2)
  kEvCrashCandidate,    // a: trip slot, b: the trip's motion number (§2.8)
  kEvCareArrival,       // a: patient; reaches the Role 2 (§3.6)
  kEvTableFree,         // an operating table is free (§3.6)
  kEvIllnessCase,       // a: site, b: case number; an evacuated case of illness (§2.8)
  kEvDepartureFeed,     // a: movement; its next departures enter the queue (movements.hpp)
};

// Same-time order. A helicopter that frees exactly when a request's max wait
// ends flies it ("within max_wait_hours" is read inclusively).
enum Priority : int {
  kPrFeed = 0,  // before anything at its time: a departure it feeds may leave then
  kPrExpiry = 1,
  kPrCandidate = 2,
  kPrDeparture = 3,
  kPrTrip = 4,
  kPrCrash = 5,
  kPrSiteAttack = 6,
  kPrMedevacFree = 7,
  kPrMedevacTimeout = 8,
  kPrCare = 9,
};

struct World {
  World(const Scenario& s, const Tables& t) : scenario(s), tables(t) {}

  const Scenario& scenario;
  const Tables& tables;
  des::EventQueue queue{4096};
  Tally* tally = nullptr;
  TraceSink* trace = nullptr;  // null: no tracing, no formatting cost
  ReplicationKey key;
  double horizon = 0;  // hours

  DeviceProcess devices;
  MovementProcess movements;
  SiteAttacks site_attacks;
  UavFleet uav;
  MedevacService medevac;
  CareChainService care;
  YearEffect year_effect;

  // A zone's intensity in this replication: the scenario's, times the year
  // effect's multipliers when the scenario has one.
  const IntensityTable& intensity(int zone) const {
    return year_effect.on() ? year_effect.intensity[static_cast<size_t>(zone)]
                            : tables.zones[static_cast<size_t>(zone)].intensity;
  }

  // The adversary's answer in this arm (docs/model.md §2.9); null: static.
  const AdversaryPath* adversary() const { return scenario.adversary_path.get(); }
  // The factor on the attack rate of threat `c` in `zone` at time t, and its
  // largest value (the thinning bound); 1 against a static adversary.
  double attack_rate(int zone, Cause c, double t) const {
    const AdversaryPath* p = adversary();
    return p ? p->at(zone, t).rate[static_cast<size_t>(c)] : 1.0;
  }
  double attack_bound(int zone, Cause c) const {
    const AdversaryPath* p = adversary();
    return p ? p->bound[static_cast<size_t>(zone)][static_cast<size_t>(c)] : 1.0;
  }
  // The factor on the per-strike lethality of `option` (AttackOption) in `zone` at t.
  double lethality(int zone, int option, double t) const {
    const AdversaryPath* p = adversary();
    return p ? p->at(zone, t).lethality[static_cast<size_t>(option)] : 1.0;
  }
  // The counts of `option` in `zone`; null without an adversary block.
  OptionCounts* option_counts(int zone, int option) {
    if (tally->by_option.empty()) return nullptr;  // no adversary block: one branch
    const int slot = tables.option_slot[static_cast<size_t>(zone) * kAttackOptionCount +
                                        static_cast<size_t>(option)];
    return slot >= 0 ? &tally->by_option[static_cast<size_t>(slot)] : nullptr;
  }
  // Counts `n` deaths of event `e`, whose people were hurt at `injured_at`,
  // in the month of the attack when the scenario counts months (§2.9).
  void count_deaths(const CasualtyEvent& e, double injured_at, int64_t n) {
    std::vector<int64_t>& months = tally->malicious_by_month;
    if (months.empty() || n == 0 || static_cast<int>(e.cause) > static_cast<int>(Cause::kVbied))
      return;
    const auto k = static_cast<size_t>(std::max(0.0, injured_at / kMonthHours));
    months[std::min(k, months.size() - 1)] += n;
  }
  // Counts an attack of `option` in `zone` (and whether it struck) for the adversary.
  void count_attack(int zone, int option, bool struck) {
    if (OptionCounts* oc = option_counts(zone, option)) {
      ++oc->attacks;
      oc->strikes += struck;
    }
  }

  // Sends one formatted line to the trace; call only when trace != nullptr.
  void log(double t, const char* kind, const char* fmt, ...) __attribute__((format(printf, 4, 5)));
};

}  // namespace pk::sim
