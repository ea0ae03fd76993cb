#include "usage_hints.hpp"

#include <map>
#include <vector>

#include "scenario/suggest.hpp"

namespace pk::cli {

namespace {

CLI::App* subcommand_named(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

std::string flag_hint(CLI::App& sub, const std::string& arg) {
  const std::string typed = arg.substr(2, arg.find('=') - 2);
  std::vector<std::string> names;
  for (const CLI::Option* o : sub.get_options())
    for (const std::string& n : o->get_lnames()) names.push_back(n);
  for (const std::string& n : names)
    if (n == typed) return "";  // a known flag: the error is elsewhere
  const std::string near = closest_match(typed, names);
  if (near.empty()) return "";
  return "pkrisk " + sub.get_name() + ": unknown flag '--" + typed + "' (did you mean '--" + near +
         "'?)";
}

// Examples per subcommand, on the files a clone has (scenarios/).
const std::map<std::string, std::string>& examples() {
  static const std::map<std::string, std::string> text{
      {"init",
       "  pkrisk init                           # scenario.yaml from the 'convoy' template\n"
       "  pkrisk init camp.yaml --template camp\n"
       "  pkrisk init --list                    # the templates and what each holds"},
      {"validate",
       "  pkrisk validate scenarios/minusma-north.yaml\n"
       "  pkrisk validate my.yaml || echo \"exit $?: see the errors above\""},
      {"run",
       "  pkrisk run scenarios/minusma-north.yaml\n"
       "  pkrisk run my.yaml -n 10000 --seed 7 --report report.html\n"
       "  pkrisk run my.yaml --target-ci 0.02 --format json > result.json\n"
       "  pkrisk run my.yaml --out results/ --force   # over a previous result"},
      {"sweep",
       "  pkrisk sweep scenarios/minusma-north.yaml --out results/\n"
       "  pkrisk sweep my.yaml --out results/ --resume        # after an interruption\n"
       "  pkrisk sweep my.yaml --out results/ --force         # afresh, over old results\n"
       "  pkrisk sweep my.yaml --out part1/ --shard 1/3       # one of three CI jobs"},
      {"merge", "  pkrisk merge all/ part1/ part2/ part3/"},
      {"report",
       "  pkrisk report results/                # writes results/report.html\n"
       "  pkrisk report results/ -o sweep.html"},
      {"trace",
       "  pkrisk trace scenarios/minusma-north.yaml --replication 12\n"
       "  pkrisk trace my.yaml --arm uav_x4 --format jsonl | less"},
      {"calibrate",
       "  pkrisk calibrate --list-missions\n"
       "  pkrisk calibrate scenarios/minusma-north.yaml --mission MINUSMA --years 2014-2016 \\\n"
       "      --fit 'zones[kidal_region].ied.emplacement_per_km_day'"},
      {"decide",
       "  pkrisk decide scenarios/minusma-north.yaml --draws 2000\n"
       "  pkrisk decide scenarios/minusma-north.yaml --wtp 2000000 --samples-out draws.csv\n"
       "  pkrisk decide scenarios/minusma-north.yaml --draws 10000 --out decide/ --shard 1/4"},
      {"select",
       "  pkrisk select mission.yaml            # the file's select: block, docs/select.md\n"
       "  pkrisk select mission.yaml --plan     # the packages it would compare, nothing run\n"
       "  pkrisk select mission.yaml --out sel/ --report sel.html   # kept: --resume continues"},
      {"voi",
       "  pkrisk voi --inputs psa_inputs.csv --outputs psa_net_benefit.csv\n"
       "  pkrisk voi --inputs in.csv --outputs nb.csv --parameters rate,detection --format json"},
      {"schema",
       "  pkrisk schema > scenario.schema.json   # for an editor's YAML plug-in\n"
       "  pkrisk schema --markdown > format.md"},
  };
  return text;
}

}  // namespace

void add_examples(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    auto it = examples().find(sub->get_name());
    if (it != examples().end()) sub->footer("\nExamples:\n" + it->second);
  }
}

std::string usage_hint(CLI::App& app, int argc, char** argv) {
  if (argc < 2) return "";
  const std::string first = argv[1];
  if (first.empty() || first[0] == '-') return "";
  CLI::App* sub = subcommand_named(app, first);
  if (!sub) {
    std::vector<std::string> names;
    for (const CLI::App* s : app.get_subcommands({})) names.push_back(s->get_name());
    const std::string near = closest_match(first, names);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return "pkrisk: unknown command '" + first + "'" +
           (near.empty() ? "" : " (did you mean '" + near + "'?)") + "; the commands are " + list;
  }
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) == 0 && arg.size() > 2)
      if (std::string hint = flag_hint(*sub, arg); !hint.empty()) return hint;
  }
  return "";
}

}  // namespace pk::cli
