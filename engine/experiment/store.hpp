// The results store of a sweep: one SQLite file (WAL mode), one transaction
// per completed work unit, so a killed sweep (even by kill -9) keeps every
// unit it finished and --resume continues from there.
//
// Tables: meta(key, value) — what the results belong to (scenario hash, seed,
// design, version...); units(unit, point, first, count, data) — the exact
// partial results (experiment/serialize.hpp); points(point, parameters) — the
// parameter values; stats(point, arm, metric, mean, sd, ci95_lo, ci95_hi,
// p50, p90, p95, p99, cvar95) — written when the sweep is complete.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

struct sqlite3;

namespace pk {

class ResultStore {
 public:
  // Opens or creates `path`. Returns null with `error` set on failure, and
  // `damaged` (when given) true if the file is there but not a store (another
  // kind of file, or a damaged database) rather than unreadable or unwritable.
  static std::unique_ptr<ResultStore> open(const std::string& path, std::string& error,
                                           bool* damaged = nullptr);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  std::map<std::string, std::string> meta() const;
  // Each returns "" or an error message.
  std::string set_meta(const std::map<std::string, std::string>& kv);
  std::string put_unit(int64_t unit, int64_t point, int64_t first, int64_t count,
                       const std::string& data);
  std::string put_points(const std::vector<std::pair<int64_t, std::string>>& points);
  struct StatRow {
    int64_t point;
    std::string arm, metric;
    double mean, sd, lo, hi, p50, p90, p95, p99, cvar95;
  };
  std::string put_stats(const std::vector<StatRow>& rows);

  std::vector<int64_t> units() const;  // stored unit indices, ascending
  std::string unit_data(int64_t unit) const;
  // Whether unit `unit` is stored as replications from `first` of `point`
  // (a resumed adaptive run checks that its units mean what they meant).
  bool unit_matches(int64_t unit, int64_t point, int64_t first) const;

 private:
  explicit ResultStore(sqlite3* db) : db_(db) {}
  std::string exec(const std::string& sql);
  sqlite3* db_;
};

}  // namespace pk
