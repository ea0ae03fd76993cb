// `pkrisk merge OUT DIR...`: joins the results of sweep shards into one
// directory whose summary.json is byte-identical to an unsharded sweep's.
#include <unistd.h>

#include <iostream>
#include <map>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/sweep.hpp"
#include "report/output.hpp"
#include "util/csv.hpp"
#include "util/text.hpp"

namespace pk::cli {

Action add_merge(CLI::App& app) {
  auto* cmd = app.add_subcommand("merge", "Join sweep shards (their --out directories) into OUT");
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
        return fail(d + ": no results.sqlite (not a sweep result directory)");
      std::string error;
      bool damaged = false;
      auto s = ResultStore::open(path, error, &damaged);
      if (!s) return damaged ? fail(error) : pk::cli::fail(kExitIo, "merge: " + error);
      metas.push_back(s->meta());
      if (metas.back().empty()) return fail(d + ": the results store is empty");
      stores.push_back(std::move(s));
    }
    // Every identity key must agree (the shard share may differ).
    for (size_t i = 1; i < metas.size(); ++i)
      for (const char* k : {"scenario_sha256", "seed", "design", "points", "replications", "batch",
                            "units", "version"}) {
        const std::string a = metas[0].count(k) ? metas[0].at(k) : "",
                          b = metas[i].count(k) ? metas[i].at(k) : "";
        if (a != b)
          return fail("the shards disagree on " + std::string(k) + ": '" + a + "' in " +
                      (*dirs)[0] + ", '" + b + "' in " + (*dirs)[i]);
      }
    Diagnostics diags(metas[0]["scenario_file"]);
    auto loaded = load_scenario_text(metas[0]["scenario_text"], diags, include_policy());
    if (!loaded) {
      for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
      return fail("the scenario stored in " + (*dirs)[0] + " no longer loads");
    }
    loaded->file = metas[0]["scenario_file"];
    if (loaded->sha256 != metas[0]["scenario_sha256"])
      return fail("the stored scenario does not match its hash");
    SweepSettings settings;
    try {
      settings.seed = std::stoull(metas[0]["seed"]);
      settings.replications = std::stoll(metas[0]["replications"]);
      settings.batch = std::stoll(metas[0]["batch"]);
    } catch (const std::logic_error&) {  // a store edited by hand
      return fail("the results store in " + (*dirs)[0] +
                  " is damaged (seed, replications or batch)");
    }
    if (metas[0].count("responses")) settings.extra_responses = csv_fields(metas[0]["responses"]);
    SweepPlan plan;
    if (!plan_sweep(*loaded, settings, plan, diags))
      return fail("the stored sweep no longer plans");

    std::map<int64_t, size_t> owner;
    for (size_t i = 0; i < stores.size(); ++i)
      for (int64_t u : stores[i]->units()) {
        auto [it, fresh] = owner.emplace(u, i);
        if (!fresh)
          return fail("work unit " + std::to_string(u) + " is in both " + (*dirs)[it->second] +
                      " and " + (*dirs)[i] + " (the same shard given twice?)");
      }
    std::string missing;
    int64_t n_missing = 0;
    for (int64_t u = 0; u < plan.units(); ++u)
      if (!owner.count(u)) {
        if (++n_missing <= 10) missing += (missing.empty() ? "" : ", ") + std::to_string(u);
      }
    if (n_missing)
      return fail(std::to_string(n_missing) + " of " + std::to_string(plan.units()) +
                  " work units are missing (" + missing + (n_missing > 10 ? ", ..." : "") +
                  "): a shard is absent or unfinished");

    if (int rc = prepare_output_dir(*out, {.force = *force}); rc) return rc;
    const std::string db_path = *out + "/results.sqlite";
    // From here on the inputs are known good: what fails is writing OUT.
    const auto io_fail = [&](const std::string& msg) {
      return pk::cli::fail(kExitIo, "merge: " + msg + " (check the free space and permissions of " +
                                        *out + ", or choose another OUT)");
    };
    std::string error;
    auto merged = ResultStore::open(db_path, error);
    if (!merged) return io_fail(error);
    auto meta = metas[0];
    meta["shard"] = "1/1";
    if (std::string e = merged->set_meta(meta); !e.empty()) return io_fail(e);
    std::vector<std::pair<int64_t, std::string>> pts;
    for (const auto& pt : plan.points) {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& ov : pt.overrides) j[ov.path] = ov.value.scalar;
      pts.emplace_back(pt.index, j.dump());
    }
    if (std::string e = merged->put_points(pts); !e.empty()) return io_fail(e);
    for (const auto& [u, i] : owner)
      if (std::string e = merged->put_unit(u, plan.point_of(u), plan.first_of(u), plan.count_of(u),
                                           stores[i]->unit_data(u));
          !e.empty())
        return io_fail(e);
    const nlohmann::json manifest = {{"command", command_line()},
                                     {"status", "complete"},
                                     {"merged_from", *dirs},
                                     {"units", plan.units()}};
    return finish_sweep(*loaded, plan, *merged, *out, "table", true, manifest);
  };
}

}  // namespace pk::cli
