// The expected work of a replication, bounded at load (docs/model.md §5):
// a rate typed in the wrong unit is refused with the numbers instead of
// running for hours.
#pragma once

#include "scenario/object_reader.hpp"
#include "scenario/scenario.hpp"

namespace pk {

void check_bounded_work(const Scenario& sc, const Node& root, const Ctx& ctx);

}  // namespace pk
