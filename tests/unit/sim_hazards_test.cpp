// Several distance hazards per movement (docs/model.md §2.3): the `ambushes`
// list of a zone, read beside the old single `ambush` block, and what the
// engine makes of them.
#include <gtest/gtest.h>

#include <string>

#include "scenario/loader.hpp"
#include "sim/simulator.hpp"
#include "sim/tables.hpp"

namespace pk {
namespace {

// One zone with the old `ambush` block and two named hazards; a second zone
// shares one of the names.
const char* kHazards = R"(pkrisk: 1
scenario: {name: t, horizon_days: 100, seed: 7, replications: 50}
vehicle_types:
  - {id: truck, seats: 4, blast: {p_kill: 0.2, p_wound: 0.5}}
zones:
  - id: a
    ambush: {per_1000km: 2, p_hit: 0.1, p_kill_given_hit: 0.5}
    ambushes:
      - {id: snipers, per_1000km: 3, p_hit: 0.05, p_kill_given_hit: 0.9}
      - {id: rpg, per_1000km: 1, p_hit: 0.2, p_kill_given_hit: 0.3, halted_factor: 2}
  - id: b
    ambushes:
      - {id: snipers, per_1000km: 5, p_hit: 0.02, p_kill_given_hit: 0.9}
sites:
  - {id: s1, zone: a, personnel: 1000}
  - {id: s2, zone: b, personnel: 500}
routes:
  - {id: r, from: s1, to: s2, segments: [{zone: a, length_km: 30}, {zone: b, length_km: 20}]}
movements:
  - id: m
    route: r
    schedule: {poisson_per_day: 2.4}
    speed_kmh: 30
    vehicles: [{type: truck, count: 3, crew: 2}]
arms:
  - name: fewer_snipers
    overrides:
      zones[b].ambushes[snipers].per_1000km: 1
)";

// The first error of loading kHazards with `from` replaced by `to`.
std::string first_error(const std::string& from, const std::string& to) {
  std::string text = kHazards;
  text.replace(text.find(from), from.size(), to);
  Diagnostics d("hazards.yaml");
  if (load_scenario_text(text, d)) return "loaded without error";
  return d.all().empty() ? "no diagnostics" : d.all()[0].format();
}

TEST(DistanceHazards, AZoneReadsItsAmbushBlockAndItsNamedAmbushes) {
  Diagnostics d("hazards.yaml");
  auto ls = load_scenario_text(kHazards, d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  const Scenario& s = ls->baseline();
  ASSERT_TRUE(s.zones[0].ambush);
  EXPECT_EQ(s.zones[0].ambush->id, "ambush");
  ASSERT_EQ(s.zones[0].ambushes.size(), 2u);
  EXPECT_EQ(s.zones[0].ambushes[0].id, "snipers");
  EXPECT_DOUBLE_EQ(s.zones[0].ambushes[0].per_km, 0.003);
  EXPECT_DOUBLE_EQ(s.zones[0].ambushes[0].halted_factor, 1.0);  // the default, as for `ambush`
  EXPECT_DOUBLE_EQ(s.zones[0].ambushes[1].halted_factor, 2.0);
  EXPECT_FALSE(s.zones[1].ambush);
  ASSERT_EQ(s.zones[1].ambushes.size(), 1u);
  // Arms select a hazard by its id.
  ASSERT_EQ(ls->arms.size(), 2u);
  EXPECT_DOUBLE_EQ(ls->arms[1].scenario.zones[1].ambushes[0].per_km, 0.001);
  EXPECT_DOUBLE_EQ(ls->arms[1].scenario.zones[0].ambushes[0].per_km, 0.003);
}

TEST(DistanceHazards, OneNameInTwoZonesIsOneHazardOnTheRoute) {
  Diagnostics d("hazards.yaml");
  auto ls = load_scenario_text(kHazards, d);
  ASSERT_TRUE(ls);
  const sim::Tables t = sim::Tables::build(ls->baseline());
  ASSERT_EQ(t.hazards.size(), 3u);  // ambush, snipers, rpg
  EXPECT_EQ(t.hazards[0].id, "ambush");
  EXPECT_EQ(t.hazards[1].id, "snipers");
  EXPECT_EQ(t.hazards[2].id, "rpg");
  ASSERT_EQ(t.routes[0].hazards.size(), 3u);
  const sim::RouteHazard& snipers = t.routes[0].hazards[1];
  EXPECT_DOUBLE_EQ(snipers.per_km[0], 0.003);  // zone a
  EXPECT_DOUBLE_EQ(snipers.per_km[1], 0.005);  // zone b
  EXPECT_DOUBLE_EQ(snipers.hazard_by_epoch[0], 0.003 * 30 + 0.005 * 20);
  EXPECT_DOUBLE_EQ(t.routes[0].hazards[2].per_km[1], 0.0);  // no rpg in zone b
  // A strike's complex attack uses the `ambush` block, else the first named one.
  EXPECT_EQ(t.zones[0].complex_ambush, &*ls->baseline().zones[0].ambush);
  EXPECT_EQ(t.zones[1].complex_ambush, &ls->baseline().zones[1].ambushes[0]);
}

TEST(DistanceHazards, DuplicateNamesInAZoneAreErrors) {
  const std::string msg = first_error("id: rpg", "id: snipers");
  EXPECT_NE(msg.find("hazards.yaml:10:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("duplicate ambush id 'snipers'"), std::string::npos) << msg;
}

TEST(DistanceHazards, ANamedAmbushCannotReuseTheBlocksName) {
  const std::string msg = first_error("id: rpg", "id: ambush");
  EXPECT_NE(msg.find("hazards.yaml:10:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("zones[a].ambushes[ambush].id"), std::string::npos) << msg;
}

TEST(DistanceHazards, ANamedAmbushNeedsAnId) {
  const std::string msg = first_error("id: rpg, ", "");
  EXPECT_NE(msg.find("hazards.yaml:10:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("zones[a].ambushes[1].id: missing required key 'id'"), std::string::npos)
      << msg;
}

// The old single block is the hazard named "ambush": writing it as the only
// entry of `ambushes` with that id gives the same history, bit for bit.
TEST(DistanceHazards, TheAmbushBlockIsTheHazardNamedAmbush) {
  Scenario block;
  block.name = "t";
  block.horizon_hours = 60 * kHoursPerDay;
  block.vehicle_types = {VehicleType{.id = "truck", .seats = 4, .blast = {0, 0}}};
  Zone z;
  z.id = "z";
  z.ambush = AmbushThreat{.per_km = 0.01, .p_hit = 0.2, .p_kill_given_hit = 0.5};
  block.zones = {z};
  block.sites = {Site{.id = "a", .zone = 0, .personnel = 10},
                 Site{.id = "b", .zone = 0, .personnel = 10}};
  block.routes = {Route{.id = "r", .from = 0, .to = 1, .segments = {{0, 120}}, .length_km = 120}};
  Movement m;
  m.id = "m";
  m.schedule.kind = Schedule::Kind::kPeriodic;
  m.schedule.every_hours = 24;
  m.speed_kmh = 40;
  m.halt_hours = 2;
  m.vehicles = {VehicleGroup{.type = 0, .count = 3, .crew = 2}};
  block.movements = {m};
  Scenario list = block;
  list.zones[0].ambushes = {*list.zones[0].ambush};  // id "ambush"
  list.zones[0].ambush.reset();

  Simulator sa(block), sb(list);
  Tally ta, tb;
  int64_t attacks = 0;
  for (int r = 0; r < 50; ++r) {
    sa.run(5, static_cast<uint64_t>(r), ta);
    sb.run(5, static_cast<uint64_t>(r), tb);
    EXPECT_EQ(ta.ambush_attacks, tb.ambush_attacks);
    EXPECT_EQ(ta.total().n, tb.total().n);
    EXPECT_EQ(ta.movement_km, tb.movement_km);
    attacks += ta.ambush_attacks;
  }
  EXPECT_GT(attacks, 20);
}

}  // namespace
}  // namespace pk
