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

struct SelectSpec {
  std::optional<double> budget_usd;  // per year; none: every package
  bool net_benefit = false;          // objective: net_benefit, else fatalities
  double wtp_usd = 0;
  double indifference_zone = 1;  // lives or USD per mission-year
  double confidence = 0.95;
  int64_t first_stage = 20;
  std::vector<std::string> options;  // arm names, in the file's order
  std::vector<Mark> option_marks;
  std::vector<SelectRule> rules;
  Mark mark;
};

// The most options a block may list: 2^16 packages.
inline constexpr size_t kMaxSelectOptions = 16;

// Reads the block of `root` (nullopt when absent). `arms`: the scenario's arm
// names (baseline excluded); options and rules must name them. Errors go to
// `ctx`.
std::optional<SelectSpec> read_select(const Node& root, const std::vector<std::string>& arms,
                                      const Ctx& ctx);

}  // namespace pk
