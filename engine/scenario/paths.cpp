#include "scenario/paths.hpp"

#include <algorithm>
#include <cctype>

#include "scenario/spec.hpp"

namespace pk {

namespace {

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// The id-like field of a list element: id, then type, then name.
const Node* element_name(const Node& element) {
  if (!element.is_map()) return nullptr;
  for (const char* k : {"id", "type", "name"})
    if (const Node* n = element.find(k); n && n->is_scalar()) return n;
  return nullptr;
}

bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

struct Target {
  Node* node;
  const ObjectInfo* info;  // for a mapping node; null when unknown
};

// Levenshtein distance without a cut-off, for the nearest valid path.
size_t distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

void collect(const Node& n, const std::string& prefix, std::vector<std::string>& out) {
  if (n.is_map()) {
    for (const auto& e : n.map) {
      const std::string p = prefix.empty() ? e.key : prefix + "." + e.key;
      out.push_back(p);
      collect(e.value, p, out);
    }
  } else if (n.is_seq()) {
    for (size_t i = 0; i < n.seq.size(); ++i) {
      const Node* name = element_name(n.seq[i]);
      const std::string p = prefix + "[" + (name ? name->scalar : std::to_string(i)) + "]";
      out.push_back(p);
      collect(n.seq[i], p, out);
    }
  }
}

}  // namespace

bool parse_path(const std::string& text, std::vector<PathStep>& steps, std::string& error) {
  steps.clear();
  size_t i = 0;
  if (text.empty()) return error = "empty path", false;
  while (i < text.size()) {
    PathStep step;
    const size_t start = i;
    while (i < text.size() && is_key_char(text[i])) ++i;
    if (i == start)
      return error = "expected a key at character " + std::to_string(i + 1) + " of '" + text + "'",
             false;
    step.key = text.substr(start, i - start);
    while (i < text.size() && text[i] == '[') {
      const size_t close = text.find(']', i);
      if (close == std::string::npos) return error = "unclosed '[' in '" + text + "'", false;
      std::string sel = text.substr(i + 1, close - i - 1);
      if (sel.empty()) return error = "empty [] in '" + text + "'", false;
      step.selectors.push_back(sel);
      i = close + 1;
    }
    steps.push_back(std::move(step));
    if (i < text.size()) {
      if (text[i] != '.')
        return error = "unexpected '" + std::string(1, text[i]) + "' in '" + text + "'", false;
      ++i;
      if (i == text.size()) return error = "path ends with '.'", false;
    }
  }
  return true;
}

const FieldInfo* field_for_path(const std::string& path) {
  std::vector<PathStep> steps;
  std::string error;
  if (!parse_path(path, steps, error)) return nullptr;
  const ObjectInfo* obj = &scenario_spec();
  const FieldInfo* field = nullptr;
  for (const PathStep& step : steps) {
    if (!obj) return nullptr;
    field = obj->field(step.key);
    if (!field) return nullptr;
    obj = field->object;
  }
  return field;
}

std::vector<std::string> all_paths(const Node& root) {
  std::vector<std::string> out;
  collect(root, "", out);
  return out;
}

bool apply_override(Node& root, const std::string& path, const Node& value, Mark where,
                    const std::string& context, Diagnostics& diags) {
  std::vector<PathStep> steps;
  std::string error;
  if (!parse_path(path, steps, error)) {
    diags.error(where, context, "bad override path: " + error);
    return false;
  }
  if (steps.front().key == "arms" || steps.front().key == "sweep" ||
      steps.front().key == "pkrisk") {
    diags.error(where, context, "an override cannot change '" + steps.front().key + "'");
    return false;
  }
  auto nothing = [&](const std::string& why) {
    std::string best;
    size_t best_d = std::string::npos;
    for (const auto& p : all_paths(root)) {
      if (p.rfind("arms", 0) == 0 || p.rfind("sweep", 0) == 0) continue;
      const size_t d = distance(path, p);
      if (d < best_d) best_d = d, best = p;
    }
    diags.error(where, context,
                "path '" + path + "' selects nothing (" + why + ")" +
                    (best.empty() ? "" : "; nearest valid path: " + best));
    return false;
  };

  std::vector<Target> current{{&root, &scenario_spec()}};
  for (size_t s = 0; s < steps.size(); ++s) {
    const PathStep& step = steps[s];
    const bool last_step = s + 1 == steps.size() && step.selectors.empty();
    std::vector<Target> next;
    bool any_missing_creatable = false;
    for (const Target& t : current) {
      if (!t.node->is_map()) continue;
      const FieldInfo* field = t.info ? t.info->field(step.key) : nullptr;
      Node* child = t.node->find(step.key);
      if (!child && last_step && field && !field->required) {
        // §8.21: create an optional block or field that is absent.
        t.node->map.push_back(MapEntry{step.key, where, Node{}});
        child = &t.node->map.back().value;
        any_missing_creatable = true;
      }
      if (!child) continue;  // §8.21: [*] then a key some elements lack selects those that have it
      next.push_back({child, field && field->object ? field->object : nullptr});
    }
    (void)any_missing_creatable;
    if (next.empty()) return nothing("no key '" + step.key + "' there");
    for (const auto& sel : step.selectors) {
      std::vector<Target> picked;
      for (const Target& t : next) {
        if (!t.node->is_seq()) continue;
        auto& seq = t.node->seq;
        if (sel == "*") {
          for (auto& e : seq) picked.push_back({&e, t.info});
        } else {
          bool found = false;
          for (auto& e : seq) {
            const Node* name = element_name(e);
            if (name && name->scalar == sel) picked.push_back({&e, t.info}), found = true;
          }
          if (!found && is_index(sel)) {
            const size_t k = std::stoul(sel);
            if (k < seq.size()) picked.push_back({&seq[k], t.info});
          }
        }
      }
      if (picked.empty()) return nothing("no element [" + sel + "] under '" + step.key + "'");
      next = std::move(picked);
    }
    current = std::move(next);
  }
  for (const Target& t : current) {
    const Mark keep = t.node->mark;
    *t.node = value;
    if (t.node->mark.line == 0) t.node->mark = keep;
  }
  return true;
}

}  // namespace pk
