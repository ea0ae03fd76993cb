// Control characters in text that came from a file. A name holding ESC
// sequences would clear or rewrite the user's terminal, a NUL would cut a
// table or land raw in HTML: the loader refuses them in names and ids, and
// whatever is printed from a file goes through printable() anyway.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace pk {

// The length of the control character at `i` (C0, DEL, or C1 in its UTF-8
// form U+0080..U+009F), or 0 when there is none there.
inline size_t control_at(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) return 1;
  if (c == 0xC2 && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0x9F) return 2;
  }
  return 0;
}

// The position of the first control character in `s`, or npos; LF and tab
// do not count in `text` of several lines.
inline size_t find_control(std::string_view s, bool text = false) {
  for (size_t i = 0; i < s.size(); ++i)
    if (control_at(s, i) && !(text && (s[i] == '\n' || s[i] == '\t'))) return i;
  return std::string_view::npos;
}

// "U+001B" for the control character at `i`, for messages.
inline std::string control_name(std::string_view s, size_t i) {
  const size_t len = control_at(s, i);
  const unsigned code =
      len == 2 ? static_cast<unsigned char>(s[i + 1]) : static_cast<unsigned char>(s[i]);
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", code);
  return buf;
}

// `s` with every control character written as \xNN (C0, DEL) or \u00NN (C1);
// `keep_newlines` leaves LF alone for text of several lines.
inline std::string printable(std::string_view s, bool keep_newlines = false) {
  if (find_control(s) == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    const size_t len = control_at(s, i);
    if (len == 0 || (keep_newlines && s[i] == '\n')) {
      out += s[i++];
      continue;
    }
    char buf[16];
    if (len == 1)
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[i]));
    else
      std::snprintf(buf, sizeof buf, "\\u00%02X", static_cast<unsigned char>(s[i + 1]));
    out += buf;
    i += len;
  }
  return out;
}

}  // namespace pk
