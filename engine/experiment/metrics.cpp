#include "experiment/metrics.hpp"

#include <algorithm>

#include "scenario/attack_options.hpp"
#include "scenario/threats.hpp"

namespace pk {

namespace {

using Read = int64_t (*)(const Tally&, size_t);
constexpr auto kLower = Direction::kLowerIsBetter;
constexpr auto kHigher = Direction::kHigherIsBetter;
constexpr auto kNeutral = Direction::kNeutral;
constexpr int kNoCause = -1;

// A metric counted once per replication.
struct Single {
  const char* name;
  const char* unit;
  Direction direction;
  int cause;  // a Cause, or kNoCause
  const char* description;
  Read read;
};

// A family counted once per threat type of threat_types(): "<family>.<cause name>".
struct PerCause {
  const char* family;
  const char* unit;
  const char* description;  // followed by the cause's description
  Read read;
};

constexpr int kIed = static_cast<int>(Cause::kIed);
constexpr int kMine = static_cast<int>(Cause::kMine);
constexpr int kAmbush = static_cast<int>(Cause::kAmbush);

const Single kTotals[] = {
    {"fatalities", "fatalities", kLower, kNoCause,
     "killed in action plus died of wounds, every cause the scenario has",
     [](const Tally& t, size_t) { return t.total().fatalities(); }},
    {"kia", "people", kLower, kNoCause, "killed in action",
     [](const Tally& t, size_t) { return t.total().n[0]; }},
    {"dow", "people", kLower, kNoCause, "died of wounds (after a MEDEVAC delay, §3.3)",
     [](const Tally& t, size_t) { return t.total().n[1]; }},
    {"wia", "people", kLower, kNoCause, "wounded in action who survived",
     [](const Tally& t, size_t) { return t.total().n[2]; }},
    {"fatalities_malicious", "fatalities", kLower, kNoCause,
     "fatalities (KIA + DOW) from malicious acts alone: without accidents and illness "
     "(§2.8)",
     [](const Tally& t, size_t) {
       int64_t sum = 0;
       for (const ThreatType& c : threat_types())
         if (c.malicious) sum += t.by_cause[static_cast<int>(c.cause)].fatalities();
       return sum;
     }},
};

const PerCause kPerCause[] = {
    {"fatalities_by_cause", "fatalities", "fatalities (KIA + DOW) from",
     [](const Tally& t, size_t c) { return t.by_cause[c].fatalities(); }},
    {"kia_by_cause", "people", "killed in action by",
     [](const Tally& t, size_t c) { return t.by_cause[c].n[0]; }},
    {"dow_by_cause", "people", "died of wounds from",
     [](const Tally& t, size_t c) { return t.by_cause[c].n[1]; }},
    {"wia_by_cause", "people", "wounded (and survived) by",
     [](const Tally& t, size_t c) { return t.by_cause[c].n[2]; }},
};

const Single kThreatCounts[] = {
    {"ied.emplaced", "devices", kNeutral, kIed,
     "IEDs emplaced, including those seen at emplacement",
     [](const Tally& t, size_t) { return t.ied.emplaced; }},
    {"ied.found_uav_area", "devices", kHigher, kIed,
     "IEDs removed by UAV area surveillance at emplacement",
     [](const Tally& t, size_t) { return t.ied.found_uav_area; }},
    {"ied.found_route_clearance", "devices", kHigher, kIed, "IEDs found by route clearance",
     [](const Tally& t, size_t) { return t.ied.found_route_clearance; }},
    {"ied.found_crew", "devices", kHigher, kIed, "IEDs found by a movement's crews",
     [](const Tally& t, size_t) { return t.ied.found_crew; }},
    {"ied.found_uav", "devices", kHigher, kIed, "IEDs found by UAV convoy overwatch",
     [](const Tally& t, size_t) { return t.ied.found_uav; }},
    {"ied.jammed", "devices", kHigher, kIed, "radio-triggered IEDs defeated by jammers",
     [](const Tally& t, size_t) { return t.ied.jammed; }},
    {"ied.detonated", "devices", kLower, kIed, "IEDs that detonated on a movement",
     [](const Tally& t, size_t) { return t.ied.detonated; }},
    {"ied.expired", "devices", kNeutral, kIed, "IEDs whose lifetime ended before the horizon",
     [](const Tally& t, size_t) { return t.ied.expired; }},
    {"mine.laid", "devices", kNeutral, kMine, "mines laid (the stock at t = 0 and any laid on)",
     [](const Tally& t, size_t) { return t.mine.emplaced; }},
    {"mine.found_route_clearance", "devices", kHigher, kMine, "mines found by route clearance",
     [](const Tally& t, size_t) { return t.mine.found_route_clearance; }},
    {"mine.found_crew", "devices", kHigher, kMine, "mines found by a movement's crews",
     [](const Tally& t, size_t) { return t.mine.found_crew; }},
    {"mine.found_uav", "devices", kHigher, kMine, "mines found by UAV convoy overwatch",
     [](const Tally& t, size_t) { return t.mine.found_uav; }},
    {"mine.jammed", "devices", kHigher, kMine, "always 0: mines are pressure-triggered",
     [](const Tally& t, size_t) { return t.mine.jammed; }},
    {"mine.detonated", "devices", kLower, kMine, "mines that detonated under a vehicle",
     [](const Tally& t, size_t) { return t.mine.detonated; }},
    {"mine.expired", "devices", kNeutral, kMine,
     "mines whose lifetime ended before the horizon (0 when mines have no lifetime)",
     [](const Tally& t, size_t) { return t.mine.expired; }},
    {"ambush.attacks", "attacks", kLower, kAmbush,
     "ambushes, including complex attacks and pre-empted ones",
     [](const Tally& t, size_t) { return t.ambush_attacks; }},
    {"ambush.preempted", "attacks", kHigher, kAmbush, "ambushes pre-empted by UAV overwatch",
     [](const Tally& t, size_t) { return t.ambush_preempted; }},
    {"road_accident.crashes", "crashes", kLower, static_cast<int>(Cause::kRoadAccident),
     "vehicles of movements that crashed (§2.8)",
     [](const Tally& t, size_t) { return t.road_accidents; }},
    {"illness.cases", "cases", kLower, static_cast<int>(Cause::kIllness),
     "serious cases of illness among the sites' personnel (§2.8)",
     [](const Tally& t, size_t) { return t.illness_cases; }},
    {"air_accident.crashes", "sorties", kLower, static_cast<int>(Cause::kAirAccident),
     "MEDEVAC sorties that crashed; each loses its helicopter (§2.8)",
     [](const Tally& t, size_t) { return t.air_accidents; }},
};

const Single kMissionCounts[] = {
    {"departures", "departures", kNeutral, kNoCause, "movements that departed",
     [](const Tally& t, size_t) { return t.departures; }},
    {"route_clearance.escorts", "departures", kNeutral, kNoCause,
     "departures a route-clearance team went ahead of (§8.14)",
     [](const Tally& t, size_t) { return t.clearance_escorts; }},
    {"route_clearance.refused", "departures", kLower, kNoCause,
     "departures that asked for a clearance team and found none free (§8.14)",
     [](const Tally& t, size_t) { return t.clearance_refused; }},
    {"medevac.requests", "requests", kNeutral, kNoCause, "MEDEVAC requests (one per event, §8.16)",
     [](const Tally& t, size_t) { return t.medevac_requests; }},
    {"medevac.waited", "requests", kLower, kNoCause,
     "MEDEVAC requests not flown at once (ground ones included)",
     [](const Tally& t, size_t) { return t.medevac_waited; }},
    {"medevac.ground", "requests", kLower, kNoCause, "MEDEVAC requests that went by ground",
     [](const Tally& t, size_t) { return t.medevac_ground; }},
    // The care chain (§3.6); 0 without one.
    {"care.t1", "casualties", kNeutral, kNoCause, "T1 (critical) wounded",
     [](const Tally& t, size_t) { return t.care.t1; }},
    {"care.t1_first_aid_10min", "casualties", kHigher, kNoCause,
     "T1 wounded given first aid within 10 minutes of injury",
     [](const Tally& t, size_t) { return t.care.t1_first_aid_10min; }},
    {"care.t1_advanced_care_1h", "casualties", kHigher, kNoCause,
     "T1 wounded in advanced care within 1 hour of injury",
     [](const Tally& t, size_t) { return t.care.t1_advanced_care_1h; }},
    {"care.t1_surgery_2h", "casualties", kHigher, kNoCause,
     "T1 wounded in surgery within 2 hours of injury",
     [](const Tally& t, size_t) { return t.care.t1_surgery_2h; }},
    {"care.died_before_first_aid", "fatalities", kLower, kNoCause,
     "wounded who died before first aid (counted as killed in action)",
     [](const Tally& t, size_t) { return t.care.died_before_first_aid; }},
    {"care.died_before_advanced_care", "fatalities", kLower, kNoCause,
     "wounded who died after first aid, before advanced care (counted as killed in action)",
     [](const Tally& t, size_t) { return t.care.died_before_advanced_care; }},
    {"care.surgeries", "operations", kNeutral, kNoCause, "operations at the Role 2",
     [](const Tally& t, size_t) { return t.care.surgeries; }},
    {"care.surgery_waited", "operations", kLower, kNoCause,
     "operations that waited for a free table",
     [](const Tally& t, size_t) { return t.care.surgery_waited; }},
    {"care.surgery_wait_minutes", "minutes", kLower, kNoCause,
     "minutes waited for a table, summed over operations",
     [](const Tally& t, size_t) { return t.care.surgery_wait_minutes; }},
    {"care.table_minutes", "minutes", kNeutral, kNoCause, "operating-table minutes used",
     [](const Tally& t, size_t) { return t.care.table_minutes; }},
    {"care.bed_days", "days", kNeutral, kNoCause, "Role 2 bed-days of the survivors",
     [](const Tally& t, size_t) { return t.care.bed_days; }},
    {"care.peak_beds", "beds", kNeutral, kNoCause, "most Role 2 beds taken at once",
     [](const Tally& t, size_t) { return t.care.peak_beds; }},
    {"care.over_capacity", "casualties", kLower, kNoCause,
     "survivors who found every Role 2 bed taken (evacuated on to Role 3)",
     [](const Tally& t, size_t) { return t.care.over_capacity; }},
};

MetricInfo from(const Single& s, bool casualties) {
  MetricInfo m{s.name, s.unit, s.description, s.direction, std::nullopt, s.read, 0, casualties};
  if (s.cause != kNoCause) m.cause = static_cast<Cause>(s.cause);
  return m;
}

std::vector<MetricInfo> build_fixed() {
  std::vector<MetricInfo> all;
  for (const Single& s : kTotals) all.push_back(from(s, true));
  for (const PerCause& f : kPerCause)
    for (const ThreatType& c : threat_types())
      all.push_back({std::string(f.family) + "." + c.name, f.unit,
                     std::string(f.description) + " " + c.description, kLower, c.cause, f.read,
                     static_cast<size_t>(c.cause), true});
  for (const Single& s : kThreatCounts) all.push_back(from(s, false));
  for (const ThreatType& c : threat_types())
    if (c.site)
      all.push_back({std::string(c.name) + ".attacks", "attacks", c.site->attacks_description,
                     kLower, c.cause, [](const Tally& t, size_t i) { return t.site_attacks[i]; },
                     static_cast<size_t>(c.cause), false});
  for (const Single& s : kMissionCounts) all.push_back(from(s, false));
  return all;
}

int64_t movement_fatalities(const Tally& t, size_t m) {
  return t.by_movement[m].fatalities();
}
int64_t contingent_fatalities(const Tally& t, size_t c) {
  return t.by_contingent[c].fatalities();
}
int64_t site_fatalities(const Tally& t, size_t s) {
  return t.by_site[s].fatalities();
}
int64_t month_fatalities(const Tally& t, size_t k) {
  return t.malicious_by_month[k];
}
int64_t option_attacks(const Tally& t, size_t i) {
  return t.by_option[i].attacks;
}
int64_t option_strikes(const Tally& t, size_t i) {
  return t.by_option[i].strikes;
}
int64_t option_casualties(const Tally& t, size_t i) {
  return t.by_option[i].casualties;
}

}  // namespace

const char* direction_name(Direction d) {
  switch (d) {
    case Direction::kLowerIsBetter:
      return "lower";
    case Direction::kHigherIsBetter:
      return "higher";
    default:
      return "neutral";
  }
}

const std::vector<MetricInfo>& fixed_metrics() {
  static const std::vector<MetricInfo> kFixed = build_fixed();
  return kFixed;
}

std::vector<MetricInfo> metric_registry(const Scenario& s) {
  std::vector<MetricInfo> all = fixed_metrics();
  for (size_t i = 0; i < s.movements.size(); ++i)
    all.push_back(
        {"fatalities_by_movement." + s.movements[i].id, "fatalities",
         "fatalities on movement " + s.movements[i].id + " (IED, mine, ambush, road accident)",
         kLower, std::nullopt, movement_fatalities, i, true});
  for (size_t i = 0; i < s.sites.size(); ++i)
    all.push_back({"fatalities_by_site." + s.sites[i].id, "fatalities",
                   "fatalities at site " + s.sites[i].id + " (indirect fire, VBIED, illness)",
                   kLower, std::nullopt, site_fatalities, i, true});
  for (size_t i = 0; i < s.contingents.size(); ++i)
    all.push_back({"fatalities_by_contingent." + s.contingents[i].id, "fatalities",
                   "fatalities of contingent " + s.contingents[i].id + " (its movements and sites)",
                   kLower, std::nullopt, contingent_fatalities, i, true});
  // What the adversary got from each option (§2.9): attacks, strikes, casualties.
  const std::vector<AttackOptionRef> options = attack_options(s);
  for (size_t i = 0; i < options.size(); ++i) {
    const std::string name =
        "adversary." + s.zones[options[i].zone].id + "." + attack_option_name(options[i].option);
    const std::string what = std::string(attack_option_name(options[i].option)) + " in zone " +
                             s.zones[options[i].zone].id;
    const std::optional<Cause> cause = attack_option_cause(options[i].option);
    all.push_back({name + ".attacks", "attacks", "attacks made: " + what, kNeutral, cause,
                   option_attacks, i, false});
    all.push_back({name + ".strikes", "attacks",
                   "attacks that reached their target (not found, jammed or pre-empted): " + what,
                   kNeutral, cause, option_strikes, i, false});
    all.push_back({name + ".casualties", "people",
                   "people killed or wounded by them (before deaths of wounds): " + what, kLower,
                   cause, option_casualties, i, true});
  }
  // Malicious fatalities by month of the attack (§2.9): lives saved by month.
  const size_t months = monthly_fatality_count(s);
  for (size_t k = 0; k < months; ++k) {
    std::string month = std::to_string(k + 1);
    if (month.size() < 2) month.insert(month.begin(), '0');
    all.push_back({std::string(kMaliciousByMonthPrefix) + month, "fatalities",
                   k + 1 == months && months == kMaxMonths
                       ? "fatalities from malicious acts in month 120 of "
                         "the horizon and after, by the time of the attack"
                       : "fatalities from malicious acts in month " + std::to_string(k + 1) +
                             " of the horizon (365/12 days), by the time of "
                             "the attack",
                   kLower, std::nullopt, month_fatalities, k, true});
  }
  return all;
}

std::vector<std::string> metric_names(const Scenario& s) {
  std::vector<std::string> names;
  for (const MetricInfo& m : metric_registry(s)) names.push_back(m.name);
  return names;
}

void extract_metrics(const Tally& t, std::vector<int64_t>& out) {
  // Called once per replication and arm: the readers alone, packed together,
  // keep this as cheap as the hand-written list it replaces.
  struct Reader {
    Read read;
    size_t index;
  };
  static const std::vector<Reader> kReaders = [] {
    std::vector<Reader> r;
    for (const MetricInfo& m : fixed_metrics()) r.push_back({m.read, m.index});
    return r;
  }();
  out.resize(kReaders.size() + t.by_movement.size() + t.by_site.size() + t.by_contingent.size() +
             3 * t.by_option.size() + t.malicious_by_month.size());
  size_t k = 0;
  for (const Reader& r : kReaders) out[k++] = r.read(t, r.index);
  for (size_t i = 0; i < t.by_movement.size(); ++i) out[k++] = movement_fatalities(t, i);
  for (size_t i = 0; i < t.by_site.size(); ++i) out[k++] = site_fatalities(t, i);
  for (size_t i = 0; i < t.by_contingent.size(); ++i) out[k++] = contingent_fatalities(t, i);
  for (const OptionCounts& o : t.by_option) {
    out[k++] = o.attacks;
    out[k++] = o.strikes;
    out[k++] = o.casualties;
  }
  for (const int64_t n : t.malicious_by_month) out[k++] = n;
}

}  // namespace pk
