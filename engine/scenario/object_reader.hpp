// Reading a YAML mapping against its declaration in the spec table
// (scenario/spec.hpp): typed values, ranges, defaults, units, unknown keys
// with a suggestion, required keys, and ids that references resolve. Every
// reader of a scenario-shaped file (the scenario, a vehicle catalogue) uses it,
// so an error reads the same wherever it is found.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "scenario/diagnostics.hpp"
#include "scenario/spec.hpp"
#include "scenario/suggest.hpp"
#include "scenario/yaml_tree.hpp"
#include "util/text.hpp"

namespace pk {

// A number as messages print it (12 significant digits).
std::string fmt_num(double v);
// A value as messages quote it (cut at 40 characters).
std::string quote(const std::string& s);
// Strict YAML-1.2-core-like numbers: no octal, hex, NaN, infinity, yes/no.
bool to_number(const Node& n, double& out, std::string& why);
bool to_bool(const Node& n, bool& out, std::string& why);

// Where the errors of one build go, with the arm or point prefix.
struct Ctx {
  Diagnostics& diags;
  std::string prefix;
  // Where each key read was written (path -> mark), so that checks made after
  // reading, on the typed scenario (work_limits), can point at the key.
  std::map<std::string, Mark>* marks = nullptr;
  void error(Mark m, const std::string& path, const std::string& msg) const {
    diags.error(m, prefix + path, msg);
  }
};

// A list element's name in paths: its id, type or name, else its index.
std::string element_label(const Node& e, size_t i);

// Reads one mapping against its declaration: unknown keys, missing required
// keys, types, ranges, defaults and units all come from the ObjectInfo.
class Obj {
 public:
  Obj(const Node* node, const ObjectInfo& info, std::string path, const Ctx& ctx, Mark where)
      : node_(node && !node->is_null() ? node : nullptr),
        info_(info),
        path_(std::move(path)),
        ctx_(ctx) {
    mark_ = node_ ? node_->mark : where;
    if (!node_) return;
    if (!node_->is_map()) {
      ctx_.error(node_->mark, path_,
                 std::string("expected a mapping (") + info_.name + "), got " + node_->kind_name());
      node_ = nullptr;
      return;
    }
    for (const auto& e : node_->map) {
      if (info_.field(e.key)) continue;
      std::vector<std::string> keys;
      for (const auto& f : info_.fields) keys.push_back(f.key);
      const std::string near = closest_match(e.key, keys);
      ctx_.error(
          e.key_mark, child(e.key),
          "unknown key " + quote(e.key) + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    for (const auto& f : info_.fields) {
      const Node* v = node_->find(f.key);
      if (f.required && (!v || v->is_null())) {
        ctx_.error(v ? v->mark : mark_, child(f.key),
                   "missing required key " + quote(f.key) + " (" + f.help + ")");
      }
    }
  }

  bool present() const { return node_ != nullptr; }
  Mark mark() const { return mark_; }
  const std::string& path() const { return path_; }
  std::string child(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  const Node* raw(const std::string& key) const {
    field(key);
    if (!node_) return nullptr;
    const Node* n = node_->find(key);
    if (!n || n->is_null()) return nullptr;
    if (ctx_.marks) (*ctx_.marks)[child(key)] = n->mark;
    return n;
  }
  bool has(const std::string& key) const { return raw(key) != nullptr; }
  Mark mark_of(const std::string& key) const {
    const Node* n = raw(key);
    return n ? n->mark : mark_;
  }

  // A number in engine units (scaled), range-checked as written.
  double num(const std::string& key) const {
    const FieldInfo& f = field(key);
    const double fallback = f.default_number.value_or(0) * f.to_engine;
    const Node* n = raw(key);
    if (!n) return fallback;
    double v = 0;
    std::string why;
    if (!to_number(*n, v, why)) return error(*n, key, why), fallback;
    if (!check_range(f, v, *n, key)) return fallback;
    return v * f.to_engine;
  }

  int64_t integer(const std::string& key) const {
    const FieldInfo& f = field(key);
    const int64_t fallback = static_cast<int64_t>(f.default_number.value_or(0));
    const Node* n = raw(key);
    if (!n) return fallback;
    double v = 0;
    std::string why;
    if (!to_number(*n, v, why)) return error(*n, key, why), fallback;
    if (v != std::floor(v))
      return error(*n, key, "must be a whole number, got " + n->scalar), fallback;
    if (std::fabs(v) > 9007199254740992.0)
      return error(*n, key, "number " + quote(n->scalar) + " is too large"), fallback;
    if (!check_range(f, v, *n, key)) return fallback;
    return static_cast<int64_t>(v);
  }

  bool flag(const std::string& key) const {
    const FieldInfo& f = field(key);
    const Node* n = raw(key);
    if (!n) return f.default_number.value_or(0) != 0;
    bool b = false;
    std::string why;
    if (!to_bool(*n, b, why)) return error(*n, key, why), false;
    return b;
  }

  std::string str(const std::string& key) const {
    const FieldInfo& f = field(key);
    const Node* n = raw(key);
    if (!n) return {};
    if (!n->is_scalar())
      return error(*n, key, std::string("expected text, got ") + n->kind_name()), std::string();
    // Every name, id and text of a scenario is read here: none may carry a
    // control character to a terminal, a table or a report (free text may
    // hold line breaks and tabs).
    if (const size_t at = find_control(n->scalar, f.multiline); at != std::string::npos) {
      // A line break in a quoted one-line value is nearly always a quote left
      // open: YAML lets a quoted scalar run on over the lines that follow,
      // which then go missing from the file.
      const bool open_quote = n->quoted && n->scalar[at] == '\n';
      return error(*n, key,
                   "holds a control character (" + control_name(n->scalar, at) +
                       "): names, ids and text may not hold control characters" +
                       (open_quote ? " (is its closing quote missing? the value runs on over the "
                                     "next lines)"
                                   : "")),
             std::string();
    }
    if (f.type == FieldType::kEnum) {
      for (const auto& c : f.choices)
        if (c == n->scalar) return n->scalar;
      std::string list;
      for (const auto& c : f.choices) list += (list.empty() ? "" : ", ") + c;
      const std::string near = closest_match(n->scalar, f.choices);
      error(*n, key,
            "must be one of " + list + ", got " + quote(n->scalar) +
                (near.empty() ? "" : " (did you mean '" + near + "'?)"));
      return {};
    }
    if ((f.type == FieldType::kId || f.type == FieldType::kRef) && n->scalar.empty())
      error(*n, key, "must not be empty");
    if (f.type == FieldType::kId) {
      // Characters, not bytes: every byte but a UTF-8 continuation byte starts one.
      const auto chars =
          static_cast<size_t>(std::count_if(n->scalar.begin(), n->scalar.end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
          }));
      if (chars > kMaxIdLength)
        error(*n, key,
              "is " + std::to_string(chars) + " characters long, more than the limit of " +
                  std::to_string(kMaxIdLength) +
                  ": paths name an element by its id, and the path of an arm override is a YAML "
                  "key, which may not be longer than 1024 bytes");
    }
    return n->scalar;
  }

  Obj object(const std::string& key) const {
    const FieldInfo& f = field(key);
    return Obj(raw(key), *f.object, child(key), ctx_, mark_);
  }

  // Elements of a list of mappings; the path of each names its id when it has one.
  std::vector<Obj> list(const std::string& key) const {
    const FieldInfo& f = field(key);
    std::vector<Obj> out;
    const Node* n = raw(key);
    if (!n) return out;
    if (!n->is_seq()) {
      error(*n, key, std::string("expected a list, got ") + n->kind_name());
      return out;
    }
    for (size_t i = 0; i < n->seq.size(); ++i) {
      const Node& e = n->seq[i];
      const std::string p = child(key) + "[" + element_label(e, i) + "]";
      if (!e.is_map()) {
        ctx_.error(
            e.mark, p,
            std::string("expected a mapping (") + f.object->name + "), got " + e.kind_name());
        continue;
      }
      if (ctx_.marks) (*ctx_.marks)[p] = e.mark;
      out.emplace_back(&e, *f.object, p, ctx_, e.mark);
    }
    return out;
  }

  void error(const Node& n, const std::string& key, const std::string& msg) const {
    ctx_.error(n.mark, child(key), msg);
  }
  void error_here(const std::string& key, const std::string& msg) const {
    ctx_.error(mark_of(key), child(key), msg);
  }

  const FieldInfo& field(const std::string& key) const {
    const FieldInfo* f = info_.field(key);
    if (!f) throw std::logic_error("undeclared key '" + key + "' read from " + info_.name);
    return *f;
  }

 private:
  bool check_range(const FieldInfo& f, double v, const Node& n, const std::string& key) const {
    const bool low = f.min && (f.min_exclusive ? v <= *f.min : v < *f.min);
    const bool high = f.max && v > *f.max;
    if (low || high) {
      if (key == "pkrisk")
        error(n, key, "unknown format version " + n.scalar + ": this pkrisk reads version 1");
      else
        error(n, key, "must be " + f.range_text() + ", got " + n.scalar);
      return false;
    }
    return true;
  }

  const Node* node_;
  const ObjectInfo& info_;
  std::string path_;
  const Ctx& ctx_;
  Mark mark_;
};

// ids of one kind: unique, and resolved by references.
class IdTable {
 public:
  explicit IdTable(std::string kind) : kind_(std::move(kind)) {}
  void add(const Obj& o, const std::string& key = "id") {
    const std::string id = o.str(key);
    const int index = static_cast<int>(order_.size());
    order_.push_back(id);
    if (id.empty()) return;
    auto [it, fresh] = index_.emplace(id, index);
    if (!fresh)
      o.error_here(key, "duplicate " + kind_ + " id " + quote(id) + " (also element " +
                            std::to_string(it->second + 1) + ")");
  }
  // Index of the referenced element, or -1 (error reported).
  int resolve(const Obj& o, const std::string& key) const {
    const Node* n = o.raw(key);
    if (!n) return -1;
    if (!n->is_scalar()) {
      o.error(*n, key, std::string("expected the id of a ") + kind_ + ", got " + n->kind_name());
      return -1;
    }
    return resolve_node(o, key, *n);
  }
  int resolve_node(const Obj& o, const std::string& key, const Node& n) const {
    auto it = index_.find(n.scalar);
    if (it != index_.end()) return it->second;
    const std::string near = closest_match(n.scalar, order_);
    o.error(n, key,
            "unknown " + kind_ + " " + quote(n.scalar) +
                (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    return -1;
  }
  size_t size() const { return order_.size(); }

 private:
  std::string kind_;
  std::vector<std::string> order_;
  std::map<std::string, int> index_;
};

}  // namespace pk
