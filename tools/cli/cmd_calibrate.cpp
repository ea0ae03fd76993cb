// `pkrisk calibrate FILE --observed CSV --mission M --fit PATH...`: fits
// scenario parameters to observed yearly fatalities (docs/calibration.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "calibrate_print.hpp"
#include "commands.hpp"
#include "console.hpp"
#include "experiment/calibrate.hpp"
#include "pk_version.hpp"
#include "session.hpp"
#include "util/csv.hpp"

namespace pk::cli {

namespace {

// The UN fatalities extract shipped with the project (data/README.md).
#ifndef PK_DATA_DIR
#define PK_DATA_DIR "data"
#endif
constexpr const char* kShippedObservedCsv = PK_DATA_DIR "/un_fatalities.csv";

struct CalibrateOptions {
  std::string file;
  std::string observed = kShippedObservedCsv;
  bool list_missions = false;
  std::string mission;
  std::string column = "uniformed_malicious";
  std::string years;
  std::string holdout;
  std::vector<std::string> fit;
  int64_t replications = 400;
  std::optional<uint64_t> seed;
  int threads = 0;
  std::vector<double> factor_range = {0.25, 4.0};
  int levels = 0;
  std::string write;
  std::string metric;                // empty: the metric the column counts (metric_of_column)
  std::vector<std::string> outputs;  // COLUMN=METRIC
  std::string year_effect = "fit";
  double year_cv_max = 1.0;
  std::string likelihood = "nb";
  int64_t pmf_replications = 2000;
  int draws = 5000;
  std::string posterior_out;
  std::string format = "table";
  bool quiet = false;
};

// `--list-missions`: what the observed CSV holds, one mission a line.
int list_missions(const CalibrateOptions& o) {
  std::string csv, error;
  if (!read_file(o.observed, csv)) {
    std::cerr << "pkrisk calibrate: cannot read " << o.observed << "\n";
    return kExitBadInput;
  }
  std::vector<ObservedMission> missions;
  if (!list_observed_missions(csv, o.column, missions, error)) {
    std::cerr << o.observed << ": " << error << "\n";
    return kExitBadInput;
  }
  std::printf("%s (column %s)\n%-12s %-11s %6s %10s\n", o.observed.c_str(), o.column.c_str(),
              "mission", "years", "filled", "total");
  for (const auto& m : missions)
    std::printf("%-12s %4d-%-6d %3d/%-3d %9g\n", m.name.c_str(), m.first_year, m.last_year,
                m.years_with_count, m.years, m.total);
  // The columns --column may name: every header cell but mission and year.
  std::vector<CsvRecord> records;
  if (read_csv(csv, records, error, {',', true}) && !records.empty()) {
    std::string columns;
    for (const std::string& h : records.front().fields)
      if (h != "mission" && h != "year") columns += (columns.empty() ? "" : ", ") + h;
    std::printf("columns (--column): %s\n", columns.c_str());
  }
  return kExitOk;
}

int run_calibrate(const CalibrateOptions& o) {
  if (o.list_missions) return list_missions(o);
  if (o.file.empty() || o.mission.empty() || o.fit.empty()) {
    std::cerr << "pkrisk calibrate: FILE, --mission and --fit are required (or --list-missions)\n";
    return kExitBadInput;
  }
  auto ls = load_or_report(o.file);
  if (!ls) return kExitBadInput;
  std::string csv, error;
  if (!read_file(o.observed, csv)) {
    std::cerr << "pkrisk calibrate: cannot read " << o.observed << "\n";
    return kExitBadInput;
  }
  std::vector<int> years, holdout_years;
  if ((!o.years.empty() && !parse_years(o.years, years, error)) ||
      (!o.holdout.empty() && !parse_years(o.holdout, holdout_years, error))) {
    std::cerr << "pkrisk calibrate: " << error << "\n";
    return kExitBadInput;
  }
  std::vector<ObservedYear> observed;
  if (!read_observed_csv(csv, o.mission, o.column, years, observed, error)) {
    std::cerr << o.observed << ": " << error << "\n";
    return kExitBadInput;
  }
  std::vector<ObservedYear> holdout;
  if (!holdout_years.empty() &&
      !read_observed_csv(csv, o.mission, o.column, holdout_years, holdout, error)) {
    std::cerr << o.observed << " (--holdout-years): " << error << "\n";
    return kExitBadInput;
  }
  for (const auto& h : holdout)
    for (const auto& y : observed)
      if (h.year == y.year) {
        std::cerr << "pkrisk calibrate: " << y.year
                  << " is both fitted and held out: --years and --holdout-years must not share "
                     "a year\n";
        return kExitBadInput;
      }
  std::vector<CalibrationOutput> outputs;
  for (const std::string& spec : o.outputs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      std::cerr << "pkrisk calibrate: --output takes COLUMN=METRIC (e.g. "
                   "ied_deaths=fatalities_by_cause.ied), not '"
                << spec << "'\n";
      return kExitBadInput;
    }
    CalibrationOutput out{spec.substr(0, eq), spec.substr(eq + 1), {}};
    std::vector<int> fitted;
    for (const auto& y : observed) fitted.push_back(y.year);
    if (!read_observed_csv(csv, o.mission, out.column, fitted, out.observed, error)) {
      std::cerr << o.observed << " (--output " << spec << "): " << error << "\n";
      return kExitBadInput;
    }
    outputs.push_back(std::move(out));
  }
  double year_cv = -1;
  if (o.year_effect != "fit") {
    char* end = nullptr;
    year_cv = std::strtod(o.year_effect.c_str(), &end);
    if (o.year_effect.empty() || end != o.year_effect.c_str() + o.year_effect.size() ||
        !(year_cv >= 0 && year_cv <= 10)) {
      std::cerr << "pkrisk calibrate: --year-effect is 'fit' or a coefficient of variation from "
                   "0 to 10, not '"
                << o.year_effect << "'\n";
      return kExitBadInput;
    }
  }
  if (o.factor_range.size() != 2 || !(o.factor_range[0] > 0) ||
      !(o.factor_range[1] > o.factor_range[0])) {
    std::cerr << "pkrisk calibrate: --factor-range needs LO HI with 0 < LO < HI\n";
    return kExitBadInput;
  }
  CalibrationConfig cfg;
  cfg.paths = o.fit;
  cfg.replications = o.replications;
  cfg.seed = o.seed ? *o.seed : ls->baseline().seed;
  cfg.threads = o.threads > 0 ? o.threads : default_threads();
  cfg.factor_lo = o.factor_range[0];
  cfg.factor_hi = o.factor_range[1];
  cfg.levels = o.levels;
  cfg.holdout = holdout;
  cfg.metric = o.metric.empty() ? metric_of_column(o.column) : o.metric;
  cfg.outputs = outputs;
  cfg.year_cv_fixed = year_cv;
  cfg.year_cv_max = o.year_cv_max;
  cfg.draws = o.draws;
  cfg.simulated_likelihood = o.likelihood == "simulated";
  cfg.pmf_replications = o.pmf_replications;
  Diagnostics diags(o.file);
  if (!o.quiet) std::cerr << "calibrate: simulating the design...\n";
  const auto r = calibrate(*ls, observed, cfg, diags);
  for (const auto& d : diags.all()) std::cerr << d.format() << "\n";
  if (!r) return kExitBadInput;

  std::ostringstream provenance;
  provenance << "pkrisk " << kVersion << ", " << o.mission << " " << o.column << " "
             << (o.years.empty() ? "all years" : o.years) << " of " << o.observed << ", "
             << cfg.replications << " replications per point, seed " << cfg.seed;
  if (!o.write.empty())
    if (int rc = write_calibrated(o.file, o.write, *r, provenance.str()); rc) return rc;
  if (!o.posterior_out.empty())
    if (int rc = write_or_fail(o.posterior_out, posterior_csv(*r)); rc) return rc;

  const CalibrationReport report{*ls,     o.observed,      o.mission, o.column,
                                 o.write, o.posterior_out, cfg,       *r};
  if (o.format == "json")
    print_calibration_json(report);
  else
    print_calibration_table(report);
  return kExitOk;
}

}  // namespace

Action add_calibrate(CLI::App& app) {
  auto opt = std::make_shared<CalibrateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "Fit scenario parameters to observed yearly fatalities (posterior and held-out check)");
  add_include_flag(cmd);
  cmd->add_option("FILE", opt->file, "scenario file (YAML)");
  cmd->add_option("--observed", opt->observed,
                  "CSV of observed fatalities (default: the shipped data/un_fatalities.csv)");
  cmd->add_flag("--list-missions", opt->list_missions,
                "list the missions and years the observed CSV holds, then stop");
  cmd->add_option("--mission", opt->mission, "mission whose rows are used (e.g. MINUSMA)");
  cmd->add_option("--column", opt->column, "column of counts (default uniformed_malicious)");
  cmd->add_option("--years", opt->years, "years fitted, e.g. 2014-2016 (default: every row)");
  cmd->add_option("--holdout-years", opt->holdout,
                  "years compared with the fitted prediction but not used in the fit");
  cmd->add_option(
         "--fit", opt->fit,
         "paths of the numbers to fit, e.g. zones[kidal_region].ied.emplacement_per_km_day")
      ->expected(1, 16);
  cmd->add_option("-n,--replications", opt->replications, "replications per design point")
      ->check(whole_number(100000000, 1));
  cmd->add_option("--seed", opt->seed,
                  "master seed, the same at every point (default: the scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("-j,--threads", opt->threads, "worker threads (default: all cores)")
      ->check(whole_number(1024));
  cmd->add_option("--factor-range", opt->factor_range,
                  "design: lowest and highest factor on each value as written (default 0.25 4)")
      ->expected(2);
  cmd->add_option("--levels", opt->levels,
                  "factors per parameter (default 13 for one parameter, 9 for two, 5 beyond)")
      ->check(whole_number(101, 3));
  cmd->add_option("--write", opt->write,
                  "write the scenario with the fitted values substituted to this file");
  cmd->add_option("--metric", opt->metric,
                  "the metric --column counts (default: fatalities_malicious for the malicious "
                  "columns, fatalities_by_cause.road_accident for accident, "
                  "fatalities_by_cause.illness for illness, fatalities for the others; "
                  "docs/model.md §2.8, §6)");
  cmd->add_option("--output", opt->outputs,
                  "a further column fitted jointly, COLUMN=METRIC (e.g. "
                  "ied_deaths=fatalities_by_cause.ied); repeatable");
  cmd->add_option("--year-effect", opt->year_effect,
                  "the year effect's coefficient of variation: 'fit' (default) or a value "
                  "(0: none)");
  cmd->add_option("--year-cv-max", opt->year_cv_max,
                  "upper end of the year effect's flat prior on its coefficient of variation "
                  "(default 1)")
      ->check(CLI::Range(0.01, 10.0));
  cmd->add_option("--likelihood", opt->likelihood,
                  "nb (default): negative binomial with the simulated mean and variance; "
                  "simulated: the simulated probability mass itself (one --fit path, one series, "
                  "a 365-day horizon; docs/calibration.md)")
      ->check(CLI::IsMember({"nb", "simulated"}));
  cmd->add_option("--pmf-replications", opt->pmf_replications,
                  "replications per grid point of the simulated likelihood (default 2000)")
      ->check(whole_number(1000000, 100));
  cmd->add_option("--draws", opt->draws,
                  "posterior draws kept per chain (4 chains; default 5000, at most 100000)")
      ->check(whole_number(100000, 100));
  cmd->add_option("--posterior-out", opt->posterior_out,
                  "write the posterior draws to this CSV (decide's uncertainty: from_samples:)");
  cmd->add_option("--format", opt->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_flag("-q,--quiet", opt->quiet, "no progress on stderr");
  return [opt] { return run_calibrate(*opt); };
}

}  // namespace pk::cli
