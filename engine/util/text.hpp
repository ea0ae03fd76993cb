// Control characters in text that came from a file. A name holding ESC
// sequences would clear or rewrite the user's terminal, a NUL would cut a
// table or land raw in HTML: the loader refuses them in names and ids, and
// whatever is printed from a file goes through printable() anyway. The
// Unicode bidirectional controls count too (U+200E, U+200F, U+202A..U+202E,
// U+2066..U+2069): they reorder what a terminal shows, so an arm named
// "mrap\u202Eepacse" reads as another name. So do the line and paragraph
// separators U+2028 and U+2029, which some terminals and viewers break lines at.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace pk {

// The length in bytes of the control character at `i` (C0, DEL, C1 in its
// UTF-8 form U+0080..U+009F, or one of the bidirectional controls and
// separators above in theirs, E2 80 xx or E2 81 xx), or 0 when there is none
// there.
inline size_t control_at(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7F) return 1;
  if (c == 0xC2 && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0x9F) return 2;
  }
  if (c == 0xE2 && i + 2 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    const auto e = static_cast<unsigned char>(s[i + 2]);
    // U+200E, U+200F; U+2028..U+202E (the separators, then LRE RLE PDF LRO RLO)
    if (d == 0x80 && (e == 0x8E || e == 0x8F || (e >= 0xA8 && e <= 0xAE))) return 3;
    if (d == 0x81 && e >= 0xA6 && e <= 0xA9) return 3;  // U+2066..U+2069 (LRI RLI FSI PDI)
  }
  return 0;
}

// The code point of the control character of `len` bytes at `i`.
inline unsigned control_code(std::string_view s, size_t i, size_t len) {
  const auto b = [&](size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(s[i + k]));
  };
  if (len == 3) return (b(0) & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F);
  if (len == 2) return (b(0) & 0x1F) << 6 | (b(1) & 0x3F);
  return b(0);
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
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", control_code(s, i, control_at(s, i)));
  return buf;
}

// `s` with every control character written as \xNN (C0, DEL) or \uNNNN (C1,
// the bidirectional controls and separators); `keep_newlines` leaves LF alone
// for text of several lines.
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
    std::snprintf(buf, sizeof buf, len == 1 ? "\\x%02X" : "\\u%04X", control_code(s, i, len));
    out += buf;
    i += len;
  }
  return out;
}

}  // namespace pk
