// `pkrisk voi` as another model's analyst uses it (docs/decide.md): a PSA
// sample in two CSV files, values against the closed form of a normal–linear
// model, and every malformed input refused with exit code 2.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support.hpp"

namespace {

using pk::test::run_pkrisk;
using pk::test::temp_path;

struct PsaFiles {
  std::string inputs, outputs;
};

// n draws of a, b ~ N(0, 1) at the midpoints of n strata (a and b paired in
// opposite orders, so independent enough for the test); decisions "none"
// (net benefit 0) and "act" (0.5 + a + 0.5 b), written exactly.
PsaFiles linear_psa(int n, const std::string& name) {
  const boost::math::normal z;
  PsaFiles f{temp_path(name + "_in.csv"), temp_path(name + "_nb.csv")};
  std::ofstream in(f.inputs), nb(f.outputs);
  in << "a,b,unused\n";
  nb << "none,act\n";
  in.precision(17);
  nb.precision(17);
  for (int i = 0; i < n; ++i) {
    const double a = boost::math::quantile(z, (i + 0.5) / n);
    const double b = boost::math::quantile(z, ((i * 7919) % n + 0.5) / n);
    in << a << "," << b << "," << (i % 10) << "\n";
    nb << 0 << "," << 0.5 + a + 0.5 * b << "\n";
  }
  return f;
}

// E[max(0, μ + sZ)] − max(0, μ).
double closed_form(double mu, double s) {
  const boost::math::normal z;
  return s * boost::math::pdf(z, mu / s) + mu * boost::math::cdf(z, mu / s) - std::max(0.0, mu);
}

TEST(VoiCli, ReproducesTheClosedFormOfANormalLinearModel) {
  const PsaFiles f = linear_psa(4000, "closed");
  const auto r = run_pkrisk("voi --inputs " + f.inputs + " --outputs " + f.outputs +
                            " --parameters a --parameters a,b --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const double evpi = closed_form(0.5, std::hypot(1.0, 0.5));
  EXPECT_NEAR(j["evpi"].get<double>(), evpi, 0.01 * evpi);
  ASSERT_EQ(j["evppi"].size(), 2u);
  // Ranked: the pair (worth the EVPI) before a alone.
  EXPECT_EQ(j["evppi"][0]["parameters"], nlohmann::json({"a", "b"}));
  EXPECT_NEAR(j["evppi"][0]["value"].get<double>(), evpi, 0.01 * evpi);
  EXPECT_NEAR(j["evppi"][1]["value"].get<double>(), closed_form(0.5, 1.0),
              0.02 * closed_form(0.5, 1.0));
  EXPECT_GE(j["evppi"][1]["se"].get<double>(), 0);
  EXPECT_EQ(j["draws"], 4000);
}

TEST(VoiCli, EveryInputAloneAndTheGroupsByDefault) {
  const PsaFiles f = linear_psa(500, "groups");
  const std::string groups = temp_path("groups.csv");
  std::ofstream(groups) << "group,input\nthreat,a\nthreat,b\n";
  const auto r = run_pkrisk("voi --inputs " + f.inputs + " --outputs " + f.outputs + " --groups " +
                            groups + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["evppi"].size(), 4u);
  EXPECT_EQ(j["evppi"][0]["group"], "threat");
  EXPECT_EQ(j["evppi"][3]["parameters"], nlohmann::json({"unused"}));
  EXPECT_LT(j["evppi"][3]["value"].get<double>(), 0.02 * j["evpi"].get<double>());
  const auto table = run_pkrisk("voi --inputs " + f.inputs + " --outputs " + f.outputs);
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("EVPI"), std::string::npos) << table.out;
}

TEST(VoiCli, MalformedSamplesAreRefusedWithTheFileAndLine) {
  const PsaFiles f = linear_psa(100, "bad");
  const auto expect_refused = [](const std::string& args, const std::string& says) {
    const auto r = run_pkrisk("voi " + args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  };
  const std::string short_in = temp_path("short.csv");
  std::ofstream(short_in) << "a,b,unused\n1,2,3\n";
  expect_refused("--inputs " + short_in + " --outputs " + f.outputs, "has 1 draw and");
  expect_refused("--inputs " + short_in + " --outputs " + f.outputs, "has 100");
  const std::string text = temp_path("text.csv");
  std::ofstream(text) << "none,act\n0,1\n0,high\n";
  expect_refused("--inputs " + short_in + " --outputs " + text, "text.csv:3: column act");
  const std::string nan = temp_path("nan.csv");
  std::ofstream(nan) << "none,act\n0,nan\n";
  expect_refused("--inputs " + short_in + " --outputs " + nan, "not a finite number");
  const std::string one = temp_path("one.csv");
  std::ofstream(one) << "act\n1\n";
  expect_refused("--inputs " + short_in + " --outputs " + one, "at least two");
  expect_refused("--inputs " + f.inputs + " --outputs " + f.outputs + " --parameters c",
                 "unknown input 'c'");
  expect_refused("--inputs " + f.inputs + " --outputs /nonexistent.csv", "cannot read");
  const std::string groups = temp_path("badgroups.csv");
  std::ofstream(groups) << "group,input\nthreat,z\n";
  expect_refused("--inputs " + f.inputs + " --outputs " + f.outputs + " --groups " + groups,
                 "badgroups.csv:2: unknown input 'z'");
}

}  // namespace
