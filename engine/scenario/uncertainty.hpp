// The `uncertainty:` and `correlations:` blocks: which inputs of a scenario
// are uncertain and how (docs/decide.md). Read here with file:line errors;
// drawn by experiment/design.hpp for `pkrisk decide`.
#pragma once

#include <string>
#include <vector>

#include "scenario/object_reader.hpp"
#include "stats/distribution.hpp"

namespace pk {

struct UncertainInput {
  std::string path;
  Mark mark;  // of the path, for errors about its values
  Distribution distribution;
  std::string source, group;
};

struct UncertaintySpec {
  std::vector<UncertainInput> inputs;
  // k × k correlation of the inputs' normal scores; empty when independent.
  std::vector<std::vector<double>> correlation;
};

// Reads both blocks of `root` (absent: an empty spec). Errors go to `ctx`.
UncertaintySpec read_uncertainty(const Node& root, const Ctx& ctx);

// The values an input is checked at when the scenario loads, so that a
// distribution that reaches outside its parameter's range is refused then,
// not in the middle of a run: its 1e-6 and 1 − 1e-6 quantiles and its median
// (a discrete one: every value).
std::vector<double> probe_values(const Distribution& d);

}  // namespace pk
