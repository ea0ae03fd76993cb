#include "scenario/paths.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "scenario/spec.hpp"
#include "scenario/suggest.hpp"

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

// Calls `pick` with each element of `seq` that selector `sel` selects
// (docs/model.md §5.2): every element for `*`; else those identified as `sel`;
// else, when `sel` is digits and identifies none, the element at that index.
template <class Seq, class Pick>
void select_elements(Seq& seq, const std::string& sel, Pick pick) {
  if (sel == "*") {
    for (auto& e : seq) pick(e);
    return;
  }
  bool found = false;
  for (auto& e : seq) {
    const Node* name = element_name(e);
    if (name && name->scalar == sel) pick(e), found = true;
  }
  if (!found && is_index(sel)) {
    const size_t k = std::stoul(sel);
    if (k < seq.size()) pick(seq[k]);
  }
}

// "path 'p' selects nothing (why); nearest valid path: q" (docs/model.md §5.4).
std::string nothing_message(const Node& root, const std::string& path, const std::string& why) {
  std::vector<std::string> candidates;
  for (auto& p : all_paths(root))
    if (p.rfind("arms", 0) != 0 && p.rfind("sweep", 0) != 0) candidates.push_back(std::move(p));
  const std::string best = nearest(path, candidates);
  return "path '" + path + "' selects nothing (" + why + ")" +
         (best.empty() ? "" : "; nearest valid path: " + best);
}

// Why paths cannot select the element identified as `id` by that id, or "".
std::string unaddressable_id(const std::string& id, bool arm_name) {
  const std::string named = "override and sweep paths cannot name the id '" + id + "': ";
  if (id == "*") return named + "[*] selects every element; rename it";
  if (id.find(']') != std::string::npos) return named + "a ']' ends a path's selector; rename it";
  if (arm_name && id.find('[') != std::string::npos)
    return "sweep paths into this arm's own overrides (arms[NAME].overrides.PATH) cannot name '" +
           id + "', which holds '['; rename it";
  return {};
}

void warn_ids_in(const Node& n, const ObjectInfo& info, const std::string& path,
                 Diagnostics& diags) {
  if (!n.is_map()) return;
  const ObjectInfo* arms = scenario_spec().field("arms")->object;
  for (const FieldInfo& f : info.fields) {
    const Node* v = n.find(f.key);
    if (!v) continue;
    const std::string p = path.empty() ? f.key : path + "." + f.key;
    if (f.type == FieldType::kObject && f.object) {
      warn_ids_in(*v, *f.object, p, diags);
    } else if (f.type == FieldType::kObjectList && f.object && v->is_seq()) {
      // Elements by index: their ids are what a path cannot name.
      for (size_t i = 0; i < v->seq.size(); ++i)
        warn_ids_in(v->seq[i], *f.object, p + "[" + std::to_string(i) + "]", diags);
    } else if (f.type == FieldType::kId && v->is_scalar()) {
      if (const std::string why = unaddressable_id(v->scalar, &info == arms); !why.empty())
        diags.warning(v->mark, p, why);
    }
  }
}

bool is_plain_number(const Node& n) {
  if (!n.is_scalar() || n.quoted || n.scalar.empty()) return false;
  char* end = nullptr;
  const double v = std::strtod(n.scalar.c_str(), &end);
  return end == n.scalar.c_str() + n.scalar.size() && std::isfinite(v);
}

}  // namespace

bool is_protected(const std::string& first_key) {
  return first_key == "arms" || first_key == "sweep" || first_key == "pkrisk" ||
         first_key == "scenario" || first_key == "vehicle_catalogue";
}

std::string protected_message(const std::string& first_key) {
  std::string msg = "an override cannot change '" + first_key + "'";
  if (first_key == "scenario") {
    msg +=
        ": every arm, sweep point and draw runs the baseline's horizon, seed and "
        "replications, so that they compare on common random numbers (write another "
        "scenario file for another horizon)";
  } else if (first_key == "vehicle_catalogue") {
    msg +=
        ": the catalogue is read once, before any override (override "
        "vehicle_types[ID] fields instead)";
  }
  return msg;
}

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

bool split_arm_override_path(const std::string& path, ArmOverridePath& out) {
  static const std::string kHead = "arms[", kTail = "].overrides.";
  if (path.rfind(kHead, 0) != 0) return false;
  const size_t close = path.find(kTail, kHead.size());
  if (close == std::string::npos || close == kHead.size()) return false;
  out.arm = path.substr(kHead.size(), close - kHead.size());
  out.path = path.substr(close + kTail.size());
  return !out.path.empty() && out.arm.find_first_of("[]") == std::string::npos;
}

bool set_arm_override(Node& overrides, const ArmOverridePath& p, const Node& value, Mark where,
                      const std::string& context, Diagnostics& diags) {
  const std::string whole = "arms[" + p.arm + "].overrides." + p.path;
  MapEntry* entry = nullptr;
  for (MapEntry& e : overrides.map)
    if ((p.path == e.key || p.path.rfind(e.key + ".", 0) == 0) &&
        (!entry || e.key.size() > entry->key.size()))
      entry = &e;
  if (!entry) {
    std::string keys;
    for (const MapEntry& e : overrides.map) keys += (keys.empty() ? "" : ", ") + e.key;
    diags.error(where, context,
                "path '" + whole + "' selects nothing: arm '" + p.arm + "' does not override " +
                    p.path +
                    (keys.empty() ? " (it has no overrides)" : " (its overrides: " + keys + ")"));
    return false;
  }
  Node* target = &entry->value;
  std::string rest = p.path.size() > entry->key.size() ? p.path.substr(entry->key.size() + 1) : "";
  while (!rest.empty()) {
    const size_t dot = rest.find('.');
    const std::string key = rest.substr(0, dot);
    Node* child = target->is_map() ? target->find(key) : nullptr;
    if (!child) {
      diags.error(where, context,
                  "path '" + whole + "' selects nothing: the value arm '" + p.arm + "' gives " +
                      entry->key + " has no key '" + key + "'");
      return false;
    }
    target = child;
    rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
  }
  *target = value;
  return true;
}

bool is_integer_path(const std::string& path) {
  ArmOverridePath arm;
  if (split_arm_override_path(path, arm)) return is_integer_path(arm.path);
  const FieldInfo* f = field_for_path(path);
  return f && f->type == FieldType::kInteger;
}

std::string yaml_number(double v, int max_digits) {
  char buf[64];
  // Whole numbers in full (1000000000, not 1e+09), as a user writes them.
  if (std::floor(v) == v && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  for (int precision = std::min(6, max_digits); precision <= max_digits; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

Node number_node(double v, bool whole, Mark mark, int max_digits) {
  Node n;
  n.kind = Node::Kind::kScalar;
  n.mark = mark;
  if (whole) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    n.scalar = buf;
  } else {
    n.scalar = yaml_number(v, max_digits);
  }
  return n;
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

void warn_unaddressable_ids(const Node& root, Diagnostics& diags) {
  warn_ids_in(root, scenario_spec(), "", diags);
}

std::vector<std::string> all_paths(const Node& root) {
  std::vector<std::string> out;
  collect(root, "", out);
  return out;
}

bool apply_override(Node& root, const std::string& path, const Node& value, Mark where,
                    const std::string& context, Diagnostics& diags, bool arm_costs) {
  std::vector<PathStep> steps;
  std::string error;
  if (!parse_path(path, steps, error)) {
    diags.error(where, context, "bad override path: " + error);
    return false;
  }
  const bool an_arm_cost =
      arm_costs && steps.size() >= 2 && steps[0].key == "arms" && steps[0].selectors.size() == 1 &&
      steps[0].selectors[0] != "*" && steps[1].selectors.empty() &&
      (steps[1].key == "cost" || steps[1].key == "cost_usd" || steps[1].key == "cost_basis");
  if (is_protected(steps.front().key) && !an_arm_cost) {
    diags.error(where, context, protected_message(steps.front().key));
    return false;
  }
  auto nothing = [&](const std::string& why) {
    diags.error(where, context, nothing_message(root, path, why));
    return false;
  };

  std::vector<Target> current{{&root, &scenario_spec()}};
  for (size_t s = 0; s < steps.size(); ++s) {
    const PathStep& step = steps[s];
    const bool last_step = s + 1 == steps.size() && step.selectors.empty();
    std::vector<Target> next;
    for (const Target& t : current) {
      if (!t.node->is_map()) continue;
      const FieldInfo* field = t.info ? t.info->field(step.key) : nullptr;
      Node* child = t.node->find(step.key);
      if (!child && last_step && field && !field->required) {
        // §8.21: create an optional block or field that is absent.
        t.node->map.push_back(MapEntry{step.key, where, Node{}});
        child = &t.node->map.back().value;
      }
      if (!child) continue;  // §8.21: [*] then a key some elements lack selects those that have it
      next.push_back({child, field && field->object ? field->object : nullptr});
    }
    if (next.empty()) return nothing("no key '" + step.key + "' there");
    for (const auto& sel : step.selectors) {
      std::vector<Target> picked;
      for (const Target& t : next) {
        if (!t.node->is_seq()) continue;
        select_elements(t.node->seq, sel, [&](Node& e) { picked.push_back({&e, t.info}); });
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

const Node* resolve_number(const Node& root, const std::string& path, std::string& error) {
  const auto fail = [&](const std::string& why) {
    error = why;
    return nullptr;
  };
  std::vector<PathStep> steps;
  if (!parse_path(path, steps, error)) return nullptr;
  if (is_protected(steps.front().key))
    return fail("a path cannot start with '" + steps.front().key + "'");
  std::vector<const Node*> current{&root};
  for (const PathStep& step : steps) {
    std::vector<const Node*> next;
    for (const Node* n : current)
      if (const Node* child = n->is_map() ? n->find(step.key) : nullptr) next.push_back(child);
    if (next.empty()) return fail(nothing_message(root, path, "no key '" + step.key + "' there"));
    for (const std::string& sel : step.selectors) {
      if (sel == "*")
        return fail("'" + path + "' must select one value; [*] selects every element");
      std::vector<const Node*> picked;
      for (const Node* n : next)
        if (n->is_seq()) select_elements(n->seq, sel, [&](const Node& e) { picked.push_back(&e); });
      if (picked.empty())
        return fail(
            nothing_message(root, path, "no element [" + sel + "] under '" + step.key + "'"));
      next = std::move(picked);
    }
    current = std::move(next);
  }
  if (current.size() != 1)
    return fail("'" + path + "' must select one value; it selects " +
                std::to_string(current.size()));
  if (!is_plain_number(*current.front()))
    return fail("'" + path + "' is not a number written in the scenario");
  return current.front();
}

}  // namespace pk
