#include "scenario/object_reader.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace pk {

std::string fmt_num(double v) {
  std::ostringstream o;
  o.precision(12);
  o << v;
  return o.str();
}

std::string quote(const std::string& s) {
  return "'" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "'";
}

// [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)? — scanned by hand
// (a std::regex recurses per character and can exhaust the stack).
namespace {

bool is_decimal(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  auto digits = [&] {
    const size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
  size_t mantissa = digits();
  if (i < n && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

}  // namespace

bool to_number(const Node& n, double& out, std::string& why) {
  if (n.is_null()) return why = "expected a number, got nothing", false;
  if (!n.is_scalar()) return why = std::string("expected a number, got ") + n.kind_name(), false;
  const std::string& s = n.scalar;
  if (n.quoted)
    return why = "expected a number, got the quoted string " + quote(s) + " (remove the quotes)",
           false;
  if (!is_decimal(s)) {
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos)
      return why = "must be a finite number, got " + quote(s), false;
    if (lower.rfind("0x", 0) == 0 || lower.rfind("0o", 0) == 0 || lower.rfind("-0x", 0) == 0)
      return why = "hexadecimal and octal numbers are not accepted, got " + quote(s) +
                   " (write it in decimal)",
             false;
    return why = "expected a number, got " + quote(s), false;
  }
  if (s.size() > 64) return why = "number " + quote(s) + " has too many digits", false;
  // A leading zero before more digits reads as octal in YAML 1.1: refuse it.
  const size_t d = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (s.size() > d + 1 && s[d] == '0' && std::isdigit(static_cast<unsigned char>(s[d + 1])))
    return why = "leading zero in " + quote(s) +
                 " is ambiguous (octal in YAML 1.1): write it without",
           false;
  errno = 0;
  const double v = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(v)) return why = "number " + quote(s) + " is out of range", false;
  out = v == 0 ? 0.0 : v;  // no negative zero
  return true;
}

bool to_bool(const Node& n, bool& out, std::string& why) {
  if (n.is_scalar() && !n.quoted && (n.scalar == "true" || n.scalar == "false")) {
    out = n.scalar == "true";
    return true;
  }
  if (n.is_scalar())
    return why = "expected true or false, got " + quote(n.scalar) +
                 (n.quoted ? " (remove the quotes)" : " (write true or false)"),
           false;
  return why = std::string("expected true or false, got ") + n.kind_name(), false;
}

std::string element_label(const Node& e, size_t i) {
  if (e.is_map())
    for (const char* k : {"id", "type", "name"})
      if (const Node* n = e.find(k); n && n->is_scalar() && !n->scalar.empty()) return n->scalar;
  return std::to_string(i);
}

// Reads one mapping against its declaration: unknown keys, missing required

}  // namespace pk
