#include "scenario/selection.hpp"

#include <algorithm>
#include <set>

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
    if (std::find(spec.options.begin(), spec.options.end(), name) == spec.options.end())
      ctx.error(mark, r.child(key), unknown_arm_message(name, spec.options, "option"));
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

}  // namespace

std::optional<SelectSpec> read_select(const Node& root, const std::vector<std::string>& arms,
                                      const Ctx& ctx) {
  const Node* n = root.find("select");
  if (!n || n->is_null()) return std::nullopt;
  const Obj o(n, *scenario_spec().field("select")->object, "select", ctx, n->mark);
  if (!o.present()) return std::nullopt;
  SelectSpec spec;
  spec.mark = o.mark();
  if (o.has("budget_usd")) spec.budget_usd = o.num("budget_usd");
  spec.net_benefit = o.str("objective") == "net_benefit";
  spec.wtp_usd = o.num("wtp_usd");
  if (spec.net_benefit && !o.has("wtp_usd"))
    o.error_here("objective", "net_benefit needs wtp_usd (the value of one death averted)");
  spec.indifference_zone = o.num("indifference_zone");
  spec.confidence = o.num("confidence");
  spec.first_stage = o.integer("first_stage");
  for (const Obj& opt : o.list("options")) {
    const std::string arm = opt.str("arm");
    if (arm.empty()) continue;
    if (!known_arm(arm, arms))
      opt.error_here("arm", unknown_arm_message(arm, arms, "arm"));
    else if (known_arm(arm, spec.options))
      opt.error_here("arm", quote(arm) + " is an option twice");
    spec.options.push_back(arm);
    spec.option_marks.push_back(opt.mark_of("arm"));
  }
  if (spec.options.size() > kMaxSelectOptions)
    o.error_here("options", "more than " + std::to_string(kMaxSelectOptions) + " options (" +
                                std::to_string(spec.options.size()) +
                                "): too many packages to compare");
  for (const Obj& r : o.list("rules")) read_rule(r, spec, ctx, spec.rules.emplace_back());
  return spec;
}

}  // namespace pk
