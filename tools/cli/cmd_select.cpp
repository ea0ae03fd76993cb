// `pkrisk select FILE`: the best package of the scenario's arms under the
// `select:` block's budget and rules, with a guarantee (docs/select.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/select.hpp"
#include "experiment/sweep.hpp"
#include "report/select_report.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

struct SelectOptions {
  std::string file;
  std::optional<uint64_t> seed;
  int64_t batch = 10;
  int threads = 0;
  std::string format = "table";
  std::string out, report;
  bool resume = false, force = false, quiet = false, plan_only = false;
};

int print_select(const LoadedScenario& ls, const nlohmann::json& result, const SelectOptions& o) {
  if (!o.report.empty())
    if (int rc = write_or_fail(o.report, select_html(result, ls.baseline().name)); rc) return rc;
  const std::string& format = o.format;
  if (format == "json")
    std::cout << result.dump(2) << "\n";
  else if (format == "csv")
    std::cout << select_csv(result);
  else
    std::cout << select_table(result);
  return kExitOk;
}

// Runs the plan, into `store` when there is one (every unit kept; a resumed
// run reads them back and replays the same decisions).
SelectOutcome run_with_interrupts(const LoadedScenario& ls, const SelectPlan& plan,
                                  ResultStore* store) {
  ExecutionPolicy policy;
  policy.stop = &stop_requested();
  policy.store = store;
  catch_interrupts();
  SelectOutcome outcome = run_select(ls, plan, policy);
  release_interrupts();
  return outcome;
}

int select_in_memory(const LoadedScenario& ls, const SelectPlan& plan, const SelectOptions& o) {
  const SelectOutcome outcome = run_with_interrupts(ls, plan, nullptr);
  if (!outcome.error.empty()) return fail(kExitBadInput, o.file + ": " + outcome.error);
  if (!outcome.complete) {
    std::fprintf(stderr,
                 "pkrisk: interrupted; nothing written (with --out DIR the replications run are "
                 "kept and --resume continues)\n");
    return interrupted_exit_code();
  }
  return print_select(ls, select_json(plan, outcome), o);
}

// Into a results directory: results.sqlite (every unit), select.json and
// manifest.json; --resume continues an interrupted run.
int select_into_store(const LoadedScenario& ls, const SelectPlan& plan, const SelectOptions& o) {
  const auto identity = select_identity(ls, plan);
  std::unique_ptr<ResultStore> store;
  if (int rc = open_results_dir(
          o.out, o.force, o.resume,
          [&](std::string& error, bool& bad_input) {
            return open_results_store(ls, identity, select_points(plan), o.out, o.resume, error,
                                      bad_input);
          },
          store))
    return rc;
  nlohmann::json manifest = {{"command", command_line()},
                             {"started", utc_now()},
                             {"host", host_name()},
                             {"status", "running"}};
  for (const auto& [k, v] : identity) manifest["identity"][k] = v;
  if (int rc = write_manifest(o.out, manifest); rc) return rc;
  const SelectOutcome outcome = run_with_interrupts(ls, plan, store.get());
  if (!outcome.error.empty()) {
    manifest["status"] = "failed";
    manifest["error"] = outcome.error;
    if (int rc = write_manifest(o.out, manifest); rc) return rc;
    return fail(kExitBadInput, o.out + ": " + outcome.error);
  }
  manifest["finished"] = utc_now();
  manifest["units_done"] = store->units().size();
  if (!outcome.complete) {
    manifest["status"] = "interrupted";
    if (int rc = write_manifest(o.out, manifest); rc) return rc;
    std::fprintf(stderr,
                 "pkrisk: interrupted; the replications run are kept in %s: continue "
                 "with --resume\n",
                 o.out.c_str());
    return interrupted_exit_code();
  }
  const nlohmann::json result = select_json(plan, outcome);
  if (int rc = write_or_fail(o.out + "/select.json", result.dump(2) + "\n"); rc) return rc;
  manifest["status"] = "complete";
  if (int rc = write_manifest(o.out, manifest); rc) return rc;
  return print_select(ls, result, o);
}

int run_select_command(const SelectOptions& o) {
  if (transport())
    return fail(kExitBadInput,
                "select does not run under mpirun: each round depends on the one before, so its "
                "work cannot be split ahead; run it in one process with -j");
  std::optional<LoadedScenario> ls = load_or_report(o.file);
  if (!ls) return kExitBadInput;
  note_static_adversary(*ls, "select");
  if (!ls->select)
    return fail(kExitBadInput, o.file +
                                   ": the scenario has no select: block (docs/select.md "
                                   "shows how to write one)");
  SelectSettings settings;
  settings.seed = o.seed.value_or(ls->baseline().seed);
  settings.batch = o.batch;
  settings.threads = o.threads > 0 ? o.threads : default_threads();
  Diagnostics diags(o.file);
  SelectPlan plan;
  const bool planned = plan_select(*ls, settings, plan, diags);
  print_diagnostics(diags);
  if (!planned) return kExitBadInput;
  if (o.plan_only) {
    const nlohmann::json listed = select_plan_json(plan);
    std::cout << (o.format == "json" ? listed.dump(2) + "\n" : select_plan_table(listed));
    return kExitOk;
  }
  if (!o.quiet)
    std::fprintf(stderr, "select: %zu packages (%zu left out by the budget or a rule)...\n",
                 plan.packages.size(), plan.left_out.size());
  return o.out.empty() ? select_in_memory(*ls, plan, o) : select_into_store(*ls, plan, o);
}

}  // namespace

Action add_select(CLI::App& app) {
  auto o = std::make_shared<SelectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "select", "The best package of arms under the select: block's budget, with a guarantee");
  add_include_flag(cmd);
  cmd->add_option("FILE", o->file, "scenario file with a select: block")->required();
  cmd->add_option("--seed", o->seed, "master seed (default: the scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("--batch", o->batch,
                  "replications of every contender per round after the first stage (default "
                  "10; results do not depend on it beyond the work done)")
      ->check(whole_number(100000, 1));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)")
      ->check(whole_number(1024));
  cmd->add_option("--format", o->format, "table, json or csv (one row per package)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--report", o->report,
                  "write an HTML page: the cost frontier, the elimination timeline, the "
                  "interaction heat map (also `pkrisk report DIR` on an --out directory)");
  cmd->add_option("--out", o->out,
                  "results directory (results.sqlite, select.json, manifest.json): every "
                  "replication run is kept and --resume continues; empty or new, unless "
                  "--resume or --force");
  auto* resume = cmd->add_flag("--resume", o->resume, "continue a select interrupted in --out");
  cmd->add_flag("--force", o->force,
                "let --out be a directory that is not empty: the previous results there are "
                "replaced")
      ->excludes(resume);
  cmd->add_flag("--plan", o->plan_only,
                "list the packages to compare (cost per year) and those left out (why), run "
                "nothing");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress on stderr");
  return [o] {
    if (o->out.empty() && (o->resume || o->force))
      return fail(kExitBadInput, "--resume and --force need --out DIR");
    return run_select_command(*o);
  };
}

}  // namespace pk::cli
