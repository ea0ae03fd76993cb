// tests/fuzz/regressions/ keeps every input that ever crashed or hung the
// loader, plus the inputs that probe its limits (alias bombs, deep nesting,
// huge numbers, bad UTF-8 from tests/data/bad; crafted override paths that
// stress the nearest-path search). Each of them and of the fuzzer's seed corpus
// goes through the loader, one test per file: no crash, no hang (10 s at most,
// even on a loaded machine; a healthy load takes milliseconds), and a refusal
// always says why and where. A new crash found by the fuzzer goes in that folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/loader.hpp"
#include "support.hpp"

namespace pk {
namespace {

std::vector<std::string> inputs(const std::string& folder) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(test::source_path(folder)))
    if (e.is_regular_file() && e.path().filename().string()[0] != '.')
      out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> all_inputs() {
  std::vector<std::string> out = inputs("tests/fuzz/regressions");
  for (auto& f : inputs("tests/fuzz/corpus")) out.push_back(std::move(f));
  return out;
}

class FuzzRegression : public ::testing::TestWithParam<std::string> {};

TEST_P(FuzzRegression, LoadsOrSaysWhyInTime) {
  const std::string& path = GetParam();
  const std::string text = test::read_file(path);
  Diagnostics d(path);
  const auto start = std::chrono::steady_clock::now();
  const auto loaded = load_scenario_text(text, d);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0) << path << " took " << seconds << " s to load";
  if (loaded) return;
  ASSERT_TRUE(d.has_errors()) << path << ": refused without an error";
  const auto first = std::find_if(d.all().begin(), d.all().end(), [](const Diagnostic& x) {
    return x.severity == Diagnostic::Severity::kError;
  });
  ASSERT_NE(first, d.all().end());
  EXPECT_EQ(first->format().rfind(path + ":", 0), 0u) << first->format();
}

INSTANTIATE_TEST_SUITE_P(Inputs, FuzzRegression, ::testing::ValuesIn(all_inputs()),
                         [](const auto& info) {
                           std::string name =
                               std::filesystem::path(info.param).parent_path().filename().string() +
                               "_" + std::filesystem::path(info.param).stem().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// The folder must hold the limit-probing inputs, so that it keeps guarding them.
TEST(FuzzRegressions, FolderHoldsTheKnownTroublemakers) {
  const auto files = inputs("tests/fuzz/regressions");
  for (const char* name : {"alias_bomb.yaml", "cyclic_alias.yaml", "deep_block.yaml",
                           "deep_flow.yaml", "long_number.yaml", "override_long_key.yaml"}) {
    EXPECT_TRUE(std::any_of(files.begin(), files.end(), [&](const std::string& f) {
      return std::filesystem::path(f).filename() == name;
    })) << name;
  }
}

}  // namespace
}  // namespace pk
