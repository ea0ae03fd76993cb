// Reading the plain CSVs pkrisk meets: its own --per-replication rows and the
// UN fatality table it calibrates against. Both are comma-separated without
// quoted fields, so a line splits at every separator.
#pragma once

#include <string>
#include <vector>

namespace pk {

// The fields of one line (an empty line gives one empty field).
inline std::vector<std::string> csv_fields(const std::string& line, char sep = ',') {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

}  // namespace pk
