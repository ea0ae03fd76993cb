// The acceptance gate end to end (docs/model.md §6 "Acceptance"), one named
// regression test per finding: a gate that decided on one replication, a
// confidence of 1 that ended in an internal error, a tiny confidence that
// gave a negative "upper" bound, and a mean gate that passed while a quarter
// of the mission-years were above the limit. Also the stopping rule's usage
// errors and its answer on the command line.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "support.hpp"

namespace {

using Result = pk::test::RunResult;
using nlohmann::json;

Result run(const std::string& args) {
  return pk::test::run_pkrisk(args);
}

const std::string kSmall = pk::test::source_path("tests/data/run/small.yaml");
const std::string kExceedance = pk::test::source_path("tests/data/run/exceedance.yaml");

TEST(AcceptanceRegression, OneReplicationIsRefusedNotPassed) {
  const Result r = run("run " + kSmall + " -n 1 -q");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("acceptance NOT DECIDED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at least 30"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("acceptance passed"), std::string::npos) << r.err;
  // The result is still printed, and the JSON says why there is no verdict.
  const Result j = run("run " + kSmall + " -n 29 -q --format json");
  EXPECT_EQ(j.code, 2) << j.err;
  const json a = json::parse(j.out)["acceptance"];
  EXPECT_FALSE(a["decided"].get<bool>());
  EXPECT_FALSE(a["passed"].get<bool>());
  EXPECT_EQ(a["min_replications"].get<int>(), 30);
  EXPECT_EQ(run("run " + kSmall + " -n 30 -q").code, 0);
}

// The first error line: FILE:LINE:COL: error: KEY PATH: message.
void expect_refused_at(const std::string& name, const std::string& value) {
  const std::string file = pk::test::source_path("tests/data/bad/" + name);
  const Result r = run("run " + file + " -n 100 -q");
  EXPECT_EQ(r.code, 2) << r.err;
  const std::regex where(std::regex_replace(file, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                         R"(:14:\d+: error: acceptance\.fatalities_per_1000py\.confidence: )"
                         R"(must be in \[0\.5, 0\.9999\], got )" +
                         std::regex_replace(value, std::regex(R"([.+-])"), R"(\$&)"));
  EXPECT_TRUE(std::regex_search(r.err, where)) << r.err;
  EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
}

TEST(AcceptanceRegression, ConfidenceOneIsABadInputWithFileLine) {
  expect_refused_at("acceptance_confidence_one.yaml", "1.0");
}

TEST(AcceptanceRegression, TinyConfidenceIsABadInputWithFileLine) {
  expect_refused_at("acceptance_confidence_tiny.yaml", "4.9e-324");
}

// P(S >= 4) for S compound Poisson: Poisson(lambda) attacks, each killing
// Poisson(c), by Panjer's recursion g_k = (lambda / k) sum_j j f_j g_{k-j}.
double compound_poisson_tail(double lambda, double c, int at_least) {
  std::vector<double> f(at_least), g(at_least);
  for (int j = 0; j < at_least; ++j) f[j] = std::exp(-c) * std::pow(c, j) / std::tgamma(j + 1.0);
  g[0] = std::exp(lambda * (f[0] - 1));
  double below = g[0];
  for (int k = 1; k < at_least; ++k) {
    g[k] = 0;
    for (int j = 1; j <= k; ++j) g[k] += lambda * j / k * f[j] * g[k - j];
    below += g[k];
  }
  return 1 - below;
}

// The exact one-sided upper bound by bisection on the binomial distribution
// function, independently of the incomplete beta function the engine uses.
double binomial_upper(int64_t k, int64_t n, double confidence) {
  auto cdf = [&](double p) {  // P(X <= k), summed in logs
    double s = 0;
    for (int64_t i = 0; i <= k; ++i)
      s += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) +
                    i * std::log(p) + (n - i) * std::log1p(-p));
    return s;
  };
  double lo = 0, hi = 1;
  for (int it = 0; it < 200; ++it) {
    const double mid = (lo + hi) / 2;
    (cdf(mid) > 1 - confidence ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

TEST(AcceptanceRegression, ExceedanceGateFailsWhereTheMeanGatePasses) {
  const int64_t n = 2000;
  const std::string csv = pk::test::temp_path("exceedance_rows.csv");
  const Result r = run("run " + kExceedance + " -n " + std::to_string(n) +
                       " -q --format json --per-replication " + csv);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("acceptance FAILED"), std::string::npos) << r.err;
  const json a = json::parse(r.out)["acceptance"];
  // The mean gate alone would pass.
  EXPECT_TRUE(a["decided"].get<bool>());
  EXPECT_LE(a["upper_bound"].get<double>(), 3.5);
  EXPECT_FALSE(a["passed"].get<bool>());
  const json& e = a["exceedance_probability"];
  EXPECT_FALSE(e["passed"].get<bool>());
  EXPECT_EQ(e["max"].get<double>(), 0.1);
  // The share against the closed form (4+ fatalities in a year), within 4
  // standard errors.
  const double p = compound_poisson_tail(365 * 0.01, 0.7, 4);
  const double share = e["p"].get<double>();
  EXPECT_NEAR(share, p, 4 * std::sqrt(p * (1 - p) / n)) << "closed form " << p;
  EXPECT_GT(p, 0.2);
  // The count against the replications themselves.
  std::ifstream rows(csv);
  std::string line;
  std::getline(rows, line);
  int64_t above = 0, seen = 0;
  while (std::getline(rows, line)) {
    std::istringstream s(line);
    std::string rep, arm, fatalities;
    std::getline(s, rep, ',');
    std::getline(s, arm, ',');
    std::getline(s, fatalities, ',');
    ++seen;
    if (std::stoll(fatalities) * 1000.0 / 1000.0 > 3.5) ++above;
  }
  std::remove(csv.c_str());
  EXPECT_EQ(seen, n);
  EXPECT_EQ(e["exceedances"].get<int64_t>(), above);
  EXPECT_DOUBLE_EQ(share, static_cast<double>(above) / n);
  EXPECT_NEAR(e["upper_bound"].get<double>(), binomial_upper(above, n, 0.95), 1e-9);
}

TEST(AcceptanceRegression, ExceedanceIsShownBesideTheMeanWhenNotGated) {
  const std::string file = pk::test::temp_path("exceedance_ungated.yaml");
  {
    std::string text = pk::test::read_file(kExceedance);
    text.replace(text.find(", max_exceedance_probability: 0.1"),
                 std::string(", max_exceedance_probability: 0.1").size(), "");
    std::ofstream(file) << text;
  }
  const std::string html = pk::test::temp_path("exceedance.html");
  const Result r = run("run " + file + " -n 300 -q --report " + html);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("acceptance passed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("share of replications above the limit"), std::string::npos) << r.out;
  EXPECT_NE(pk::test::read_file(html).find("share of replications above the limit"),
            std::string::npos);
  const Result j = run("run " + file + " -n 300 -q --format json");
  const json e = json::parse(j.out)["acceptance"]["exceedance_probability"];
  EXPECT_TRUE(e["max"].is_null());
  EXPECT_GT(e["p"].get<double>(), 0.1);
  EXPECT_TRUE(e["passed"].get<bool>());
}

TEST(StoppingCli, BatchOfOneStopsAfterTwoReplicationsAtTheEarliest) {
  // A world without an acceptance gate, which would refuse two replications.
  const Result r = run("run " + pk::test::source_path("tests/data/run/sweep.yaml") +
                       " --target-ci 10 --batch 1 --min-replications 1 --format json -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["replications"].get<int64_t>(), 2);
}

TEST(StoppingCli, DiffTargetIsMetAndTheSameOnAnyThreadCount) {
  const std::string args = "run " + kSmall +
                           " --target-ci-diff 0.6 --batch 100 --min-replications 300 "
                           "--format json -q";
  const Result one = run(args + " -j1");
  const Result two = run(args + " -j2");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  const json j = json::parse(one.out);
  EXPECT_GE(j["replications"].get<int64_t>(), 300);
  const double years = 1;  // 365 days
  for (size_t a = 1; a < j["arms"].size(); ++a) {
    const json& d = j["arms"][a]["vs_baseline"]["fatalities_diff"]["ci95"];
    EXPECT_LE((d[1].get<double>() - d[0].get<double>()) / 2 / years, 0.6 + 1e-9);
  }
}

TEST(StoppingCli, ImpossibleRulesAreUsageErrors) {
  const Result no_arms = run("run " + kExceedance + " --target-ci-diff 0.1 -q");
  EXPECT_EQ(no_arms.code, 2);
  EXPECT_NE(no_arms.err.find("--target-ci-diff needs an arm"), std::string::npos) << no_arms.err;
  const Result low_max = run("run " + kSmall + " --target-ci 0.1 --max-replications 100 -q");
  EXPECT_EQ(low_max.code, 2);
  EXPECT_NE(low_max.err.find("below the stopping rule's minimum of 1000"), std::string::npos)
      << low_max.err;
}

}  // namespace
