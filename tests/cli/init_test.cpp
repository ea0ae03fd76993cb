// `pkrisk init` and the help that teaches: every template loads, runs and
// compares its arms; init never overwrites a file silently; mistyped commands,
// flags and template names get a suggestion; every example in --help uses
// flags the subcommand has.
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../support.hpp"

namespace pk::test {
namespace {

std::vector<std::string> template_names() {
  const RunResult r = run_pkrisk("init --list");
  EXPECT_EQ(r.code, 0) << r.err;
  std::vector<std::string> names;
  std::istringstream in(r.out);
  for (std::string name, rest; in >> name && std::getline(in, rest);) names.push_back(name);
  return names;
}

TEST(Init, ListsTheStarterTemplates) {
  const auto names = template_names();
  for (const char* expected : {"convoy", "camp", "mission", "full"})
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
}

TEST(Init, EveryTemplateValidatesAndRunsWithTwoArmsOrMore) {
  for (const std::string& name : template_names()) {
    const std::string dir = fresh_dir("init_" + name);
    std::filesystem::create_directories(dir);
    const RunResult w = run_pkrisk("init s.yaml --template " + name, dir);
    ASSERT_EQ(w.code, 0) << name << ": " << w.err;
    EXPECT_NE(w.out.find("pkrisk validate s.yaml"), std::string::npos) << w.out;
    const std::string text = read_file(dir + "/s.yaml");
    EXPECT_EQ(text.find("yaml-language-server"), std::string::npos)
        << name << ": a modeline that points into the repository";
    const RunResult v = run_pkrisk("validate s.yaml", dir);
    EXPECT_EQ(v.code, 0) << name << ": " << v.err;
    const RunResult r = run_pkrisk("run s.yaml -n 50 -q --format json", dir);
    ASSERT_EQ(r.code == 0 || r.code == 1, true) << name << ": " << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GE(j.at("arms").size(), 3u) << name << ": the baseline and two mitigation arms";
    std::filesystem::remove_all(dir);
  }
}

TEST(Init, RefusesToOverwriteUnlessForced) {
  const std::string dir = fresh_dir("init_overwrite");
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/scenario.yaml") << "my work\n"; }
  const RunResult r = run_pkrisk("init", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir + "/scenario.yaml"), "my work\n");
  EXPECT_EQ(run_pkrisk("init --force", dir).code, 0);
  EXPECT_NE(read_file(dir + "/scenario.yaml").find("pkrisk: 1"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Init, UnknownTemplateSuggestsTheClosest) {
  const RunResult r = run_pkrisk("init x.yaml --template cnovoy", "/tmp");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'convoy'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists("/tmp/x.yaml"));
}

TEST(Hints, MistypedCommandAndFlagGetASuggestion) {
  RunResult r = run_pkrisk("rnu x.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'run'"), std::string::npos) << r.err;
  r = run_pkrisk("run " + kReferenceScenario + " --seeed 3");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean '--seed'"), std::string::npos) << r.err;
  r = run_pkrisk("sweep " + kReferenceScenario + " --out /tmp/x --reponse fatalities");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean '--response'"), std::string::npos) << r.err;
}

// The examples under --help are the first thing a newcomer copies: each names
// flags its subcommand has.
TEST(Hints, EveryHelpHasExamplesWithRealFlags) {
  const RunResult top = run_pkrisk("--help");
  const std::regex command_line(R"(^  (\w+)\s{2,}\S)");
  std::vector<std::string> commands;
  std::istringstream in(top.out);
  bool in_commands = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Subcommands:", 0) == 0) in_commands = true;
    std::smatch m;
    if (in_commands && std::regex_search(line, m, command_line)) commands.push_back(m[1]);
  }
  ASSERT_GE(commands.size(), 9u) << top.out;
  for (const std::string& c : commands) {
    const RunResult help = run_pkrisk(c + " --help");
    const size_t at = help.out.find("Examples:");
    ASSERT_NE(at, std::string::npos) << c << " --help has no examples";
    const std::string examples = help.out.substr(at);
    const std::string options = help.out.substr(0, at);
    const std::regex flag(R"(\s(--?[a-z][a-z-]*))");
    for (std::sregex_iterator it(examples.begin(), examples.end(), flag), end; it != end; ++it) {
      const std::string f = (*it)[1];
      EXPECT_TRUE(std::regex_search(options, std::regex("[ ,]" + f + "[ ,]")))
          << c << ": the example flag " << f << " is not one of its options";
    }
  }
}

}  // namespace
}  // namespace pk::test
