// How the executor spreads work units over processes. Rank 0 decides which
// units run, every rank computes its share, and rank 0 receives every result
// (experiment/executor.hpp). Without a transport the process works alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pk {

class Transport {
 public:
  virtual ~Transport() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Rank 0 gives the list of units to run (nullopt: stop, nothing runs);
  // every rank returns what rank 0 gave.
  std::optional<std::vector<int64_t>> share_units(
      const std::optional<std::vector<int64_t>>& units) {
    shared_ = true;
    return broadcast_units(units);
  }
  bool units_shared() const { return shared_; }
  // Ranks other than 0: send one finished unit's exact result to rank 0.
  virtual void send_result(int64_t unit, const std::string& data) = 0;
  // Rank 0: receives one result; waits for one only if `wait`. False if none.
  virtual bool receive_result(bool wait, int64_t& unit, std::string& data) = 0;
  // Stops every rank with exit code `code`: an error on one rank that the
  // others cannot see (3: a bug; 2: bad input every rank reads alike).
  [[noreturn]] virtual void abort(const std::string& why, int code = 3) = 0;

 protected:
  virtual std::optional<std::vector<int64_t>> broadcast_units(
      const std::optional<std::vector<int64_t>>& units) = 0;

 private:
  bool shared_ = false;
};

// On leaving a command before the executor shared any units (an error):
// rank 0 tells the other ranks that nothing will run, so none waits forever;
// another rank takes that word, so that every rank leaves alike, with the
// command's exit code and no MPI_Abort (an abort racing rank 0's finalize once
// left mpirun waiting). Every rank reads the same input and fails alike; a
// rank that failed where rank 0 runs has input rank 0 does not, and aborts.
class ReleaseRanks {
 public:
  explicit ReleaseRanks(Transport* t) : t_(t) {}
  ~ReleaseRanks() {
    if (!t_ || t_->units_shared()) return;
    const bool root = t_->rank() == 0;
    if (t_->share_units(std::nullopt) && !root)
      t_->abort("rank 0 runs what this rank could not load or build", 2);
  }
  ReleaseRanks(const ReleaseRanks&) = delete;
  ReleaseRanks& operator=(const ReleaseRanks&) = delete;

 private:
  Transport* t_;
};

}  // namespace pk
