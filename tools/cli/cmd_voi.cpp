// `pkrisk voi --inputs PARS.csv --outputs NB.csv`: EVPI and EVPPI of a
// probabilistic sensitivity analysis made by any model (docs/decide.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "console.hpp"
#include "experiment/psa.hpp"

namespace pk::cli {

namespace {

struct VoiOptions {
  std::string inputs, outputs;
  std::vector<std::string> parameters;  // each "a" or "a,b": one EVPPI
  std::string groups;
  std::string format = "table";
  uint64_t seed = 1;
};

int read_or_fail(const std::string& path, const char* flag, std::string& out) {
  if (read_file(path, out)) return kExitOk;
  return fail(kExitBadInput, std::string("cannot read ") + flag + " " + path);
}

void print_table(const nlohmann::json& r) {
  std::printf("value of information, %lld draws, %zu decisions (per unit of net benefit)\n",
              static_cast<long long>(r["draws"].get<int64_t>()), r["decisions"].size());
  std::printf("EVPI %12.6g   (%s)\n\n", r["evpi"].get<double>(),
              r["evpi_method"].get<std::string>().c_str());
  std::printf("%-40s %12s %10s %6s  %s\n", "EVPPI of", "value", "se", "R²", "regression");
  for (const auto& e : r["evppi"]) {
    std::string names = e.contains("group") ? e["group"].get<std::string>() + " (" : "";
    for (size_t i = 0; i < e["parameters"].size(); ++i) {
      if (i) names += ",";
      names += e["parameters"][i].get<std::string>();
    }
    if (e.contains("group")) names += ")";
    std::printf("%-40s %12.6g %10.3g %6.3f  %s\n", names.c_str(), e["value"].get<double>(),
                e["se"].get<double>(), e["r2"].get<double>(),
                e.contains("note") ? e["note"].get<std::string>().c_str()
                                   : e["model"].get<std::string>().c_str());
  }
}

int run_voi(const VoiOptions& o) {
  std::string in_text, out_text, error;
  if (int rc = read_or_fail(o.inputs, "--inputs", in_text); rc) return rc;
  if (int rc = read_or_fail(o.outputs, "--outputs", out_text); rc) return rc;
  NamedPsa psa;
  if (!read_psa_csv(in_text, o.inputs, out_text, o.outputs, psa, error))
    return fail(kExitBadInput, error);
  VoiRequest request;
  request.seed = o.seed;
  for (const std::string& list : o.parameters) {
    InputGroup set{"", {}};
    if (!parse_input_list(list, psa, set.inputs, error))
      return fail(kExitBadInput, "--parameters: " + error);
    request.sets.push_back(std::move(set));
  }
  if (!o.groups.empty()) {
    std::string text;
    if (int rc = read_or_fail(o.groups, "--groups", text); rc) return rc;
    std::vector<InputGroup> groups;
    if (!read_groups_csv(text, o.groups, psa, groups, error)) return fail(kExitBadInput, error);
    // Every input alone, then the groups, unless --parameters chose the sets.
    if (request.sets.empty())
      for (size_t j = 0; j < psa.inputs.size(); ++j)
        request.sets.push_back({"", {static_cast<int>(j)}});
    request.sets.insert(request.sets.end(), groups.begin(), groups.end());
  }
  const nlohmann::json r = voi_json(psa, request);
  if (o.format == "json")
    std::cout << r.dump(2) << "\n";
  else
    print_table(r);
  return kExitOk;
}

}  // namespace

Action add_voi(CLI::App& app) {
  auto opt = std::make_shared<VoiOptions>();
  CLI::App* cmd = app.add_subcommand(
      "voi", "Value of information (EVPI, EVPPI) of a PSA sample made by any model");
  cmd->add_option("--inputs", opt->inputs, "CSV of the draws' inputs, one column per input")
      ->required();
  cmd->add_option("--outputs", opt->outputs,
                  "CSV of the draws' net benefits, one column per decision (larger is better)")
      ->required();
  cmd->add_option("--parameters", opt->parameters,
                  "inputs whose EVPPI is wanted jointly, e.g. a,b (repeat for more; default: "
                  "each input alone)");
  cmd->add_option("--groups", opt->groups, "CSV `group,input`: an EVPPI per group as well");
  cmd->add_option("--seed", opt->seed, "seed of the standard errors' draws (default 1)")
      ->check(whole_number(kMaxSeed));
  cmd->add_option("--format", opt->format, "table or json")
      ->check(CLI::IsMember({"table", "json"}));
  return [opt] { return run_voi(*opt); };
}

}  // namespace pk::cli
