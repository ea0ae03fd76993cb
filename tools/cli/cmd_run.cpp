// `pkrisk run FILE`: every arm of a scenario, with intervals and paired
// differences; the table, JSON or CSV; exit 1 when the acceptance gate fails.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <thread>

#include "commands.hpp"
#include "session.hpp"
#include "experiment/metrics.hpp"
#include "experiment/runner.hpp"
#include "report/html_report.hpp"
#include "report/output.hpp"
#include "report/report.hpp"
#include "stats/summary.hpp"

namespace pk::cli {

namespace {

struct RunOptions {
  std::string file;
  std::optional<int64_t> replications;
  std::optional<uint64_t> seed;
  int threads = 0;
  std::string format = "table";
  bool quiet = false;
  std::optional<double> target_ci;
  int64_t batch = 1000;
  int64_t max_replications = 1000000;
  std::string out_dir;
  std::string per_replication;
  std::string report;
  std::string command_line;
  std::string started;
};

// Relative half-width of the fatalities mean, worst arm.
double worst_relative_half_width(const RunResult& r) {
  double worst = 0;
  for (const ArmResult& a : r.arms) {
    const MetricSummary s = summarize(a.metrics[0]);
    const double half = (s.ci95.hi - s.ci95.lo) / 2;
    if (half == 0) continue;
    worst = std::max(worst, s.mean > 0 ? half / s.mean : std::numeric_limits<double>::infinity());
  }
  return worst;
}

std::string per_replication_csv(const RunResult& r) {
  std::string out = "replication,arm";
  for (const auto& m : r.metric_names) {
    out += ',';
    out += m;
  }
  out += "\n";
  const size_t width = r.metric_names.size();
  const size_t per_rep = width * r.arms.size();
  for (size_t i = 0; per_rep && i * per_rep < r.rows.size(); ++i)
    for (size_t a = 0; a < r.arms.size(); ++a) {
      out += std::to_string(i);
      out += ',';
      out += r.arms[a].name;
      for (size_t m = 0; m < width; ++m) {
        out += ',';
        out += std::to_string(r.rows[i * per_rep + a * width + m]);
      }
      out += "\n";
    }
  return out;
}

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
  cmd->add_option("--target-ci", opt->target_ci,
                  "run batches until the 95% CI half-width of mean fatalities is at most this "
                  "fraction of the mean, "
                  "for every arm (e.g. 0.02)")
      ->check(CLI::Range(1e-6, 10.0));
  cmd->add_option("--batch", opt->batch,
                  "replications per batch with --target-ci (default 1000; also the minimum)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  cmd->add_option("--max-replications", opt->max_replications,
                  "upper limit with --target-ci (default 1,000,000)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000000}));
  cmd->add_option("--out", opt->out_dir,
                  "write summary.json (deterministic bytes) and manifest.json to this directory");
  cmd->add_option("--per-replication", opt->per_replication,
                  "write every replication's metrics to this CSV file");
  cmd->add_option("--report", opt->report,
                  "write a self-contained HTML report with charts to this file");
  return [opt] {
    opt->started = utc_now();
    opt->command_line = command_line();
    auto loaded = load_or_report(opt->file);
    if (!loaded) return kExitBadInput;
    RunConfig cfg;
    cfg.replications = opt->replications.value_or(loaded->baseline().replications);
    cfg.seed = opt->seed.value_or(loaded->baseline().seed);
    cfg.threads =
        opt->threads > 0 ? opt->threads : std::max(1u, std::thread::hardware_concurrency());
    cfg.stop = &stop_requested();
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
    catch_interrupts();
    cfg.keep_rows = !opt->per_replication.empty();
    if (cfg.keep_rows) {
      // Refuse up front what cannot fit: every replication's metrics are kept.
      const double cells =
          static_cast<double>(opt->target_ci ? opt->max_replications : cfg.replications) *
          static_cast<double>(loaded->arms.size()) *
          static_cast<double>(metric_names(loaded->baseline()).size());
      constexpr double kMaxBytes = 4.0 * (1ull << 30);
      if (cells * 8 > kMaxBytes) {
        std::fprintf(
            stderr,
            "pkrisk: --per-replication would keep %.0f values (%.1f GiB) in memory, more than the "
            "4 GiB limit: ask for fewer replications or arms\n",
            cells, cells * 8 / (1ull << 30));
        return kExitBadInput;
      }
    }
    RunResult result;
    if (opt->target_ci) {
      // Fixed batches, checked only at batch boundaries: the stopping point and
      // the result are the same for any thread count.
      int64_t done = 0;
      auto batch_progress = cfg.progress;
      cfg.progress = nullptr;
      while (!stop_requested().load()) {
        const int64_t n = std::min(opt->batch, opt->max_replications - done);
        if (n <= 0) break;
        cfg.replications = done + n;
        run_replications(*loaded, cfg, done, n, result);
        if (!result.complete) break;
        done += n;
        const double worst = worst_relative_half_width(result);
        if (!opt->quiet)
          std::fprintf(
              stderr,
              "pkrisk: %lld replications, worst relative CI half-width %.4f (target %.4f)\n",
              static_cast<long long>(done), worst, *opt->target_ci);
        if (worst <= *opt->target_ci) break;
      }
      if (stop_requested().load()) result.complete = false;
      (void)batch_progress;
    } else {
      result = run_arms(*loaded, cfg);
    }
    release_interrupts();

    if (opt->format == "json")
      std::cout << result_json(*loaded, result).dump(2) << "\n";
    else if (opt->format == "csv")
      std::cout << result_csv(*loaded, result);
    else
      std::cout << result_table(*loaded, result);
    std::cout.flush();

    const auto finished = std::chrono::steady_clock::now();
    if (!opt->per_replication.empty()) {
      if (std::string err = write_file_atomic(opt->per_replication, per_replication_csv(result));
          !err.empty()) {
        std::fprintf(stderr, "pkrisk: %s\n", err.c_str());
        return kExitInternal;
      }
    }
    if (!opt->out_dir.empty()) {
      if (std::string err = real_file_system().make_dirs(opt->out_dir); !err.empty()) {
        std::fprintf(stderr, "pkrisk: cannot create the output directory %s\n", err.c_str());
        return kExitInternal;
      }
      nlohmann::json manifest = {
          {"command", opt->command_line},
          {"started", opt->started},
          {"finished", utc_now()},
          {"seconds", std::chrono::duration<double>(finished - start).count()},
          {"host",
           [] {
             char h[256] = {0};
             gethostname(h, sizeof h - 1);
             return std::string(h);
           }()},
          {"threads", cfg.threads},
          {"complete", result.complete},
          {"replications", result.replications},
          {"seed", result.seed},
          {"scenario_sha256", loaded->sha256},
      };
      for (const auto& [name, bytes] :
           {std::pair<std::string, std::string>{"summary.json",
                                                result_json(*loaded, result).dump(2) + "\n"},
            {"manifest.json", manifest.dump(2) + "\n"}}) {
        if (std::string err = write_file_atomic(opt->out_dir + "/" + name, bytes); !err.empty()) {
          std::fprintf(stderr, "pkrisk: %s\n", err.c_str());
          return kExitInternal;
        }
      }
    }
    if (!opt->report.empty()) {  // after --out, which may be the directory it goes to
      if (std::string err =
              write_file_atomic(opt->report, html_report(result_json(*loaded, result)));
          !err.empty()) {
        std::fprintf(stderr, "pkrisk: %s\n", err.c_str());
        return kExitInternal;
      }
    }
    if (!result.complete) {
      std::fprintf(
          stderr, "pkrisk: interrupted: the result above is PARTIAL (%lld of %lld replications)\n",
          static_cast<long long>(result.replications), static_cast<long long>(cfg.replications));
      return interrupted_exit_code();
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
