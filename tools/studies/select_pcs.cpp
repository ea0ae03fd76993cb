// The guarantee of `pkrisk select` (docs/select.md) checked on packages run by
// the engine itself, where ranking_pcs.cpp checks it on normal numbers: a
// scenario whose packages' true objectives are known in closed form (a truths
// file: package label TAB value, in the objective's units), the procedure run
// through the library as `pkrisk select` runs it, once for each seed 1..M.
// Counted: the seeds whose selected package is truly within the indifference
// zone of the true best (the planner's promise), and those that picked the
// true best (KN's own promise when the best is ahead by the zone or more).
// The truths come from the file alone, never from the engine's output.
// Prints a markdown table, then the run time.
//
//   build/tools/pk_select_study SCENARIO M TRUTHS [-j THREADS]
//   e.g. tests/data/select/close_call.yaml 1000 tests/data/select/close_call.truths.tsv
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "experiment/select.hpp"
#include "scenario/loader.hpp"
#include "util/csv.hpp"

namespace {

struct Args {
  std::string scenario, truths;
  int macroreps = 0;
  int threads = 1;
};

std::optional<Args> parse_args(int argc, char** argv) {
  std::vector<std::string> positional;
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if ((s == "-j" || s == "--threads") && i + 1 < argc)
      a.threads = std::atoi(argv[++i]);
    else
      positional.push_back(s);
  }
  if (positional.size() != 3) return std::nullopt;
  a.scenario = positional[0];
  a.macroreps = std::atoi(positional[1].c_str());
  a.truths = positional[2];
  if (a.macroreps < 1 || a.threads < 1) return std::nullopt;
  return a;
}

// Label -> true objective; '#' lines are comments. Empty when unreadable.
std::map<std::string, double> read_truths(const std::string& path) {
  std::ifstream in(path);
  return pk::read_labelled_numbers(
      std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

// The truths in the plan's order of packages; nullopt (named on stderr) when
// one package has none: a study against a partial truth would be no study.
std::optional<std::vector<double>> truths_of(const pk::SelectPlan& plan,
                                             const std::map<std::string, double>& truths) {
  std::vector<double> out;
  for (const pk::Package& p : plan.packages) {
    const auto at = truths.find(p.label);
    if (at == truths.end()) {
      std::fprintf(stderr, "no truth for the package '%s'\n", p.label.c_str());
      return std::nullopt;
    }
    out.push_back(at->second);
  }
  return out;
}

// How far package p truly is behind the true best, in the objective's units
// (0 for the best itself).
double shortfall(const pk::SelectPlan& plan, const std::vector<double>& truth, size_t p) {
  const double sign = pk::larger_is_better(plan.spec) ? 1.0 : -1.0;
  double best = sign * truth[0];
  for (double t : truth) best = std::max(best, sign * t);
  return best - sign * truth[p];
}

// The truths are written to a few decimals: a shortfall equal to the zone in
// them (the boundary case) must count as within, whatever the rounding.
constexpr double kTruthRounding = 1e-9;

struct Counts {
  int macroreps = 0, within = 0, best = 0;
  double selection_reps = 0, fresh_reps = 0;
};

// False (named on stderr) when the run did not finish: its `selected` would
// be no choice, and counting it either way would bias the share.
bool add_macroreplication(const pk::LoadedScenario& ls, pk::SelectPlan& plan,
                          const std::vector<double>& truth, uint64_t seed, Counts& c) {
  plan.settings.seed = seed;
  const pk::SelectOutcome o = pk::run_select(ls, plan, {});
  if (!o.complete) {
    std::fprintf(stderr, "seed %llu did not finish: %s\n", static_cast<unsigned long long>(seed),
                 o.error.c_str());
    return false;
  }
  const double behind = shortfall(plan, truth, o.selected);
  c.within += behind <= plan.spec.indifference_zone + kTruthRounding;
  c.best += behind <= kTruthRounding;
  for (int64_t r : o.replications) c.selection_reps += static_cast<double>(r);
  for (const pk::PackageSample& s : o.fresh)
    c.fresh_reps += static_cast<double>(s.fatalities.size());
  ++c.macroreps;
  return true;
}

// "0.953 (0.007), 953": a share of the macroreplications, its standard
// error, and the count (a share of 1.000 may still hide a miss or two).
std::string share(int count, int n) {
  const double p = static_cast<double>(count) / n;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f (%.3f), %d", p, std::sqrt(p * (1 - p) / n), count);
  return buf;
}

void print_table(const std::string& scenario, const pk::SelectPlan& plan, const Counts& c) {
  std::printf(
      "| scenario | δ | confidence | packages | macroreplications | within δ of the best (SE), "
      "count | "
      "the true best (SE), count | replications, selection | replications, fresh re-estimate |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  std::printf("| %s | %g | %g | %zu | %d | %s | %s | %.0f | %.0f |\n", scenario.c_str(),
              plan.spec.indifference_zone, plan.spec.confidence, plan.packages.size(), c.macroreps,
              share(c.within, c.macroreps).c_str(), share(c.best, c.macroreps).c_str(),
              c.selection_reps / c.macroreps, c.fresh_reps / c.macroreps);
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Args> args = parse_args(argc, argv);
  if (!args) {
    std::fprintf(stderr, "usage: pk_select_study SCENARIO MACROREPLICATIONS TRUTHS [-j THREADS]\n");
    return 2;
  }
  pk::Diagnostics diags(args->scenario);
  const std::optional<pk::LoadedScenario> ls = pk::load_scenario(args->scenario, diags);
  pk::SelectPlan plan;
  pk::SelectSettings settings;
  settings.threads = args->threads;
  if (!ls || !pk::plan_select(*ls, settings, plan, diags)) {
    for (const pk::Diagnostic& d : diags.all()) std::fprintf(stderr, "%s\n", d.format().c_str());
    return 2;
  }
  const std::optional<std::vector<double>> truth = truths_of(plan, read_truths(args->truths));
  if (!truth) return 2;
  const auto start = std::chrono::steady_clock::now();
  Counts counts;
  for (int m = 1; m <= args->macroreps; ++m)
    if (!add_macroreplication(*ls, plan, *truth, static_cast<uint64_t>(m), counts)) return 1;
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  print_table(std::filesystem::path(args->scenario).filename().string(), plan, counts);
  std::printf("\nrun time: %.1f s on %d thread%s\n", took.count(), args->threads,
              args->threads == 1 ? "" : "s");
  return 0;
}
