#include "scenario/selection.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "scenario/paths.hpp"
#include "scenario/spec.hpp"
#include "scenario/suggest.hpp"

namespace pk {

namespace {

// An option's arm: one of the scenario's arms, listed once.
bool known_arm(const std::string& name, const std::vector<std::string>& arms) {
  return std::find(arms.begin(), arms.end(), name) != arms.end();
}

std::string unknown_arm_message(const std::string& name, const std::vector<std::string>& names,
                                const char* what) {
  const std::string near = closest_match(name, names);
  return "no " + std::string(what) + " named " + quote(name) +
         (near.empty() ? "" : " (did you mean '" + near + "'?)");
}

void read_rule(const Obj& r, const SelectSpec& spec, const Ctx& ctx, SelectRule& rule) {
  rule.mark = r.mark();
  rule.requires_arm = r.str("requires");
  rule.if_arm = r.str("if");
  const bool requires_rule = r.has("requires") || r.has("if");
  if (requires_rule == r.has("excludes"))
    return r.error_here("requires", "a rule is {requires: A, if: B} or {excludes: [A, B, ...]}");
  const auto option = [&](const std::string& key, const std::string& name, Mark mark) {
    if (spec.option(name)) return;
    std::vector<std::string> names;
    for (const SelectOption& o : spec.options) names.push_back(o.arm);
    ctx.error(mark, r.child(key), unknown_arm_message(name, names, "option"));
  };
  if (requires_rule) {
    if (!r.has("requires") || !r.has("if"))
      return r.error_here(r.has("if") ? "if" : "requires",
                          "a requires rule needs both `requires` and `if`");
    option("requires", rule.requires_arm, r.mark_of("requires"));
    option("if", rule.if_arm, r.mark_of("if"));
    if (rule.requires_arm == rule.if_arm)
      r.error_here("if", "an option that requires itself says nothing");
    return;
  }
  const Node* list = r.raw("excludes");
  if (!list->is_seq() || list->seq.size() < 2)
    return ctx.error(list->mark, r.child("excludes"), "expected a list of two or more options");
  std::set<std::string> seen;
  for (const Node& e : list->seq) {
    if (!e.is_scalar()) {
      ctx.error(e.mark, r.child("excludes"), "expected an option's arm name");
      continue;
    }
    option("excludes", e.scalar, e.mark);
    if (!seen.insert(e.scalar).second)
      ctx.error(e.mark, r.child("excludes"), quote(e.scalar) + " is listed twice");
    rule.excludes.push_back(e.scalar);
  }
}

// The levels of an option: as many values as costs, at least one, costs
// never negative, the path well formed.
std::optional<SelectLevels> read_levels(const Obj& l, const Ctx& ctx) {
  SelectLevels lv;
  lv.path = l.str("path");
  std::vector<PathStep> steps;
  std::string why;
  if (!lv.path.empty() && !parse_path(lv.path, steps, why))
    l.error_here("path", "bad path: " + why);
  const Node* values = l.raw("values");
  const Node* costs = l.raw("cost_usd");
  if (!values || !costs) return std::nullopt;
  if (!values->is_seq() || values->seq.empty()) {
    ctx.error(values->mark, l.child("values"), "expected a non-empty list of values");
    return std::nullopt;
  }
  std::set<std::string> seen;
  for (const Node& v : values->seq) {
    // A level is named by its value (`arm=value`): one word each, once each.
    if (!v.is_scalar() || v.scalar.empty()) {
      ctx.error(v.mark, l.child("values"), "a level's value is a number, a word or true/false");
      return std::nullopt;
    }
    if (!seen.insert(v.scalar).second) {
      ctx.error(v.mark, l.child("values"), quote(v.scalar) + " is a level twice");
      return std::nullopt;
    }
  }
  lv.values = values->seq;
  if (!costs->is_seq() || costs->seq.size() != lv.values.size()) {
    ctx.error(costs->mark, l.child("cost_usd"),
              "expected a list of " + std::to_string(lv.values.size()) + " costs, one per value");
    return std::nullopt;
  }
  for (const Node& c : costs->seq) {
    char* end = nullptr;
    const double v = c.is_scalar() ? std::strtod(c.scalar.c_str(), &end) : -1;
    if (!c.is_scalar() || end == c.scalar.c_str() || *end != '\0' || !std::isfinite(v) || v < 0) {
      ctx.error(c.mark, l.child("cost_usd"), "expected a cost in USD, 0 or more");
      return std::nullopt;
    }
    lv.cost_usd.push_back(v);
  }
  return lv;
}

}  // namespace

const char* objective_name(SelectObjective o) {
  switch (o) {
    case SelectObjective::kFatalities:
      return "fatalities";
    case SelectObjective::kFatalitiesPer1000py:
      return "fatalities_per_1000py";
    case SelectObjective::kNetBenefit:
      return "net_benefit";
  }
  return "fatalities";
}

const SelectOption* SelectSpec::option(const std::string& arm) const {
  for (const SelectOption& o : options)
    if (o.arm == arm) return &o;
  return nullptr;
}

std::optional<SelectSpec> read_select(const Node& root, const std::vector<std::string>& arms,
                                      const Ctx& ctx) {
  const Node* n = root.find("select");
  if (!n || n->is_null()) return std::nullopt;
  const Obj o(n, *scenario_spec().field("select")->object, "select", ctx, n->mark);
  if (!o.present()) return std::nullopt;
  SelectSpec spec;
  spec.mark = o.mark();
  if (o.has("budget_usd")) spec.budget_usd = o.num("budget_usd");
  const std::string objective = o.str("objective");
  spec.objective = objective == "net_benefit"             ? SelectObjective::kNetBenefit
                   : objective == "fatalities_per_1000py" ? SelectObjective::kFatalitiesPer1000py
                                                          : SelectObjective::kFatalities;
  spec.wtp_usd = o.num("wtp_usd");
  if (spec.objective == SelectObjective::kNetBenefit && !o.has("wtp_usd"))
    o.error_here("objective", "net_benefit needs wtp_usd (the value of one death averted)");
  spec.indifference_zone = o.num("indifference_zone");
  spec.confidence = o.num("confidence");
  spec.first_stage = o.integer("first_stage");
  spec.reestimate = o.integer("reestimate");
  for (const Obj& opt : o.list("options")) {
    const std::string arm = opt.str("arm");
    if (arm.empty()) continue;
    if (!known_arm(arm, arms))
      opt.error_here("arm", unknown_arm_message(arm, arms, "arm"));
    else if (spec.option(arm))
      opt.error_here("arm", quote(arm) + " is an option twice");
    SelectOption option{arm, opt.mark_of("arm"), std::nullopt};
    if (const Obj l = opt.object("levels"); l.present()) option.levels = read_levels(l, ctx);
    spec.options.push_back(std::move(option));
  }
  if (spec.options.size() > kMaxSelectOptions)
    o.error_here("options", "more than " + std::to_string(kMaxSelectOptions) + " options (" +
                                std::to_string(spec.options.size()) +
                                "): too many packages to compare");
  for (const Obj& r : o.list("rules")) read_rule(r, spec, ctx, spec.rules.emplace_back());
  return spec;
}

}  // namespace pk
