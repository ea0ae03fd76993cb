// The executor: whatever the thread count, shard split, interruption and
// resume, or the way replications are batched, the results are the same bits
// as one run; exceptions on worker threads reach the caller.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <stdexcept>

#include "experiment/executor.hpp"
#include "experiment/precision.hpp"
#include "experiment/serialize.hpp"
#include "experiment/sweep.hpp"
#include "stats/summary.hpp"

namespace pk {
namespace {

const std::string kSweep = std::string(PK_SOURCE_DIR) + "/tests/data/run/sweep.yaml";

LoadedScenario load(const std::string& file) {
  Diagnostics d(file);
  auto ls = load_scenario(file, d);
  if (!ls) throw std::runtime_error("cannot load " + file);
  return std::move(*ls);
}

// The sweep's six points as variants.
std::vector<Variant> points(const LoadedScenario& ls, SweepPlan& plan) {
  Diagnostics d(ls.file);
  SweepSettings s;
  s.replications = 60;
  s.batch = 25;  // 3 units per point, the last one short
  s.seed = 11;
  EXPECT_TRUE(plan_sweep(ls, s, plan, d));
  return plan.variants();
}

// Every unit's exact result, as stored, by unit id.
class Collect final : public Sink {
 public:
  std::map<int64_t, std::string> units;
  std::function<void()> after_each;
  void accept(const WorkUnit& u, const RunResult& r) override {
    units[u.id] = result_to_json(r).dump();
    if (after_each) after_each();
  }
};

// The same counts (exact), and sums equal up to the order they were added in
// (batches of different sizes add the same numbers in another grouping).
void expect_same_counts(const RunResult& a, const RunResult& b) {
  ASSERT_EQ(a.arms.size(), b.arms.size());
  EXPECT_EQ(a.replications, b.replications);
  for (size_t i = 0; i < a.arms.size(); ++i) {
    RunResult x, y;  // the histograms alone
    x.arms = {a.arms[i]};
    y.arms = {b.arms[i]};
    for (RunResult* r : {&x, &y}) r->arms[0].movement_km = r->arms[0].medevac_wait_hours = 0;
    EXPECT_EQ(result_to_json(x), result_to_json(y)) << a.arms[i].name;
    EXPECT_DOUBLE_EQ(a.arms[i].movement_km, b.arms[i].movement_km);
    EXPECT_DOUBLE_EQ(a.arms[i].medevac_wait_hours, b.arms[i].medevac_wait_hours);
  }
}

std::string temp_path(const std::string& name) {
  return testing::TempDir() + "pk_executor_" + std::to_string(::getpid()) + "_" + name;
}

TEST(Executor, UnitResultsDoNotDependOnThreadsOrShards) {
  const LoadedScenario ls = load(kSweep);
  SweepPlan sp;
  const auto variants = points(ls, sp);
  Collect one, many;
  Executor(ls, {}).run(variants, sp.execution(1), one);
  EXPECT_EQ(one.units.size(), 18u);
  Executor(ls, {}).run(variants, sp.execution(3), many);
  EXPECT_EQ(one.units, many.units);
  // Three shards together hold every unit exactly once, with the same bits.
  std::map<int64_t, std::string> joined;
  for (int64_t k = 1; k <= 3; ++k) {
    ExecutionPolicy p;
    p.shard_k = k, p.shard_n = 3;
    Collect shard;
    const ExecutionReport rep = Executor(ls, p).run(variants, sp.execution(2), shard);
    EXPECT_EQ(rep.units, 6);
    EXPECT_EQ(rep.finished, 6);
    for (const auto& [id, data] : shard.units) EXPECT_TRUE(joined.emplace(id, data).second) << id;
  }
  EXPECT_EQ(joined, one.units);
}

TEST(Executor, AVariantsUnitsMergeToOneLongRun) {
  const LoadedScenario ls = load(kSweep);
  SweepPlan sp;
  const auto variants = points(ls, sp);
  Collect units;
  Executor(ls, {}).run({variants[4]}, sp.execution(2), units);
  Diagnostics d;
  RunResult merged = empty_result(*variant_arms(ls, variants[4], d), 11);
  for (const auto& [id, data] : units.units)
    ASSERT_TRUE(merge_result_json(nlohmann::json::parse(data), merged));
  const RunResult whole = run_variants(ls, {variants[4]}, {11, 60, 60, 2}).front();
  expect_same_counts(merged, whole);
  EXPECT_EQ(whole.replications, 60);
  // The counts are those of a real world: something happened.
  EXPECT_GT(summarize(whole.arms[0].metrics[0]).mean, 0.0);
}

TEST(Executor, InterruptedThenResumedEqualsUninterrupted) {
  const LoadedScenario ls = load(kSweep);
  SweepPlan sp;
  const auto variants = points(ls, sp);
  Collect straight;
  Executor(ls, {}).run(variants, sp.execution(2), straight);

  const std::string db = temp_path("resume.sqlite");
  std::filesystem::remove(db);
  std::string error;
  auto store = ResultStore::open(db, error);
  ASSERT_TRUE(store) << error;
  std::atomic<bool> stop{false};
  ExecutionPolicy p;
  p.store = store.get();
  p.stop = &stop;
  Collect first;
  first.after_each = [&] { stop = first.units.size() >= 5; };
  const ExecutionReport a = Executor(ls, p).run(variants, sp.execution(2), first);
  EXPECT_TRUE(a.stopped);
  EXPECT_EQ(a.finished, 5);
  EXPECT_EQ(store->units().size(), 5u);

  stop = false;
  Collect second;
  const ExecutionReport b = Executor(ls, p).run(variants, sp.execution(1), second);
  EXPECT_FALSE(b.stopped);
  EXPECT_EQ(b.stored, 5);
  EXPECT_EQ(b.finished, 13);
  for (const auto& [id, data] : first.units) EXPECT_EQ(second.units.count(id), 0u) << id;
  for (const auto& [id, data] : straight.units) EXPECT_EQ(store->unit_data(id), data) << id;
  std::filesystem::remove(db);
}

TEST(Executor, ExtensionsAddUpToThePlannedRun) {
  const LoadedScenario ls = load(kSweep);
  const std::vector<Variant> base = {Variant{}};
  const RunResult whole = run_variants(ls, base, {7, 90, 90, 2}).front();
  AccumulatingSink sink;
  Executor ex(ls, {});
  const Plan plan{7, 0, 40, 3};
  ex.extend(base, {{0, 0, 50}}, plan, sink);   // units of 40 and 10
  ex.extend(base, {{0, 50, 40}}, plan, sink);  // a later round
  EXPECT_EQ(sink.results[0].replications, 90);
  expect_same_counts(sink.results[0], whole);
}

TEST(Executor, ChosenArmsAloneGetTheResultsTheyHaveBesideTheOthers) {
  const LoadedScenario ls = load(kSweep);
  ASSERT_EQ(ls.arms.size(), 2u);  // baseline, jammer
  const RunResult all = run_variants(ls, {Variant{}}, {9, 80, 40, 2}).front();
  Variant jammer_only;
  jammer_only.only_arms = {"jammer"};
  AccumulatingSink sink;
  Executor(ls, {}).extend({jammer_only}, {{0, 0, 80}}, {9, 0, 40, 2}, sink);
  const RunResult& alone = sink.results[0];
  ASSERT_EQ(alone.arms.size(), 2u);
  EXPECT_EQ(alone.arms[1].name, "jammer");
  expect_same_counts(alone, all);
  // The jammer changes something: the paired difference is not all zeros.
  int64_t nonzero = 0;
  alone.arms[1].fatalities_diff.for_each([&](int64_t v, int64_t c) { nonzero += v != 0 ? c : 0; });
  EXPECT_GT(nonzero, 0);
  Diagnostics d;
  EXPECT_FALSE(variant_arms(ls, Variant{"v", {}, false, {"no such arm"}}, d));
}

TEST(Executor, ExceptionOnAWorkerThreadReachesTheCaller) {
  const LoadedScenario ls = load(kSweep);
  ExecutionPolicy p;
  p.progress = [](int64_t done, int64_t) {
    if (done >= 64) throw std::runtime_error("worker failed on purpose");
  };
  try {
    run_variants(ls, {Variant{}}, {1, 2000, 2000, 3}, p);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "worker failed on purpose");
  }
}

TEST(Executor, AVariantThatNoLongerBuildsThrows) {
  const LoadedScenario ls = load(kSweep);
  Variant bad{"bad variant", {{"uav.aircraft", Node{}}}, false, {}};
  bad.overrides[0].value.kind = Node::Kind::kScalar;
  bad.overrides[0].value.scalar = "-3";
  Diagnostics d;
  EXPECT_FALSE(variant_arms(ls, bad, d));
  Collect sink;
  EXPECT_THROW(Executor(ls, {}).run({bad}, {1, 10, 10, 2}, sink), std::logic_error);
}

TEST(Precision, StopsAtABatchBoundaryWithinTheTargetOnAnyThreadCount) {
  const LoadedScenario ls = load(kSweep);
  PrecisionTarget t;
  t.relative_half_width = 0.1;
  t.batch = 50;
  t.min_replications = 1;  // the two-batch minimum alone
  t.seed = 3;
  t.threads = 1;
  const RunResult a = run_until_precision(ls, t);
  t.threads = 3;
  const RunResult b = run_until_precision(ls, t);
  EXPECT_EQ(result_to_json(a), result_to_json(b));
  EXPECT_TRUE(a.complete);
  EXPECT_EQ(a.replications % 50, 0);
  EXPECT_LE(worst_relative_half_width(a), 0.1);
  // One batch fewer would not have been precise enough.
  if (a.replications > 100) {
    const RunResult shorter =
        run_variants(ls, {Variant{}}, {3, a.replications - 50, 50, 2}).front();
    EXPECT_GT(worst_relative_half_width(shorter), 0.1);
  }
}

}  // namespace
}  // namespace pk
