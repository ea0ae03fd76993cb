// Random streams — docs/model.md §4.
//
// Every draw of a replication comes from a Stream keyed by (seed, replication,
// process, entity). A Stream is a counter-based Philox4x64-10 generator
// (Random123), a keyed bijection on 256-bit counters. The identity goes in
// whole, with no hashing pass per stream:
//   key     = { splitmix(seed, replication), splitmix(process) }
//   counter = { block, a, b, c }            — the entity's identity words
// Entities are named by the 64-bit key of their id (name_key: the zone,
// route, site, movement or hazard id as written), never by their place in a
// list, so adding an entity that has no effect leaves every other entity's
// numbers bit-identical. The replication word is hashed splitmix-style once
// per replication, asymmetric in seed and replication (docs/model.md §4). Philox is a pseudo-random
// function of (key, counter): two streams whose (process, a, b, c) differ never share a counter
// value, so no stream is ever shared between two processes or two entities, and an arm that changes
// one mechanic changes no other process's numbers. Making a stream costs nothing until its first
// draw, and each block of four 64-bit words costs one Philox call.
//
// Stream satisfies UniformRandomBitGenerator and feeds Boost.Random
// distributions (exponential, Poisson, lognormal), whose outputs are fixed
// across compilers (std:: ones are not).
#pragma once

#include <Random123/philox.h>

#include <boost/random/exponential_distribution.hpp>
#include <cstdint>
#include <string_view>

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

// The stream key of an entity's name (its id as written in the scenario):
// FNV-1a over the bytes, then splitmix64 so that ids differing in one letter
// give unrelated words. Part of every key: never change it.
constexpr uint64_t name_key(std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (const char ch : id) {
    h ^= static_cast<unsigned char>(ch);
    h *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return splitmix64(h);
}

// The processes that own streams. Never renumber: the numbers are part of
// every key, so changing one changes the histories of every seed.
// Words: zone, site, movement and hazard are name_key()s of ids; the others
// are the packings device_trip_word() and departure_word() below.
enum class Proc : uint32_t {
  kIedArrivals = 1,     // (zone): candidate gaps and thinning uniforms, in turn
  kIedAttributes = 2,   // (zone, candidate): segment, offset, trigger, observation, lifetime
  kEncounter = 3,       // (zone, movement, device·departure): detection, jammer, strike,
                        // occupants
  kComplexAttack = 4,   // (zone, movement, device·departure): the ambush a strike opens
  kMineField = 5,       // (zone): number of mines
  kMineAttributes = 6,  // (zone, mine): segment, offset, then the lifetime when mines have one
                        // (mines laid on are numbered from 2^31: laid_mine_number)
  kSchedule = 7,        // (movement): Poisson departure gaps
  kDeparture = 8,       // (movement, departure): trained lead crew, then the first word of
                        // the zones' `ambush` budgets and the first two of the crash candidates
  // 9 was a separate ambush-budget stream, retired; budgets are now kHazardBudget.
  kAmbushAttack = 10,     // (movement, hazard, departure·ambush number): warning, hits, kills
  kIdfArrivals = 11,      // (site): candidate gaps and thinning uniforms
  kIdfAttack = 12,        // (site, candidate): rounds, effect, casualties
  kVbiedArrivals = 13,    // (site)
  kVbiedAttack = 14,      // (site, candidate)
  kUavDay = 15,           // (day): grounding, then one availability uniform per aircraft
  kMedevac = 16,          // (casualty event's own key): flight time, then deaths of wounds
  kHazardBudget = 17,     // (movement, hazard, departure): Exp(1) budgets of one distance
                          // hazard (an ambush kind) along the trip, one per ambush
  kMineArrivals = 18,     // (zone): gaps and thinning uniforms of mines laid on, in turn
  kYearEffect = 19,       // (year): the year's gamma multiplier on threat intensity
  kCrashCandidates = 20,  // (movement, departure): candidate gaps and thinning uniforms of
                          // road accidents along the trip, in turn
  kCrash = 21,            // (movement, departure·crash number): vehicle, then occupants
  kIllness = 22,          // (site): serious cases, then whether each dies
  kCare = 23,             // (casualty event's key, wounded number, step): triage and
                          // responder (step 0), then the operation's duration (step 1)
  kJitter = 24,           // (movement): the jitter uniform of periodic departure d is word d
};

// Mines laid on during the run are numbered from 2^31, so that their keys and
// encounter words never meet those of the stock at t = 0 (numbered from 0).
constexpr uint32_t laid_mine_number(uint32_t k) {
  return (1u << 31) | k;
}

// A device's word: mine bit, its number within the zone, the departure that
// meets it (departures are below 2^31, device numbers below 2^32).
constexpr uint64_t device_trip_word(bool mine, uint32_t number, int32_t departure) {
  return (static_cast<uint64_t>(mine) << 63) | (static_cast<uint64_t>(number) << 31) |
         static_cast<uint32_t>(departure);
}

// A departure and the number of an event within it (e.g. its n-th ambush).
constexpr uint64_t departure_word(int32_t departure, uint32_t n) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(departure)) << 32) | n;
}

// The part of a key fixed for one replication.
struct ReplicationKey {
  uint64_t word = 0;
  // The seed passes one more splitmix than the replication: with both passed
  // alike the word was symmetric in the two (replication r of seed s was
  // replication s of seed r, and replication s of every seed s was one and
  // the same), so runs of nearby seeds shared replications.
  static ReplicationKey make(uint64_t seed, uint64_t replication) {
    return ReplicationKey{hash_combine(splitmix64(splitmix64(seed)), replication)};
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

  // Makes `word` the stream's next draw, before its own first block: a
  // process whose first draw comes from a block shared with other processes
  // (a departure's, §4) and whose further draws are its own. Call after reset.
  void lead_with(uint64_t word) {
    buf_[3] = word;
    used_ = 3;
  }
  // The same with two words: `first`, then `second`, then the stream's own.
  void lead_with(uint64_t first, uint64_t second) {
    buf_[2] = first;
    buf_[3] = second;
    used_ = 2;
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
