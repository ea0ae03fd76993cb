// `pkrisk run FILE`: every arm of a scenario, with intervals and paired
// differences; the table, JSON or CSV; exit 1 when the acceptance gate fails.
// The replications run through the executor (experiment/executor.hpp), or in
// batches until precise enough with --target-ci or --target-ci-diff
// (experiment/precision.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

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
  std::optional<double> target_ci, target_ci_diff;
  int64_t batch = 500;
  int64_t min_replications = 1000;
  int64_t max_replications = 1000000;
  bool until_precise() const { return target_ci || target_ci_diff; }
  std::string out_dir, per_replication, report;
  bool force = false;             // --out may hold a previous result
  std::vector<std::string> arms;  // --arms: the baseline and these only; empty: every arm
};

RunResult simulate(const RunOptions& o, const LoadedScenario& ls, int64_t replications,
                   uint64_t seed, int threads) {
  if (o.until_precise()) {
    PrecisionTarget t;
    t.relative_half_width = o.target_ci;
    t.diff_half_width = o.target_ci_diff;
    t.batch = o.batch;
    t.min_replications = o.min_replications;
    t.max_replications = o.max_replications;
    t.seed = seed;
    t.threads = threads;
    t.keep_rows = !o.per_replication.empty();
    t.stop = &stop_requested();
    if (!o.quiet) t.on_batch = precision_progress(o.target_ci, o.target_ci_diff);
    RunResult r = run_until_precision(ls, t);
    if (r.complete && !precise_enough(r, t, horizon_years(ls)))
      std::fprintf(stderr,
                   "pkrisk: warning: --max-replications (%lld) reached before the precision "
                   "target\n",
                   static_cast<long long>(o.max_replications));
    return r;
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
  if (!o.out_dir.empty()) {  // prepared (created, locked) before the run
    if (int rc = write_or_fail(o.out_dir + "/summary.json", result_json(ls, result).dump(2) + "\n"))
      return rc;
    if (int rc = write_manifest(o.out_dir, manifest); rc) return rc;
  }
  if (!o.report.empty())  // after --out, which may be the directory it goes to
    return write_or_fail(o.report, html_report(result_json(ls, result)));
  return kExitOk;
}

// Usage errors of the stopping rule that the flags' own ranges cannot see.
int check_stopping_flags(const RunOptions& o, const LoadedScenario& ls) {
  if (!o.until_precise()) return kExitOk;
  const int64_t minimum = std::max(o.min_replications, 2 * o.batch);
  if (o.max_replications < minimum)
    return fail(kExitBadInput, "--max-replications " + std::to_string(o.max_replications) +
                                   " is below the stopping rule's minimum of " +
                                   std::to_string(minimum) +
                                   " replications (--min-replications, and two batches of "
                                   "--batch)");
  if (o.target_ci_diff && ls.arms.size() < 2)
    return fail(kExitBadInput, "--target-ci-diff needs an arm besides the baseline; " + ls.file +
                                   " has none (arms:)");
  return kExitOk;
}

int run_scenario(const RunOptions& o) {
  const std::string started = utc_now();
  auto ls = load_or_report(o.file);
  if (!ls) return kExitBadInput;
  if (!o.arms.empty())
    if (const std::string missing = keep_arms(ls->arms, o.arms, ArmOrder::kFile); !missing.empty())
      return fail(kExitBadInput, "--arms: " + o.file + " has no arm named '" + missing + "'");
  if (int rc = check_stopping_flags(o, *ls); rc) return rc;
  if (!o.out_dir.empty())  // refused before the replications, not after
    if (int rc = prepare_output_dir(o.out_dir, {.force = o.force}); rc) return rc;
  const int64_t replications = o.replications.value_or(ls->baseline().replications);
  const uint64_t seed = o.seed.value_or(ls->baseline().seed);
  const int threads = o.threads > 0 ? o.threads : default_threads();
  const auto start = std::chrono::steady_clock::now();
  add_adaptive_twins(*ls, seed, threads, o.quiet);
  catch_interrupts();
  if (!o.per_replication.empty() &&
      !rows_fit(*ls, o.until_precise() ? o.max_replications : replications))
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
                 static_cast<long long>(o.until_precise() ? o.max_replications : replications));
    return interrupted_exit_code();
  }
  const AcceptanceVerdict v = check_acceptance(*ls, result);
  if (!v.checked) return kExitOk;
  // Too few replications to judge: a usage error, not a failed gate.
  if (!v.decided) return fail(kExitBadInput, v.reason);
  return v.passed ? kExitOk : fail(kExitAcceptance, v.reason);
}

}  // namespace

Action add_run(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "run", "Run every arm of a scenario: fatalities with CIs, paired differences");
  add_include_flag(cmd);
  auto opt = std::make_shared<RunOptions>();
  cmd->add_option("FILE", opt->file, "scenario file (YAML)")->required();
  CLI::Option* replications = cmd->add_option("-n,--replications", opt->replications,
                                              "replications per arm (default: the scenario's)")
                                  ->check(whole_number(1000000000, 1));
  cmd->add_option("--arms", opt->arms,
                  "run the baseline and these arms only, e.g. --arms mrap_convoys,uav_x4 "
                  "(--arms baseline: the baseline alone); each gives the numbers it gives in a "
                  "run of every arm")
      ->delimiter(',');
  cmd->add_option("--seed", opt->seed, "master seed (default: the scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("-j,--threads", opt->threads,
                  "worker threads (default: all cores); results do not depend on it")
      ->check(whole_number(1024));
  cmd->add_option("--format", opt->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_flag("-q,--quiet", opt->quiet, "no progress on stderr");
  cmd->add_option("--target-ci", opt->target_ci,
                  "run batches until the 95% CI half-width of mean fatalities is at most this "
                  "fraction of the mean, for every arm (e.g. 0.02)")
      ->check(CLI::Range(1e-6, 10.0))
      ->excludes(replications);  // a target decides the count: --min/--max-replications bound it
  cmd->add_option("--target-ci-diff", opt->target_ci_diff,
                  "run batches until the 95% CI half-width of lives saved per year is at most "
                  "this (in lives per year), for every arm against the baseline")
      ->check(CLI::Range(1e-9, 1e9))
      ->excludes(replications);
  cmd->add_option("--batch", opt->batch,
                  "replications per batch with a target (default 500); the precision is checked "
                  "after each, never before the second")
      ->check(whole_number(100000000, 1));
  cmd->add_option("--min-replications", opt->min_replications,
                  "never stop before this many replications with a target (default 1,000)")
      ->check(whole_number(1000000000, 1));
  cmd->add_option("--max-replications", opt->max_replications,
                  "upper limit with a target (default 1,000,000)")
      ->check(whole_number(1000000000, 1));
  cmd->add_option("--out", opt->out_dir,
                  "write summary.json (deterministic bytes) and manifest.json to this directory "
                  "(empty or new, unless --force)");
  cmd->add_flag("--force", opt->force,
                "let --out be a directory that is not empty: the previous result there is "
                "replaced");
  cmd->add_option("--per-replication", opt->per_replication,
                  "write every replication's metrics to this CSV file");
  cmd->add_option("--report", opt->report,
                  "write a self-contained HTML report with charts to this file");
  return [opt] { return run_scenario(*opt); };
}

}  // namespace pk::cli
