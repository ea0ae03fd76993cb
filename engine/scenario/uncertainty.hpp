// The `uncertainty:` and `correlations:` blocks: which inputs of a scenario
// are uncertain and how (docs/decide.md). Read here with file:line errors;
// drawn by experiment/design.hpp for `pkrisk decide`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "scenario/object_reader.hpp"
#include "stats/distribution.hpp"

namespace pk {

struct UncertainInput {
  std::string path;
  Mark mark;                  // of the path, for errors about its values
  Distribution distribution;  // from samples: the column's values, equally weighted
  std::string source, group;
  // Drawn jointly with the other columns of a `from_samples` file: the index
  // of its set in UncertaintySpec::sample_sets and its column there; -1 otherwise.
  int sample_set = -1;
  int sample_column = -1;
};

// The joint draws of one `from_samples` file: rows of the columns' values.
struct SampleSet {
  std::string file;
  std::vector<size_t> inputs;  // indices in UncertaintySpec::inputs, one per column
  std::vector<std::vector<double>> rows;
};

struct UncertaintySpec {
  std::vector<UncertainInput> inputs;
  std::vector<SampleSet> sample_sets;
  // k × k correlation of the inputs' normal scores; empty when independent.
  std::vector<std::vector<double>> correlation;
};

// The text of a file a scenario names (resolved and allowed by the loader's
// include policy); nullopt with `why` set when it cannot be read.
using FileReader =
    std::function<std::optional<std::string>(const std::string& name, std::string& why)>;

// Reads both blocks of `root` (absent: an empty spec). Errors go to `ctx`;
// `from_samples` files are read through `read`.
UncertaintySpec read_uncertainty(const Node& root, const Ctx& ctx, const FileReader& read);

// The values an input is checked at when the scenario loads, so that a
// distribution that reaches outside its parameter's range is refused then,
// not in the middle of a run: its 1e-6 and 1 − 1e-6 quantiles and its median
// (a discrete one: every value, or 100 spread evenly from the least to the
// greatest when it has more).
std::vector<double> probe_values(const Distribution& d);

}  // namespace pk
