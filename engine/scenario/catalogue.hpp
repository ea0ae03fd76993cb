// Vehicle catalogues: a scenario's `vehicle_catalogue` file of vehicle types,
// merged under the scenario's own `vehicle_types`.
#pragma once

#include <optional>
#include <string>

#include "scenario/diagnostics.hpp"
#include "scenario/yaml_tree.hpp"

namespace pk {

// Which files a scenario may name (vehicle_catalogue). By default only files
// in the scenario's folder or below it: a scenario received from elsewhere
// must not make pkrisk read whatever the user can read.
struct IncludePolicy {
  bool allow_outside = false;  // absolute paths, "..", links that lead out
};

// The path of the file `name` given in `scenario`, relative to the
// scenario's folder; "" with `why` when the policy refuses it.
std::string resolve_include(const std::string& scenario, const std::string& name,
                            const IncludePolicy& policy, std::string& why);

// Replaces the tree's vehicle_types with the catalogue's, then the file's own
// entries (same id: replaced in place; new id: appended). Returns the
// catalogue's bytes (for the provenance hash), or nullopt on errors.
std::optional<std::string> merge_catalogue(Node& tree, Diagnostics& diags,
                                           const IncludePolicy& policy);

}  // namespace pk
