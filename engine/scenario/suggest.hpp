// "Did you mean ...?": the one edit-distance suggester behind every hint the
// loader and the path resolver give for a misspelt key, choice or path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pk {

// Levenshtein distance: insertions, deletions and substitutions, each 1.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` (the first of equals), or "" when there is none.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// The nearest candidate when it is close enough to be a typo of `word` (at
// most a third of the longer of the two, and at least 2 edits allowed), or "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace pk
