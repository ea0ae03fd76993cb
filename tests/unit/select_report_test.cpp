// The HTML page of a `pkrisk select` result (report/select_report.hpp): built
// from a small hand-written result, it names the selected package, draws one
// point per package and the interaction of each pair, escapes what the
// scenario's author wrote, and is well formed enough to open.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "report/select_report.hpp"

namespace pk {
namespace {

using nlohmann::json;

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Four packages of two options (one named to break a page), the pair the
// selected one; the baseline and the hostile single eliminated early.
json small_result() {
  return json::parse(R"({
  "select": {
    "best": ["bunkers", "<script>x</script>"],
    "budget_usd": 2000000.0,
    "complete": true,
    "confidence": 0.95,
    "eta": 0.237238,
    "first_stage": 20,
    "h2": 9.01506,
    "indifference_zone": 0.5,
    "objective": "fatalities",
    "units": "fatalities per mission-year",
    "procedure": "KN (Kim & Nelson 2001), common random numbers",
    "rounds": 3,
    "seed": 3,
    "selected": "bunkers + <script>x</script>",
    "replications_by_stage": {"first_stage": 80, "reestimate": 800, "sequential": 25},
    "replications_total": 905,
    "within_delta": [["bunkers"]],
    "frontier": [
      {"package": "baseline", "portfolio": [], "cost_usd": 0.0, "objective": 14.665,
       "ci": [14.0256, 15.3162], "replications": 200},
      {"package": "bunkers", "portfolio": ["bunkers"], "cost_usd": 1000000.0,
       "objective": 10.065, "ci": [9.56545, 10.5722], "replications": 200},
      {"package": "bunkers + <script>x</script>", "portfolio": ["bunkers", "<script>x</script>"],
       "cost_usd": 2000000.0, "objective": 9.8, "ci": [9.4, 10.2], "replications": 200}
    ],
    "p95_frontier": [
      {"package": "baseline", "portfolio": [], "cost_usd": 0.0,
       "fatalities_p95_per_year": 23.0, "replications": 200},
      {"package": "bunkers + <script>x</script>", "portfolio": ["bunkers", "<script>x</script>"],
       "cost_usd": 2000000.0, "fatalities_p95_per_year": 16.0, "replications": 200}
    ],
    "interactions": [
      {"options": ["bunkers", "<script>x</script>"], "together": 4.865, "sum_alone": 5.265,
       "interaction": -0.4, "ci": [-0.6, -0.2], "ci_method": "hall", "replications": 200}
    ],
    "left_out": [
      {"package": "cover & more", "reason": "a rule allows one of bunkers, cover"}
    ],
    "packages": [
      {"package": "baseline", "options": [], "cost_per_year_usd": 0.0, "replications": 20,
       "objective": 15.2, "ci": [13.148, 17.6173], "ci_method": "hall",
       "fatalities_per_year": 15.2, "fatalities_p95_per_year": 23.0, "status": "eliminated",
       "frontier": true, "p95_frontier": true, "within_delta": false},
      {"package": "bunkers", "options": ["bunkers"], "cost_per_year_usd": 1000000.0,
       "replications": 45, "objective": 10.2, "ci": [9.4, 11.0], "ci_method": "hall",
       "fatalities_per_year": 10.2, "fatalities_p95_per_year": 17.0, "status": "eliminated",
       "frontier": true, "p95_frontier": false, "within_delta": true,
       "fresh": {"objective": 10.065, "ci": [9.56545, 10.5722], "ci_method": "hall",
                 "fatalities_per_year": 10.065, "fatalities_p95_per_year": 17.0,
                 "replications": 200}},
      {"package": "<script>x</script>", "options": ["<script>x</script>"],
       "cost_per_year_usd": 1000000.0, "replications": 20, "objective": 11.75,
       "ci": [10.0899, 13.7146], "ci_method": "hall", "fatalities_per_year": 11.75,
       "fatalities_p95_per_year": 18.0, "status": "eliminated", "frontier": false,
       "p95_frontier": false, "within_delta": false},
      {"package": "bunkers + <script>x</script>", "options": ["bunkers", "<script>x</script>"],
       "cost_per_year_usd": 2000000.0, "replications": 45, "objective": 9.7,
       "ci": [9.0, 10.4], "ci_method": "hall", "fatalities_per_year": 9.7,
       "fatalities_p95_per_year": 16.0, "status": "selected", "frontier": true,
       "p95_frontier": true, "within_delta": false,
       "fresh": {"objective": 9.8, "ci": [9.4, 10.2], "ci_method": "hall",
                 "fatalities_per_year": 9.8, "fatalities_p95_per_year": 16.0,
                 "replications": 200}}
    ],
    "reestimate": {
      "seed": "16592267733701208251",
      "replications": 200,
      "packages": [
        {"package": "bunkers + <script>x</script>", "options": ["bunkers", "<script>x</script>"],
         "cost_per_year_usd": 2000000.0, "objective": 9.8, "ci": [9.4, 10.2],
         "ci_method": "hall", "fatalities_per_year": 9.8, "fatalities_p95_per_year": 16.0,
         "replications": 200},
        {"package": "bunkers", "options": ["bunkers"], "cost_per_year_usd": 1000000.0,
         "objective": 10.065, "ci": [9.56545, 10.5722], "ci_method": "hall",
         "fatalities_per_year": 10.065, "fatalities_p95_per_year": 17.0, "replications": 200,
         "selected_better_by": {"mean": 0.27, "ci": [-0.04, 0.58], "ci_method": "hall"}}
      ]
    }
  }
})");
}

// Whether the page is whole: one html element, as many SVG closes as opens.
void expect_well_formed(const std::string& page) {
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count_of(page, "<html"), 1u);
  EXPECT_EQ(count_of(page, "</html>"), 1u);
  EXPECT_NE(page.find("</html>\n"), std::string::npos);
  EXPECT_EQ(page.size() - page.rfind("</html>\n"), std::string("</html>\n").size());
  EXPECT_EQ(count_of(page, "<svg"), count_of(page, "</svg>"));
  EXPECT_EQ(count_of(page, "<g"), count_of(page, "</g>"));
  EXPECT_EQ(count_of(page, "<details>"), count_of(page, "</details>"));
  EXPECT_EQ(count_of(page, "<table"), count_of(page, "</table>"));
  EXPECT_EQ(count_of(page, "http"), count_of(page, "http://www.w3.org/2000/svg"))
      << "the page loads nothing from the network";
  EXPECT_EQ(page.find("<script"), std::string::npos);
}

TEST(SelectReport, ShowsTheSelectedPackageWithItsGuarantee) {
  const std::string page = select_html(small_result(), "Two camps");
  EXPECT_NE(page.find("bunkers + &lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("<strong>bunkers + &lt;script&gt;x&lt;/script&gt;</strong>"),
            std::string::npos);
  EXPECT_NE(page.find("With probability at least 0.95 this is the best package, or within 0.5 "
                      "fatalities per mission-year of it."),
            std::string::npos);
  // The fresh estimate and the advantage over the one within the zone.
  EXPECT_NE(page.find("9.80 [9.40, 10.20] fatalities per mission-year"), std::string::npos);
  EXPECT_NE(page.find("0.27 [-0.04, 0.58]"), std::string::npos);
  EXPECT_NE(page.find("USD 2.00 M"), std::string::npos);
  EXPECT_NE(page.find("80 in the first stage"), std::string::npos);
}

TEST(SelectReport, DrawsOnePointPerPackageAndTheFrontiers) {
  const json r = small_result();
  const std::string page = select_html(r, "Two camps");
  const size_t k = r["select"]["packages"].size();
  // One dot per package in each of the two frontier charts.
  EXPECT_EQ(count_of(page, "class=\"pkg-pt\""), 2 * k);
  const size_t frontier = page.find("id=\"frontier\"");
  const size_t p95 = page.find("id=\"p95-frontier\"");
  ASSERT_NE(frontier, std::string::npos);
  ASSERT_NE(p95, std::string::npos);
  EXPECT_EQ(count_of(page.substr(frontier, p95 - frontier), "class=\"pkg-pt\""), k);
  // The frontier's fresh points: three on the first, two on the second.
  EXPECT_EQ(count_of(page, "class=\"front-pt\""), 3u + 2u);
  // The hostile single is dominated: grey.
  const size_t dot = page.find("data-package=\"&lt;script&gt;x&lt;/script&gt;\"");
  ASSERT_NE(dot, std::string::npos);
  EXPECT_NE(page.substr(dot, page.find("</circle>", dot) - dot).find("#BBBBBB"), std::string::npos);
  // Every package has a bar in the timeline, the selected one marked.
  EXPECT_EQ(count_of(page, "class=\"elim-row\""), k);
  EXPECT_EQ(count_of(page, "class=\"elim-row\" data-status=\"selected\""), 1u);
}

TEST(SelectReport, WritesEachInteractionInItsCell) {
  const std::string page = select_html(small_result(), "Two camps");
  const size_t cell = page.find("data-pair=\"bunkers + &lt;script&gt;x&lt;/script&gt;\"");
  ASSERT_NE(cell, std::string::npos);
  const std::string g = page.substr(cell, page.find("</g>", cell) - cell);
  EXPECT_NE(g.find(">-0.40</text>"), std::string::npos) << g;
  EXPECT_NE(g.find("-0.40 [-0.60, -0.20]"), std::string::npos) << g;  // the tooltip
  EXPECT_NE(g.find("font-weight=\"bold\""), std::string::npos) << g;  // excludes 0
  EXPECT_NE(page.find("the same deaths"), std::string::npos);         // the legend
}

TEST(SelectReport, EscapesWhatTheScenarioSays) {
  const std::string page = select_html(small_result(), "Camps <b>&</b>");
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_EQ(page.find("</script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(page.find("<b>&</b>"), std::string::npos);
  EXPECT_NE(page.find("Camps &lt;b&gt;&amp;&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(page.find("cover &amp; more"), std::string::npos);  // left out, in <details>
  expect_well_formed(page);
}

TEST(SelectReport, IsWellFormed) {
  const std::string page = select_html(small_result(), "Two camps");
  expect_well_formed(page);
  EXPECT_EQ(count_of(page, "<svg"), 4u);  // frontier, P95 frontier, timeline, heat map
}

TEST(SelectReport, AnInterruptedRunOrAnEmptyResultStillGivesAPage) {
  json r = small_result();
  json& s = r["select"];
  for (const char* k : {"selected", "best", "within_delta", "reestimate"}) s.erase(k);
  s["complete"] = false;
  s["frontier"] = json::array();
  s["p95_frontier"] = json::array();
  s["interactions"] = json::array();
  for (auto& p : s["packages"]) {
    p["status"] = "contending";
    p.erase("fresh");
  }
  const std::string page = select_html(r, "Two camps");
  EXPECT_NE(page.find("Nothing selected"), std::string::npos);
  EXPECT_EQ(count_of(page, "class=\"pkg-pt\""), 2 * s["packages"].size());
  expect_well_formed(page);
  expect_well_formed(select_html(json::object(), "empty"));
  expect_well_formed(select_html(json::parse(R"({"select": {"packages": [1, "x", {}]}})"), "odd"));
}

}  // namespace
}  // namespace pk
