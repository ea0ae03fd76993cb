// Text for the HTML report: escaping, numbers for people, reading numbers
// out of a result's JSON without throwing, and the chart colours.
#pragma once

#include <limits>
#include <string>

#include <nlohmann/json.hpp>

namespace pk::html {

using nlohmann::json;

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Okabe & Ito (2008), ordered so that the first colours read well as lines
// and bars on white; yellow last. The i-th series' colour and dash pattern.
std::string colour(size_t i);
std::string dash(size_t i);

// HTML-escaped text.
std::string esc(const std::string& s);

// A number for people: `digits` significant digits, no exponent for the
// sizes a report meets.
std::string num(double v, int digits = 3);

// A whole number with thousands separators when it is one, else `digits`
// significant digits.
std::string plain(double v, int digits = 4);

// A probability: more decimals as it gets small, never an exponent.
std::string prob(double p);

// SVG coordinates: one decimal is enough.
std::string px(double v);

std::string with_commas(double v);
std::string usd(double v);

// "[lo, hi]"; hi may be +infinity ("unbounded").
std::string interval(double lo, double hi, int digits = 3);

// j[k] as a number, or `fallback` when absent or not a number.
double get(const json& j, const char* k, double fallback = kNaN);
// j[i] as a number, or NaN.
double at(const json& j, size_t i);
// j[k] as text (non-strings dumped), or `fallback` when absent or null.
std::string str(const json& j, const char* k, const std::string& fallback = "");

}  // namespace pk::html
