// The one registry of the named integer metrics of a replication
// (docs/model.md §6). Each metric is declared once, in metrics.cpp, with its
// name (as in the JSON), unit, description, direction and, when it counts one
// cause, that cause. Reading the metrics off a Tally, the JSON, CSV and
// terminal outputs, the sweep's response metrics and `pkrisk trace` all derive
// from it: adding a metric is one declaration plus the Tally field it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/tally.hpp"

namespace pk {

// Which way a metric should move for the mission to be safer.
enum class Direction { kLowerIsBetter, kHigherIsBetter, kNeutral };

const char* direction_name(Direction d);  // "lower", "higher", "neutral"

// The name prefix of the malicious fatalities by month of the attack
// (docs/model.md §2.9), followed by the two-digit month: the outputs find
// the monthly metrics by it.
inline constexpr std::string_view kMaliciousByMonthPrefix = "fatalities_malicious_by_month.";

struct MetricInfo {
  std::string name;  // as in the JSON: "fatalities", "ied.emplaced", "fatalities_by_cause.ied"
  std::string unit;  // what one unit counts: "fatalities", "devices", "attacks", ...
  std::string description;  // one line
  Direction direction = Direction::kNeutral;
  std::optional<Cause> cause;  // for the metrics of one cause
  int64_t (*read)(const Tally&, size_t index) = nullptr;
  size_t index = 0;         // passed to read: the cause, movement or site it counts
  bool casualties = false;  // counts people killed or wounded (not events or devices)
};

// The metrics of every scenario, in report order: fatalities, kia, dow, wia,
// {fatalities,kia,dow,wia}_by_cause.<cause>, ied.*, mine.*, ambush.*,
// idf.attacks, vbied.attacks, departures, medevac.*.
const std::vector<MetricInfo>& fixed_metrics();

// Every metric of `s`: fixed_metrics(), then fatalities_by_movement.<id> and
// fatalities_by_site.<id> and fatalities_by_contingent.<id> in the
// scenario's order.
std::vector<MetricInfo> metric_registry(const Scenario& s);

// The names of metric_registry(s).
std::vector<std::string> metric_names(const Scenario& s);

// Index of "fatalities" is always 0.
inline constexpr size_t kFatalitiesMetric = 0;
// fatalities_malicious: from the threat types alone, without road accidents
// and illness (docs/model.md §2.8).
inline constexpr size_t kMaliciousFatalitiesMetric = 4;

// Values aligned with metric_names(s) for the scenario the Tally counted;
// `out` is resized as needed.
void extract_metrics(const Tally& t, std::vector<int64_t>& out);

}  // namespace pk
