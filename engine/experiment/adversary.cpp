#include "experiment/adversary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "experiment/executor.hpp"
#include "sim/random.hpp"

namespace pk {

namespace {

// (num_a / den_a) / (num_b / den_b), or 1 where either side has nothing to
// measure: an option the arm leaves without attacks, or one that cost the
// baseline nothing, gives the adversary no reason to move.
double ratio_or_one(double num_a, double den_a, double num_b, double den_b) {
  if (!(den_a > 0) || !(den_b > 0)) return 1;
  const double b = num_b / den_b;
  if (!(b > 0)) return 1;
  return (num_a / den_a) / b;
}

// Σ value × count over a metric's histogram: the metric's total over the run.
double total_of(const IntHistogram& h) {
  double sum = 0;
  h.for_each([&](int64_t v, int64_t c) { sum += static_cast<double>(v) * static_cast<double>(c); });
  return sum;
}

// Each option's totals in arm `arm` of the pilot, in attack_options() order.
std::vector<OptionTotals> option_totals(const RunResult& pilot, size_t arm,
                                        const std::vector<std::string>& first_names) {
  std::vector<OptionTotals> out;
  for (const std::string& name : first_names) {
    const auto it = std::find(pilot.metric_names.begin(), pilot.metric_names.end(), name);
    if (it == pilot.metric_names.end())
      throw std::logic_error("pkrisk: no metric " + name + " in the adversary's pilot");
    const auto m = static_cast<size_t>(it - pilot.metric_names.begin());
    const std::vector<IntHistogram>& h = pilot.arms[arm].metrics;
    out.push_back({total_of(h[m]), total_of(h[m + 1]), total_of(h[m + 2])});
  }
  return out;
}

// Share of the way from the baseline's behaviour to the answer after `hours`
// of the mitigation: 1 − 2^(−hours / half-life); 1 without a half-life.
double adapted_share(const Adversary& adv, double hours) {
  if (!(adv.half_life_hours > 0)) return 1;
  return 1 - std::exp2(-hours / adv.half_life_hours);
}

}  // namespace

std::vector<AdversaryPath::Option> measure_options(const std::vector<AttackOptionRef>& options,
                                                   const std::vector<OptionTotals>& base,
                                                   const std::vector<OptionTotals>& arm) {
  std::vector<AdversaryPath::Option> out(options.size());
  double total = 0;
  for (const OptionTotals& b : base) total += b.attacks;
  for (size_t i = 0; i < options.size(); ++i) {
    AdversaryPath::Option& o = out[i];
    o.zone = options[i].zone;
    o.option = options[i].option;
    o.base_share = total > 0 ? base[i].attacks / total : 0;
    o.payoff_ratio =
        ratio_or_one(arm[i].casualties, arm[i].attacks, base[i].casualties, base[i].attacks);
    o.lethality_ratio =
        ratio_or_one(arm[i].casualties, arm[i].strikes, base[i].casualties, base[i].strikes);
  }
  return out;
}

std::vector<AdversaryPath::Option> respond(const Adversary& adv,
                                           std::vector<AdversaryPath::Option> out) {
  for (AdversaryPath::Option& o : out) {
    // Lethality is only ever regained, never given up where the arm raised it.
    // λ = 1 + (1/ℓ − 1)·ρ: the share ρ of what the arm took away comes back.
    if (o.lethality_ratio > 0 && o.lethality_ratio < 1)
      o.lethality_factor = 1 + (1 / o.lethality_ratio - 1) * adv.max_recovery;
    else
      o.lethality_factor = 1;
    o.rate_factor = 1;
  }
  const double eps = adv.displacement_elasticity, eta = adv.total_elasticity;
  if (eps == 0 && eta == 0) return out;  // rate factors exactly 1: no displacement
  // share_i ∝ base_i · r_i^ε, scaled so that Σ base_i · factor_i is the total
  // effort: 1, or (Σ base_i · r_i)^η with a total elasticity.
  double weight = 0, mean_ratio = 0;
  for (const AdversaryPath::Option& o : out) {
    weight += o.base_share * std::pow(o.payoff_ratio, eps);
    mean_ratio += o.base_share * o.payoff_ratio;
  }
  if (!(weight > 0)) return out;  // every option lost everything: nowhere to go
  const double total_factor = eta == 0 ? 1 : std::pow(mean_ratio, eta);
  for (AdversaryPath::Option& o : out)
    o.rate_factor = total_factor * std::pow(o.payoff_ratio, eps) / weight;
  return out;
}

std::vector<AdversaryPath::Option> adversary_answer(const Adversary& adv,
                                                    const std::vector<AttackOptionRef>& options,
                                                    const std::vector<OptionTotals>& base,
                                                    const std::vector<OptionTotals>& arm) {
  return respond(adv, measure_options(options, base, arm));
}

std::shared_ptr<const AdversaryPath> adversary_path(const Adversary& adv, const Scenario& arm,
                                                    std::vector<AdversaryPath::Option> answer) {
  const bool moves =
      std::any_of(answer.begin(), answer.end(), [](const auto& o) { return o.rate_factor != 1; });
  const bool recovers = std::any_of(answer.begin(), answer.end(),
                                    [](const auto& o) { return o.lethality_factor != 1; });
  if (!moves && !recovers) return nullptr;

  auto path = std::make_shared<AdversaryPath>();
  const bool gradual = adv.half_life_hours > 0;
  const double horizon = arm.horizon_hours;
  // At most kMaxAdversarySteps pieces: a longer horizon lengthens the step,
  // so that a path's memory stays bounded whatever step_days says.
  path->step_hours =
      gradual ? std::max(adv.step_hours, horizon / kMaxAdversarySteps) : std::max(horizon, 1.0);
  const auto pieces =
      gradual ? static_cast<size_t>(std::max(1.0, std::ceil(horizon / path->step_hours - 1e-9)))
              : 1;
  const size_t zones = arm.zones.size();
  path->zones.assign(zones, std::vector<AdversaryPath::Piece>(pieces));
  path->bound.assign(zones, {0, 0, 0, 0, 0});
  for (size_t k = 0; k < pieces; ++k) {
    const double from = static_cast<double>(k) * path->step_hours;
    const double to = k + 1 == pieces ? std::max(horizon, from) : from + path->step_hours;
    const double g = adapted_share(adv, adv.elapsed_hours + (from + to) / 2);
    std::vector<std::array<double, kAttackOptionCount>> rate(zones);
    for (auto& r : rate) r.fill(1.0);
    for (const AdversaryPath::Option& o : answer) {
      const auto i = static_cast<size_t>(o.option);
      rate[o.zone][i] = 1 + (o.rate_factor - 1) * g;
      path->zones[o.zone][k].lethality[i] = 1 + (o.lethality_factor - 1) * g;
    }
    for (size_t z = 0; z < zones; ++z) {
      AdversaryPath::Piece& pc = path->zones[z][k];
      if (const auto& ied = arm.zones[z].ied) {
        // The IEDs' rate is the mix-weighted sum of the triggers' factors, and
        // the mix of those emplaced follows each trigger's factor.
        double sum = 0;
        for (int t = 0; t < kTriggerCount; ++t) sum += ied->trigger_mix[t] * rate[z][t];
        pc.rate[static_cast<int>(Cause::kIed)] = sum;
        pc.trigger_mix = ied->trigger_mix;
        if (sum > 0)
          for (int t = 0; t < kTriggerCount; ++t)
            pc.trigger_mix[t] = ied->trigger_mix[t] * rate[z][t] / sum;
      }
      pc.rate[static_cast<int>(Cause::kAmbush)] = rate[z][static_cast<int>(AttackOption::kAmbush)];
      pc.rate[static_cast<int>(Cause::kIdf)] = rate[z][static_cast<int>(AttackOption::kIdf)];
      pc.rate[static_cast<int>(Cause::kVbied)] = rate[z][static_cast<int>(AttackOption::kVbied)];
      for (size_t c = 0; c < pc.rate.size(); ++c)
        path->bound[z][c] = std::max(path->bound[z][c], pc.rate[c]);
    }
  }
  path->options = std::move(answer);
  return path;
}

void add_adaptive_arms(LoadedScenario& ls, uint64_t seed, int threads) {
  const std::optional<Adversary>& adv = ls.baseline().adversary;
  if (!adv || ls.arms.size() < 2) return;
  const std::vector<AttackOptionRef> options = attack_options(ls.baseline());
  std::vector<std::string> first_names;
  for (const AttackOptionRef& o : options)
    first_names.push_back("adversary." + ls.baseline().zones[o.zone].id + "." +
                          attack_option_name(o.option) + ".attacks");

  // The pilot runs on a seed of its own, so that the answer is not fitted to
  // the very replications it is then compared on.
  Plan plan;
  plan.seed = sim::hash_combine(seed, sim::name_key("adversary pilot"));
  plan.replications = adv->pilot_replications;
  plan.batch = adv->pilot_replications;
  plan.threads = threads;
  const RunResult pilot = std::move(run_variants(ls, {Variant{}}, plan).front());

  const std::vector<OptionTotals> base = option_totals(pilot, 0, first_names);
  ls.adversary_measures.clear();
  for (size_t a = 1; a < ls.arms.size(); ++a)
    ls.adversary_measures.push_back(
        {ls.arms[a].name, measure_options(options, base, option_totals(pilot, a, first_names))});
  std::vector<Arm> twins = adaptive_twins(ls, ls.arms);
  for (Arm& twin : twins) ls.arms.push_back(std::move(twin));
}

std::vector<Arm> adaptive_twins(const LoadedScenario& ls, const std::vector<Arm>& arms) {
  std::vector<Arm> twins;
  const std::optional<Adversary>& adv = arms.front().scenario.adversary;
  if (!adv || ls.adversary_measures.empty()) return twins;
  for (const AdversaryMeasure& m : ls.adversary_measures) {
    const auto it = std::find_if(arms.begin() + 1, arms.end(), [&](const Arm& a) {
      return a.name == m.arm && a.adaptive_of.empty();
    });
    if (it == arms.end()) continue;
    Arm twin = *it;
    twin.adaptive_of = twin.name;
    twin.name += "/adaptive";
    twin.scenario.adversary_path = adversary_path(*adv, twin.scenario, respond(*adv, m.options));
    twins.push_back(std::move(twin));
  }
  return twins;
}

}  // namespace pk
