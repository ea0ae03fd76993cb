// Engine throughput against a bare event-loop yardstick.
//
//   BM_BareHeapLoop      std::priority_queue: pop one event, push one with an
//                        exponential delay (Philox + Boost, as the engine draws)
//   BM_KernelLoop        the same loop on pk::des::EventQueue
//   BM_EngineReference   whole replications (one-year histories) of the
//                        reference scenario's baseline, loaded through the
//                        loader from scenario-reference.yaml
//
// The scenario file is PK_REFERENCE_SCENARIO (a compile definition, default
// scenarios/reference.yaml), or --scenario=PATH on the command
// line; when the file is missing the bench falls back to the same scenario
// built in C++ (reference_scenario.hpp), and says so on stderr.
//
// Targets (docs): engine events/s >= 0.5 x the bare loop; >= 7,000
// replications/s on one core of the reference scenario.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "reference_scenario.hpp"
#include "scenario/loader.hpp"
#include "scenario/scenario.hpp"
#include "sim/event_queue.hpp"
#include "sim/random.hpp"
#include "sim/simulator.hpp"
#include "sim/tally.hpp"

#ifndef PK_REFERENCE_SCENARIO
#define PK_REFERENCE_SCENARIO "scenarios/reference.yaml"
#endif

namespace {

std::string g_scenario_path = PK_REFERENCE_SCENARIO;

// The baseline of the reference file, or the C++-built copy when the file is
// missing (the benchmark run from another folder still works).
const pk::Scenario& reference() {
  static const std::unique_ptr<pk::Scenario> scenario = [] {
    if (std::filesystem::exists(g_scenario_path)) {
      pk::Diagnostics diags(g_scenario_path);
      if (auto ls = pk::load_scenario(g_scenario_path, diags)) {
        return std::make_unique<pk::Scenario>(ls->baseline());
      }
      for (const auto& d : diags.all()) std::fprintf(stderr, "%s\n", d.format().c_str());
      std::fprintf(stderr, "pk_bench: %s does not load; using the C++-built reference\n",
                   g_scenario_path.c_str());
    } else {
      std::fprintf(stderr, "pk_bench: %s not found; using the C++-built reference\n",
                   g_scenario_path.c_str());
    }
    return std::make_unique<pk::Scenario>(pk::bench::reference_scenario());
  }();
  return *scenario;
}

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

void BM_EngineReference(benchmark::State& state) {
  const pk::Scenario& scenario = reference();
  pk::Simulator sim(scenario);
  pk::Tally tally;
  uint64_t replication = 0;
  int64_t events = 0;
  for (auto _ : state) {
    sim.run(scenario.seed, replication++, tally);
    events += tally.events;
    benchmark::DoNotOptimize(tally.by_cause);
  }
  state.counters["replications/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events/rep"] = static_cast<double>(events) / static_cast<double>(replication);
}
BENCHMARK(BM_EngineReference)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  // --scenario=PATH is ours; everything else goes to Google Benchmark.
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::strncmp(argv[i], "--scenario=", 11) == 0) {
      g_scenario_path = argv[i] + 11;
    } else {
      rest.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
