// End-to-end tests of the pkrisk program on bad input: every file of
// tests/data/bad/ must be refused with exit code 2 and a first error line
// `FILE:LINE:COL: error: ...` that points where expected.tsv says — never a
// crash, a hang or a silent acceptance. Also the command-line basics:
// missing file, directory, the valid files, `schema`, `--version`, usage errors.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace {

const std::string kBadDir = pk::test::source_path("tests/data/bad");
constexpr int kExitBadInput = 2;
constexpr auto kTimeout = std::chrono::seconds(10);

struct RunResult {
  bool timed_out = false;
  bool exited = false;  // normal exit (not killed by a signal)
  int code = -1;        // exit code when exited
  int signal = 0;       // signal number when killed
  std::string out, err;
};

std::string temp_file() {
  std::string name = ::testing::TempDir() + "pk_cli_XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd >= 0) ::close(fd);
  return name;
}

// Runs PK_BINARY with `args`, stdout and stderr captured; killed after kTimeout.
RunResult run_pkrisk(const std::vector<std::string>& args) {
  const std::string out_path = temp_file(), err_path = temp_file();
  std::vector<std::string> argv_s{PK_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  RunResult r;
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_TRUNC);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_TRUNC);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0), ::dup2(out, 1), ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid < 0) {
    r.err = "fork failed";
    return r;
  }
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  int status = 0;
  for (;;) {
    const pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      r.timed_out = true;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!r.timed_out) {
    r.exited = WIFEXITED(status);
    if (r.exited) r.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  }
  r.out = pk::test::read_file(out_path);
  r.err = pk::test::read_file(err_path);
  ::unlink(out_path.c_str());
  ::unlink(err_path.c_str());
  return r;
}

// The first line of `text` holding ": error: ", or "".
std::string first_error_line(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(": error: ") != std::string::npos) return line;
  return {};
}

struct Case {
  std::string file;
  int line = 0;
  std::string fragment;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.file << " (line " << c.line << ", \"" << c.fragment << "\")";
}

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  std::ifstream f(kBadDir + "/expected.tsv");
  for (std::string row; std::getline(f, row);) {
    if (row.empty() || row[0] == '#') continue;
    const size_t t1 = row.find('\t');
    const size_t t2 = t1 == std::string::npos ? t1 : row.find('\t', t1 + 1);
    if (t2 == std::string::npos) {
      cases.push_back({"(malformed row: " + row + ")", -1, ""});
      continue;
    }
    cases.push_back({row.substr(0, t1), std::atoi(row.substr(t1 + 1, t2 - t1 - 1).c_str()),
                     row.substr(t2 + 1)});
  }
  return cases;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = load_cases();
  return all;
}

class BadCorpus : public ::testing::TestWithParam<Case> {};

TEST_P(BadCorpus, RefusedWithExitTwoAndPlacedError) {
  const Case& c = GetParam();
  ASSERT_GE(c.line, 0) << "bad row in expected.tsv: " << c.file;
  const std::string path = kBadDir + "/" + c.file;
  ASSERT_EQ(::access(path.c_str(), R_OK), 0) << "corpus file missing: " << path;

  const RunResult r = run_pkrisk({"validate", path});
  ASSERT_FALSE(r.timed_out) << c.file << ": pkrisk validate did not finish within "
                            << kTimeout.count() << " s (hang)";
  ASSERT_TRUE(r.exited) << c.file << ": pkrisk validate crashed with signal " << r.signal << " ("
                        << strsignal(r.signal) << ")\nstderr:\n"
                        << r.err.substr(0, 2000);
  EXPECT_EQ(r.code, kExitBadInput) << c.file << ": expected exit code 2 (bad input)\nstderr:\n"
                                   << r.err.substr(0, 2000);

  const std::string first = first_error_line(r.err);
  ASSERT_FALSE(first.empty()) << c.file << ": no `error:` line on stderr:\n"
                              << r.err.substr(0, 2000);
  const std::string prefix =
      c.line == 0 ? path + ": error: " : path + ":" + std::to_string(c.line) + ":";
  EXPECT_EQ(first.rfind(prefix, 0), 0u) << c.file << ": the first error should start with `"
                                        << prefix << "`, got:\n  " << first.substr(0, 500);
  if (c.line > 0) {
    // FILE:LINE:COL: error: — a column follows the line.
    const std::regex placed(R"(^:[0-9]+:[0-9]+: error: )");
    EXPECT_TRUE(std::regex_search(first.substr(path.size()), placed))
        << c.file << ": expected FILE:LINE:COL: error:, got:\n  " << first.substr(0, 500);
  }
  EXPECT_NE(first.find(c.fragment), std::string::npos)
      << c.file << ": the first error should contain `" << c.fragment << "`, got:\n  "
      << first.substr(0, 500);
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err.substr(0, 2000);
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.file;
  if (const size_t dot = name.rfind('.'); dot != std::string::npos) name.resize(dot);
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name.empty() ? "row" + std::to_string(info.index) : name;
}

INSTANTIATE_TEST_SUITE_P(Files, BadCorpus, ::testing::ValuesIn(cases()), case_name);

TEST(BadCorpusIndex, HasAtLeastFortyRowsOneForEveryFile) {
  EXPECT_GE(cases().size(), 40u);
  std::set<std::string> listed;
  for (const auto& c : cases())
    EXPECT_TRUE(listed.insert(c.file).second) << "listed twice: " << c.file;
  // Every corpus file has its row (a file without one would never be checked), and back.
  std::set<std::string> on_disk;
  for (const auto& e : std::filesystem::directory_iterator(kBadDir))
    if (e.path().extension() == ".yaml") on_disk.insert(e.path().filename().string());
  for (const auto& f : on_disk) EXPECT_TRUE(listed.count(f)) << f << " has no row in expected.tsv";
  for (const auto& f : listed) EXPECT_TRUE(on_disk.count(f)) << f << " is listed but missing";
}

TEST(PkriskCli, MissingFileIsBadInputNamingTheFile) {
  const std::string path = kBadDir + "/no-such-scenario.yaml";
  const RunResult r = run_pkrisk({"validate", path});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, kExitBadInput);
  EXPECT_EQ(first_error_line(r.err).rfind(path + ": error: ", 0), 0u) << r.err;
}

TEST(PkriskCli, DirectoryIsBadInputNamingIt) {
  const RunResult r = run_pkrisk({"validate", kBadDir});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, kExitBadInput);
  const std::string first = first_error_line(r.err);
  EXPECT_EQ(first.rfind(kBadDir + ": error: ", 0), 0u) << r.err;
  EXPECT_NE(first.find("directory"), std::string::npos) << r.err;
}

TEST(PkriskCli, ReferenceScenarioIsValid) {
  const std::string path = pk::test::kReferenceScenario;
  const RunResult r = run_pkrisk({"validate", path});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(first_error_line(r.err), "");
  EXPECT_NE(r.out.find("valid"), std::string::npos) << r.out;
}

TEST(PkriskCli, MinimalGoodScenarioIsValid) {
  const std::string path = std::string(PK_SOURCE_DIR) + "/tests/data/good/minimal.yaml";
  const RunResult r = run_pkrisk({"validate", path});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(first_error_line(r.err), "");
}

TEST(PkriskCli, SchemaIsDraft07JsonCoveringEveryTopLevelKey) {
  const RunResult r = run_pkrisk({"schema"});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json schema;
  ASSERT_NO_THROW(schema = nlohmann::json::parse(r.out)) << r.out.substr(0, 500);
  ASSERT_TRUE(schema.contains("$schema"));
  EXPECT_NE(schema["$schema"].get<std::string>().find("draft-07"), std::string::npos);
  ASSERT_TRUE(schema.contains("properties"));
  const auto& props = schema["properties"];

  // Top-level keys of the reference: the lines that start with `key:` at column 0.
  std::ifstream ref(pk::test::kReferenceScenario);
  const std::regex top_key(R"(^([A-Za-z_][A-Za-z0-9_]*):)");
  std::vector<std::string> keys;
  for (std::string line; std::getline(ref, line);) {
    std::smatch m;
    if (std::regex_search(line, m, top_key)) keys.push_back(m[1]);
  }
  EXPECT_GE(keys.size(), 10u) << "could not read the reference's top-level keys";
  for (const auto& k : keys) EXPECT_TRUE(props.contains(k)) << "schema lacks property " << k;
}

TEST(PkriskCli, VersionExitsZeroAndPrintsAVersion) {
  const RunResult r = run_pkrisk({"--version"});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"([0-9]+\.[0-9]+\.[0-9]+)"))) << r.out;
}

TEST(PkriskCli, UnknownSubcommandIsBadInput) {
  const RunResult r = run_pkrisk({"frobnicate"});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, kExitBadInput);
}

TEST(PkriskCli, ValidateWithoutFileIsBadInput) {
  const RunResult r = run_pkrisk({"validate"});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, kExitBadInput);
}

TEST(PkriskCli, NoArgumentsIsBadInput) {
  const RunResult r = run_pkrisk({});
  ASSERT_TRUE(r.exited) << "signal " << r.signal;
  EXPECT_EQ(r.code, kExitBadInput);
}

}  // namespace
