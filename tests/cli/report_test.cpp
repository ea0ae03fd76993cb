// `pkrisk report` and `pkrisk run --report` end to end: the HTML is well formed
// and self-contained, holds every chart with one mark per number of a known
// result, and renders in a headless browser without console errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support.hpp"

namespace {

using nlohmann::json;
using pk::test::read_file;

std::string tmp(const std::string& name) {
  return pk::test::temp_path("report_" + name);
}
int sh(const std::string& cmd, const std::string& err = "/dev/null") {
  return pk::test::shell(cmd, err);
}

const std::string& kBin = pk::test::kBinary;
const std::string& kReference = pk::test::kReferenceScenario;
const std::string kSweep = pk::test::source_path("tests/data/run/sweep.yaml");

// Checks that tags balance, attributes are quoted and '&' starts an entity.
// Returns "" or the first problem found. Void elements must be self-closed.
std::string check_well_formed(const std::string& html) {
  std::vector<std::string> stack;
  size_t i = 0;
  const std::regex entity("^&(amp|lt|gt|quot|#[0-9]+|#x[0-9a-fA-F]+);");
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      std::smatch m;
      const std::string ahead = html.substr(i, 12);
      if (!std::regex_search(ahead, m, entity)) return "bare '&' at " + std::to_string(i);
      ++i;
      continue;
    }
    if (c != '<') {
      if (c == '>') return "stray '>' at " + std::to_string(i);
      ++i;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const size_t e = html.find("-->", i);
      if (e == std::string::npos) return "unterminated comment";
      i = e + 3;
      continue;
    }
    if (html.compare(i, 9, "<!DOCTYPE") == 0) {
      i = html.find('>', i) + 1;
      continue;
    }
    // A tag: scan to its '>' respecting quoted attribute values.
    size_t j = i + 1;
    const bool closing = html[j] == '/';
    if (closing) ++j;
    size_t name_end = j;
    while (name_end < html.size() &&
           (std::isalnum(static_cast<unsigned char>(html[name_end])) || html[name_end] == '-'))
      ++name_end;
    const std::string name = html.substr(j, name_end - j);
    if (name.empty()) return "bad tag at " + std::to_string(i);
    size_t k = name_end;
    char quote = 0;
    for (; k < html.size(); ++k) {
      if (quote) {
        if (html[k] == quote) quote = 0;
        if (html[k] == '<') return "'<' inside an attribute of <" + name + ">";
      } else if (html[k] == '"' || html[k] == '\'') {
        if (html[k - 1] != '=') return "stray quote in <" + name + "> at " + std::to_string(k);
        quote = html[k];
      } else if (html[k] == '>') {
        break;
      } else if (html[k] == '<') {
        return "'<' inside tag <" + name + ">";
      }
    }
    if (k >= html.size()) return "unterminated tag <" + name + ">";
    const bool self_closed = html[k - 1] == '/';
    if (closing) {
      if (stack.empty() || stack.back() != name)
        return "</" + name + "> closes <" + (stack.empty() ? "nothing" : stack.back()) + ">";
      stack.pop_back();
    } else if (!self_closed) {
      static const std::set<std::string> kVoid = {"meta", "br", "hr", "img", "link", "input"};
      if (kVoid.count(name)) return "void element <" + name + "> not self-closed";
      stack.push_back(name);
      if (name == "style" || name == "title") {  // raw text up to its end tag
        const size_t e = html.find("</" + name + ">", k);
        if (e == std::string::npos) return "unterminated <" + name + ">";
        if (name == "style" && html.substr(k, e - k).find('<') != std::string::npos)
          return "'<' inside <style>";
        i = e;
        continue;
      }
    }
    i = k + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return "";
}

// The whole element <svg id="ID" ...>...</svg>.
std::string svg_of(const std::string& html, const std::string& id) {
  const size_t b = html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + id + "\"");
  if (b == std::string::npos) return "";
  const size_t e = html.find("</svg>", b);
  return html.substr(b, e + 6 - b);
}

// The <g ... data-series="NAME"> group inside `svg`, up to its </g>.
std::string group_of(const std::string& svg, const std::string& cls, const std::string& series) {
  const size_t b = svg.find("<g class=\"" + cls + "\" data-series=\"" + series + "\">");
  if (b == std::string::npos) return "";
  return svg.substr(b, svg.find("</g>", b) - b);
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

void expect_self_contained(const std::string& html) {
  // No network reference but the SVG namespace name.
  std::string stripped =
      std::regex_replace(html, std::regex("xmlns=\"http://www\\.w3\\.org/2000/svg\""), "");
  EXPECT_EQ(stripped.find("http://"), std::string::npos);
  EXPECT_EQ(stripped.find("https://"), std::string::npos);
  for (const char* banned :
       {"<script", "<link", "<img", "<iframe", "@import", "@font-face", "url("})
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("page-break-inside: avoid"), std::string::npos);
  // Every fill colour of a mark is from the Okabe–Ito palette (or white/black/grey).
  const std::set<std::string> palette = {
      "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00",
      "#CC79A7", "#000000", "#000",    "#fff",    "#999999"};  // grey: illness, outside hostile
                                                               // action
  const std::regex fill("fill=\"(#[0-9A-Fa-f]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), fill); it != std::sregex_iterator();
       ++it)
    EXPECT_TRUE(palette.count((*it)[1].str())) << (*it)[1].str();
}

// Every chart has a title, axis labels and a table of its numbers after it.
void expect_titled(const std::string& html, const std::string& id) {
  const std::string svg = svg_of(html, id);
  ASSERT_FALSE(svg.empty()) << id;
  EXPECT_NE(svg.find("<title id=\"" + id + "-t\">"), std::string::npos) << id;
  EXPECT_NE(svg.find("class=\"title\""), std::string::npos) << id;
  EXPECT_GE(count(svg, "class=\"label\""), 1u) << id;
  const size_t after = html.find(svg) + svg.size();
  const size_t next_fig = html.find("<figure", after);
  const size_t table = html.find("<table", after);
  if (id != "cost-per-life") {  // its numbers are the lives-saved table's
    EXPECT_NE(table, std::string::npos) << id;
    EXPECT_TRUE(next_fig == std::string::npos || table < next_fig) << id;
  }
}

class RunReport : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(tmp("run"));
    std::filesystem::remove_all(*dir_);
    const std::string html = *dir_ + "/via-run.html";
    ASSERT_EQ(sh(kBin + " run " + kReference + " -n 400 -q --out " + *dir_ + " --report " + html),
              0);
    ASSERT_EQ(sh(kBin + " report " + *dir_ + " -o " + *dir_ + "/via-report.html"), 0);
    summary_ = new json(json::parse(read_file(*dir_ + "/summary.json")));
    html_ = new std::string(read_file(html));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete html_;
  }
  static std::string* dir_;
  static json* summary_;
  static std::string* html_;
};
std::string* RunReport::dir_ = nullptr;
json* RunReport::summary_ = nullptr;
std::string* RunReport::html_ = nullptr;

TEST_F(RunReport, SummaryHasTheFatalitiesHistogramOfEveryArm) {
  for (const auto& arm : (*summary_)["arms"]) {
    ASSERT_TRUE(arm.contains("fatalities_histogram")) << arm["name"];
    int64_t n = 0, prev = -1;
    for (const auto& p : arm["fatalities_histogram"]) {
      EXPECT_GT(p[0].get<int64_t>(), prev);
      prev = p[0].get<int64_t>();
      EXPECT_GT(p[1].get<int64_t>(), 0);
      n += p[1].get<int64_t>();
    }
    EXPECT_EQ(n, 400);
  }
  EXPECT_TRUE(summary_->contains("overview"));
}

TEST_F(RunReport, IsWellFormedAndSelfContained) {
  EXPECT_EQ(check_well_formed(*html_), "");
  expect_self_contained(*html_);
  EXPECT_EQ(*html_, read_file(*dir_ + "/via-report.html")) << "run --report and report DIR differ";
}

TEST_F(RunReport, HeaderHasProvenanceAndTheScenario) {
  const json& s = *summary_;
  for (const std::string& k :
       {s["scenario"]["sha256"].get<std::string>(), s["version"].get<std::string>(),
        s["git"].get<std::string>(), std::string("What the scenario holds")})
    EXPECT_NE(html_->find(k), std::string::npos) << k;
  for (const auto& a : s["overview"]["arms"])
    EXPECT_NE(html_->find(a["name"].get<std::string>()), std::string::npos);
}

TEST_F(RunReport, EveryChartHasOneMarkPerNumber) {
  const json& arms = (*summary_)["arms"];
  const size_t n_arms = arms.size();
  ASSERT_EQ(n_arms, 4u);
  for (const char* id : {"fatalities-per-arm", "fatality-histogram", "exceedance", "lives-saved",
                         "by-cause", "by-place"})
    expect_titled(*html_, id);
  EXPECT_EQ(count(svg_of(*html_, "fatalities-per-arm"), "class=\"bar\""), n_arms);
  EXPECT_EQ(count(svg_of(*html_, "lives-saved"), "class=\"bar\""), n_arms - 1);
  const std::string hist = svg_of(*html_, "fatality-histogram");
  const std::string exceed = svg_of(*html_, "exceedance");
  size_t segments = 0;
  for (const auto& a : arms) {
    const std::string name = a["name"];
    const size_t bins = a["fatalities_histogram"].size();
    EXPECT_EQ(count(group_of(hist, "hist", name), "class=\"bar\""), bins) << name;
    EXPECT_EQ(count(group_of(exceed, "series", name), "class=\"pt\""), bins) << name;
    for (const char* c : {"ied", "mine", "ambush", "idf", "vbied"})
      if (a[std::string("fatalities_by_cause.") + c]["mean"].get<double>() > 0) ++segments;
  }
  EXPECT_EQ(count(svg_of(*html_, "by-cause"), "class=\"seg\""), segments);
  size_t places = 0;
  for (auto it = arms[0].begin(); it != arms[0].end(); ++it)
    places += it.key().starts_with("fatalities_by_movement.") ||
              it.key().starts_with("fatalities_by_site.");
  EXPECT_EQ(count(svg_of(*html_, "by-place"), "class=\"bar\""), places);
  size_t averted = 0;
  for (size_t a = 1; a < n_arms; ++a)
    if (!arms[a]["vs_baseline"]["cost_per_fatality_averted"].is_null()) ++averted;
  if (averted) {
    EXPECT_EQ(count(svg_of(*html_, "cost-per-life"), "class=\"bar\""), averted);
  }
}

TEST(Report, SweepReportHasResponseCurvesAndATornado) {
  const std::string dir = tmp("sweep");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(sh(kBin + " sweep " + kSweep + " --out " + dir + " -n 60 --batch 30 -q"), 0);
  const std::string err = dir + ".err";
  ASSERT_EQ(sh(kBin + " report " + dir, err), 0) << read_file(err);
  const std::string html = read_file(dir + "/report.html");
  EXPECT_EQ(check_well_formed(html), "");
  expect_self_contained(html);
  const json s = json::parse(read_file(dir + "/summary.json"));
  // The scenario was found through the manifest: the header describes it.
  EXPECT_NE(html.find("What the scenario holds"), std::string::npos);
  const json& params = s["parameters"];
  ASSERT_EQ(params.size(), 2u);
  for (size_t j = 0; j < params.size(); ++j) {
    const std::string id = "response-" + std::to_string(j);
    expect_titled(html, id);
    std::set<std::string> values;
    for (const auto& p : s["points"])
      values.insert(p["parameters"][params[j].get<std::string>()].dump());
    const std::string svg = svg_of(html, id);
    EXPECT_EQ(count(group_of(svg, "series", "baseline"), "class=\"pt\""), values.size()) << id;
    EXPECT_EQ(count(svg, "class=\"band\""), 1u) << id;
  }
  std::filesystem::remove(err);
  expect_titled(html, "tornado-fatalities");
  size_t indices = 0;
  for (const char* k : {"src", "prcc"})
    for (const auto& v : s["sensitivity"]["fatalities"][k]) indices += v.is_null() ? 0 : 1;
  EXPECT_EQ(count(svg_of(html, "tornado-fatalities"), "class=\"bar\""), indices);
  std::filesystem::remove_all(dir);
}

// The small world, changed by `edit`, written to a temporary file.
std::string small_variant(const std::string& name,
                          const std::function<std::string(std::string)>& edit) {
  const std::string file = tmp(name + ".yaml");
  std::ofstream(file) << edit(read_file(pk::test::source_path("tests/data/run/small.yaml")));
  return file;
}

TEST(Report, SampledSweepShowsEveryPointWithItsInterval) {
  const std::string file = small_variant("lhs", [](std::string y) {
    return y.insert(y.find("acceptance:"),
                    "sweep:\n  design: latin_hypercube\n  samples: 7\n  parameters:\n"
                    "    - path: movements[supply].speed_kmh\n"
                    "      range: {from: 20, to: 40}\n"
                    "    - path: zones[z].idf.per_site_day\n"
                    "      range: {from: 0.01, to: 0.05}\n");
  });
  const std::string dir = tmp("lhs");
  std::filesystem::remove_all(dir);
  ASSERT_EQ(sh(kBin + " sweep " + file + " --out " + dir + " -n 40 -q"), 0);
  ASSERT_EQ(sh(kBin + " report " + dir + " -o " + dir + "/r.html"), 0);
  const std::string html = read_file(dir + "/r.html");
  EXPECT_EQ(check_well_formed(html), "");
  expect_self_contained(html);
  for (const char* id : {"response-0", "response-1"}) {
    expect_titled(html, id);
    const std::string svg = svg_of(html, id);
    EXPECT_EQ(count(group_of(svg, "series", "baseline"), "class=\"pt\""), 7u) << id;
    EXPECT_EQ(count(svg, "class=\"ci\""), 7u) << id;  // a whisker per point, no band
    EXPECT_EQ(count(svg, "class=\"band\""), 0u) << id;
  }
  expect_titled(html, "tornado-fatalities");
  std::filesystem::remove_all(dir);
  std::filesystem::remove(file);
}

TEST(Report, OneArmWithoutFatalitiesStillGivesEveryChart) {
  const std::string file = small_variant("quiet", [](std::string y) {
    y = y.substr(0, y.find("arms:"));
    for (const char* rate :
         {"emplacement_per_km_day: 0.002", "per_1000km: 1.0", "per_site_day: 0.02"}) {
      const std::string r = rate;
      y.replace(y.find(r), r.size(), r.substr(0, r.find(':')) + ": 0");  // no threat at all
    }
    return y;
  });
  const std::string html_file = tmp("quiet.html");
  ASSERT_EQ(sh(kBin + " run " + file + " -n 30 -q --report " + html_file), 0);
  const std::string html = read_file(html_file);
  EXPECT_EQ(check_well_formed(html), "");
  for (const char* id :
       {"fatalities-per-arm", "fatality-histogram", "exceedance", "by-cause", "by-place"})
    expect_titled(html, id);
  EXPECT_EQ(count(svg_of(html, "fatality-histogram"), "class=\"bar\""), 1u);  // all at 0
  EXPECT_EQ(count(svg_of(html, "by-cause"), "class=\"seg\""), 0u);
  EXPECT_TRUE(svg_of(html, "lives-saved").empty());  // nothing to compare with
  EXPECT_FALSE(std::regex_search(html, std::regex("[^a-zA-Z](nan|inf|-nan|NaN)[^a-zA-Z]")));
  std::filesystem::remove(file);
  std::filesystem::remove(html_file);
}

TEST(Report, RefusesWhatIsNotAResult) {
  const std::string dir = tmp("empty");
  std::filesystem::create_directories(dir);
  EXPECT_EQ(sh(kBin + " report " + dir), 2);
  std::ofstream(dir + "/summary.json") << "{\"hello\": 1}";
  EXPECT_EQ(sh(kBin + " report " + dir), 2);
  std::ofstream(dir + "/summary.json") << "not json";
  EXPECT_EQ(sh(kBin + " report " + dir), 2);
  std::filesystem::remove_all(dir);
}

// Sum of the lengths of a PNG's IDAT chunks (its compressed pixels): a blank
// page compresses to almost nothing, a page of charts does not.
int64_t idat_bytes(const std::string& png) {
  if (png.size() < 8 || png.compare(1, 3, "PNG") != 0) return -1;
  int64_t total = 0;
  for (size_t p = 8; p + 8 <= png.size();) {
    const auto b = [&](size_t k) {
      return static_cast<uint32_t>(static_cast<unsigned char>(png[k]));
    };
    const uint32_t len = b(p) << 24 | b(p + 1) << 16 | b(p + 2) << 8 | b(p + 3);
    if (png.compare(p + 4, 4, "IDAT") == 0) total += len;
    p += 12 + len;
  }
  return total;
}

TEST(Report, RendersInAHeadlessBrowserWithoutErrors) {
  const std::string chromium = "/usr/bin/chromium";
  if (::access(chromium.c_str(), X_OK) != 0)
    GTEST_SKIP() << "no " << chromium << ": browser test of the HTML report skipped "
                 << "(tools/scripts/install-deps.sh installs it)";
  const std::string dir = tmp("browser");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  ASSERT_EQ(sh(kBin + " run " + kReference + " -n 200 -q --report " + dir + "/r.html"), 0);
  std::ofstream(dir + "/blank.html") << "<!DOCTYPE html><html><body></body></html>\n";
  auto render = [&](const std::string& page, const std::string& png) {
    const std::string cmd =
        "timeout 120 " + chromium +
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
        " --disable-background-networking --disable-component-update --disable-sync"
        " --enable-logging=stderr --v=0 --user-data-dir=" +
        dir + "/profile-" + png + " --screenshot=" + dir + "/" + png +
        " --window-size=1200,3000 file://" + dir + "/" + page;
    return sh(cmd, dir + "/" + png + ".log");
  };
  ASSERT_EQ(render("r.html", "r.png"), 0) << read_file(dir + "/r.png.log");
  ASSERT_EQ(render("blank.html", "blank.png"), 0) << read_file(dir + "/blank.png.log");
  const int64_t page = idat_bytes(read_file(dir + "/r.png")),
                blank = idat_bytes(read_file(dir + "/blank.png"));
  EXPECT_GT(blank, 0);
  EXPECT_GT(page, 20000) << "the report rendered to almost nothing";
  EXPECT_GT(page, 5 * blank);  // typically 15-20 times
  const std::string log = read_file(dir + "/r.png.log");
  EXPECT_EQ(log.find("Uncaught"), std::string::npos) << log;
  EXPECT_EQ(log.find("ERROR:CONSOLE"), std::string::npos) << log;
  std::filesystem::remove_all(dir);
}

}  // namespace

namespace {

// ---- What each arm buys, the precision of numbers, labels (issue "Outputs") ----

const std::string kVerdicts = pk::test::source_path("tests/data/run/verdicts.yaml");

// The run of tests/data/run/verdicts.yaml, once: its summary, table and report.
class Verdicts : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(tmp("verdicts"));
    std::filesystem::remove_all(*dir_);
    ASSERT_EQ(sh(kBin + " run " + kVerdicts + " -n 400 -q --out " + *dir_ + " --report " + *dir_ +
                 "/r.html"),
              0);
    summary_ = new json(json::parse(read_file(*dir_ + "/summary.json")));
    html_ = new std::string(read_file(*dir_ + "/r.html"));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete summary_;
    delete html_;
  }
  static const json& arm(const std::string& name) {
    for (const auto& a : (*summary_)["arms"])
      if (a["name"] == name) return a;
    throw std::runtime_error("no arm " + name);
  }
  static std::string* dir_;
  static json* summary_;
  static std::string* html_;
};
std::string* Verdicts::dir_ = nullptr;
json* Verdicts::summary_ = nullptr;
std::string* Verdicts::html_ = nullptr;

TEST_F(Verdicts, EachArmGetsTheVerdictItsIntervalAndCostGive) {
  const std::map<std::string, std::string> want = {{"free_jammer", "dominant"},
                                                   {"paid_jammer", "cost_per_life"},
                                                   {"reckless", "dominated"},
                                                   {"placebo", "no_significant_effect"},
                                                   {"weak_jammer", "cost_per_life"}};
  for (const auto& [name, verdict] : want) {
    const json& vs = arm(name)["vs_baseline"];
    EXPECT_EQ(vs["verdict"], verdict) << name;
    const json& ci = vs["fatalities_diff"]["ci95"];
    // The verdict follows the interval printed beside it, not the estimate's sign.
    if (verdict == "dominated") {
      EXPECT_GT(ci[0].get<double>(), 0) << name;
    } else if (verdict == "no_significant_effect") {
      EXPECT_TRUE(ci[0].get<double>() <= 0 && ci[1].get<double>() >= 0) << name;
    } else {
      EXPECT_LT(ci[1].get<double>(), 0) << name;
    }
    // A cost per life only where it means something: never 0 for a free arm.
    EXPECT_EQ(vs["cost_per_fatality_averted"].is_number(), verdict == "cost_per_life") << name;
  }
}

TEST_F(Verdicts, TheReportPrintsTheWordsAndNeverACheapestFreeArm) {
  EXPECT_NE(html_->find("Dominant (saves lives at no cost): <strong>free_jammer</strong>"),
            std::string::npos);
  EXPECT_NE(html_->find("Dominated (more fatalities than the baseline, at no lower cost): "
                        "<strong>reckless</strong>"),
            std::string::npos);
  EXPECT_NE(html_->find("No significant effect (the interval of the change includes zero): "
                        "<strong>placebo</strong>"),
            std::string::npos);
  EXPECT_NE(html_->find("Lowest cost per life saved: <strong>paid_jammer</strong>"),
            std::string::npos);
  EXPECT_EQ(html_->find("Cheapest"), std::string::npos);
  EXPECT_EQ(html_->find("USD 0 "), std::string::npos);
  EXPECT_EQ(html_->find("none averted"), std::string::npos);
  // The lives-saved chart's notes: the words, or the cost per life.
  const std::string saved = svg_of(*html_, "lives-saved");
  for (const char* words : {">dominant<", ">dominated<", ">no significant effect<"})
    EXPECT_NE(saved.find(words), std::string::npos) << words;
  EXPECT_EQ(check_well_formed(*html_), "");
}

TEST_F(Verdicts, TheCostPerLifeChartKeepsItsScaleWhenOneEffectIsSmall) {
  // The weak jammer costs 200 times more for about half the effect: on a
  // linear axis the paid jammer's bar would be a sliver.
  const double paid = arm("paid_jammer")["vs_baseline"]["cost_per_fatality_averted"];
  const double weak = arm("weak_jammer")["vs_baseline"]["cost_per_fatality_averted"];
  ASSERT_GT(weak / paid, 100);
  const std::string svg = svg_of(*html_, "cost-per-life");
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(count(svg, "class=\"bar\""), 2u);  // the arms with a cost per life only
  EXPECT_NE(svg.find("(log scale)"), std::string::npos);
  EXPECT_NE(html_->find("<strong>Logarithmic axis</strong>: the values drawn span"),
            std::string::npos);
  // Every bar stays readable: at least a tenth of the widest.
  std::vector<double> widths;
  const std::regex rect("<rect x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\"[^>]*class=\"bar\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator();
       ++it)
    widths.push_back(std::stod((*it)[1].str()));
  ASSERT_EQ(widths.size(), 2u);
  EXPECT_GT(std::min(widths[0], widths[1]), 0.1 * std::max(widths[0], widths[1]));
}

TEST_F(Verdicts, TheTableAndCsvPrintTheSameWords) {
  const auto table = pk::test::run_pkrisk("run " + kVerdicts + " -n 400 -q");
  std::map<std::string, std::string> line;
  std::istringstream in(table.out.substr(table.out.find("versus baseline")));
  for (std::string l; std::getline(in, l) && !l.empty();) line[l.substr(0, l.find(' '))] = l;
  EXPECT_TRUE(line["free_jammer"].ends_with("  dominant")) << line["free_jammer"];
  EXPECT_TRUE(line["reckless"].ends_with("  dominated")) << line["reckless"];
  EXPECT_TRUE(line["placebo"].ends_with("  no significant effect")) << line["placebo"];
  EXPECT_NE(line["paid_jammer"].find("]"), std::string::npos) << line["paid_jammer"];
  const auto csv = pk::test::run_pkrisk("run " + kVerdicts + " -n 400 -q --format csv");
  // No number at all for a free arm's cost per life: 13 empty cells, then its verdict.
  EXPECT_NE(csv.out.find("\nfree_jammer,vs_baseline.cost_per_fatality_averted," +
                         std::string(13, ',') + "dominant,,,\n"),
            std::string::npos)
      << csv.out;
  EXPECT_NE(csv.out.find("\nplacebo,vs_baseline.fatalities_diff,0,0,"), std::string::npos);
}

TEST_F(Verdicts, HistogramAndExceedanceTablesAreCollapsed) {
  EXPECT_NE(html_->find("<details>\n<summary>Replication counts by number of fatalities ("),
            std::string::npos);
  EXPECT_NE(html_->find("<details>\n<summary>P(more than n fatalities) by n ("), std::string::npos);
}

TEST_F(Verdicts, ReadsASummaryOfVersionOneAndRefusesALaterVersion) {
  // Version 1: no schema_version, no verdict, every metric also nested.
  json old = *summary_;
  old.erase("schema_version");
  for (auto& a : old["arms"]) {
    if (a.contains("vs_baseline")) a["vs_baseline"].erase("verdict");
    a["ied"]["emplaced"] = a["ied.emplaced"];
  }
  const std::string dir = tmp("v1");
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/summary.json") << old.dump(2);
  ASSERT_EQ(sh(kBin + " report " + dir), 0);
  const std::string html = read_file(dir + "/report.html");
  // The verdicts are classified again from the stored intervals.
  EXPECT_NE(html.find("Dominant (saves lives at no cost): <strong>free_jammer</strong>"),
            std::string::npos);
  json later = *summary_;
  later["schema_version"] = 3;
  std::ofstream(dir + "/summary.json", std::ios::trunc) << later.dump(2);
  const std::string err = dir + "/err";
  EXPECT_EQ(sh(kBin + " report " + dir, err), 2);
  EXPECT_NE(read_file(err).find("its schema_version is 3; this pkrisk reads versions 1 to 2"),
            std::string::npos)
      << read_file(err);
  std::filesystem::remove_all(dir);
}

// The <text> elements of every chart of `html` that would reach beyond its
// viewBox, at the report's own estimate of a character's width.
std::vector<std::string> clipped_labels(const std::string& html) {
  std::vector<std::string> out;
  const std::regex svg_re("<svg [^>]*id=\"([^\"]+)\" viewBox=\"0 0 ([0-9.]+) [0-9.]+\"");
  const std::regex text_re("<text x=\"([-0-9.]+)\" y=\"[-0-9.]+\"([^>]*)>([^<]*)</text>");
  for (auto s = std::sregex_iterator(html.begin(), html.end(), svg_re); s != std::sregex_iterator();
       ++s) {
    const double w = std::stod((*s)[2].str());
    const size_t b = static_cast<size_t>(s->position()), e = html.find("</svg>", b);
    const std::string body = html.substr(b, e - b);
    for (auto t = std::sregex_iterator(body.begin(), body.end(), text_re);
         t != std::sregex_iterator(); ++t) {
      const std::string attrs = (*t)[2].str(), text = (*t)[3].str();
      if (attrs.find("rotate") != std::string::npos) continue;  // the y axis' label
      size_t chars = 0;                                         // code points, an entity as one
      for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (text[i] == '&') i = text.find(';', i);
        ++chars;
      }
      double width = 6.6 * static_cast<double>(chars);
      if (attrs.find("class=\"title\"") != std::string::npos) width *= 1.45;
      if (attrs.find("class=\"panel-title\"") != std::string::npos) width *= 1.2;
      const double x = std::stod((*t)[1].str());
      const double lo = attrs.find("\"middle\"") != std::string::npos ? x - width / 2
                        : attrs.find("\"end\"") != std::string::npos  ? x - width
                                                                      : x;
      if (lo < -1 || lo + width > w + 1)
        out.push_back((*s)[1].str() + ": \"" + text + "\" spans [" + std::to_string(lo) + ", " +
                      std::to_string(lo + width) + "] of " + std::to_string(w));
    }
  }
  return out;
}

TEST(Report, ChartLabelsAreNeverClipped) {
  // Long arm names, large costs and a 6-digit horizon count: every label of
  // every chart must still fit its chart.
  const std::string long_name = "a_mitigation_package_whose_name_goes_on_and_on_for_seventy_chars";
  const std::string file = small_variant("long", [&](std::string y) {
    y.replace(y.find("name: jammer"), 12, "name: " + long_name);
    y.replace(y.find("cost_usd: 100000"), 16, "cost_usd: 123456789012");
    return y;
  });
  const std::string html_file = tmp("long.html");
  ASSERT_EQ(sh(kBin + " run " + file + " -n 200 -q --report " + html_file), 0);
  const std::string html = read_file(html_file);
  ASSERT_NE(html.find(long_name), std::string::npos);
  for (const std::string& c : clipped_labels(html)) ADD_FAILURE() << c;
  std::filesystem::remove(file);
  std::filesystem::remove(html_file);
}

TEST(Report, SweepLabelsHaveThePrecisionOfTheDesign) {
  // Five latin-hypercube values in [0, 1]: about 0.2 apart, two decimals.
  const std::string file = small_variant("lhs5", [](std::string y) {
    return y.insert(y.find("acceptance:"),
                    "sweep:\n  design: latin_hypercube\n  samples: 5\n  parameters:\n"
                    "    - path: zones[z].ambush.p_hit\n"
                    "      range: {from: 0, to: 1}\n");
  });
  const std::string dir = tmp("lhs5");
  std::filesystem::remove_all(dir);
  const auto r = pk::test::run_pkrisk("sweep " + file + " --out " + dir + " -n 20 --batch 20");
  ASSERT_EQ(r.code, 0) << r.err;
  const json s = json::parse(read_file(dir + "/summary.json"));
  const std::regex label("p_hit=([0-9.]+)");
  size_t seen = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), label);
       it != std::sregex_iterator(); ++it, ++seen) {
    const std::string v = (*it)[1].str();
    EXPECT_LE(v.size(), 4u) << v;  // "0.44", never "0.4419397956350094"
    // The label is the stored value, rounded.
    const double stored = s["points"][seen]["parameters"]["zones[z].ambush.p_hit"];
    EXPECT_NEAR(std::stod(v), stored, 0.005) << v;
  }
  EXPECT_EQ(seen, 5u);
  ASSERT_EQ(sh(kBin + " report " + dir + " -o " + dir + "/r.html"), 0);
  const std::string html = read_file(dir + "/r.html");
  EXPECT_EQ(std::regex_search(html, std::regex(">0\\.[0-9]{5,}<")), false);
  for (const std::string& c : clipped_labels(html)) ADD_FAILURE() << c;
  std::filesystem::remove_all(dir);
  std::filesystem::remove(file);
}

}  // namespace
