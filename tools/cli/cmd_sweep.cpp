// `pkrisk sweep FILE --out DIR`: the scenario's sweep, unit by unit into a
// results store through the executor; --resume continues a killed sweep,
// --shard k/N takes a fixed share of the units (join shards with `pkrisk
// merge`), and under mpirun the ranks share the units.
#include <cstdio>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/inert_edges.hpp"
#include "experiment/sweep.hpp"
#include "report/output.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

struct SweepOptions {
  std::string file, out, shard = "1/1";
  std::optional<int64_t> replications;
  std::optional<uint64_t> seed;
  int64_t batch = 250;
  int threads = 0;
  bool resume = false, force = false, quiet = false;
  std::string format = "table";
  std::vector<std::string> responses;
};

int run_sweep(const SweepOptions& o) {
  int64_t shard_k = 1, shard_n = 1;
  if (!parse_shard(o.shard, shard_k, shard_n))
    return fail(kExitBadInput, "--shard must be k/N with 1 <= k <= N, got '" + o.shard + "'");
  Transport* const net = transport();
  const bool root = !net || net->rank() == 0;
  ReleaseRanks release(net);  // an early return on rank 0 must not leave the others waiting
  std::optional<LoadedScenario> ls = load_on_every_rank(o.file);
  if (!ls) return kExitBadInput;
  if (!ls->sweep) {
    std::fprintf(stderr, "%s: error: sweep: the scenario has no sweep block\n", o.file.c_str());
    return kExitBadInput;
  }
  SweepSettings settings;
  settings.replications =
      o.replications.value_or(ls->sweep->replications.value_or(ls->baseline().replications));
  settings.seed = o.seed.value_or(ls->baseline().seed);
  add_adaptive_twins(*ls, settings.seed,
                     o.threads > 0 ? o.threads : default_threads(net ? net->size() : 1), o.quiet);
  settings.batch = std::min(o.batch, settings.replications);
  settings.extra_responses = o.responses;
  SweepPlan plan;
  Diagnostics diags(o.file);
  const bool planned = plan_sweep(*ls, settings, plan, diags);
  if (root) print_diagnostics(diags);
  if (!planned) return kExitBadInput;

  ExecutionPolicy policy = stored_policy(shard_k, shard_n, net);
  const int ranks = net ? net->size() : 1;
  const int threads = o.threads > 0 ? o.threads : default_threads(ranks);
  const std::string shard = std::to_string(shard_k) + "/" + std::to_string(shard_n);
  std::unique_ptr<ResultStore> store;
  if (root) {
    if (int rc = open_results_dir(
            o.out, o.force, o.resume,
            [&](std::string& error, bool& bad_input) {
              return open_sweep_store(*ls, plan, o.out, shard, o.resume, error, bad_input);
            },
            store))
      return rc;
    policy.store = store.get();
  }
  Executor executor(*ls, policy);
  const std::vector<Variant> variants = plan.variants();
  const ExecutionReport survey = executor.survey(variants, plan.execution(threads));
  nlohmann::json manifest = {{"shard", shard}};
  if (root) {
    const nlohmann::json edges = inert_edges(*ls->sweep, plan);
    std::fputs(inert_edges_warning(edges, plan.points.size()).c_str(), stderr);  // once per sweep
    if (!edges.empty()) manifest["inert_edges"] = edges;
    for (const auto& [k, v] : plan_identity(*ls, plan)) manifest["identity"][k] = v;
    manifest["identity"]["shard"] = shard;
  }
  const StoredRun run{.out = o.out, .shard_n = shard_n, .net = net, .quiet = o.quiet};
  if (auto rc = run_stored(run, manifest, survey, [&](Sink& sink) {
        return executor.run(variants, plan.execution(threads), sink);
      }))
    return *rc;
  return finish_sweep(*ls, plan, *store, o.out, o.format, o.quiet, manifest);
}

}  // namespace

Action add_sweep(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("sweep", "Run the scenario's parameter sweep into a results directory");
  auto o = std::make_shared<SweepOptions>();
  add_include_flag(cmd);
  cmd->add_option("FILE", o->file, "scenario file with a sweep: block")->required();
  cmd->add_option("--out", o->out,
                  "results directory (results.sqlite, summary.json, manifest.json); empty or new, "
                  "unless --resume or --force")
      ->required();
  cmd->add_option("-n,--replications", o->replications,
                  "replications per point and arm (default: the sweep's)")
      ->check(whole_number(1000000000, 1));
  cmd->add_option("--seed", o->seed, "master seed (default: the scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("--batch", o->batch, "replications per work unit (default 250)")
      ->check(whole_number(100000000, 1));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)")
      ->check(whole_number(1024));
  cmd->add_option("--shard", o->shard, "k/N: run only the k-th of N shares of the work units");
  cmd->add_option("--response", o->responses,
                  "a metric (any of `run --format csv`) whose sensitivity to add to the summary; "
                  "repeatable");
  auto* resume =
      cmd->add_flag("--resume", o->resume, "continue a sweep interrupted or killed in --out");
  cmd->add_flag("--force", o->force,
                "let --out be a directory that is not empty: the previous results there are "
                "replaced, the sweep starts afresh")
      ->excludes(resume);
  cmd->add_flag("-q,--quiet", o->quiet, "no progress on stderr");
  cmd->add_option("--format", o->format, "table or json (the summary on stdout)")
      ->check(CLI::IsMember({"table", "json"}));
  return [o] { return run_sweep(*o); };
}

}  // namespace pk::cli
