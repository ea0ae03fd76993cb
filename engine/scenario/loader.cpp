#include "scenario/loader.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "scenario/catalogue.hpp"
#include "scenario/exposure.hpp"
#include "scenario/object_reader.hpp"
#include "scenario/paths.hpp"
#include "scenario/spec.hpp"
#include "scenario/uncertainty.hpp"
#include "util/input_file.hpp"

namespace pk {

namespace {

// An arm's cost as the file states it: `cost_usd` (with `cost_basis`) or a
// `cost` block, never both. Vehicle-km are added later, once the arm is built.
ArmCost read_arm_cost(const Obj& a, double discount_rate, const Scenario* base) {
  ArmCost c;
  c.mark = a.mark();
  const Obj b = a.object("cost");
  if (!b.present()) {
    c.written_usd = a.num("cost_usd");
    if (a.has("cost_usd")) c.mark = a.mark_of("cost_usd");
    if (a.has("cost_basis") && a.str("cost_basis") == "per_year") c.basis = CostBasis::kPerYear;
    return c;
  }
  if (a.has("cost_usd") || a.has("cost_basis"))
    a.error_here("cost", "give either cost (by its parts) or cost_usd with cost_basis, not both");
  c.basis = CostBasis::kEquivalentAnnual;
  c.mark = b.mark();
  c.discount_rate = discount_rate;
  c.capital_usd = b.num("capital_usd");
  c.service_life_years = b.num("service_life_years");
  c.annual_om_usd = b.num("annual_om_usd");
  c.per_vehicle_km_usd = b.num("per_vehicle_km_usd");
  if (b.has("payer"))
    c.payer = b.str("payer") == "contributor" ? Payer::kContributor : Payer::kUnBudget;
  if (b.has("vehicle_type")) {
    c.vehicle_type = b.str("vehicle_type");
    bool known = false;
    if (base)
      for (const VehicleType& v : base->vehicle_types) known = known || v.id == c.vehicle_type;
    if (base && !known)
      b.error_here("vehicle_type", "unknown vehicle type " + quote(c.vehicle_type));
  } else if (c.per_vehicle_km_usd > 0) {
    b.error_here("per_vehicle_km_usd", "a cost per vehicle-km needs the vehicle_type it is for");
  }
  return c;
}

double discount_rate_in(const Node& tree, const Ctx& ctx) {
  return Obj(tree.find("economics"), *scenario_spec().field("economics")->object, "economics", ctx,
             tree.mark)
      .num("discount_rate");
}

// The cost of the arm named `name` as `tree` states it (a sweep point's tree).
ArmCost arm_cost_in(const Node& tree, const std::string& name, const Scenario& base,
                    const Ctx& ctx) {
  const Node* list = tree.find("arms");
  if (list && list->is_seq())
    for (size_t i = 0; i < list->seq.size(); ++i) {
      const Node& e = list->seq[i];
      const Node* n = e.is_map() ? e.find("name") : nullptr;
      if (!n || !n->is_scalar() || n->scalar != name) continue;
      const Obj a(&e, *scenario_spec().field("arms")->object, "arms[" + name + "]", ctx, e.mark);
      return read_arm_cost(a, discount_rate_in(tree, ctx), &base);
    }
  return {};
}

int vehicle_type_index(const Scenario& s, const std::string& id) {
  for (size_t i = 0; i < s.vehicle_types.size(); ++i)
    if (s.vehicle_types[i].id == id) return static_cast<int>(i);
  return -1;
}

// A movement whose every group has count 0 still departs, drives its route and
// sets off the devices it meets, with nobody hurt (docs/model.md §8.7): an arm
// that "cancels" a convoy that way clears the road for the others and reports
// savings that are not there. Warned once per movement: in the baseline, or in
// an arm where the baseline's movement has vehicles.
void warn_empty_movements(const Scenario& s, const Scenario* baseline, Mark where,
                          Diagnostics& diags, const std::string& context) {
  const auto empty = [](const Movement& m) {
    return std::all_of(m.vehicles.begin(), m.vehicles.end(),
                       [](const VehicleGroup& g) { return g.count == 0; });
  };
  for (const Movement& m : s.movements) {
    if (!empty(m)) continue;
    if (baseline) {
      const auto same = std::find_if(baseline->movements.begin(), baseline->movements.end(),
                                     [&](const Movement& b) { return b.id == m.id; });
      if (same != baseline->movements.end() && empty(*same)) continue;
    }
    diags.warning(where, context + "movements[" + m.id + "].vehicles",
                  "every group has count 0, yet the movement still departs, drives its route "
                  "and sets off the devices it meets (nobody hurt, so other movements meet "
                  "fewer; docs/model.md §8.7); to take it off the roads, leave it out of "
                  "movements (an arm can give the list whole)");
  }
}

// The vehicle-km of the cost's vehicle type that `arm` adds to `baseline` on
// their schedules; a cost that would come out negative is refused (pkrisk
// compares packages that cost something or nothing).
void price_running_costs(Arm& arm, const Scenario& baseline, Diagnostics& diags,
                         const std::string& context) {
  ArmCost& c = arm.cost;
  if (c.vehicle_type.empty()) return;
  const int in_arm = vehicle_type_index(arm.scenario, c.vehicle_type);
  const int in_base = vehicle_type_index(baseline, c.vehicle_type);
  c.added_vehicle_km_per_year = (in_arm < 0 ? 0 : vehicle_km_per_year(arm.scenario, in_arm)) -
                                (in_base < 0 ? 0 : vehicle_km_per_year(baseline, in_base));
  if (c.per_vehicle_km_usd > 0 && c.added_vehicle_km_per_year < 0) {
    char buf[240];
    std::snprintf(buf, sizeof buf,
                  "the arm drives %.0f fewer km a year of %s than the baseline, so its running "
                  "cost would be negative; state the saving in annual_om_usd or set "
                  "per_vehicle_km_usd to 0",
                  -c.added_vehicle_km_per_year, c.vehicle_type.c_str());
    diags.error(c.mark, context + "arms[" + arm.name + "].cost.per_vehicle_km_usd", buf);
  }
}

// Applies an arm's overrides to `tree`, builds it, and leaves `tree` as it
// was in content — though the blocks put back are new storage, so a pointer
// into them does not survive. Only the top-level blocks the overrides reach
// are saved and put back, not the whole tree: a copy of every block for every
// arm was most of the cost of building the variants of `decide` and `select`.
std::optional<Scenario> build_arm(Node& tree, const Arm& arm, Diagnostics& diags,
                                  const std::string& context) {
  if (!arm.overrides.is_map() || !tree.is_map())
    return build_scenario(tree, diags, context + "arms[" + arm.name + "]: ");
  const size_t blocks = tree.map.size();  // an override may add a block after these
  // Blocks an override may never change (refused below) need no saving.
  const auto reaches = [&](const std::string& block) {
    return !is_protected(block) &&
           std::any_of(arm.overrides.map.begin(), arm.overrides.map.end(), [&](const auto& e) {
             return e.key.substr(0, e.key.find_first_of(".[")) == block;
           });
  };
  std::vector<std::pair<size_t, Node>> saved;
  for (size_t i = 0; i < blocks; ++i)
    if (reaches(tree.map[i].key)) saved.emplace_back(i, tree.map[i].value);
  bool ok = true;
  for (const auto& e : arm.overrides.map)
    ok = apply_override(tree, e.key, e.value, e.key_mark,
                        context + "arms[" + arm.name + "].overrides", diags) &&
         ok;
  std::optional<Scenario> built;
  if (ok) built = build_scenario(tree, diags, context + "arms[" + arm.name + "]: ");
  tree.map.resize(blocks);
  for (auto& [i, block] : saved) tree.map[i].value = std::move(block);
  return built;
}

// Each arm's own overrides (name, path: value map), as a sweep point or a
// draw may change them.
using ArmOverrides = std::vector<std::pair<std::string, Node>>;

// A sweep point's or a draw's override: into one arm's own overrides
// (arms[NAME].overrides.PATH) or into the scenario's tree.
bool apply_point_override(Node& tree, ArmOverrides& arms, const std::string& path,
                          const Node& value, Mark where, const std::string& context,
                          Diagnostics& diags) {
  ArmOverridePath arm;
  if (!split_arm_override_path(path, arm))
    return apply_override(tree, path, value, where, context, diags, true);
  std::string names;
  for (auto& [name, overrides] : arms) {
    if (name == arm.arm) return set_arm_override(overrides, arm, value, where, context, diags);
    names += (names.empty() ? "" : ", ") + name;
  }
  diags.error(where, context,
              "path '" + path + "' selects nothing: no arm named '" + arm.arm + "'" +
                  (names.empty() ? " (the scenario has no arms)" : " (arms: " + names + ")"));
  return false;
}

std::optional<LoadedScenario> load_tree(Node tree, std::string sha, Diagnostics& diags,
                                        const IncludePolicy& policy) {
  const std::optional<std::string> catalogue = merge_catalogue(tree, diags, policy);
  if (!catalogue) return std::nullopt;
  if (!catalogue->empty()) sha = sha256_hex(sha + sha256_hex(*catalogue));
  std::optional<Scenario> base = build_scenario(tree, diags);
  const Ctx ctx{diags, ""};
  LoadedScenario out;
  out.file = diags.file();
  out.sha256 = sha;
  if (!tree.is_map()) return std::nullopt;

  const double discount_rate = discount_rate_in(tree, ctx);

  // Arms: names, costs, override paths; each arm is then built like the baseline.
  std::vector<std::pair<Arm, const Node*>> arms;
  const Node* arms_node = tree.find("arms");
  if (arms_node && !arms_node->is_null()) {
    if (!arms_node->is_seq()) {
      ctx.error(arms_node->mark, "arms",
                std::string("expected a list, got ") + arms_node->kind_name());
    } else {
      std::set<std::string> names;
      for (size_t i = 0; i < arms_node->seq.size(); ++i) {
        const Node& e = arms_node->seq[i];
        const std::string p = "arms[" + element_label(e, i) + "]";
        if (!e.is_map()) {
          ctx.error(e.mark, p, std::string("expected a mapping (arm), got ") + e.kind_name());
          continue;
        }
        const Obj a(&e, *scenario_spec().field("arms")->object, p, ctx, e.mark);
        Arm arm;
        arm.name = a.str("name");
        arm.cost = read_arm_cost(a, discount_rate, base ? &*base : nullptr);
        if (arm.name == "baseline")
          a.error_here("name", "'baseline' is the scenario as written; choose another name");
        else if (!arm.name.empty() && !names.insert(arm.name).second)
          a.error_here("name", "duplicate arm name " + quote(arm.name));
        const Node* ov = a.raw("overrides");
        if (ov && !ov->is_map()) {
          a.error(*ov, "overrides",
                  std::string("expected a mapping of path: value, got ") + ov->kind_name());
          ov = nullptr;
        }
        arms.emplace_back(std::move(arm), ov);
      }
    }
  }

  // Sweep block: structure only; points are built by the sweep command.
  if (const Obj s =
          Obj(tree.find("sweep"), *scenario_spec().field("sweep")->object, "sweep", ctx, tree.mark);
      s.present()) {
    SweepSpec sw;
    sw.design = s.has("design") ? s.str("design") : "grid";
    if (s.has("samples")) sw.samples = s.integer("samples");
    if (s.has("replications")) sw.replications = s.integer("replications");
    if (sw.design != "grid" && !sw.samples)
      ctx.error(s.mark(), s.path(), "design " + sw.design + " needs samples");
    for (const Obj& p : s.list("parameters")) {
      SweepParameter par;
      par.path = p.str("path");
      par.mark = p.mark_of("path");
      if (const Node* v = p.raw("values")) {
        if (!v->is_seq() || v->seq.empty())
          p.error(*v, "values", "expected a non-empty list of values");
        else
          par.values = v->seq;
      }
      if (const Obj r = p.object("range"); r.present()) {
        SweepRange rg{r.num("from"), r.num("to"), std::nullopt};
        if (r.has("steps")) rg.steps = r.integer("steps");
        if (sw.design == "grid" && !rg.steps)
          ctx.error(r.mark(), r.path(), "a grid range needs steps");
        par.range = rg;
      }
      if (par.values.empty() == !par.range)
        ctx.error(p.mark(), p.path(), "give either values or range");
      if (!par.values.empty() && sw.design != "grid")
        p.error_here("values", "values apply to a grid design; give a range (bounds)");
      std::vector<PathStep> steps;
      std::string why;
      if (!par.path.empty() && !parse_path(par.path, steps, why))
        p.error_here("path", "bad path: " + why);
      // A path listed twice: the second would overwrite the first at every
      // point, and the points would be labelled by one of them only.
      for (const SweepParameter& earlier : sw.parameters)
        if (!par.path.empty() && earlier.path == par.path)
          p.error_here("path", "the path '" + par.path + "' is listed twice");
      sw.parameters.push_back(std::move(par));
    }
    if (s.has("parameters") && sw.parameters.empty())
      s.error_here("parameters", "a sweep needs at least one parameter");
    // The size of a grid is known here: refuse it now rather than in `sweep`.
    if (sw.design == "grid") {
      double points = 1;
      for (const SweepParameter& par : sw.parameters)
        points *= !par.values.empty()             ? static_cast<double>(par.values.size())
                  : par.range && par.range->steps ? static_cast<double>(*par.range->steps)
                                                  : 1.0;
      if (points > static_cast<double>(kMaxSweepPoints)) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "the grid has %.4g points, more than the limit of %lld",
                      points, static_cast<long long>(kMaxSweepPoints));
        ctx.error(s.mark_of("parameters"), s.child("parameters"), buf);
      }
    }
    out.sweep = std::move(sw);
  }
  // from_samples files: allowed like a vehicle catalogue, and part of what
  // the scenario's hash covers.
  const FileReader read_named = [&](const std::string& name, std::string& why) {
    const std::string path = resolve_include(diags.file(), name, policy, why);
    std::optional<std::string> text;
    if (path.empty()) return text;
    std::string bytes;
    if (const ReadResult r = read_input_file(path, bytes); !r) {
      why = path + ": " + r.error;
      return text;
    }
    text = std::move(bytes);
    out.sha256 = sha256_hex(out.sha256 + sha256_hex(*text));
    return text;
  };
  out.uncertainty = read_uncertainty(tree, ctx, read_named);
  {
    std::vector<std::string> arm_names;
    for (const auto& [arm, ov] : arms) arm_names.push_back(arm.name);
    out.select = read_select(tree, arm_names, ctx);
  }

  if (!base || diags.has_errors()) return std::nullopt;

  // Every sweep parameter and uncertain input must select something, and each
  // of its values (the range's ends, the distribution's far quantiles) must
  // make a valid scenario on its own.
  ArmOverrides own;
  for (const auto& [arm, ov] : arms) own.emplace_back(arm.name, ov ? *ov : Node{});
  const auto check_values = [&](const std::string& path, Mark mark, const std::vector<Node>& probes,
                                const std::string& where) {
    ArmOverridePath arm_path;
    const bool arm_own = split_arm_override_path(path, arm_path);
    for (const Node& probe : probes) {
      Node copy = tree;
      ArmOverrides probed = own;
      if (!apply_point_override(copy, probed, path, probe, mark, where, diags)) break;
      if (!build_scenario(copy, diags, where + " = " + probe.scalar + ": ")) break;
      if (arm_own) {
        Arm arm;
        arm.name = arm_path.arm;
        for (const auto& [name, overrides] : probed)
          if (name == arm.name) arm.overrides = overrides;
        if (!build_arm(copy, arm, diags, where + " = " + probe.scalar + ": ")) break;
      }
      if (path.rfind("arms", 0) == 0 && base) {
        const Ctx probe_ctx{diags, where + " = " + probe.scalar + ": "};
        for (const auto& [arm, ov] : arms) (void)arm_cost_in(copy, arm.name, *base, probe_ctx);
      }
    }
  };
  if (out.sweep) {
    for (size_t i = 0; i < out.sweep->parameters.size(); ++i) {
      const SweepParameter& par = out.sweep->parameters[i];
      std::vector<Node> probes;
      for (size_t v = 0; v < par.values.size() && v < 100; ++v) probes.push_back(par.values[v]);
      if (par.range)
        for (double x : {par.range->from, par.range->to})
          probes.push_back(number_node(x, false, par.mark));
      check_values(par.path, par.mark, probes, "sweep.parameters[" + std::to_string(i) + "]");
    }
    if (diags.has_errors()) return std::nullopt;
  }
  for (size_t i = 0; i < out.uncertainty.inputs.size(); ++i) {
    const UncertainInput& in = out.uncertainty.inputs[i];
    std::vector<Node> probes;
    for (double x : probe_values(in.distribution))
      probes.push_back(number_node(x, is_integer_path(in.path), in.mark));
    check_values(in.path, in.mark, probes,
                 "uncertainty[" + std::to_string(i) + "] (a value its distribution reaches)");
  }
  if (diags.has_errors()) return std::nullopt;

  warn_unaddressable_ids(tree, diags);
  if (!base->medevac)
    diags.warning(tree.mark, "medevac",
                  "no medevac block: deaths of wounds are not modelled, all wounded count as WIA");
  if (!base->medevac) {  // evacuated illness needs MEDEVAC
    for (const Zone& z : base->zones)
      if (z.illness && z.illness->evacuated_share > 0)
        diags.warning(tree.mark, "zones[" + z.id + "].illness.evacuated_share",
                      "no medevac block: no case is evacuated, every case dies with case_fatality");
  }
  if (!(base->medevac && base->medevac->care)) {  // first aid and Role 1 need a chain
    const auto has = [](const LocalCare& c) { return c.responder_share || c.role1; };
    for (const Movement& m : base->movements)
      if (has(m.care))
        diags.warning(tree.mark, "movements[" + m.id + "].care",
                      "no medevac.care_chain: the movement's care changes nothing");
    for (const Site& st : base->sites)
      if (has(st.care))
        diags.warning(tree.mark, "sites[" + st.id + "].care",
                      "no medevac.care_chain: the site's care changes nothing");
  }
  warn_empty_movements(*base, nullptr, tree.mark, diags, "");
  out.arms.push_back(Arm{"baseline", {}, std::move(*base), Node{}, {}});

  // build_arm puts back the blocks it changes as new storage: every arm's
  // overrides are taken out of the tree before the first is built.
  for (auto& [arm, ov] : arms)
    if (ov) arm.overrides = *ov;
  for (auto& [arm, ov] : arms) {
    std::optional<Scenario> s = build_arm(tree, arm, diags, "");
    if (!s) continue;
    arm.scenario = std::move(*s);
    price_running_costs(arm, out.baseline(), diags, "");
    warn_empty_movements(arm.scenario, &out.baseline(), tree.mark, diags,
                         "arms[" + arm.name + "]: ");
    out.arms.push_back(std::move(arm));
  }
  if (diags.has_errors()) return std::nullopt;
  out.tree = std::move(tree);
  return out;
}

}  // namespace

std::optional<std::vector<Arm>> build_point(const LoadedScenario& ls,
                                            const std::vector<PointOverride>& point,
                                            Diagnostics& diags, const std::string& context) {
  const int before = diags.error_count();
  Node tree = ls.tree;
  ArmOverrides own;
  // The file's arms: adaptive twins are the executor's to add (docs/model.md §2.9).
  std::vector<const Arm*> file_arms;
  for (size_t i = 1; i < ls.arms.size(); ++i)
    if (ls.arms[i].adaptive_of.empty()) file_arms.push_back(&ls.arms[i]);
  for (const Arm* a : file_arms) own.emplace_back(a->name, a->overrides);
  for (const auto& p : point)
    apply_point_override(tree, own, p.path, p.value, p.value.mark, context + "overrides", diags);
  if (diags.error_count() > before) return std::nullopt;
  std::vector<Arm> arms;
  std::optional<Scenario> base = build_scenario(tree, diags, context);
  if (!base) return std::nullopt;
  arms.push_back(Arm{"baseline", {}, std::move(*base), Node{}, {}});
  for (size_t i = 0; i < file_arms.size(); ++i) {
    Arm a = *file_arms[i];
    a.overrides = std::move(own[i].second);
    std::optional<Scenario> s = build_arm(tree, a, diags, context);
    if (!s) continue;
    a.scenario = std::move(*s);
    // The point may change the discount rate or the arm's cost itself.
    a.cost = arm_cost_in(tree, a.name, arms.front().scenario, Ctx{diags, context});
    price_running_costs(a, arms.front().scenario, diags, context);
    arms.push_back(std::move(a));
  }
  if (diags.error_count() > before) return std::nullopt;
  return arms;
}

std::optional<LoadedScenario> load_scenario_text(const std::string& text, Diagnostics& diags,
                                                 const IncludePolicy& policy) {
  Node tree;
  if (!parse_yaml(text, tree, diags)) return std::nullopt;
  return load_tree(std::move(tree), sha256_hex(text), diags, policy);
}

std::optional<LoadedScenario> load_scenario(const std::string& file, Diagnostics& diags,
                                            const IncludePolicy& policy) {
  Node tree;
  std::string bytes;  // the bytes parsed are the bytes hashed
  if (!parse_yaml_file(file, tree, diags, bytes)) return std::nullopt;
  return load_tree(std::move(tree), sha256_hex(bytes), diags, policy);
}

std::string keep_arms(std::vector<Arm>& arms, const std::vector<std::string>& names,
                      ArmOrder order) {
  const auto find = [&](const std::string& name) {
    return std::find_if(arms.begin() + 1, arms.end(), [&](const Arm& a) { return a.name == name; });
  };
  for (const std::string& n : names)
    if (n != arms.front().name && find(n) == arms.end()) return n;
  std::vector<Arm> kept;
  kept.push_back(std::move(arms.front()));
  if (order == ArmOrder::kNames) {
    const auto taken = [&](const std::string& n) {
      return std::any_of(kept.begin(), kept.end(), [&](const Arm& a) { return a.name == n; });
    };
    for (const std::string& n : names)  // a name given twice keeps its first place
      if (!taken(n)) kept.push_back(std::move(*find(n)));
  } else {
    for (size_t i = 1; i < arms.size(); ++i)
      if (std::find(names.begin(), names.end(), arms[i].name) != names.end())
        kept.push_back(std::move(arms[i]));
  }
  arms = std::move(kept);
  return {};
}

}  // namespace pk
