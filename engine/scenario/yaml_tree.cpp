// The only file that sees yaml-cpp. It uses the event API (YAML::Parser with
// an EventHandler) and builds the project's own tree, refusing anchors,
// aliases, tags, merge keys, duplicate keys and non-string keys as they
// stream by, so nothing is ever expanded and the depth never runs away.
#include "scenario/yaml_tree.hpp"

#include "util/input_file.hpp"

#include <pthread.h>

#include <cstring>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace pk {

const Node* Node::find(std::string_view key) const {
  for (const auto& e : map)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node* Node::find(std::string_view key) {
  for (auto& e : map)
    if (e.key == key) return &e.value;
  return nullptr;
}

const MapEntry* Node::find_entry(std::string_view key) const {
  for (const auto& e : map)
    if (e.key == key) return &e;
  return nullptr;
}

const char* Node::kind_name() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kScalar:
      return quoted ? "a quoted string" : "a scalar";
    case Kind::kMap:
      return "a mapping";
    case Kind::kSeq:
      return "a list";
  }
  return "?";
}

namespace {

Mark to_mark(const YAML::Mark& m) {
  return Mark{m.line + 1, m.column + 1};
}

// Stops the parse at once (a limit was hit); the error is already recorded.
struct Abort {};

// Checks what yaml-cpp does not: valid UTF-8, no NUL, no tab in indentation.
bool check_text(std::string_view text, Diagnostics& diags) {
  int line = 1, col = 1;
  bool at_indent = true;
  size_t i = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte-order mark
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) {
      diags.error({line, col}, "", "the file contains a NUL byte (is it a binary file?)");
      return false;
    }
    size_t len = 1;
    if (c >= 0x80) {
      uint32_t cp = 0;
      if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1F;
      else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F;
      else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07;
      else
        len = 0;
      bool ok = len != 0 && i + len <= text.size();
      for (size_t k = 1; ok && k < len; ++k) {
        const auto cc = static_cast<unsigned char>(text[i + k]);
        ok = (cc & 0xC0) == 0x80;
        cp = (cp << 6) | (cc & 0x3F);
      }
      if (ok) {
        // Overlong forms, surrogates and values past U+10FFFF are invalid.
        static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
        ok = cp >= kMin[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
      }
      if (!ok) {
        diags.error(
            {line, col}, "", "the file is not valid UTF-8 (byte 0x" + [&] {
              char buf[3];
              std::snprintf(buf, sizeof buf, "%02X", c);
              return std::string(buf);
            }() + ")");
        return false;
      }
    }
    if (c == '\n') {
      ++line, col = 1, at_indent = true;
    } else {
      if (c == '\t' && at_indent) {
        // A tab before the first character of a line that has content.
        size_t j = i;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
        if (j < text.size() && text[j] != '\n' && text[j] != '\r' && text[j] != '#') {
          diags.error({line, col}, "",
                      "tab character in indentation: YAML indents with spaces only");
          return false;
        }
      }
      if (c != ' ' && c != '\t') at_indent = false;
      ++col;
    }
    i += len;
  }
  return true;
}

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(Node& root, Diagnostics& diags, const YamlLimits& limits)
      : root_(root), diags_(diags), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    Node n;
    n.kind = Node::Kind::kNull;
    n.mark = to_mark(mark);
    add(std::move(n));
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    fail(to_mark(mark), "aliases (*name) are not allowed in a scenario: write the value out");
  }

  void OnAnchor(const YAML::Mark& mark, const std::string&) override {
    fail(to_mark(mark), "anchors (&name) are not allowed in a scenario: write the value out");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    Node n;
    n.kind = Node::Kind::kScalar;
    n.mark = to_mark(mark);
    n.scalar = value;
    n.quoted = tag == "!";  // yaml-cpp tags plain scalars "?" and all others "!"
    add(std::move(n));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, Node::Kind::kSeq, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, Node::Kind::kMap, style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override { close(); }

  bool got_root() const { return got_root_; }

  // The innermost flow collection ([...] or {...}) still open, if any: where
  // an "end of flow not found" error really starts.
  const Mark* open_flow() const {
    for (auto it = stack_.rbegin(); it != stack_.rend(); ++it)
      if (it->flow) return &it->node.mark;
    return nullptr;
  }

 private:
  struct Frame {
    Node node;
    bool expecting_key = true;  // maps: the next child is a key
    std::string key;
    Mark key_mark;
    bool key_ok = true;
    bool flow = false;
  };

  [[noreturn]] void fail(Mark m, std::string message) {
    diags_.error(m, "", std::move(message));
    throw Abort{};
  }

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor)
      fail(to_mark(mark), "anchors (&name) are not allowed in a scenario: write the value out");
  }

  void check_tag(const YAML::Mark& mark, const std::string& tag) {
    if (!tag.empty() && tag != "?" && tag != "!")
      fail(to_mark(mark), "tags (" + tag + ") are not allowed in a scenario");
  }

  void count(const Mark& m) {
    if (++nodes_ > limits_.max_nodes)
      fail(m, "more than " + std::to_string(limits_.max_nodes) + " nodes: the file is too large");
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, Node::Kind kind,
            bool flow) {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    const Mark m = to_mark(mark);
    count(m);
    if (static_cast<int>(stack_.size()) + 1 > limits_.max_depth)
      fail(m, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    if (!stack_.empty() && stack_.back().node.is_map() && stack_.back().expecting_key) {
      // A mapping or list used as a key: record, keep going to find more.
      diags_.error(m, "",
                   "keys must be plain strings, not " +
                       std::string(kind == Node::Kind::kMap ? "a mapping" : "a list"));
      stack_.back().key_ok = false;
    }
    Frame f;
    f.flow = flow;
    f.node.kind = kind;
    f.node.mark = m;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (!stack_.empty() && stack_.back().node.is_map() && stack_.back().expecting_key) {
      // The mapping/list just closed was a key (already reported).
      stack_.back().expecting_key = false;
      return;
    }
    add(std::move(f.node), /*counted=*/true);
  }

  void add(Node n, bool counted = false) {
    if (!counted) count(n.mark);
    if (stack_.empty()) {
      root_ = std::move(n);
      got_root_ = true;
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_seq()) {
      top.node.seq.push_back(std::move(n));
      return;
    }
    if (top.expecting_key) {
      top.expecting_key = false;
      top.key_mark = n.mark;
      top.key_ok = true;
      if (!n.is_scalar()) {
        diags_.error(n.mark, "", "keys must be plain strings, not null");
        top.key_ok = false;
        return;
      }
      top.key = n.scalar;
      if (top.key == "<<" && !n.quoted) {
        diags_.error(n.mark, "", "merge keys (<<) are not allowed in a scenario");
        top.key_ok = false;
      } else if (top.node.find_entry(top.key)) {
        const Mark first = top.node.find_entry(top.key)->key_mark;
        diags_.error(
            n.mark, "",
            "duplicate key '" + top.key + "' (first at line " + std::to_string(first.line) + ")");
        top.key_ok = false;
      }
      return;
    }
    top.expecting_key = true;
    // yaml-cpp marks an empty value at the next token; the key is where it is.
    if (n.is_null()) n.mark = top.key_mark;
    if (top.key_ok) top.node.map.push_back(MapEntry{top.key, top.key_mark, std::move(n)});
  }

  Node& root_;
  Diagnostics& diags_;
  const YamlLimits& limits_;
  std::vector<Frame> stack_;
  size_t nodes_ = 0;
  bool got_root_ = false;
};

// yaml-cpp reads a key of at most 1024 bytes and reports a longer one as an
// "illegal map value" at its ':', which does not say what is wrong: an
// override path naming a long id is such a key. When the line's text before
// that ':' is longer than the limit, the message says so.
std::string long_key_hint(std::string_view text, const YAML::Exception& e) {
  constexpr size_t kMaxKeyBytes = 1024;
  const auto at = static_cast<size_t>(e.mark.pos);
  if (e.msg != YAML::ErrorMsg::MAP_VALUE || e.mark.pos <= 0 || at > text.size()) return {};
  size_t start = text.rfind('\n', at - 1);
  start = start == std::string_view::npos ? 0 : start + 1;
  while (start < at && (text[start] == ' ' || text.substr(start, 2) == "- ")) ++start;
  if (at - start <= kMaxKeyBytes) return {};
  return " (the key before this ':' is " + std::to_string(at - start) +
         " bytes long; YAML keys may be at most " + std::to_string(kMaxKeyBytes) + ")";
}

struct ParseJob {
  std::string_view text;
  Node* out;
  Diagnostics* diags;
  const YamlLimits* limits;
  bool ok = false;
};

void run_parse(ParseJob& job) {
  Diagnostics& diags = *job.diags;
  std::istringstream in{std::string(job.text)};
  TreeBuilder builder(*job.out, diags, *job.limits);
  try {
    YAML::Parser parser(in);
    if (!parser.HandleNextDocument(builder) || !builder.got_root()) {
      diags.error({1, 1}, "", "the file holds no YAML document (empty or only comments)");
      return;
    }
    if (diags.has_errors()) return;
    // A second document is refused after the first is read; never loop over more.
    Node second;
    Diagnostics ignored(diags.file());
    TreeBuilder probe(second, ignored, *job.limits);
    bool more = false;
    try {
      more = parser.HandleNextDocument(probe);
    } catch (...) {
      more = true;
    }
    if (more) {
      const Mark m = second.mark.line ? second.mark : Mark{};
      diags.error(m, "", "a scenario file holds exactly one YAML document; found more after it");
      return;
    }
  } catch (const Abort&) {
    return;
  } catch (const YAML::Exception& e) {
    const Mark* flow = builder.open_flow();
    if (flow && e.msg.find("flow") != std::string::npos)
      diags.error(*flow, "",
                  "YAML syntax: " + e.msg +
                      " (this [ or { is never closed; inside [ ] or { }, quote a value that "
                      "holds brackets, such as a path: \"zones[a].ied.emplacement_per_km_day\")");
    else
      diags.error(to_mark(e.mark), "", "YAML syntax: " + e.msg + long_key_hint(job.text, e));
    return;
  } catch (const std::exception& e) {
    diags.error({}, "", std::string("YAML syntax: ") + e.what());
    return;
  }
  job.ok = !diags.has_errors();
}

void* parse_thread(void* arg) {
  run_parse(*static_cast<ParseJob*>(arg));
  return nullptr;
}

}  // namespace

bool parse_yaml(std::string_view text, Node& out, Diagnostics& diags, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    diags.error({}, "",
                "file too large: " + std::to_string(text.size()) + " bytes, limit " +
                    std::to_string(limits.max_bytes));
    return false;
  }
  if (!check_text(text, diags)) return false;
  // yaml-cpp's parser recurses per nesting level; the tree builder stops it at
  // max_depth, and a generous stack of its own makes that margin certain on
  // any host whatever the caller's stack size.
  ParseJob job{text, &out, &diags, &limits};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64u << 20);
  pthread_t thread;
  if (pthread_create(&thread, &attr, parse_thread, &job) == 0) {
    pthread_join(thread, nullptr);
  } else {
    run_parse(job);
  }
  pthread_attr_destroy(&attr);
  return job.ok;
}

bool parse_yaml_file(const std::string& path, Node& out, Diagnostics& diags, std::string& text,
                     const YamlLimits& limits) {
  if (const ReadResult r = read_input_file(path, text, limits.max_bytes); !r) {
    diags.error({}, "", r.error);
    return false;
  }
  return parse_yaml(text, out, diags, limits);
}

bool parse_yaml_file(const std::string& path, Node& out, Diagnostics& diags,
                     const YamlLimits& limits) {
  std::string text;
  return parse_yaml_file(path, out, diags, text, limits);
}

}  // namespace pk
