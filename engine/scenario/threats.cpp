// The threat types of docs/model.md §2, each declared once: the keys of its
// zone block, how they are read, its name, label and colour, and for threats
// on sites the rules the tables, checks and work limits use.
#include "scenario/threats.hpp"

#include <algorithm>
#include <cmath>

#include "scenario/object_reader.hpp"
#include "scenario/spec_builder.hpp"

namespace pk {

namespace {

using spec_builder::F;
using spec_builder::kPerDay;
using spec_builder::kPerYear;
using spec_builder::T;

// ---- the keys of each block

const ObjectInfo& trigger_mix_spec() {
  static const ObjectInfo o{
      "trigger mix",
      "Shares of IED trigger types; they sum to 1.",
      {F("pressure", T::kNumber, "victim-operated: the lead vehicle is struck with lead_share")
           .prob()
           .def(0),
       F("command", T::kNumber, "command-wire: a vehicle drawn uniformly is struck").prob().def(0),
       F("radio", T::kNumber, "radio-controlled: can be defeated by a jammer").prob().def(0)}};
  return o;
}

const ObjectInfo& hours_weight_spec() {
  static const ObjectInfo o{
      "hours of the day",
      "A weight on a threat's rate over [from_hour, to_hour) of every day (docs/model.md §2.6).",
      {spec_builder::from_hour_key("start, hour of the day"),
       spec_builder::to_hour_key("end, hour of the day (after from_hour)"),
       F("weight", T::kNumber, "the relative rate in these hours; 1 in hours no window lists")
           .ge(0)
           .le(1000)
           .req()}};
  return o;
}

// The `time_of_day` key every timed threat shares.
FieldInfo time_of_day_key(const char* what) {
  return F("time_of_day", T::kObjectList,
           std::string("when in the day ") + what +
               " happen: relative weights by hour, rescaled to a daily mean of 1, so that they "
               "move arrivals within the day without changing how many there are "
               "(docs/model.md §2.6)")
      .obj(hours_weight_spec())
      .absent("the same rate at every hour");
}

const ObjectInfo& ied_spec() {
  static const ObjectInfo o{
      "ied",
      "Roadside IEDs emplaced on the routes of the zone (docs/model.md §2.1).",
      {F("emplacement_per_km_day", T::kNumber, "IEDs emplaced per km of route in the zone per day")
           .unit("per km per day", kPerDay)
           .ge(0)
           .le(100)
           .req(),
       F("lifetime_days", T::kNumber, "mean lifetime of an IED (exponential)")
           .unit("days", kHoursPerDay)
           .gt(0)
           .le(36500)
           .req(),
       F("trigger_mix", T::kObject, "shares of trigger types").obj(trigger_mix_spec()).req(),
       F("lead_share", T::kNumber, "share of pressure IEDs that hit the lead vehicle")
           .prob()
           .def(1),
       F("complex_share", T::kNumber, "share of strikes that open an ambush on the halted movement")
           .prob()
           .def(0),
       time_of_day_key("emplacements")}};
  return o;
}

const ObjectInfo& mines_spec() {
  static const ObjectInfo o{
      "mines",
      "Mines on the routes of the zone: a stock at t = 0 and, optionally, ongoing laying with "
      "a lifetime, as IEDs have (docs/model.md §2.2).",
      {F("per_km", T::kNumber, "mines per km of route in the zone at t = 0 (Poisson count)")
           .unit("per km")
           .ge(0)
           .le(100)
           .absent("with laying, the steady state laying / (1/lifetime + passages per hour) of "
                   "each route (model §2.2), else 0"),
       F("laying_per_km_day", T::kNumber,
         "mines laid per km of route in the zone per day, scaled by the zone's intensity")
           .unit("per km per day", kPerDay)
           .ge(0)
           .le(100)
           .def(0),
       F("lifetime_days", T::kNumber,
         "mean time a mine stays live (exponential); required with laying")
           .unit("days", kHoursPerDay)
           .gt(0)
           .le(36500)
           .absent("mines never expire"),
       time_of_day_key("mines laid")}};
  return o;
}

const ObjectInfo& ambush_spec() {
  static const ObjectInfo o{
      "ambush",
      "Direct-fire ambushes on movements in the zone (docs/model.md §2.3).",
      {F("per_1000km", T::kNumber, "ambushes per 1,000 km travelled in the zone")
           .unit("per 1000 km", 1.0 / 1000.0)
           .ge(0)
           .le(100000)
           .req(),
       F("p_hit", T::kNumber, "probability each occupant is hit (times ambush_exposure)")
           .prob()
           .req(),
       F("p_kill_given_hit", T::kNumber, "probability a hit is fatal; otherwise wounded")
           .prob()
           .req(),
       F("halted_factor", T::kNumber, "multiplies p_hit when the movement is halted")
           .ge(0)
           .le(100)
           .def(1),
       F("kill_zone_m", T::kNumber,
         "length of road the ambush covers with fire; with a movement's spacing_m only the "
         "vehicles inside it are exposed (docs/model.md §2.3)")
           .unit("m")
           .gt(0)
           .le(100000)
           .absent("every vehicle of the movement is exposed"),
       time_of_day_key("ambushes")}};
  return o;
}

// An entry of `ambushes`: an ambush block with a name.
const ObjectInfo& named_ambush_spec() {
  static const ObjectInfo o = [] {
    ObjectInfo info{"named ambush",
                    "A further distance hazard on movements in the zone: ambushes of their own "
                    "kind, independent of the others (docs/model.md §2.3).",
                    {F("id", T::kId,
                       "the hazard's name, unique in the zone; the same name in another zone is "
                       "the same hazard there")
                         .req()}};
    for (const FieldInfo& f : ambush_spec().fields) info.fields.push_back(f);
    return info;
  }();
  return o;
}

const ObjectInfo& idf_spec() {
  static const ObjectInfo o{
      "idf",
      "Indirect fire (rockets, mortars) on the sites of the zone (docs/model.md §2.4).",
      {F("per_site_day", T::kNumber, "attacks per site per day")
           .unit("per site per day", kPerDay)
           .ge(0)
           .le(1000)
           .req(),
       F("mean_rounds", T::kNumber,
         "mean rounds per attack: 1 + Poisson(mean_rounds - 1); below 1 means one round")
           .ge(0)
           .le(1000)
           .def(1),
       F("p_effective", T::kNumber, "probability a round is effective").prob().req(),
       F("casualties_per_round", T::kNumber,
         "mean casualties per effective round (Poisson), times site idf_exposure; at most the "
         "personnel of each site of the zone")
           .ge(0)
           .le(10000)
           .req(),
       F("kill_share", T::kNumber, "share of casualties killed; the rest wounded").prob().req(),
       time_of_day_key("attacks")}};
  return o;
}

const ObjectInfo& vbied_spec() {
  static const ObjectInfo o{
      "vbied",
      "Vehicle-borne and suicide attacks on the sites of the zone (docs/model.md §2.5).",
      {F("per_site_year", T::kNumber, "attacks per site per year")
           .unit("per site per year", kPerYear)
           .ge(0)
           .le(100000)
           .req(),
       F("casualties_stopped", T::kNumber,
         "mean casualties when stopped at the perimeter (Poisson); at most the personnel of each "
         "site of the zone")
           .ge(0)
           .le(100000)
           .req(),
       F("casualties_breach", T::kNumber,
         "mean casualties when the perimeter is breached (Poisson); at most the personnel of each "
         "site of the zone")
           .ge(0)
           .le(100000)
           .req(),
       F("kill_share", T::kNumber, "share of casualties killed; the rest wounded").prob().req(),
       time_of_day_key("attacks")}};
  return o;
}

const ObjectInfo& road_accidents_spec() {
  static const ObjectInfo o{
      "road accidents",
      "Crashes of vehicles driving in the zone: a Poisson process in vehicle-km, not scaled by "
      "the zone's intensity or the year effect (docs/model.md §2.8).",
      {F("per_million_vehicle_km", T::kNumber,
         "crashes per million vehicle-km driven in the zone, for a vehicle of accident_factor 1 in "
         "daylight (the road class: paved, laterite, track)")
           .unit("per million vehicle-km", 1e-6)
           .ge(0)
           .le(10000)
           .req(),
       F("night_factor", T::kNumber, "multiplies the rate outside 06:00-18:00")
           .ge(0)
           .le(100)
           .def(1),
       F("p_kill", T::kNumber, "probability each occupant of the crashed vehicle is killed")
           .prob()
           .req(),
       F("p_wound", T::kNumber,
         "probability each occupant is injured (and goes through MEDEVAC like the wounded); "
         "p_kill + p_wound <= 1")
           .prob()
           .req()}};
  return o;
}

const ObjectInfo& illness_spec() {
  static const ObjectInfo o{
      "illness",
      "Serious illness among the personnel of the zone's sites (docs/model.md §2.8).",
      {F("per_1000_person_years", T::kNumber,
         "serious cases per 1,000 personnel-years of the zone's sites (Poisson)")
           .unit("per 1000 person-years", kPerYear / 1000)
           .ge(0)
           .le(1e6)
           .req(),
       F("case_fatality", T::kNumber, "probability a serious case dies").prob().req(),
       F("evacuated_share", T::kNumber,
         "share of the cases evacuated to the Role 2 by MEDEVAC as one-patient requests, whose "
         "case fatality then depends on their time to care (docs/model.md §2.8)")
           .prob()
           .def(0),
       F("case_fatality_at_hours", T::kNumber,
         "the time to care at which case_fatality was observed: an evacuated case dies with "
         "case_fatality x dow_curve(time to care) / dow_curve(this); required with "
         "evacuated_share")
           .unit("hours")
           .ge(0)
           .le(8760)
           .absent("required when evacuated_share is above 0")}};
  return o;
}

// ---- reading

// A block's `time_of_day` windows: each after the one before it, and some hour
// of the day with a weight above 0.
DailyProfile read_time_of_day(const Obj& block) {
  DailyProfile p;
  const std::vector<Obj> windows = block.list("time_of_day");
  for (const Obj& w : windows) {
    DailyProfile::Window x{w.num("from_hour"), w.num("to_hour"), w.num("weight")};
    if (x.to_hour <= x.from_hour) {
      w.error_here("to_hour", "must be after from_hour (" + fmt_num(x.from_hour) +
                                  "); a window does not run past midnight");
      continue;
    }
    if (!p.windows.empty() && x.from_hour < p.windows.back().to_hour) {
      w.error_here("from_hour",
                   "overlaps the window before it or comes before it (windows in "
                   "order of the hour, ending at " +
                       fmt_num(p.windows.back().to_hour) + ")");
      continue;
    }
    p.windows.push_back(x);
  }
  p.settle();
  if (!(p.mean > 0))
    block.error_here("time_of_day",
                     "every hour of the day has weight 0: no arrival could "
                     "happen (give the rate 0 instead)");
  return p;
}

void read_ied(const Obj& z, Zone& zone) {
  const Obj o = z.object("ied");
  if (!o.present()) return;
  IedThreat t;
  t.emplacement_per_km_hour = o.num("emplacement_per_km_day");
  t.lifetime_hours = o.num("lifetime_days");
  const Obj mix = o.object("trigger_mix");
  t.trigger_mix = {mix.num("pressure"), mix.num("command"), mix.num("radio")};
  const double sum = t.trigger_mix[0] + t.trigger_mix[1] + t.trigger_mix[2];
  if (mix.present() && std::fabs(sum - 1.0) > 1e-9)
    o.error_here("trigger_mix", "shares must sum to 1, got " + fmt_num(sum));
  t.lead_share = o.num("lead_share");
  t.complex_share = o.num("complex_share");
  t.time_of_day = read_time_of_day(o);
  zone.ied = t;
}

// A `mines` block (§2.2): with laying, a lifetime is required (without one the
// stock would grow all year and the annual rate would depend on the horizon),
// and the stock at t = 0 defaults to the steady state laying × lifetime.
void read_mines(const Obj& z, Zone& zone) {
  const Obj o = z.object("mines");
  if (!o.present()) return;
  MineField m;
  m.laying_per_km_hour = o.num("laying_per_km_day");
  m.lifetime_hours = o.num("lifetime_days");
  if (m.laying_per_km_hour > 0 && !o.has("lifetime_days"))
    o.error_here("lifetime_days",
                 "mines laid on need a lifetime (days), or the stock grows without bound");
  if (!o.has("per_km") && !o.has("laying_per_km_day"))
    o.error_here("per_km", "a mines block needs per_km (a stock) or laying_per_km_day");
  m.per_km = o.num("per_km");
  m.steady_stock = !o.has("per_km") && m.laying_per_km_hour > 0 && m.lifetime_hours > 0;
  m.time_of_day = read_time_of_day(o);
  zone.mines = m;
}

// An `ambush` block or an entry of `ambushes` (a distance hazard, §2.3).
AmbushThreat read_one_ambush(const Obj& o) {
  AmbushThreat a;
  a.per_km = o.num("per_1000km");
  a.p_hit = o.num("p_hit");
  a.p_kill_given_hit = o.num("p_kill_given_hit");
  a.halted_factor = o.num("halted_factor");
  a.kill_zone_m = o.num("kill_zone_m");  // 0 when absent
  a.time_of_day = read_time_of_day(o);
  return a;
}

void read_ambushes(const Obj& z, Zone& zone) {
  if (const Obj o = z.object("ambush"); o.present()) zone.ambush = read_one_ambush(o);
  IdTable hazard_ids("ambush");
  for (const Obj& o : z.list("ambushes")) {
    hazard_ids.add(o);
    zone.ambushes.push_back(read_one_ambush(o));
    zone.ambushes.back().id = o.str("id");
    if (zone.ambush && zone.ambushes.back().id == zone.ambush->id)
      o.error_here("id", "the zone's `ambush` block is already the ambush named 'ambush'");
  }
}

void read_idf(const Obj& z, Zone& zone) {
  if (const Obj o = z.object("idf"); o.present())
    zone.idf = IdfThreat{o.num("per_site_day"),         o.num("mean_rounds"), o.num("p_effective"),
                         o.num("casualties_per_round"), o.num("kill_share"),  read_time_of_day(o)};
}

void read_vbied(const Obj& z, Zone& zone) {
  if (const Obj o = z.object("vbied"); o.present())
    zone.vbied = VbiedThreat{o.num("per_site_year"), o.num("casualties_stopped"),
                             o.num("casualties_breach"), o.num("kill_share"), read_time_of_day(o)};
}

void read_road_accidents(const Obj& z, Zone& zone) {
  const Obj o = z.object("road_accidents");
  if (!o.present()) return;
  RoadAccidents r{o.num("per_million_vehicle_km"), o.num("night_factor"), o.num("p_kill"),
                  o.num("p_wound")};
  if (r.p_kill + r.p_wound > 1 + 1e-12)
    o.error_here("p_wound", "p_kill + p_wound must be <= 1, got " + fmt_num(r.p_kill) + " + " +
                                fmt_num(r.p_wound) + " = " + fmt_num(r.p_kill + r.p_wound));
  zone.road_accidents = r;
}

void read_illness(const Obj& z, Zone& zone) {
  const Obj o = z.object("illness");
  if (!o.present()) return;
  Illness ill{o.num("per_1000_person_years"), o.num("case_fatality"), o.num("evacuated_share")};
  if (o.has("case_fatality_at_hours")) {
    ill.case_fatality_at_hours = o.num("case_fatality_at_hours");
  } else if (ill.evacuated_share > 0) {
    o.error_here("evacuated_share",
                 "needs case_fatality_at_hours: the time to care at which case_fatality was "
                 "observed, against which an evacuated case's time to care is weighed");
  }
  zone.illness = ill;
}

// ---- threats on sites (§2.4, §2.5)

std::string exceed_people(const Site& s) {
  return "exceed the " + std::to_string(s.personnel) + " personnel of site '" + s.id + "'";
}

constexpr SiteThreatRules kIdfRules{
    "per_site_day",
    "indirect fire",
    "indirect-fire attacks on sites",
    [](const Zone& z) { return z.idf ? z.idf->per_site_hour : 0.0; },
    [](const Zone& z) -> const DailyProfile& { return z.idf->time_of_day; },
    [](const Zone& z, const Site& s) {
      std::vector<SiteFinding> out;
      const double per_round = z.idf->casualties_per_round * s.idf_exposure;
      if (per_round > static_cast<double>(s.personnel))
        out.push_back({"idf.casualties_per_round",
                       "mean casualties of one round (" + fmt_num(z.idf->casualties_per_round) +
                           " x idf_exposure " + fmt_num(s.idf_exposure) + " = " +
                           fmt_num(per_round) + ") " + exceed_people(s)});
      return out;
    },
    [](const Zone& z, const Site& s) {
      const IdfThreat& idf = *z.idf;
      const double rounds = std::max(1.0, idf.mean_rounds);
      const double per_round = 2 + idf.p_effective * idf.casualties_per_round * s.idf_exposure;
      SiteLoad load{2 + rounds * per_round, {}};
      if (rounds * per_round > 1000)
        load.heavy_key =
            rounds > idf.casualties_per_round ? "idf.mean_rounds" : "idf.casualties_per_round";
      return load;
    },
    [](const Zone& z, const Site& s) {
      const IdfThreat& idf = *z.idf;
      const double n = std::max(1.0, idf.mean_rounds) * idf.p_effective * idf.casualties_per_round *
                       s.idf_exposure;
      return MeanCasualties{n * idf.kill_share, n * (1 - idf.kill_share)};
    }};

constexpr SiteThreatRules kVbiedRules{
    "per_site_year",
    "VBIED attacks",
    "vehicle-borne or suicide attacks on sites",
    [](const Zone& z) { return z.vbied ? z.vbied->per_site_hour : 0.0; },
    [](const Zone& z) -> const DailyProfile& { return z.vbied->time_of_day; },
    [](const Zone& z, const Site& s) {
      std::vector<SiteFinding> out;
      for (const bool breach : {false, true}) {
        const double mean = breach ? z.vbied->casualties_breach : z.vbied->casualties_stopped;
        if (mean > static_cast<double>(s.personnel))
          out.push_back(
              {breach ? "vbied.casualties_breach" : "vbied.casualties_stopped",
               "mean casualties of one attack (" + fmt_num(mean) + ") " + exceed_people(s)});
      }
      return out;
    },
    [](const Zone& z, const Site&) {
      const VbiedThreat& vb = *z.vbied;
      const double casualties = std::max(vb.casualties_stopped, vb.casualties_breach);
      SiteLoad load{3 + casualties, {}};
      if (casualties > 1000)
        load.heavy_key = vb.casualties_breach >= vb.casualties_stopped ? "vbied.casualties_breach"
                                                                       : "vbied.casualties_stopped";
      return load;
    },
    [](const Zone& z, const Site& s) {
      const VbiedThreat& vb = *z.vbied;
      const double n =
          s.perimeter_stop * vb.casualties_stopped + (1 - s.perimeter_stop) * vb.casualties_breach;
      return MeanCasualties{n * vb.kill_share, n * (1 - vb.kill_share)};
    }};

// ---- the list

constexpr std::array<ThreatType, kCauseCount> kThreatTypes = {{
    {Cause::kIed, "ied", "IED", "roadside improvised explosive devices on routes (§2.1)", "#D55E00",
     [] {
       return std::vector<FieldInfo>{
           F("ied", T::kObject, "roadside IEDs").obj(ied_spec()).absent("no IEDs")};
     },
     read_ied, [](const Zone& z) { return z.ied.has_value(); }},
    {Cause::kMine, "mine", "mine", "mines laid on routes (§2.2)", "#E69F00",
     [] {
       return std::vector<FieldInfo>{
           F("mines", T::kObject, "mines: a stock at t = 0, optionally laid on")
               .obj(mines_spec())
               .absent("no mines")};
     },
     read_mines, [](const Zone& z) { return z.mines.has_value(); }},
    {Cause::kAmbush, "ambush", "ambush", "direct-fire ambushes on movements (§2.3)", "#CC79A7",
     [] {
       return std::vector<FieldInfo>{
           F("ambush", T::kObject, "ambushes on movements (the distance hazard named 'ambush')")
               .obj(ambush_spec())
               .absent("no ambushes"),
           F("ambushes", T::kObjectList,
             "further distance hazards on movements, each with its own id; they add to `ambush`")
               .obj(named_ambush_spec())
               .absent("none")};
     },
     read_ambushes, [](const Zone& z) { return z.ambush.has_value() || !z.ambushes.empty(); }},
    {Cause::kIdf, "idf", "indirect fire", "rockets and mortars on sites (§2.4)", "#0072B2",
     [] {
       return std::vector<FieldInfo>{F("idf", T::kObject, "indirect fire on sites")
                                         .obj(idf_spec())
                                         .absent("no indirect fire")};
     },
     read_idf, [](const Zone& z) { return z.idf.has_value(); }, &kIdfRules},
    {Cause::kVbied, "vbied", "VBIED", "vehicle-borne and suicide attacks on sites (§2.5)",
     "#009E73",
     [] {
       return std::vector<FieldInfo>{F("vbied", T::kObject, "vehicle-borne attacks on sites")
                                         .obj(vbied_spec())
                                         .absent("no VBIEDs")};
     },
     read_vbied, [](const Zone& z) { return z.vbied.has_value(); }, &kVbiedRules},
    {Cause::kRoadAccident, "road_accident", "road accident",
     "crashes of vehicles on the routes (§2.8)", "#56B4E9",
     [] {
       return std::vector<FieldInfo>{
           F("road_accidents", T::kObject, "road accidents of vehicles driving in the zone")
               .obj(road_accidents_spec())
               .absent("no road accidents")};
     },
     read_road_accidents, [](const Zone& z) { return z.road_accidents.has_value(); }, nullptr,
     false},
    {Cause::kIllness, "illness", "illness", "serious illness of the personnel of sites (§2.8)",
     "#999999",
     [] {
       return std::vector<FieldInfo>{F("illness", T::kObject, "serious illness at the zone's sites")
                                         .obj(illness_spec())
                                         .absent("no illness")};
     },
     read_illness, [](const Zone& z) { return z.illness.has_value(); }, nullptr, false},
    // Declared in the medevac block, not in zones: no zone keys.
    {Cause::kAirAccident, "air_accident", "aviation accident",
     "accidents of MEDEVAC sorties (§2.8)", "#F0E442", [] { return std::vector<FieldInfo>{}; },
     [](const Obj&, Zone&) {}, [](const Zone&) { return false; }, nullptr, false},
}};

constexpr bool in_cause_order(const std::array<ThreatType, kCauseCount>& list) {
  for (int i = 0; i < kCauseCount; ++i)
    if (static_cast<int>(list[i].cause) != i) return false;
  return true;
}
static_assert(in_cause_order(kThreatTypes), "declare threat types in the order of enum Cause");

}  // namespace

const std::array<ThreatType, kCauseCount>& threat_types() {
  return kThreatTypes;
}

const ThreatType* find_cause(std::string_view name) {
  for (const ThreatType& t : kThreatTypes)
    if (name == t.name) return &t;
  return nullptr;
}

std::string cause_label(std::string_view name) {
  const ThreatType* t = find_cause(name);
  return t ? t->label : std::string(name);
}

}  // namespace pk
