// Engine throughput against a bare event-loop yardstick, and whole mission-years
// of the shipped scenarios.
//
//   BM_BareHeapLoop   std::priority_queue: pop one event, push one with an
//                     exponential delay (Philox + Boost, as the engine draws)
//   BM_KernelLoop     the same loop on pk::des::EventQueue
//   BM_Scenario/NAME  one replication of every arm of scenarios/NAME.yaml
//                     (baseline included) per iteration, each arm on its own
//                     Simulator as `pkrisk run` does: mission-years per second
//                     on one core, events per mission-year, time per event
//
// The scenarios are read from PK_SCENARIO_DIR (a compile definition: the
// source tree's scenarios/), or --scenarios=DIR.
//
//   pk_bench --fixed=N   no benchmark: plays replications 0..N-1 of every arm
//                        of each scenario and prints the events, for
//                        instruction counts under `valgrind --tool=callgrind`
//                        (--only=NAME: one of them; wall-clock figures vary
//                        ±10% on a shared machine;
//                        instruction counts do not)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "scenario/loader.hpp"
#include "scenario/scenario.hpp"
#include "sim/event_queue.hpp"
#include "sim/random.hpp"
#include "sim/simulator.hpp"
#include "sim/tally.hpp"

#ifndef PK_SCENARIO_DIR
#define PK_SCENARIO_DIR "scenarios"
#endif

namespace {

std::string g_scenario_dir = PK_SCENARIO_DIR;

// The benchmarked scenarios: the one that uses every key, and the flagship.
const char* const kScenarios[] = {"reference", "minusma-north"};

// Every arm of scenarios/NAME.yaml, loaded once; exits when it does not load.
const pk::LoadedScenario& loaded(const std::string& name) {
  static std::vector<std::pair<std::string, std::unique_ptr<pk::LoadedScenario>>> cache;
  for (const auto& [n, ls] : cache)
    if (n == name) return *ls;
  const std::string path = g_scenario_dir + "/" + name + ".yaml";
  pk::Diagnostics diags(path);
  auto ls = pk::load_scenario(path, diags);
  if (!ls) {
    for (const auto& d : diags.all()) std::fprintf(stderr, "%s\n", d.format().c_str());
    std::fprintf(stderr, "pk_bench: %s does not load (--scenarios=DIR)\n", path.c_str());
    std::exit(2);
  }
  cache.emplace_back(name, std::make_unique<pk::LoadedScenario>(std::move(*ls)));
  return *cache.back().second;
}

// One Simulator per arm, as each worker thread of `pkrisk run` holds.
struct ArmSimulators {
  explicit ArmSimulators(const pk::LoadedScenario& ls) {
    for (const pk::Arm& arm : ls.arms)
      sims.push_back(std::make_unique<pk::Simulator>(arm.scenario));
  }
  // Plays replication r of every arm; returns the events dispatched.
  int64_t play(const pk::LoadedScenario& ls, uint64_t r) {
    int64_t events = 0;
    for (auto& sim : sims) {
      sim->run(ls.baseline().seed, r, tally);
      events += tally.events;
    }
    return events;
  }
  std::vector<std::unique_ptr<pk::Simulator>> sims;
  pk::Tally tally;
};

constexpr int kPending = 32;  // about the engine's queue length on the reference scenario

void BM_BareHeapLoop(benchmark::State& state) {
  struct Item {
    double t;
    uint64_t seq;
    bool operator>(const Item& o) const { return t > o.t || (t == o.t && seq > o.seq); }
  };
  std::vector<Item> storage;
  storage.reserve(kPending + 1);
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q(std::greater<Item>{},
                                                                     std::move(storage));
  pk::sim::Stream s(pk::sim::ReplicationKey::make(1, 0), pk::sim::Proc::kSchedule, 0);
  uint64_t seq = 0;
  for (int i = 0; i < kPending; ++i) q.push(Item{s.exp1(), seq++});
  for (auto _ : state) {
    const Item top = q.top();
    q.pop();
    q.push(Item{top.t + s.exp1(), seq++});
  }
  benchmark::DoNotOptimize(q.top());
  state.SetItemsProcessed(state.iterations());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BareHeapLoop);

void BM_KernelLoop(benchmark::State& state) {
  pk::des::EventQueue q;
  pk::sim::Stream s(pk::sim::ReplicationKey::make(1, 0), pk::sim::Proc::kSchedule, 0);
  for (int i = 0; i < kPending; ++i) q.push(s.exp1(), 0, pk::des::Payload{0, i, 0, 0});
  pk::des::Event e;
  for (auto _ : state) {
    q.pop(e);
    q.push(e.time + s.exp1(), 0, e.payload);
  }
  benchmark::DoNotOptimize(e);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_KernelLoop);

void BM_Scenario(benchmark::State& state, const char* name) {
  const pk::LoadedScenario& ls = loaded(name);
  ArmSimulators arms(ls);
  uint64_t replication = 0;
  int64_t events = 0;
  for (auto _ : state) {
    events += arms.play(ls, replication++);
    benchmark::DoNotOptimize(arms.tally.by_cause);
  }
  const double years = static_cast<double>(replication * ls.arms.size());
  state.counters["mission-years/s"] = benchmark::Counter(years, benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events/year"] = static_cast<double>(events) / years;
  // An inverted rate: seconds per event, printed with its SI prefix (e.g. "190n").
  state.counters["time/event"] = benchmark::Counter(
      static_cast<double>(events), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK_CAPTURE(BM_Scenario, reference, "reference")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Scenario, minusma_north, "minusma-north")->Unit(benchmark::kMicrosecond);

// --fixed=N: the same work every time, for instruction counts; --only=NAME
// plays one scenario.
int play_fixed(uint64_t n, const std::string& only) {
  for (const char* name : kScenarios) {
    if (!only.empty() && only != name) continue;
    const pk::LoadedScenario& ls = loaded(name);
    ArmSimulators arms(ls);
    int64_t events = 0;
    for (uint64_t r = 0; r < n; ++r) events += arms.play(ls, r);
    std::printf("%s: %llu mission-years, %lld events\n", name,
                static_cast<unsigned long long>(n * ls.arms.size()),
                static_cast<long long>(events));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // --scenarios=DIR and --fixed=N are ours; everything else goes to Google Benchmark.
  std::vector<char*> rest;
  long long fixed = -1;
  std::string only;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::strncmp(argv[i], "--scenarios=", 12) == 0) {
      g_scenario_dir = argv[i] + 12;
    } else if (i > 0 && std::strncmp(argv[i], "--fixed=", 8) == 0) {
      fixed = std::atoll(argv[i] + 8);
    } else if (i > 0 && std::strncmp(argv[i], "--only=", 7) == 0) {
      only = argv[i] + 7;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (fixed >= 0) return play_fixed(static_cast<uint64_t>(fixed), only);
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
