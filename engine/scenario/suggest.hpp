// "Did you mean ...?": the one edit-distance suggester behind every hint the
// loader and the path resolver give for a misspelt key, choice or path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pk {

// Edit distance: insertions, deletions, substitutions and swaps of two
// neighbouring characters, each 1 (the optimal string alignment distance), so
// that a typed "MINUMSA" is one edit from "MINUSMA", not two.
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` (the first of equals), or "" when there is none.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// The nearest candidate when it is close enough to be a typo of `word` (at
// most a third of the longer of the two, and at least 2 edits allowed), or "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// Up to `count` candidates, nearest first (ties in the candidates' order),
// however far: to list the closest names when none is close enough to be the
// one meant (e.g. an unknown metric).
std::vector<std::string> nearest_few(std::string_view word,
                                     const std::vector<std::string>& candidates, size_t count = 3);

}  // namespace pk
