// YAML file -> validated, immutable Scenario (+ its arms and sweep), in one
// pass, every error collected. The only entry point from files to the engine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/arm_cost.hpp"
#include "scenario/catalogue.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/scenario.hpp"
#include "scenario/selection.hpp"
#include "scenario/uncertainty.hpp"
#include "scenario/yaml_tree.hpp"

namespace pk {

// One alternative of a run. arms[0] of a LoadedScenario is always `baseline`.
struct Arm {
  std::string name;
  ArmCost cost;       // incremental cost of the package (docs/model.md §6, "Costs")
  Scenario scenario;  // the baseline with the arm's overrides applied
  Node overrides;     // the arm's path: value mapping as written (null for baseline)
  // An adaptive twin's static arm (docs/model.md §2.9); empty for the arms of the file.
  std::string adaptive_of;

  double horizon_years() const { return scenario.horizon_hours / (kHoursPerDay * kDaysPerYear); }
  // The cost per year of mission: the basis every output compares costs on.
  double per_year_cost_usd() const { return cost.per_year_usd(horizon_years()); }
  // The cost over the horizon the arm's scenario simulates: what a cost per
  // fatality averted divides by the fatalities averted over that horizon.
  double horizon_cost_usd() const { return cost.horizon_usd(horizon_years()); }
};

struct SweepRange {
  double from = 0;
  double to = 0;
  std::optional<int64_t> steps;  // grid only
};

struct SweepParameter {
  std::string path;
  Mark mark;
  std::vector<Node> values;  // explicit values (grid)
  std::optional<SweepRange> range;
};

// At most this many points in a sweep design; larger designs are refused at
// load (grids) or when the design is made.
inline constexpr int64_t kMaxSweepPoints = 1000000;

struct SweepSpec {
  std::string design = "grid";  // grid | latin_hypercube | sobol
  std::optional<int64_t> samples;
  std::optional<int64_t> replications;
  std::vector<SweepParameter> parameters;
};

// What the adversary's pilot measured for one arm (docs/model.md §2.9): each
// option's base share and payoff and lethality ratios, the factors still 1.
struct AdversaryMeasure {
  std::string arm;
  std::vector<AdversaryPath::Option> options;
};

struct LoadedScenario {
  std::string file;
  std::string sha256;     // of the file's bytes, for provenance
  Node tree;              // the file as parsed (overrides of sweeps apply to it)
  std::vector<Arm> arms;  // baseline first, then the file's arms in order
  std::optional<SweepSpec> sweep;
  UncertaintySpec uncertainty;  // no inputs: none given
  std::optional<SelectSpec> select;
  // Set by the adversary's pilot (experiment/adversary.hpp): every variant
  // answers these with its own adversary block. Empty: no adaptive twins.
  std::vector<AdversaryMeasure> adversary_measures;

  const Scenario& baseline() const { return arms.front().scenario; }
};

// Loads and validates a scenario file. Returns nullopt when there is any
// error; `diags` holds every error and warning found.
std::optional<LoadedScenario> load_scenario(const std::string& file, Diagnostics& diags,
                                            const IncludePolicy& policy = {});

// Same, from text already in memory (`diags.file()` names it in messages).
std::optional<LoadedScenario> load_scenario_text(const std::string& text, Diagnostics& diags,
                                                 const IncludePolicy& policy = {});

// Builds a Scenario from a (possibly overridden) tree. `context` prefixes
// every error path (e.g. "arms[uav_x4]: "). Used by arms and sweep points.
std::optional<Scenario> build_scenario(const Node& root, Diagnostics& diags,
                                       const std::string& context = {});

// A sweep point: path -> value overrides applied to the file's tree before
// each arm's own overrides (docs/model.md §5).
struct PointOverride {
  std::string path;
  Node value;
};

// The arms (baseline first) of `ls` at a sweep point, each validated like any
// scenario. Errors are reported with `context` before their path (e.g.
// "sweep point 3: "). nullopt on any error.
std::optional<std::vector<Arm>> build_point(const LoadedScenario& ls,
                                            const std::vector<PointOverride>& point,
                                            Diagnostics& diags, const std::string& context);

// Keeps the baseline (arms[0]) and the arms named in `names`, and drops the
// others: `pkrisk run --arms` (the file's order) and the executor's refining
// rounds (the names' order). The baseline's own name may be among `names`; it
// is always kept: the others are compared with it. Each arm's streams are
// keyed by its own name, so an arm kept gives the numbers it gives beside
// every other. Returns the first name that is no arm (nothing dropped then);
// empty when all were found.
enum class ArmOrder { kFile, kNames };
std::string keep_arms(std::vector<Arm>& arms, const std::vector<std::string>& names,
                      ArmOrder order);

// Hex SHA-256 of bytes (provenance of results).
std::string sha256_hex(const std::string& bytes);

}  // namespace pk
