// `pkrisk select FILE`: the best package of the scenario's arms under the
// `select:` block's budget and rules, with a guarantee (docs/select.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/select.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

struct SelectOptions {
  std::string file;
  std::optional<uint64_t> seed;
  int64_t batch = 10;
  int threads = 0;
  std::string format = "table";
  bool quiet = false;
};

int run_select_command(const SelectOptions& o) {
  std::optional<LoadedScenario> ls = load_or_report(o.file);
  if (!ls) return kExitBadInput;
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
  if (!o.quiet)
    std::fprintf(stderr, "select: %zu packages (%zu left out by the budget or a rule)...\n",
                 plan.packages.size(), plan.left_out.size());
  ExecutionPolicy policy;
  policy.stop = &stop_requested();
  catch_interrupts();
  const SelectOutcome outcome = run_select(*ls, plan, policy);
  release_interrupts();
  const nlohmann::json result = select_json(plan, outcome);
  if (o.format == "json")
    std::cout << result.dump(2) << "\n";
  else if (o.format == "csv")
    std::cout << select_csv(result);
  else
    std::cout << select_table(result);
  return outcome.complete ? kExitOk : interrupted_exit_code();
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
      ->check(whole_number(100000))
      ->check(CLI::Range(int64_t{1}, int64_t{100000}));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)")
      ->check(whole_number(1024));
  cmd->add_option("--format", o->format, "table, json or csv (one row per package)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_flag("-q,--quiet", o->quiet, "no progress on stderr");
  return [o] { return run_select_command(*o); };
}

}  // namespace pk::cli
