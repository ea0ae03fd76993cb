// The `select:` block: the packages of arms `pkrisk select` chooses among
// (docs/select.md). Read here with file:line errors; the packages are made
// and run by experiment/select.hpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/object_reader.hpp"

namespace pk {

struct SelectRule {
  // {requires: A, if: B}: a package holding B holds A. {excludes: [...]}: a
  // package holds at most one of them. Names are options' arms.
  std::string requires_arm, if_arm;
  std::vector<std::string> excludes;
  Mark mark;
};

// An option's levels: the input `path` set to values[i], at cost_usd[i] a
// year in place of the arm's own cost.
struct SelectLevels {
  std::string path;
  std::vector<Node> values;
  std::vector<double> cost_usd;
};

struct SelectOption {
  std::string arm;
  Mark mark;
  std::optional<SelectLevels> levels;  // none: in or out
  // The levels a package may choose for it besides leaving it out.
  size_t choices() const { return levels ? levels->values.size() : 1; }
};

// What the best package does best, per replication (larger or smaller).
enum class SelectObjective {
  kFatalities,           // deaths per mission-year, fewest best
  kFatalitiesPer1000py,  // deaths per 1,000 personnel-years, fewest best
  kNetBenefit,           // -wtp_usd x deaths - cost per mission-year, largest best
};

// "fatalities", "fatalities_per_1000py", "net_benefit".
const char* objective_name(SelectObjective o);

struct SelectSpec {
  std::optional<double> budget_usd;  // per year; none: every package
  SelectObjective objective = SelectObjective::kFatalities;
  double wtp_usd = 0;
  double indifference_zone = 1;  // in the objective's units
  double confidence = 0.95;
  int64_t first_stage = 20;
  int64_t reestimate = 200;           // replications of the fresh-seed run
  std::vector<SelectOption> options;  // in the file's order
  std::vector<SelectRule> rules;
  Mark mark;
  const SelectOption* option(const std::string& arm) const;
};

// The most options a block may list: 2^16 packages.
inline constexpr size_t kMaxSelectOptions = 16;

// Reads the block of `root` (nullopt when absent). `arms`: the scenario's arm
// names (baseline excluded); options and rules must name them. Errors go to
// `ctx`.
std::optional<SelectSpec> read_select(const Node& root, const std::vector<std::string>& arms,
                                      const Ctx& ctx);

}  // namespace pk
