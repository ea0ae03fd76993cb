// Vehicle catalogues: shared vehicle types, replaced or extended per scenario.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scenario/loader.hpp"

namespace pk {
namespace {

class Catalogue : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "pk_catalogue_" + std::to_string(::getpid()) + "_" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/vehicles.yaml")
        << "vehicle_types:\n"
           "  - {id: truck, seats: 4, blast: {p_kill: 0.3, p_wound: 0.4}}\n"
           "  - {id: mrap, seats: 6, blast: {p_kill: 0.03, p_wound: 0.2}}\n";
  }
  std::optional<LoadedScenario> load(const std::string& extra, Diagnostics& d) {
    const std::string file = dir_ + "/s.yaml";
    std::ofstream(file)
        << "pkrisk: 1\nscenario: {name: c, horizon_days: 10}\nvehicle_catalogue: vehicles.yaml\n"
        << extra
        << "zones: [{id: z}]\nsites: [{id: a, zone: z, personnel: 10}]\n"
           "routes: [{id: r, from: a, to: a, segments: [{zone: z, length_km: 5}]}]\n"
           "movements: [{id: m, route: r, schedule: {every_hours: 24}, speed_kmh: 10,\n"
           "             vehicles: [{type: mrap, count: 1, crew: 4}]}]\n";
    d = Diagnostics(file);
    return load_scenario(file, d);
  }
  std::string dir_;
};

TEST_F(Catalogue, SuppliesVehicleTypesRelativeToTheScenario) {
  Diagnostics d;
  auto ls = load("", d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  ASSERT_EQ(ls->baseline().vehicle_types.size(), 2u);
  EXPECT_EQ(ls->baseline().vehicle_types[1].id, "mrap");
  EXPECT_EQ(ls->baseline().movements[0].vehicles[0].type, 1);
}

TEST_F(Catalogue, ScenarioEntriesReplaceByIdAndAdd) {
  Diagnostics d;
  auto ls = load(
      "vehicle_types:\n  - {id: mrap, seats: 8, blast: {p_kill: 0.01, p_wound: 0.1}}\n"
      "  - {id: foot, seats: 1, blast: {p_kill: 0.5, p_wound: 0.4}}\n",
      d);
  ASSERT_TRUE(ls) << (d.all().empty() ? "" : d.all()[0].format());
  const auto& vt = ls->baseline().vehicle_types;
  ASSERT_EQ(vt.size(), 3u);
  EXPECT_EQ(vt[1].seats, 8);
  EXPECT_DOUBLE_EQ(vt[1].blast.p_kill, 0.01);
  EXPECT_EQ(vt[2].id, "foot");
}

TEST_F(Catalogue, ErrorsInTheCatalogueNameTheCatalogue) {
  std::ofstream(dir_ + "/vehicles.yaml")
      << "vehicle_types:\n  - {id: truck, seats: 4, blast: {p_kill: 0.8, p_wound: 0.4}}\n";
  Diagnostics d;
  EXPECT_FALSE(load("", d));
  ASSERT_TRUE(d.has_errors());
  EXPECT_NE(d.all()[0].format().find("vehicles.yaml:2:"), std::string::npos) << d.all()[0].format();
  EXPECT_NE(d.all()[0].message.find("p_kill + p_wound"), std::string::npos);
}

TEST_F(Catalogue, MissingCatalogueIsAnError) {
  std::filesystem::remove(dir_ + "/vehicles.yaml");
  Diagnostics d;
  EXPECT_FALSE(load("", d));
  EXPECT_NE(d.all()[0].format().find("vehicles.yaml"), std::string::npos);
}

TEST(CatalogueShipped, EveryShippedScenarioValidates) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(PK_SOURCE_DIR "/scenarios")) {
    if (e.path().extension() != ".yaml" || e.path().filename() == "vehicles.yaml") continue;
    Diagnostics d(e.path().string());
    auto ls = load_scenario(e.path().string(), d);
    EXPECT_TRUE(ls) << (d.all().empty() ? e.path().string() : d.all()[0].format());
    ++n;
  }
  EXPECT_GE(n, 1u);
}

}  // namespace
}  // namespace pk
