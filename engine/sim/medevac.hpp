// Casualty bookkeeping and MEDEVAC — docs/model.md §3.3, §8.16-18.
//
// Every casualty event (a strike, an ambush, an IDF attack, a VBIED attack)
// goes through record_casualties(): the killed count at once as KIA; the
// wounded make one MEDEVAC request whose time to care T decides, person by
// person, death of wounds (DOW) with dow_curve(T) or survival (WIA). DOW is
// attributed to the cause and the movement or site of the event.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"
#include "sim/random.hpp"
#include "sim/tally.hpp"

namespace pk::sim {

struct World;

struct CasualtyEvent {
  Cause cause = Cause::kIed;
  int movement = -1;  // index into Scenario::movements, or -1
  int site = -1;      // index into Scenario::sites, or -1
  // The zone and attack option (§2.9) the adversary credits with the
  // casualties; -1: no option (mines, accidents, illness).
  int zone = -1;
  int option = -1;
  int64_t killed = 0;
  int64_t wounded = 0;
  // Of the killed, those the care chain finds potentially survivable (§3.6):
  // set by record_casualties, counted neither in killed nor in wounded.
  int64_t critical = 0;
  StreamId key;  // the event's own stream identity; MEDEVAC draws derive from it
};

// Each of `people` exposed is killed with p_kill, else wounded up to
// p_casualty (>= p_kill), else unhurt: one uniform of `s` per person, in order.
inline void draw_outcomes(Stream& s, int64_t people, double p_kill, double p_casualty,
                          CasualtyEvent& e) {
  for (int64_t i = 0; i < people; ++i) {
    const double u = s.uniform();
    if (u < p_kill) {
      ++e.killed;
    } else if (u < p_casualty) {
      ++e.wounded;
    }
  }
}

// The movement's or site's casualties the event counts with, or null.
inline Casualties* owner_of(Tally& t, const CasualtyEvent& e) {
  if (e.movement >= 0) return &t.by_movement[static_cast<size_t>(e.movement)];
  if (e.site >= 0) return &t.by_site[static_cast<size_t>(e.site)];
  return nullptr;
}

// The event's movement's or site's own care (§3.3, §3.6), or null.
inline const LocalCare* local_care_of(const Scenario& s, const CasualtyEvent& e) {
  if (e.movement >= 0) return &s.movements[static_cast<size_t>(e.movement)].care;
  if (e.site >= 0) return &s.sites[static_cast<size_t>(e.site)].care;
  return nullptr;
}

// When the wounded of a request reach the steps MEDEVAC brings, in hours
// from injury.
struct CareTimes {
  double pickup = 0;   // the MEDEVAC crew reaches them (by ground: on arrival)
  double arrival = 0;  // at the Role 2
};

// dow_curve(T): piecewise linear through the points, flat beyond both ends.
double dow_probability(const std::vector<std::pair<double, double>>& curve, double t);

class MedevacService {
 public:
  // Resets the helicopters and the queue for a new replication.
  void start(World& w);

  // Counts the event's KIA and sends its wounded to care.
  void record_casualties(World& w, const CasualtyEvent& e);

  // An evacuated case of illness at site `site` (§2.8): one patient, one request.
  void on_illness_case(World& w, int site, int number);

  void on_helicopter_free(World& w);
  void on_daylight(World& w);
  void on_timeout(World& w, int request);

  // A sortie crashed with `patients_killed` of its patients (already drawn,
  // in the event's owner): draws the crew's deaths from `s` and counts them
  // all as killed by air accident, and the helicopter lost (§2.8).
  void book_air_crash(World& w, Stream& s, int64_t patients_killed, Casualties* owner);

 private:
  struct Request {
    CasualtyEvent event;
    double requested_at = 0;  // hours
    bool waiting = false;     // in the FIFO queue, neither flown nor sent by ground
  };

  void dispatch(World& w, int request);
  void try_dispatch(World& w);
  void go_by_ground(World& w, const Request& r, double hours_to_care);
  // An evacuated case of illness reaches care after `hours` (§2.8).
  void settle_illness(World& w, const Request& r, Stream& s, double hours, bool crashed);
  // The wounded of request r reach the steps of care at `times` (from the
  // request): with a care chain it takes them on; else dow_curve(arrival)
  // decides deaths of wounds, then, when their sortie crashed, the deaths
  // aboard (§2.8).
  void settle(World& w, const Request& r, Stream& s, const CareTimes& times, bool by_ground,
              bool crashed = false);
  // A helicopter may be dispatched at t: daylight, or night flying allowed.
  static bool can_fly(const World& w, double t);

  std::vector<Request> requests_;  // this replication's requests, by number
  std::vector<int> queue_;         // FIFO of request numbers; entries before head_ are done
  size_t head_ = 0;
  int64_t free_ = 0;               // helicopters on the ground and ready
  bool daylight_pending_ = false;  // a 06:00 event is in the queue
};

}  // namespace pk::sim
