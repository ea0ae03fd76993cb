// One executor for every command: it runs scenario variants × arms ×
// replication batches ("work units") serially, on threads, across MPI ranks,
// as one shard of a CI split, and resumably from a results store, with
// results that never depend on how the work was spread (docs/model.md §4):
// every variant uses the streams of (seed, replication), the same as `run`.
//
// `run`, `sweep`, `calibrate` and run-until-precision (experiment/precision.hpp)
// are all a list of variants and a Plan. Adaptive callers (more replications of
// chosen variants in rounds) use extend().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "experiment/runner.hpp"
#include "experiment/store.hpp"
#include "experiment/transport.hpp"
#include "scenario/loader.hpp"

namespace pk {

// The loaded scenario with overrides applied (a sweep point, a calibration
// candidate, a parameter draw). No overrides: the loaded scenario itself.
struct Variant {
  std::string label;  // names the variant in errors
  std::vector<PointOverride> overrides;
  bool baseline_only = false;  // run only the baseline arm (the others would multiply the cost)
  // When not empty: the baseline and these arms only (adaptive rounds that
  // refine chosen (variant, arm) pairs). Each arm keeps its own results: the
  // streams are those of (seed, replication), whatever else runs beside it.
  std::vector<std::string> only_arms;
};

// The arms (baseline first) of `v`; nullopt with diagnostics when the
// overridden scenario does not validate.
std::optional<std::vector<Arm>> variant_arms(const LoadedScenario& ls, const Variant& v,
                                             Diagnostics& diags);

// Whether every variant builds (all its arms validate), checked on `threads`
// threads before anything runs: each variant's errors, named by its label,
// in variant order (the first 20 failing variants).
bool check_variants(const LoadedScenario& ls, const std::vector<Variant>& variants, int threads,
                    Diagnostics& diags);

// Replications [first, first + count) of every arm of one variant.
struct WorkUnit {
  int64_t id = 0;  // the unit's number: stored under it, sharded by it
  size_t variant = 0;
  int64_t first = 0;
  int64_t count = 0;
};

struct Plan {
  uint64_t seed = 1;            // the same for every variant: common random numbers
  int64_t replications = 1000;  // per variant and arm
  int64_t batch = 250;          // replications per work unit
  int threads = 1;              // per unit; results never depend on it
  // Many small variants of one unit each (a parameter draw of `decide`): run
  // them side by side, one per thread, rather than one after another with
  // their few replications split over the threads. In this process only
  // (without ranks); results are the same either way.
  bool side_by_side = false;
  // The id of extend()'s first unit: an adaptive caller that keeps every
  // round in one store numbers its rounds' units one after another.
  int64_t first_id = 0;
  int64_t units_per_variant() const { return (replications + batch - 1) / batch; }
  // Unit `id` = variant * units_per_variant() + batch index.
  WorkUnit unit(int64_t id) const;
};

// Receives the results, in this process (rank 0 under MPI), unit by unit in
// the order they finish.
class Sink {
 public:
  virtual ~Sink() = default;
  // A result that the units of `variant` run in this process go straight
  // into, block by block in replication order, exactly like one long run;
  // null (the default) to receive each unit's own result. Not used with a
  // store or across ranks, where each unit's result travels on its own.
  virtual RunResult* accumulator(size_t variant) {
    (void)variant;
    return nullptr;
  }
  // `result` is the unit's own result, or the accumulator it went into.
  virtual void accept(const WorkUnit& unit, const RunResult& result) = 0;
};

// Keeps one result per variant, each unit run straight into it: the result
// of a variant is then that of one long run of its replications.
class AccumulatingSink : public Sink {
 public:
  std::vector<RunResult> results;  // by variant
  RunResult* accumulator(size_t variant) override {
    if (results.size() <= variant) results.resize(variant + 1);
    return &results[variant];
  }
  void accept(const WorkUnit&, const RunResult&) override {}
};

struct ExecutionPolicy {
  int64_t shard_k = 1, shard_n = 1;         // this process runs the units with id % n == k - 1
  ResultStore* store = nullptr;             // skip the units stored there; store each one finished
  Transport* transport = nullptr;           // spread the units over MPI ranks; null: this process
  const std::atomic<bool>* stop = nullptr;  // stop after the unit in hand (or, with an
                                            // accumulator, after the blocks in hand)
  std::function<void(int64_t, int64_t)> progress;  // replications done in the unit, of count
  bool keep_rows = false;                          // every replication's metrics (RunConfig)
};

struct ExecutionReport {
  int64_t units = 0;       // units of this shard
  int64_t stored = 0;      // of those, already in the store before this run
  int64_t finished = 0;    // finished by this run, on every rank
  bool stopped = false;    // a stop request left units undone
  bool cancelled = false;  // rank 0 ran nothing (it met an error): other ranks return this
};

class Executor {
 public:
  Executor(const LoadedScenario& ls, ExecutionPolicy policy);

  // Every unit of `plan` over `variants`, less the stored ones and the other
  // shards' ones.
  ExecutionReport run(const std::vector<Variant>& variants, const Plan& plan, Sink& sink);

  // More replications [first, first + count) of chosen variants, split into
  // units of plan.batch; unit ids are positions in this list of batches, so
  // with a store (resume, shards) every run must pass the same list.
  struct Extension {
    size_t variant = 0;
    int64_t first = 0;
    int64_t count = 0;
  };
  ExecutionReport extend(const std::vector<Variant>& variants,
                         const std::vector<Extension>& extensions, const Plan& plan, Sink& sink);

  // What run() (or extend()) would find: the units of this shard and how
  // many are stored.
  ExecutionReport survey(const std::vector<Variant>& variants, const Plan& plan) const;
  ExecutionReport survey(const std::vector<Extension>& extensions, const Plan& plan) const;

  // The units of extend(), numbered as it numbers them.
  static std::vector<WorkUnit> units_of(const std::vector<Extension>& extensions, const Plan& plan);

 private:
  ExecutionReport execute(const std::vector<Variant>& variants, const std::vector<WorkUnit>& units,
                          const Plan& plan, Sink& sink);
  ExecutionReport survey_units(const std::vector<WorkUnit>& units) const;
  void run_side_by_side(const std::vector<Variant>& variants, const std::vector<WorkUnit>& units,
                        const std::vector<int64_t>& todo, const Plan& plan, Sink& sink,
                        ExecutionReport& report);
  bool mine(const WorkUnit& u) const;
  bool is_root() const;

  const LoadedScenario& ls_;
  ExecutionPolicy policy_;
};

// Replications [0, plan.replications) of every arm of each variant, each into
// one result (complete is false when policy.stop ended it early).
std::vector<RunResult> run_variants(const LoadedScenario& ls, const std::vector<Variant>& variants,
                                    const Plan& plan, const ExecutionPolicy& policy = {});

}  // namespace pk
