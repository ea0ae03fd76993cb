#include "sim/year_effect.hpp"

#include <algorithm>
#include <boost/random/gamma_distribution.hpp>
#include <cmath>

#include "sim/world.hpp"

namespace pk::sim {

void YearEffect::draw(const World& w) {
  const double cv = w.scenario.year_effect_cv;
  if (!(cv > 0)) return;
  // Gamma with shape 1/cv^2 and scale cv^2: mean 1, variance cv^2.
  const double shape = 1.0 / (cv * cv);
  const auto years = static_cast<size_t>(std::max(1.0, std::ceil(w.horizon / kYearHours)));
  factor.resize(years);
  max = 0;
  for (size_t y = 0; y < years; ++y) {
    Stream s(w.key, Proc::kYearEffect, y);
    factor[y] = boost::random::gamma_distribution<double>(shape, 1.0 / shape)(s);
    max = std::max(max, factor[y]);
  }
  // Tables split every zone's pieces at the years' starts (tables.cpp), so
  // each piece lies in one year.
  intensity.resize(w.tables.zones.size());
  for (size_t z = 0; z < intensity.size(); ++z) {
    const IntensityTable& base = w.tables.zones[z].intensity;
    IntensityTable& it = intensity[z];
    it.start = base.start;
    it.factor = base.factor;
    for (size_t i = 0; i < it.start.size(); ++i) it.factor[i] *= at(it.start[i]);
    // The thinning bound the candidate processes run at (their table rate
    // times `max`), not the largest product: a candidate is then kept with
    // probability factor(t) / (base max x max), which makes the rate factor(t).
    it.max_factor = base.max_factor * max;
  }
}

}  // namespace pk::sim
