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
  int64_t killed = 0;
  int64_t wounded = 0;
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

class MedevacService {
 public:
  // Resets the helicopters and the queue for a new replication.
  void start(World& w);

  // Counts the event's KIA and sends its wounded to care.
  void record_casualties(World& w, const CasualtyEvent& e);

  void on_helicopter_free(World& w);
  void on_daylight(World& w);
  void on_timeout(World& w, int request);

 private:
  struct Request {
    CasualtyEvent event;
    double requested_at = 0;  // hours
    bool waiting = false;     // in the FIFO queue, neither flown nor sent by ground
  };

  void dispatch(World& w, int request);
  void try_dispatch(World& w);
  void go_by_ground(World& w, const Request& r, double hours_to_care);
  // Draws deaths of wounds from `s` (past its flight draw) for time to care
  // `hours_to_care` and tallies DOW and WIA.
  // The wounded of request r reach care after hours_to_care: deaths of wounds,
  // then, when their sortie crashed, the deaths aboard (§2.8).
  void settle(World& w, const Request& r, Stream& s, double hours_to_care, bool by_ground,
              bool crashed = false);
  void crash_aboard(World& w, const Request& r, Stream& s, int64_t patients, pk::Casualties* owner);
  // A helicopter may be dispatched at t: daylight, or night flying allowed.
  static bool can_fly(const World& w, double t);

  std::vector<Request> requests_;  // this replication's requests, by number
  std::vector<int> queue_;         // FIFO of request numbers; entries before head_ are done
  size_t head_ = 0;
  int64_t free_ = 0;               // helicopters on the ground and ready
  bool daylight_pending_ = false;  // a 06:00 event is in the queue
};

}  // namespace pk::sim
