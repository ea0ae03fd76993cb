// The care chain — docs/model.md §3.6.
//
// With medevac.care_chain, the wounded of a MEDEVAC request are triaged (T1,
// T2, T3) and may die while they wait for first aid and for advanced care
// (killed in action), then before surgery with dow_curve(time to surgery)
// times their category's relative risk (died of wounds). Surgery takes place
// at a Role 2 whose operating tables serve arrivals in order; without a role2
// block it starts on arrival. One uniform per wounded person, drawn where
// today's death-of-wounds draw is, decides every stage, so a chain whose
// steps take no time and whose risks are 1 gives the same deaths draw for
// draw as dow_curve alone.
#pragma once

#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "sim/medevac.hpp"
#include "sim/random.hpp"

namespace pk::sim {

struct World;

class CareChainService {
 public:
  void start(World& w);

  // `e` with the potentially survivable among its killed moved to `critical`
  // (one uniform each from the event's care stream); `e` itself without a
  // chain that has them.
  CasualtyEvent split_survivable(World& w, const CasualtyEvent& e) const;

  // The wounded of event `e`, injured at `injured_at`: stages before advanced
  // care now, then surgery. `s` is the request's MEDEVAC stream, past its
  // flight draws; `crashed`: the sortie crashed on the way (§2.8).
  void treat(World& w, const CasualtyEvent& e, double injured_at, Stream& s, const CareTimes& t,
             bool crashed);

  void on_arrival(World& w, int patient);
  void on_table_free(World& w);

 private:
  struct Patient {
    CasualtyEvent event;    // cause and owner (killed and wounded unused)
    uint32_t number = 0;    // the wounded person's number within the event
    int triage = 0;         // 0: T1, 1: T2, 2: T3
    double injured_at = 0;  // hours
    double arrival_at = 0;  // hours
    double surgery_u = 0;   // the person's uniform, rescaled past the earlier stages
  };

  // One wounded person of event `e` (number `number`, category k, hazards
  // h1 and h2 before first aid and advanced care, death uniform u): the
  // stages before advanced care now; a survivor joins fresh_.
  void admit(World& w, const CasualtyEvent& e, double injured_at, const CareTimes& times, int k,
             double h1, double h2, bool responder, double u, uint32_t number);
  // The person's fate before surgery at time `now`; survivors of T1 and T2
  // are operated on (with a Role 2: for a drawn duration) and take a bed.
  void operate(World& w, const Patient& p, double now);
  void start_queued(World& w);
  void take_bed(World& w, const Patient& p, double now);

  std::vector<Patient> fresh_;     // the survivors of the request being treated
  std::vector<Patient> patients_;  // slots of the patients on their way to the Role 2 or queued
  std::vector<int> free_slots_;    // slots of patients_ no longer in use
  std::vector<int> queue_;         // slots waiting for a table, in arrival order
  size_t head_ = 0;
  int64_t free_tables_ = 0;
  // When each taken bed frees, earliest first.
  std::priority_queue<double, std::vector<double>, std::greater<double>> beds_;
};

}  // namespace pk::sim
