#include "scenario/suggest.hpp"

#include <algorithm>

namespace pk {

size_t edit_distance(std::string_view a, std::string_view b) {
  // Rows i − 2, i − 1 and i of the table (optimal string alignment).
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);  // two neighbours swapped
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {

struct Nearest {
  std::string word;
  size_t distance = std::string::npos;
};

Nearest find_nearest(std::string_view word, const std::vector<std::string>& candidates) {
  Nearest best;
  for (const auto& c : candidates)
    if (const size_t d = edit_distance(word, c); d < best.distance) best = {c, d};
  return best;
}

}  // namespace

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
  return find_nearest(word, candidates).word;
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  const Nearest best = find_nearest(word, candidates);
  const size_t limit = std::max<size_t>(2, std::max(word.size(), best.word.size()) / 3);
  return best.distance <= limit ? best.word : std::string();
}

std::vector<std::string> nearest_few(std::string_view word,
                                     const std::vector<std::string>& candidates, size_t count) {
  std::vector<std::pair<size_t, size_t>> ranked;  // (distance, position)
  for (size_t i = 0; i < candidates.size(); ++i)
    ranked.emplace_back(edit_distance(word, candidates[i]), i);
  std::stable_sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < ranked.size() && i < count; ++i)
    out.push_back(candidates[ranked[i].second]);
  return out;
}

}  // namespace pk
