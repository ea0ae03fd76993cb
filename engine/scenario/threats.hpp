// The one list of threat types (docs/model.md §2). A threat type is a cause of
// casualties (malicious, or accidents and illness, §2.8) and the block of
// a zone that declares it: its keys, how they are
// read, its name, label and colour in every output. The zone's declaration
// table, the loader, the tables, the work limits, the zone overview, `pkrisk
// validate`, the metrics and the reports all iterate this list, so a new
// threat type is declared here, in scenario/threats.cpp, not in each of them
// (docs/architecture.md lists what else it needs).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/spec.hpp"

namespace pk {

class Obj;  // scenario/object_reader.hpp

// A check of a site threat against one site: the key it blames, relative to
// the zone (e.g. "idf.casualties_per_round"), and why.
struct SiteFinding {
  std::string key;
  std::string message;
};

// What the work limits (scenario/work_limits.cpp) need of one site's attacks.
struct SiteLoad {
  double work_per_attack = 0;  // operations of one attack
  std::string heavy_key;       // the key to blame when one attack is heavy; empty: not heavy
};

// The mean outcome of one attack, before any care (first order, `pkrisk validate`).
struct MeanCasualties {
  double killed = 0;
  double wounded = 0;
};

// A threat that strikes sites as a Poisson process whose rate follows the
// zone's intensity (§2.4, §2.5). Its zone block is named as the threat; its
// casualty draw is in sim/site_attacks.cpp.
struct SiteThreatRules {
  const char* rate_key;             // "per_site_day": blamed when attacks are too many
  const char* process_name;         // "indirect fire": "<name> on site <id>" in messages
  const char* attacks_description;  // help of the metric "<name>.attacks"
  double (*per_site_hour)(const Zone& zone);
  // When in the day its attacks come (§2.6); only called when the zone has the block.
  const DailyProfile& (*time_of_day)(const Zone& zone);
  std::vector<SiteFinding> (*check)(const Zone& zone, const Site& site);
  SiteLoad (*load)(const Zone& zone, const Site& site);
  MeanCasualties (*per_attack)(const Zone& zone, const Site& site);
};

struct ThreatType {
  Cause cause;              // the index of its counts in Tally::by_cause
  const char* name;         // in metric names and JSON: "vbied"
  const char* label;        // for people: legends, tables
  const char* description;  // one line
  const char* colour;       // its colour in charts (Okabe–Ito)
  // Its keys in a zone, in the order the format lists them.
  std::vector<FieldInfo> (*zone_keys)();
  // Reads its keys from the zone's mapping into `zone`.
  void (*read)(const Obj& zone_block, Zone& zone);
  // Whether the zone has this threat.
  bool (*present)(const Zone& zone);
  const SiteThreatRules* site = nullptr;  // null: the threat meets movements (or, for
                                          // illness, is counted apart, §2.8)
  // A malicious act (the threats of §2.1-§2.5); false for road accidents and
  // illness (§2.8). `fatalities_malicious` and the acceptance gate's default
  // count the malicious causes only.
  bool malicious = true;
};

// In `Cause` order: threat_types()[i].cause == Cause(i).
const std::array<ThreatType, kCauseCount>& threat_types();

// The threat type (cause) called `name`, or nullptr.
const ThreatType* find_cause(std::string_view name);

// The label of the cause called `name`; the name itself when no cause has it
// (a result written by another version of pkrisk stays readable).
std::string cause_label(std::string_view name);

}  // namespace pk
