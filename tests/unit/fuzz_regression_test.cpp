// Every input the fuzzer ever found troublesome (tests/fuzz/regressions/) and
// the seed corpus goes through the loader again: no crash, and a refusal
// always says why.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "scenario/loader.hpp"

namespace pk {
namespace {

TEST(FuzzRegressions, EveryKnownInputLoadsOrSaysWhy) {
  size_t files = 0;
  for (const char* dir : {"/tests/fuzz/regressions", "/tests/fuzz/corpus"}) {
    for (const auto& e : std::filesystem::directory_iterator(std::string(PK_SOURCE_DIR) + dir)) {
      if (!e.is_regular_file() || e.path().filename().string()[0] == '.') continue;
      std::ifstream f(e.path(), std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      Diagnostics d(e.path().string());
      const auto loaded = load_scenario_text(ss.str(), d);
      EXPECT_TRUE(loaded || d.has_errors()) << e.path();
      ++files;
    }
  }
  EXPECT_GT(files, 0u);
}

}  // namespace
}  // namespace pk
