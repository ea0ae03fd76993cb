// `pkrisk run FILE`: every arm of a scenario.
#include <iostream>

#include "commands.hpp"

namespace pk::cli {

Action add_run(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run every arm of a scenario");
  auto file = std::make_shared<std::string>();
  cmd->add_option("FILE", *file, "scenario file (YAML)")->required();
  return [file] {
    auto loaded = load_or_report(*file);
    if (!loaded) return kExitBadInput;
    std::cerr << "pkrisk run: the engine is not built yet\n";
    return kExitInternal;
  };
}

}  // namespace pk::cli
