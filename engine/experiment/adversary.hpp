// The adaptive adversary's answer to each arm (docs/model.md §2.9).
//
// A pilot run of every arm, on a seed of its own, measures what each attack
// option (a zone's IEDs by trigger, ambushes, indirect fire, VBIEDs) pays per
// attack and per strike. From the baseline's and an arm's payoffs the
// adversary's answer follows in closed form: attacks move to the options
// whose payoff fell least (displacement), and part of the per-strike
// lethality the arm took away comes back (learning), both approached with a
// half-life. The answer becomes the arm's adaptive twin, `<arm>/adaptive`,
// run beside the static arms on the same random numbers.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "scenario/attack_options.hpp"
#include "scenario/loader.hpp"

namespace pk {

// What one option gave the attackers over a run: sums over replications.
struct OptionTotals {
  double attacks = 0;
  double strikes = 0;
  double casualties = 0;
};

// What the pilot measured, option by option: shares of the baseline's
// attacks, payoff and lethality ratios (factors 1). `base` and `arm` are
// aligned with `options`.
std::vector<AdversaryPath::Option> measure_options(const std::vector<AttackOptionRef>& options,
                                                   const std::vector<OptionTotals>& base,
                                                   const std::vector<OptionTotals>& arm);

// The fully adapted answer of `adv` to what was measured: the factors on
// each option's rate (m) and per-strike lethality (λ = 1 + (1/ℓ − 1)·ρ).
std::vector<AdversaryPath::Option> respond(const Adversary& adv,
                                           std::vector<AdversaryPath::Option> measured);

// respond(adv, measure_options(options, base, arm)).
std::vector<AdversaryPath::Option> adversary_answer(const Adversary& adv,
                                                    const std::vector<AttackOptionRef>& options,
                                                    const std::vector<OptionTotals>& base,
                                                    const std::vector<OptionTotals>& arm);

// The most pieces a path has: ten years of weeks.
inline constexpr double kMaxAdversarySteps = 520;

// The answer as the engine plays it in `arm`: piece by piece of step_hours,
// each option's factors 1 + (full − 1)·g(t) on rate and lethality,
// g(t) = 1 − 2^(−(elapsed + t)/half_life) at the piece's middle
// (1 without a half-life). Null when every factor is 1: the static model.
std::shared_ptr<const AdversaryPath> adversary_path(const Adversary& adv, const Scenario& arm,
                                                    std::vector<AdversaryPath::Option> answer);

// With an `adversary:` block and arms: runs the pilot (adv.pilot_replications
// of every arm on a seed derived from `seed`, on `threads`), keeps what it
// measured in ls.adversary_measures and appends to ls.arms each arm's
// adaptive twin. Without one, nothing. Every command that makes twins calls
// it once; the executor then answers the measures anew at every sweep point
// or parameter draw, with that variant's own adversary block.
void add_adaptive_arms(LoadedScenario& ls, uint64_t seed, int threads);

// The adaptive twins of the file's arms among `arms` (baseline first), each
// answering ls.adversary_measures with arms[0]'s adversary block; none when
// nothing was measured or the block is absent there.
std::vector<Arm> adaptive_twins(const LoadedScenario& ls, const std::vector<Arm>& arms);

}  // namespace pk
