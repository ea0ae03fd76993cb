// Plays one replication (one possible history of the mission) — docs/model.md §2, §3.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "scenario/scenario.hpp"
#include "sim/tally.hpp"
#include "sim/trace.hpp"

namespace pk {

class Simulator {
 public:
  // Precomputes everything that does not depend on the replication. The
  // scenario must outlive the simulator.
  explicit Simulator(const Scenario& scenario);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Plays replication `replication` of master seed `seed` into `out` (reset
  // first). A pure function of (scenario, seed, replication): the same
  // arguments give the same bits whatever thread calls it. Events are sent to
  // `trace` when it is not null.
  //
  // A Simulator reuses its buffers from run to run (no allocation per event),
  // so one instance must not run on two threads at once: give each thread its
  // own Simulator over the same Scenario.
  //
  // Returns false when `stop` (see set_stop) was set during the replication:
  // it is then abandoned part-way and `out` must be discarded.
  bool run(uint64_t seed, uint64_t replication, Tally& out, TraceSink* trace = nullptr);

  // A flag (e.g. set by a signal handler) read every few thousand events, so
  // that a replication of minutes still stops within a moment. Null: never.
  void set_stop(const std::atomic<bool>* stop) { stop_ = stop; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const std::atomic<bool>* stop_ = nullptr;
};

}  // namespace pk
