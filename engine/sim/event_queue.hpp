// The discrete-event kernel: a totally ordered queue of small events.
//
// Events are ordered by (time, priority, insertion sequence): two events at
// the same time and priority pop in the order they were pushed, so a history
// never depends on the heap's internal layout (deterministic order).
//
// The kernel knows no domain words. A payload is a kind number and three
// integers; the domain layer dispatches on the kind with a switch, so there is
// no std::function and no allocation per event.
//
// Cancellation and rescheduling use timers with lazy deletion: a timer is a
// slot with a generation counter; arming it bumps the generation and pushes an
// entry stamped with it, so any older entry of that timer becomes stale and is
// skipped when it reaches the top. Cancelling only bumps the generation. This
// keeps the heap a plain array (no decrease-key, no back-pointers) at the cost
// of a few dead entries, which in this model are rare (a convoy is re-aimed
// only when an IED is emplaced ahead of it).
//
// Time is a double in hours. Rates in the scenario are per hour and event
// times are computed in closed form (entry time + offset / speed, exponential
// gaps), so a floating-point clock keeps them exact to ~1e-12 h over a year;
// integer ticks would force a rounding choice on every computed time and
// create artificial ties. Ties that do occur (integer schedule hours, day
// boundaries) are settled by the explicit priority, then by sequence.
#pragma once

#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pk::des {

// What an event carries: the domain's kind number and three integer arguments.
struct Payload {
  uint32_t kind = 0;  // domain-defined event kind
  int32_t a = 0;      // domain-defined arguments (entity indices, counters)
  int32_t b = 0;
  int32_t c = 0;
};

// Identifies a timer created with EventQueue::new_timer().
using TimerId = uint32_t;
inline constexpr TimerId kNoTimer = 0xffffffffu;

// A popped event.
struct Event {
  double time = 0;   // hours since t = 0
  int priority = 0;  // lower pops first among events at the same time
  TimerId timer = kNoTimer;
  Payload payload;
};

class EventQueue {
 public:
  // Pre-sizes the heap so that a replication does not allocate.
  explicit EventQueue(std::size_t reserve = 1024) {
    heap_.reserve(reserve);
    timers_.push_back(TimerState{});  // slot 0: one-off events (see Entry::slot)
  }

  // Empties the queue, forgets every timer and sets the clock to 0. Keeps the
  // capacity, so the next replication reuses the memory.
  void clear() {
    heap_.clear();
    hole_ = false;
    timers_.resize(1);  // the one-off events' slot stays
    seq_ = 0;
    now_ = 0;
  }

  // The time of the event popped last (0 before the first pop).
  double now() const { return now_; }
  bool empty() const { return heap_.size() == static_cast<std::size_t>(hole_); }
  // Entries in the heap, stale ones included.
  std::size_t size() const { return heap_.size() - static_cast<std::size_t>(hole_); }

  // Pushes a one-off event; it cannot be cancelled. `priority` must be in [0, 255].
  void push(double time, int priority, const Payload& p) { insert(time, priority, 0, 0, p); }

  // A new timer: at most one pending event at a time, which can be replaced or cancelled.
  TimerId new_timer() {
    timers_.push_back(TimerState{});
    return static_cast<TimerId>(timers_.size() - 2);  // its slot is the id + 1
  }

  // Schedules the timer's event, replacing any pending one.
  void arm(TimerId t, double time, int priority, const Payload& p) {
    TimerState& s = timers_[t + 1];
    ++s.generation;
    s.pending = true;
    insert(time, priority, t + 1, s.generation, p);
  }

  // Drops the timer's pending event, if any.
  void cancel(TimerId t) {
    TimerState& s = timers_[t + 1];
    ++s.generation;
    s.pending = false;
  }

  bool pending(TimerId t) const { return timers_[t + 1].pending; }

  // Pops the next live event into `out` and advances the clock to its time.
  // Returns false when no live event is left.
  bool pop(Event& out) {
    for (;;) {
      if (hole_) {
        remove_top();
        hole_ = false;
      }
      if (heap_.empty()) return false;
      // The popped entry stays in the root slot as a hole: the handler of an
      // event nearly always pushes or arms one next, and filling the hole with
      // that entry (one sift-down) is half the work of removing the root
      // (sift-down) and then inserting (sift-up). Keys are unique, so the pop
      // order does not depend on the layout this produces.
      const Entry& top = heap_[0];
      hole_ = true;
      // A one-off event's slot 0 never changes generation, so every event
      // takes this one path: no branch on the kind of entry.
      TimerState& s = timers_[top.slot];
      if (s.generation != top.generation) continue;  // replaced or cancelled
      s.pending = false;
      const double time = std::bit_cast<double>(top.time_bits);
      assert(time >= now_);
      now_ = time;
      out.time = time;
      out.priority = static_cast<int>(top.order >> kSeqBits);
      out.timer = top.slot - 1;  // slot 0 gives kNoTimer
      out.payload = top.payload;
      return true;
    }
  }

  // The time of the next entry (live or stale); only meaningful when !empty().
  double peek_time() {
    if (hole_) {
      remove_top();
      hole_ = false;
    }
    return std::bit_cast<double>(heap_[0].time_bits);
  }

 private:
  static constexpr int kSeqBits = 56;  // 2^56 insertions per replication is never reached

  // The sort key as one unsigned 128-bit number, time bits << 64 | order: the
  // bits of a non-negative double order like the double itself, so (time,
  // priority, sequence) compare in one integer comparison, without branches.
  __extension__ typedef unsigned __int128 Key;  // __extension__: no -Wpedantic warning

  // The key is kept as two words so that an entry stays 40 bytes (a 128-bit
  // member would align it to 48).
  struct Entry {
    uint64_t order;      // priority << kSeqBits | insertion sequence
    uint64_t time_bits;  // bits of the time in hours
    uint32_t slot;       // the timer's id + 1; 0 for a one-off event, whose generation is always 0
    uint32_t generation;
    Payload payload;
  };

  struct TimerState {
    uint32_t generation = 0;
    bool pending = false;
  };

  static Key key_of(const Entry& e) { return (static_cast<Key>(e.time_bits) << 64) | e.order; }
  static bool before(const Entry& x, const Entry& y) { return key_of(x) < key_of(y); }

  void insert(double time, int priority, uint32_t slot, uint32_t generation, const Payload& p) {
    assert(priority >= 0 && priority < 256);
    // Negative zero would sort after every positive time; times are never negative.
    assert(time >= 0);
    const uint64_t order = (static_cast<uint64_t>(priority) << kSeqBits) | seq_++;
    const Entry e{order, std::bit_cast<uint64_t>(time + 0.0), slot, generation, p};
    if (hole_) {
      hole_ = false;
      sift_down(e, heap_.size());
      return;
    }
    // 4-ary heap: shallower than binary, and the four children share a cache line or two.
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void remove_top() {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last, heap_.size());
  }

  // Puts `x` into the root slot (whose entry is gone) and sifts it down among
  // the n entries of the heap.
  //
  // Which child is least is data, not habit: a branch on it is mispredicted
  // about half the time. Four children are settled as a tournament of
  // selects, which compile to conditional moves.
  void sift_down(const Entry& x, std::size_t n) {
    const Key kx = key_of(x);
    std::size_t i = 0;
    for (;;) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      Key kbest = key_of(heap_[first]);
      if (first + 4 <= n) {
        const Key k1 = key_of(heap_[first + 1]), k2 = key_of(heap_[first + 2]),
                  k3 = key_of(heap_[first + 3]);
        const bool b01 = k1 < kbest, b23 = k3 < k2;
        const std::size_t a = b01 ? first + 1 : first, b = b23 ? first + 3 : first + 2;
        const Key ka = b01 ? k1 : kbest, kb = b23 ? k3 : k2;
        const bool ab = kb < ka;
        best = ab ? b : a;
        kbest = ab ? kb : ka;
      } else {
        for (std::size_t c = first + 1; c < n; ++c) {
          const Key kc = key_of(heap_[c]);
          const bool less = kc < kbest;
          best = less ? c : best;
          kbest = less ? kc : kbest;
        }
      }
      if (!(kbest < kx)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = x;
  }

  std::vector<Entry> heap_;
  std::vector<TimerState> timers_;
  bool hole_ = false;  // heap_[0] was popped and awaits the next insert (see pop)
  uint64_t seq_ = 0;
  double now_ = 0;
};

}  // namespace pk::des
