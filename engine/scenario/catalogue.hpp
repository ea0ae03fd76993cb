// Vehicle catalogues: a scenario's `vehicle_catalogue` file of vehicle types,
// merged under the scenario's own `vehicle_types`.
#pragma once

#include <optional>
#include <string>

#include "scenario/diagnostics.hpp"
#include "scenario/yaml_tree.hpp"

namespace pk {

// Replaces the tree's vehicle_types with the catalogue's, then the file's own
// entries (same id: replaced in place; new id: appended). Returns the
// catalogue's bytes (for the provenance hash), or nullopt on errors.
std::optional<std::string> merge_catalogue(Node& tree, Diagnostics& diags);

}  // namespace pk
