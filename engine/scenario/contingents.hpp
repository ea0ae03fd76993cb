// National contingents (docs/model.md §3.4): reading the `contingents` block
// and applying what a contingent brings to the movements that name it.
#pragma once

#include <vector>

#include "scenario/object_reader.hpp"
#include "scenario/scenario.hpp"

namespace pk {

// Reads the `contingents` list of `top`, registering each id in `ids`.
std::vector<Contingent> read_contingents(const Obj& top, const IdTable& vehicle_type_ids,
                                         IdTable& ids);

// Applies contingent `c` to movement `mv`, read from `m`: its trained_fraction
// and night_factor into c_ied (an error where the movement gives its own),
// its night caveat into the schedule's window, its equipment fill into the
// vehicle groups (each group's missing vehicles, rounded half up, drive as
// the shortfall type right behind the present ones).
void apply_contingent(const Contingent& c, const Obj& m, const std::vector<VehicleType>& types,
                      Movement& mv);

}  // namespace pk
