#include "sim/trace.hpp"

#include <algorithm>
#include <utility>

namespace pk {

namespace {

// The heap's order: true when `a` comes after `b` (std::push_heap keeps the
// largest first, so this puts the earliest there).
template <typename Held>
bool later(const Held& a, const Held& b) {
  if (a.event.time_hours != b.event.time_hours) return a.event.time_hours > b.event.time_hours;
  return a.order > b.order;
}

}  // namespace

void TimeOrderedTrace::record(const TraceEvent& e) {
  heap_.push_back(Held{e, recorded_++});
  std::push_heap(heap_.begin(), heap_.end(), later<Held>);
  most_held_ = std::max(most_held_, heap_.size());
}

void TimeOrderedTrace::settled(double hours) {
  // A record still to come at exactly `hours` is recorded later, so it goes
  // after those held at that time: they can go now.
  while (!heap_.empty() && heap_.front().event.time_hours <= hours) emit_first();
}

void TimeOrderedTrace::finish() {
  while (!heap_.empty()) emit_first();
}

void TimeOrderedTrace::emit_first() {
  std::pop_heap(heap_.begin(), heap_.end(), later<Held>);
  const Held first = std::move(heap_.back());
  heap_.pop_back();
  emit_(first.event);
}

}  // namespace pk
