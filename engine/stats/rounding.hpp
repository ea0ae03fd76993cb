// Numbers at the precision they deserve (docs/model.md §6, "Numbers as
// printed"): the one rounding rule of every output meant for people — the
// terminal table, the HTML report, parameter labels — and the fixed rounding
// of the JSON bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pk {

// The rule: a number whose uncertainty is `spread` (the half-width of its 95%
// interval, or the gap between neighbouring parameter values) is printed to
// the decimal place of the second significant digit of `spread`:
// 1 - floor(log10(spread)) decimals, negative for tens, hundreds, ... (a
// half-width of 0.56 gives 2 decimals, 5.3 gives 1, 530 gives -1: tens).
// nullopt when `spread` is not a positive finite number.
std::optional<int> deserved_decimals(double spread);

// The decimals of an estimate `v` with the 95% interval [lo, hi]: by the
// rule, with the half-width (hi - lo) / 2, or the distance from `v` to the
// finite end when the other is infinite; 3 significant digits of `v` when the
// interval says nothing (no finite end, or zero width). At most 12.
int estimate_decimals(double v, double lo, double hi);

// An estimate and the ends of its interval, each to estimate_decimals(v, lo,
// hi); an infinite end is "unbounded".
struct RoundedEstimate {
  std::string value, lo, hi;
  std::string with_interval() const { return value + " [" + lo + ", " + hi + "]"; }
};
RoundedEstimate round_estimate(double v, double lo, double hi, bool commas = false);

// `v` rounded to `decimals` places (negative: to tens, hundreds, ...), with
// thousands separators when `commas`; never "-0"; an exact 0 is "0" (a mean
// of replications that were all 0 has no uncertainty in its digits). "n/a"
// when not finite.
std::string fixed(double v, int decimals, bool commas = false);

// `v` with `digits` significant digits, as a double (the JSON result's 12:
// stable, readable bytes; 0.30000000000000004 becomes 0.3).
double round_significant(double v, int digits = 12);

// Labels for the values a parameter takes (a sweep's points): each to the
// decimal of the second significant digit of the smallest gap between two
// distinct values, trailing zeros dropped (they are exact settings, not
// estimates); 6 significant digits for a single value.
std::vector<std::string> parameter_labels(const std::vector<double>& values);

}  // namespace pk
