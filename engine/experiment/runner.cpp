#include "experiment/runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "experiment/metrics.hpp"
#include "sim/simulator.hpp"

namespace pk {

namespace {

// What one block of replications produced lives in a RunResult of its own:
// histograms merge exactly in any order; the floating-point sums are merged in
// block order.
using BlockResult = RunResult;

void init_arms(const std::vector<Arm>& arms, size_t metrics, std::vector<ArmResult>& out) {
  out.clear();
  for (const Arm& a : arms) {
    ArmResult r;
    r.name = a.name;
    r.cost_usd = a.horizon_cost_usd();
    r.personnel_years = a.scenario.personnel_years();
    r.metrics.resize(metrics);
    out.push_back(std::move(r));
  }
}

void merge_arm(ArmResult& into, const ArmResult& from) {
  for (size_t m = 0; m < into.metrics.size(); ++m) into.metrics[m].merge(from.metrics[m]);
  into.fatalities_diff.merge(from.fatalities_diff);
  into.any_fatality += from.any_fatality;
  into.movement_km += from.movement_km;
  into.medevac_wait_hours += from.medevac_wait_hours;
  for (size_t k = 0; k < into.ten_one_two.size(); ++k)
    into.ten_one_two[k].merge(from.ten_one_two[k]);
}

}  // namespace

RunResult empty_result(const std::vector<Arm>& arms, uint64_t seed) {
  RunResult r;
  r.seed = seed;
  r.metric_names = metric_names(arms.front().scenario);
  init_arms(arms, r.metric_names.size(), r.arms);
  return r;
}

void merge_results(RunResult& into, const RunResult& from) {
  for (size_t a = 0; a < into.arms.size(); ++a) merge_arm(into.arms[a], from.arms[a]);
  into.events += from.events;
  into.rows.insert(into.rows.end(), from.rows.begin(), from.rows.end());
  into.replications += from.replications;
}

void run_replications(const LoadedScenario& ls, const RunConfig& cfg, int64_t first, int64_t count,
                      RunResult& into) {
  const size_t n_arms = ls.arms.size();
  if (into.arms.empty()) into = empty_result(ls.arms, cfg.seed);
  if (!into.complete) return;  // an earlier batch was stopped: nothing more can follow it
  const size_t n_metrics = into.metric_names.size();
  const int64_t block = std::max<int64_t>(1, cfg.block);
  const int64_t n_blocks = (count + block - 1) / block;
  const int threads =
      std::max(1, std::min<int>(cfg.threads, static_cast<int>(std::max<int64_t>(1, n_blocks))));
  // Finished blocks are merged in block order as soon as the unbroken prefix
  // allows, and a worker may run ahead of the merged prefix by at most
  // `window` blocks: memory stays flat in the number of replications, and,
  // unlike waves with a barrier after each, no thread idles while another
  // finishes the last block of a wave.
  const int64_t window = std::max<int64_t>(1, 8 * threads);
  std::vector<BlockResult> slots(static_cast<size_t>(window));  // block b lives in b % window
  // A slot's contents belong to the worker running its block until that
  // worker sets its ready flag; then to the merger, under the mutex.
  std::vector<char> ready(static_cast<size_t>(window), 0);
  std::mutex mutex;  // guards everything below, `into` and the progress callback
  std::condition_variable room;
  int64_t next = 0;    // the next block to hand out
  int64_t merged = 0;  // blocks [0, merged) are merged into `into`
  int64_t finished = 0;
  bool stopped = false;
  std::exception_ptr failure;  // the first exception of any worker

  auto work = [&]() {
    // One simulator per arm per thread, made once and reused across blocks.
    std::vector<std::unique_ptr<Simulator>> my_sims;
    for (const Arm& a : ls.arms) {
      my_sims.push_back(std::make_unique<Simulator>(a.scenario));
      my_sims.back()->set_stop(cfg.stop);
    }
    Tally tally;
    std::vector<int64_t> values;
    std::vector<int64_t> base_values;
    for (;;) {
      int64_t b;
      {
        std::unique_lock<std::mutex> lock(mutex);
        room.wait(lock, [&] {
          stopped = stopped || (cfg.stop && cfg.stop->load());
          return stopped || next >= n_blocks || next < merged + window;
        });
        if (stopped || next >= n_blocks) return;
        b = next++;
      }
      BlockResult& out = slots[static_cast<size_t>(b % window)];
      init_arms(ls.arms, n_metrics, out.arms);
      const int64_t lo = first + b * block;
      const int64_t hi = std::min(first + count, lo + block);
      out.replications = hi - lo;
      for (int64_t r = lo; r < hi; ++r) {
        for (size_t a = 0; a < n_arms; ++a) {
          if (!my_sims[a]->run(cfg.seed, static_cast<uint64_t>(r), tally)) {
            // Stopped inside a replication: this block is dropped unmerged, so
            // the result stays the exact one of the blocks before it.
            std::lock_guard<std::mutex> lock(mutex);
            stopped = true;
            room.notify_all();
            return;
          }
          extract_metrics(tally, values);
          ArmResult& ar = out.arms[a];
          for (size_t m = 0; m < n_metrics; ++m) ar.metrics[m].add(values[m]);
          if (a == 0) base_values = values;
          ar.fatalities_diff.add(values[kFatalitiesMetric] - base_values[kFatalitiesMetric]);
          ar.any_fatality += values[kFatalitiesMetric] > 0;
          ar.movement_km += tally.movement_km;
          ar.medevac_wait_hours += tally.medevac_wait_hours;
          ar.ten_one_two[0].add(tally.care.t1_first_aid_10min, tally.care.t1);
          ar.ten_one_two[1].add(tally.care.t1_advanced_care_1h, tally.care.t1);
          ar.ten_one_two[2].add(tally.care.t1_surgery_2h, tally.care.t1);
          out.events += tally.events;
          if (cfg.keep_rows) out.rows.insert(out.rows.end(), values.begin(), values.end());
        }
      }
      std::lock_guard<std::mutex> lock(mutex);
      ready[static_cast<size_t>(b % window)] = 1;
      // Merge in block order: the floating-point sums then add up the same
      // way whatever the thread count.
      while (merged < n_blocks) {
        const size_t slot = static_cast<size_t>(merged % window);
        if (!ready[slot]) break;
        merge_results(into, slots[slot]);
        slots[slot] = BlockResult{};
        ready[slot] = 0;
        ++merged;
      }
      room.notify_all();
      if (cfg.progress) {
        finished += hi - lo;
        cfg.progress(finished, count);
      }
    }
  };

  // An exception must not escape a thread (std::terminate): the first one is
  // kept, every worker stops, and it is rethrown to the caller.
  auto worker = [&]() {
    try {
      work();
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!failure) failure = std::current_exception();
      stopped = true;
      room.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  // After a stop request only the unbroken prefix of finished blocks counts,
  // so a partial result is still the exact result of replications [first, first + k).
  if (merged < n_blocks) into.complete = false;
}

RunResult run_arms(const LoadedScenario& ls, const RunConfig& cfg) {
  RunResult r;
  run_replications(ls, cfg, 0, cfg.replications, r);
  return r;
}

}  // namespace pk
