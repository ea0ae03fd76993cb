// The node tree: marks, quoting, and the limits that keep hostile files out.
#include <gtest/gtest.h>

#include "scenario/paths.hpp"
#include "scenario/yaml_tree.hpp"

namespace pk {
namespace {

bool parse(const std::string& text, Node& n, Diagnostics& d) {
  return parse_yaml(text, n, d);
}

TEST(YamlTree, MarksAreOneBased) {
  Node n;
  Diagnostics d("x");
  ASSERT_TRUE(parse("a: 1\nb:\n  c: 'x'\n", n, d));
  ASSERT_TRUE(n.is_map());
  EXPECT_EQ(n.map[0].key_mark.line, 1);
  EXPECT_EQ(n.map[0].key_mark.col, 1);
  const Node* c = n.find("b")->find("c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->mark.line, 3);
  EXPECT_EQ(c->mark.col, 6);
  EXPECT_TRUE(c->quoted);
  EXPECT_FALSE(n.find("a")->quoted);
}

TEST(YamlTree, AliasBombIsRefusedWithoutExpansion) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c)
    bomb += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" +
            char(c - 1) + "]\n";
  Node n;
  Diagnostics d("bomb");
  EXPECT_FALSE(parse(bomb, n, d));
  EXPECT_NE(d.all()[0].message.find("anchors"), std::string::npos);
}

TEST(YamlTree, DepthLimitStopsDeepNesting) {
  Node n;
  Diagnostics d("deep");
  EXPECT_FALSE(parse(std::string(100000, '[') + std::string(100000, ']'), n, d));
  EXPECT_NE(d.all()[0].message.find("nesting deeper than 64"), std::string::npos);
}

TEST(YamlTree, BlockNestingAtTheLimitIsAccepted) {
  std::string text;
  for (int i = 0; i < 63; ++i) text += std::string(2 * i, ' ') + "k:\n";
  text += std::string(126, ' ') + "v: 1\n";
  Node n;
  Diagnostics d("ok");
  EXPECT_TRUE(parse(text, n, d)) << (d.all().empty() ? "" : d.all()[0].format());
}

TEST(YamlTree, NodeLimit) {
  std::string text = "a: [";
  for (int i = 0; i < 100001; ++i) text += "1,";
  text += "1]\n";
  Node n;
  Diagnostics d("many");
  EXPECT_FALSE(parse(text, n, d));
  EXPECT_NE(d.all()[0].message.find("nodes"), std::string::npos);
}

TEST(YamlTree, DuplicateKeysAreErrorsNotOverwrites) {
  Node n;
  Diagnostics d("dup");
  EXPECT_FALSE(parse("a: 1\nb: 2\na: 3\n", n, d));
  EXPECT_EQ(d.all()[0].mark.line, 3);
  EXPECT_NE(d.all()[0].message.find("first at line 1"), std::string::npos);
}

TEST(YamlTree, SecondDocumentRefused) {
  Node n;
  Diagnostics d("two");
  EXPECT_FALSE(parse("a: 1\n---\nb: 2\n", n, d));
  EXPECT_NE(d.all()[0].message.find("exactly one YAML document"), std::string::npos);
}

TEST(YamlTree, InvalidUtf8AndNul) {
  for (const std::string& bad : {std::string("a: \xC0\xAF\n"), std::string("a: \xED\xA0\x80\n"),
                                 std::string("a: 1\n\0b: 2\n", 11)}) {
    Node n;
    Diagnostics d("bytes");
    EXPECT_FALSE(parse(bad, n, d));
  }
  Node n;
  Diagnostics d("ok");
  EXPECT_TRUE(parse("name: \"Tessalit \xC3\xA9t\xC3\xA9\"\n", n, d));
}

// yaml-cpp's "illegal map value" for a key past its 1024 bytes says why.
TEST(YamlTree, AKeyLongerThanYamlReadsIsNamedAsSuch) {
  Node n;
  Diagnostics d("x");
  const std::string key = "movements[" + std::string(1020, 'c') + "].speed_kmh";
  EXPECT_FALSE(parse("arms:\n  - name: a\n    overrides:\n      " + key + ": 1\n", n, d));
  ASSERT_FALSE(d.all().empty());
  EXPECT_NE(d.all()[0].message.find("illegal map value (the key before this ':' is 1041 bytes "
                                    "long; YAML keys may be at most 1024)"),
            std::string::npos)
      << d.all()[0].message;
  Diagnostics other("x");
  EXPECT_FALSE(parse("a: b: c\n", n, other));  // a short key: no such note
  ASSERT_FALSE(other.all().empty());
  EXPECT_EQ(other.all()[0].message.find("1024"), std::string::npos) << other.all()[0].message;
}

TEST(Paths, ParseKeysAndSelectors) {
  std::vector<PathStep> steps;
  std::string err;
  ASSERT_TRUE(parse_path("movements[gao-kidal].vehicles[soft_skin].count", steps, err));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].key, "movements");
  EXPECT_EQ(steps[0].selectors[0], "gao-kidal");
  EXPECT_EQ(steps[2].key, "count");
  EXPECT_FALSE(parse_path("a..b", steps, err));
  EXPECT_FALSE(parse_path("a[b", steps, err));
  EXPECT_FALSE(parse_path("a[]", steps, err));
  EXPECT_FALSE(parse_path("", steps, err));
}

TEST(Paths, SelectByIdIndexAndStar) {
  Node root;
  Diagnostics d("p");
  ASSERT_TRUE(parse_yaml("zones:\n  - {id: a, mines: {per_km: 1}}\n  - {id: b}\n", root, d));
  Node v;
  ASSERT_TRUE(parse_yaml("7\n", v, d));
  EXPECT_TRUE(apply_override(root, "zones[1].id", v, {}, "t", d));
  EXPECT_EQ(root.find("zones")->seq[1].find("id")->scalar, "7");
  // [*] then a key some elements lack selects those that have it (§8.21)
  EXPECT_TRUE(apply_override(root, "zones[*].mines.per_km", v, {}, "t", d));
  EXPECT_EQ(root.find("zones")->seq[0].find("mines")->find("per_km")->scalar, "7");
  EXPECT_EQ(root.find("zones")->seq[1].find("mines"), nullptr);
  EXPECT_FALSE(d.has_errors());
  EXPECT_FALSE(apply_override(root, "zones[c].mines.per_km", v, {}, "t", d));
  EXPECT_TRUE(d.has_errors());
}

}  // namespace
}  // namespace pk
