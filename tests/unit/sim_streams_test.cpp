// Streams keyed by name (docs/model.md §4): adding an entity that has no effect
// — a zone without threats, a route nobody drives, a site nobody attacks, a
// movement that never departs, an unused vehicle type, a mitigation that acts
// on nothing, an arm that changes nothing, an ambush hazard of rate 0 — leaves
// every other number bit-identical. Each entity is inserted FIRST in its list,
// so every other entity's index shifts: only keys by name survive that. And
// the opening block of a departure keeps its processes apart.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "experiment/metrics.hpp"
#include "experiment/runner.hpp"
#include "scenario/loader.hpp"
#include "sim/random.hpp"
#include "sim/simulator.hpp"
#include "sim/tally.hpp"

namespace pk {
namespace {

constexpr int kReplications = 40;

// Every count of a replication by name (movements and sites by id), plus the
// two floating-point sums, as exact values.
std::map<std::string, double> fingerprint(const Scenario& s, const Tally& t) {
  std::map<std::string, double> out;
  const std::vector<std::string> names = metric_names(s);
  std::vector<int64_t> values;
  extract_metrics(t, values);
  for (size_t i = 0; i < names.size(); ++i) out[names[i]] = static_cast<double>(values[i]);
  out["departures"] = static_cast<double>(t.departures);
  out["events"] = static_cast<double>(t.events);
  out["movement_km"] = t.movement_km;
  out["medevac_wait_hours"] = t.medevac_wait_hours;
  return out;
}

std::vector<std::map<std::string, double>> play(const Scenario& s, uint64_t seed) {
  Simulator sim(s);
  std::vector<std::map<std::string, double>> out;
  Tally t;
  for (int r = 0; r < kReplications; ++r) {
    sim.run(seed, static_cast<uint64_t>(r), t);
    out.push_back(fingerprint(s, t));
  }
  return out;
}

// Every metric of `base` has the same bits in `changed`; metrics only
// `changed` has (the added movement or site) must be 0.
void expect_bit_identical(const Scenario& base, const Scenario& changed) {
  const auto a = play(base, 7);
  const auto b = play(changed, 7);
  int64_t nonzero = 0;
  for (int r = 0; r < kReplications; ++r) {
    for (const auto& [name, value] : b[r]) {
      const auto it = a[r].find(name);
      if (it == a[r].end()) {
        EXPECT_EQ(value, 0.0) << name << " of the inert entity, replication " << r;
      } else {
        EXPECT_EQ(value, it->second) << name << ", replication " << r;
        nonzero += value != 0;
      }
    }
    for (const auto& [name, value] : a[r]) EXPECT_TRUE(b[r].count(name)) << name << " is lost";
  }
  EXPECT_GT(nonzero, 100) << "the base scenario must be busy for the comparison to mean something";
}

Scenario reference() {
  Diagnostics diags;
  auto ls = load_scenario(PK_REFERENCE_SCENARIO, diags);
  if (!ls) throw std::runtime_error("cannot load the reference scenario");
  return ls->baseline();
}

// The reference scenario plus a zone without threats, last: somewhere to put
// inert sites and routes (a route in a threatened zone would add route km).
Scenario reference_with_calm_zone() {
  Scenario s = reference();
  Zone calm;
  calm.id = "calm";
  s.zones.push_back(calm);
  return s;
}

int zone_index(const Scenario& s, const std::string& id) {
  for (size_t z = 0; z < s.zones.size(); ++z)
    if (s.zones[z].id == id) return static_cast<int>(z);
  throw std::logic_error("no zone " + id);
}

// Runs of different seeds share no replication: replication r of seed s is
// not replication s of seed r, and replication s of seed s is not one
// replication common to every seed (the replication word was once symmetric).
TEST(ReplicationKeys, RunsOfDifferentSeedsShareNoReplication) {
  std::map<uint64_t, std::pair<uint64_t, uint64_t>> seen;
  for (uint64_t seed = 1; seed <= 64; ++seed) {
    for (uint64_t r = 0; r <= 64; ++r) {
      const uint64_t word = sim::ReplicationKey::make(seed, r).word;
      const auto [it, fresh] = seen.emplace(word, std::make_pair(seed, r));
      EXPECT_TRUE(fresh) << "seed " << seed << " replication " << r << " repeats seed "
                         << it->second.first << " replication " << it->second.second;
    }
  }
  const Scenario s = reference();
  Simulator sim(s);
  Tally a, b;
  sim.run(3, 5, a);
  const auto fa = fingerprint(s, a);
  sim.run(5, 3, b);
  EXPECT_NE(fa, fingerprint(s, b)) << "replication 5 of seed 3 is replication 3 of seed 5";
  sim.run(4, 4, a);
  sim.run(6, 6, b);
  EXPECT_NE(fingerprint(s, a), fingerprint(s, b)) << "replication s of seed s is common";
}

TEST(NamedStreams, AQuietZoneFirstChangesNothing) {
  const Scenario base = reference();
  Scenario s = base;
  Zone quiet;
  quiet.id = "aaa_quiet";
  s.zones.insert(s.zones.begin(), quiet);
  for (Site& site : s.sites) ++site.zone;
  for (Route& r : s.routes)
    for (Segment& seg : r.segments) ++seg.zone;
  if (s.uav && s.uav->area)
    for (int& z : s.uav->area->zones) ++z;
  expect_bit_identical(base, s);
}

TEST(NamedStreams, ASiteNobodyAttacksFirstChangesNothing) {
  const Scenario base = reference_with_calm_zone();
  Scenario s = base;
  s.sites.insert(s.sites.begin(),
                 Site{.id = "outpost", .zone = zone_index(s, "calm"), .personnel = 50});
  for (Route& r : s.routes) {
    ++r.from;
    ++r.to;
  }
  expect_bit_identical(base, s);
}

TEST(NamedStreams, ARouteNobodyDrivesFirstChangesNothing) {
  const Scenario base = reference_with_calm_zone();
  Scenario s = base;
  const int calm = zone_index(s, "calm");
  s.routes.insert(s.routes.begin(), Route{.id = "bypass",
                                          .from = 0,
                                          .to = 1,
                                          .segments = {Segment{.zone = calm, .length_km = 40}},
                                          .length_km = 40});
  for (Movement& m : s.movements) ++m.route;
  expect_bit_identical(base, s);
}

TEST(NamedStreams, AMovementThatNeverDepartsFirstChangesNothing) {
  const Scenario base = reference();
  Scenario s = base;
  Movement idle = s.movements.front();
  idle.id = "aaa_idle";
  idle.schedule = Schedule{.kind = Schedule::Kind::kPoisson, .per_hour = 0};
  s.movements.insert(s.movements.begin(), idle);
  expect_bit_identical(base, s);
}

TEST(NamedStreams, AnUnusedVehicleTypeFirstChangesNothing) {
  const Scenario base = reference();
  Scenario s = base;
  s.vehicle_types.insert(s.vehicle_types.begin(),
                         VehicleType{.id = "tank", .seats = 4, .blast = {0.01, 0.1}});
  for (Movement& m : s.movements)
    for (VehicleGroup& g : m.vehicles) ++g.type;
  expect_bit_identical(base, s);
}

TEST(NamedStreams, AMitigationThatActsOnNothingChangesNothing) {
  const Scenario base = reference();
  Scenario s = base;
  for (Movement& m : s.movements) {
    if (!m.jammer) m.jammer = Jammer{.p_defeat = 0};  // a jammer that never defeats
  }
  expect_bit_identical(base, s);
}

TEST(NamedStreams, AnAmbushHazardOfRateZeroChangesNothing) {
  const Scenario base = reference();
  Scenario s = base;
  for (Zone& z : s.zones) {
    AmbushThreat quiet{.per_km = 0, .p_hit = 0.5, .p_kill_given_hit = 0.5};
    quiet.id = "aaa_snipers";
    z.ambushes.insert(z.ambushes.begin(), quiet);
  }
  expect_bit_identical(base, s);
}

// Arms: an arm that changes nothing, inserted before the others, equals the
// baseline exactly and leaves every other arm's results as they were.
TEST(NamedStreams, AnArmThatChangesNothingChangesNoOtherArm) {
  Diagnostics diags;
  auto ls = load_scenario(PK_REFERENCE_SCENARIO, diags);
  ASSERT_TRUE(ls);
  ASSERT_GE(ls->arms.size(), 2u);
  LoadedScenario with_inert = *ls;
  Arm inert = ls->arms.front();
  inert.name = "inert";
  with_inert.arms.insert(with_inert.arms.begin() + 1, inert);

  RunConfig cfg;
  cfg.replications = 200;
  cfg.seed = 3;
  cfg.threads = 2;
  cfg.keep_rows = true;
  const RunResult a = run_arms(*ls, cfg);
  const RunResult b = run_arms(with_inert, cfg);
  const size_t metrics = a.metric_names.size();
  ASSERT_EQ(b.metric_names, a.metric_names);
  auto row = [metrics](const RunResult& res, int64_t r, size_t arm) {
    const auto first =
        res.rows.begin() + static_cast<int64_t>((r * res.arms.size() + arm) * metrics);
    return std::vector<int64_t>(first, first + static_cast<int64_t>(metrics));
  };
  for (int64_t r = 0; r < cfg.replications; ++r) {
    EXPECT_EQ(row(b, r, 0), row(a, r, 0)) << "baseline, replication " << r;
    EXPECT_EQ(row(b, r, 1), row(a, r, 0)) << "the inert arm is the baseline, replication " << r;
    for (size_t arm = 1; arm < a.arms.size(); ++arm)
      EXPECT_EQ(row(b, r, arm + 1), row(a, r, arm)) << a.arms[arm].name << ", replication " << r;
  }
  for (size_t arm = 1; arm < a.arms.size(); ++arm) {
    EXPECT_EQ(b.arms[arm + 1].movement_km, a.arms[arm].movement_km);
    EXPECT_EQ(b.arms[arm + 1].medevac_wait_hours, a.arms[arm].medevac_wait_hours);
  }
}

// Two arms that differ only in one mitigation still share every other
// mechanic's numbers: IDF and VBIED attacks on sites are the same replication
// by replication (common random numbers survive the re-keying).
TEST(NamedStreams, ArmsKeepCommonRandomNumbersForOtherMechanics) {
  const Scenario base = reference();
  Scenario s = base;
  for (Movement& m : s.movements) m.jammer = Jammer{.p_defeat = 1};
  Simulator sa(base), sb(s);
  Tally ta, tb;
  int64_t attacks = 0;
  for (int r = 0; r < kReplications; ++r) {
    sa.run(11, static_cast<uint64_t>(r), ta);
    sb.run(11, static_cast<uint64_t>(r), tb);
    EXPECT_EQ(ta.attacks_on_sites(Cause::kIdf), tb.attacks_on_sites(Cause::kIdf));
    EXPECT_EQ(ta.attacks_on_sites(Cause::kVbied), tb.attacks_on_sites(Cause::kVbied));
    EXPECT_EQ(ta.by_site[0].n, tb.by_site[0].n);
    EXPECT_EQ(ta.mine.emplaced, tb.mine.emplaced);
    attacks += ta.attacks_on_sites(Cause::kIdf) + ta.attacks_on_sites(Cause::kVbied);
  }
  EXPECT_GT(attacks, 0);
}

// The opening block (docs/model.md §4): a stream led by words gives those
// words first, then its own draws from its first block, exactly as if the
// words had not been there.
TEST(OpeningBlock, ALedStreamGivesItsWordsThenItsOwn) {
  const sim::ReplicationKey key = sim::ReplicationKey::make(5, 9);
  const sim::StreamId id{static_cast<uint32_t>(sim::Proc::kCrashCandidates), 11, 12, 0};
  const auto draws = [](sim::Stream s, int n) {
    std::vector<uint64_t> out;
    for (int i = 0; i < n; ++i) out.push_back(s());
    return out;
  };
  std::vector<uint64_t> own = draws(sim::Stream(key, id), 5);  // past its first block
  sim::Stream one(key, id);
  one.lead_with(0x1234);
  own.insert(own.begin(), 0x1234);
  EXPECT_EQ(draws(one, 6), own);
  sim::Stream two(key, id);
  two.lead_with(7, 8);
  own[0] = 8;
  own.insert(own.begin(), 7);
  EXPECT_EQ(draws(two, 7), own);
}

// The words of a departure's opening block are fixed by position: road
// accidents added to every zone (crashes go on, the movement with them) leave
// each departure's ambushes, devices met and km bit-identical, replication by
// replication; the crashes only add casualties.
TEST(OpeningBlock, RoadAccidentsChangeNoAmbushOrEncounter) {
  const Scenario base = reference();
  Scenario s = base;
  for (Zone& z : s.zones)
    z.road_accidents = RoadAccidents{.per_vehicle_km = 5e-6, .p_kill = 0.1, .p_wound = 0.3};
  Simulator sa(base), sb(s);
  Tally ta, tb;
  int64_t ambushes = 0, crashes = 0;
  for (int r = 0; r < kReplications; ++r) {
    sa.run(13, static_cast<uint64_t>(r), ta);
    sb.run(13, static_cast<uint64_t>(r), tb);
    EXPECT_EQ(ta.departures, tb.departures) << r;
    EXPECT_EQ(ta.movement_km, tb.movement_km) << r;
    EXPECT_EQ(ta.ambush_attacks, tb.ambush_attacks) << r;
    EXPECT_EQ(ta.ambush_preempted, tb.ambush_preempted) << r;
    EXPECT_EQ(ta.ied.detonated, tb.ied.detonated) << r;
    EXPECT_EQ(ta.ied.found_crew, tb.ied.found_crew) << r;
    EXPECT_EQ(ta.road_accidents, 0) << r;
    ambushes += ta.ambush_attacks;
    crashes += tb.road_accidents;
  }
  EXPECT_GT(ambushes, 100);
  EXPECT_GT(crashes, 100) << "the crashes must be many for the comparison to mean something";
}

}  // namespace
}  // namespace pk
