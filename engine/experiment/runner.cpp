#include "experiment/runner.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>

#include "experiment/metrics.hpp"
#include "sim/simulator.hpp"

namespace pk {

namespace {

// What one block of replications produced. Histograms merge exactly in any
// order; the floating-point sums are merged in block order.
struct BlockResult {
  std::vector<ArmResult> arms;
  int64_t events = 0;
  bool done = false;
  std::vector<int64_t> rows;
};

void init_arms(const LoadedScenario& ls, size_t metrics, std::vector<ArmResult>& arms) {
  arms.clear();
  for (const Arm& a : ls.arms) {
    ArmResult r;
    r.name = a.name;
    r.cost_usd = a.cost_usd;
    r.personnel_years = a.scenario.personnel_years();
    r.metrics.resize(metrics);
    arms.push_back(std::move(r));
  }
}

void merge_arm(ArmResult& into, const ArmResult& from) {
  for (size_t m = 0; m < into.metrics.size(); ++m) into.metrics[m].merge(from.metrics[m]);
  into.fatalities_diff.merge(from.fatalities_diff);
  into.any_fatality += from.any_fatality;
  into.movement_km += from.movement_km;
  into.medevac_wait_hours += from.medevac_wait_hours;
}

}  // namespace

void run_replications(const LoadedScenario& ls, const RunConfig& cfg, int64_t first, int64_t count,
                      RunResult& into) {
  const size_t n_arms = ls.arms.size();
  if (into.arms.empty()) {
    into.seed = cfg.seed;
    into.metric_names = metric_names(ls.baseline());
    init_arms(ls, into.metric_names.size(), into.arms);
  }
  const size_t n_metrics = into.metric_names.size();
  const int64_t block = std::max<int64_t>(1, cfg.block);
  const int64_t n_blocks = (count + block - 1) / block;
  const int threads =
      std::max(1, std::min<int>(cfg.threads, static_cast<int>(std::max<int64_t>(1, n_blocks))));
  // Blocks are run in waves of a bounded number, each wave merged in block
  // order before the next: memory stays flat in the number of replications.
  const int64_t wave = std::max<int64_t>(1, 8 * threads);
  std::vector<BlockResult> blocks;
  std::mutex progress_mutex;
  int64_t finished = 0;

  // One simulator per arm per thread, made once and reused across blocks.
  std::vector<std::vector<std::unique_ptr<Simulator>>> sims(static_cast<size_t>(threads));

  for (int64_t wave_start = 0; wave_start < n_blocks && into.complete; wave_start += wave) {
    const int64_t wave_blocks = std::min(wave, n_blocks - wave_start);
    blocks.assign(static_cast<size_t>(wave_blocks), BlockResult{});
    std::atomic<int64_t> next{0};

    auto worker = [&](int t) {
      auto& my_sims = sims[static_cast<size_t>(t)];
      if (my_sims.empty())
        for (const Arm& a : ls.arms) my_sims.push_back(std::make_unique<Simulator>(a.scenario));
      Tally tally;
      std::vector<int64_t> values;
      std::vector<int64_t> base_values;
      for (;;) {
        if (cfg.stop && cfg.stop->load()) return;
        const int64_t w = next.fetch_add(1);
        if (w >= wave_blocks) return;
        const int64_t b = wave_start + w;
        BlockResult& out = blocks[static_cast<size_t>(w)];
        init_arms(ls, n_metrics, out.arms);
        const int64_t lo = first + b * block;
        const int64_t hi = std::min(first + count, lo + block);
        for (int64_t r = lo; r < hi; ++r) {
          for (size_t a = 0; a < n_arms; ++a) {
            my_sims[a]->run(cfg.seed, static_cast<uint64_t>(r), tally);
            extract_metrics(tally, values);
            ArmResult& ar = out.arms[a];
            for (size_t m = 0; m < n_metrics; ++m) ar.metrics[m].add(values[m]);
            if (a == 0) base_values = values;
            ar.fatalities_diff.add(values[kFatalitiesMetric] - base_values[kFatalitiesMetric]);
            ar.any_fatality += values[kFatalitiesMetric] > 0;
            ar.movement_km += tally.movement_km;
            ar.medevac_wait_hours += tally.medevac_wait_hours;
            out.events += tally.events;
            if (cfg.keep_rows) out.rows.insert(out.rows.end(), values.begin(), values.end());
          }
        }
        out.done = true;
        if (cfg.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          finished += hi - lo;
          cfg.progress(finished, count);
        }
      }
    };

    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& t : pool) t.join();

    // Merge in block order; after a stop request only the unbroken prefix of
    // finished blocks counts, so a partial result is still the exact result
    // of replications [first, first + k).
    for (const BlockResult& b : blocks) {
      if (!b.done) {
        into.complete = false;
        break;
      }
      for (size_t a = 0; a < n_arms; ++a) merge_arm(into.arms[a], b.arms[a]);
      into.events += b.events;
      into.rows.insert(into.rows.end(), b.rows.begin(), b.rows.end());
      into.replications += b.arms.empty() ? 0 : b.arms[0].metrics[0].count();
    }
  }
}

RunResult run_arms(const LoadedScenario& ls, const RunConfig& cfg) {
  RunResult r;
  run_replications(ls, cfg, 0, cfg.replications, r);
  return r;
}

}  // namespace pk
