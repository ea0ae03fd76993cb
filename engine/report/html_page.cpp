#include "report/html_page.hpp"

#include <cmath>
#include <vector>

#include "pk_version.hpp"
#include "report/report.hpp"
#include "report/svg.hpp"
#include "scenario/threats.hpp"

namespace pk::html {

namespace {

// An arm's cost as the overview of a result states it (results written
// before equivalent annual costs have cost_usd and cost_basis only).
ArmCost arm_cost_of(const json& a) {
  ArmCost c;
  const std::string basis = str(a, "cost_basis", "horizon");
  c.basis = basis == "per_year" ? CostBasis::kPerYear : CostBasis::kHorizon;
  c.written_usd = get(a, "cost_usd", 0);
  const json* parts = a.contains("cost") && a["cost"].is_object() ? &a["cost"] : nullptr;
  if (basis != "equivalent_annual" || !parts) return c;
  c.basis = CostBasis::kEquivalentAnnual;
  const json& p = *parts;
  c.capital_usd = get(p, "capital_usd", 0);
  c.service_life_years = get(p, "service_life_years", 1);
  c.discount_rate = get(p, "discount_rate", 0);
  c.annual_om_usd = get(p, "annual_om_usd", 0);
  c.per_vehicle_km_usd = get(p, "per_vehicle_km_usd", 0);
  c.vehicle_type = str(p, "vehicle_type");
  c.added_vehicle_km_per_year = get(p, "added_vehicle_km_per_year", 0);
  const std::string payer = str(p, "payer");
  c.payer = payer == "un_budget"     ? Payer::kUnBudget
            : payer == "contributor" ? Payer::kContributor
                                     : Payer::kUnstated;
  return c;
}

// " Care chain: ..." for the overview (docs/model.md §3.6), or nothing.
std::string care_words(const json& c) {
  if (!c.is_object()) return "";
  std::string w =
      " Care chain: " + num(100 * get(c, "t1_share"), 3) + "% of the wounded T1, " +
      num(100 * get(c, "responder_share"), 3) + "% reached by a first responder, " +
      (c.value("forward_role1", false) ? "a Role 1 with every movement" : "no forward Role 1");
  if (c.contains("operating_tables") && c["operating_tables"].is_number())
    w += ", a Role 2 of " + plain(c["operating_tables"].get<double>()) + " operating table(s)";
  return w + ".";
}

}  // namespace

std::string overview_html(const json& o) {
  if (!o.is_object()) return "";
  const double years = get(o, "horizon_days", kDaysPerYear) / kDaysPerYear;
  std::string h = "<section class=\"overview\">\n<h2>What the scenario holds</h2>\n";
  if (!str(o, "description").empty()) h += "<p>" + esc(str(o, "description")) + "</p>\n";
  h += "<p>Horizon " + plain(get(o, "horizon_days")) + " days; " +
       with_commas(get(o, "personnel", 0)) + " personnel in " +
       std::to_string(o.value("sites", json::array()).size()) + " sites (" +
       plain(std::round(get(o, "personnel_years") * 10) / 10) + " personnel-years).";
  if (o.contains("uav") && o["uav"].is_object())
    h += " UAV: " + str(o["uav"], "aircraft") + " aircraft" +
         (o["uav"].value("overwatch", false) ? ", convoy overwatch" : "") +
         (o["uav"].value("area", false) ? ", area surveillance" : "") + ".";
  else
    h += " No UAV.";
  if (o.contains("medevac") && o["medevac"].is_object())
    h += " MEDEVAC: " + str(o["medevac"], "helicopters") + " helicopter(s), " +
         (o["medevac"].value("night_flying", false) ? "night flying" : "day only") +
         ", ground evacuation after " + num(get(o["medevac"], "max_wait_hours"), 3) +
         " h of waiting." + care_words(o["medevac"].value("care_chain", json()));
  else
    h += " Deaths of wounds not modelled (no MEDEVAC block).";
  if (o.contains("acceptance"))
    h += " Acceptance limit: " + num(get(o["acceptance"], "max_fatalities_per_1000py"), 3) +
         " fatalities per 1,000 personnel-years at " +
         plain(100 * get(o["acceptance"], "confidence"), 3) + "% confidence" +
         (o["acceptance"].contains("max_exceedance_probability") &&
                  o["acceptance"]["max_exceedance_probability"].is_number()
              ? ", at most " + num(get(o["acceptance"], "max_exceedance_probability"), 3) +
                    " probability that one replication exceeds it."
              : ".");
  h += "</p>\n<div class=\"cols\">\n";
  std::vector<std::vector<std::string>> t;
  for (const auto& s : o.value("sites", json::array()))
    t.push_back({esc(str(s, "id")), esc(str(s, "zone")), with_commas(get(s, "personnel", 0))});
  h += "<div>\n<h3>Sites</h3>\n" + table({"site", "zone", "personnel"}, t, "plain") + "</div>\n";
  t.clear();
  for (const auto& z : o.value("zones", json::array())) {
    std::string th;
    for (const auto& x : z.value("threats", json::array()))
      th += (th.empty() ? "" : ", ") + cause_label(x.get<std::string>());
    t.push_back({esc(str(z, "id")), esc(th.empty() ? "none" : th)});
  }
  h += "<div>\n<h3>Zones and threats</h3>\n" + table({"zone", "threats"}, t, "plain") +
       "</div>\n</div>\n";
  t.clear();
  for (const auto& m : o.value("movements", json::array()))
    t.push_back({esc(str(m, "id")), esc(str(m, "kind")),
                 esc(str(m, "from") + " → " + str(m, "to")) +
                     (m.value("round_trip", false) ? " and back" : ""),
                 plain(get(m, "route_km")), plain(get(m, "departures"), 3), esc(str(m, "vehicles")),
                 with_commas(get(m, "people", 0))});
  if (!t.empty())
    h += "<h3>Movements</h3>\n" +
         table({"movement", "kind", "route", "km", "departures", "vehicles", "people"}, t, "plain");
  t.clear();
  for (const auto& a : o.value("arms", json::array())) {
    std::string ov;
    for (const auto& x : a.value("overrides", json::array()))
      ov += (ov.empty() ? "" : "<br/>") + esc(x.get<std::string>());
    const ArmCost cost = arm_cost_of(a);
    t.push_back({esc(str(a, "name")),
                 cost.per_year_usd(years) > 0 ? esc(cost_words(cost, years)) : "–",
                 ov.empty() ? "(the scenario as written)" : "<code>" + ov + "</code>"});
  }
  if (!t.empty())
    h += "<h3>Arms (mitigation packages)</h3>\n" +
         table({"arm", "cost", "what changes"}, t, "plain");
  return h + "</section>\n";
}

namespace {

// The share of replications whose own rate exceeds the limit, beside the
// mean's bound whether or not it is gated (older results lack it).
std::string exceedance_text(const json& a) {
  if (!a.contains("exceedance_probability")) return "";
  const json& e = a["exceedance_probability"];
  std::string t = "; share of replications above the limit " + plain(get(e, "p"), 4) +
                  " (upper bound " + plain(get(e, "upper_bound"), 4) + ")";
  if (e.contains("max") && e["max"].is_number())
    t += std::string(e.value("passed", false) ? " within" : " above") + " the maximum " +
         plain(get(e, "max"), 4);
  return t;
}

}  // namespace

std::string provenance(const json& s, const std::string& kind) {
  const json& sc = s.value("scenario", json::object());
  std::vector<std::vector<std::string>> t = {
      {"pkrisk version", esc(str(s, "version", "?")) +
                             (s.contains("git") ? " (git " + esc(str(s, "git")) + ")" : "")},
      {"scenario", esc(str(sc, "name")) + " — <code>" + esc(str(sc, "file")) + "</code>"},
      {"scenario sha256", "<code>" + esc(str(sc, "sha256")) + "</code>"},
      {"seed", esc(str(s, "seed"))},
      {kind == "sweep" ? "replications per point and arm" : "replications per arm",
       with_commas(get(s, "replications", 0)) +
           (s.value("complete", true) ? "" : " <strong>(PARTIAL: interrupted)</strong>")},
  };
  if (s.contains("horizon_days")) t.push_back({"horizon", plain(get(s, "horizon_days")) + " days"});
  if (s.contains("boost")) t.push_back({"Boost", esc(str(s, "boost"))});
  if (kind == "sweep") {
    t.push_back({"design", esc(str(s, "design")) + ", " +
                               std::to_string(s.value("points", json::array()).size()) +
                               " points"});
    std::string ps;
    for (const auto& p : s.value("parameters", json::array()))
      ps += (ps.empty() ? "" : ", ") + ("<code>" + esc(p.get<std::string>()) + "</code>");
    t.push_back({"parameters", ps});
  }
  if (s.contains("acceptance")) {
    const json& a = s["acceptance"];
    t.push_back({"acceptance",
                 std::string(!a.value("decided", true)  ? "<span class=\"fail\">NOT DECIDED</span>"
                             : a.value("passed", false) ? "<span class=\"pass\">passed</span>"
                                                        : "<span class=\"fail\">FAILED</span>") +
                     ": upper " + plain(100 * get(a, "confidence"), 3) + "% bound " +
                     num(get(a, "upper_bound"), 3) + " vs limit " + num(get(a, "max"), 3) +
                     " fatalities per 1,000 personnel-years" + exceedance_text(a)});
  }
  return table({"provenance", ""}, t, "plain prov");
}

namespace {

const char* const kCss = R"(
:root { color-scheme: light; }
body { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  color: #222; background: #fff; max-width: 980px; margin: 0 auto; padding: 16px 24px;
  line-height: 1.4; font-size: 14px; }
h1 { font-size: 24px; margin: 8px 0 2px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #0072B2; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p.sub { color: #555; margin: 0 0 12px; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px;
  word-break: break-all; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 12.5px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
thead th { border-bottom: 2px solid #888; text-align: left; background: #f3f6f9; }
table.num td { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody th { text-align: left; font-weight: normal; }
table.prov th { font-weight: bold; }
.cols { display: flex; gap: 32px; flex-wrap: wrap; }
figure.chart { margin: 18px 0 4px; page-break-inside: avoid; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 12.5px; color: #444; margin-top: 4px; }
div.numbers { overflow-x: auto; }
.pass { color: #009E73; font-weight: bold; }
.fail { color: #D55E00; font-weight: bold; }
svg .bg { fill: #fff; }
svg text { font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  fill: #222; }
svg .title { font-size: 16px; font-weight: bold; }
svg .panel-title { font-size: 13px; font-weight: bold; }
svg .label { font-size: 12.5px; }
svg .tick { font-size: 11.5px; }
svg .note { font-size: 11px; fill: #444; }
svg .axis { stroke: #444; stroke-width: 1; }
svg .grid { stroke: #e3e3e3; stroke-width: 1; }
svg .zero { stroke: #444; stroke-width: 1.2; }
svg .ci { stroke: #222; stroke-width: 1.6; }
svg .halo { stroke: #fff; stroke-width: 4; stroke-opacity: 0.8; }
svg .ci-open { fill: #222; }
footer { margin-top: 30px; font-size: 11.5px; color: #666; border-top: 1px solid #ccc;
  padding-top: 6px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  figure.chart { page-break-inside: avoid; break-inside: avoid; }
  figure.chart svg { max-height: 235mm; }
  tr, .overview .cols > div { page-break-inside: avoid; break-inside: avoid; }
  div.numbers { overflow: visible; }
}
)";

}  // namespace

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>" +
         esc(title) + "</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n" + body +
         "<footer>Generated by pkrisk " + esc(kVersion) + " (git " + esc(kGitHash) +
         ") from a result file; self-contained (no scripts, fonts or "
         "network). Confidence intervals are 95%. Colours: Okabe–Ito palette.</footer>\n"
         "</body>\n</html>\n";
}

}  // namespace pk::html
