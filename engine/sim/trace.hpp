// The event log of one history, for `pkrisk trace` and for tests that assert
// what happened in a small world.
#pragma once

#include <string>

namespace pk {

struct TraceEvent {
  double time_hours = 0;
  std::string kind;    // e.g. "ied_emplaced", "strike", "ambush", "medevac_care"
  std::string detail;  // human-readable, e.g. "movement gao-kidal-log km 123.4"
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void record(const TraceEvent& e) = 0;
};

}  // namespace pk
