// `pkrisk decide FILE --draws N --reps-per-draw M`: which arm to choose when
// the inputs of the `uncertainty:` block are uncertain, and what knowing them
// better is worth (docs/decide.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/decide.hpp"
#include "report/decide_report.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

struct DecideOptions {
  std::string file;
  int64_t draws = 1000;
  int64_t reps = 10;
  std::optional<uint64_t> seed;
  std::optional<double> wtp;
  std::string objective;
  double mission_years = 0;
  double population = 1;
  int threads = 0;
  std::string format = "table";
  std::string samples_out;
  std::string report;
  std::string out, shard = "1/1";
  bool resume = false, force = false, quiet = false;
};

bool settings_of(const DecideOptions& o, const LoadedScenario& ls, int ranks,
                 DecideSettings& settings) {
  settings.draws = o.draws;
  settings.reps_per_draw = o.reps;
  settings.seed = o.seed.value_or(ls.baseline().seed);
  settings.net_benefit = o.objective == "net-benefit" || (o.objective.empty() && o.wtp);
  if (settings.net_benefit && !o.wtp) {
    fail(kExitBadInput, "--objective net-benefit needs --wtp (USD per death averted)");
    return false;
  }
  settings.wtp_usd = o.wtp.value_or(0);
  settings.mission_years = o.mission_years;
  settings.population = o.population;
  settings.threads = o.threads > 0 ? o.threads : default_threads(ranks);
  return true;
}

// In memory: every draw in this process, nothing kept if interrupted.
int decide_in_memory(const LoadedScenario& ls, const DecidePlan& plan, const DecideOptions& o) {
  ExecutionPolicy policy;
  policy.stop = &stop_requested();
  catch_interrupts();
  const DecideSample sample = run_decide(ls, plan, policy);
  release_interrupts();
  if (!sample.complete) {
    std::fprintf(stderr,
                 "pkrisk: interrupted after %zu of %zu draws; nothing written (with --out DIR "
                 "the draws finished are kept and --resume continues)\n",
                 sample.x.size(), plan.points.size());
    return interrupted_exit_code();
  }
  return print_decide(ls, plan, sample, decide_json(sample, plan.settings),
                      {.samples_out = o.samples_out, .report = o.report, .format = o.format});
}

// Into a results store: resumable, one shard of N, or spread over MPI ranks.
int decide_into_store(const LoadedScenario& ls, const DecidePlan& plan, const DecideOptions& o,
                      Transport* net) {
  int64_t shard_k = 1, shard_n = 1;
  if (!parse_shard(o.shard, shard_k, shard_n))
    return fail(kExitBadInput, "--shard must be k/N with 1 <= k <= N, got '" + o.shard + "'");
  const bool root = !net || net->rank() == 0;
  ExecutionPolicy policy = stored_policy(shard_k, shard_n, net);
  const std::string shard = std::to_string(shard_k) + "/" + std::to_string(shard_n);
  std::unique_ptr<ResultStore> store;
  if (root) {
    if (int rc = open_results_dir(
            o.out, o.force, o.resume,
            [&](std::string& error, bool& bad_input) {
              return open_decide_store(ls, plan, o.out, shard, o.resume, error, bad_input);
            },
            store))
      return rc;
    policy.store = store.get();
  }
  Executor executor(ls, policy);
  const ExecutionReport survey = executor.survey(plan.units(), plan.execution());
  nlohmann::json manifest = {{"shard", shard}};
  for (const auto& [k, v] : decide_identity(ls, plan)) manifest["identity"][k] = v;
  manifest["identity"]["shard"] = shard;
  const StoredRun run{
      .out = o.out, .shard_n = shard_n, .net = net, .quiet = o.quiet, .units_name = "draws"};
  if (auto rc = run_stored(run, manifest, survey, [&](Sink& sink) {
        return executor.extend(plan.variants(), plan.units(), plan.execution(), sink);
      }))
    return *rc;
  return finish_decide(ls, plan, *store, o.out,
                       {.samples_out = o.samples_out, .report = o.report, .format = o.format},
                       manifest);
}

int run_decide_command(const DecideOptions& o) {
  Transport* const net = transport();
  if (net && o.out.empty())
    return fail(kExitBadInput, "decide under mpirun needs --out DIR (the ranks share a store)");
  const bool root = !net || net->rank() == 0;
  ReleaseRanks release(net);  // an early return on rank 0 must not leave the others waiting
  std::optional<LoadedScenario> ls = load_on_every_rank(o.file);
  if (!ls) return kExitBadInput;
  if (ls->uncertainty.inputs.empty())
    return fail(kExitBadInput, o.file +
                                   ": the scenario has no uncertainty: block (docs/decide.md "
                                   "shows how to write one)");
  DecideSettings settings;
  if (!settings_of(o, *ls, net ? net->size() : 1, settings)) return kExitBadInput;
  add_adaptive_twins(*ls, settings.seed, settings.threads, o.quiet);
  Diagnostics diags(o.file);
  DecidePlan plan;
  const bool planned = plan_decide(*ls, settings, plan, diags);
  if (root) print_diagnostics(diags);
  if (!planned) return kExitBadInput;
  if (!o.quiet && root)
    std::fprintf(stderr, "decide: %lld draws x %zu arms x %lld replications...\n",
                 static_cast<long long>(settings.draws), plan.arms.size(),
                 static_cast<long long>(settings.reps_per_draw));
  if (o.out.empty()) return decide_in_memory(*ls, plan, o);
  return decide_into_store(*ls, plan, o, net);
}

}  // namespace

int print_decide(const LoadedScenario& ls, const DecidePlan& plan, const DecideSample& sample,
                 const nlohmann::json& result, const DecideOutputs& outputs) {
  if (!outputs.samples_out.empty())
    if (int rc = write_or_fail(outputs.samples_out, decide_samples_csv(sample, plan.settings)); rc)
      return rc;
  if (!outputs.report.empty())
    if (int rc = write_or_fail(outputs.report, decide_html(result, sample, ls.baseline().name)); rc)
      return rc;
  if (outputs.format == "json")
    std::cout << result.dump(2) << "\n";
  else if (outputs.format == "csv")
    std::cout << decide_csv(result);
  else
    std::cout << decide_table(result);
  return kExitOk;
}

int finish_decide(const LoadedScenario& ls, const DecidePlan& plan, ResultStore& store,
                  const std::string& out, const DecideOutputs& outputs,
                  const nlohmann::json& manifest) {
  DecideSample sample;
  std::string error;
  if (!decide_sample(ls, plan, store, sample, error))
    return fail(kExitBadInput, out + ": " + error);
  const nlohmann::json result = decide_json(sample, plan.settings);
  if (int rc = write_or_fail(out + "/decide.json", result.dump(2) + "\n"); rc) return rc;
  if (int rc = write_or_fail(out + "/samples.csv", decide_samples_csv(sample, plan.settings)); rc)
    return rc;
  if (int rc = write_manifest(out, manifest); rc) return rc;
  return print_decide(ls, plan, sample, result, outputs);
}

int report_decide(const std::string& dir, const std::string& out) {
  std::string error;
  bool damaged = false;
  const auto store = ResultStore::open(dir + "/results.sqlite", error, &damaged);
  if (!store) return fail(damaged ? kExitBadInput : kExitIo, "report: " + error);
  auto meta = store->meta();
  DecideSettings settings;
  if (!decide_settings_from_identity(meta, settings, error))
    return fail(kExitBadInput, "report: the results store in " + dir + " " + error);
  const auto done = static_cast<int64_t>(store->units().size());
  if (done < settings.draws || meta["shard"] != "1/1")
    return fail(
        kExitBadInput,
        "report: " + dir + " holds an unfinished decide, " + std::to_string(done) + " of " +
            std::to_string(settings.draws) + " draws" +
            (meta["shard"] != "1/1"
                 ? " (shard " + meta["shard"] + "): join the shards with `pkrisk merge`"
                 : ": continue it with `pkrisk decide SCENARIO --out " + dir + " --resume`"));
  Diagnostics diags(meta["scenario_file"]);
  const auto ls = load_stored_scenario(meta, diags, error);
  if (!ls) return fail(kExitBadInput, "report: the scenario stored in " + dir + " " + error);
  settings.threads = default_threads();
  DecidePlan plan;
  if (!plan_decide(*ls, settings, plan, diags)) {
    print_diagnostics(diags);
    return fail(kExitBadInput, "report: the decide stored in " + dir + " no longer plans");
  }
  DecideSample sample;
  if (!decide_sample(*ls, plan, *store, sample, error))
    return fail(kExitBadInput, "report: " + dir + ": " + error);
  return write_or_fail(out,
                       decide_html(decide_json(sample, settings), sample, ls->baseline().name));
}

Action add_decide(CLI::App& app) {
  auto o = std::make_shared<DecideOptions>();
  CLI::App* cmd =
      app.add_subcommand("decide",
                         "Probability each arm is best, and the value of information, under the "
                         "scenario's uncertain inputs");
  add_include_flag(cmd);
  cmd->add_option("FILE", o->file, "scenario file with an uncertainty: block")->required();
  cmd->add_option("--draws", o->draws, "draws of the uncertain inputs (default 1000)")
      ->check(whole_number(kMaxSweepPoints, 1));
  cmd->add_option("--reps-per-draw", o->reps, "replications of every arm at each draw (default 10)")
      ->check(whole_number(1000000, 1));
  cmd->add_option("--seed", o->seed,
                  "master seed of the draws and replications (default: the "
                  "scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("--wtp", o->wtp,
                  "value put on one death averted, USD (net benefit = "
                  "-wtp x deaths - cost)")
      ->check(CLI::Range(0.0, 1e12));
  cmd->add_option("--objective", o->objective,
                  "fatalities or net-benefit (default: net-benefit with --wtp, else fatalities)")
      ->check(CLI::IsMember({"fatalities", "net-benefit"}));
  cmd->add_option("--mission-years", o->mission_years,
                  "value of information for the mission: per-year values times this (default: "
                  "the horizon)")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--population", o->population,
                  "value of information for every mission (contingent, sector) the decision "
                  "applies to: the mission's value times this (default 1)")
      ->check(CLI::Range(1e-6, 1e9));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)")
      ->check(whole_number(1024));
  cmd->add_option("--samples-out", o->samples_out,
                  "write every draw's inputs and each arm's outcomes to this CSV");
  cmd->add_option("--report", o->report,
                  "write an HTML page: P(best), the cost-effectiveness plane, acceptability "
                  "curves, the EVPPI tornado");
  cmd->add_option("--format", o->format,
                  "table, json (everything) or csv (one row per arm; the value of information "
                  "is in json)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out", o->out,
                  "results directory (results.sqlite, decide.json, samples.csv, manifest.json): "
                  "every finished draw is kept, --resume continues, --shard splits; empty or "
                  "new, unless --resume or --force");
  cmd->add_option("--shard", o->shard,
                  "k/N: run only the k-th of N shares of the draws (needs --out; join with "
                  "pkrisk merge)");
  auto* resume = cmd->add_flag("--resume", o->resume, "continue a decide interrupted in --out");
  cmd->add_flag("--force", o->force,
                "let --out be a directory that is not empty: the previous results there are "
                "replaced")
      ->excludes(resume);
  cmd->add_flag("-q,--quiet", o->quiet, "no progress on stderr");
  return [o] {
    if (o->out.empty() && (o->resume || o->force || o->shard != "1/1"))
      return fail(kExitBadInput, "--resume, --force and --shard need --out DIR");
    return run_decide_command(*o);
  };
}

}  // namespace pk::cli
