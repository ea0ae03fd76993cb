// Convergence diagnostics of Markov chains (docs/calibration.md, "Posterior"):
// the split R-hat and the effective sample size of Gelman et al., Bayesian
// Data Analysis (3rd ed., §11.4-11.5), as Stan computes them.
#pragma once

#include <vector>

namespace pk {

// Chains of one scalar, each the same length (>= 4). Split R-hat: each chain
// cut in two halves, then the potential scale reduction of the 2M half-chains,
// sqrt(((N-1)/N W + B/N) / W). Near 1 when the chains agree; above 1.01 they
// have not mixed. NaN for chains too short or without variation.
double split_rhat(const std::vector<std::vector<double>>& chains);

// Effective sample size of the pooled draws: M N / (1 + 2 sum rho_t), the
// autocorrelations rho_t combined across chains through the variance estimate
// of R-hat, summed over Geyer's initial positive sequence (pairs of lags
// summed while positive, made monotone). Capped at M N log10(M N), as Stan.
double effective_sample_size(const std::vector<std::vector<double>>& chains);

}  // namespace pk
