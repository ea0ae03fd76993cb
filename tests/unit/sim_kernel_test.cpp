// The event kernel: total order (time, priority, insertion), timers.
#include <gtest/gtest.h>

#include <vector>

#include "sim/event_queue.hpp"

namespace pk::des {
namespace {

std::vector<int> drain(EventQueue& q) {
  std::vector<int> order;
  Event e;
  while (q.pop(e)) order.push_back(e.payload.a);
  return order;
}

TEST(EventQueue, PopsInTimeOrder) {
  EventQueue q;
  q.push(3.0, 0, Payload{0, 3});
  q.push(1.0, 0, Payload{0, 1});
  q.push(2.0, 0, Payload{0, 2});
  q.push(0.5, 0, Payload{0, 0});
  EXPECT_EQ(drain(q), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_DOUBLE_EQ(q.now(), 3.0);
}

TEST(EventQueue, SameTimeSamePriorityPopsInInsertionOrder) {
  EventQueue q;
  // Many ties, so that heap reshuffling would show if order leaked through.
  for (int i = 0; i < 200; ++i) q.push(7.0, 1, Payload{0, i});
  q.push(6.0, 1, Payload{0, -1});
  std::vector<int> expected{-1};
  for (int i = 0; i < 200; ++i) expected.push_back(i);
  EXPECT_EQ(drain(q), expected);
}

TEST(EventQueue, PriorityBreaksTimeTies) {
  EventQueue q;
  q.push(5.0, 3, Payload{0, 30});
  q.push(5.0, 1, Payload{0, 10});
  q.push(5.0, 2, Payload{0, 20});
  q.push(5.0, 1, Payload{0, 11});
  q.push(4.0, 9, Payload{0, 0});
  EXPECT_EQ(drain(q), (std::vector<int>{0, 10, 11, 20, 30}));
}

TEST(EventQueue, PoppedEventCarriesItsFields) {
  EventQueue q;
  q.push(2.5, 4, Payload{7, 1, 2, 3});
  Event e;
  ASSERT_TRUE(q.pop(e));
  EXPECT_DOUBLE_EQ(e.time, 2.5);
  EXPECT_EQ(e.priority, 4);
  EXPECT_EQ(e.payload.kind, 7u);
  EXPECT_EQ(e.payload.a, 1);
  EXPECT_EQ(e.payload.b, 2);
  EXPECT_EQ(e.payload.c, 3);
  EXPECT_FALSE(q.pop(e));
}

TEST(EventQueue, CancelledTimerNeverFires) {
  EventQueue q;
  const TimerId t = q.new_timer();
  q.arm(t, 1.0, 0, Payload{0, 100});
  q.push(2.0, 0, Payload{0, 2});
  EXPECT_TRUE(q.pending(t));
  q.cancel(t);
  EXPECT_FALSE(q.pending(t));
  EXPECT_EQ(drain(q), (std::vector<int>{2}));
}

TEST(EventQueue, RearmingReschedulesEarlierOrLater) {
  EventQueue q;
  const TimerId a = q.new_timer();
  const TimerId b = q.new_timer();
  q.arm(a, 5.0, 0, Payload{0, 50});
  q.arm(b, 1.0, 0, Payload{0, 10});
  q.push(3.0, 0, Payload{0, 30});
  q.arm(a, 2.0, 0, Payload{0, 20});  // earlier: the 5.0 entry goes stale
  q.arm(b, 4.0, 0, Payload{0, 40});  // later: the 1.0 entry goes stale
  EXPECT_EQ(drain(q), (std::vector<int>{20, 30, 40}));
  EXPECT_FALSE(q.pending(a));
  EXPECT_FALSE(q.pending(b));
}

TEST(EventQueue, TimerCanBeArmedAgainAfterFiring) {
  EventQueue q;
  const TimerId t = q.new_timer();
  q.arm(t, 1.0, 0, Payload{0, 1});
  Event e;
  ASSERT_TRUE(q.pop(e));
  EXPECT_EQ(e.timer, t);
  q.arm(t, 2.0, 0, Payload{0, 2});
  ASSERT_TRUE(q.pop(e));
  EXPECT_EQ(e.payload.a, 2);
  EXPECT_FALSE(q.pop(e));
}

TEST(EventQueue, ClearForgetsEverything) {
  EventQueue q;
  const TimerId t = q.new_timer();
  q.arm(t, 1.0, 0, Payload{0, 1});
  q.push(2.0, 0, Payload{0, 2});
  Event e;
  ASSERT_TRUE(q.pop(e));
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_DOUBLE_EQ(q.now(), 0.0);
  q.push(0.5, 0, Payload{0, 5});
  EXPECT_EQ(drain(q), (std::vector<int>{5}));
}

TEST(EventQueue, RandomisedAgainstSortedReference) {
  // Interleaved pushes and pops against a brute-force reference ordering.
  EventQueue q;
  struct Ref {
    double t;
    int prio;
    int seq;
  };
  std::vector<Ref> pending;
  uint64_t x = 12345;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  int seq = 0;
  double now = 0;
  for (int step = 0; step < 5000; ++step) {
    if (pending.empty() || next() % 3 != 0) {
      const double t = now + static_cast<double>(next() % 8);  // many exact ties
      const int prio = static_cast<int>(next() % 3);
      q.push(t, prio, Payload{0, seq});
      pending.push_back(Ref{t, prio, seq++});
    } else {
      size_t best = 0;
      for (size_t i = 1; i < pending.size(); ++i) {
        const Ref& a = pending[i];
        const Ref& b = pending[best];
        if (a.t < b.t || (a.t == b.t && (a.prio < b.prio || (a.prio == b.prio && a.seq < b.seq)))) {
          best = i;
        }
      }
      Event e;
      ASSERT_TRUE(q.pop(e));
      ASSERT_EQ(e.payload.a, pending[best].seq);
      now = e.time;
      pending.erase(pending.begin() + static_cast<long>(best));
    }
  }
}

}  // namespace
}  // namespace pk::des
