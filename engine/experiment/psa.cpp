#include "experiment/psa.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "scenario/object_reader.hpp"
#include "scenario/suggest.hpp"
#include "stats/rounding.hpp"
#include "util/csv.hpp"
#include "util/text.hpp"

namespace pk {

namespace {

using nlohmann::json;

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

// A finite number written in full ("1e3", "-0.5"), or false.
bool parse_number(const std::string& text, double& v) {
  const std::string t = trim(text);
  if (t.empty()) return false;
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end && *end == '\0' && std::isfinite(v);
}

// A table of numbers with a header row: names and rows × columns.
bool read_table(const std::string& csv, const std::string& name, std::vector<std::string>& header,
                std::vector<std::vector<double>>& rows, std::string& error) {
  std::vector<CsvRecord> records;
  if (!read_csv(csv, records, error, CsvOptions{',', true}))
    return error = name + ": " + error, false;
  if (records.empty()) return error = name + ": empty (expected a header row and draws)", false;
  header.clear();
  for (const std::string& f : records.front().fields) {
    const std::string h = trim(f);
    if (h.empty())
      return error = name + ":" + std::to_string(records.front().line) + ": a column has no name",
             false;
    if (std::find(header.begin(), header.end(), h) != header.end())
      return error = name + ":" + std::to_string(records.front().line) + ": column " +
                     quote(printable(h)) + " appears twice",
             false;
    header.push_back(h);
  }
  rows.clear();
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = name + ":" + std::to_string(rec.line);
    if (rec.fields.size() != header.size())
      return error = where + ": " + std::to_string(rec.fields.size()) + " fields, the header has " +
                     std::to_string(header.size()),
             false;
    std::vector<double> row(header.size());
    for (size_t c = 0; c < header.size(); ++c)
      if (!parse_number(rec.fields[c], row[c]))
        return error = where + ": column " + header[c] + ": " + quote(printable(rec.fields[c])) +
                       " is not a finite number",
               false;
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return error = name + ": a header row but no draws", false;
  return true;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

std::string unknown_input(const std::string& name, const NamedPsa& psa) {
  std::string close;
  for (const std::string& c : nearest_few(name, psa.inputs))
    close += (close.empty() ? "" : ", ") + c;
  return "unknown input " + quote(printable(name)) + " (inputs: " + close +
         (psa.inputs.size() > 3 ? ", ..." : "") + ")";
}

std::string draws(size_t n) {
  return std::to_string(n) + (n == 1 ? " draw" : " draws");
}

double rounded(double v) {
  return round_significant(v, 6);
}

}  // namespace

bool read_psa_csv(const std::string& inputs_csv, const std::string& inputs_name,
                  const std::string& outputs_csv, const std::string& outputs_name, NamedPsa& psa,
                  std::string& error) {
  psa = NamedPsa{};
  if (!read_table(inputs_csv, inputs_name, psa.inputs, psa.sample.inputs, error)) return false;
  if (!read_table(outputs_csv, outputs_name, psa.decisions, psa.sample.net_benefit, error))
    return false;
  if (psa.sample.inputs.size() != psa.sample.net_benefit.size())
    return error = inputs_name + " has " + draws(psa.sample.inputs.size()) + " and " +
                   outputs_name + " has " + draws(psa.sample.net_benefit.size()) +
                   ": each row of both is one draw, in the same order",
           false;
  if (psa.decisions.size() < 2)
    return error = outputs_name + ": one column; a decision needs at least two options", false;
  return true;
}

bool read_groups_csv(const std::string& csv, const std::string& name, const NamedPsa& psa,
                     std::vector<InputGroup>& groups, std::string& error) {
  std::vector<CsvRecord> records;
  if (!read_csv(csv, records, error, CsvOptions{',', true}))
    return error = name + ": " + error, false;
  if (records.empty() || records.front().fields.size() != 2 ||
      trim(records.front().fields[0]) != "group" || trim(records.front().fields[1]) != "input")
    return error = name + ": expected the header row `group,input`", false;
  groups.clear();
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    const std::string where = name + ":" + std::to_string(rec.line) + ": ";
    if (rec.fields.size() != 2)
      return error = where + "expected two fields, group and input", false;
    const std::string g = trim(rec.fields[0]), in = trim(rec.fields[1]);
    const int j = index_of(psa.inputs, in);
    if (j < 0) return error = where + unknown_input(in, psa), false;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const InputGroup& x) { return x.name == g; });
    if (it == groups.end()) it = groups.insert(groups.end(), InputGroup{g, {}});
    if (std::find(it->inputs.begin(), it->inputs.end(), j) == it->inputs.end())
      it->inputs.push_back(j);
  }
  if (groups.empty()) return error = name + ": no groups", false;
  return true;
}

bool parse_input_list(const std::string& list, const NamedPsa& psa, std::vector<int>& out,
                      std::string& error) {
  out.clear();
  for (const std::string& f : csv_fields(list)) {
    const std::string name = trim(f);
    const int j = index_of(psa.inputs, name);
    if (j < 0) return error = unknown_input(name, psa), false;
    if (std::find(out.begin(), out.end(), j) == out.end()) out.push_back(j);
  }
  if (out.empty()) return error = "no inputs named", false;
  return true;
}

json voi_json(const NamedPsa& psa, const VoiRequest& request) {
  std::vector<InputGroup> sets = request.sets;
  if (sets.empty())
    for (size_t j = 0; j < psa.inputs.size(); ++j) sets.push_back({"", {static_cast<int>(j)}});
  json out = json::object();
  out["draws"] = psa.sample.net_benefit.size();
  out["decisions"] = psa.decisions;
  std::vector<int> all(psa.inputs.size());
  for (size_t j = 0; j < all.size(); ++j) all[j] = static_cast<int>(j);
  const Evppi e = request.regression_evpi ? evppi(psa.sample, all, request.seed) : Evppi{};
  if (request.regression_evpi && !e.note.empty()) {
    // No regression to be had (too few draws): the textbook value, said so.
    out["evpi"] = rounded(naive_evpi(psa.sample) * request.scale);
    out["evpi_se"] = nullptr;
    out["evpi_method"] = "mean of the maxima, noise not removed (no regression: " + e.note + ")";
    out["evpi_naive"] = out["evpi"];
  } else if (request.regression_evpi) {
    out["evpi"] = rounded(e.value * request.scale);
    out["evpi_se"] = rounded(e.se * request.scale);
    char r2[32];
    std::snprintf(r2, sizeof r2, "%.3f", e.r2);
    out["evpi_method"] = "regression on every input (" + e.model + ", R² " + r2 + ")";
    out["evpi_naive"] = rounded(naive_evpi(psa.sample) * request.scale);
  } else {
    out["evpi"] = rounded(naive_evpi(psa.sample) * request.scale);
    out["evpi_method"] = "mean of the maxima (net benefits taken as exact)";
  }
  std::vector<std::pair<double, json>> ranked;
  for (size_t s = 0; s < sets.size(); ++s) {
    const Evppi e = evppi(psa.sample, sets[s].inputs, request.seed + s + 1);
    json j;
    json names = json::array();
    for (int i : sets[s].inputs) names.push_back(psa.inputs[static_cast<size_t>(i)]);
    j["parameters"] = names;
    if (!sets[s].name.empty()) j["group"] = sets[s].name;
    j["value"] = rounded(e.value * request.scale);
    j["se"] = rounded(e.se * request.scale);
    j["r2"] = rounded(e.r2);
    if (!e.model.empty()) j["model"] = e.model;
    if (!e.note.empty()) j["note"] = e.note;
    ranked.emplace_back(e.value, j);
  }
  // Ranked, largest first (a tornado); ties keep the order asked for.
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  json list = json::array();
  for (auto& [v, j] : ranked) list.push_back(std::move(j));
  out["evppi"] = list;
  return out;
}

}  // namespace pk
