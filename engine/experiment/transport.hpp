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

// Rank 0, on leaving a command before the executor shared any units (an
// error): tells the other ranks that nothing will run, so none waits forever.
class ReleaseRanks {
 public:
  explicit ReleaseRanks(Transport* t) : t_(t) {}
  ~ReleaseRanks() {
    if (t_ && t_->rank() == 0 && !t_->units_shared()) t_->share_units(std::nullopt);
  }
  ReleaseRanks(const ReleaseRanks&) = delete;
  ReleaseRanks& operator=(const ReleaseRanks&) = delete;

 private:
  Transport* t_;
};

}  // namespace pk
