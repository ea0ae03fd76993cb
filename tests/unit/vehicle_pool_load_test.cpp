// Vehicle pools at load (docs/model.md §3.5): a pooled group is of the pool's
// type, its crew fits the fallback, and only movements draw on pools.
#include <gtest/gtest.h>

#include "scenario/loader.hpp"
#include "support.hpp"

namespace pk {
namespace {

using test::first_load_error;

const char* kPooled = R"(pkrisk: 1
scenario: {name: pools, horizon_days: 120, seed: 3}
vehicle_types:
  - {id: lorry, seats: 3, blast: {p_kill: 0.3, p_wound: 0.4}}
  - {id: mrap, seats: 6, blast: {p_kill: 0.05, p_wound: 0.2}, ambush_exposure: 0.2}
zones:
  - id: z
    ambush: {per_1000km: 1, p_hit: 0.1, p_kill_given_hit: 0.3}
sites:
  - {id: a, zone: z, personnel: 400}
  - {id: b, zone: z, personnel: 300}
routes:
  - {id: ab, from: a, to: b, segments: [{zone: z, length_km: 70}]}
vehicle_pools:
  - {id: mraps, type: mrap, vehicles: 4, fallback_type: lorry}
movements:
  - id: convoy
    route: ab
    schedule: {every_hours: 48}
    speed_kmh: 30
    vehicles: [{type: mrap, count: 2, crew: 3, pool: mraps}, {type: lorry, count: 4, crew: 2}]
arms:
  - name: more_mraps
    overrides:
      vehicle_pools[mraps].vehicles: 8
)";

TEST(VehiclePoolLoad, ReadsPoolsAndTheGroupsThatDrawOnThem) {
  Diagnostics d("p.yaml");
  const auto ls = load_scenario_text(kPooled, d);
  ASSERT_TRUE(ls) << first_load_error(kPooled);
  const Scenario& s = ls->baseline();
  ASSERT_EQ(s.vehicle_pools.size(), 1u);
  EXPECT_EQ(s.vehicle_pools[0].vehicles, 4);
  EXPECT_EQ(s.vehicle_pools[0].type, 1);
  EXPECT_EQ(s.vehicle_pools[0].fallback_type, 0);
  EXPECT_EQ(s.movements[0].vehicles[0].pool, 0);
  EXPECT_EQ(s.movements[0].vehicles[1].pool, -1);
  EXPECT_EQ(ls->arms[1].scenario.vehicle_pools[0].vehicles, 8);
}

TEST(VehiclePoolLoad, RefusesWhatCannotDrawOnThePool) {
  EXPECT_NE(
      first_load_error(test::with_replaced(kPooled, "{type: mrap, count: 2, crew: 3, pool: mraps}",
                                           "{type: lorry, count: 2, crew: 3, pool: mraps}"))
          .find("pool 'mraps' holds vehicles of type 'mrap', not 'lorry'"),
      std::string::npos);
  EXPECT_NE(
      first_load_error(test::with_replaced(kPooled, "{type: mrap, count: 2, crew: 3, pool: mraps}",
                                           "{type: mrap, count: 2, crew: 5, pool: mraps}"))
          .find("crew 5 is more than the 3 seats of the pool's fallback type 'lorry'"),
      std::string::npos);
  EXPECT_NE(first_load_error(test::with_replaced(kPooled, "pool: mraps}", "pool: mrapz}"))
                .find("unknown vehicle pool 'mrapz' (did you mean 'mraps'?)"),
            std::string::npos);
  const std::string escorted = test::with_replaced(
      kPooled, "    speed_kmh: 30\n",
      "    speed_kmh: 30\n    route_clearance: {p_find: 0.5, speed_kmh: 20, vehicles: "
      "[{type: mrap, count: 1, crew: 2, pool: mraps}]}\n");
  EXPECT_NE(first_load_error(escorted).find("a clearance team's vehicles are its own"),
            std::string::npos)
      << first_load_error(escorted);
  const std::string unpooled = test::with_replaced(kPooled, "{type: lorry, count: 4, crew: 2}",
                                                   "{type: lorry, count: 4, crew: 2, priority: 2}");
  EXPECT_NE(first_load_error(unpooled).find(
                "priority orders the groups that draw on a pool; this group has none"),
            std::string::npos)
      << first_load_error(unpooled);
}

TEST(VehiclePoolLoad, ReadsAGroupsPriority) {
  const std::string text =
      test::with_replaced(kPooled, "pool: mraps}", "pool: mraps, priority: 3}");
  Diagnostics d("p.yaml");
  const auto ls = load_scenario_text(text, d);
  ASSERT_TRUE(ls) << first_load_error(text);
  EXPECT_EQ(ls->baseline().movements[0].vehicles[0].priority, 3);
  EXPECT_EQ(ls->baseline().movements[0].vehicles[1].priority, 1);
  EXPECT_NE(
      first_load_error(test::with_replaced(kPooled, "pool: mraps}", "pool: mraps, priority: 0}"))
          .find("priority"),
      std::string::npos);
}

}  // namespace
}  // namespace pk
