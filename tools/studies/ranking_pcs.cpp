// The simulation study behind docs/select.md: the probability of correct
// selection (PCS) and the replications of the procedure KN (stats/ranking.hpp)
// on normal systems with common random numbers, in the two configurations of
// the literature:
//   SC  (slippage): the best mean δ, every other 0 — the hardest case for PCS;
//   MDM (monotone decreasing means): system i has mean −(i − 1)δ.
// Observation j of system i: μ_i + √ρ Z_j + √(1 − ρ) E_ij (Z, E standard
// normal): variance 1, correlation ρ between systems (what common random
// numbers give). Prints a markdown table.
//
//   build/tools/pk_ranking_study [macroreplications]   (default 10000; 1000 for k = 128)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "stats/ranking.hpp"

namespace {

struct Outcome {
  double pcs = 0, pcs_se = 0, mean_total = 0, mean_reps_of_best = 0;
};

Outcome study(size_t k, double rho, bool slippage, double delta, int64_t n0, int macroreps,
              uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> mu(k, 0.0), x(k);
  for (size_t i = 0; i < k; ++i) mu[i] = slippage ? (i == 0 ? delta : 0.0) : -delta * double(i);
  const double a = std::sqrt(rho), b = std::sqrt(1 - rho);
  int correct = 0;
  double total = 0, best_reps = 0;
  for (int m = 0; m < macroreps; ++m) {
    pk::KimNelson kn(k, {.indifference_zone = delta, .confidence = 0.95, .first_stage = n0});
    while (!kn.done()) {
      const double z = normal(rng);
      for (size_t i = 0; i < k; ++i) x[i] = mu[i] + a * z + b * normal(rng);
      kn.observe(x);
    }
    correct += kn.selected() == 0;
    for (size_t i = 0; i < k; ++i) total += static_cast<double>(kn.replications_of(i));
    best_reps += static_cast<double>(kn.replications_of(0));
  }
  Outcome o;
  o.pcs = static_cast<double>(correct) / macroreps;
  o.pcs_se = std::sqrt(o.pcs * (1 - o.pcs) / macroreps);
  o.mean_total = total / macroreps;
  o.mean_reps_of_best = best_reps / macroreps;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const int macroreps = argc > 1 ? std::atoi(argv[1]) : 10000;
  const double delta = 0.25;  // δ/σ
  const int64_t n0 = 20;
  std::printf(
      "| k | ρ | means | macroreplications | PCS (SE) | replications, all systems | of the "
      "best |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  uint64_t seed = 20261202;
  // k = 16 came last, so that the rows before it kept their seeds.
  for (size_t k : {2, 5, 10, 25, 128, 16})
    for (double rho : {0.0, 0.5, 0.8})
      for (bool sc : {true, false}) {
        // 128 systems: O(k²) screening a replication, a tenth of the macroreplications.
        const int m = k == 128 ? std::max(100, macroreps / 10) : macroreps;
        const Outcome o = study(k, rho, sc, delta, n0, m, seed++);
        std::printf("| %zu | %.1f | %s | %d | %.3f (%.3f) | %.0f | %.0f |\n", k, rho,
                    sc ? "SC" : "MDM", m, o.pcs, o.pcs_se, o.mean_total, o.mean_reps_of_best);
        std::fflush(stdout);
      }
  return 0;
}
