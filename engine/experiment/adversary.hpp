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

// The fully adapted answer, option by option (AdversaryPath::Option without
// its time path): shares of the baseline's attacks, payoff and lethality
// ratios, the factors on rate and lethality. `base` and `arm` are aligned with
// `options`.
std::vector<AdversaryPath::Option> adversary_answer(const Adversary& adv,
                                                    const std::vector<AttackOptionRef>& options,
                                                    const std::vector<OptionTotals>& base,
                                                    const std::vector<OptionTotals>& arm);

// The answer as the engine plays it in `arm`: piece by piece of step_hours,
// each option's factors 1 + (full − 1)·g(t) (rate) and 1 + (full − 1)·ρ·g(t)
// (lethality), g(t) = 1 − 2^(−(elapsed + t)/half_life) at the piece's middle
// (1 without a half-life). Null when every factor is 1: the static model.
std::shared_ptr<const AdversaryPath> adversary_path(const Adversary& adv, const Scenario& arm,
                                                    std::vector<AdversaryPath::Option> answer);

// With an `adversary:` block: runs the pilot (adv.pilot_replications of every
// arm on a seed derived from `seed`, on `threads`) and appends to ls.arms each
// arm's adaptive twin. Without one, nothing.
void add_adaptive_arms(LoadedScenario& ls, uint64_t seed, int threads);

}  // namespace pk
