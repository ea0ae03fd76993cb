// What one replication (one possible year of a mission) counted.
//
// Plain integers (plus a few sums of hours and km) so that replications can be
// summarised and merged in a fixed order. docs/model.md §6.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"

namespace pk {

enum class Outcome : int { kKia = 0, kDow = 1, kWia = 2 };
inline constexpr int kOutcomeCount = 3;

struct Casualties {
  std::array<int64_t, kOutcomeCount> n{};  // KIA, DOW, WIA
  int64_t fatalities() const { return n[0] + n[1]; }
  void add(const Casualties& o) {
    for (int i = 0; i < kOutcomeCount; ++i) n[i] += o.n[i];
  }
};

// Outcomes of IEDs (and, separately, mines) — docs/model.md §2.1, §8.9.
struct DeviceCounts {
  int64_t emplaced = 0;  // IEDs emplaced (incl. found_uav_area); for mines: laid
  int64_t found_uav_area = 0;
  int64_t found_route_clearance = 0;
  int64_t found_crew = 0;
  int64_t found_uav = 0;
  int64_t jammed = 0;
  int64_t detonated = 0;
  int64_t expired = 0;  // lifetime ended before the horizon (mines: only with a lifetime)
};

// The care chain's counts (docs/model.md §3.6): 10-1-2 for T1 casualties,
// deaths before advanced care, and the load on the Role 2.
struct CareCounts {
  int64_t t1 = 0;                   // T1 casualties (critical wounded)
  int64_t t1_first_aid_10min = 0;   // ... given first aid within 10 minutes of injury
  int64_t t1_advanced_care_1h = 0;  // ... reached advanced care within 1 hour
  int64_t t1_surgery_2h = 0;        // ... in surgery within 2 hours
  int64_t died_before_first_aid = 0;
  int64_t died_before_advanced_care = 0;
  int64_t surgeries = 0;
  int64_t surgery_waited = 0;        // operations that waited for a table
  int64_t surgery_wait_minutes = 0;  // each wait rounded to the minute
  int64_t table_minutes = 0;         // each operation rounded to the minute
  int64_t bed_days = 0;
  int64_t peak_beds = 0;      // most beds taken at once
  int64_t over_capacity = 0;  // survivors that found every bed taken
};

// What the attackers got from one option of one zone (docs/model.md §2.9):
// attacks made, attacks that reached their target (an IED or ambush not
// found, jammed or pre-empted; every attack on a site), and the people they
// killed or wounded (before the care chain decides who dies of wounds).
struct OptionCounts {
  int64_t attacks = 0;
  int64_t strikes = 0;
  int64_t casualties = 0;
};

struct Tally {
  std::array<Casualties, kCauseCount> by_cause{};
  std::vector<Casualties> by_movement;  // indexed like Scenario::movements
  std::vector<Casualties> by_site;      // indexed like Scenario::sites (IDF, VBIED)
  // Indexed like Scenario::contingents: its movements' and sites' (§3.4).
  std::vector<Casualties> by_contingent;
  DeviceCounts ied;
  DeviceCounts mine;
  int64_t ambush_attacks = 0;  // includes complex attacks and pre-empted ones
  int64_t ambush_preempted = 0;
  std::array<int64_t, kCauseCount> site_attacks{};  // by Cause; threats on sites only
  int64_t road_accidents = 0;                       // crashes of a vehicle of a movement (§2.8)
  int64_t illness_cases = 0;  // serious cases among the sites' personnel (§2.8)
  int64_t air_accidents = 0;  // MEDEVAC sorties that crashed (§2.8)
  int64_t departures = 0;
  int64_t clearance_escorts = 0;  // departures a route-clearance team went ahead of
  int64_t clearance_refused = 0;  // departures that asked for a team and found none free
  double movement_km = 0;
  int64_t medevac_requests = 0;
  int64_t medevac_waited = 0;     // requests that waited for a helicopter
  int64_t medevac_ground = 0;     // requests that went by ground
  double medevac_wait_hours = 0;  // sum of waits (ground: the whole max wait)
  CareCounts care;
  // By attack_options(scenario) (scenario/attack_options.hpp): empty without
  // an `adversary:` block.
  std::vector<OptionCounts> by_option;
  // Fatalities from malicious acts by month of the attack (months of 365/12
  // days; the last holds the rest of the horizon), with an `adversary:` block
  // and a horizon over 90 days (§2.9); empty otherwise.
  std::vector<int64_t> malicious_by_month;
  int64_t events = 0;  // kernel events dispatched (a cost measure for benchmarks, not a result)

  int64_t attacks_on_sites(Cause c) const { return site_attacks[static_cast<int>(c)]; }

  Casualties total() const {
    Casualties t;
    for (const auto& c : by_cause) t.add(c);
    return t;
  }

  // Adds up by_movement and by_site into by_contingent.
  void sum_by_contingent(const Scenario& s) {
    by_contingent.assign(s.contingents.size(), Casualties{});
    if (s.contingents.empty()) return;
    for (size_t m = 0; m < s.movements.size(); ++m)
      if (s.movements[m].contingent >= 0)
        by_contingent[s.movements[m].contingent].add(by_movement[m]);
    for (size_t i = 0; i < s.sites.size(); ++i)
      if (s.sites[i].contingent >= 0) by_contingent[s.sites[i].contingent].add(by_site[i]);
  }

  // Resets every counter, keeping vector sizes (no allocation between replications).
  void reset(size_t movements, size_t sites, size_t options = 0, size_t months = 0) {
    Tally fresh;
    fresh.by_movement.swap(by_movement);
    fresh.by_site.swap(by_site);
    fresh.by_contingent.swap(by_contingent);
    fresh.by_option.swap(by_option);
    fresh.malicious_by_month.swap(malicious_by_month);
    fresh.by_movement.assign(movements, Casualties{});
    fresh.by_site.assign(sites, Casualties{});
    fresh.by_option.assign(options, OptionCounts{});
    fresh.malicious_by_month.assign(months, 0);
    *this = std::move(fresh);
  }
};

}  // namespace pk
