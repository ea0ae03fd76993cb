// The expected work of a replication, bounded at load (docs/model.md §9.2):
// a rate typed in the wrong unit, a convoy of a hundred thousand vehicles or a
// jitter of a million years is refused with the numbers and the key that
// causes it, instead of running for hours or filling the memory.
//
// The estimate follows the costs of the simulator (engine/sim): events popped
// from the queue, per-casualty and per-occupant draws, the linear scans of the
// devices on a route and of the trips on a route, and the memory of what is
// alive at once (devices, trips, departures pushed up front, MEDEVAC
// requests). Each is an expected value, bounded per process and summed over
// the processes of the replication. The adversary's pilot, replications the
// file asks for before the run's own, is bounded too.
#pragma once

#include <map>
#include <string>

#include "scenario/object_reader.hpp"
#include "scenario/scenario.hpp"

namespace pk {

// Expected events of one process in one replication.
inline constexpr double kMaxProcessEvents = 2e7;
// Expected work units (about one event's handling, or one draw) of a whole
// replication, summed over its processes.
inline constexpr double kMaxReplicationWork = 1e8;
// Expected peak memory of a replication's state, bytes.
inline constexpr double kMaxReplicationBytes = 1e9;
// Expected work units of the adversary's pilot (docs/model.md §2.9): its
// replications of the baseline and of every arm. A hundred replications at
// the limit, minutes on one core; the flagship of docs/adversary.md (the
// baseline and 13 arms, the default 2,000) takes about an eighth of it.
inline constexpr double kMaxPilotWork = 1e10;

struct WorkEstimate {
  double events = 0;  // queue events, all processes
  double work = 0;    // work units, all processes
  double bytes = 0;   // peak state, all processes
};

// The expected cost of one replication of `sc` (no limits applied).
WorkEstimate estimate_work(const Scenario& sc);

// Refuses (errors in ctx) a scenario over any limit. `marks` holds where each
// key path was written (Ctx::marks); errors point at the key that causes the
// excess, else at `root`.
void check_bounded_work(const Scenario& sc, const Node& root, const Ctx& ctx,
                        const std::map<std::string, Mark>& marks);

}  // namespace pk
