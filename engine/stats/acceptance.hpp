// The acceptance gate (docs/model.md §6 "Acceptance", §8.20): the one-sided
// upper confidence bound of the baseline's fatalities per 1,000
// personnel-years against a limit.
#pragma once

#include <string>

#include "stats/summary.hpp"

namespace pk {

struct AcceptanceVerdict {
  bool checked = false;
  bool passed = true;
  double upper = 0;  // upper confidence bound of fatalities per 1,000 personnel-years
  double limit = 0;
  double confidence = 0;
  std::string reason;  // one line
};

// `fatalities`: the baseline's fatalities per replication over the horizon,
// which `personnel_years` of exposure produce; `limit`: the most fatalities
// per 1,000 personnel-years accepted, at one-sided `confidence`.
AcceptanceVerdict check_acceptance(const MetricSummary& fatalities, double personnel_years,
                                   double limit, double confidence);

}  // namespace pk
