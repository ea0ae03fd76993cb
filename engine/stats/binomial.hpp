// Exact binomial draws whose values are the same on every standard library.
//
// std::binomial_distribution (and std::uniform_real_distribution) leave their
// algorithm to the implementation, so the same generator gives other numbers
// under libstdc++, libc++ and MSVC; it also sets itself up (lgamma, log) on
// every construction. Here a uniform is the top 53 bits of one raw 64-bit word
// of std::mt19937_64, whose output the standard fixes, and a draw is
//   - inversion by sequential search from 0 when the expected count of the
//     rarer outcome is small: one uniform, one exp and O(mean) steps;
//   - otherwise Boost.Random's binomial_distribution (Hörmann's BTRD), whose
//     algorithm is fixed by Boost, not by the standard library.
#pragma once

#include <algorithm>
#include <boost/random/binomial_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace pk {

// A uniform on [0, 1): the top 53 bits of one 64-bit word times 2^-53.
inline double uniform53(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Binomial(n, p) for one p and any number of trials n. The success and failure
// probabilities are given apart, so that a p near 1 keeps its exact 1 - p.
class Binomial {
 public:
  // Below this expected count of the rarer outcome, inversion from 0 (its steps
  // cost less than BTRD's setup and rejection).
  static constexpr double kInversionBelow = 16;

  Binomial(double p, double q)
      : flipped_(p > q),
        rare_(std::min(p, q)),
        log_common_(std::log(std::max(p, q))),
        odds_(rare_ / std::max(p, q)),
        // common^n, the first probability of the search, stays a normal double
        // (at least e^-600) below this n; the expected count n rare is below
        // kInversionBelow below the other.
        exact_start_below_(rare_ > 0 ? -600 / log_common_ : kInf),
        invert_below_(std::min(rare_ > 0 ? kInversionBelow / rare_ : kInf, exact_start_below_)) {}
  explicit Binomial(double p) : Binomial(p, 1 - p) {}

  // One draw with n trials.
  int64_t operator()(std::mt19937_64& rng, int64_t n) { return (*this)(rng, n, n); }

  // A draw of min(X, cap), X with n trials (cap <= n): when the successes are
  // the rarer outcome, inversion stops at cap, so O(min(mean, cap)) steps
  // (with the same uniform, the value min(X, cap) of the uncapped inversion).
  int64_t operator()(std::mt19937_64& rng, int64_t n, int64_t cap) {
    if (n <= 0 || rare_ == 0) return flipped_ ? std::min(n, cap) : 0;
    const double nn = static_cast<double>(n);
    if (nn < invert_below_)
      return flipped_ ? std::min(n - invert(rng, n, n), cap) : invert(rng, n, cap);
    if (!flipped_ && static_cast<double>(cap) < kInversionBelow && nn < exact_start_below_)
      return invert(rng, n, cap);
    const int64_t x = boost_draw(rng, n);
    return std::min(flipped_ ? n - x : x, cap);
  }

 private:
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  // The smallest k with u < P(K <= k), K ~ Binomial(n, rare), or cap if none
  // below it: P(K = 0) = common^n, then P(K = k + 1) = P(K = k) odds (n - k) / (k + 1).
  // common^n is kept for the next draw: the same n comes back often (all n
  // trials are left while the draws above a bin were 0).
  int64_t invert(std::mt19937_64& rng, int64_t n, int64_t cap) {
    double u = uniform53(rng);
    if (n != start_n_) start_n_ = n, start_ = std::exp(static_cast<double>(n) * log_common_);
    double pk = start_, trials_left = static_cast<double>(n), next = 1;  // n - k, k + 1
    int64_t k = 0;
    while (u >= pk && k < cap) {
      u -= pk;
      pk *= odds_ * trials_left / next;
      trials_left -= 1, next += 1, ++k;
    }
    return k;
  }

  // Boost.Random's own draw (BTRD at these means).
  int64_t boost_draw(std::mt19937_64& rng, int64_t n) const {
    return boost::random::binomial_distribution<int64_t, double>(n, rare_)(rng);
  }

  bool flipped_;       // p > q: the draws count failures, then n minus them
  double rare_;        // min(p, q)
  double log_common_;  // log max(p, q)
  double odds_;        // rare / common
  double exact_start_below_, invert_below_;
  int64_t start_n_ = -1;  // the n of the last inversion, and its common^n
  double start_ = 0;
};

}  // namespace pk
