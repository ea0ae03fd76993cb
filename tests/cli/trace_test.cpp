// `pkrisk trace` end to end: the events of one replication add up to its tally,
// and that tally is the replication's row of `pkrisk run --per-replication`.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"
#include "util/csv.hpp"

namespace {

using nlohmann::json;
using pk::test::read_file;
using Result = pk::test::RunResult;

Result run(const std::string& args) {
  return pk::test::run_pkrisk(args);
}
std::string tmp(const std::string& name) {
  return pk::test::temp_path("trace_" + name);
}

const std::string kNorth = pk::test::source_path("scenarios/minusma-north.yaml");
const std::string kSmall = pk::test::source_path("tests/data/run/small.yaml");

// Rows of a --per-replication CSV, keyed by (replication, arm).
std::map<std::pair<int64_t, std::string>, std::map<std::string, int64_t>> read_rows(
    const std::string& csv) {
  std::map<std::pair<int64_t, std::string>, std::map<std::string, int64_t>> rows;
  std::vector<pk::CsvRecord> records;
  std::string error;
  EXPECT_TRUE(pk::read_csv(csv, records, error)) << error;
  if (records.empty()) return rows;
  const auto& head = records.front().fields;
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& cells = records[r].fields;
    auto& row = rows[{std::stoll(cells[0]), cells[1]}];
    for (size_t i = 2; i < cells.size(); ++i) row[head[i]] = std::stoll(cells[i]);
  }
  return rows;
}

int64_t number_after(const std::string& detail, const std::string& word) {
  std::smatch m;
  if (!std::regex_search(detail, m, std::regex(word + " (\\d+)"))) return -1;
  return std::stoll(m[1]);
}

struct Trace {
  std::vector<json> events;
  json tally;
};

Trace trace(const std::string& file, int64_t rep, const std::string& arm, uint64_t seed) {
  const Result r = run("trace " + file + " --replication " + std::to_string(rep) + " --arm " + arm +
                       " --seed " + std::to_string(seed) + " --format jsonl");
  EXPECT_EQ(r.code, 0) << r.err;
  Trace t;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    json j = json::parse(line);
    if (j["kind"] == "tally")
      t.tally = j;
    else
      t.events.push_back(j);
  }
  return t;
}

// Counts what the trace says happened and checks it against the tally of the
// same Simulator::run call.
void expect_trace_adds_up(const Trace& t, bool medevac) {
  const json& m = t.tally["totals"];
  ASSERT_TRUE(m.is_object());
  std::map<std::string, int64_t> n;                // events per kind
  std::map<std::string, int64_t> killed, wounded;  // per cause
  int64_t dow = 0, found_uav_area = 0, ill_deaths = 0;
  double last = -1;
  for (const json& e : t.events) {
    const std::string kind = e["kind"], detail = e["detail"];
    const double h = e["hours"];
    EXPECT_GE(h, last) << "events out of time order: " << detail;
    last = h;
    ++n[kind];
    std::string cause;
    if (kind == "strike") cause = detail.rfind("mine", 0) == 0 ? "mine" : "ied";
    if (kind == "ambush") cause = "ambush";
    if (kind == "idf") cause = "idf";
    if (kind == "vbied") cause = "vbied";
    if (!cause.empty()) {
      killed[cause] += number_after(detail, "killed");
      wounded[cause] += number_after(detail, "wounded");
    }
    // Road accidents: killed and injured; illness: deaths, all of them in DOW
    // and none through MEDEVAC (docs/model.md §2.8).
    if (kind == "crash") {
      killed["road_accident"] += number_after(detail, "killed");
      wounded["road_accident"] += number_after(detail, "injured");
    }
    if (kind == "illness") {
      wounded["illness"] += number_after(detail, "died");
      ill_deaths += number_after(detail, "died");
    }
    // With a care chain, deaths of wounds come in care_outcome lines instead.
    if (kind == "medevac_care" || kind == "medevac_ground" || kind == "care_outcome")
      dow += std::max<int64_t>(0, number_after(detail, "died of wounds"));
    // The care chain (docs/model.md §3.6): the potentially survivable leave the
    // killed for the wounded, and the wounded who die before advanced care
    // go back to the killed; the detail starts with the cause.
    const std::string first_word = detail.substr(0, detail.find(' '));
    if (kind == "survivable") {
      const int64_t k = std::stoll(detail.substr(first_word.size() + 1));
      killed[first_word] -= k;
      wounded[first_word] += k;
    }
    if (kind == "prehospital") {
      const int64_t k = number_after(detail, "killed before advanced care");
      killed[first_word] += k;
      wounded[first_word] -= k;
    }
    if (kind == "ied_found_uav_area") ++found_uav_area;
    if (kind == "device_found") {
      const std::string what = detail.substr(0, detail.find(' '));
      const std::string by = detail.substr(detail.find("found by ") + 9);
      ++n["found." + what + "." + by.substr(0, by.find(','))];
    }
    if (kind == "device_jammed") ++n["jammed." + detail.substr(0, detail.find(' '))];
  }
  int64_t kia = 0, fatal_wounded = 0;
  for (const char* c : {"ied", "mine", "ambush", "idf", "vbied", "road_accident", "illness"}) {
    EXPECT_EQ(killed[c], m[std::string("kia_by_cause.") + c].get<int64_t>()) << c;
    EXPECT_EQ(wounded[c], m[std::string("dow_by_cause.") + c].get<int64_t>() +
                              m[std::string("wia_by_cause.") + c].get<int64_t>())
        << c;
    kia += killed[c];
    fatal_wounded += wounded[c];
  }
  EXPECT_EQ(kia, m["kia"].get<int64_t>());
  EXPECT_EQ(fatal_wounded, m["dow"].get<int64_t>() + m["wia"].get<int64_t>());
  if (medevac) {
    EXPECT_EQ(dow + ill_deaths, m["dow"].get<int64_t>());
    EXPECT_EQ(n["medevac_care"] + n["medevac_ground"], m["medevac.requests"].get<int64_t>());
    EXPECT_EQ(n["medevac_ground"], m["medevac.ground"].get<int64_t>());
  }
  EXPECT_EQ(m["fatalities"].get<int64_t>(), m["kia"].get<int64_t>() + m["dow"].get<int64_t>());
  EXPECT_EQ(n["strike"], m["ied.detonated"].get<int64_t>() + m["mine.detonated"].get<int64_t>());
  EXPECT_EQ(n["ambush"] + n["ambush_preempted"], m["ambush.attacks"].get<int64_t>());
  EXPECT_EQ(n["ambush_preempted"], m["ambush.preempted"].get<int64_t>());
  EXPECT_EQ(n["idf"], m["idf.attacks"].get<int64_t>());
  EXPECT_EQ(n["vbied"], m["vbied.attacks"].get<int64_t>());
  EXPECT_EQ(n["ied_emplaced"] + found_uav_area, m["ied.emplaced"].get<int64_t>());
  EXPECT_EQ(found_uav_area, m["ied.found_uav_area"].get<int64_t>());
  EXPECT_EQ(n["ied_expired"], m["ied.expired"].get<int64_t>());
  EXPECT_EQ(n["mine_laid"], m["mine.laid"].get<int64_t>());
  EXPECT_EQ(n["departure"], m["departures"].get<int64_t>());
  for (const char* what : {"ied", "mine"}) {
    for (const char* by : {"route_clearance", "crew", "uav"})
      EXPECT_EQ(n[std::string("found.") + what + "." + by],
                m[std::string(what) + ".found_" + by].get<int64_t>())
          << what << " " << by;
    EXPECT_EQ(n[std::string("jammed.") + what], m[std::string(what) + ".jammed"].get<int64_t>());
  }
}

TEST(Trace, EventsAddUpToTheTallyWhichIsTheRunsRow) {
  const uint64_t seed = 77;
  const int64_t reps = 3;
  const std::string csv = tmp("rows.csv");
  const Result r = run("run " + kNorth + " -n " + std::to_string(reps) + " -q --seed " +
                       std::to_string(seed) + " --per-replication " + csv);
  // 2: the acceptance gate refuses to decide on 3 replications, after writing the rows.
  ASSERT_EQ(r.code, 2) << r.err;
  ASSERT_NE(r.err.find("acceptance NOT DECIDED"), std::string::npos) << r.err;
  const auto rows = read_rows(read_file(csv));
  std::remove(csv.c_str());
  std::vector<std::string> arms;
  for (const auto& [key, row] : rows)
    if (key.first == 0) arms.push_back(key.second);
  ASSERT_GE(arms.size(), 2u);  // baseline and mitigations
  int64_t fatalities = 0, dow = 0;
  std::map<std::string, int64_t> kinds;
  for (int64_t rep = 0; rep < reps; ++rep) {
    for (const std::string& arm : arms) {
      SCOPED_TRACE("replication " + std::to_string(rep) + ", arm " + arm);
      const Trace t = trace(kNorth, rep, arm, seed);
      expect_trace_adds_up(t, true);
      // The tally is the run's row for this replication and arm, metric by metric.
      const auto& row = rows.at({rep, arm});
      ASSERT_EQ(t.tally["totals"].size(), row.size());
      for (const auto& [metric, value] : row) EXPECT_EQ(t.tally["totals"][metric], value) << metric;
      fatalities += row.at("fatalities");
      dow += row.at("dow");
      for (const json& e : t.events) ++kinds[e["kind"]];
    }
  }
  // The check has teeth: these histories hold deaths, DOW and every kind of attack.
  EXPECT_GT(fatalities, 0);
  EXPECT_GT(dow, 0);
  for (const char* k : {"departure", "arrival", "ied_emplaced", "strike", "ambush", "idf",
                        "medevac_care", "crash", "illness"})
    EXPECT_GT(kinds[k], 0) << k;
}

TEST(Trace, WithoutMedevacTheWoundedAreWiaAndStillAddUp) {
  // The small world without its MEDEVAC block (and the arm that overrides it).
  std::string yaml = read_file(kSmall);
  yaml = yaml.substr(0, yaml.find("medevac:\n")) + yaml.substr(yaml.find("  - name: jammer"));
  yaml.insert(yaml.find("  - name: jammer"), "arms:\n");
  const std::string file = tmp("no_medevac.yaml");
  std::ofstream(file) << yaml;
  int64_t wia = 0;
  for (int64_t rep = 0; rep < 4; ++rep) {
    const Trace t = trace(file, rep, "baseline", 5);
    expect_trace_adds_up(t, false);
    EXPECT_EQ(t.tally["totals"]["dow"], 0);
    wia += t.tally["totals"]["wia"].get<int64_t>();
  }
  EXPECT_GT(wia, 0);
  std::remove(file.c_str());
}

TEST(Trace, TableShowsTheEventsInOrderAndTheTally) {
  const Result table = run("trace " + kNorth + " --replication 2 --seed 77");
  ASSERT_EQ(table.code, 0) << table.err;
  const Trace t = trace(kNorth, 2, "baseline", 77);
  size_t shown = 0;
  for (const json& e : t.events) shown += e["kind"] != "uav_day";
  // One line per event (UAV days only with --all), "day D hh:mm" first.
  const std::regex line("^day +\\d+ \\d\\d:\\d\\d  \\S+");
  size_t lines = 0;
  std::istringstream in(table.out);
  for (std::string l; std::getline(in, l);) lines += std::regex_search(l, line);
  EXPECT_EQ(lines, shown);
  EXPECT_NE(table.out.find("tally of this replication"), std::string::npos);
  const int64_t kia = t.tally["totals"]["kia"];
  EXPECT_TRUE(std::regex_search(table.out, std::regex("total +" + std::to_string(kia) + " ")))
      << table.out.substr(table.out.find("tally of"));
  const Result all = run("trace " + kNorth + " --replication 2 --seed 77 --all");
  EXPECT_GT(all.out.size(), table.out.size());
}

// The peak resident memory (KB) of `pkrisk ARGS`, its output discarded; -1
// when it did not exit 0.
long peak_kb(std::vector<std::string> args) {
  args.insert(args.begin(), pk::test::kBinary);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0) ::_exit(126);
    ::dup2(null, 0), ::dup2(null, 1), ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (pid < 0 || ::wait4(pid, &status, 0, &usage) != pid) return -1;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? usage.ru_maxrss : -1;
}

// gcc says __SANITIZE_ADDRESS__, clang __has_feature(address_sanitizer).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PK_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define PK_ASAN 1
#endif

TEST(Trace, MemoryDoesNotGrowWithTheHistory) {
#ifdef PK_ASAN
  GTEST_SKIP() << "AddressSanitizer keeps freed memory: the resident size says nothing";
#endif
  // 27,000 round trips a day, about 130,000 records a day; held until the
  // end they took some 12 MB a day.
  const std::string busy = R"(pkrisk: 1
scenario: {name: busy, horizon_days: DAYS, seed: 1}
vehicle_types:
  - {id: truck, seats: 3, blast: {p_kill: 0.25, p_wound: 0.45}}
zones:
  - id: z
    ied: {emplacement_per_km_day: 0.0002, lifetime_days: 10, trigger_mix: {pressure: 1.0}}
sites:
  - {id: a, zone: z, personnel: 1200}
  - {id: b, zone: z, personnel: 300}
routes:
  - {id: r, from: a, to: b, segments: [{zone: z, length_km: 150}]}
movements:
)";
  std::string movements;
  for (const char* id : {"m1", "m2", "m3"})
    movements += std::string("  - {id: ") + id +
                 ", route: r, schedule: {poisson_per_day: 9000}, speed_kmh: 25, round_trip: "
                 "true, vehicles: [{type: truck, count: 1, crew: 1}]}\n";
  const std::string short_file = tmp("busy_short.yaml"), long_file = tmp("busy_long.yaml");
  std::ofstream(short_file) << pk::test::with_replaced(busy, "DAYS", "3") << movements;
  std::ofstream(long_file) << pk::test::with_replaced(busy, "DAYS", "12") << movements;
  for (const char* format : {"table", "jsonl"}) {
    const long short_kb = peak_kb({"trace", short_file, "-r", "0", "--format", format});
    const long long_kb = peak_kb({"trace", long_file, "-r", "0", "--format", format});
    ASSERT_GT(short_kb, 0) << format;
    ASSERT_GT(long_kb, 0) << format;
    // Four times the history, about 100 MB more if it were held.
    EXPECT_LT(long_kb - short_kb, 16 * 1024)
        << format << ": " << short_kb << " KB for 3 days, " << long_kb << " KB for 12";
  }
  std::remove(short_file.c_str());
  std::remove(long_file.c_str());
}

TEST(Trace, BadArmOrReplicationIsBadInput) {
  EXPECT_EQ(run("trace " + kNorth + " --replication 0 --arm nosuch").code, 2);
  EXPECT_EQ(run("trace " + kNorth + " --replication -1").code, 2);
  EXPECT_EQ(run("trace " + kNorth).code, 2);
  EXPECT_EQ(run("trace " + kNorth + " --replication 0 --format xml").code, 2);
}

}  // namespace
