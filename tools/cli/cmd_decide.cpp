// `pkrisk decide FILE --draws N --reps-per-draw M`: which arm to choose when
// the inputs of the `uncertainty:` block are uncertain, and what knowing them
// better is worth (docs/decide.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/decide.hpp"
#include "report/decide_report.hpp"
#include "session.hpp"

namespace pk::cli {

namespace {

struct DecideOptions {
  std::string file;
  int64_t draws = 1000;
  int64_t reps = 10;
  std::optional<uint64_t> seed;
  std::optional<double> wtp;
  std::string objective;
  double mission_years = 0;
  int threads = 0;
  std::string format = "table";
  std::string samples_out;
  std::string report;
  bool quiet = false;
};

int run_decide_command(const DecideOptions& o) {
  std::optional<LoadedScenario> ls = load_or_report(o.file);
  if (!ls) return kExitBadInput;
  if (ls->uncertainty.inputs.empty())
    return fail(kExitBadInput, o.file +
                                   ": the scenario has no uncertainty: block (docs/decide.md "
                                   "shows how to write one)");
  DecideSettings settings;
  settings.draws = o.draws;
  settings.reps_per_draw = o.reps;
  settings.seed = o.seed.value_or(ls->baseline().seed);
  settings.net_benefit = o.objective == "net-benefit" || (o.objective.empty() && o.wtp);
  if (settings.net_benefit && !o.wtp)
    return fail(kExitBadInput, "--objective net-benefit needs --wtp (USD per death averted)");
  settings.wtp_usd = o.wtp.value_or(0);
  settings.mission_years = o.mission_years;
  settings.threads = o.threads > 0 ? o.threads : default_threads();
  Diagnostics diags(o.file);
  std::vector<SweepPoint> points;
  const bool planned = plan_decide(*ls, settings, points, diags);
  print_diagnostics(diags);
  if (!planned) return kExitBadInput;
  if (!o.quiet)
    std::fprintf(stderr, "decide: %lld draws x %zu arms x %lld replications...\n",
                 static_cast<long long>(settings.draws), ls->arms.size(),
                 static_cast<long long>(settings.reps_per_draw));
  ExecutionPolicy policy;
  policy.stop = &stop_requested();
  catch_interrupts();
  const DecideSample sample = run_decide(*ls, settings, points, policy);
  release_interrupts();
  if (!sample.complete) {
    std::fprintf(stderr, "pkrisk: interrupted after %zu of %lld draws; nothing written\n",
                 sample.x.size(), static_cast<long long>(settings.draws));
    return interrupted_exit_code();
  }
  if (!o.samples_out.empty())
    if (int rc = write_or_fail(o.samples_out, decide_samples_csv(sample, settings)); rc) return rc;
  const nlohmann::json result = decide_json(sample, settings);
  if (!o.report.empty())
    if (int rc = write_or_fail(o.report, decide_html(result, sample, ls->baseline().name)); rc)
      return rc;
  if (o.format == "json")
    std::cout << result.dump(2) << "\n";
  else
    std::cout << decide_table(result);
  return kExitOk;
}

}  // namespace

Action add_decide(CLI::App& app) {
  auto o = std::make_shared<DecideOptions>();
  CLI::App* cmd =
      app.add_subcommand("decide",
                         "Probability each arm is best, and the value of information, under the "
                         "scenario's uncertain inputs");
  add_include_flag(cmd);
  cmd->add_option("FILE", o->file, "scenario file with an uncertainty: block")->required();
  cmd->add_option("--draws", o->draws, "draws of the uncertain inputs (default 1000)")
      ->check(whole_number(kMaxSweepPoints))
      ->check(CLI::Range(int64_t{1}, kMaxSweepPoints));
  cmd->add_option("--reps-per-draw", o->reps, "replications of every arm at each draw (default 10)")
      ->check(whole_number(1000000))
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  cmd->add_option("--seed", o->seed,
                  "master seed of the draws and replications (default: the "
                  "scenario's)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("--wtp", o->wtp,
                  "value put on one death averted, USD (net benefit = "
                  "-wtp x deaths - cost)")
      ->check(CLI::Range(0.0, 1e12));
  cmd->add_option("--objective", o->objective,
                  "fatalities or net-benefit (default: net-benefit with --wtp, else fatalities)")
      ->check(CLI::IsMember({"fatalities", "net-benefit"}));
  cmd->add_option("--mission-years", o->mission_years,
                  "value of information for the mission: per-year values times this (default: "
                  "the horizon)")
      ->check(CLI::Range(0.0, 1e6));
  cmd->add_option("-j,--threads", o->threads, "worker threads (default: all cores)")
      ->check(whole_number(1024));
  cmd->add_option("--samples-out", o->samples_out,
                  "write every draw's inputs and each arm's outcomes to this CSV");
  cmd->add_option("--report", o->report,
                  "write an HTML page: P(best), the cost-effectiveness plane, acceptability "
                  "curves, the EVPPI tornado");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_flag("-q,--quiet", o->quiet, "no progress on stderr");
  return [o] { return run_decide_command(*o); };
}

}  // namespace pk::cli
