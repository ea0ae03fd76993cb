#include "scenario/spec.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "scenario/arm_cost.hpp"
#include "scenario/scenario.hpp"
#include "scenario/spec_builder.hpp"
#include "scenario/threats.hpp"

namespace pk {

std::string FieldInfo::range_text() const {
  auto fmt = [](double v) {
    std::ostringstream o;
    o.precision(16);
    o << v;
    return o.str();
  };
  if (min && max)
    return "in " + std::string(min_exclusive ? "(" : "[") + fmt(*min) + ", " + fmt(*max) + "]";
  if (min) return std::string(min_exclusive ? "> " : ">= ") + fmt(*min);
  if (max) return "<= " + fmt(*max);
  if (type == FieldType::kId) return "at most " + std::to_string(kMaxIdLength) + " characters";
  return {};
}

const FieldInfo* ObjectInfo::field(std::string_view key) const {
  for (const auto& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

namespace {

using spec_builder::F;
using spec_builder::kPerDay;
using spec_builder::kPerYear;
using spec_builder::T;

const ObjectInfo& blast_spec() {
  static const ObjectInfo o{
      "blast",
      "Per-occupant outcome of an IED or mine strike on this vehicle type.",
      {F("p_kill", T::kNumber, "probability an occupant is killed").prob().req(),
       F("p_wound", T::kNumber, "probability an occupant is wounded (p_kill + p_wound <= 1)")
           .prob()
           .req(),
       F("p_wound_adjacent", T::kNumber,
         "probability an occupant is wounded when the vehicle just ahead of or just behind "
         "it in the column is struck: blast and fragments beyond the struck vehicle "
         "(docs/model.md §2.1)")
           .prob()
           .def(0)}};
  return o;
}

const ObjectInfo& vehicle_type_spec() {
  static const ObjectInfo o{
      "vehicle type",
      "A class of vehicle, or `foot` for dismounted troops (seats: 1).",
      {F("id", T::kId, "identifier, unique among vehicle types").req(),
       F("seats", T::kInteger, "occupants the vehicle can carry").ge(1).le(1000).req(),
       F("blast", T::kObject, "outcome of a strike for each occupant").obj(blast_spec()).req(),
       F("ambush_exposure", T::kNumber, "multiplies ambush.p_hit for occupants of this type")
           .ge(0)
           .le(100)
           .def(1),
       F("accident_factor", T::kNumber,
         "multiplies a zone's road_accidents rate per vehicle-km for vehicles of this type "
         "(e.g. rollovers of heavy protected vehicles, docs/model.md §2.8)")
           .ge(0)
           .le(100)
           .def(1),
       F("cost_usd", T::kNumber, "unit cost, for reports").unit("USD").ge(0).le(1e12).def(0)}};
  return o;
}

const ObjectInfo& window_spec() {
  static const ObjectInfo o{
      "intensity window",
      "A factor on the zone's rates over [from_day, to_day).",
      {F("from_day", T::kNumber, "start of the window")
           .unit("days", kHoursPerDay)
           .ge(0)
           .le(36500)
           .req(),
       F("to_day", T::kNumber, "end of the window (exclusive), at most horizon_days")
           .unit("days", kHoursPerDay)
           .ge(0)
           .le(36500)
           .req(),
       F("factor", T::kNumber, "multiplies IED emplacement, ambush, IDF and VBIED rates")
           .ge(0)
           .le(1000)
           .req()}};
  return o;
}

// A zone: its id, the block of each threat type (scenario/threats.cpp), its
// intensity windows.
const ObjectInfo& zone_spec() {
  static const ObjectInfo o = [] {
    ObjectInfo info{"zone",
                    "An area with its own threat environment; omit a threat block for none.",
                    {F("id", T::kId, "identifier, unique among zones").req()}};
    for (const ThreatType& t : threat_types())
      for (const FieldInfo& f : t.zone_keys()) info.fields.push_back(f);
    info.fields.push_back(F("intensity", T::kObjectList,
                            "piecewise-constant factor on the zone's rates; 1 outside every window")
                              .obj(window_spec())
                              .absent("factor 1 throughout"));
    return info;
  }();
  return o;
}

const ObjectInfo& protection_spec() {
  static const ObjectInfo o{
      "protection",
      "Camp protection of a site.",
      {F("idf_exposure", T::kNumber,
         "multiplies idf.casualties_per_round (bunkers, overhead cover)")
           .ge(0)
           .le(100)
           .def(1),
       F("perimeter_stop", T::kNumber, "probability a VBIED is stopped at the perimeter")
           .prob()
           .def(0)}};
  return o;
}

const ObjectInfo& equipment_fill_spec() {
  static const ObjectInfo o{
      "equipment fill",
      "How much of its listed vehicles a contingent fields (docs/model.md §3.4).",
      {F("rate", T::kNumber,
         "share of each vehicle group of its movements that is present; the rest (rounded half "
         "up per group) drive as shortfall_type")
           .prob()
           .req(),
       F("shortfall_type", T::kRef, "the vehicle type that drives in place of a missing vehicle")
           .ref("vehicle_types")
           .req()}};
  return o;
}

const ObjectInfo& rotation_spec() {
  static const ObjectInfo o{
      "rotation",
      "When a contingent rotates and how fast the new crews learn (docs/model.md §3.4).",
      {F("first_day", T::kNumber, "day of the first rotation")
           .unit("days", kHoursPerDay)
           .ge(0)
           .le(36500)
           .req(),
       F("every_days", T::kNumber, "days between rotations")
           .unit("days", kHoursPerDay)
           .gt(0)
           .le(36500)
           .absent("one rotation"),
       F("learning_days", T::kNumber,
         "days after a rotation until the crews detect as well as their predecessors")
           .unit("days", kHoursPerDay)
           .gt(0)
           .le(36500)
           .req(),
       F("initial_factor", T::kNumber,
         "multiplies the lead crews' detection on the day of a rotation; rises linearly to 1 "
         "over learning_days")
           .prob()
           .req()}};
  return o;
}

const ObjectInfo& vehicle_pool_spec() {
  static const ObjectInfo o{
      "vehicle pool",
      "Vehicles held in a limited number and lent to movements (docs/model.md §3.5).",
      {F("id", T::kId, "identifier, unique among vehicle pools").req(),
       F("type", T::kRef, "the pooled vehicles' type").ref("vehicle_types").req(),
       F("vehicles", T::kInteger, "how many the pool holds").ge(0).le(100000).req(),
       F("fallback_type", T::kRef,
         "the type that drives in a pooled vehicle's place when the pool has none free")
           .ref("vehicle_types")
           .req()}};
  return o;
}

const ObjectInfo& contingent_spec() {
  static const ObjectInfo o{
      "contingent",
      "A national contingent: the movements and sites that name it, and what it brings to its "
      "movements (docs/model.md §3.4).",
      {F("id", T::kId, "identifier, unique among contingents").req(),
       F("trained_fraction", T::kNumber,
         "c_ied.trained_fraction of its movements (a movement may not also give its own)")
           .prob()
           .absent("each movement's own"),
       F("night_factor", T::kNumber,
         "c_ied.night_factor of its movements: its crews' detection at night (a movement may not "
         "also give its own)")
           .ge(0)
           .le(10)
           .absent("each movement's own"),
       F("night_moves", T::kBool,
         "false: a caveat against moving at night; its movements leave only 06:00-18:00")
           .def(1),
       F("equipment_fill", T::kObject, "vehicles missing from its movements")
           .obj(equipment_fill_spec())
           .absent("every vehicle present"),
       F("rotation", T::kObject, "rotation and the new crews' learning curve")
           .obj(rotation_spec())
           .absent("no rotation in the horizon")}};
  return o;
}

const ObjectInfo& local_care_spec() {
  static const ObjectInfo o{
      "local care",
      "First aid, advanced care and the way to surgery for the wounded of this movement or site, "
      "where they differ from the mission's (docs/model.md §3.3, §3.6); responder_share and "
      "role1 only with medevac.care_chain.",
      {F("responder_share", T::kNumber,
         "share of the wounded a trained first responder reaches (Field Medical Assistants, "
         "trained crews)")
           .prob()
           .absent("the care chain's first_aid.responder_share"),
       F("role1", T::kBool, "a Role 1 on the spot (with the movement, in the camp)")
           .absent("the care chain's forward_role1 (movements) or camp_role1 (sites)"),
       F("flight_hours", T::kNumber,
         "mean MEDEVAC flight time from dispatch until these casualties reach the Role 2: "
         "where the Role 2 is for them (a Role 2 moved or added nearer)")
           .unit("hours")
           .ge(0)
           .le(8760)
           .absent("medevac.flight_hours"),
       F("ground_evac_hours", T::kNumber, "time to the Role 2 by ground for these casualties")
           .unit("hours")
           .ge(0)
           .le(8760)
           .absent("medevac.ground_evac_hours")}};
  return o;
}

const ObjectInfo& site_spec() {
  static const ObjectInfo o{
      "site",
      "A camp or base with people living in it.",
      {F("id", T::kId, "identifier, unique among sites").req(),
       F("zone", T::kRef, "the zone the site is in").ref("zones").req(),
       F("personnel", T::kInteger, "people living in the site (the denominator of rates per 1,000)")
           .ge(0)
           .le(10000000)
           .req(),
       F("protection", T::kObject, "camp protection")
           .obj(protection_spec())
           .absent("idf_exposure 1, perimeter_stop 0"),
       F("contingent", T::kRef, "the contingent living in the site (for results by contingent)")
           .ref("contingents")
           .absent("none"),
       F("care", T::kObject, "first aid and advanced care at this site")
           .obj(local_care_spec())
           .absent("the care chain's")}};
  return o;
}

const ObjectInfo& segment_spec() {
  static const ObjectInfo o{
      "segment",
      "A stretch of a route inside one zone.",
      {F("zone", T::kRef, "the zone of this stretch").ref("zones").req(),
       F("length_km", T::kNumber, "length of the stretch").unit("km").gt(0).le(40000).req()}};
  return o;
}

const ObjectInfo& route_spec() {
  static const ObjectInfo o{
      "route",
      "A road between two sites, made of segments in order.",
      {F("id", T::kId, "identifier, unique among routes").req(),
       F("from", T::kRef, "the site where the route starts").ref("sites").req(),
       F("to", T::kRef, "the site where the route ends (may equal from: a loop)")
           .ref("sites")
           .req(),
       F("segments", T::kObjectList, "stretches in driving order; at least one")
           .obj(segment_spec())
           .req()}};
  return o;
}

const ObjectInfo& departure_window_spec() {
  static const ObjectInfo o{
      "departure window",
      "The hours of each day a movement may leave in (docs/model.md §8.12).",
      {spec_builder::from_hour_key("opening, hour of the day"),
       spec_builder::to_hour_key("closing, hour of the day (after from_hour)")}};
  return o;
}

const ObjectInfo& schedule_spec() {
  static const ObjectInfo o{
      "schedule",
      "When a movement departs: periodic (every_hours) or a Poisson process (poisson_per_day).",
      {F("every_hours", T::kNumber, "periodic: hours between departures")
           .unit("hours")
           .gt(0)
           .le(876000)
           .absent("not periodic"),
       F("first_hour", T::kNumber, "periodic: hour of the first departure")
           .unit("hours")
           .ge(0)
           .le(876000)
           .def(0),
       F("jitter_hours", T::kNumber,
         "periodic: each departure shifted by Uniform[-J/2, +J/2], clamped at 0; at most the "
         "horizon (horizon_days × 24)")
           .unit("hours")
           .ge(0)
           .le(876000)
           .def(0),
       F("spread_hours", T::kNumber,
         "periodic, with a movement's count above 1: the count departures due at each time leave "
         "spread_hours / count apart (docs/model.md §8.12); at most every_hours")
           .unit("hours")
           .ge(0)
           .le(876000)
           .absent("every_hours"),
       F("poisson_per_day", T::kNumber, "Poisson departures per day")
           .unit("per day", kPerDay)
           .ge(0)
           .le(100000)
           .absent("not Poisson"),
       F("window", T::kObject,
         "leave only between these hours of the day; a departure due outside them waits for "
         "the next opening (e.g. daylight movement: {from_hour: 6, to_hour: 18})")
           .obj(departure_window_spec())
           .absent("any hour")}};
  return o;
}

const ObjectInfo& vehicle_group_spec() {
  static const ObjectInfo o{
      "vehicle group",
      "Vehicles of one type in a movement; the first with count > 0 leads.",
      {F("type", T::kRef, "the vehicle type").ref("vehicle_types").req(),
       F("count", T::kInteger, "number of vehicles").ge(0).le(100000).req(),
       F("crew", T::kInteger,
         "occupants per vehicle, at most the type's seats; all the movement's crews together at "
         "most the personnel of the sites")
           .ge(0)
           .le(1000)
           .req(),
       F("pool", T::kRef,
         "the vehicles come from this pool: a departure takes what is free, the rest drive as "
         "the pool's fallback_type (docs/model.md §3.5); the group's type must be the pool's")
           .ref("vehicle_pools")
           .absent("the movement's own vehicles"),
       F("priority", T::kInteger,
         "with pool, 1 is served first: a departure takes only the pool's vehicles beyond those "
         "kept for the groups of a smaller number, each its count times the departures its "
         "movement is expected to make while this trip drives (docs/model.md §3.5)")
           .ge(1)
           .le(100)
           .def(1)}};
  return o;
}

const ObjectInfo& c_ied_spec() {
  static const ObjectInfo o{
      "c_ied",
      "Counter-IED skills of the lead crew; drawn once per departure.",
      {F("trained_fraction", T::kNumber, "probability the lead crew of a departure is trained")
           .prob()
           .def(0),
       F("p_detect_trained", T::kNumber, "probability a trained lead crew detects an IED")
           .prob()
           .def(0),
       F("p_detect_untrained", T::kNumber, "probability an untrained lead crew detects an IED")
           .prob()
           .def(0),
       F("night_factor", T::kNumber,
         "multiplies both detection probabilities between 18:00 and 06:00 (docs/model.md §2.1); "
         "above 1 for a sensor "
         "that sees better at night; the result is at most 1")
           .ge(0)
           .le(10)
           .def(1)}};
  return o;
}

const ObjectInfo& route_clearance_spec() {
  static const ObjectInfo o{
      "route_clearance",
      "A clearance team leads the movement; struck only when its vehicles are given.",
      {F("p_find", T::kNumber, "probability the team finds an IED or mine").prob().req(),
       F("speed_kmh", T::kNumber, "caps the movement's speed").unit("km/h").ge(0.1).le(1000).req(),
       F("night_factor", T::kNumber,
         "multiplies p_find between 18:00 and 06:00 (docs/model.md §2.1); above 1 for a sensor "
         "that sees better at night; the result is at most 1")
           .ge(0)
           .le(10)
           .def(1),
       F("vehicles", T::kObjectList,
         "the clearance element's vehicles in order of march; when the team escorts a departure "
         "they drive ahead of the movement's and are struck and ambushed like them (docs/model.md "
         "§2.1)")
           .obj(vehicle_group_spec())
           .absent("the team is never struck"),
       F("priority", T::kInteger,
         "with clearance_teams, 1 is served first: a departure of priority p gets an escort only "
         "if the week's escorts left exceed the departures that movements of a smaller number "
         "are expected to make in the rest of the week (docs/model.md §8.14)")
           .ge(1)
           .le(100)
           .def(1)}};
  return o;
}

const ObjectInfo& eod_disposal_spec() {
  static const ObjectInfo o{
      "eod disposal",
      "The risk to the team that disposes of a device the movement found (docs/model.md §2.1).",
      {F("p_incident", T::kNumber,
         "probability a found IED or mine goes off (or a second device does) during disposal")
           .prob()
           .req(),
       F("team", T::kInteger, "people of the disposal team exposed to an incident")
           .ge(1)
           .le(1000)
           .req(),
       F("p_kill", T::kNumber, "probability each of them is killed in an incident").prob().req(),
       F("p_wound", T::kNumber, "probability each is wounded (p_kill + p_wound <= 1)")
           .prob()
           .req()}};
  return o;
}

const ObjectInfo& jammer_spec() {
  static const ObjectInfo o{
      "jammer",
      "Electronic counter-measures against radio-triggered IEDs.",
      {F("p_defeat", T::kNumber, "probability a radio IED that was not detected is defeated")
           .prob()
           .req()}};
  return o;
}

const ObjectInfo& movement_spec() {
  static const ObjectInfo o{
      "movement",
      "A convoy or patrol that travels a route on a schedule.",
      {F("id", T::kId, "identifier, unique among movements").req(),
       F("kind", T::kEnum, "convoy or patrol (for reports)")
           .choices({"convoy", "patrol"})
           .absent("convoy"),
       F("route", T::kRef, "the route travelled").ref("routes").req(),
       F("contingent", T::kRef,
         "the contingent the movement belongs to: its training, night capability, equipment fill "
         "and rotation apply (docs/model.md §3.4)")
           .ref("contingents")
           .absent("none"),
       F("schedule", T::kObject, "when the movement departs").obj(schedule_spec()).req(),
       F("count", T::kInteger,
         "a class of identical movements: how many leave at each periodic time (spread over the "
         "schedule's spread_hours) or how many independent Poisson schedules run; the mission's "
         "real number of patrols and convoys (docs/model.md §8.12)")
           .ge(1)
           .le(100000)
           .def(1),
       F("speed_kmh", T::kNumber, "travel speed").unit("km/h").ge(0.1).le(1000).req(),
       F("round_trip", T::kBool, "drive back on arrival, as the same departure").def(0),
       F("vehicles", T::kObjectList, "vehicle groups in order of march")
           .obj(vehicle_group_spec())
           .req(),
       F("c_ied", T::kObject, "lead-crew IED detection")
           .obj(c_ied_spec())
           .absent("no crew detection"),
       F("route_clearance", T::kObject, "a clearance team")
           .obj(route_clearance_spec())
           .absent("no clearance team"),
       F("jammer", T::kObject, "a jammer").obj(jammer_spec()).absent("no jammer"),
       F("eod_disposal", T::kObject, "the risk of disposing of a device the movement found")
           .obj(eod_disposal_spec())
           .absent("disposal harms no one"),
       F("eod_delay_hours", T::kNumber, "hold after an IED is found")
           .unit("hours")
           .ge(0)
           .le(876000)
           .def(0),
       F("halt_hours", T::kNumber, "hold after a strike or ambush")
           .unit("hours")
           .ge(0)
           .le(876000)
           .def(0),
       F("spacing_m", T::kNumber,
         "distance between consecutive vehicles; with an ambush's kill_zone_m only the vehicles "
         "inside the kill zone are exposed (docs/model.md §2.3)")
           .unit("m")
           .gt(0)
           .le(100000)
           .absent("every vehicle is exposed to an ambush"),
       F("care", T::kObject, "first aid and advanced care with this movement")
           .obj(local_care_spec())
           .absent("the care chain's")}};
  return o;
}

const ObjectInfo& overwatch_spec() {
  static const ObjectInfo o{
      "overwatch",
      "UAV overwatch of movements: one aircraft per departing movement, if free.",
      {F("p_detect_ied", T::kNumber, "probability the overwatch detects an IED ahead").prob().req(),
       F("p_warn", T::kNumber, "probability an ambush is spotted and pre-empted").prob().req(),
       F("night_factor", T::kNumber,
         "multiplies p_detect_ied and p_warn between 18:00 and 06:00 (docs/model.md §2.1); above 1 "
         "for a sensor "
         "that sees better at night; the result is at most 1")
           .ge(0)
           .le(10)
           .def(1)}};
  return o;
}

const ObjectInfo& area_spec() {
  static const ObjectInfo o{
      "area",
      "UAV area surveillance by the aircraft not on overwatch.",
      {F("zones", T::kRefList, "zones covered").ref("zones").req(),
       F("km_per_aircraft", T::kNumber, "route km one aircraft covers")
           .unit("km")
           .ge(0)
           .le(1000000)
           .req(),
       F("p_observe", T::kNumber, "probability an emplacement is seen, at full coverage")
           .prob()
           .req(),
       F("deterrence", T::kNumber, "reduction of the emplacement rate at full coverage")
           .prob()
           .req()}};
  return o;
}

const ObjectInfo& clearance_teams_spec() {
  static const ObjectInfo o{
      "clearance teams",
      "The route-clearance teams that movements with a route_clearance block share: each "
      "week holds teams x escorts_per_week escorts, given to departures in their order "
      "(docs/model.md §8.14).",
      {F("teams", T::kInteger, "clearance teams (0: none; every request is refused)")
           .ge(0)
           .le(10000)
           .req(),
       F("escorts_per_week", T::kInteger, "departures one team can escort in a week")
           .ge(1)
           .le(10000)
           .req()}};
  return o;
}

const ObjectInfo& uav_spec() {
  static const ObjectInfo o{
      "uav",
      "The UAV fleet, a shared resource (docs/model.md §3.2).",
      {F("aircraft", T::kInteger, "aircraft in the fleet").ge(0).le(10000).req(),
       F("availability", T::kNumber, "probability each aircraft is mission-capable on a day")
           .prob()
           .def(1),
       F("weather_grounding", T::kNumber, "probability the whole fleet is grounded on a day")
           .prob()
           .def(0),
       F("overwatch", T::kObject, "overwatch of movements")
           .obj(overwatch_spec())
           .absent("no overwatch"),
       F("area", T::kObject, "area surveillance").obj(area_spec()).absent("no area surveillance")}};
  return o;
}

const ObjectInfo& air_accidents_spec() {
  static const ObjectInfo o{
      "air accidents",
      "Accidents of MEDEVAC sorties: a cause of death outside hostile action (docs/model.md "
      "§2.8).",
      {F("per_100k_flight_hours", T::kNumber,
         "accidents per 100,000 flight hours by day (a sortie lasts its flight time)")
           .unit("per 100000 flight hours", 1e-5)
           .ge(0)
           .le(100000)
           .req(),
       F("night_factor", T::kNumber, "multiplies the rate of a sortie dispatched at night")
           .ge(0)
           .le(100)
           .def(1),
       F("crew", T::kInteger, "people aboard besides the patients").ge(0).le(100).def(4),
       F("p_kill", T::kNumber, "probability each person aboard is killed in an accident")
           .prob()
           .req()}};
  return o;
}

// One number per triage category (T1 critical, T2 urgent, T3 minor).
ObjectInfo triage_spec(std::string name, std::string help, std::string unit, double def,
                       double max) {
  std::vector<FieldInfo> fields;
  for (const char* k : {"t1", "t2", "t3"}) {
    const char* category = k[1] == '1'   ? "T1 (critical)"
                           : k[1] == '2' ? "T2 (urgent)"
                                         : "T3 (minor)";
    F f(k, T::kNumber, help + ", " + category);
    f.ge(0).le(max).def(def);
    if (!unit.empty()) f.unit(unit);
    fields.push_back(f);
  }
  return ObjectInfo{std::move(name), std::move(help) + ", by triage category.", fields};
}

const ObjectInfo& severity_spec() {
  static const ObjectInfo o =
      triage_spec("severity", "share of the wounded", "", 0, 1);  // shares: checked to sum to 1
  return o;
}
const ObjectInfo& hazard_spec() {
  static const ObjectInfo o =
      triage_spec("hazard", "deaths per hour while waiting", "per hour", 0, 1000);
  return o;
}
const ObjectInfo& relative_risk_spec() {
  static const ObjectInfo o =
      triage_spec("relative risk", "relative risk of dying of wounds", "", 1, 1000);
  return o;
}

const ObjectInfo& first_aid_spec() {
  static const ObjectInfo o{
      "first aid",
      "Time from injury to first aid (bleeding and airway control, docs/model.md §3.6).",
      {F("responder_share", T::kNumber,
         "share of the wounded a trained first responder (buddy first aid, a Field Medical "
         "Assistant) reaches")
           .prob()
           .def(0),
       F("responder_minutes", T::kNumber, "time to first aid with a trained responder")
           .unit("minutes", 1.0 / 60)
           .ge(0)
           .le(10080)
           .def(5),
       F("minutes", T::kNumber, "time to first aid without one (the next medic)")
           .unit("minutes", 1.0 / 60)
           .ge(0)
           .le(10080)
           .def(30)}};
  return o;
}

const ObjectInfo& advanced_care_spec() {
  static const ObjectInfo o{
      "advanced care",
      "Time from injury to advanced (Role 1) care; without a forward Role 1 it starts when the "
      "MEDEVAC crew reaches the casualty, or on arrival by ground (docs/model.md §3.6).",
      {F("forward_role1", T::kBool, "a Role 1 team travels with every movement").def(0),
       F("camp_role1", T::kBool, "every site has a Role 1 (the casualties of attacks on camps)")
           .def(1),
       F("role1_minutes", T::kNumber, "time to advanced care from a Role 1 on the spot")
           .unit("minutes", 1.0 / 60)
           .ge(0)
           .le(10080)
           .def(30)}};
  return o;
}

const ObjectInfo& care_hazards_spec() {
  static const ObjectInfo o{
      "care hazards",
      "Deaths per hour of the wounded while they wait for the first steps of care (docs/model.md "
      "§3.6): a death before advanced care counts as killed in action.",
      {F("before_first_aid", T::kObject, "while waiting for first aid")
           .obj(hazard_spec())
           .absent("0 for every category"),
       F("before_advanced_care", T::kObject, "after first aid, while waiting for advanced care")
           .obj(hazard_spec())
           .absent("0 for every category")}};
  return o;
}

const ObjectInfo& survivable_spec() {
  static const ObjectInfo o{
      "potentially survivable",
      "Of the people the outcome tables kill outright, those who are in fact critically wounded "
      "and die unless care comes in time: T1 casualties with their own hazards (docs/model.md "
      "§3.6).",
      {F("share_of_killed", T::kNumber, "share of the killed who are potentially survivable")
           .prob()
           .req(),
       F("hazard_before_first_aid", T::kNumber, "deaths per hour while waiting for first aid")
           .unit("per hour")
           .ge(0)
           .le(1000)
           .req(),
       F("hazard_before_advanced_care", T::kNumber,
         "deaths per hour after first aid, while waiting for advanced care")
           .unit("per hour")
           .ge(0)
           .le(1000)
           .req()}};
  return o;
}

const ObjectInfo& stay_spec() {
  static const ObjectInfo o{"stay",
                            "Days a survivor stays in a Role 2 bed, by triage category.",
                            {F("t1", T::kInteger, "days of T1 (critical)").ge(0).le(365).def(7),
                             F("t2", T::kInteger, "days of T2 (urgent)").ge(0).le(365).def(3),
                             F("t3", T::kInteger, "days of T3 (minor)").ge(0).le(365).def(1)}};
  return o;
}

const ObjectInfo& role2_spec() {
  static const ObjectInfo o{
      "role2",
      "The Role 2 hospital the wounded reach: operating tables served in arrival order, an "
      "M/M/c queue when arrivals are Poisson (docs/model.md §3.6).",
      {F("operating_tables", T::kInteger, "surgical teams operating at once").ge(1).le(1000).req(),
       F("surgery_hours", T::kNumber, "mean duration of an operation (exponential)")
           .unit("hours")
           .gt(0)
           .le(1000)
           .req(),
       F("beds", T::kInteger,
         "beds; survivors who find them full are counted (evacuated on to Role 3), not refused")
           .ge(0)
           .le(100000)
           .absent("no bed count: over_capacity stays 0 (0 is a count: every survivor is over it)"),
       F("stay_days", T::kObject, "days a survivor occupies a bed")
           .obj(stay_spec())
           .absent("T1 7, T2 3, T3 1")}};
  return o;
}

const ObjectInfo& care_chain_spec() {
  static const ObjectInfo o{
      "care chain",
      "The wounded from the point of injury to surgery: triage, first aid, advanced care, "
      "surgery at a Role 2 (docs/model.md §3.6).",
      {F("severity", T::kObject, "triage category shares of the wounded; they sum to 1")
           .obj(severity_spec())
           .req(),
       F("first_aid", T::kObject, "time to first aid")
           .obj(first_aid_spec())
           .absent("no responders, 30 minutes"),
       F("advanced_care", T::kObject, "time to advanced care")
           .obj(advanced_care_spec())
           .absent(
               "camps' Role 1 after 30 minutes; on movements when MEDEVAC reaches the casualty"),
       F("hazard_per_hour", T::kObject, "deaths while waiting for first aid and advanced care")
           .obj(care_hazards_spec())
           .absent("no deaths before surgery's stage"),
       F("dow_relative_risk", T::kObject, "multiplies dow_curve(time to surgery) per category")
           .obj(relative_risk_spec())
           .absent("1 for every category"),
       F("potentially_survivable", T::kObject,
         "the killed who would survive timely care (T1 with their own hazards)")
           .obj(survivable_spec())
           .absent("everyone the outcome tables kill dies at once"),
       F("role2", T::kObject, "the Role 2 hospital")
           .obj(role2_spec())
           .absent("surgery at once on arrival, no queue")}};
  return o;
}

const ObjectInfo& medevac_spec() {
  static const ObjectInfo o{
      "medevac",
      "Casualty evacuation helicopters, a FIFO resource (docs/model.md §3.3).",
      {F("helicopters", T::kInteger, "helicopters; 0 sends everyone by ground")
           .ge(0)
           .le(10000)
           .req(),
       F("dispatch_hours", T::kNumber, "time from request to take-off")
           .unit("hours")
           .ge(0)
           .le(8760)
           .def(0),
       F("flight_hours", T::kNumber, "mean flight time to care (lognormal)")
           .unit("hours")
           .ge(0)
           .le(8760)
           .req(),
       F("flight_sd_hours", T::kNumber, "standard deviation of the flight time; 0: fixed")
           .unit("hours")
           .ge(0)
           .le(8760)
           .def(0),
       F("night_flying", T::kBool, "helicopters may be dispatched outside 06:00-18:00").def(0),
       F("max_wait_hours", T::kNumber, "longest wait for a helicopter before going by ground")
           .unit("hours")
           .ge(0)
           .le(8760)
           .def(0),
       F("ground_evac_hours", T::kNumber, "time to care by ground")
           .unit("hours")
           .ge(0)
           .le(8760)
           .req(),
       F("dow_curve", T::kPairList,
         "[[hours, probability], ...]: probability a wounded person dies of wounds given time to "
         "care; piecewise linear, flat beyond the ends")
           .req(),
       F("accidents", T::kObject, "accidents of the sorties (docs/model.md §2.8)")
           .obj(air_accidents_spec())
           .absent("sorties never crash"),
       F("care_chain", T::kObject, "the wounded's care from injury to surgery (docs/model.md §3.6)")
           .obj(care_chain_spec())
           .absent("dow_curve of the time to care alone")}};
  return o;
}

const ObjectInfo& acceptance_limit_spec() {
  static const ObjectInfo o{
      "limit",
      "An upper limit on the mean and, optionally, on the probability that one replication "
      "exceeds it, at one confidence level; at least 30 replications to decide (docs/model.md §6).",
      {F("max", T::kNumber, "largest acceptable value").ge(0).req(),
       // Below 0.5 the "upper" bound lies under the estimate; at 1 it is
       // infinite, and near 1 the quantile overflows.
       F("confidence", T::kNumber, "one-sided confidence of the upper bounds compared with limits")
           .ge(0.5)
           .le(0.9999)
           .def(0.95),
       F("max_exceedance_probability", T::kNumber,
         "largest acceptable probability that one replication's value exceeds max (compared with "
         "its exact upper bound at confidence)")
           .gt(0)
           .le(1)
           .absent("the mean alone is gated")}};
  return o;
}

const ObjectInfo& acceptance_spec() {
  static const ObjectInfo o{
      "acceptance",
      "`pkrisk run` exits 1 when the baseline fails this.",
      {F("fatalities_per_1000py", T::kObject, "fatalities per 1,000 personnel-years")
           .obj(acceptance_limit_spec())
           .req(),
       F("causes", T::kEnum,
         "the deaths the limit counts: `malicious` (the threat types: IEDs, mines, ambushes, "
         "indirect fire, VBIEDs) or `all` (accidents and illness too, docs/model.md §2.8)")
           .choices({"malicious", "all"})
           .absent("malicious")}};
  return o;
}

const ObjectInfo& arm_cost_spec() {
  static const ObjectInfo o{
      "arm cost",
      "What the package costs, spread into a cost per year of mission: the capital as a level "
      "payment over its service life (discounted at economics.discount_rate), plus running "
      "costs (docs/model.md §6, \"Costs\").",
      {F("capital_usd", T::kNumber,
         "paid once when the package is bought or built (vehicles, equipment, works)")
           .unit("USD")
           .ge(0)
           .le(1e15)
           .def(0),
       F("service_life_years", T::kNumber,
         "years the capital serves; 1 makes the capital a cost per year as written")
           .unit("years")
           .ge(1)
           .le(100)
           .def(1),
       F("annual_om_usd", T::kNumber,
         "recurring cost per year: operation and maintenance, leases, crews, training")
           .unit("USD")
           .ge(0)
           .le(1e15)
           .def(0),
       F("per_vehicle_km_usd", T::kNumber,
         "running cost of each km the arm adds of vehicle_type on the movements' schedules "
         "(the difference from the vehicle it replaces)")
           .unit("USD")
           .ge(0)
           .le(1e6)
           .def(0),
       F("vehicle_type", T::kRef, "the vehicle type per_vehicle_km_usd is for")
           .ref("vehicle_types")
           .absent("required with per_vehicle_km_usd"),
       F("payer", T::kEnum,
         "who pays: the UN peacekeeping budget (un_budget) or the contributing country "
         "(contributor)")
           .choices({"un_budget", "contributor"})
           .absent("unstated")}};
  return o;
}

const ObjectInfo& arm_spec() {
  static const ObjectInfo o{
      "arm",
      "A named alternative (mitigation package) compared with the baseline.",
      {F("name", T::kId, "identifier, unique among arms; not `baseline`").req(),
       F("cost", T::kObject,
         "what the package costs, by its parts (capital, service life, running costs); every "
         "output shows its equivalent annual cost. Not with cost_usd")
           .obj(arm_cost_spec())
           .absent("cost_usd, or nothing"),
       F("cost_usd", T::kNumber,
         "incremental cost of the package, on the basis cost_basis states; every output shows "
         "it per mission-year and over the horizon. Not with cost")
           .unit("USD")
           .ge(0)
           .le(1e15)
           .def(0),
       F("cost_basis", T::kEnum,
         "what cost_usd is the cost of: the package over the horizon simulated (horizon), or "
         "per year of mission (per_year, scaled by horizon_days / 365)")
           .choices({"horizon", "per_year"})
           .absent("horizon"),
       F("overrides", T::kOverrides, "path: value pairs applied to the scenario (docs/model.md §5)")
           .req()}};
  return o;
}

const ObjectInfo& year_effect_spec() {
  static const ObjectInfo o{
      "year effect",
      "Year-to-year variation of the threat: every zone's intensity is multiplied by a gamma "
      "variate with mean 1, drawn once per simulated year of the horizon (docs/model.md §2.7); "
      "`pkrisk calibrate` fits its coefficient of variation.",
      {F("cv", T::kNumber, "coefficient of variation of the multiplier (0: none)")
           .ge(0)
           .le(10)
           .req()}};
  return o;
}

const ObjectInfo& adversary_spec() {
  static const ObjectInfo o{
      "adversary",
      "An adversary who answers each mitigation (docs/model.md §2.9): `pkrisk run` adds to each "
      "arm an adaptive twin, `<arm>/adaptive`, in which the attacks move to the options that "
      "pay better under the arm's defence and the per-strike lethality the arm took away is "
      "partly regained. Without the block, or with both effects 0, every arm meets a static "
      "adversary.",
      {F("displacement_elasticity", T::kNumber,
         "how strongly attacks move to the options (a zone's IEDs by trigger, ambushes, indirect "
         "fire, VBIEDs) whose casualties per attack fell least: share ∝ base share × (payoff "
         "under the arm / payoff in the baseline)^elasticity; 0: attacks never move")
           .ge(0)
           .le(20)
           .def(0),
       F("total_elasticity", T::kNumber,
         "how the total number of attacks follows the mean payoff: total × (Σ share × payoff "
         "ratio)^elasticity; 0: the total stays fixed")
           .ge(-5)
           .le(5)
           .def(0),
       F("half_life_days", T::kNumber,
         "days in which the adversary goes half of the way from its baseline behaviour to its "
         "answer (exponential approach), counted from when the mitigation started")
           .unit("days", kHoursPerDay)
           .gt(0)
           .le(36500)
           .absent("the answer is there from day 0"),
       F("max_recovery", T::kNumber,
         "share of the per-strike lethality a mitigation took away that the adversary regains "
         "(larger charges, better aim); 0: none")
           .prob()
           .def(0),
       F("elapsed_days", T::kNumber,
         "days the mitigation has already been in place when the horizon starts")
           .unit("days", kHoursPerDay)
           .ge(0)
           .le(36500)
           .def(0),
       F("step_days", T::kNumber,
         "the adversary's behaviour changes at most this often (at most 520 steps over the "
         "horizon: a longer horizon lengthens the step)")
           .unit("days", kHoursPerDay)
           .ge(1)
           .le(3650)
           .def(7),
       F("pilot_replications", T::kInteger,
         "replications of the baseline and each arm, on a seed of their own, that estimate the "
         "payoffs the adversary answers; refused when their work would pass the pilot's limit "
         "(docs/model.md §9.2)")
           .ge(100)
           .le(1e6)
           .def(2000)}};
  return o;
}

const ObjectInfo& economics_spec() {
  static const ObjectInfo o{
      "economics",
      "How costs are put on one basis (docs/model.md §6, \"Costs\").",
      {F("discount_rate", T::kNumber,
         "real discount rate per year at which an arm's capital is spread over its service life")
           .ge(0)
           .le(0.5)
           .def(kDefaultDiscountRate)}};
  return o;
}

const ObjectInfo& range_spec() {
  static const ObjectInfo o{"range",
                            "Evenly spaced values (grid) or bounds (latin_hypercube, sobol).",
                            {F("from", T::kNumber, "first value / lower bound").req(),
                             F("to", T::kNumber, "last value / upper bound").req(),
                             F("steps", T::kInteger, "number of values, grid only")
                                 .ge(1)
                                 .le(1000000)
                                 .absent("bounds only")}};
  return o;
}

const ObjectInfo& sweep_parameter_spec() {
  static const ObjectInfo o{
      "sweep parameter",
      "A swept parameter: a path and its values or range.",
      {F("path", T::kString, "path of the parameter (docs/model.md §5)").req(),
       F("values", T::kValueList, "explicit values (grid)").absent("use range"),
       F("range", T::kObject, "a range of values").obj(range_spec()).absent("use values")}};
  return o;
}

const ObjectInfo& sweep_spec() {
  static const ObjectInfo o{
      "sweep",
      "A parameter sweep for `pkrisk sweep`.",
      {F("design", T::kEnum, "how points are chosen")
           .choices({"grid", "latin_hypercube", "sobol"})
           .absent("grid"),
       F("samples", T::kInteger, "points of a latin_hypercube or sobol design")
           .ge(1)
           .le(1000000)
           .absent("required for latin_hypercube and sobol"),
       F("replications", T::kInteger, "replications per point and arm")
           .ge(1)
           .le(1e9)
           .absent("scenario.replications"),
       F("parameters", T::kObjectList, "swept parameters").obj(sweep_parameter_spec()).req()}};
  return o;
}

const ObjectInfo& distribution_spec() {
  static const ObjectInfo o{
      "distribution",
      "What an uncertain input may be: a type and its native parameters, or its mean and sd.",
      {F("type", T::kEnum, "the family")
           .choices({"normal", "lognormal", "gamma", "beta", "uniform", "triangular", "discrete"})
           .req(),
       F("mean", T::kNumber,
         "mean (normal; or, converted exactly, lognormal, gamma, beta, uniform)")
           .absent("native parameters"),
       F("sd", T::kNumber, "standard deviation, with mean").gt(0).absent("native parameters"),
       F("meanlog", T::kNumber, "lognormal: mean of the log").absent("mean and sd"),
       F("sdlog", T::kNumber, "lognormal: sd of the log").gt(0).absent("mean and sd"),
       F("shape", T::kNumber, "gamma: shape").gt(0).absent("mean and sd"),
       F("scale", T::kNumber, "gamma: scale").gt(0).absent("mean and sd"),
       F("alpha", T::kNumber, "beta: first shape").gt(0).absent("mean and sd"),
       F("beta", T::kNumber, "beta: second shape").gt(0).absent("mean and sd"),
       F("min", T::kNumber, "uniform, triangular: lower end").absent("mean and sd (uniform)"),
       F("mode", T::kNumber, "triangular: most likely value").absent("required for triangular"),
       F("max", T::kNumber, "uniform, triangular: upper end").absent("mean and sd (uniform)"),
       F("values", T::kValueList, "discrete: the values").absent("required for discrete"),
       F("weights", T::kValueList, "discrete: their weights (any positive scale)")
           .absent("equal weights")}};
  return o;
}

const ObjectInfo& uncertain_input_spec() {
  static const ObjectInfo o{
      "uncertain input",
      "An input of the scenario whose value is uncertain, for `pkrisk decide`.",
      {F("path", T::kString, "path of the input, as in arms and sweeps (docs/model.md §5)")
           .absent("required unless from_samples"),
       F("distribution", T::kObject, "what the value may be")
           .obj(distribution_spec())
           .absent("required unless from_samples"),
       F("from_samples", T::kString,
         "instead of path and distribution: a CSV of joint draws, one column per path (a "
         "header of paths; `chain` and `draw` columns are skipped), one row per draw, e.g. "
         "from `pkrisk calibrate --posterior-out`; relative to the scenario's folder")
           .absent("none"),
       F("source", T::kString, "where the range comes from").lines().absent("none"),
       F("group", T::kString,
         "a name shared by inputs whose value of information is also "
         "computed jointly")
           .absent("no group")}};
  return o;
}

const ObjectInfo& select_levels_spec() {
  static const ObjectInfo o{
      "select levels",
      "The levels an option may take: one input set to each value, each with its cost.",
      {F("path", T::kString, "the input the levels set, as in arms and sweeps (docs/model.md §5)")
           .req(),
       F("values", T::kValueList, "its value at each level").req(),
       F("cost_usd", T::kValueList,
         "the option's cost per year at each level, in place of its arm's (same basis as "
         "budget_usd)")
           .req()}};
  return o;
}

const ObjectInfo& select_option_spec() {
  static const ObjectInfo o{
      "select option",
      "An arm that a package may hold or leave out, at one of its levels when it has them.",
      {F("arm", T::kString, "the name of one of the scenario's arms").req(),
       F("levels", T::kObject, "levels of the option (each a value of one input)")
           .obj(select_levels_spec())
           .absent("in or out")}};
  return o;
}

const ObjectInfo& select_rule_spec() {
  static const ObjectInfo o{
      "select rule",
      "Which packages are allowed: {requires: A, if: B} (a package with B holds A) or "
      "{excludes: [A, B, ...]} (at most one of them).",
      {F("requires", T::kString, "an option that the `if` option needs").absent("an excludes rule"),
       F("if", T::kString, "the option that needs `requires`").absent("an excludes rule"),
       F("excludes", T::kValueList, "options of which a package holds at most one")
           .absent("a requires rule")}};
  return o;
}

const ObjectInfo& select_spec() {
  static const ObjectInfo o{
      "select",
      "The packages of arms `pkrisk select` chooses among, with a guarantee (docs/select.md).",
      {F("budget_usd", T::kNumber,
         "the most a package may cost per year, on the arms' common basis (equivalent annual "
         "cost)")
           .ge(0)
           .absent("no budget"),
       F("objective", T::kEnum, "what the best package does best")
           .choices({"fatalities", "fatalities_per_1000py", "net_benefit"})
           .absent("fatalities"),
       F("wtp_usd", T::kNumber, "value of one death averted, for net_benefit")
           .gt(0)
           .absent("required for net_benefit"),
       F("indifference_zone", T::kNumber,
         "packages within this of the best count as equally good: lives per mission-year "
         "(fatalities), per 1,000 personnel-years (fatalities_per_1000py), USD per "
         "mission-year (net_benefit)")
           .gt(0)
           .req(),
       F("confidence", T::kNumber,
         "the probability of selecting the best when it is ahead by the indifference zone")
           .ge(0.5)
           .le(0.9999)
           .def(0.95),
       F("first_stage", T::kInteger,
         "replications of every package before any is dropped (10 at least: fewer make the "
         "procedure's bound explode)")
           .ge(10)
           .le(10000)
           .def(20),
       F("reestimate", T::kInteger,
         "replications of the fresh-seed run that re-estimates the selected package and those "
         "within the indifference zone of it")
           .ge(2)
           .le(1000000)
           .def(200),
       F("options", T::kObjectList, "the arms a package may hold").obj(select_option_spec()).req(),
       F("rules", T::kObjectList, "which packages are allowed")
           .obj(select_rule_spec())
           .absent("every package within the budget")}};
  return o;
}

const ObjectInfo& scenario_block_spec() {
  static const ObjectInfo o{
      "scenario",
      "Name, horizon and run defaults.",
      {F("name", T::kString, "a name for reports").req(),
       F("description", T::kString, "free text").lines().absent("empty"),
       F("horizon_days", T::kNumber, "length of one replication (one possible history)")
           .unit("days", kHoursPerDay)
           .gt(0)
           .le(36500)
           .req(),
       F("seed", T::kInteger, "default master seed; --seed overrides")
           .ge(0)
           .le(9007199254740991.0)
           .def(1),
       F("replications", T::kInteger, "default number of replications; --replications overrides")
           .ge(1)
           .le(1e9)
           .def(1000)}};
  return o;
}

const ObjectInfo& root_spec() {
  static const ObjectInfo o{
      "scenario file",
      "A pkrisk scenario, format version 1.",
      {F("pkrisk", T::kInteger, "format version; must be 1").ge(1).le(1).req(),
       F("scenario", T::kObject, "name, horizon and run defaults").obj(scenario_block_spec()).req(),
       F("vehicle_catalogue", T::kString,
         "a YAML file in this one's folder or below it (relative to this one; elsewhere only "
         "with --allow-outside-files) whose vehicle_types are used; entries here with the same "
         "id replace them")
           .absent("no catalogue"),
       F("vehicle_types", T::kObjectList,
         "vehicle types (with a catalogue: additions and replacements)")
           .obj(vehicle_type_spec())
           .absent("required without a catalogue"),
       F("zones", T::kObjectList, "zones and their threats").obj(zone_spec()).req(),
       F("vehicle_pools", T::kObjectList, "vehicles held in a limited number, lent to movements")
           .obj(vehicle_pool_spec())
           .absent("no pools"),
       F("contingents", T::kObjectList, "national contingents")
           .obj(contingent_spec())
           .absent("no contingents"),
       F("sites", T::kObjectList, "camps and bases").obj(site_spec()).req(),
       F("routes", T::kObjectList, "roads between sites").obj(route_spec()).absent("no routes"),
       F("movements", T::kObjectList, "convoys and patrols")
           .obj(movement_spec())
           .absent("no movements"),
       F("uav", T::kObject, "the UAV fleet").obj(uav_spec()).absent("no UAVs"),
       F("clearance_teams", T::kObject,
         "a limited number of route-clearance teams shared by the movements with route_clearance")
           .obj(clearance_teams_spec())
           .absent("every departure of a movement with route_clearance has a team"),
       F("medevac", T::kObject, "MEDEVAC helicopters")
           .obj(medevac_spec())
           .absent("deaths of wounds are not modelled"),
       F("arms", T::kObjectList, "alternatives compared with the baseline")
           .obj(arm_spec())
           .absent("baseline only"),
       F("year_effect", T::kObject, "year-to-year variation of the threat")
           .obj(year_effect_spec())
           .absent("every year alike"),
       F("adversary", T::kObject, "an adversary who answers each mitigation")
           .obj(adversary_spec())
           .absent("a static adversary"),
       F("economics", T::kObject, "how costs are put on one basis")
           .obj(economics_spec())
           .absent("discount_rate 0.03"),
       F("acceptance", T::kObject, "acceptance criterion for CI gates")
           .obj(acceptance_spec())
           .absent("no gate"),
       F("sweep", T::kObject, "parameter sweep for `pkrisk sweep`")
           .obj(sweep_spec())
           .absent("no sweep"),
       F("uncertainty", T::kObjectList, "uncertain inputs for `pkrisk decide`")
           .obj(uncertain_input_spec())
           .absent("no uncertain inputs"),
       F("select", T::kObject, "packages of arms for `pkrisk select`")
           .obj(select_spec())
           .absent("no select block"),
       F("correlations", T::kValueList,
         "[path, path, rho] triples: two uncertain inputs drawn with correlation rho between "
         "their normal scores (a Gaussian copula)")
           .absent("independent inputs")}};
  return o;
}

}  // namespace

const ObjectInfo& catalogue_spec() {
  static const ObjectInfo o{
      "vehicle catalogue",
      "A file of vehicle types shared by scenarios.",
      {F("vehicle_types", T::kObjectList, "vehicle types").obj(vehicle_type_spec()).req()}};
  return o;
}

const ObjectInfo& scenario_spec() {
  return root_spec();
}

}  // namespace pk
