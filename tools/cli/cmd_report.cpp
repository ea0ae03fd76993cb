// `pkrisk report RESULT -o report.html`: one self-contained HTML file with
// SVG charts from the summary.json of `pkrisk run --out` or `pkrisk sweep --out`.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/result_read.hpp"
#include "experiment/store.hpp"
#include "report/html_report.hpp"
#include "report/output.hpp"
#include "report/report.hpp"
#include "report/select_report.hpp"
#include "util/text.hpp"

namespace pk::cli {

namespace {

struct ReportOptions {
  std::string result;
  std::string out;
  std::string scenario;
};

bool is_dir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string dir_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Sweep summaries do not describe the scenario: find its file (the one whose
// sha256 the summary names) and describe it. Candidates: --scenario, the
// summary's file name (as given, or next to the result), and the YAML files
// named on the command line recorded in manifest.json.
std::optional<nlohmann::json> find_overview(const nlohmann::json& summary, const std::string& dir,
                                            const std::string& given) {
  const auto& sc = summary.value("scenario", nlohmann::json::object());
  const std::string sha = sc.value("sha256", "");
  std::vector<std::string> candidates;
  if (!given.empty()) candidates.push_back(given);
  if (sc.contains("file") && sc["file"].is_string()) {
    const std::string f = sc["file"].get<std::string>();
    candidates.push_back(f);
    candidates.push_back(dir + "/" + f);
    candidates.push_back(dir + "/../" + f);
  }
  std::string manifest;
  if (read_file(dir + "/manifest.json", manifest)) {
    const auto m = nlohmann::json::parse(manifest, nullptr, false);
    if (m.is_object() && m.contains("command") && m["command"].is_string()) {
      std::istringstream words(m["command"].get<std::string>());
      for (std::string w; words >> w;)
        if (w.size() > 5 && (w.ends_with(".yaml") || w.ends_with(".yml"))) candidates.push_back(w);
    }
  }
  for (const auto& c : candidates) {
    std::ifstream probe(c);
    if (!probe) continue;
    Diagnostics diags(c);
    auto ls = load_scenario(c, diags, include_policy());
    if (!ls) continue;
    if (!sha.empty() && ls->sha256 != sha) {
      if (c == given)
        std::fprintf(stderr,
                     "pkrisk report: %s is not the scenario of this result (sha256 differs); "
                     "its overview is left out\n",
                     c.c_str());
      continue;
    }
    return scenario_overview(*ls);
  }
  return std::nullopt;
}

// The command whose --out directory `dir` is, as its store says ("decide",
// "select"; "" for a sweep's store, which predates the key, or no store).
std::string stored_command(const std::string& dir) {
  const std::string path = dir + "/results.sqlite";
  if (::access(path.c_str(), F_OK) != 0) return "";
  std::string error;
  const auto store = ResultStore::open(path, error);
  if (!store) return "";
  const auto meta = store->meta();
  const auto it = meta.find("command");
  return it == meta.end() ? "" : it->second;
}

// The page of a select directory, from its select.json and the scenario its
// store holds.
int report_select(const std::string& dir, const std::string& out) {
  std::string text, error;
  if (!read_file(dir + "/select.json", text))
    return fail(kExitBadInput, "report: " + dir +
                                   " holds an unfinished select (no select.json): continue it "
                                   "with `pkrisk select SCENARIO --out " +
                                   dir + " --resume`");
  const auto result = nlohmann::json::parse(text, nullptr, false);
  if (result.is_discarded() || !result.contains("select"))
    return fail(kExitBadInput, "report: " + dir + "/select.json is not a pkrisk select result");
  const auto store = ResultStore::open(dir + "/results.sqlite", error);
  if (!store) return fail(kExitIo, "report: " + error);
  auto meta = store->meta();
  Diagnostics diags(meta["scenario_file"]);
  const auto ls = load_stored_scenario(meta, diags, error);
  if (!ls) return fail(kExitBadInput, "report: the scenario stored in " + dir + " " + error);
  return write_or_fail(out, select_html(result, ls->baseline().name));
}

// A sweep directory without its summary: how far it got, read from the store
// itself (the manifest of a sweep killed with -9 still says "running").
int unfinished_sweep(const std::string& dir) {
  std::string error;
  bool damaged = false;
  const auto store = ResultStore::open(dir + "/results.sqlite", error, &damaged);
  if (!store) return fail(damaged ? kExitBadInput : kExitIo, "report: " + error);
  const auto meta = store->meta();
  const size_t done = store->units().size();
  const std::string units = meta.count("units") ? meta.at("units") : "?";
  const std::string shard = meta.count("shard") ? meta.at("shard") : "1/1";
  long pid = 0;
  std::string state;
  if (results_dir_in_use(dir, pid))
    state = "a sweep (PID " + std::to_string(pid) + ") is still running in it: wait for it";
  else if (shard != "1/1")
    state = "it holds shard " + shard + ": join the shards with `pkrisk merge OUT DIR...`";
  else
    state =
        "the sweep stopped before its end (interrupted or killed): continue it with "
        "`pkrisk sweep SCENARIO --out " +
        dir + " --resume`";
  return fail(kExitBadInput, "report: " + dir + " holds an unfinished sweep, " +
                                 std::to_string(done) + " of " + units +
                                 " work units in its store, no summary.json yet; " + state);
}

}  // namespace

Action add_report(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "report", "A self-contained HTML report with charts of a run, sweep, decide or select");
  auto o = std::make_shared<ReportOptions>();
  add_include_flag(cmd);
  cmd->add_option("RESULT", o->result,
                  "a `pkrisk run --out`, `sweep --out`, `decide --out` or `select --out` "
                  "directory (or the "
                  "summary.json of a run or sweep)")
      ->required();
  cmd->add_option("-o,--output", o->out, "the HTML file to write (default: RESULT/report.html)");
  cmd->add_option("--scenario", o->scenario,
                  "the scenario file, to describe it in a sweep report (found by itself when "
                  "the manifest names it)");
  return [o] {
    const bool dir = is_dir(o->result);
    const std::string summary_path = dir ? o->result + "/summary.json" : o->result;
    const std::string result_dir = dir ? o->result : dir_of(o->result);
    std::string text;
    const std::string command = dir ? stored_command(o->result) : "";
    const std::string page = o->out.empty() ? result_dir + "/report.html" : o->out;
    if (command == "decide") return report_decide(o->result, page);
    if (command == "select") return report_select(o->result, page);
    if (dir && !read_file(summary_path, text) &&
        ::access((o->result + "/results.sqlite").c_str(), F_OK) == 0)
      return unfinished_sweep(o->result);
    if (!read_file(summary_path, text)) {
      std::fprintf(stderr,
                   "pkrisk report: cannot read %s (expected the --out directory of "
                   "`pkrisk run` or `pkrisk sweep`)\n",
                   summary_path.c_str());
      return kExitBadInput;
    }
    auto summary = nlohmann::json::parse(text, nullptr, false);
    if (summary.is_discarded() || !summary.is_object() ||
        !(summary.contains("arms") || summary.contains("points"))) {
      std::fprintf(stderr, "pkrisk report: %s is not a pkrisk run or sweep summary\n",
                   summary_path.c_str());
      return kExitBadInput;
    }
    if (std::string why = check_result_schema_version(summary); !why.empty()) {
      std::fprintf(stderr, "pkrisk report: cannot read %s: %s\n", summary_path.c_str(),
                   printable(why).c_str());
      return kExitBadInput;
    }
    if (!summary.contains("overview") || !o->scenario.empty()) {
      if (auto ov = find_overview(summary, result_dir, o->scenario))
        summary["overview"] = *ov;
      else if (summary.contains("points"))
        std::fprintf(stderr,
                     "pkrisk report: scenario file not found; the report leaves out what the "
                     "scenario holds (give it with --scenario)\n");
    }
    const std::string out = o->out.empty() ? result_dir + "/report.html" : o->out;
    std::string html;
    try {
      html = html_report(summary);
    } catch (const nlohmann::json::exception& e) {
      std::fprintf(stderr, "pkrisk report: %s does not have the expected shape: %s\n",
                   summary_path.c_str(), e.what());
      return kExitBadInput;
    }
    if (std::string err = write_file_atomic(out, html); !err.empty()) {
      std::fprintf(stderr,
                   "pkrisk report: %s (check the free space and permissions of its folder, or "
                   "choose another path with -o)\n",
                   err.c_str());
      return kExitIo;
    }
    std::fprintf(stderr, "pkrisk report: wrote %s (%zu bytes)\n", out.c_str(), html.size());
    return kExitOk;
  };
}

}  // namespace pk::cli
