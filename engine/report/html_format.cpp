#include "report/html_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pk::html {

namespace {

const char* const kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                "#56B4E9", "#D55E00", "#000000", "#F0E442"};
constexpr size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];
const char* const kDashes[] = {"", "6 3", "2 3", "8 3 2 3"};

}  // namespace

std::string colour(size_t i) {
  return kPalette[i % kPaletteSize];
}
std::string dash(size_t i) {
  return kDashes[(i / kPaletteSize) % 4];
}

std::string esc(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      case '\'':
        o += "&#39;";
        break;
      default:
        // A control character (a NUL or ESC from a tampered summary) is shown, not sent.
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(c));
          o += hex;
        } else {
          o += c;
        }
    }
  }
  return o;
}

std::string num(double v, int digits) {
  if (!std::isfinite(v)) return "n/a";
  if (v == 0) return "0";
  const double a = std::fabs(v);
  const int mag = static_cast<int>(std::floor(std::log10(a)));
  const int decimals = std::max(0, digits - 1 - mag);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::min(decimals, 6), v);
  return buf;
}

std::string prob(double p) {
  if (!std::isfinite(p)) return "n/a";
  if (p <= 0 || p >= 1) return p <= 0 ? "0" : "1";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", p >= 0.1 ? 2 : p >= 0.01 ? 3 : 4, p);
  return buf;
}

std::string px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string with_commas(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(v));
  std::string digits = buf, out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 ? "-" : "") + out;
}

std::string plain(double v, int digits) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return with_commas(v);
  return num(v, digits);
}

std::string usd(double v) {
  if (!std::isfinite(v)) return "unbounded";
  if (std::fabs(v) >= 1e5) return "USD " + num(v / 1e6, 3) + " M";
  return "USD " + with_commas(v);
}

double get(const json& j, const char* k, double fallback) {
  if (!j.is_object() || !j.contains(k) || !j[k].is_number()) return fallback;
  return j[k].get<double>();
}

double at(const json& j, size_t i) {
  if (!j.is_array() || i >= j.size() || !j[i].is_number()) return kNaN;
  return j[i].get<double>();
}

std::string str(const json& j, const char* k, const std::string& fallback) {
  if (!j.is_object() || !j.contains(k)) return fallback;
  if (j[k].is_string()) return j[k].get<std::string>();
  if (j[k].is_null()) return fallback;
  return j[k].dump();
}

std::string interval(double lo, double hi, int digits) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on
  // the chain of temporaries once this is no longer inlined into its callers.
  std::string s = "[";
  s += num(lo, digits);
  s += ", ";
  s += std::isfinite(hi) ? num(hi, digits) : "unbounded";
  s += "]";
  return s;
}

}  // namespace pk::html
