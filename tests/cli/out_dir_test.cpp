// One rule for output directories (docs/exit-codes.md): `run --out`, `sweep
// --out` and `merge OUT` refuse a directory that already holds something
// (exit 2, saying what is there and which flag allows it), never write over
// it silently; --force replaces the previous result, --resume continues a
// sweep; a lock file alone does not count.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support.hpp"

namespace {

using pk::test::fresh_dir;
using pk::test::read_file;
using pk::test::run_pkrisk;

const std::string kSmall = pk::test::source_path("tests/data/run/small.yaml");
const std::string kSweep = pk::test::source_path("tests/data/run/sweep.yaml");
const std::string kRun = "run " + kSmall + " -n 30 -q --out ";
const std::string kSweepRun = "sweep " + kSweep + " -n 40 --batch 40 -q --out ";

void write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(OutDir, RunRefusesANonEmptyDirectoryUnlessForced) {
  const std::string dir = fresh_dir("out_run");
  std::filesystem::create_directories(dir);
  write(dir + "/notes.txt", "mine\n");
  auto r = run_pkrisk(kRun + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("is not empty (it holds notes.txt)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << "refused before running";
  EXPECT_FALSE(std::filesystem::exists(dir + "/summary.json"));
  r = run_pkrisk(kRun + dir + " --force");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(dir + "/notes.txt"), "mine\n");  // --force replaces results, nothing else
  EXPECT_TRUE(std::filesystem::exists(dir + "/summary.json"));
  // Its own previous result is not written over silently either.
  const std::string first = read_file(dir + "/summary.json");
  r = run_pkrisk("run " + kSmall + " -n 40 -q --out " + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(read_file(dir + "/summary.json"), first);
  std::filesystem::remove_all(dir);
}

TEST(OutDir, ALockFileAloneIsAnEmptyDirectory) {
  const std::string dir = fresh_dir("out_lock_only");
  std::filesystem::create_directories(dir);
  write(dir + "/pkrisk.lock", "12345\n");  // left by a run that refused later; nobody holds it
  const auto r = run_pkrisk(kRun + dir);
  EXPECT_EQ(r.code, 0) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(OutDir, SweepRefusesAnotherResultAndResumesOnlyASweep) {
  const std::string dir = fresh_dir("out_sweep");
  ASSERT_EQ(run_pkrisk(kRun + dir).code, 0);  // a run's result
  const std::string summary = read_file(dir + "/summary.json");
  auto r = run_pkrisk(kSweepRun + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("is not empty"), std::string::npos) << r.err;
  r = run_pkrisk(kSweepRun + dir + " --resume");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("holds no sweep results to resume"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir + "/summary.json"), summary);                  // untouched by both
  EXPECT_EQ(run_pkrisk(kSweepRun + dir + " --resume --force").code, 2);  // contradictory
  r = run_pkrisk(kSweepRun + dir + " --force");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(nlohmann::json::parse(read_file(dir + "/summary.json")).contains("points"));
  // A finished sweep there now: again only with --resume (nothing left to do) or --force.
  r = run_pkrisk(kSweepRun + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("--resume (continue the sweep stored there)"), std::string::npos) << r.err;
  EXPECT_EQ(run_pkrisk(kSweepRun + dir + " --resume").code, 0);
  std::filesystem::remove_all(dir);
}

TEST(OutDir, ForcedSweepStartsAfreshFromAnotherSweepsStore) {
  const std::string dir = fresh_dir("out_sweep_force"), clean = fresh_dir("out_sweep_clean");
  ASSERT_EQ(run_pkrisk(kSweepRun + dir + " --seed 5").code, 0);
  // Another seed into the same directory: the old store would not resume; --force replaces it.
  ASSERT_EQ(run_pkrisk(kSweepRun + dir + " --force").code, 0);
  ASSERT_EQ(run_pkrisk(kSweepRun + clean).code, 0);
  EXPECT_EQ(read_file(dir + "/summary.json"), read_file(clean + "/summary.json"));
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(clean);
}

TEST(OutDir, MergeRefusesANonEmptyOutUnlessForced) {
  const std::string shard = fresh_dir("out_merge_shard"), out = fresh_dir("out_merge");
  ASSERT_EQ(run_pkrisk(kSweepRun + shard).code, 0);
  std::filesystem::create_directories(out);
  write(out + "/notes.txt", "x");
  auto r = run_pkrisk("merge " + out + " " + shard);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("is not empty"), std::string::npos) << r.err;
  r = run_pkrisk("merge --force " + out + " " + shard);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(read_file(out + "/summary.json"), read_file(shard + "/summary.json"));
  std::filesystem::remove_all(shard);
  std::filesystem::remove_all(out);
}

}  // namespace
