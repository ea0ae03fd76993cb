// `pkrisk sweep FILE --out DIR`: the scenario's sweep, unit by unit into a
// results store; --resume continues a killed sweep, --shard k/N takes a fixed
// share of the units (join shards with `pkrisk merge`).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "cluster.hpp"
#include "commands.hpp"
#include "experiment/sweep.hpp"
#include "report/output.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

struct SweepOptions {
  std::string file, out, shard;
  std::optional<int64_t> replications;
  std::optional<uint64_t> seed;
  int64_t batch = 250;
  int threads = 0;
  bool resume = false, quiet = false;
  std::string format = "table";
  std::vector<std::string> responses;
};

bool parse_shard(const std::string& s, int64_t& k, int64_t& n) {
  if (s.empty()) return k = 1, n = 1, true;
  const size_t slash = s.find('/');
  if (slash == std::string::npos) return false;
  try {
    k = std::stoll(s.substr(0, slash));
    n = std::stoll(s.substr(slash + 1));
  } catch (...) {
    return false;
  }
  return n >= 1 && k >= 1 && k <= n && n <= 100000;
}

}  // namespace

int write_manifest(const std::string& dir, const nlohmann::json& m) {
  if (std::string e = write_file_atomic(dir + "/manifest.json", m.dump(2) + "\n"); !e.empty()) {
    std::fprintf(stderr, "pkrisk: %s\n", e.c_str());
    return kExitInternal;
  }
  return kExitOk;
}

int finish_sweep(const LoadedScenario& ls, const SweepPlan& plan, ResultStore& store,
                 const std::string& out, const std::string& format, bool quiet) {
  nlohmann::json summary;
  std::string error;
  if (!sweep_summary(ls, plan, store, summary, error)) {
    std::fprintf(stderr, "pkrisk: %s\n", error.c_str());
    return kExitInternal;
  }
  if (std::string e = write_file_atomic(out + "/summary.json", summary.dump(2) + "\n");
      !e.empty()) {
    std::fprintf(stderr, "pkrisk: %s\n", e.c_str());
    return kExitInternal;
  }
  if (format == "json")
    std::cout << summary.dump(2) << "\n";
  else if (!quiet || format == "table")
    std::cout << sweep_table(summary);
  return kExitOk;
}

namespace {

// Runs a function at scope exit (used to release MPI ranks on any early return).
template <class F>
struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F>
ScopeExit(F) -> ScopeExit<F>;

// A non-zero MPI rank: plans like rank 0, computes its share of the units
// rank 0 sends, and sends each result back; rank 0 stores and summarises.
int sweep_worker(const SweepOptions& o, const SweepSettings& settings, const LoadedScenario& ls) {
  SweepPlan plan;
  Diagnostics quiet(o.file);
  if (!plan_sweep(ls, settings, plan, quiet))
    cluster_abort("a sweep point does not build on this rank");
  const std::vector<int64_t> units = cluster_broadcast_units({}, true);
  if (units.size() == 1 && units[0] == -1) return kExitBadInput;
  const int threads =
      o.threads > 0
          ? o.threads
          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / cluster().size);
  for (size_t i = 0; i < units.size(); ++i)
    if (static_cast<int>(i % static_cast<size_t>(cluster().size)) == cluster().rank)
      cluster_send_result(units[i], run_unit(ls, plan, units[i], threads).dump());
  return kExitOk;
}

}  // namespace

Action add_sweep(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("sweep", "Run the scenario's parameter sweep into a results directory");
  auto o = std::make_shared<SweepOptions>();
  cmd->add_option("FILE", o->file, "scenario file with a sweep: block")->required();
  cmd->add_option("--out", o->out,
                  "results directory (results.sqlite, summary.json, manifest.json)")
      ->required();
  cmd->add_option("-n,--replications", o->replications,
                  "replications per point and arm (default: the sweep's)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000000}));
  cmd->add_option("--seed", o->seed, "master seed (default: the scenario's)");
  cmd->add_option("--batch", o->batch, "replications per work unit (default 250)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--shard", o->shard, "k/N: run only the k-th of N shares of the work units");
  cmd->add_option("--response", o->responses,
                  "a metric (any of `run --format csv`) whose sensitivity to add to the summary; "
                  "repeatable");
  cmd->add_flag("--resume", o->resume, "continue a sweep interrupted or killed in --out");
  cmd->add_flag("-q,--quiet", o->quiet, "no progress on stderr");
  cmd->add_option("--format", o->format, "table or json (the summary on stdout)")
      ->check(CLI::IsMember({"table", "json"}));
  return [o] {
    int64_t shard_k = 1, shard_n = 1;
    if (!parse_shard(o->shard, shard_k, shard_n)) {
      std::fprintf(stderr, "pkrisk: --shard must be k/N with 1 <= k <= N, got '%s'\n",
                   o->shard.c_str());
      return kExitBadInput;
    }
    const bool mpi = cluster().size > 1;
    bool released = !mpi;  // whether the other ranks have been told what to do
    ScopeExit release{[&] {
      if (!released) cluster_broadcast_units({}, false);
    }};
    std::optional<LoadedScenario> loaded;
    if (cluster().rank == 0) {
      loaded = load_or_report(o->file);
    } else {
      Diagnostics quiet(o->file);
      loaded = load_scenario(o->file, quiet);
      if (!loaded) cluster_abort("the scenario does not load on this rank");
    }
    if (!loaded) return kExitBadInput;
    if (!loaded->sweep) {
      std::fprintf(stderr, "%s: error: sweep: the scenario has no sweep block\n", o->file.c_str());
      return kExitBadInput;
    }
    SweepSettings settings;
    settings.replications = o->replications.value_or(
        loaded->sweep->replications.value_or(loaded->baseline().replications));
    settings.seed = o->seed.value_or(loaded->baseline().seed);
    settings.batch = std::min(o->batch, settings.replications);
    settings.extra_responses = o->responses;
    if (cluster().rank != 0) {
      released = true;
      return sweep_worker(*o, settings, *loaded);
    }
    SweepPlan plan;
    Diagnostics diags(o->file);
    const bool planned = plan_sweep(*loaded, settings, plan, diags);
    for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
    if (!planned) return kExitBadInput;

    if (std::string e = real_file_system().make_dirs(o->out); !e.empty()) {
      std::fprintf(stderr, "pkrisk: cannot create the output directory %s\n", e.c_str());
      return kExitInternal;
    }
    std::string error;
    const std::string db_path = o->out + "/results.sqlite";
    const bool existed = ::access(db_path.c_str(), F_OK) == 0;
    auto store = ResultStore::open(db_path, error);
    if (!store) {
      std::fprintf(stderr, "pkrisk: %s\n", error.c_str());
      return kExitInternal;
    }
    auto identity = plan_identity(*loaded, plan);
    identity["shard"] = std::to_string(shard_k) + "/" + std::to_string(shard_n);
    const auto meta = store->meta();
    if (existed && !meta.empty()) {
      if (!o->resume) {
        std::fprintf(stderr,
                     "pkrisk: %s already holds sweep results: add --resume to continue, or choose "
                     "another --out\n",
                     o->out.c_str());
        return kExitBadInput;
      }
      for (const auto& [k, v] : identity) {
        auto it = meta.find(k);
        if (it == meta.end() || it->second != v) {
          std::fprintf(stderr, "pkrisk: cannot resume: %s of %s is '%s', this run's is '%s'\n",
                       k.c_str(), o->out.c_str(), it == meta.end() ? "" : it->second.c_str(),
                       v.c_str());
          return kExitBadInput;
        }
      }
    }
    {
      std::ifstream f(o->file, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      auto kv = identity;
      kv["scenario_text"] = ss.str();
      kv["scenario_file"] = o->file;
      if (std::string e = store->set_meta(kv); !e.empty()) {
        std::fprintf(stderr, "pkrisk: results store: %s\n", e.c_str());
        return kExitInternal;
      }
      std::vector<std::pair<int64_t, std::string>> pts;
      for (const auto& pt : plan.points) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto& ov : pt.overrides) j[ov.path] = ov.value.scalar;
        pts.emplace_back(pt.index, j.dump());
      }
      if (std::string e = store->put_points(pts); !e.empty()) {
        std::fprintf(stderr, "pkrisk: results store: %s\n", e.c_str());
        return kExitInternal;
      }
    }

    const std::vector<int64_t> stored = store->units();
    const std::set<int64_t> done(stored.begin(), stored.end());
    std::vector<int64_t> todo;
    int64_t mine = 0;
    for (int64_t u = 0; u < plan.units(); ++u) {
      if (u % shard_n != shard_k - 1) continue;
      ++mine;
      if (!done.count(u)) todo.push_back(u);
    }
    nlohmann::json manifest = {{"command", command_line()},
                               {"started", utc_now()},
                               {"host",
                                [] {
                                  char h[256] = {0};
                                  gethostname(h, sizeof h - 1);
                                  return std::string(h);
                                }()},
                               {"status", "running"},
                               {"shard", identity["shard"]},
                               {"units", mine},
                               {"units_done", mine - static_cast<int64_t>(todo.size())}};
    for (const auto& [k, v] : identity) manifest["identity"][k] = v;
    if (int rc = write_manifest(o->out, manifest); rc) return rc;

    const int threads =
        o->threads > 0
            ? o->threads
            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / cluster().size);
    manifest["ranks"] = cluster().size;
    // Under MPI, rank 0 hands every rank the same list; rank r computes the
    // units at positions r, r + size, ... and rank 0 stores them all.
    if (mpi) {
      todo = cluster_broadcast_units(todo, true);
      released = true;
    }
    auto store_result = [&](int64_t u, const std::string& data) {
      return store->put_unit(u, plan.point_of(u), plan.first_of(u), plan.count_of(u), data);
    };
    int64_t remote_expected = 0, remote_received = 0;  // units other ranks compute
    if (mpi)
      for (size_t i = 0; i < todo.size(); ++i)
        if (static_cast<int>(i % static_cast<size_t>(cluster().size)) != 0) ++remote_expected;
    catch_interrupts();
    const auto start = std::chrono::steady_clock::now();
    int64_t finished = 0;
    for (size_t i = 0; i < todo.size(); ++i) {
      const int64_t u = todo[i];
      if (mpi && static_cast<int>(i % static_cast<size_t>(cluster().size)) != 0) continue;
      if (stop_requested().load()) break;  // the batch in hand was finished and stored
      const nlohmann::json r = run_unit(*loaded, plan, u, threads);
      if (std::string e = store_result(u, r.dump()); !e.empty()) {
        std::fprintf(stderr, "pkrisk: results store: %s\n", e.c_str());
        return kExitInternal;
      }
      ++finished;
      int64_t ru = 0;
      std::string rdata;
      while (remote_received < remote_expected && cluster_receive_result(false, ru, rdata)) {
        if (std::string e = store_result(ru, rdata); !e.empty()) {
          std::fprintf(stderr, "pkrisk: results store: %s\n", e.c_str());
          return kExitInternal;
        }
        ++remote_received, ++finished;
      }
      if (!o->quiet) {
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(
            stderr, "pkrisk: unit %lld/%lld done (%.1fs, ETA %.1fs)\n",
            static_cast<long long>(mine - static_cast<int64_t>(todo.size()) + finished),
            static_cast<long long>(mine), secs,
            secs / finished * static_cast<double>(static_cast<int64_t>(todo.size()) - finished));
      }
    }
    while (remote_received < remote_expected) {
      int64_t ru = 0;
      std::string rdata;
      cluster_receive_result(true, ru, rdata);
      if (std::string e = store_result(ru, rdata); !e.empty()) {
        std::fprintf(stderr, "pkrisk: results store: %s\n", e.c_str());
        return kExitInternal;
      }
      ++remote_received, ++finished;
    }
    release_interrupts();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    manifest["finished"] = utc_now();
    manifest["seconds"] = secs;
    manifest["units_done"] = mine - static_cast<int64_t>(todo.size()) + finished;
    if (stop_requested().load() && finished < static_cast<int64_t>(todo.size())) {
      manifest["status"] = "interrupted";
      write_manifest(o->out, manifest);
      std::fprintf(stderr, "pkrisk: interrupted after %lld of %lld units; continue with --resume\n",
                   static_cast<long long>(manifest["units_done"].get<int64_t>()),
                   static_cast<long long>(mine));
      return interrupted_exit_code();
    }
    manifest["status"] = "complete";
    if (int rc = write_manifest(o->out, manifest); rc) return rc;
    if (shard_n > 1) {
      if (!o->quiet)
        std::fprintf(stderr,
                     "pkrisk: shard %s complete (%lld units); join the shards with pkrisk merge\n",
                     identity["shard"].c_str(), static_cast<long long>(mine));
      return kExitOk;
    }
    return finish_sweep(*loaded, plan, *store, o->out, o->format, o->quiet);
  };
}

}  // namespace pk::cli
