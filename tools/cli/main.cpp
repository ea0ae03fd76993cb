// pkrisk — casualty risk of peacekeeping missions, and what mitigations save.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
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
  // Appended piece by piece: g++ 12 warns (-Wrestrict, wrongly) on the
  // temporary that "..." + std::string(...) makes here.
  for (int i = 0; i < argc; ++i) {
    if (i > 0) g_command_line += ' ';
    g_command_line += argv[i];
  }
}

IncludePolicy& include_policy() {
  static IncludePolicy policy;
  return policy;
}

void add_include_flag(CLI::App* cmd) {
  cmd->add_flag("--allow-outside-files", include_policy().allow_outside,
                "let the scenario name files (vehicle_catalogue) by absolute path or outside "
                "its own folder; refused by default, as a scenario may come from anyone");
}

std::optional<LoadedScenario> load_or_report(const std::string& file) {
  Diagnostics diags(file);
  auto loaded = load_scenario(file, diags, include_policy());
  for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
  if (!loaded) {
    std::cerr << file << ": " << diags.error_count()
              << (diags.error_count() == 1 ? " error" : " errors") << ", nothing run\n";
  }
  return loaded;
}

namespace {

// Output that did not reach its destination (a full disk, a closed pipe) is
// an error: the caller must not take a truncated result for a whole one.
int finish_stdout(int code) {
  std::cout.flush();
  errno = 0;
  const bool lost = !std::cout.good() || std::fflush(stdout) != 0 || std::ferror(stdout);
  if (!lost || (code != kExitOk && code != kExitAcceptance)) return code;
  const int err = errno;
  std::fprintf(stderr,
               "pkrisk: cannot write the output to standard output%s%s: it is incomplete "
               "(check the disk or the pipe it goes to)\n",
               err ? ": " : "", err ? std::strerror(err) : "");
  return kExitIo;
}

}  // namespace

}  // namespace pk::cli

int main(int argc, char** argv) {
  using namespace pk::cli;
  set_command_line(argc, argv);
  // A closed pipe on stdout is a failed write like any other (finish_stdout),
  // not a silent death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  // A standard stream closed by the caller (>&-) must not be taken by the
  // first file pkrisk opens (a results store would receive the output):
  // /dev/null read-only takes its place, so that writes to it fail visibly.
  for (int fd = 0; fd <= 2; ++fd)
    if (::fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      const int null = ::open("/dev/null", O_RDONLY);
      if (null >= 0 && null != fd) ::close(null);  // fd was taken meanwhile: nothing to guard
    }
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
  reg(add_decide);
  reg(add_voi);
  reg(add_select);
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
    return code == 0 ? finish_stdout(kExitOk) : kExitBadInput;  // --help, --version print
  }
  int code = kExitBadInput;
  try {
    for (auto& [sub, action] : actions)
      if (sub->parsed()) {
        code = action();
        break;
      }
  } catch (const std::exception& e) {
    std::cerr << "pkrisk: internal error: " << e.what() << "\n";
    return kExitInternal;
  } catch (...) {
    std::cerr << "pkrisk: internal error: an unknown exception\n";
    return kExitInternal;
  }
  return finish_stdout(code);
}
