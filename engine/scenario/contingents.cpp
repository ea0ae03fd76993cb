#include "scenario/contingents.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace pk {

std::vector<Contingent> read_contingents(const Obj& top, const IdTable& vehicle_type_ids,
                                         IdTable& ids) {
  std::vector<Contingent> out;
  for (const Obj& o : top.list("contingents")) {
    ids.add(o);
    Contingent c;
    c.id = o.str("id");
    if (o.has("trained_fraction")) c.trained_fraction = o.num("trained_fraction");
    if (o.has("night_factor")) c.night_factor = o.num("night_factor");
    c.night_moves = o.flag("night_moves");
    if (const Obj f = o.object("equipment_fill"); f.present()) {
      c.equipment_fill = f.num("rate");
      c.shortfall_type = vehicle_type_ids.resolve(f, "shortfall_type");
    }
    if (const Obj r = o.object("rotation"); r.present())
      c.rotation = Contingent::Rotation{r.num("first_day"), r.num("every_days"),
                                        r.num("learning_days"), r.num("initial_factor")};
    out.push_back(std::move(c));
  }
  return out;
}

namespace {

// A movement key the contingent sets may not be given by the movement too:
// one value, in one place.
void refuse_own(const Obj& c_ied, const std::string& key, const Contingent& c) {
  if (c_ied.has(key))
    c_ied.error_here(key, "is set by its contingent (contingents[" + c.id + "]." + key +
                              "): give it in one place");
}

void fill_equipment(const Contingent& c, const Obj& m, const std::vector<VehicleType>& types,
                    Movement& mv) {
  if (!c.equipment_fill || c.shortfall_type < 0) return;
  const VehicleType& shortfall = types[c.shortfall_type];
  std::vector<VehicleGroup> filled;
  for (const VehicleGroup& g : mv.vehicles) {
    const auto present =
        static_cast<int64_t>(std::floor(static_cast<double>(g.count) * *c.equipment_fill + 0.5));
    if (g.type == c.shortfall_type || present >= g.count) {
      filled.push_back(g);
      continue;
    }
    if (g.crew > shortfall.seats) {
      m.error_here("vehicles", "crew " + std::to_string(g.crew) +
                                   " of a missing vehicle does not " + "fit the " +
                                   std::to_string(shortfall.seats) + " seats of contingent " +
                                   c.id + "'s shortfall type '" + shortfall.id + "'");
      return;
    }
    VehicleGroup kept = g;  // a pooled group still draws on its pool
    kept.count = present;
    filled.push_back(kept);
    filled.push_back(VehicleGroup{c.shortfall_type, g.count - present, g.crew, -1});
  }
  mv.vehicles = std::move(filled);
}

}  // namespace

void apply_contingent(const Contingent& c, const Obj& m, const std::vector<VehicleType>& types,
                      Movement& mv) {
  const Obj c_ied = m.object("c_ied");
  if (c.trained_fraction) {
    refuse_own(c_ied, "trained_fraction", c);
    mv.c_ied.trained_fraction = *c.trained_fraction;
  }
  if (c.night_factor) {
    refuse_own(c_ied, "night_factor", c);
    mv.c_ied.night_factor = *c.night_factor;
  }
  if (!c.night_moves) {
    Schedule& s = mv.schedule;
    s.window_from = std::max(s.window_from, 6.0);
    s.window_to = std::min(s.window_to, 18.0);
    if (s.window_to <= s.window_from)
      m.error_here("schedule", "its window has no daylight hour, and contingent " + c.id +
                                   " does not move at night (night_moves: false)");
  }
  fill_equipment(c, m, types, mv);
}

}  // namespace pk
