// The year effect (docs/model.md §2.7): a gamma multiplier with mean 1 and
// coefficient of variation `year_effect.cv` on every zone's threat intensity,
// drawn once per simulated year, so that years differ as observed ones do.
#pragma once

#include <vector>

#include "sim/tables.hpp"

namespace pk::sim {

struct World;

struct YearEffect {
  std::vector<double> factor;             // per simulated year; empty: none
  std::vector<IntensityTable> intensity;  // per zone: the tables' times the year's factor
  // The largest factor of the replication: candidate processes run at their
  // rate times this and thin to the year's (1 without a year effect, so that
  // nothing changes by a bit).
  double max = 1;

  bool on() const { return !factor.empty(); }
  // The factor of the year containing t (hours); 1 without a year effect.
  double at(double t) const {
    if (factor.empty()) return 1.0;
    const auto y = static_cast<size_t>(t / kYearHours);
    return factor[y < factor.size() ? y : factor.size() - 1];
  }
  // Draws the replication's factors (each year from its own stream) and
  // scales every zone's intensity; nothing when the scenario has no year effect.
  void draw(const World& w);
};

}  // namespace pk::sim
