// `pkrisk schema`: the JSON Schema (draft-07) of the scenario format, or with
// --markdown the format reference, both generated from the one declaration table.
#include <iostream>

#include "commands.hpp"
#include "scenario/spec.hpp"

namespace pk::cli {

Action add_schema(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("schema", "Print the JSON Schema of the scenario format (for editors)");
  auto markdown = std::make_shared<bool>(false);
  cmd->add_flag("--markdown", *markdown, "Print the format reference as Markdown instead");
  return [markdown] {
    std::cout << (*markdown ? scenario_format_markdown() : scenario_json_schema());
    return kExitOk;
  };
}

}  // namespace pk::cli
