// A probabilistic sensitivity analysis sample read from CSV (`pkrisk voi`),
// and the value-of-information summary of any PSA sample, as JSON — the same
// object for a sample pkrisk made (`decide`) and for one another model made.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stats/voi.hpp"

namespace pk {

struct NamedPsa {
  std::vector<std::string> inputs;     // column names of the inputs
  std::vector<std::string> decisions;  // column names of the net benefits
  PsaSample sample;
};

// Inputs: one column per input; outputs: one column per decision, the net
// benefit of each draw; both with a header row, the same number of draws.
// Errors name the file (`inputs_name`, `outputs_name`), the line and column.
bool read_psa_csv(const std::string& inputs_csv, const std::string& inputs_name,
                  const std::string& outputs_csv, const std::string& outputs_name, NamedPsa& psa,
                  std::string& error);

// Groups of inputs whose EVPPI is computed jointly: a CSV with the header
// `group,input` and one row per member. Every input must be a PSA input.
struct InputGroup {
  std::string name;
  std::vector<int> inputs;
};
bool read_groups_csv(const std::string& csv, const std::string& name, const NamedPsa& psa,
                     std::vector<InputGroup>& groups, std::string& error);

// "a,b" → the inputs' indices; false with `error` (the closest names) when
// one is not an input.
bool parse_input_list(const std::string& list, const NamedPsa& psa, std::vector<int>& out,
                      std::string& error);

struct VoiRequest {
  // Each set is one EVPPI (a single input, a pair, a group); empty: every
  // input on its own.
  std::vector<InputGroup> sets;
  // EVPI by regression on every input (for net benefits that carry simulation
  // noise) rather than the mean of the maxima (exact net benefits).
  bool regression_evpi = false;
  double scale = 1;  // multiplies every value (e.g. mission-years)
  uint64_t seed = 1;
};

// {"evpi", "evpi_method", "evppi": [{"parameters", "value", "se", "r2",
// "model", "group"?, "note"?}] ranked by value, "draws", "decisions"}.
nlohmann::json voi_json(const NamedPsa& psa, const VoiRequest& request);

}  // namespace pk
