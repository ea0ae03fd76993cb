// libFuzzer target: any bytes through the loader and, when they load, two
// replications of every arm. What the loader accepts must run within a
// budget: the load-time work check (scenario/work_limits.hpp) is the promise,
// and this target holds it to it. A finding is any of:
//   - a crash or sanitizer report in the loader or the simulator;
//   - a refusal without an error;
//   - replications still running after kSecondsPerInput (a watchdog stops
//     it through Simulator::set_stop, then traps);
//   - far more events than the estimate said (the estimate misses a cost);
//   - a negative count in the tally (an overflow);
//   - an uncertainty block whose draws cannot be made, or a draw that does
//     not build and says nothing (each input's draws are checked at load).
// With an adversary block every arm is also played against an adaptive
// adversary (docs/model.md §2.9) whose answer is made up rather than piloted:
// payoffs halved on every other option, lethality cut on every third.
// Memory is held by libFuzzer's -rss_limit_mb (the check refuses state above
// 1 GB). Inputs that crashed or hung it are kept in tests/fuzz/regressions/.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "experiment/adversary.hpp"
#include "experiment/design.hpp"
#include "scenario/loader.hpp"
#include "scenario/work_limits.hpp"
#include "sim/simulator.hpp"

namespace {

// A replication at the load-time work limit takes about 6 s in a Release
// build; the fuzzer runs under AddressSanitizer, about 3 times slower, and
// plays two replications of every arm.
constexpr double kSecondsPerInput = 60.0;

bool tally_sane(const pk::Tally& t) {
  for (const auto& c : t.by_cause)
    for (int64_t n : c.n)
      if (n < 0) return false;
  for (int64_t n : t.site_attacks)
    if (n < 0) return false;
  return t.events >= 0 && t.departures >= 0 && t.ambush_attacks >= 0 && t.medevac_requests >= 0;
}

// Sets `stop` when the input has run too long.
class Watchdog {
 public:
  explicit Watchdog(std::atomic<bool>& stop) : stop_(stop), thread_([this] { watch(); }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

 private:
  void watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!wake_.wait_for(lock, std::chrono::duration<double>(kSecondsPerInput),
                        [this] { return done_; }))
      stop_.store(true);
  }
  std::atomic<bool>& stop_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pk::Diagnostics diags("fuzz.yaml");
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = pk::load_scenario_text(text, diags);
  if (!loaded) {
    if (!diags.has_errors()) __builtin_trap();  // a refusal must say why
    return 0;
  }
  // Eight draws of the uncertain inputs, as `pkrisk decide` makes them.
  if (!loaded->uncertainty.inputs.empty()) {
    std::vector<pk::SweepPoint> points;
    std::string error;
    if (!pk::make_uncertainty_design(loaded->uncertainty, 1, 8, points, error)) __builtin_trap();
    for (const pk::SweepPoint& pt : points) {
      pk::Diagnostics draw_diags("fuzz.yaml");
      if (!pk::build_point(*loaded, pt.overrides, draw_diags, "draw: ") && !draw_diags.has_errors())
        __builtin_trap();
    }
  }
  std::vector<pk::Scenario> plays;
  for (const pk::Arm& arm : loaded->arms) {
    plays.push_back(arm.scenario);
    if (!arm.scenario.adversary) continue;
    std::vector<pk::AttackOptionRef> options = pk::attack_options(arm.scenario);
    std::vector<pk::AdversaryPath::Option> measured(options.size());
    for (size_t i = 0; i < options.size(); ++i) {
      measured[i].zone = options[i].zone;
      measured[i].option = options[i].option;
      measured[i].base_share = 1.0 / static_cast<double>(options.size());
      measured[i].payoff_ratio = i % 2 ? 0.5 : 1.0;
      measured[i].lethality_ratio = i % 3 ? 1.0 : 0.4;
    }
    pk::Scenario adaptive = arm.scenario;
    adaptive.adversary_path = pk::adversary_path(*arm.scenario.adversary, arm.scenario,
                                                 pk::respond(*arm.scenario.adversary, measured));
    plays.push_back(std::move(adaptive));
  }
  std::atomic<bool> stop{false};
  Watchdog watchdog(stop);
  for (const pk::Scenario& play : plays) {
    const pk::WorkEstimate expected = pk::estimate_work(play);
    pk::Simulator sim(play);
    sim.set_stop(&stop);
    for (uint64_t r = 0; r < 2; ++r) {
      pk::Tally tally;
      if (!sim.run(play.seed, r, tally)) __builtin_trap();  // over the time budget
      if (!tally_sane(tally)) __builtin_trap();
      // The estimate is a mean; one replication may exceed it by chance, but
      // not by this much unless a cost is missing from it.
      if (static_cast<double>(tally.events) > 20 * expected.events + 1e6) __builtin_trap();
    }
  }
  return 0;
}
