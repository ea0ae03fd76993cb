// `pkrisk merge OUT DIR...`: joins the results of sweep or decide shards into
// one directory whose summary.json (decide.json) is byte-identical to an
// unsharded run's.
#include <unistd.h>

#include <functional>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/decide.hpp"
#include "experiment/sweep.hpp"
#include "report/output.hpp"
#include "util/csv.hpp"
#include "util/text.hpp"

namespace pk::cli {

namespace {

// What the shards hold, planned again from the stored scenario: the identity
// keys on which every shard must agree, the work units and points of the
// whole run, and how to finish it.
struct Merged {
  std::vector<std::string> keys;
  std::vector<WorkUnit> units;  // by id
  std::vector<SweepPoint> points;
  std::function<int(ResultStore&, const std::string&, const nlohmann::json&)> finish;
};

// Empty `error` and the plan; or what is damaged.
Merged plan_sweep_merge(const LoadedScenario& ls, std::map<std::string, std::string>& meta,
                        Diagnostics& diags, std::string& error) {
  Merged m;
  m.keys = {"scenario_sha256", "seed",  "design", "points",
            "replications",    "batch", "units",  "version"};
  SweepSettings settings;
  try {
    settings.seed = std::stoull(meta["seed"]);
    settings.replications = std::stoll(meta["replications"]);
    settings.batch = std::stoll(meta["batch"]);
  } catch (const std::logic_error&) {  // a store edited by hand
    return error = "is damaged (seed, replications or batch)", m;
  }
  if (meta.count("responses")) settings.extra_responses = csv_fields(meta["responses"]);
  auto plan = std::make_shared<SweepPlan>();
  if (!plan_sweep(ls, settings, *plan, diags)) return error = "no longer plans", m;
  for (int64_t u = 0; u < plan->units(); ++u) m.units.push_back(plan->execution(1).unit(u));
  m.points = plan->points;
  m.finish = [&ls, plan](ResultStore& store, const std::string& out, const nlohmann::json& mf) {
    return finish_sweep(ls, *plan, store, out, "table", true, mf);
  };
  return m;
}

Merged plan_decide_merge(const LoadedScenario& ls, std::map<std::string, std::string>& meta,
                         Diagnostics& diags, std::string& error) {
  Merged m;
  m.keys = {"scenario_sha256", "seed",    "draws",         "reps_per_draw", "units",
            "objective",       "wtp_usd", "mission_years", "population",    "version"};
  DecideSettings settings;
  if (!decide_settings_from_identity(meta, settings, error)) return m;
  settings.threads = default_threads();
  auto plan = std::make_shared<DecidePlan>();
  if (!plan_decide(ls, settings, *plan, diags)) return error = "no longer plans", m;
  m.units = Executor::units_of(plan->units(), plan->execution());
  m.points = plan->points;
  m.finish = [&ls, plan](ResultStore& store, const std::string& out, const nlohmann::json& mf) {
    return finish_decide(ls, *plan, store, out, DecideOutputs{}, mf);
  };
  return m;
}

}  // namespace

Action add_merge(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "merge", "Join the shards of a sweep or a decide (their --out directories) into OUT");
  auto out = std::make_shared<std::string>();
  add_include_flag(cmd);
  auto dirs = std::make_shared<std::vector<std::string>>();
  cmd->add_option("OUT", *out, "directory to write (empty or new, unless --force)")->required();
  cmd->add_option("DIR", *dirs, "shard result directories")->required();
  auto force = std::make_shared<bool>(false);
  cmd->add_flag("--force", *force,
                "let OUT be a directory that is not empty: the previous result there is replaced");
  return [out, dirs, force] {
    auto fail = [](const std::string& msg) {
      std::fprintf(stderr, "pkrisk merge: %s\n", printable(msg).c_str());
      return kExitBadInput;
    };
    std::vector<std::unique_ptr<ResultStore>> stores;
    std::vector<std::map<std::string, std::string>> metas;
    for (const auto& d : *dirs) {
      // A shard still being written would be merged half done.
      if (long pid = 0; results_dir_in_use(d, pid))
        return fail(d + " is in use by a running pkrisk (PID " + std::to_string(pid) +
                    "): wait for it to finish");
      const std::string path = d + "/results.sqlite";
      if (::access(path.c_str(), R_OK) != 0)
        return fail(d + ": no results.sqlite (not the --out directory of a sweep or decide)");
      std::string error;
      bool damaged = false;
      auto s = ResultStore::open(path, error, &damaged);
      if (!s) return damaged ? fail(error) : pk::cli::fail(kExitIo, "merge: " + error);
      metas.push_back(s->meta());
      if (metas.back().empty()) return fail(d + ": the results store is empty");
      if (metas.back()["command"] == "select")
        return fail(d +
                    " holds a select, which never runs in shards (each round needs the "
                    "last): nothing to merge; `pkrisk select --out " +
                    d + " --resume` continues it");
      stores.push_back(std::move(s));
    }
    Diagnostics diags(metas[0]["scenario_file"]);
    std::string error;
    auto loaded = load_stored_scenario(metas[0], diags, error);
    if (!loaded) return fail("the scenario stored in " + (*dirs)[0] + " " + error);
    // The adaptive twins the shards ran (docs/model.md §2.9): the same pilot, on the same seed.
    if (loaded->baseline().adversary) {
      try {
        add_adaptive_twins(*loaded, std::stoull(metas[0]["seed"]), default_threads(), true);
      } catch (const std::logic_error&) {
        return fail("the results store in " + (*dirs)[0] + " is damaged (seed)");
      }
    }
    const bool decide = metas[0]["command"] == "decide";
    Merged plan = decide ? plan_decide_merge(*loaded, metas[0], diags, error)
                         : plan_sweep_merge(*loaded, metas[0], diags, error);
    if (!error.empty()) return fail("the results store in " + (*dirs)[0] + " " + error);
    // Every identity key must agree (the shard share may differ); a sweep's
    // store has no command key.
    plan.keys.insert(plan.keys.begin(), "command");
    for (size_t i = 1; i < metas.size(); ++i)
      for (const std::string& k : plan.keys) {
        const std::string a = metas[0].count(k) ? metas[0].at(k) : "",
                          b = metas[i].count(k) ? metas[i].at(k) : "";
        if (a != b)
          return fail("the shards disagree on " + k + ": '" + a + "' in " + (*dirs)[0] + ", '" + b +
                      "' in " + (*dirs)[i]);
      }
    const auto n_units = static_cast<int64_t>(plan.units.size());

    std::map<int64_t, size_t> owner;
    for (size_t i = 0; i < stores.size(); ++i)
      for (int64_t u : stores[i]->units()) {
        if (u < 0 || u >= n_units)
          return fail((*dirs)[i] + " holds work unit " + std::to_string(u) + ", not one of the " +
                      std::to_string(n_units) + " of this run (a damaged store?)");
        auto [it, fresh] = owner.emplace(u, i);
        if (!fresh)
          return fail("work unit " + std::to_string(u) + " is in both " + (*dirs)[it->second] +
                      " and " + (*dirs)[i] + " (the same shard given twice?)");
      }
    std::string missing;
    int64_t n_missing = 0;
    for (int64_t u = 0; u < n_units; ++u)
      if (!owner.count(u)) {
        if (++n_missing <= 10) missing += (missing.empty() ? "" : ", ") + std::to_string(u);
      }
    if (n_missing)
      return fail(std::to_string(n_missing) + " of " + std::to_string(n_units) +
                  " work units are missing (" + missing + (n_missing > 10 ? ", ..." : "") +
                  "): a shard is absent or unfinished");

    if (int rc = prepare_output_dir(*out, {.force = *force}); rc) return rc;
    const std::string db_path = *out + "/results.sqlite";
    // From here on the inputs are known good: what fails is writing OUT.
    const auto io_fail = [&](const std::string& msg) {
      return pk::cli::fail(kExitIo, "merge: " + msg + " (check the free space and permissions of " +
                                        *out + ", or choose another OUT)");
    };
    auto merged = ResultStore::open(db_path, error);
    if (!merged) return io_fail(error);
    auto meta = metas[0];
    meta["shard"] = "1/1";
    if (std::string e = merged->set_meta(meta); !e.empty()) return io_fail(e);
    if (std::string e = merged->put_points(point_rows(plan.points)); !e.empty()) return io_fail(e);
    for (const auto& [u, i] : owner) {
      const WorkUnit& w = plan.units[static_cast<size_t>(u)];
      if (std::string e = merged->put_unit(u, static_cast<int64_t>(w.variant), w.first, w.count,
                                           stores[i]->unit_data(u));
          !e.empty())
        return io_fail(e);
    }
    const nlohmann::json manifest = {{"command", command_line()},
                                     {"status", "complete"},
                                     {"merged_from", *dirs},
                                     {"units", n_units}};
    return plan.finish(*merged, *out, manifest);
  };
}

}  // namespace pk::cli
