// The subcommands of the `pkrisk` program, one file each.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "scenario/loader.hpp"

namespace pk::cli {

// Exit codes (docs/exit-codes.md): 0 ok, 1 acceptance failed, 2 bad input or
// usage (including a directory another sweep holds), 3 a bug in pkrisk, 74 a
// file or stream that could not be read or written (EX_IOERR of sysexits.h),
// 130/143 interrupted.
inline constexpr int kExitOk = 0;
inline constexpr int kExitAcceptance = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;
inline constexpr int kExitIo = 74;

// Each subcommand registers itself and returns the action to run when chosen.
using Action = std::function<int()>;
Action add_validate(CLI::App& app);
Action add_schema(CLI::App& app);
Action add_init(CLI::App& app);
Action add_run(CLI::App& app);
Action add_sweep(CLI::App& app);
Action add_merge(CLI::App& app);
Action add_trace(CLI::App& app);
Action add_report(CLI::App& app);
Action add_calibrate(CLI::App& app);
Action add_voi(CLI::App& app);
Action add_decide(CLI::App& app);
Action add_select(CLI::App& app);

// The program's command line as typed, for manifests.
const std::string& command_line();
void set_command_line(int argc, char** argv);

}  // namespace pk::cli

namespace pk {
struct SweepPlan;
struct DecidePlan;
struct DecideSample;
class ResultStore;
}  // namespace pk

namespace pk::cli {

// Shared by sweep and merge: writes manifest.json; computes and writes
// summary.json of a complete store, then `manifest` (so that a manifest that
// says complete always has its summary beside it), then prints the summary.
int write_manifest(const std::string& dir, const nlohmann::json& m);
int finish_sweep(const LoadedScenario& ls, const SweepPlan& plan, ResultStore& store,
                 const std::string& out, const std::string& format, bool quiet,
                 const nlohmann::json& manifest);

// Where decide's analysis goes besides stdout (table or json).
struct DecideOutputs {
  std::string samples_out;  // every draw as CSV ("" none)
  std::string report;       // the HTML page ("" none)
  std::string format = "table";
};
// Writes and prints `result`, the analysis (decide_json) of a complete sample.
int print_decide(const LoadedScenario& ls, const DecidePlan& plan, const DecideSample& sample,
                 const nlohmann::json& result, const DecideOutputs& outputs);
// Shared by decide and merge: the analysis of a complete store, written to
// `out` (decide.json, samples.csv, then `manifest`), then print_decide.
int finish_decide(const LoadedScenario& ls, const DecidePlan& plan, ResultStore& store,
                  const std::string& out, const DecideOutputs& outputs,
                  const nlohmann::json& manifest);

// `pkrisk report DIR` on the --out directory of a decide: its HTML page, made
// again from the stored draws, written to `out`.
int report_decide(const std::string& dir, const std::string& out);

// Loads a scenario, printing every diagnostic to stderr. nullopt on errors.
std::optional<LoadedScenario> load_or_report(const std::string& file);

// An integer flag written as plain decimal digits, from `min` to `max`: CLI11 alone
// reads " 10" as 10, "0x10" as 16 and "-1" as a huge seed.
CLI::Validator whole_number(int64_t max, int64_t min = 0);
// The largest seed: as a scenario's `seed`, exact in a double.
inline constexpr int64_t kMaxSeed = 9007199254740991;
// Which files the scenarios of this process may name (--allow-outside-files),
// and the flag that sets it on a command that loads scenarios.
IncludePolicy& include_policy();
void add_include_flag(CLI::App* cmd);

}  // namespace pk::cli
