// The project's own YAML node tree, with a (line, column) mark on every node
// and key. Built from yaml-cpp's event API only (never YAML::Load), under the
// limits below, so that no input can expand, loop, or exhaust the stack.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostics.hpp"

namespace pk {

struct MapEntry;

struct Node {
  enum class Kind { kNull, kScalar, kMap, kSeq };
  Kind kind = Kind::kNull;
  Mark mark;
  std::string scalar;         // kScalar: the text as written (after YAML unescaping)
  bool quoted = false;        // kScalar: written '...', "..." or as a block scalar
  std::vector<MapEntry> map;  // kMap, in file order
  std::vector<Node> seq;      // kSeq

  bool is_map() const { return kind == Kind::kMap; }
  bool is_seq() const { return kind == Kind::kSeq; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_null() const { return kind == Kind::kNull; }
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  const MapEntry* find_entry(std::string_view key) const;
  // "a mapping", "a list", "a string", "null" — for messages
  const char* kind_name() const;
};

struct MapEntry {
  std::string key;
  Mark key_mark;
  Node value;
};

// Limits on what a scenario file may be (foundation issue, docs/model.md loader).
struct YamlLimits {
  size_t max_bytes = 8u << 20;  // a regular file of at most 8 MiB
  int max_depth = 64;           // nesting of mappings and lists
  size_t max_nodes = 100000;
};

// Parses `text` (the content of `diags.file()`) into `out`. On failure, the
// errors are in `diags` and the function returns false.
bool parse_yaml(std::string_view text, Node& out, Diagnostics& diags,
                const YamlLimits& limits = {});

// Reads a file (util/input_file.hpp: regular, size-limited, never blocking)
// and parses it. Errors with no place in the file (missing, a directory, too
// large) still name the file.
bool parse_yaml_file(const std::string& path, Node& out, Diagnostics& diags,
                     const YamlLimits& limits = {});
// Same, keeping the bytes read in `text` (read once: the file may change).
bool parse_yaml_file(const std::string& path, Node& out, Diagnostics& diags, std::string& text,
                     const YamlLimits& limits = {});

}  // namespace pk
