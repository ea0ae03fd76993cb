// The starter scenarios `pkrisk init` writes (scenarios/templates/ and the
// full-format reference), compiled into the program.
#pragma once

#include <string>
#include <vector>

namespace pk::cli {

struct ScenarioTemplate {
  std::string name;
  std::string summary;  // one line for `init --list`
  std::string text;     // the YAML as written to the user's file
};

const std::vector<ScenarioTemplate>& scenario_templates();

}  // namespace pk::cli
