// pkrisk — casualty risk of peacekeeping missions, and what mitigations save.
#include <cstdio>
#include <iostream>
#include <vector>

#include "commands.hpp"
#include "experiment/mpi_transport.hpp"
#include "pk_version.hpp"
#include "session.hpp"
#include "usage_hints.hpp"

namespace pk::cli {

namespace {
std::string g_command_line;
}

const std::string& command_line() {
  return g_command_line;
}

void set_command_line(int argc, char** argv) {
  g_command_line.clear();
  for (int i = 0; i < argc; ++i) g_command_line += (i ? " " : "") + std::string(argv[i]);
}

std::optional<LoadedScenario> load_or_report(const std::string& file) {
  Diagnostics diags(file);
  auto loaded = load_scenario(file, diags);
  for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
  if (!loaded) {
    std::cerr << file << ": " << diags.error_count()
              << (diags.error_count() == 1 ? " error" : " errors") << ", nothing run\n";
  }
  return loaded;
}

}  // namespace pk::cli

int main(int argc, char** argv) {
  using namespace pk::cli;
  set_command_line(argc, argv);
  pk::MpiSession mpi(&argc, &argv);  // MPI ranks, only under a launcher
  set_transport(mpi.transport());
  CLI::App app{
      "pkrisk: casualty risk of peacekeeping missions in asymmetric-threat environments,\n"
      "and how much each mitigation reduces it."};
  app.set_version_flag("--version",
                       std::string("pkrisk ") + pk::kVersion + " (git " + pk::kGitHash + ")");
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, Action>> actions;
  auto reg = [&](Action (*add)(CLI::App&)) {
    const size_t before = app.get_subcommands({}).size();
    Action a = add(app);
    actions.emplace_back(app.get_subcommands({})[before], std::move(a));
  };
  reg(add_run);
  reg(add_sweep);
  reg(add_merge);
  reg(add_trace);
  reg(add_report);
  reg(add_calibrate);
  reg(add_validate);
  reg(add_schema);
  reg(add_init);
  add_examples(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    if (const std::string hint = usage_hint(app, argc, argv); code != 0 && !hint.empty())
      std::cerr << hint << "\n";
    return code == 0 ? kExitOk : kExitBadInput;
  }
  try {
    for (auto& [sub, action] : actions)
      if (sub->parsed()) return action();
  } catch (const std::exception& e) {
    std::cerr << "pkrisk: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "pkrisk: internal error: an unknown exception\n";
    return kExitInternal;
  }
  return kExitBadInput;
}
