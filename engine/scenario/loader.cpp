#include "scenario/loader.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "scenario/paths.hpp"
#include "scenario/spec.hpp"
#include "scenario/suggest.hpp"

namespace pk {

namespace {

std::string fmt_num(double v) {
  std::ostringstream o;
  o.precision(12);
  o << v;
  return o.str();
}

std::string quote(const std::string& s) {
  return "'" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "'";
}

// [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)? — scanned by hand
// (a std::regex recurses per character and can exhaust the stack).
bool is_decimal(const std::string& s) {
  size_t i = 0;
  const size_t n = s.size();
  auto digits = [&] {
    const size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
  size_t mantissa = digits();
  if (i < n && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == n;
}

// Strict YAML-1.2-core-like numbers: no octal, hex, NaN, infinity, yes/no.
bool to_number(const Node& n, double& out, std::string& why) {
  if (n.is_null()) return why = "expected a number, got nothing", false;
  if (!n.is_scalar()) return why = std::string("expected a number, got ") + n.kind_name(), false;
  const std::string& s = n.scalar;
  if (n.quoted)
    return why = "expected a number, got the quoted string " + quote(s) + " (remove the quotes)",
           false;
  if (!is_decimal(s)) {
    std::string lower;
    for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos)
      return why = "must be a finite number, got " + quote(s), false;
    if (lower.rfind("0x", 0) == 0 || lower.rfind("0o", 0) == 0 || lower.rfind("-0x", 0) == 0)
      return why = "hexadecimal and octal numbers are not accepted, got " + quote(s) +
                   " (write it in decimal)",
             false;
    return why = "expected a number, got " + quote(s), false;
  }
  if (s.size() > 64) return why = "number " + quote(s) + " has too many digits", false;
  // A leading zero before more digits reads as octal in YAML 1.1: refuse it.
  const size_t d = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (s.size() > d + 1 && s[d] == '0' && std::isdigit(static_cast<unsigned char>(s[d + 1])))
    return why = "leading zero in " + quote(s) +
                 " is ambiguous (octal in YAML 1.1): write it without",
           false;
  errno = 0;
  const double v = std::strtod(s.c_str(), nullptr);
  if (!std::isfinite(v)) return why = "number " + quote(s) + " is out of range", false;
  out = v == 0 ? 0.0 : v;  // no negative zero
  return true;
}

bool to_bool(const Node& n, bool& out, std::string& why) {
  if (n.is_scalar() && !n.quoted && (n.scalar == "true" || n.scalar == "false")) {
    out = n.scalar == "true";
    return true;
  }
  if (n.is_scalar())
    return why = "expected true or false, got " + quote(n.scalar) +
                 (n.quoted ? " (remove the quotes)" : " (write true or false)"),
           false;
  return why = std::string("expected true or false, got ") + n.kind_name(), false;
}

// Where the errors of one build go, with the arm or point prefix.
struct Ctx {
  Diagnostics& diags;
  std::string prefix;
  void error(Mark m, const std::string& path, const std::string& msg) const {
    diags.error(m, prefix + path, msg);
  }
};

std::string element_label(const Node& e, size_t i) {
  if (e.is_map())
    for (const char* k : {"id", "type", "name"})
      if (const Node* n = e.find(k); n && n->is_scalar() && !n->scalar.empty()) return n->scalar;
  return std::to_string(i);
}

// Reads one mapping against its declaration: unknown keys, missing required
// keys, types, ranges, defaults and units all come from the ObjectInfo.
class Obj {
 public:
  Obj(const Node* node, const ObjectInfo& info, std::string path, const Ctx& ctx, Mark where)
      : node_(node && !node->is_null() ? node : nullptr),
        info_(info),
        path_(std::move(path)),
        ctx_(ctx) {
    mark_ = node_ ? node_->mark : where;
    if (!node_) return;
    if (!node_->is_map()) {
      ctx_.error(node_->mark, path_,
                 std::string("expected a mapping (") + info_.name + "), got " + node_->kind_name());
      node_ = nullptr;
      return;
    }
    std::vector<std::string> keys;
    for (const auto& f : info_.fields) keys.push_back(f.key);
    for (const auto& e : node_->map) {
      if (info_.field(e.key)) continue;
      const std::string near = closest_match(e.key, keys);
      ctx_.error(
          e.key_mark, child(e.key),
          "unknown key " + quote(e.key) + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    }
    for (const auto& f : info_.fields) {
      const Node* v = node_->find(f.key);
      if (f.required && (!v || v->is_null())) {
        ctx_.error(v ? v->mark : mark_, child(f.key),
                   "missing required key " + quote(f.key) + " (" + f.help + ")");
      }
    }
  }

  bool present() const { return node_ != nullptr; }
  Mark mark() const { return mark_; }
  const std::string& path() const { return path_; }
  std::string child(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  const Node* raw(const std::string& key) const {
    field(key);
    if (!node_) return nullptr;
    const Node* n = node_->find(key);
    return n && !n->is_null() ? n : nullptr;
  }
  bool has(const std::string& key) const { return raw(key) != nullptr; }
  Mark mark_of(const std::string& key) const {
    const Node* n = raw(key);
    return n ? n->mark : mark_;
  }

  // A number in engine units (scaled), range-checked as written.
  double num(const std::string& key) const {
    const FieldInfo& f = field(key);
    const double fallback = f.default_number.value_or(0) * f.to_engine;
    const Node* n = raw(key);
    if (!n) return fallback;
    double v = 0;
    std::string why;
    if (!to_number(*n, v, why)) return error(*n, key, why), fallback;
    if (!check_range(f, v, *n, key)) return fallback;
    return v * f.to_engine;
  }

  int64_t integer(const std::string& key) const {
    const FieldInfo& f = field(key);
    const int64_t fallback = static_cast<int64_t>(f.default_number.value_or(0));
    const Node* n = raw(key);
    if (!n) return fallback;
    double v = 0;
    std::string why;
    if (!to_number(*n, v, why)) return error(*n, key, why), fallback;
    if (v != std::floor(v))
      return error(*n, key, "must be a whole number, got " + n->scalar), fallback;
    if (std::fabs(v) > 9007199254740992.0)
      return error(*n, key, "number " + quote(n->scalar) + " is too large"), fallback;
    if (!check_range(f, v, *n, key)) return fallback;
    return static_cast<int64_t>(v);
  }

  bool flag(const std::string& key) const {
    const FieldInfo& f = field(key);
    const Node* n = raw(key);
    if (!n) return f.default_number.value_or(0) != 0;
    bool b = false;
    std::string why;
    if (!to_bool(*n, b, why)) return error(*n, key, why), false;
    return b;
  }

  std::string str(const std::string& key) const {
    const FieldInfo& f = field(key);
    const Node* n = raw(key);
    if (!n) return {};
    if (!n->is_scalar())
      return error(*n, key, std::string("expected text, got ") + n->kind_name()), std::string();
    if (f.type == FieldType::kEnum) {
      for (const auto& c : f.choices)
        if (c == n->scalar) return n->scalar;
      std::string list;
      for (const auto& c : f.choices) list += (list.empty() ? "" : ", ") + c;
      const std::string near = closest_match(n->scalar, f.choices);
      error(*n, key,
            "must be one of " + list + ", got " + quote(n->scalar) +
                (near.empty() ? "" : " (did you mean '" + near + "'?)"));
      return {};
    }
    if ((f.type == FieldType::kId || f.type == FieldType::kRef) && n->scalar.empty())
      error(*n, key, "must not be empty");
    return n->scalar;
  }

  Obj object(const std::string& key) const {
    const FieldInfo& f = field(key);
    return Obj(raw(key), *f.object, child(key), ctx_, mark_);
  }

  // Elements of a list of mappings; the path of each names its id when it has one.
  std::vector<Obj> list(const std::string& key) const {
    const FieldInfo& f = field(key);
    std::vector<Obj> out;
    const Node* n = raw(key);
    if (!n) return out;
    if (!n->is_seq()) {
      error(*n, key, std::string("expected a list, got ") + n->kind_name());
      return out;
    }
    for (size_t i = 0; i < n->seq.size(); ++i) {
      const Node& e = n->seq[i];
      const std::string p = child(key) + "[" + element_label(e, i) + "]";
      if (!e.is_map()) {
        ctx_.error(
            e.mark, p,
            std::string("expected a mapping (") + f.object->name + "), got " + e.kind_name());
        continue;
      }
      out.emplace_back(&e, *f.object, p, ctx_, e.mark);
    }
    return out;
  }

  void error(const Node& n, const std::string& key, const std::string& msg) const {
    ctx_.error(n.mark, child(key), msg);
  }
  void error_here(const std::string& key, const std::string& msg) const {
    ctx_.error(mark_of(key), child(key), msg);
  }

  const FieldInfo& field(const std::string& key) const {
    const FieldInfo* f = info_.field(key);
    if (!f) throw std::logic_error("undeclared key '" + key + "' read from " + info_.name);
    return *f;
  }

 private:
  bool check_range(const FieldInfo& f, double v, const Node& n, const std::string& key) const {
    const bool low = f.min && (f.min_exclusive ? v <= *f.min : v < *f.min);
    const bool high = f.max && v > *f.max;
    if (low || high) {
      if (key == "pkrisk")
        error(n, key, "unknown format version " + n.scalar + ": this pkrisk reads version 1");
      else
        error(n, key, "must be " + f.range_text() + ", got " + n.scalar);
      return false;
    }
    return true;
  }

  const Node* node_;
  const ObjectInfo& info_;
  std::string path_;
  const Ctx& ctx_;
  Mark mark_;
};

// ids of one kind: unique, and resolved by references.
class IdTable {
 public:
  explicit IdTable(std::string kind) : kind_(std::move(kind)) {}
  void add(const Obj& o, const std::string& key = "id") {
    const std::string id = o.str(key);
    const int index = static_cast<int>(order_.size());
    order_.push_back(id);
    if (id.empty()) return;
    auto [it, fresh] = index_.emplace(id, index);
    if (!fresh)
      o.error_here(key, "duplicate " + kind_ + " id " + quote(id) + " (also element " +
                            std::to_string(it->second + 1) + ")");
  }
  // Index of the referenced element, or -1 (error reported).
  int resolve(const Obj& o, const std::string& key) const {
    const Node* n = o.raw(key);
    if (!n) return -1;
    if (!n->is_scalar()) {
      o.error(*n, key, std::string("expected the id of a ") + kind_ + ", got " + n->kind_name());
      return -1;
    }
    return resolve_node(o, key, *n);
  }
  int resolve_node(const Obj& o, const std::string& key, const Node& n) const {
    auto it = index_.find(n.scalar);
    if (it != index_.end()) return it->second;
    const std::string near = closest_match(n.scalar, order_);
    o.error(n, key,
            "unknown " + kind_ + " " + quote(n.scalar) +
                (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    return -1;
  }
  size_t size() const { return order_.size(); }

 private:
  std::string kind_;
  std::vector<std::string> order_;
  std::map<std::string, int> index_;
};

// An `ambush` block or an entry of `ambushes` (a distance hazard, §2.3).
AmbushThreat read_ambush(const Obj& o) {
  AmbushThreat a;
  a.per_km = o.num("per_1000km");
  a.p_hit = o.num("p_hit");
  a.p_kill_given_hit = o.num("p_kill_given_hit");
  a.halted_factor = o.num("halted_factor");
  return a;
}

void check_windows(const Obj& zone, std::vector<IntensityWindow>& windows, double horizon_hours,
                   const std::vector<Obj>& items) {
  for (size_t i = 0; i < windows.size(); ++i) {
    const auto& w = windows[i];
    if (w.to_hours <= w.from_hours)
      items[i].error_here("to_day", "must be after from_day (" + fmt_num(w.from_hours / 24) +
                                        "), got " + fmt_num(w.to_hours / 24));
    else if (horizon_hours > 0 && w.to_hours > horizon_hours + 1e-9)
      items[i].error_here("to_day", "window ends after the horizon (" +
                                        fmt_num(horizon_hours / 24) + " days), got " +
                                        fmt_num(w.to_hours / 24));
    if (i > 0 && w.from_hours < windows[i - 1].to_hours)
      items[i].error_here("from_day", "windows must be in order and not overlap: starts at day " +
                                          fmt_num(w.from_hours / 24) +
                                          ", before the previous window ends (day " +
                                          fmt_num(windows[i - 1].to_hours / 24) + ")");
  }
  (void)zone;
}

// Refuses, up front and with the numbers, a scenario whose replications
// would generate an absurd amount of work (a rate typed in the wrong unit,
// a schedule of every 1e-300 hours): it would otherwise run for hours.
void check_bounded_work(const Scenario& sc, const Node& root, const Ctx& ctx) {
  constexpr double kMaxEvents = 2e7;  // expected arrivals of one process in one replication
  const double h = sc.horizon_hours;
  auto refuse = [&](const std::string& path, const std::string& what, double expected) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", expected);
    ctx.error(root.mark, path,
              what + " would make about " + buf + " events in each replication (limit " +
                  fmt_num(kMaxEvents) + "): check the units of its rate");
  };
  int64_t people = 0;
  for (const auto& s : sc.sites) people += s.personnel;
  if (!sc.sites.empty() && people == 0)
    ctx.error(root.mark, "sites",
              "total personnel is 0: rates per 1,000 personnel-years need people");
  std::vector<double> km(sc.zones.size(), 0.0);
  for (const auto& r : sc.routes)
    for (const auto& g : r.segments)
      if (g.zone >= 0) km[g.zone] += g.length_km;
  for (size_t z = 0; z < sc.zones.size(); ++z) {
    const Zone& zone = sc.zones[z];
    double peak = 1;
    for (const auto& w : zone.intensity) peak = std::max(peak, w.factor);
    const std::string p = "zones[" + zone.id + "]";
    if (zone.ied && zone.ied->emplacement_per_km_hour * km[z] * h * peak > kMaxEvents)
      refuse(p + ".ied.emplacement_per_km_day", "IED emplacement",
             zone.ied->emplacement_per_km_hour * km[z] * h * peak);
    if (zone.mines && zone.mines->per_km * km[z] > kMaxEvents)
      refuse(p + ".mines.per_km", "the mine field", zone.mines->per_km * km[z]);
    if (zone.idf && zone.idf->per_site_hour * h * peak > kMaxEvents)
      refuse(p + ".idf.per_site_day", "indirect fire", zone.idf->per_site_hour * h * peak);
    if (zone.idf && zone.idf->mean_rounds > 1e5)
      refuse(p + ".idf.mean_rounds", "IDF rounds", zone.idf->mean_rounds);
    if (zone.vbied && zone.vbied->per_site_hour * h * peak > kMaxEvents)
      refuse(p + ".vbied.per_site_year", "VBIED attacks", zone.vbied->per_site_hour * h * peak);
  }
  for (const auto& m : sc.movements) {
    const double departures = m.schedule.kind == Schedule::Kind::kPoisson
                                  ? m.schedule.per_hour * h
                                  : (m.schedule.every_hours > 0 ? h / m.schedule.every_hours : 0);
    if (departures > kMaxEvents)
      refuse("movements[" + m.id + "].schedule", "the schedule", departures);
    if (m.route >= 0 && m.route < static_cast<int>(sc.routes.size())) {
      double per_km = 0;  // the highest total rate of distance hazards along the route
      for (const auto& g : sc.routes[m.route].segments) {
        if (g.zone < 0) continue;
        const Zone& zone = sc.zones[g.zone];
        double zone_per_km = zone.ambush ? zone.ambush->per_km : 0.0;
        for (const AmbushThreat& a : zone.ambushes) zone_per_km += a.per_km;
        per_km = std::max(per_km, zone_per_km);
      }
      const double km_driven = departures * sc.routes[m.route].length_km * (m.round_trip ? 2 : 1);
      if (per_km * km_driven > kMaxEvents)
        refuse("movements[" + m.id + "]", "ambushes on this movement", per_km * km_driven);
    }
  }
}

}  // namespace

std::optional<Scenario> build_scenario(const Node& root, Diagnostics& diags,
                                       const std::string& context) {
  const int errors_before = diags.error_count();
  Ctx ctx{diags, context};
  if (!root.is_map()) {
    ctx.error(
        root.mark, "",
        std::string("the top level of a scenario must be a mapping, got ") + root.kind_name());
    return std::nullopt;
  }
  Obj top(&root, scenario_spec(), "", ctx, root.mark);
  Scenario sc;
  (void)top.integer("pkrisk");

  const Obj head = top.object("scenario");
  sc.name = head.str("name");
  sc.description = head.str("description");
  sc.horizon_hours = head.num("horizon_days");
  sc.seed = static_cast<uint64_t>(head.integer("seed"));
  sc.replications = head.integer("replications");

  IdTable vt_ids("vehicle type");
  for (const Obj& v : top.list("vehicle_types")) {
    vt_ids.add(v);
    VehicleType t;
    t.id = v.str("id");
    t.seats = static_cast<int>(v.integer("seats"));
    const Obj b = v.object("blast");
    t.blast.p_kill = b.num("p_kill");
    t.blast.p_wound = b.num("p_wound");
    if (t.blast.p_kill + t.blast.p_wound > 1 + 1e-12)
      b.error_here("p_wound", "p_kill + p_wound must be <= 1, got " + fmt_num(t.blast.p_kill) +
                                  " + " + fmt_num(t.blast.p_wound) + " = " +
                                  fmt_num(t.blast.p_kill + t.blast.p_wound));
    t.ambush_exposure = v.num("ambush_exposure");
    t.cost_usd = v.num("cost_usd");
    sc.vehicle_types.push_back(std::move(t));
  }

  IdTable zone_ids("zone");
  for (const Obj& z : top.list("zones")) {
    zone_ids.add(z);
    Zone zone;
    zone.id = z.str("id");
    if (const Obj o = z.object("ied"); o.present()) {
      IedThreat t;
      t.emplacement_per_km_hour = o.num("emplacement_per_km_day");
      t.lifetime_hours = o.num("lifetime_days");
      const Obj mix = o.object("trigger_mix");
      t.trigger_mix = {mix.num("pressure"), mix.num("command"), mix.num("radio")};
      const double sum = t.trigger_mix[0] + t.trigger_mix[1] + t.trigger_mix[2];
      if (mix.present() && std::fabs(sum - 1.0) > 1e-9)
        ctx.error(mix.mark(), mix.path(), "shares must sum to 1, got " + fmt_num(sum));
      t.lead_share = o.num("lead_share");
      t.complex_share = o.num("complex_share");
      zone.ied = t;
    }
    if (const Obj o = z.object("mines"); o.present()) zone.mines = MineField{o.num("per_km")};
    if (const Obj o = z.object("ambush"); o.present()) zone.ambush = read_ambush(o);
    IdTable hazard_ids("ambush");
    for (const Obj& o : z.list("ambushes")) {
      hazard_ids.add(o);
      zone.ambushes.push_back(read_ambush(o));
      zone.ambushes.back().id = o.str("id");
      if (zone.ambush && zone.ambushes.back().id == zone.ambush->id)
        o.error_here("id", "the zone's `ambush` block is already the ambush named 'ambush'");
    }
    if (const Obj o = z.object("idf"); o.present())
      zone.idf = IdfThreat{o.num("per_site_day"), o.num("mean_rounds"), o.num("p_effective"),
                           o.num("casualties_per_round"), o.num("kill_share")};
    if (const Obj o = z.object("vbied"); o.present())
      zone.vbied = VbiedThreat{o.num("per_site_year"), o.num("casualties_stopped"),
                               o.num("casualties_breach"), o.num("kill_share")};
    const std::vector<Obj> windows = z.list("intensity");
    for (const Obj& w : windows)
      zone.intensity.push_back({w.num("from_day"), w.num("to_day"), w.num("factor")});
    if (zone.intensity.size() == windows.size())
      check_windows(z, zone.intensity, sc.horizon_hours, windows);
    sc.zones.push_back(std::move(zone));
  }

  IdTable site_ids("site");
  for (const Obj& s : top.list("sites")) {
    site_ids.add(s);
    Site site;
    site.id = s.str("id");
    site.zone = zone_ids.resolve(s, "zone");
    site.personnel = s.integer("personnel");
    const Obj p = s.object("protection");
    site.idf_exposure = p.num("idf_exposure");
    site.perimeter_stop = p.num("perimeter_stop");
    sc.sites.push_back(std::move(site));
  }

  IdTable route_ids("route");
  for (const Obj& r : top.list("routes")) {
    route_ids.add(r);
    Route route;
    route.id = r.str("id");
    route.from = site_ids.resolve(r, "from");
    route.to = site_ids.resolve(r, "to");
    const auto segs = r.list("segments");
    if (r.has("segments") && segs.empty() && r.raw("segments")->is_seq())
      r.error_here("segments", "a route needs at least one segment");
    for (const Obj& g : segs) {
      Segment seg{zone_ids.resolve(g, "zone"), g.num("length_km")};
      route.length_km += seg.length_km;
      route.segments.push_back(seg);
    }
    sc.routes.push_back(std::move(route));
  }

  IdTable movement_ids("movement");
  for (const Obj& m : top.list("movements")) {
    movement_ids.add(m);
    Movement mv;
    mv.id = m.str("id");
    mv.kind = m.str("kind") == "patrol" ? Movement::Kind::kPatrol : Movement::Kind::kConvoy;
    mv.route = route_ids.resolve(m, "route");
    const Obj s = m.object("schedule");
    if (s.present()) {
      const bool periodic = s.has("every_hours");
      const bool poisson = s.has("poisson_per_day");
      if (periodic == poisson)
        ctx.error(s.mark(), s.path(),
                  periodic ? "give either every_hours or poisson_per_day, not both"
                           : "needs every_hours (periodic) or poisson_per_day (Poisson)");
      if (poisson && (s.has("first_hour") || s.has("jitter_hours")))
        s.error_here(s.has("first_hour") ? "first_hour" : "jitter_hours",
                     "applies to periodic schedules only (every_hours)");
      mv.schedule.kind = poisson ? Schedule::Kind::kPoisson : Schedule::Kind::kPeriodic;
      mv.schedule.every_hours = s.num("every_hours");
      mv.schedule.first_hour = s.num("first_hour");
      mv.schedule.jitter_hours = s.num("jitter_hours");
      mv.schedule.per_hour = s.num("poisson_per_day");
    }
    mv.speed_kmh = m.num("speed_kmh");
    mv.round_trip = m.flag("round_trip");
    const auto groups = m.list("vehicles");
    if (m.has("vehicles") && groups.empty() && m.raw("vehicles")->is_seq())
      m.error_here("vehicles", "a movement needs at least one vehicle group");
    for (const Obj& g : groups) {
      VehicleGroup vg;
      vg.type = vt_ids.resolve(g, "type");
      vg.count = g.integer("count");
      vg.crew = static_cast<int>(g.integer("crew"));
      if (vg.type >= 0 && vg.type < static_cast<int>(sc.vehicle_types.size()) &&
          vg.crew > sc.vehicle_types[vg.type].seats)
        g.error_here("crew", "crew " + std::to_string(vg.crew) + " is more than the " +
                                 std::to_string(sc.vehicle_types[vg.type].seats) +
                                 " seats of vehicle type '" + sc.vehicle_types[vg.type].id + "'");
      mv.vehicles.push_back(vg);
    }
    const Obj c = m.object("c_ied");
    mv.c_ied =
        CIed{c.num("trained_fraction"), c.num("p_detect_trained"), c.num("p_detect_untrained")};
    if (const Obj o = m.object("route_clearance"); o.present())
      mv.route_clearance = RouteClearance{o.num("p_find"), o.num("speed_kmh")};
    if (const Obj o = m.object("jammer"); o.present()) mv.jammer = Jammer{o.num("p_defeat")};
    mv.eod_delay_hours = m.num("eod_delay_hours");
    mv.halt_hours = m.num("halt_hours");
    sc.movements.push_back(std::move(mv));
  }

  if (const Obj u = top.object("uav"); u.present()) {
    Uav uav;
    uav.aircraft = u.integer("aircraft");
    uav.availability = u.num("availability");
    uav.weather_grounding = u.num("weather_grounding");
    if (const Obj o = u.object("overwatch"); o.present())
      uav.overwatch = UavOverwatch{o.num("p_detect_ied"), o.num("p_warn")};
    if (const Obj a = u.object("area"); a.present()) {
      UavArea area;
      if (const Node* zl = a.raw("zones")) {
        if (!zl->is_seq()) {
          a.error(*zl, "zones", std::string("expected a list of zone ids, got ") + zl->kind_name());
        } else {
          std::set<int> seen;
          for (const Node& zn : zl->seq) {
            if (!zn.is_scalar()) {
              a.error(zn, "zones", std::string("expected a zone id, got ") + zn.kind_name());
              continue;
            }
            const int z = zone_ids.resolve_node(a, "zones", zn);
            if (z >= 0 && !seen.insert(z).second)
              a.error(zn, "zones", "zone " + quote(zn.scalar) + " listed twice");
            else if (z >= 0)
              area.zones.push_back(z);
          }
        }
      }
      area.km_per_aircraft = a.num("km_per_aircraft");
      area.p_observe = a.num("p_observe");
      area.deterrence = a.num("deterrence");
      uav.area = area;
    }
    sc.uav = uav;
  }

  if (const Obj m = top.object("medevac"); m.present()) {
    Medevac md;
    md.helicopters = m.integer("helicopters");
    md.dispatch_hours = m.num("dispatch_hours");
    md.flight_hours = m.num("flight_hours");
    md.flight_sd_hours = m.num("flight_sd_hours");
    md.night_flying = m.flag("night_flying");
    md.max_wait_hours = m.num("max_wait_hours");
    md.ground_evac_hours = m.num("ground_evac_hours");
    if (const Node* curve = m.raw("dow_curve")) {
      if (!curve->is_seq() || curve->seq.empty()) {
        m.error(*curve, "dow_curve", "expected a non-empty list of [hours, probability] pairs");
      } else {
        for (size_t i = 0; i < curve->seq.size(); ++i) {
          const Node& pt = curve->seq[i];
          const std::string p = "dow_curve[" + std::to_string(i) + "]";
          if (!pt.is_seq() || pt.seq.size() != 2) {
            ctx.error(pt.mark, m.child(p), "expected a pair [hours, probability]");
            continue;
          }
          double h = 0, pr = 0;
          std::string why;
          if (!to_number(pt.seq[0], h, why)) {
            ctx.error(pt.seq[0].mark, m.child(p), why);
            continue;
          }
          if (!to_number(pt.seq[1], pr, why)) {
            ctx.error(pt.seq[1].mark, m.child(p), why);
            continue;
          }
          if (h < 0)
            ctx.error(pt.seq[0].mark, m.child(p), "hours must be >= 0, got " + pt.seq[0].scalar);
          if (pr < 0 || pr > 1)
            ctx.error(pt.seq[1].mark, m.child(p),
                      "probability must be in [0, 1], got " + pt.seq[1].scalar);
          if (!md.dow_curve.empty() && h <= md.dow_curve.back().first)
            ctx.error(pt.seq[0].mark, m.child(p),
                      "hours must be strictly increasing: " + pt.seq[0].scalar + " after " +
                          fmt_num(md.dow_curve.back().first));
          md.dow_curve.emplace_back(h, pr);
        }
      }
    }
    sc.medevac = md;
  }

  if (const Obj a = top.object("acceptance"); a.present()) {
    const Obj f = a.object("fatalities_per_1000py");
    sc.acceptance = Acceptance{f.num("max"), f.num("confidence"), std::nullopt};
    if (f.has("max_exceedance_probability"))
      sc.acceptance->max_exceedance_probability = f.num("max_exceedance_probability");
  }

  // arms and sweep are read by load_scenario; here they only have to be known keys.
  (void)top.raw("arms");
  (void)top.raw("sweep");

  if (diags.error_count() > errors_before) return std::nullopt;
  check_bounded_work(sc, root, ctx);
  if (diags.error_count() > errors_before) return std::nullopt;
  return sc;
}

namespace {

// Applies an arm's overrides to a copy of `tree` and builds it.
std::optional<Scenario> build_arm(const Node& tree, const Arm& arm, Diagnostics& diags,
                                  const std::string& context) {
  Node copy = tree;
  bool ok = true;
  if (arm.overrides.is_map())
    for (const auto& e : arm.overrides.map)
      ok = apply_override(copy, e.key, e.value, e.key_mark,
                          context + "arms[" + arm.name + "].overrides", diags) &&
           ok;
  if (!ok) return std::nullopt;
  return build_scenario(copy, diags, context + "arms[" + arm.name + "]: ");
}

// Replaces the tree's vehicle_types with the catalogue's, then the file's own
// entries (same id: replaced in place; new id: appended). Returns the
// catalogue's bytes (for the provenance hash), or nullopt on errors.
std::optional<std::string> merge_catalogue(Node& tree, Diagnostics& diags) {
  if (!tree.is_map()) return std::string();
  const MapEntry* entry = tree.find_entry("vehicle_catalogue");
  if (!entry || entry->value.is_null()) {
    if (!tree.find("vehicle_types") || tree.find("vehicle_types")->is_null())
      diags.error(
          tree.mark, "vehicle_types",
          "missing required key 'vehicle_types' (or a vehicle_catalogue that provides them)");
    return std::string();
  }
  if (!entry->value.is_scalar()) {
    diags.error(entry->value.mark, "vehicle_catalogue", "expected a file name");
    return std::nullopt;
  }
  std::string path = entry->value.scalar;
  const std::string& self = diags.file();
  if (!path.empty() && path[0] != '/' && self.find('/') != std::string::npos)
    path = self.substr(0, self.rfind('/') + 1) + path;
  Diagnostics cat_diags(path);
  Node cat;
  std::string bytes;
  if (parse_yaml_file(path, cat, cat_diags)) {
    const Ctx ctx{cat_diags, ""};
    if (!cat.is_map()) {
      ctx.error(cat.mark, "", "a vehicle catalogue must be a mapping with vehicle_types");
    } else {
      const Obj top(&cat, catalogue_spec(), "", ctx, cat.mark);
      IdTable ids("vehicle type");
      for (const Obj& v : top.list("vehicle_types")) {
        ids.add(v);
        (void)v.integer("seats"), (void)v.num("ambush_exposure"), (void)v.num("cost_usd");
        const Obj b = v.object("blast");
        if (b.num("p_kill") + b.num("p_wound") > 1 + 1e-12)
          b.error_here("p_wound", "p_kill + p_wound must be <= 1");
      }
    }
    std::ifstream f(path, std::ios::binary);
    bytes.assign((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }
  if (cat_diags.has_errors()) {
    diags.append(cat_diags);
    diags.error(entry->value.mark, "vehicle_catalogue",
                "the catalogue " + path + " has errors (above)");
    return std::nullopt;
  }
  Node merged = *cat.find("vehicle_types");
  if (Node* own = tree.find("vehicle_types"); own && own->is_seq()) {
    for (Node& e : own->seq) {
      const Node* id = e.is_map() ? e.find("id") : nullptr;
      bool replaced = false;
      for (Node& c : merged.seq) {
        const Node* cid = c.find("id");
        if (id && cid && id->scalar == cid->scalar) c = e, replaced = true;
      }
      if (!replaced) merged.seq.push_back(e);
    }
    *own = std::move(merged);
  } else if (own) {
    return std::string();  // not a list: build_scenario reports it
  } else {
    tree.map.push_back(MapEntry{"vehicle_types", entry->key_mark, std::move(merged)});
  }
  return bytes;
}

std::optional<LoadedScenario> load_tree(Node tree, std::string sha, Diagnostics& diags) {
  const std::optional<std::string> catalogue = merge_catalogue(tree, diags);
  if (!catalogue) return std::nullopt;
  if (!catalogue->empty()) sha = sha256_hex(sha + sha256_hex(*catalogue));
  std::optional<Scenario> base = build_scenario(tree, diags);
  const Ctx ctx{diags, ""};
  LoadedScenario out;
  out.file = diags.file();
  out.sha256 = sha;
  if (!tree.is_map()) return std::nullopt;

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
        arm.cost_usd = a.num("cost_usd");
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
      sw.parameters.push_back(std::move(par));
    }
    if (s.has("parameters") && sw.parameters.empty())
      s.error_here("parameters", "a sweep needs at least one parameter");
    out.sweep = std::move(sw);
  }

  if (!base || diags.has_errors()) return std::nullopt;

  // Every sweep parameter must select something, and each of its values (the
  // range's ends) must make a valid scenario on its own.
  if (out.sweep) {
    for (size_t i = 0; i < out.sweep->parameters.size(); ++i) {
      const SweepParameter& par = out.sweep->parameters[i];
      std::vector<Node> probes;
      for (size_t v = 0; v < par.values.size() && v < 100; ++v) probes.push_back(par.values[v]);
      if (par.range) {
        for (double x : {par.range->from, par.range->to}) {
          Node n;
          n.kind = Node::Kind::kScalar;
          n.mark = par.mark;
          std::ostringstream o;
          o.precision(17);
          o << x;
          n.scalar = o.str();
          probes.push_back(n);
        }
      }
      const std::string where = "sweep.parameters[" + std::to_string(i) + "]";
      for (const Node& probe : probes) {
        Node copy = tree;
        if (!apply_override(copy, par.path, probe, par.mark, where, diags)) break;
        if (!build_scenario(copy, diags, where + " = " + probe.scalar + ": ")) break;
      }
    }
    if (diags.has_errors()) return std::nullopt;
  }

  if (!base->medevac)
    diags.warning(tree.mark, "medevac",
                  "no medevac block: deaths of wounds are not modelled, all wounded count as WIA");
  out.arms.push_back(Arm{"baseline", 0, std::move(*base), Node{}});

  for (auto& [arm, ov] : arms) {
    if (ov) arm.overrides = *ov;
    std::optional<Scenario> s = build_arm(tree, arm, diags, "");
    if (!s) continue;
    arm.scenario = std::move(*s);
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
  for (const auto& p : point)
    apply_override(tree, p.path, p.value, p.value.mark, context + "sweep", diags);
  if (diags.error_count() > before) return std::nullopt;
  std::vector<Arm> arms;
  std::optional<Scenario> base = build_scenario(tree, diags, context);
  if (!base) return std::nullopt;
  arms.push_back(Arm{"baseline", 0, std::move(*base), Node{}});
  for (size_t i = 1; i < ls.arms.size(); ++i) {
    std::optional<Scenario> s = build_arm(tree, ls.arms[i], diags, context);
    if (!s) continue;
    Arm a = ls.arms[i];
    a.scenario = std::move(*s);
    arms.push_back(std::move(a));
  }
  if (diags.error_count() > before) return std::nullopt;
  return arms;
}

std::optional<LoadedScenario> load_scenario_text(const std::string& text, Diagnostics& diags) {
  Node tree;
  if (!parse_yaml(text, tree, diags)) return std::nullopt;
  return load_tree(std::move(tree), sha256_hex(text), diags);
}

std::optional<LoadedScenario> load_scenario(const std::string& file, Diagnostics& diags) {
  Node tree;
  if (!parse_yaml_file(file, tree, diags)) return std::nullopt;
  std::ifstream f(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return load_tree(std::move(tree), sha256_hex(bytes), diags);
}

}  // namespace pk
