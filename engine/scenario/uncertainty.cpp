#include "scenario/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "scenario/paths.hpp"
#include "stats/copula.hpp"
#include "util/csv.hpp"

namespace pk {

namespace {

// The parameter keys of a distribution block, and which sets of them each
// family accepts (native parameters, or mean and sd converted exactly).
const std::vector<std::string> kParameterKeys = {"mean",  "sd",     "meanlog", "sdlog", "shape",
                                                 "scale", "alpha",  "beta",    "min",   "mode",
                                                 "max",   "values", "weights"};

// In the order the format lists them (what messages say).
std::vector<std::vector<std::string>> accepted(DistributionType t) {
  switch (t) {
    case DistributionType::kNormal:
      return {{"mean", "sd"}};
    case DistributionType::kLognormal:
      return {{"mean", "sd"}, {"meanlog", "sdlog"}};
    case DistributionType::kGamma:
      return {{"mean", "sd"}, {"shape", "scale"}};
    case DistributionType::kBeta:
      return {{"mean", "sd"}, {"alpha", "beta"}};
    case DistributionType::kUniform:
      return {{"mean", "sd"}, {"min", "max"}};
    case DistributionType::kTriangular:
      return {{"min", "mode", "max"}};
    case DistributionType::kDiscrete:
      return {{"values"}, {"values", "weights"}};
  }
  return {};
}

template <class Keys>
std::string key_list(const Keys& keys) {
  std::string out;
  size_t i = 0;
  for (const std::string& k : keys) out += (i++ == 0 ? "" : i == keys.size() ? " and " : ", ") + k;
  return out;
}

// A list of numbers (values, weights); false with an error at the element.
bool numbers(const Obj& d, const std::string& key, std::vector<double>& out) {
  out.clear();
  const Node* n = d.raw(key);
  if (!n) return true;
  if (!n->is_seq() || n->seq.empty())
    return d.error(*n, key, "expected a non-empty list of numbers"), false;
  for (const Node& e : n->seq) {
    double v = 0;
    std::string why;
    if (!to_number(e, v, why)) return d.error(e, key, why), false;
    out.push_back(v);
  }
  return true;
}

// The distribution a block describes; false (error reported) when it is not one.
bool read_distribution(const Obj& d, const Ctx& ctx, Distribution& out) {
  const std::optional<DistributionType> t = distribution_type(d.str("type"));
  if (!t) return false;  // the enum check has said why
  std::set<std::string> given;
  for (const std::string& k : kParameterKeys)
    if (d.has(k)) given.insert(k);
  const auto sets = accepted(*t);
  if (std::none_of(sets.begin(), sets.end(), [&](const std::vector<std::string>& set) {
        return std::set<std::string>(set.begin(), set.end()) == given;
      })) {
    std::string want;
    for (size_t i = 0; i < sets.size(); ++i) want += (i ? ", or " : "") + key_list(sets[i]);
    ctx.error(d.mark(), d.path(),
              std::string("a ") + distribution_name(*t) + " distribution takes " + want +
                  (given.empty() ? "" : "; got " + key_list(given)));
    return false;
  }
  std::string why;
  if (*t == DistributionType::kDiscrete) {
    std::vector<double> values, weights;
    if (!numbers(d, "values", values) || !numbers(d, "weights", weights)) return false;
    if (weights.empty()) weights.assign(values.size(), 1.0);
    why = make_discrete(values, weights, out);
  } else if (given.count("mean")) {
    why = distribution_from_moments(*t, d.num("mean"), d.num("sd"), out);
  } else {
    std::vector<double> params;
    for (const std::string& k : kParameterKeys)  // native order: see accepted()
      if (given.count(k)) params.push_back(d.num(k));
    if (*t == DistributionType::kTriangular) params = {d.num("min"), d.num("mode"), d.num("max")};
    why = make_distribution(*t, params, out);
  }
  if (!why.empty()) return ctx.error(d.mark(), d.path(), why), false;
  return true;
}

// Joint draws of a `from_samples` file: a header of paths (`chain` and
// `draw` skipped) and rows of numbers. Adds one input per column and one
// sample set; false with `why` on malformed text.
constexpr size_t kMaxSampleRows = 1000000;

bool read_sample_set(const std::string& text, const std::string& file, const Obj& o,
                     UncertaintySpec& spec, std::string& why) {
  std::vector<CsvRecord> records;
  if (!read_csv(text, records, why, {',', true})) return false;
  if (records.empty()) return why = "no header row", false;
  const std::vector<std::string>& header = records.front().fields;
  std::vector<int> keep;
  for (size_t c = 0; c < header.size(); ++c)
    if (header[c] != "chain" && header[c] != "draw") keep.push_back(static_cast<int>(c));
  if (keep.empty()) return why = "the header names no path", false;
  if (records.size() < 2) return why = "no draws after the header", false;
  if (records.size() - 1 > kMaxSampleRows)
    return why = "more than " + std::to_string(kMaxSampleRows) + " draws", false;
  SampleSet set;
  set.file = file;
  for (size_t r = 1; r < records.size(); ++r) {
    const CsvRecord& rec = records[r];
    if (rec.fields.size() != header.size())
      return why = "line " + std::to_string(rec.line) + ": " + std::to_string(rec.fields.size()) +
                   " cells, the header has " + std::to_string(header.size()),
             false;
    std::vector<double> row;
    for (int c : keep) {
      const std::string& cell = rec.fields[static_cast<size_t>(c)];
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (cell.empty() || end != cell.c_str() + cell.size() || !std::isfinite(v))
        return why = "line " + std::to_string(rec.line) + ", column " +
                     quote(header[static_cast<size_t>(c)]) + ": " + quote(cell) +
                     " is not a number",
               false;
      row.push_back(v);
    }
    set.rows.push_back(std::move(row));
  }
  // Every column checked before any becomes an input: a bad column leaves
  // the spec as it was.
  const int index = static_cast<int>(spec.sample_sets.size());
  std::vector<UncertainInput> columns;
  for (size_t j = 0; j < keep.size(); ++j) {
    UncertainInput in;
    in.path = header[static_cast<size_t>(keep[j])];
    in.mark = o.mark_of("from_samples");
    in.source = o.str("source").empty() ? "draws of " + file : o.str("source");
    in.group = o.str("group").empty() ? "from_samples " + file : o.str("group");
    in.sample_set = index;
    in.sample_column = static_cast<int>(j);
    std::vector<PathStep> steps;
    std::string bad;
    if (!parse_path(in.path, steps, bad))
      return why = "column " + quote(in.path) + " is not a path: " + bad, false;
    std::vector<double> values;
    for (const auto& row : set.rows) values.push_back(row[j]);
    if (std::string e =
            make_discrete(values, std::vector<double>(values.size(), 1.0), in.distribution);
        !e.empty())
      return why = "column " + quote(in.path) + ": " + e, false;
    columns.push_back(std::move(in));
  }
  for (UncertainInput& in : columns) {
    set.inputs.push_back(spec.inputs.size());
    spec.inputs.push_back(std::move(in));
  }
  spec.sample_sets.push_back(std::move(set));
  return true;
}

void read_correlations(const Node& root, const Ctx& ctx, UncertaintySpec& spec) {
  const Node* n = root.find("correlations");
  if (!n || n->is_null()) return;
  if (!n->is_seq())
    return ctx.error(n->mark, "correlations", "expected a list of [path, path, rho]");
  const size_t k = spec.inputs.size();
  std::vector<std::vector<double>> c(k, std::vector<double>(k, 0.0));
  for (size_t i = 0; i < k; ++i) c[i][i] = 1;
  const auto index = [&](const std::string& path) {
    for (size_t i = 0; i < k; ++i)
      if (spec.inputs[i].path == path) return static_cast<int>(i);
    return -1;
  };
  bool any = false;
  for (size_t e = 0; e < n->seq.size(); ++e) {
    const Node& item = n->seq[e];
    const std::string where = "correlations[" + std::to_string(e) + "]";
    if (!item.is_seq() || item.seq.size() != 3 || !item.seq[0].is_scalar() ||
        !item.seq[1].is_scalar()) {
      ctx.error(item.mark, where, "expected [path, path, rho]");
      continue;
    }
    const int a = index(item.seq[0].scalar), b = index(item.seq[1].scalar);
    for (int j : {0, 1})
      if ((j == 0 ? a : b) < 0)
        ctx.error(item.seq[static_cast<size_t>(j)].mark, where,
                  quote(item.seq[static_cast<size_t>(j)].scalar) +
                      " is not the path of an uncertain input");
    double rho = 0;
    std::string why;
    if (!to_number(item.seq[2], rho, why)) {
      ctx.error(item.seq[2].mark, where, why);
      continue;
    }
    if (!(rho > -1 && rho < 1)) {
      ctx.error(item.seq[2].mark, where,
                "rho must be strictly between -1 and 1, got " + item.seq[2].scalar);
      continue;
    }
    if (a < 0 || b < 0) continue;
    if (spec.inputs[static_cast<size_t>(a)].sample_set >= 0 ||
        spec.inputs[static_cast<size_t>(b)].sample_set >= 0) {
      ctx.error(item.mark, where,
                "an input drawn from samples keeps the dependence of its draws and cannot be "
                "correlated here");
      continue;
    }
    if (a == b) {
      ctx.error(item.mark, where, "an input is correlated with itself");
      continue;
    }
    if (c[a][b] != 0) {
      ctx.error(item.mark, where, "this pair's correlation is given twice");
      continue;
    }
    c[a][b] = c[b][a] = rho;
    any = true;
  }
  if (!any) return;
  GaussianCopula copula;
  if (std::string why = copula.make(c); !why.empty())
    return ctx.error(n->mark, "correlations", why);
  spec.correlation = std::move(c);
}

}  // namespace

UncertaintySpec read_uncertainty(const Node& root, const Ctx& ctx, const FileReader& read) {
  UncertaintySpec spec;
  const Node* n = root.find("uncertainty");
  if (n && !n->is_null()) {
    const ObjectInfo& info = *scenario_spec().field("uncertainty")->object;
    if (!n->is_seq()) {
      ctx.error(n->mark, "uncertainty", std::string("expected a list, got ") + n->kind_name());
      return spec;
    }
    std::set<std::string> paths;
    for (size_t i = 0; i < n->seq.size(); ++i) {
      const Node& e = n->seq[i];
      const std::string where = "uncertainty[" + std::to_string(i) + "]";
      const Obj o(&e, info, where, ctx, e.mark);
      if (!o.present()) continue;
      if (o.has("from_samples")) {
        if (o.has("path") || o.has("distribution")) {
          o.error_here("from_samples", "give either from_samples or path and distribution");
          continue;
        }
        const std::string file = o.str("from_samples");
        std::string why;
        const std::optional<std::string> text = read(file, why);
        const size_t first = spec.inputs.size();
        if (!text || !read_sample_set(*text, file, o, spec, why)) {
          o.error_here("from_samples", file + ": " + why);
          continue;
        }
        for (size_t k = first; k < spec.inputs.size(); ++k)
          if (!paths.insert(spec.inputs[k].path).second)
            o.error_here("from_samples",
                         file + ": the input " + quote(spec.inputs[k].path) + " is listed twice");
        continue;
      }
      for (const char* key : {"path", "distribution"})
        if (!o.has(key))
          ctx.error(e.mark, where, std::string("missing '") + key + "' (or give from_samples)");
      UncertainInput in;
      in.path = o.str("path");
      in.mark = o.mark_of("path");
      in.source = o.str("source");
      in.group = o.str("group");
      std::vector<PathStep> steps;
      std::string why;
      if (!in.path.empty() && !parse_path(in.path, steps, why))
        o.error_here("path", "bad path: " + why);
      else if (!in.path.empty() && !paths.insert(in.path).second)
        o.error_here("path", "the input " + quote(in.path) + " is listed twice");
      if (const Obj d = o.object("distribution"); d.present())
        read_distribution(d, ctx, in.distribution);
      spec.inputs.push_back(std::move(in));
    }
  }
  read_correlations(root, ctx, spec);
  return spec;
}

std::vector<double> probe_values(const Distribution& d) {
  if (d.type == DistributionType::kDiscrete) {
    if (d.values.size() <= 100) return d.values;
    std::vector<double> v;
    for (size_t k = 0; k < 100; ++k) v.push_back(d.values[k * (d.values.size() - 1) / 99]);
    return v;
  }
  return {d.quantile(1e-6), d.quantile(0.5), d.quantile(1 - 1e-6)};
}

}  // namespace pk
