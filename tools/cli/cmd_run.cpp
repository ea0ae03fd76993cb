// `pkrisk run FILE`: every arm of a scenario, with intervals and paired
// differences; the table, JSON or CSV; exit 1 when the acceptance gate fails.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "experiment/runner.hpp"
#include "report/report.hpp"

namespace pk::cli {

namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

struct RunOptions {
  std::string file;
  std::optional<int64_t> replications;
  std::optional<uint64_t> seed;
  int threads = 0;
  std::string format = "table";
  bool quiet = false;
};

}  // namespace

Action add_run(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "run", "Run every arm of a scenario: fatalities with CIs, paired differences");
  auto opt = std::make_shared<RunOptions>();
  cmd->add_option("FILE", opt->file, "scenario file (YAML)")->required();
  cmd->add_option("-n,--replications", opt->replications,
                  "replications per arm (default: the scenario's)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000000}));
  cmd->add_option("--seed", opt->seed, "master seed (default: the scenario's)");
  cmd->add_option("-j,--threads", opt->threads,
                  "worker threads (default: all cores); results do not depend on it")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--format", opt->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_flag("-q,--quiet", opt->quiet, "no progress on stderr");
  return [opt] {
    auto loaded = load_or_report(opt->file);
    if (!loaded) return kExitBadInput;
    RunConfig cfg;
    cfg.replications = opt->replications.value_or(loaded->baseline().replications);
    cfg.seed = opt->seed.value_or(loaded->baseline().seed);
    cfg.threads =
        opt->threads > 0 ? opt->threads : std::max(1u, std::thread::hardware_concurrency());
    cfg.stop = &g_stop;
    const bool tty = isatty(STDERR_FILENO) && std::getenv("CI") == nullptr;
    const auto start = std::chrono::steady_clock::now();
    auto last = start;
    if (!opt->quiet) {
      cfg.progress = [&](int64_t done, int64_t total) {
        const auto now = std::chrono::steady_clock::now();
        const double elapsed = std::chrono::duration<double>(now - start).count();
        if (done < total && now - last < std::chrono::milliseconds(tty ? 200 : 5000)) return;
        last = now;
        const double eta = done > 0 ? elapsed * (total - done) / done : 0;
        if (tty) {
          const int width = 30;
          const int fill = static_cast<int>(width * done / std::max<int64_t>(1, total));
          std::fprintf(stderr, "\r[%.*s%*s] %lld/%lld replications, %.1fs, ETA %.1fs ", fill,
                       "##############################", width - fill, "",
                       static_cast<long long>(done), static_cast<long long>(total), elapsed, eta);
          if (done == total) std::fprintf(stderr, "\n");
        } else {
          std::fprintf(stderr, "pkrisk: %lld/%lld replications, %.1fs, ETA %.1fs\n",
                       static_cast<long long>(done), static_cast<long long>(total), elapsed, eta);
        }
      };
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    const RunResult result = run_arms(*loaded, cfg);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (opt->format == "json")
      std::cout << result_json(*loaded, result).dump(2) << "\n";
    else if (opt->format == "csv")
      std::cout << result_csv(*loaded, result);
    else
      std::cout << result_table(*loaded, result);
    std::cout.flush();

    if (!result.complete) {
      std::fprintf(
          stderr, "pkrisk: interrupted: the result above is PARTIAL (%lld of %lld replications)\n",
          static_cast<long long>(result.replications), static_cast<long long>(cfg.replications));
      return g_signal.load() == SIGTERM ? 143 : 130;
    }
    const AcceptanceVerdict v = check_acceptance(*loaded, result);
    if (v.checked && !v.passed) {
      std::fprintf(stderr, "pkrisk: %s\n", v.reason.c_str());
      return kExitAcceptance;
    }
    return kExitOk;
  };
}

}  // namespace pk::cli
