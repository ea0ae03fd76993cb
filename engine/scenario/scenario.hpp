// The typed, validated, immutable form of a scenario (docs/model.md §1).
//
// Produced only by the loader (scenario/loader.hpp); the engine reads it and
// never sees YAML. Units are converted once, at load:
//   time      hours   (YAML *_days keys are multiplied by 24)
//   distance  km
//   speed     km/h
//   rates     per hour (per_km_day / 24, per_site_day / 24,
//             per_site_year / (365 * 24), poisson_per_day / 24),
//             per km for distance processes (per_1000km / 1000)
// Every cross-reference is an index into the owning vector of Scenario, so the
// engine never looks an id up by name.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pk {

inline constexpr double kHoursPerDay = 24.0;
inline constexpr double kDaysPerYear = 365.0;  // docs/model.md §8.1

// The causes of death (docs/model.md §2): the malicious acts first, then the
// causes outside hostile action (§2.8).
enum class Cause : int {
  kIed = 0,
  kMine = 1,
  kAmbush = 2,
  kIdf = 3,
  kVbied = 4,
  kRoadAccident = 5,
  kIllness = 6,
  kAirAccident = 7,
};
inline constexpr int kCauseCount = 8;  // keys, names, labels: scenario/threats.hpp

enum class Trigger : int { kPressure = 0, kCommand = 1, kRadio = 2 };
inline constexpr int kTriggerCount = 3;

// Per-occupant outcome of an IED or mine strike on one vehicle.
struct Blast {
  double p_kill = 0;   // probability an occupant is killed; [0,1]
  double p_wound = 0;  // probability an occupant is wounded; [0,1], p_kill + p_wound <= 1
  // Probability an occupant is wounded when a vehicle next to this one in the
  // column is struck; [0,1].
  double p_wound_adjacent = 0;
};

struct VehicleType {
  std::string id;
  int seats = 1;                 // >= 1
  Blast blast;                   //
  double ambush_exposure = 1.0;  // multiplies ambush.p_hit; >= 0
  double accident_factor = 1.0;  // multiplies road_accidents' rate per vehicle-km (§2.8); >= 0
  double cost_usd = 0;           // unit cost, for reports
};

// A piecewise-constant factor on a zone's rates over [from_hours, to_hours).
struct IntensityWindow {
  double from_hours = 0;
  double to_hours = 0;
  double factor = 1;
};

// How a threat's arrivals spread over the hours of a day (§2.6): a weight
// for each [from_hour, to_hour) window, 1 outside them, scaled so that the
// mean over a day is 1. The profile moves arrivals within the day; the
// number of arrivals a year is the threat's rate as written.
struct DailyProfile {
  struct Window {
    double from_hour = 0;
    double to_hour = 24;
    double weight = 1;
  };
  std::vector<Window> windows;  // not overlapping; empty: flat
  double mean = 1;              // mean weight over 24 h
  double peak = 1;              // the largest weight / mean: the thinning bound

  // The relative rate at time t (hours from the start): weight / mean.
  double at(double t) const {
    if (windows.empty()) return 1;
    const double h = t - 24 * std::floor(t / 24);
    for (const Window& w : windows)
      if (h >= w.from_hour && h < w.to_hour) return w.weight / mean;
    return 1 / mean;
  }
  // Sets mean and peak from the windows.
  void settle() {
    double covered = 0, sum = 0, top = windows.size() == 0 ? 1 : 0;
    for (const Window& w : windows) {
      covered += w.to_hour - w.from_hour;
      sum += w.weight * (w.to_hour - w.from_hour);
      top = std::max(top, w.weight);
    }
    if (covered < 24) top = std::max(top, 1.0);
    mean = (sum + (24 - covered)) / 24;
    peak = mean > 0 ? top / mean : 1;
  }
};

struct IedThreat {
  double emplacement_per_km_hour = 0;                      // per km of route in the zone, per hour
  double lifetime_hours = 0;                               // mean of an exponential lifetime; > 0
  std::array<double, kTriggerCount> trigger_mix{1, 0, 0};  // pressure, command, radio; sums to 1
  double lead_share = 1.0;     // share of pressure IEDs that hit the lead vehicle
  double complex_share = 0.0;  // share of strikes that open an ambush
  DailyProfile time_of_day{};  // of emplacement
};

// Mines: a stock on the roads at t = 0 plus, optionally, ongoing laying; with a
// lifetime, each mine is lost (cleared by locals, washed out, recovered) at a
// constant rate, so stock = laying x lifetime is the steady state (§2.2).
struct MineField {
  double per_km = 0;              // Poisson count per km of route in the zone at t = 0
  double laying_per_km_hour = 0;  // mines laid per km of route per hour (0: none)
  double lifetime_hours = 0;      // mean of an exponential lifetime; 0: mines never expire
  // per_km not given, laying is: the stock at t = 0 is the steady state of
  // laying, expiry and removal by the traffic of each route (§2.2).
  bool steady_stock = false;
  DailyProfile time_of_day{};  // when in the day mines are laid (§2.6)
};

// A distance hazard: ambushes arriving as a Poisson process in km driven.
struct AmbushThreat {
  double per_km = 0;  // arrivals per km travelled in the zone (per_1000km / 1000)
  double p_hit = 0;
  double p_kill_given_hit = 0;
  double halted_factor = 1.0;  // multiplies p_hit while the movement is halted
  double kill_zone_m = 0;      // 0: the whole movement is exposed (§2.3)
  DailyProfile time_of_day{};  // when in the day ambushes come (§2.6)
  // The hazard's name: "ambush" for a zone's `ambush` block, the entry's id in
  // `ambushes`. Entries with one id in several zones are one hazard whose
  // parameters change with the zone; each hazard has its own random streams.
  std::string id = "ambush";
};

struct IdfThreat {
  double per_site_hour = 0;
  double mean_rounds = 1;  // rounds per attack: 1 + Poisson(mean_rounds - 1); < 1 means 1
  double p_effective = 0;
  double casualties_per_round = 0;  // mean of a Poisson, times site idf_exposure
  double kill_share = 0;
  DailyProfile time_of_day{};
};

struct VbiedThreat {
  double per_site_hour = 0;  // per_site_year / (365 * 24)
  double casualties_stopped = 0;
  double casualties_breach = 0;
  double kill_share = 0;
  DailyProfile time_of_day{};
};

// Road accidents (§2.8): crashes of single vehicles, a Poisson process in
// vehicle-km driven in the zone, faster at night; each occupant of the vehicle
// is killed with p_kill or injured with p_wound. Not scaled by the zone's
// threat intensity or the year effect.
struct RoadAccidents {
  double per_vehicle_km = 0;  // per_million_vehicle_km / 1e6
  double night_factor = 1;    // multiplies the rate outside 06:00-18:00
  double p_kill = 0;
  double p_wound = 0;
};

// Serious illness (§2.8) among the personnel of the zone's sites: cases a
// Poisson count with a rate per person-hour, each fatal with case_fatality.
struct Illness {
  double per_person_hour = 0;  // per_1000_person_years / (1000 * 365 * 24)
  double case_fatality = 0;
  // The share of cases flown or driven to the Role 2 (§2.8), and the time to
  // care (hours) at which case_fatality was observed; 0: none evacuated.
  double evacuated_share = 0;
  double case_fatality_at_hours = 0;
};

struct Zone {
  std::string id;
  std::optional<IedThreat> ied;
  std::optional<MineField> mines;
  std::optional<AmbushThreat> ambush;  // the distance hazard named "ambush"
  std::vector<AmbushThreat> ambushes;  // further distance hazards, ids unique in the zone
  std::optional<IdfThreat> idf;
  std::optional<VbiedThreat> vbied;
  std::optional<RoadAccidents> road_accidents;
  std::optional<Illness> illness;
  std::vector<IntensityWindow> intensity;  // ordered, non-overlapping; factor 1 outside
};

// A national contingent (§3.4). The loader applies its training, night
// capability and equipment fill to its movements; the engine applies the
// learning curve after each rotation to its lead crews' detection.
struct Contingent {
  struct Rotation {
    double first_hours = 0;
    double every_hours = 0;  // 0: one rotation
    double learning_hours = 1;
    double initial_factor = 1;
  };
  std::string id;
  std::optional<double> trained_fraction;
  std::optional<double> night_factor;
  bool night_moves = true;
  std::optional<double> equipment_fill;
  int shortfall_type = -1;  // index into Scenario::vehicle_types, with equipment_fill
  std::optional<Rotation> rotation;

  // The factor on its crews' detection at time t: initial_factor on the day of
  // a rotation, rising linearly to 1 over learning_hours; 1 before the first.
  double learning(double t) const {
    if (!rotation || t < rotation->first_hours) return 1;
    double since = t - rotation->first_hours;
    if (rotation->every_hours > 0)
      since -= rotation->every_hours * std::floor(since / rotation->every_hours);
    if (since >= rotation->learning_hours) return 1;
    return rotation->initial_factor +
           (1 - rotation->initial_factor) * since / rotation->learning_hours;
  }
};

// Who gives first aid and advanced care to the wounded of one movement or
// site (docs/model.md §3.6); unset: the care chain's own values.
struct LocalCare {
  std::optional<double> responder_share;  // Field Medical Assistants, trained crews
  std::optional<bool> role1;              // a Role 1 on the spot
  // Where the Role 2 is for these casualties (§3.3): MEDEVAC's mean flight
  // time and the time by ground, in hours, where they differ from medevac's.
  std::optional<double> flight_hours;
  std::optional<double> ground_evac_hours;
};

struct Site {
  std::string id;
  int contingent = -1;          // index into Scenario::contingents; -1: none
  int zone = 0;                 // index into Scenario::zones
  int64_t personnel = 0;        // people living in the site
  double idf_exposure = 1.0;    // multiplies idf.casualties_per_round
  double perimeter_stop = 0.0;  // probability a VBIED is stopped at the perimeter
  LocalCare care{};
};

struct Segment {
  int zone = 0;  // index into Scenario::zones
  double length_km = 0;
};

struct Route {
  std::string id;
  int from = 0;  // index into Scenario::sites
  int to = 0;
  std::vector<Segment> segments;
  double length_km = 0;  // sum of segment lengths
};

struct VehicleGroup {
  int type = 0;  // index into Scenario::vehicle_types
  int64_t count = 0;
  int crew = 0;   // occupants per vehicle, <= seats
  int pool = -1;  // index into Scenario::vehicle_pools; -1: the movement's own vehicles
  // With a pool: 1 is served first; a departure takes only what is free beyond
  // the vehicles kept for the groups of a smaller number (§3.5).
  int64_t priority = 1;
};

// Vehicles a mission holds in a limited number and lends to the movements
// whose groups name the pool (§3.5): a departure takes what is free, the rest
// of the group drives as fallback_type, and the vehicles come back when the
// trip ends.
struct VehiclePool {
  std::string id;
  int type = 0;  // index into Scenario::vehicle_types: the pooled vehicles
  int64_t vehicles = 0;
  int fallback_type = 0;  // what drives where the pool has none free
};

struct Schedule {
  enum class Kind { kPeriodic, kPoisson } kind = Kind::kPeriodic;
  double every_hours = 0;   // periodic: interval, > 0
  double first_hour = 0;    // periodic: first departure
  double jitter_hours = 0;  // periodic: each departure shifted by U[-J/2, J/2], clamped at 0
  double per_hour = 0;      // poisson: departure rate per hour (the class's, count included)
  // A movement class (§8.12): `count` departures at each periodic time,
  // spread_hours / count apart; a Poisson class's rate is count x its own.
  int64_t count = 1;
  double spread_hours = 0;  // periodic: the span of each time's departures; <= every_hours
  // Departures leave only in [window_from, window_to) of a day (§8.12); [0, 24): any hour.
  double window_from = 0;
  double window_to = 24;

  bool has_window() const { return window_from > 0 || window_to < 24; }
  // The mean number of departures per hour (a window moves departures, it does
  // not thin them): what priorities expect a movement to ask for.
  double mean_per_hour() const {
    return kind == Kind::kPoisson ? per_hour : static_cast<double>(count) / every_hours;
  }
  // Periodic: when departure d is due before jitter and window; departure
  // n * count + j is the j-th of the n-th scheduled time.
  double nominal_time(int64_t d) const {
    if (count == 1) return first_hour + static_cast<double>(d) * every_hours;
    const int64_t n = d / count, j = d % count;
    return first_hour + static_cast<double>(n) * every_hours +
           static_cast<double>(j) * (spread_hours / static_cast<double>(count));
  }
  // Periodic: the shortest gap between consecutive nominal times; jitter no
  // wider keeps departures in order.
  double shortest_gap() const {
    return count == 1 ? every_hours : spread_hours / static_cast<double>(count);
  }
  // The first time at or after t inside the window.
  double next_in_window(double t) const {
    const double day = std::floor(t / 24);
    const double h = t - 24 * day;
    if (h >= window_from && h < window_to) return t;
    return 24 * (h < window_from ? day : day + 1) + window_from;
  }
};

// Daylight is 06:00-18:00 of any day (§8.17); detectors may see less at night.
inline bool daylight(double hours) {
  const double h = hours - kHoursPerDay * std::floor(hours / kHoursPerDay);
  return h >= 6.0 && h < 18.0;
}

// A detector's probability at time t: p, times night_factor outside daylight, at most 1.
inline double by_time_of_day(double p, double night_factor, double t) {
  return daylight(t) ? p : std::min(1.0, p * night_factor);
}

struct CIed {
  double trained_fraction = 0;  // probability the lead crew of a departure is trained
  double p_detect_trained = 0;
  double p_detect_untrained = 0;
  double night_factor = 1;  // multiplies both detection probabilities at night (§2.1)
};

struct RouteClearance {
  double p_find = 0;
  double speed_kmh = 0;     // caps the movement's speed
  double night_factor = 1;  // multiplies p_find at night (§2.1)
  // The clearance element's own vehicles, ahead of the movement's when it
  // escorts a departure (§2.1); empty: the team is never struck.
  std::vector<VehicleGroup> vehicles{};
  // Under clearance_teams, escorts are kept for movements of a smaller number
  // (§8.14); all alike: first come, first served.
  int64_t priority = 1;
};

// The risk of disposing of a found device (§2.1): an incident with p_incident
// exposes `team` people, each killed with p_kill or wounded with p_wound.
struct EodDisposal {
  double p_incident = 0;
  int64_t team = 0;
  double p_kill = 0;
  double p_wound = 0;
};

struct Jammer {
  double p_defeat = 0;  // against radio-triggered IEDs
};

struct Movement {
  std::string id;
  enum class Kind { kConvoy, kPatrol } kind = Kind::kConvoy;
  int route = 0;        // index into Scenario::routes
  int contingent = -1;  // index into Scenario::contingents; -1: none
  Schedule schedule;
  double speed_kmh = 0;  // before the route-clearance cap
  bool round_trip = false;
  std::vector<VehicleGroup> vehicles{};
  CIed c_ied;
  std::optional<RouteClearance> route_clearance;
  std::optional<Jammer> jammer;
  std::optional<EodDisposal> eod_disposal;
  double eod_delay_hours = 0;
  double halt_hours = 0;
  double spacing_m = 0;  // between vehicles; 0: no convoy geometry (§2.3)

  // min(speed_kmh, route_clearance.speed_kmh) — docs/model.md §8.14
  double effective_speed_kmh() const {
    return route_clearance && route_clearance->speed_kmh < speed_kmh ? route_clearance->speed_kmh
                                                                     : speed_kmh;
  }
  LocalCare care{};
};

// Route-clearance teams shared by the movements with route_clearance (§8.14):
// each week [168 k, 168 (k + 1)) h holds teams × escorts_per_week escorts,
// given to departures first come, first served.
struct ClearanceTeams {
  int64_t teams = 0;
  int64_t escorts_per_week = 1;
  int64_t escorts_a_week() const { return teams * escorts_per_week; }
};

struct UavOverwatch {
  double p_detect_ied = 0;
  double p_warn = 0;
  double night_factor = 1;  // multiplies p_detect_ied and p_warn at night (§3.2)
};

struct UavArea {
  std::vector<int> zones;  // indices into Scenario::zones
  double km_per_aircraft = 0;
  double p_observe = 0;
  double deterrence = 0;
};

struct Uav {
  int64_t aircraft = 0;
  double availability = 1;
  double weather_grounding = 0;
  std::optional<UavOverwatch> overwatch;
  std::optional<UavArea> area;
};

// Accidents of MEDEVAC sorties (§2.8): a sortie of `hours` crashes with
// probability 1 − exp(−per_flight_hour × hours × (night_factor at night)); each
// of its crew and patients is killed with p_kill, and the helicopter is lost.
struct AirAccidents {
  double per_flight_hour = 0;  // per_100k_flight_hours / 1e5
  double night_factor = 1;
  int64_t crew = 4;
  double p_kill = 0;
};

// The care chain (docs/model.md §3.6): what happens to the wounded between the
// point of injury and surgery. Triage categories T1 (critical), T2 (urgent),
// T3 (minor), indexed 0..2.
inline constexpr int kTriageCount = 3;
using PerTriage = std::array<double, kTriageCount>;

struct Role2 {
  int64_t operating_tables = 1;
  double surgery_hours = 1;  // mean of an exponential operation time
  int64_t beds = -1;  // counted against, not a limit on care; -1: no bed count (0 is a count)
  std::array<int64_t, kTriageCount> stay_days{};
};

struct CareChain {
  PerTriage severity{1, 0, 0};           // shares of the wounded, summing to 1
  double responder_share = 0;            // share of the wounded a trained responder reaches
  double responder_hours = 0;            // time to first aid with a responder
  double first_aid_hours = 0;            // time to first aid without one
  bool forward_role1 = false;            // a Role 1 travels with every movement
  bool camp_role1 = true;                // every site has a Role 1
  double role1_hours = 0;                // time to advanced care from a forward Role 1
  PerTriage before_first_aid_hazard{};   // deaths per hour while waiting for first aid
  PerTriage before_advanced_hazard{};    // deaths per hour between first aid and advanced care
  PerTriage dow_relative_risk{1, 1, 1};  // multiplies dow_curve per category
  // Of the people an event kills outright, the share who are in fact
  // critically wounded and die only without timely care (T1, own hazards).
  double survivable_share = 0;
  double survivable_first_aid_hazard = 0;
  double survivable_advanced_hazard = 0;
  std::optional<Role2> role2{};  // absent: surgery at once on arrival
};

struct Medevac {
  int64_t helicopters = 0;
  double dispatch_hours = 0;
  double flight_hours = 0;     // mean of a lognormal flight time
  double flight_sd_hours = 0;  // 0: fixed flight time
  bool night_flying = false;
  double max_wait_hours = 0;
  double ground_evac_hours = 0;
  std::vector<std::pair<double, double>> dow_curve;  // (hours, probability), hours increasing
  std::optional<AirAccidents> accidents{};           // absent: sorties never crash
  std::optional<CareChain> care{};                   // absent: dow_curve at arrival alone
};

struct Acceptance {
  double max_fatalities_per_1000py = 0;
  double confidence = 0.95;
  // Largest accepted probability that one replication's rate exceeds the max.
  std::optional<double> max_exceedance_probability;
  // Which deaths the limit counts (§2.8): malicious acts only (the default,
  // what the key always meant), or every cause the scenario has.
  bool all_causes = false;
};

// The adaptive adversary (docs/model.md §2.9): how the attackers answer a
// mitigation. Read from the `adversary:` block; `pkrisk run` turns it into an
// AdversaryPath for each arm's adaptive twin.
struct Adversary {
  double displacement_elasticity = 0;    // 0: attacks never move to other options
  double total_elasticity = 0;           // 0: the total attack effort stays fixed
  double half_life_hours = 0;            // 0: the adversary adapts at once
  double max_recovery = 0;               // share of the per-strike lethality lost that is regained
  double elapsed_hours = 0;              // how long the mitigation has been in place at t = 0
  int64_t pilot_replications = 2000;     // replications that estimate the payoffs
  double step_hours = 7 * kHoursPerDay;  // the path changes at most this often
};

// The options the adversary spreads its effort over in each zone (§2.9): IEDs
// by trigger, ambushes, indirect fire and VBIEDs. Mines are not an option.
enum class AttackOption : int {
  kIedPressure = 0,
  kIedCommand = 1,
  kIedRadio = 2,
  kAmbush = 3,
  kIdf = 4,
  kVbied = 5,
};
inline constexpr int kAttackOptionCount = 6;

inline constexpr int ied_option(Trigger t) {
  return static_cast<int>(t);
}

// What the adversary does in one arm's run, piece by piece of step_hours
// (the last piece lasts to the horizon). Built by experiment/adversary.cpp;
// null in every scenario a user writes.
struct AdversaryPath {
  struct Piece {
    // By Cause (IED, mine, ambush, IDF, VBIED): the factor on the threat's
    // attack rate; mines stay 1.
    std::array<double, 5> rate{1, 1, 1, 1, 1};
    std::array<double, kTriggerCount> trigger_mix{1, 0, 0};              // of the IEDs emplaced
    std::array<double, kAttackOptionCount> lethality{1, 1, 1, 1, 1, 1};  // per strike
  };
  // How the answer was reached, option by option, for the reports.
  struct Option {
    int zone = 0;
    AttackOption option = AttackOption::kIedPressure;
    double base_share = 0;       // of the baseline's attacks
    double payoff_ratio = 1;     // casualties per attack, arm / baseline
    double lethality_ratio = 1;  // casualties per strike, arm / baseline
    double rate_factor = 1;      // on the option's attacks, fully adapted
    double lethality_factor = 1;  // on its per-strike lethality, fully adapted: 1 + (1/ℓ − 1)·ρ
  };
  std::vector<Option> options;
  double step_hours = 0;                     // > 0
  std::vector<std::vector<Piece>> zones;     // [zone][piece], at least one piece each
  std::vector<std::array<double, 5>> bound;  // [zone][cause]: the largest rate factor

  const Piece& at(int zone, double t) const {
    const std::vector<Piece>& p = zones[static_cast<size_t>(zone)];
    const auto k = static_cast<size_t>(std::max(0.0, t / step_hours));
    return p[std::min(k, p.size() - 1)];
  }
};

struct Scenario {
  std::string name;
  std::string description;
  double horizon_hours = 0;
  uint64_t seed = 0;
  int64_t replications = 1000;

  std::vector<VehicleType> vehicle_types;
  std::vector<Zone> zones;
  std::vector<Contingent> contingents;
  std::vector<Site> sites;
  std::vector<Route> routes;
  std::vector<VehiclePool> vehicle_pools;
  std::vector<Movement> movements;
  std::optional<Uav> uav;
  std::optional<ClearanceTeams> clearance_teams;  // absent: a team for every departure
  std::optional<Medevac> medevac;
  std::optional<Acceptance> acceptance;
  // Coefficient of variation of the year effect: a gamma multiplier with mean
  // 1 on every zone's threat intensity, drawn once per simulated year
  // (docs/model.md §2.7); 0: none.
  double year_effect_cv = 0;
  std::optional<Adversary> adversary;  // the `adversary:` block (§2.9)
  // The adversary's answer to this arm, set on an arm's adaptive twin only;
  // null: the static model.
  std::shared_ptr<const AdversaryPath> adversary_path;

  // Σ personnel × horizon_days / 365 (docs/model.md §1, §8.1)
  double personnel_years() const {
    double people = 0;
    for (const auto& s : sites) people += static_cast<double>(s.personnel);
    return people * horizon_hours / (kHoursPerDay * kDaysPerYear);
  }
};

}  // namespace pk
