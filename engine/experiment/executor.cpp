#include "experiment/executor.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "experiment/adversary.hpp"
#include "experiment/serialize.hpp"

namespace pk {

namespace {

// The arms of the variant being run, rebuilt only when the variant changes
// (consecutive units mostly share one), so memory stays flat in the number
// of variants.
class VariantCache {
 public:
  explicit VariantCache(const LoadedScenario& ls) : ls_(ls) {}

  // A LoadedScenario that runs variant `index` (the runner reads only arms).
  const LoadedScenario& get(const std::vector<Variant>& variants, size_t index) {
    if (index == current_) return scenario_;
    Diagnostics ignored(ls_.file);
    auto arms = variant_arms(ls_, variants[index], ignored);
    if (!arms) throw std::logic_error("variant " + variants[index].label + " no longer builds");
    scenario_.file = ls_.file;
    scenario_.sha256 = ls_.sha256;
    scenario_.arms = std::move(*arms);
    current_ = index;
    return scenario_;
  }

 private:
  const LoadedScenario& ls_;
  LoadedScenario scenario_;
  size_t current_ = static_cast<size_t>(-1);
};

RunConfig unit_config(const Plan& plan, const ExecutionPolicy& policy) {
  RunConfig cfg;
  cfg.seed = plan.seed;  // never the variant: common random numbers across variants
  cfg.threads = std::max(1, plan.threads);
  cfg.progress = policy.progress;
  cfg.keep_rows = policy.keep_rows;
  return cfg;
}

}  // namespace

std::optional<std::vector<Arm>> variant_arms(const LoadedScenario& ls, const Variant& v,
                                             Diagnostics& diags) {
  std::optional<std::vector<Arm>> arms;
  if (v.overrides.empty())
    arms = ls.arms;
  else
    arms = build_point(ls, v.overrides, diags, v.label.empty() ? "" : v.label + ": ");
  // A variant of its own answers the adversary's measures with its own block
  // (docs/model.md §2.9); the file's own variant has its twins in ls.arms.
  if (arms && !v.overrides.empty())
    for (Arm& twin : adaptive_twins(ls, *arms)) arms->push_back(std::move(twin));
  if (arms && v.baseline_only) arms->resize(1);
  if (arms && !v.only_arms.empty()) {
    if (const std::string missing = keep_arms(*arms, v.only_arms, ArmOrder::kNames);
        !missing.empty()) {
      diags.error({}, "arms", v.label + ": no arm named '" + missing + "'");
      return std::nullopt;
    }
  }
  return arms;
}

bool check_variants(const LoadedScenario& ls, const std::vector<Variant>& variants, int threads,
                    Diagnostics& diags) {
  constexpr size_t kMaxReported = 20;
  std::vector<Diagnostics> found(variants.size(), Diagnostics(diags.file()));
  std::atomic<size_t> next{0}, failed{0};
  const auto check = [&] {
    for (size_t i; (i = next++) < variants.size() && failed < kMaxReported;)
      if (!variant_arms(ls, variants[i], found[i])) ++failed;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(check);
  check();
  for (std::thread& t : pool) t.join();
  size_t reported = 0;
  for (const Diagnostics& d : found) {
    if (!d.has_errors()) continue;
    if (reported++ == kMaxReported) {
      diags.error({}, "", "too many variants do not build; stopped checking");
      break;
    }
    diags.append(d);
  }
  return !diags.has_errors();
}

WorkUnit Plan::unit(int64_t id) const {
  const int64_t per = units_per_variant();
  WorkUnit u;
  u.id = id;
  u.variant = static_cast<size_t>(id / per);
  u.first = (id % per) * batch;
  u.count = std::min(batch, replications - u.first);
  return u;
}

Executor::Executor(const LoadedScenario& ls, ExecutionPolicy policy)
    : ls_(ls), policy_(std::move(policy)) {}

bool Executor::is_root() const {
  return !policy_.transport || policy_.transport->rank() == 0;
}

bool Executor::mine(const WorkUnit& u) const {
  return u.id % policy_.shard_n == policy_.shard_k - 1;
}

ExecutionReport Executor::survey_units(const std::vector<WorkUnit>& units) const {
  ExecutionReport report;
  std::set<int64_t> stored;
  if (policy_.store)
    for (int64_t id : policy_.store->units()) stored.insert(id);
  for (const WorkUnit& u : units) {
    if (!mine(u)) continue;
    ++report.units;
    report.stored += stored.count(u.id);
  }
  return report;
}

ExecutionReport Executor::survey(const std::vector<Variant>& variants, const Plan& plan) const {
  std::vector<WorkUnit> units;
  const int64_t total = plan.units_per_variant() * static_cast<int64_t>(variants.size());
  for (int64_t id = 0; id < total; ++id) units.push_back(plan.unit(id));
  return survey_units(units);
}

ExecutionReport Executor::survey(const std::vector<Extension>& extensions, const Plan& plan) const {
  return survey_units(units_of(extensions, plan));
}

ExecutionReport Executor::run(const std::vector<Variant>& variants, const Plan& plan, Sink& sink) {
  std::vector<WorkUnit> units;
  const int64_t total = plan.units_per_variant() * static_cast<int64_t>(variants.size());
  for (int64_t id = 0; id < total; ++id) units.push_back(plan.unit(id));
  return execute(variants, units, plan, sink);
}

std::vector<WorkUnit> Executor::units_of(const std::vector<Extension>& extensions,
                                         const Plan& plan) {
  std::vector<WorkUnit> units;
  for (const Extension& e : extensions)
    for (int64_t first = e.first; first < e.first + e.count; first += plan.batch)
      units.push_back({plan.first_id + static_cast<int64_t>(units.size()), e.variant, first,
                       std::min(plan.batch, e.first + e.count - first)});
  return units;
}

ExecutionReport Executor::extend(const std::vector<Variant>& variants,
                                 const std::vector<Extension>& extensions, const Plan& plan,
                                 Sink& sink) {
  return execute(variants, units_of(extensions, plan), plan, sink);
}

ExecutionReport Executor::execute(const std::vector<Variant>& variants,
                                  const std::vector<WorkUnit>& units, const Plan& plan,
                                  Sink& sink) {
  Transport* const net = policy_.transport;
  const int rank = net ? net->rank() : 0, ranks = net ? net->size() : 1;
  ExecutionReport report;
  // Rank 0 decides what runs: this shard's units that are not stored yet.
  std::vector<int64_t> todo;  // positions in `units`
  if (is_root()) {
    std::set<int64_t> stored;
    if (policy_.store)
      for (int64_t id : policy_.store->units()) stored.insert(id);
    for (size_t i = 0; i < units.size(); ++i) {
      if (!mine(units[i])) continue;
      ++report.units;
      if (stored.count(units[i].id))
        ++report.stored;
      else
        todo.push_back(static_cast<int64_t>(i));
    }
  }
  // Under MPI every rank gets the same list; rank r computes the positions
  // r, r + size, ... and rank 0 receives and stores them all.
  if (net) {
    auto shared = net->share_units(is_root() ? std::optional(todo) : std::nullopt);
    if (!shared) return report.cancelled = true, report;
    todo = std::move(*shared);
  }
  const bool alone = !net && !policy_.store;
  if (!net && plan.side_by_side && plan.threads > 1 && plan.units_per_variant() == 1) {
    run_side_by_side(variants, units, todo, plan, sink, report);
    return report;
  }
  VariantCache cache(ls_);
  const RunConfig base = unit_config(plan, policy_);
  int64_t remote_expected = 0;
  for (size_t i = 0; i < todo.size(); ++i) remote_expected += static_cast<int>(i % ranks) != 0;

  // Rank 0's handling of a finished unit: store it, then give it to the sink.
  auto deliver = [&](const WorkUnit& u, const RunResult& r, const std::string& data) {
    if (policy_.store)
      if (std::string e = policy_.store->put_unit(u.id, static_cast<int64_t>(u.variant), u.first,
                                                  u.count, data);
          !e.empty())
        throw std::runtime_error("results store: " + e);
    ++report.finished;
    sink.accept(u, r);
  };
  auto receive = [&](bool wait) {
    int64_t pos = 0;
    std::string data;
    if (!net->receive_result(wait, pos, data)) return false;
    RunResult r;
    if (!result_from_json(nlohmann::json::parse(data), r))
      throw std::runtime_error("a rank sent a result that does not parse");
    --remote_expected;
    deliver(units[static_cast<size_t>(pos)], r, data);
    return true;
  };

  try {
    for (size_t i = 0; i < todo.size(); ++i) {
      if (static_cast<int>(i % ranks) != rank) continue;
      if (is_root() && policy_.stop && policy_.stop->load()) {
        report.stopped = true;  // the unit in hand was finished and stored
        break;
      }
      const WorkUnit& u = units[static_cast<size_t>(todo[i])];
      const LoadedScenario& scenario = cache.get(variants, u.variant);
      RunResult* acc = alone ? sink.accumulator(u.variant) : nullptr;
      RunConfig cfg = base;
      if (acc) {
        cfg.stop = policy_.stop;  // a partial accumulator is still exact
        run_replications(scenario, cfg, u.first, u.count, *acc);
        if (!acc->complete) {
          report.stopped = true;
          break;
        }
        ++report.finished;
        sink.accept(u, *acc);
        continue;
      }
      RunResult r;
      // Without ranks a stop request may also end the unit in hand (a long
      // replication); the partial unit is dropped, never stored, and a
      // resume runs it again. Ranks finish their unit: the root waits for it.
      if (!net) cfg.stop = policy_.stop;
      run_replications(scenario, cfg, u.first, u.count, r);
      if (!r.complete) {
        report.stopped = true;
        break;
      }
      if (!is_root()) {
        net->send_result(todo[i], result_to_json(r).dump());
        continue;
      }
      deliver(u, r, policy_.store ? result_to_json(r).dump() : std::string());
      while (net && remote_expected > 0 && receive(false)) {
      }
    }
    if (is_root())
      while (net && remote_expected > 0) receive(true);
  } catch (const std::exception& e) {
    // One rank's failure must not leave the others waiting for it.
    if (net) net->abort(std::string("internal error: ") + e.what());
    throw;
  }
  return report;
}

void Executor::run_side_by_side(const std::vector<Variant>& variants,
                                const std::vector<WorkUnit>& units,
                                const std::vector<int64_t>& todo, const Plan& plan, Sink& sink,
                                ExecutionReport& report) {
  // Every accumulator is taken before the threads start: a sink may grow its
  // storage when asked, which must not happen under another thread's pointer.
  // With a store each unit's own result is stored: no accumulators.
  std::vector<RunResult*> acc(todo.size());
  if (!policy_.store)
    for (size_t i = 0; i < todo.size(); ++i)
      acc[i] = sink.accumulator(units[static_cast<size_t>(todo[i])].variant);
  std::atomic<size_t> next{0};
  std::atomic<bool> stopped{false};
  std::mutex delivering;
  std::exception_ptr failure;
  const auto worker = [&] {
    VariantCache cache(ls_);
    RunConfig cfg = unit_config(plan, policy_);
    cfg.threads = 1;
    cfg.stop = policy_.stop;
    try {
      for (size_t i; (i = next++) < todo.size();) {
        if (policy_.stop && policy_.stop->load()) return void(stopped = true);
        const WorkUnit& u = units[static_cast<size_t>(todo[i])];
        RunResult own;
        RunResult& r = acc[i] ? *acc[i] : own;
        run_replications(cache.get(variants, u.variant), cfg, u.first, u.count, r);
        if (!r.complete) return void(stopped = true);
        const std::string data = policy_.store ? result_to_json(r).dump() : std::string();
        const std::lock_guard<std::mutex> lock(delivering);
        if (policy_.store)
          if (std::string e = policy_.store->put_unit(u.id, static_cast<int64_t>(u.variant),
                                                      u.first, u.count, data);
              !e.empty())
            throw std::runtime_error("results store: " + e);
        ++report.finished;
        sink.accept(u, r);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(delivering);
      if (!failure) failure = std::current_exception();
      next = todo.size();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < plan.threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  report.stopped = stopped;
}

std::vector<RunResult> run_variants(const LoadedScenario& ls, const std::vector<Variant>& variants,
                                    const Plan& plan, const ExecutionPolicy& policy) {
  Executor executor(ls, policy);
  AccumulatingSink sink;
  sink.results.resize(variants.size());
  executor.run(variants, plan, sink);
  for (size_t v = 0; v < variants.size(); ++v) {
    RunResult& r = sink.results[v];
    if (!r.arms.empty()) continue;
    // Stopped before it began: no replications of the variant's arms.
    Diagnostics ignored(ls.file);
    if (auto arms = variant_arms(ls, variants[v], ignored)) r = empty_result(*arms, plan.seed);
    r.complete = false;
  }
  return std::move(sink.results);
}

}  // namespace pk
