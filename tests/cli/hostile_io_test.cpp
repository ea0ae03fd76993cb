// Hostile files and a hostile environment: names that try to become
// spreadsheet formulas or terminal commands, scenarios that try to read other
// files, outputs that cannot be written, a directory two sweeps share.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"
#include "util/csv.hpp"

namespace {

using pk::test::fresh_dir;
using pk::test::read_file;
using pk::test::run_pkrisk;
using pk::test::source_path;
using pk::test::temp_path;

const std::string& kBin = pk::test::kBinary;
const std::string kSmall = source_path("tests/data/run/small.yaml");
const std::string kSweep = source_path("tests/data/run/sweep.yaml");
const std::string kMinimal = source_path("tests/data/good/minimal.yaml");

// Runs a shell command line; its exit code, stderr in `err`.
int sh(const std::string& command, std::string* err = nullptr) {
  const std::string err_path = temp_path("sh_err.txt");
  const int code = pk::test::exit_code(std::system((command + " 2>" + err_path).c_str()));
  if (err) *err = read_file(err_path);
  std::filesystem::remove(err_path);
  return code;
}

const std::string kHostile = source_path("tests/data/hostile/");

void write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Every record of a CSV has as many fields as its header.
void expect_rectangular(const std::string& csv) {
  std::vector<pk::CsvRecord> records;
  std::string error;
  ASSERT_TRUE(pk::read_csv(csv, records, error)) << error;
  ASSERT_GT(records.size(), 1u);
  for (const auto& r : records)
    EXPECT_EQ(r.fields.size(), records[0].fields.size()) << "line " << r.line;
}

TEST(HostileCsv, AFormulaArmNameIsOneNeutralisedCellInEveryCsv) {
  const std::string per_rep = temp_path("hyperlink_rows.csv");
  const auto r = run_pkrisk("run " + kHostile + "io-csv-hyperlink-arm.yaml -n 30 -q --format csv" +
                            " --per-replication " + per_rep);
  ASSERT_EQ(r.code, 0) << r.err;
  expect_rectangular(r.out);
  EXPECT_NE(r.out.find("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",fatalities,"),
            std::string::npos)
      << r.out.substr(0, 2000);
  const std::string rows = read_file(per_rep);
  expect_rectangular(rows);
  EXPECT_NE(rows.find(",\"'=HYPERLINK("), std::string::npos);
  std::filesystem::remove(per_rep);
}

// ---- 2. Files a scenario names ------------------------------------------------

// A scenario in a fresh folder whose catalogue is `catalogue`.
std::string scenario_with_catalogue(const std::string& dir, const std::string& catalogue) {
  std::filesystem::create_directories(dir);
  std::string text = read_file(kMinimal);
  text.replace(text.find("vehicle_types:\n"), 0, "vehicle_catalogue: " + catalogue + "\n");
  write(dir + "/s.yaml", text);
  return dir + "/s.yaml";
}

TEST(HostileInclude, AFileThatIsNotACatalogueIsNeverEchoed) {
  for (const char* flag : {"", "--allow-outside-files "}) {
    const auto r = run_pkrisk(std::string("validate ") + flag + kHostile +
                              "io-include-etc-passwd-allowed.yaml");
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_EQ(r.err.find("root:"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("/bin/"), std::string::npos) << r.err;
  }
  const auto notes = run_pkrisk("validate " + kHostile + "io-include-secret-notes.yaml");
  EXPECT_EQ(notes.code, 2);
  EXPECT_NE(notes.err.find("is not a vehicle catalogue"), std::string::npos) << notes.err;
  EXPECT_EQ(notes.err.find("hunter2"), std::string::npos) << notes.err;
  EXPECT_EQ(notes.err.find("api_token"), std::string::npos) << notes.err;
}

TEST(HostileInclude, ASymbolicLinkOutOfTheFolderIsRefusedUnlessAllowed) {
  const std::string dir = fresh_dir("include_link");
  const std::string file = scenario_with_catalogue(dir, "cat.yaml");
  std::filesystem::create_symlink("/etc/passwd", dir + "/cat.yaml");
  const auto refused = run_pkrisk("validate " + file);
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("symbolic link"), std::string::npos) << refused.err;
  const auto allowed = run_pkrisk("validate --allow-outside-files " + file);
  EXPECT_EQ(allowed.code, 2);
  EXPECT_NE(allowed.err.find("not a vehicle catalogue"), std::string::npos) << allowed.err;
  EXPECT_EQ(allowed.err.find("root:"), std::string::npos) << allowed.err;
  std::filesystem::remove_all(dir);
}

TEST(HostileInclude, ACatalogueBesideTheScenarioStillLoadsFromAnyWorkingFolder) {
  const std::string dir = fresh_dir("include_ok");
  const std::string file = scenario_with_catalogue(dir, "sub/../cat.yaml");
  std::filesystem::create_directories(dir + "/sub");
  write(dir + "/cat.yaml",
        "vehicle_types:\n  - {id: truck, seats: 3, blast: {p_kill: 0.2, p_wound: 0.4}}\n");
  const auto r = run_pkrisk("validate s.yaml", dir);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(run_pkrisk("validate " + file, "/").code, 0);
  std::filesystem::remove_all(dir);
}

TEST(HostileInclude, AFifoNeverBlocksAsScenarioOrCatalogue) {
  const std::string dir = fresh_dir("include_fifo");
  const std::string file = scenario_with_catalogue(dir, "cat.yaml");
  ASSERT_EQ(::mkfifo((dir + "/cat.yaml").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo((dir + "/fifo.yaml").c_str(), 0644), 0);
  std::string err;
  EXPECT_EQ(sh("timeout 20 " + kBin + " validate " + file + " >/dev/null", &err), 2);
  EXPECT_NE(err.find("not a regular file"), std::string::npos) << err;
  EXPECT_EQ(sh("timeout 20 " + kBin + " validate " + dir + "/fifo.yaml >/dev/null", &err), 2);
  EXPECT_NE(err.find("not a regular file"), std::string::npos) << err;
  std::filesystem::remove_all(dir);
}

TEST(HostileInclude, ProcFilesAreRefusedNotReadWithoutLimit) {
  for (const char* f : {"/proc/self/pagemap", "/proc/self/status"}) {
    std::string err;
    EXPECT_EQ(sh("timeout 20 " + kBin + " validate " + f + " >/dev/null", &err), 2) << f;
    EXPECT_NE(err.find("pseudo-file system"), std::string::npos) << err;
  }
}

// ---- 8. Control characters --------------------------------------------------

TEST(HostileControl, NoControlCharacterReachesTheTerminal) {
  for (const char* f :
       {"io-ctrl-esc-arm-name.yaml", "io-ctrl-esc-unknown-key.yaml", "io-ctrl-c1-csi-site-id.yaml",
        "io-ctrl-cr-movement-id.yaml", "io-ctrl-bidi-rlo-arm-name.yaml",
        "io-ctrl-bidi-lri-zone-id.yaml", "io-ctrl-lsep-scenario-name.yaml"}) {
    const auto r = run_pkrisk(std::string("validate ") + kHostile + f);
    EXPECT_EQ(r.code, 2) << f;
    for (const char c : r.err) {
      const auto u = static_cast<unsigned char>(c);
      EXPECT_TRUE(u >= 0x20 || c == '\n') << f << ": byte " << int(u) << " in " << r.err;
      if (u < 0x20 && c != '\n') break;
    }
    EXPECT_EQ(r.err.find("\xC2\x9B"), std::string::npos) << f;
    // U+202E, U+2066 and U+2028 in UTF-8: the message quotes the value escaped.
    for (const char* raw : {"\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x80\xA8"})
      EXPECT_EQ(r.err.find(raw), std::string::npos) << f << ": " << r.err;
  }
  const auto key = run_pkrisk("validate " + kHostile + "io-ctrl-esc-unknown-key.yaml");
  EXPECT_NE(key.err.find("\\x1B[2Jsurprise"), std::string::npos) << key.err;
  // A bidirectional control in a key the format does not know is escaped the same way.
  const std::string file = temp_path("ctrl_bidi_key.yaml");
  write(file, read_file(kSmall) + "\"mrap\\u202Eepacse\": 1\n");
  const auto bidi = run_pkrisk("validate " + file);
  EXPECT_EQ(bidi.code, 2);
  EXPECT_NE(bidi.err.find("unknown key 'mrap\\u202Eepacse'"), std::string::npos) << bidi.err;
  std::filesystem::remove(file);
}

TEST(HostileControl, ATamperedSummaryCannotPutControlCharactersInTheReport) {
  const std::string dir = fresh_dir("ctrl_report");
  ASSERT_EQ(run_pkrisk("run " + kSmall + " -n 30 -q --out " + dir).code, 0);
  auto j = nlohmann::json::parse(read_file(dir + "/summary.json"));
  j["arms"][1]["name"] = std::string("evil\x1b[2J\0name", 13);  // 13 bytes, the NUL among them
  write(dir + "/summary.json", j.dump());
  const auto r = run_pkrisk("report " + dir + " -o " + dir + "/r.html");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = read_file(dir + "/r.html");
  EXPECT_EQ(html.find('\x1b'), std::string::npos);
  EXPECT_EQ(html.find('\0'), std::string::npos);
  EXPECT_NE(html.find("evil\\x1B[2J\\x00name"), std::string::npos);
  std::filesystem::remove_all(dir);
}

// ---- 3 and 7. The environment: outputs that cannot be written --------------

TEST(HostileEnvironment, StdoutToAFullDiskIsAnIoError) {
  const std::string cmds[] = {"run " + kSmall + " -n 30 -q --format json",
                              "run " + kSmall + " -n 30 -q",
                              "validate " + kSmall,
                              "schema",
                              "schema --markdown",
                              "--help"};
  for (const std::string& c : cmds) {
    std::string err;
    EXPECT_EQ(sh(kBin + " " + c + " >/dev/full", &err), 74) << c << ": " << err;
    EXPECT_NE(err.find("standard output"), std::string::npos) << c << ": " << err;
  }
  const std::string dir = fresh_dir("env_sweep_stdout");
  std::string err;
  EXPECT_EQ(
      sh(kBin + " sweep " + kSweep + " -n 40 --batch 40 -q --out " + dir + " >/dev/full", &err), 74)
      << err;
  std::filesystem::remove_all(dir);
}

TEST(HostileEnvironment, AClosedPipeOrClosedStdoutIsAnIoError) {
  std::string err;
  // The reader is gone before pkrisk writes: EPIPE, not a silent SIGPIPE death.
  const std::string code_file = temp_path("pipe_code.txt");
  sh("(sleep 0.5; " + kBin + " schema; echo $? >" + code_file + ") | true", &err);
  EXPECT_EQ(read_file(code_file), "74\n") << err;
  std::filesystem::remove(code_file);
  EXPECT_EQ(sh(kBin + " schema >&-", &err), 74) << err;
}

TEST(HostileEnvironment, OutputFilesThatCannotBeWrittenAreIoErrors) {
  // A path under a regular file can be written by no one, root included.
  const std::string run = "run " + kSmall + " -n 30 -q ";
  for (const std::string& args :
       {run + "--out /dev/full/out", run + "--out /dev/null",
        run + "--per-replication /dev/full/r.csv", run + "--report /dev/full/r.html",
        "sweep " + kSweep + " -n 40 --batch 40 -q --out /dev/full/s"}) {
    const auto r = run_pkrisk(args);
    EXPECT_EQ(r.code, 74) << args << ": " << r.err;
    EXPECT_NE(r.err.find("/dev/"), std::string::npos) << r.err;
  }
  const std::string dir = fresh_dir("env_report");
  ASSERT_EQ(run_pkrisk(run + "--out " + dir).code, 0);
  const auto r = run_pkrisk("report " + dir + " -o /dev/full/report.html");
  EXPECT_EQ(r.code, 74) << r.err;
  EXPECT_NE(r.err.find("-o"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

// ---- 10. The manifest tells the truth ----------------------------------------

TEST(HostileManifest, AFailedSummaryLeavesNoCompleteManifest) {
  const std::string dir = fresh_dir("manifest_summary");
  std::filesystem::create_directories(dir + "/summary.json/blocked");  // cannot be replaced
  // --force: the directory is not empty (--force removes a previous summary
  // file, never a directory of that name).
  const auto r = run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --force --out " + dir);
  EXPECT_EQ(r.code, 74) << r.err;
  EXPECT_NE(r.err.find("summary.json"), std::string::npos) << r.err;
  const auto m = nlohmann::json::parse(read_file(dir + "/manifest.json"));
  EXPECT_EQ(m["status"], "running");
  std::filesystem::remove_all(dir);
}

TEST(HostileManifest, ReportOfAnUnfinishedSweepCountsTheStore) {
  const std::string dir = fresh_dir("manifest_unfinished");
  ASSERT_EQ(run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --shard 1/2 --out " + dir).code,
            0);
  // What a sweep killed with -9 leaves: a manifest that still says running.
  auto m = nlohmann::json::parse(read_file(dir + "/manifest.json"));
  m["status"] = "running";
  m["units_done"] = 0;
  write(dir + "/manifest.json", m.dump());
  const auto r = run_pkrisk("report " + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("3 of 6 work units"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pkrisk merge"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

// ---- 11. One sweep per directory ---------------------------------------------

TEST(HostileLock, ASecondSweepOnALockedDirectoryIsRefusedNamingTheHolder) {
  const std::string dir = fresh_dir("lock");
  std::filesystem::create_directories(dir);
  const int fd = ::open((dir + "/pkrisk.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string me = std::to_string(::getpid());
  ASSERT_EQ(::write(fd, me.data(), me.size()), static_cast<ssize_t>(me.size()));
  const auto r = run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --out " + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("PID " + me), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/results.sqlite"));
  const auto merge = run_pkrisk("merge " + fresh_dir("lock_merged") + " " + dir);
  EXPECT_EQ(merge.code, 2) << merge.err;
  EXPECT_NE(merge.err.find("PID " + me), std::string::npos) << merge.err;
  ::close(fd);  // released: the sweep runs
  EXPECT_EQ(run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --out " + dir).code, 0);
  std::filesystem::remove_all(dir);
}

TEST(HostileLock, TwoSweepsStartedTogetherDoNotBothRun) {
  const std::string dir = fresh_dir("lock_race");
  const std::string args = kBin + " sweep " + kSweep + " -n 2000 --batch 100 -q --out " + dir;
  const std::string a = temp_path("race_a"), b = temp_path("race_b");
  sh("(" + args + " >/dev/null 2>&1; echo $? >" + a + ") & (" + args +
     " >/dev/null 2>&1; echo $? >" + b + "); wait");
  const std::string codes = read_file(a) + read_file(b);
  EXPECT_TRUE(codes == "0\n2\n" || codes == "2\n0\n") << codes;
  std::filesystem::remove(a);
  std::filesystem::remove(b);
  std::filesystem::remove_all(dir);
}

// ---- 3. A damaged store ------------------------------------------------------

TEST(HostileStore, AResultsFileThatIsNotADatabaseIsBadInput) {
  const std::string dir = fresh_dir("store_garbage");
  std::filesystem::create_directories(dir);
  write(dir + "/results.sqlite", std::string(8192, 'x'));
  auto r = run_pkrisk("sweep " + kSweep + " -n 40 --batch 40 -q --resume --out " + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("not a pkrisk results store"), std::string::npos) << r.err;
  r = run_pkrisk("merge " + fresh_dir("store_garbage_out") + " " + dir);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("not a pkrisk results store"), std::string::npos) << r.err;
  std::filesystem::remove_all(dir);
}

TEST(HostileStore, ATamperedUnitInMergeIsBadInputNotACrash) {
  const std::string s1 = fresh_dir("store_s1"), s2 = fresh_dir("store_s2"),
                    out = fresh_dir("store_merged");
  const std::string args = " -n 40 --batch 40 -q --out ";
  ASSERT_EQ(run_pkrisk("sweep " + kSweep + " --shard 1/2" + args + s1).code, 0);
  ASSERT_EQ(run_pkrisk("sweep " + kSweep + " --shard 2/2" + args + s2).code, 0);
  ASSERT_EQ(sh("sqlite3 " + s2 + "/results.sqlite \"UPDATE units SET data = '{not json'\""), 0);
  const auto r = run_pkrisk("merge " + out + " " + s1 + " " + s2);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;
  // A seed that is not a number, likewise.
  ASSERT_EQ(
      sh("sqlite3 " + s1 + "/results.sqlite \"UPDATE meta SET value = 'x' WHERE key = 'seed'\""),
      0);
  const auto seed = run_pkrisk("merge " + fresh_dir("store_merged2") + " " + s1 + " " + s1);
  EXPECT_EQ(seed.code, 2) << seed.err;
  for (const auto& d : {s1, s2, out}) std::filesystem::remove_all(d);
}

// Every rank leaves alike, with exit code 2, whether the scenario does not
// load (every rank fails alike) or loads without a sweep block (an early
// return after loading): no rank waits on another, none aborts.
TEST(HostileStore, AnEmptyScenarioOrOneWithoutASweepUnderMpirunIsBadInput) {
  if (sh("command -v mpirun >/dev/null") != 0) GTEST_SKIP() << "no mpirun";
  const auto mpi_sweep = [](const std::string& file, std::string& err) {
    // One mpirun at a time on the machine (the lock the MPI sweep test takes
    // too): once, two at once left an mpirun waiting on its finished ranks, so
    // the run is also killed 10 s after its 120 s: a failure, never a hang.
    // Leaks are not checked under mpirun: Open MPI's own allocations at
    // finalize are reported as leaks (as in mpi_equals_serial.sh).
    return sh(
        "ASAN_OPTIONS=detect_leaks=0 OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
        "OMPI_MCA_btl_vader_single_copy_mechanism=none flock /tmp/pkrisk-tests-mpirun.lock "
        "timeout -k 10 120 mpirun --oversubscribe -np 2 " +
            kBin + " sweep " + file + " --out " + fresh_dir("mpi_bad") + " -q >/dev/null",
        &err);
  };
  const std::string empty = temp_path("empty.yaml");
  write(empty, "");
  std::string err;
  EXPECT_EQ(mpi_sweep(empty, err), 2) << err;
  EXPECT_EQ(err.find("MPI_ABORT"), std::string::npos) << err;
  const std::string no_sweep = temp_path("no_sweep.yaml");
  write(no_sweep, pk::test::kOneCampScenario);
  EXPECT_EQ(mpi_sweep(no_sweep, err), 2) << err;
  EXPECT_NE(err.find("no sweep block"), std::string::npos) << err;
  EXPECT_EQ(err.find("MPI_ABORT"), std::string::npos) << err;
  std::filesystem::remove(empty);
  std::filesystem::remove(no_sweep);
}

}  // namespace
