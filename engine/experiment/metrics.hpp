// The named integer metrics of a replication (docs/model.md §6), read off its Tally.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/tally.hpp"

namespace pk {

// Names in report order: fatalities, kia, dow, wia, fatalities_by_cause.*,
// ied.*, mine.*, ambush.*, idf.attacks, vbied.attacks, medevac.*, then
// fatalities_by_movement.<id> and fatalities_by_site.<id>.
std::vector<std::string> metric_names(const Scenario& s);

// Index of "fatalities" is always 0.
inline constexpr size_t kFatalitiesMetric = 0;

// Values aligned with metric_names(s); `out` is resized as needed.
void extract_metrics(const Tally& t, std::vector<int64_t>& out);

}  // namespace pk
