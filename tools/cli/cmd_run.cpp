// `pkrisk run FILE`: every arm of a scenario, with intervals and paired
// differences; the table, JSON or CSV; exit 1 when the acceptance gate fails.
// The replications run through the executor (experiment/executor.hpp), or in
// batches until precise enough with --target-ci (experiment/precision.hpp).
#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/executor.hpp"
#include "experiment/precision.hpp"
#include "report/html_report.hpp"
#include "report/output.hpp"
#include "report/report.hpp"
#include "session.hpp"

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
  std::string out_dir, per_replication, report;
};

RunResult simulate(const RunOptions& o, const LoadedScenario& ls, int64_t replications,
                   uint64_t seed, int threads) {
  if (o.target_ci) {
    PrecisionTarget t{
        *o.target_ci,      o.batch, o.max_replications, seed, threads, !o.per_replication.empty(),
        &stop_requested(), nullptr};
    if (!o.quiet)
      t.on_batch = [&](int64_t done, double worst) {
        std::fprintf(stderr,
                     "pkrisk: %lld replications, worst relative CI half-width %.4f (target %.4f)\n",
                     static_cast<long long>(done), worst, *o.target_ci);
      };
    return run_until_precision(ls, t);
  }
  ExecutionPolicy policy;
  policy.stop = &stop_requested();
  policy.keep_rows = !o.per_replication.empty();
  if (!o.quiet) policy.progress = replication_progress();
  return std::move(
      run_variants(ls, {Variant{}}, {seed, replications, replications, threads}, policy).front());
}

int write_outputs(const RunOptions& o, const LoadedScenario& ls, const RunResult& result,
                  nlohmann::json manifest) {
  if (!o.per_replication.empty())
    if (int rc = write_or_fail(o.per_replication, per_replication_csv(result)); rc) return rc;
  if (!o.out_dir.empty()) {
    if (int rc = make_dirs_or_fail(o.out_dir); rc) return rc;
    if (int rc = write_or_fail(o.out_dir + "/summary.json", result_json(ls, result).dump(2) + "\n"))
      return rc;
    if (int rc = write_manifest(o.out_dir, manifest); rc) return rc;
  }
  if (!o.report.empty())  // after --out, which may be the directory it goes to
    return write_or_fail(o.report, html_report(result_json(ls, result)));
  return kExitOk;
}

int run_scenario(const RunOptions& o) {
  const std::string started = utc_now();
  auto ls = load_or_report(o.file);
  if (!ls) return kExitBadInput;
  const int64_t replications = o.replications.value_or(ls->baseline().replications);
  const uint64_t seed = o.seed.value_or(ls->baseline().seed);
  const int threads = o.threads > 0 ? o.threads : default_threads();
  const auto start = std::chrono::steady_clock::now();
  catch_interrupts();
  if (!o.per_replication.empty() && !rows_fit(*ls, o.target_ci ? o.max_replications : replications))
    return kExitBadInput;
  const RunResult result = simulate(o, *ls, replications, seed, threads);
  release_interrupts();
  if (o.format == "json")
    std::cout << result_json(*ls, result).dump(2) << "\n";
  else if (o.format == "csv")
    std::cout << result_csv(*ls, result);
  else
    std::cout << result_table(*ls, result);
  std::cout.flush();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const nlohmann::json manifest = {
      {"command", command_line()},   {"started", started},
      {"finished", utc_now()},       {"seconds", secs},
      {"host", host_name()},         {"threads", threads},
      {"complete", result.complete}, {"replications", result.replications},
      {"seed", result.seed},         {"scenario_sha256", ls->sha256}};
  if (int rc = write_outputs(o, *ls, result, manifest); rc) return rc;
  if (!result.complete) {
    std::fprintf(stderr,
                 "pkrisk: interrupted: the result above is PARTIAL (%lld of %lld replications)\n",
                 static_cast<long long>(result.replications),
                 static_cast<long long>(o.target_ci ? o.max_replications : replications));
    return interrupted_exit_code();
  }
  const AcceptanceVerdict v = check_acceptance(*ls, result);
  return v.checked && !v.passed ? fail(kExitAcceptance, v.reason) : kExitOk;
}

}  // namespace

Action add_run(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "run", "Run every arm of a scenario: fatalities with CIs, paired differences");
  add_include_flag(cmd);
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
                  "fraction of the mean, for every arm (e.g. 0.02)")
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
  return [opt] { return run_scenario(*opt); };
}

}  // namespace pk::cli
