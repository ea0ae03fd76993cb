// The event log of one history, for `pkrisk trace` and for tests that assert
// what happened in a small world.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace pk {

struct TraceEvent {
  double time_hours = 0;
  std::string kind;    // e.g. "ied_emplaced", "strike", "ambush", "medevac_care"
  std::string detail;  // human-readable, e.g. "movement gao-kidal-log km 123.4"
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  // Records come in the order they are made, which is not quite time order:
  // the adversary's path is logged up front for the whole horizon, an arrival
  // when the next event retires it, the UAV fleet's day when it is first
  // consulted that day.
  virtual void record(const TraceEvent& e) = 0;
  // No record still to come has a time before `hours`. Simulator::run says so
  // every few thousand events; a sink that orders by time may then pass on
  // what it holds up to `hours`.
  virtual void settled(double /*hours*/) {}
};

// Puts the records of a history in time order, ties in the order they were
// recorded (a stable sort by time), and hands each to `emit` as soon as
// settled() shows nothing can still come before it: what is held is the
// records of the last few thousand events and of the day, plus those logged
// ahead of their time, not the whole history.
class TimeOrderedTrace final : public TraceSink {
 public:
  explicit TimeOrderedTrace(std::function<void(const TraceEvent&)> emit) : emit_(std::move(emit)) {}
  void record(const TraceEvent& e) override;
  void settled(double hours) override;
  // Hands on every record still held: the history is over.
  void finish();
  // The most records held at once so far.
  size_t most_held() const { return most_held_; }

 private:
  struct Held {
    TraceEvent event;
    uint64_t order;  // when it was recorded: breaks ties in time
  };
  // Pops and emits the earliest record held.
  void emit_first();

  std::function<void(const TraceEvent&)> emit_;
  std::vector<Held> heap_;  // a min-heap on (time, order)
  uint64_t recorded_ = 0;
  size_t most_held_ = 0;
};

}  // namespace pk
