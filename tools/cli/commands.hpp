// The subcommands of the `pkrisk` program, one file each.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "scenario/loader.hpp"

namespace pk::cli {

// Exit codes (ARCHITECTURE.md): 0 ok, 1 acceptance failed, 2 bad input or
// usage, 3 internal error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitAcceptance = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

// Each subcommand registers itself and returns the action to run when chosen.
using Action = std::function<int()>;
Action add_validate(CLI::App& app);
Action add_schema(CLI::App& app);
Action add_run(CLI::App& app);

// The program's command line as typed, for manifests.
const std::string& command_line();
void set_command_line(int argc, char** argv);

// Loads a scenario, printing every diagnostic to stderr. nullopt on errors.
std::optional<LoadedScenario> load_or_report(const std::string& file);

}  // namespace pk::cli
