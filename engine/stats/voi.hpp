// Value of information from a probabilistic sensitivity analysis (PSA): the
// expected value of perfect information (EVPI) and of partial perfect
// information on a subset of the inputs (EVPPI), by regression of each
// decision's incremental net benefit on the inputs (Strong, Oakley & Brennan
// 2014). docs/decide.md explains the numbers and when not to trust them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pk {

// A PSA sample: draw i has input values inputs[i] (one per input) and net
// benefit net_benefit[i][d] for each decision d (larger is better).
struct PsaSample {
  std::vector<std::vector<double>> inputs;       // draws × inputs
  std::vector<std::vector<double>> net_benefit;  // draws × decisions
};

// mean_i max_d NB[i][d] − max_d mean_i NB[i][d]: the EVPI of a PSA whose
// net benefits are exact expected values given the inputs. With simulation
// noise in each draw's net benefit this is biased upward: the maximum of
// noisy values exceeds the noise-free maximum on average.
double naive_evpi(const PsaSample& psa);

// The regression behind an EVPPI: a smooth of each incremental net benefit
// (decision d minus decision 0) on the chosen inputs. One input: a cubic
// P-spline (Eilers & Marx) with a second-difference penalty; two inputs: a
// tensor-product P-spline with one penalty per direction; three or more: an
// additive P-spline per input. The splines take each input by its place in
// the sample (its empirical CDF), so that knots are equally filled whatever
// its distribution; beside them go unpenalised linear terms in the raw
// inputs and their pairwise products. Penalties chosen by generalised
// cross-validation.
struct Evppi {
  std::vector<int> inputs;  // indices into the PSA's inputs
  double value = 0;         // per unit of net benefit (per draw)
  double se = 0;            // Monte Carlo standard error of `value`
  double r2 = 0;            // of the fits, weighted by each difference's variance
  std::string model;        // "spline", "tensor spline" or "additive spline", "+ linear terms"
  std::string note;         // why a value is not estimable, or "" (value then 0)
};

// The EVPPI of `inputs` (indices into psa.inputs columns). The standard error
// comes from redrawing the fits' coefficients from their posterior (as mgcv
// and SAVI do) `se_draws` times with a generator seeded by `seed`.
Evppi evppi(const PsaSample& psa, const std::vector<int>& inputs, uint64_t seed = 1,
            int se_draws = 200);

// E[y_c | the chosen inputs] at every draw, for each column c of `y` (draws ×
// columns), by the regression evppi() uses. Empty when the inputs cannot
// carry a regression (too few draws, none varies): `note` says why.
std::vector<std::vector<double>> conditional_means(const std::vector<std::vector<double>>& inputs,
                                                   const std::vector<std::vector<double>>& y,
                                                   const std::vector<int>& chosen,
                                                   std::string& note);

// The smallest sample an EVPPI on `k` inputs is estimated from.
int64_t evppi_min_draws(int k);

}  // namespace pk
