// `pkrisk sweep` and `pkrisk merge` end to end: every route to a result —
// unsharded, sharded and merged, killed and resumed — gives the same bytes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support.hpp"

namespace {

using pk::test::read_file;

// Each test its own stderr file: ctest runs tests in parallel processes.
std::string err_file() {
  return pk::test::temp_path(std::string("sweep_err_") +
                             testing::UnitTest::GetInstance()->current_test_info()->name() +
                             ".txt");
}

int sh(const std::string& cmd) {
  return pk::test::shell(cmd, err_file());
}

const std::string& kBin = pk::test::kBinary;
const std::string kSweep = pk::test::source_path("tests/data/run/sweep.yaml");

std::string fresh(const std::string& name) {
  return pk::test::fresh_dir("sweep_" + name);
}

TEST(Sweep, ShardsMergedEqualTheUnshardedRun) {
  const std::string whole = fresh("whole"), s1 = fresh("s1"), s2 = fresh("s2"), s3 = fresh("s3"),
                    out = fresh("merged");
  const std::string args = " -n 120 --batch 40 -q";
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + whole + args), 0);
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + s1 + args + " --shard 1/3 -j1"), 0);
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + s2 + args + " --shard 2/3 -j2"), 0);
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + s3 + args + " --shard 3/3"), 0);
  ASSERT_EQ(sh(kBin + " merge " + out + " " + s3 + " " + s1 + " " + s2), 0);
  const std::string a = read_file(whole + "/summary.json"), b = read_file(out + "/summary.json");
  EXPECT_EQ(a, b);
  const auto j = nlohmann::json::parse(a);
  EXPECT_EQ(j["points"].size(), 6u);  // 2 × 3 grid
  EXPECT_EQ(j["points"][0]["arms"].size(), 2u);
  EXPECT_TRUE(j["sensitivity"].contains("fatalities"));
  EXPECT_TRUE(j["response"].contains("uav.aircraft"));
  // Neighbouring points share random numbers: IDF does not depend on the swept
  // parameters, so its fatalities are identical at every point.
  for (const auto& p : j["points"])
    EXPECT_EQ(p["arms"][0]["fatalities_by_cause.idf"],
              j["points"][0]["arms"][0]["fatalities_by_cause.idf"]);
}

TEST(Sweep, MergeRefusesMissingOrDuplicatedWork) {
  const std::string s1 = fresh("m1"), s2 = fresh("m2");
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + s1 + " -n 40 --batch 40 -q --shard 1/2"), 0);
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + s2 + " -n 40 --batch 40 -q --shard 2/2"), 0);
  EXPECT_EQ(sh(kBin + " merge " + fresh("m_missing") + " " + s1), 2);
  EXPECT_NE(read_file(err_file()).find("missing"), std::string::npos);
  EXPECT_EQ(sh(kBin + " merge " + fresh("m_dup") + " " + s1 + " " + s1 + " " + s2), 2);
  EXPECT_NE(read_file(err_file()).find("in both"), std::string::npos);
  // Shards of different runs (another seed) do not mix.
  const std::string other = fresh("m_other");
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + other +
               " -n 40 --batch 40 -q --shard 2/2 --seed 9"),
            0);
  EXPECT_EQ(sh(kBin + " merge " + fresh("m_mixed") + " " + s1 + " " + other), 2);
  EXPECT_NE(read_file(err_file()).find("disagree on seed"), std::string::npos);
}

// Starts a sweep, kills it with `sig` once it has stored some work, and returns its exit status.
int start_and_kill(const std::string& out, int sig) {
  const pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(kBin.c_str(), kBin.c_str(), "sweep", kSweep.c_str(), "--out", out.c_str(), "-n", "3000",
          "--batch", "50", "-j1", "-q", static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the sweep has written its manifest and stored some units (the
  // WAL grows), then kill it mid-sweep. Generous: sanitizer builds start slowly.
  for (int i = 0; i < 2400; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    std::error_code ec;
    if (std::filesystem::exists(out + "/manifest.json") &&
        std::filesystem::file_size(out + "/results.sqlite-wal", ec) > 20000)
      break;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(Sweep, KilledWithSigkillResumesToTheSameBytes) {
  const std::string whole = fresh("k_whole"), killed = fresh("k_killed");
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + whole + " -n 3000 --batch 50 -q"), 0);
  EXPECT_EQ(start_and_kill(killed, SIGKILL), 128 + SIGKILL);
  EXPECT_FALSE(std::filesystem::exists(killed + "/summary.json"));
  EXPECT_EQ(sh(kBin + " sweep " + kSweep + " --out " + killed + " -n 3000 --batch 50 -q"),
            2);  // needs --resume
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + killed + " -n 3000 --batch 50 -q --resume"),
            0);
  EXPECT_EQ(read_file(whole + "/summary.json"), read_file(killed + "/summary.json"));
}

TEST(Sweep, SigtermFinishesTheBatchMarksTheManifestAndExits143) {
  const std::string out = fresh("term");
  EXPECT_EQ(start_and_kill(out, SIGTERM), 143);
  const auto m = nlohmann::json::parse(read_file(out + "/manifest.json"));
  EXPECT_EQ(m["status"], "interrupted");
  EXPECT_GT(m["units_done"].get<int64_t>(), 0);
  // A resume with different settings is refused, naming the difference.
  EXPECT_EQ(sh(kBin + " sweep " + kSweep + " --out " + out + " -n 3000 --batch 60 -q --resume"), 2);
  EXPECT_NE(read_file(err_file()).find("batch"), std::string::npos);
}

TEST(Sweep, APointThatBreaksARuleNamesThePointAndTheRule) {
  const std::string bad = pk::test::temp_path("sweep_bad.yaml");
  std::string text = read_file(kSweep);
  text.replace(text.find("range: {from: 0, to: 1, steps: 3}"), 34, "values: [0.5, 1.5]");
  std::ofstream(bad) << text;
  EXPECT_EQ(sh(kBin + " validate " + bad), 2);
  const std::string err = read_file(err_file());
  EXPECT_NE(err.find("= 1.5"), std::string::npos) << err;
  EXPECT_NE(err.find("trained_fraction: must be in [0, 1], got 1.5"), std::string::npos) << err;
}

}  // namespace

namespace {

// Any registered metric can be a response: mines and VBIEDs, whose rates this sweep varies.
TEST(Sweep, MineAndVbiedMetricsAreResponses) {
  const std::string threats = pk::test::source_path("tests/data/run/all_threats.yaml");
  const std::string out = fresh("responses"), shard1 = fresh("responses1"),
                    shard2 = fresh("responses2"), merged = fresh("responses_merged");
  const std::string args =
      " -n 40 --batch 20 -q --response fatalities_by_cause.mine --response vbied.attacks";
  ASSERT_EQ(sh(kBin + " sweep " + threats + " --out " + out + args), 0) << read_file(err_file());
  const auto j = nlohmann::json::parse(read_file(out + "/summary.json"));
  for (const char* m : {"fatalities", "fatalities_by_cause.mine", "vbied.attacks"})
    EXPECT_TRUE(j["sensitivity"].contains(m)) << m;
  // VBIED attacks follow the VBIED rate (the second parameter), not the mine rate.
  const auto& v = j["sensitivity"]["vbied.attacks"]["src"];
  EXPECT_GT(std::fabs(v[1].get<double>()), 0.9);
  EXPECT_LT(std::fabs(v[0].get<double>()), 0.2);
  // Shards remember the responses, so the merged summary is the same.
  ASSERT_EQ(sh(kBin + " sweep " + threats + " --out " + shard1 + args + " --shard 1/2"), 0);
  ASSERT_EQ(sh(kBin + " sweep " + threats + " --out " + shard2 + args + " --shard 2/2"), 0);
  ASSERT_EQ(sh(kBin + " merge " + merged + " " + shard1 + " " + shard2), 0)
      << read_file(err_file());
  EXPECT_EQ(read_file(merged + "/summary.json"), read_file(out + "/summary.json"));
}

TEST(Sweep, AnUnknownResponseIsBadInputNamingCloseMetrics) {
  const std::string out = fresh("bad_response");
  EXPECT_EQ(sh(kBin + " sweep " + kSweep + " --out " + out + " -n 10 -q --response mine.laidd"), 2);
  const std::string err = read_file(err_file());
  EXPECT_NE(err.find("error: sweep: unknown response metric 'mine.laidd'"), std::string::npos)
      << err;
  EXPECT_NE(err.find("mine.laid"), std::string::npos) << err;
}

}  // namespace
