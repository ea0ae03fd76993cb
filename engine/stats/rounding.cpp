#include "stats/rounding.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace pk {

namespace {

constexpr int kMaxDecimals = 12;

// Decimals that show `digits` significant digits of v (0 for 0).
int significant_decimals(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return 0;
  return digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(v))));
}

std::string drop_trailing_zeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

}  // namespace

std::optional<int> deserved_decimals(double spread) {
  if (!(spread > 0) || !std::isfinite(spread)) return std::nullopt;
  return significant_decimals(spread, 2);
}

int estimate_decimals(double v, double lo, double hi) {
  std::optional<int> d;
  if (std::isfinite(lo) && std::isfinite(hi))
    d = deserved_decimals((hi - lo) / 2);
  else if (std::isfinite(lo) || std::isfinite(hi))
    d = deserved_decimals(std::fabs(v - (std::isfinite(lo) ? lo : hi)));
  return std::min(kMaxDecimals, d ? *d : std::max(0, significant_decimals(v, 3)));
}

std::string fixed(double v, int decimals, bool commas) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0";  // exact (every replication 0, an end at 0): no false decimals
  char buf[400];
  if (decimals >= 0) {
    std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, kMaxDecimals), v);
  } else {
    const double unit = std::pow(10.0, -decimals);
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v / unit) * unit);
  }
  std::string s = buf;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // "-0.0"
  if (!commas) return s;
  // Built anew rather than by insert(): GCC 12 warns (-Wrestrict, a false
  // positive) on inserting into the string being read.
  const size_t start = s[0] == '-' ? 1 : 0;
  const size_t end = std::min(s.find('.'), s.size());
  std::string out = s.substr(0, start);
  for (size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out + s.substr(end);
}

RoundedEstimate round_estimate(double v, double lo, double hi, bool commas) {
  const int d = estimate_decimals(v, lo, hi);
  const auto end = [&](double e) { return std::isinf(e) ? "unbounded" : fixed(e, d, commas); };
  return {fixed(v, d, commas), end(lo), end(hi)};
}

double round_significant(double v, int digits) {
  if (v == 0 || !std::isfinite(v)) return v == 0 ? 0.0 : v;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return std::strtod(buf, nullptr);
}

std::vector<std::string> parameter_labels(const std::vector<double>& values) {
  std::vector<double> sorted;
  for (double v : values)
    if (std::isfinite(v)) sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  double gap = 0;
  for (size_t i = 1; i < sorted.size(); ++i) {
    const double g = sorted[i] - sorted[i - 1];
    // Differences below 1e-9 of the values are the arithmetic's, not the design's.
    if (g > 1e-9 * std::max(std::fabs(sorted[i]), 1.0) && (gap == 0 || g < gap)) gap = g;
  }
  std::vector<std::string> out;
  for (double v : values) {
    if (!std::isfinite(v)) {
      out.push_back("n/a");
      continue;
    }
    const std::optional<int> d = deserved_decimals(gap);
    out.push_back(drop_trailing_zeros(
        fixed(v, d ? std::clamp(*d, 0, kMaxDecimals) : std::max(0, significant_decimals(v, 6)))));
  }
  return out;
}

}  // namespace pk
