// Random streams — docs/model.md §4.
//
// Every draw of a replication comes from a Stream keyed by (seed, replication,
// process, entity). A Stream is a counter-based Philox4x64-10 generator
// (Random123), a keyed bijection on 256-bit counters. The identity goes in
// whole, with no hashing pass per stream:
//   key     = { splitmix(seed, replication), splitmix(process) }
//   counter = { block, a, b, c }            — the entity's identity words
// The replication word is hashed splitmix-style once per replication
// (docs/model.md §4). Philox is a pseudo-random function of (key, counter): two
// streams whose (process, a, b, c) differ never share a counter value, so no
// stream is ever shared between two processes or two entities, and an arm that
// changes one mechanic changes no other process's numbers. Making a stream
// costs nothing until its first draw, and each block of four 64-bit words costs
// one Philox call.
//
// Stream satisfies UniformRandomBitGenerator and feeds Boost.Random
// distributions (exponential, Poisson, lognormal), whose outputs are fixed
// across compilers (std:: ones are not).
#pragma once

#include <Random123/philox.h>

#include <boost/random/exponential_distribution.hpp>
#include <cstdint>

namespace pk::sim {

// The mixing function of splitmix64 (Steele, Lea, Flood 2014): a bijection on
// 64 bits with full avalanche.
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Folds one more word into a running hash (order matters).
constexpr uint64_t hash_combine(uint64_t h, uint64_t v) {
  return splitmix64(h ^ splitmix64(v));
}

// The processes that own streams. Never renumber: the numbers are part of
// every key, so changing one changes the histories of every seed.
enum class Proc : uint32_t {
  kIedArrivals = 1,     // (zone): candidate gaps and thinning uniforms, in turn
  kIedAttributes = 2,   // (zone, candidate): segment, offset, trigger, observation, lifetime
  kEncounter = 3,       // (device, movement·departure): detection, jammer, strike, occupants
  kComplexAttack = 4,   // (device, movement·departure): the ambush a strike opens
  kMineField = 5,       // (zone): number of mines
  kMineAttributes = 6,  // (zone, mine): segment, offset
  kSchedule = 7,        // (movement): Poisson departure gaps
  kDeparture = 8,       // (movement, departure): jitter, trained lead crew, then the
                        // Exp(1) integrated-hazard budgets of its ambushes
  // 9 was a separate ambush-budget stream; merged into kDeparture (one stream per departure).
  kAmbushAttack = 10,   // (movement·departure, ambush number): warning, hits, kills
  kIdfArrivals = 11,    // (site): candidate gaps and thinning uniforms
  kIdfAttack = 12,      // (site, candidate): rounds, effect, casualties
  kVbiedArrivals = 13,  // (site)
  kVbiedAttack = 14,    // (site, candidate)
  kUavDay = 15,         // (day): grounding, then one availability uniform per aircraft
  kMedevac = 16,        // (casualty event's own key): flight time, then deaths of wounds
};

// The part of a key fixed for one replication.
struct ReplicationKey {
  uint64_t word = 0;
  static ReplicationKey make(uint64_t seed, uint64_t replication) {
    return ReplicationKey{hash_combine(splitmix64(seed), replication)};
  }
};

// The identity of an entity's stream within a replication.
struct StreamId {
  uint32_t proc = 0;
  uint64_t a = 0, b = 0, c = 0;
  // A 64-bit digest of the identity, for streams keyed by another stream's
  // identity (a casualty event's MEDEVAC draws): four splitmix rounds, so
  // distinct identities collide with probability about 2^-64.
  uint64_t hash() const {
    uint64_t h = splitmix64(proc);
    h = splitmix64(h ^ a);
    h = splitmix64(h ^ (b + 0x632be59bd9b4e019ULL));
    return splitmix64(h ^ (c + 0x8cb92ba72f3d8dd7ULL));
  }
};

class Stream {
 public:
  using result_type = uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~uint64_t{0}; }

  Stream() = default;
  Stream(ReplicationKey rk, const StreamId& id) { reset(rk, id); }
  Stream(ReplicationKey rk, Proc p, uint64_t a, uint64_t b = 0, uint64_t c = 0) {
    reset(rk, StreamId{static_cast<uint32_t>(p), a, b, c});
  }

  void reset(ReplicationKey rk, const StreamId& id) {
    key_ = {{rk.word, splitmix64(id.proc)}};
    ctr_ = {{0, id.a, id.b, id.c}};
    used_ = 4;
  }

  result_type operator()() {
    if (used_ == 4) refill();
    return buf_[used_++];
  }

  // A uniform on [0, 1): the top 53 bits of one word times 2^-53, exact and
  // never 1. (Boost's uniform_01 converts the whole unsigned word, whose
  // sign-bit branch the CPU mispredicts half the time; this is one signed
  // conversion, the same on every compiler.)
  double uniform() {
    return static_cast<double>(static_cast<int64_t>((*this)() >> 11)) * 0x1.0p-53;
  }
  // An Exp(1) variate through Boost.Random.
  double exp1() { return boost::random::exponential_distribution<double>(1.0)(*this); }

 private:
  void refill() {
    const r123::Philox4x64::ctr_type out = r123::Philox4x64()(ctr_, key_);
    ++ctr_.v[0];  // the block number
    for (int i = 0; i < 4; ++i) buf_[i] = out.v[i];
    used_ = 0;
  }

  r123::Philox4x64::key_type key_ = {{0, 0}};
  r123::Philox4x64::ctr_type ctr_ = {{0, 0, 0, 0}};
  uint64_t buf_[4] = {0, 0, 0, 0};
  int used_ = 4;
};

}  // namespace pk::sim
