// An exact histogram of integer values: the whole distribution of a metric
// over replications, in memory proportional to its range, not to the number of
// replications. Merging is integer addition, so a merged histogram is the same
// whatever the order of merging — hence the same on any thread count.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace pk {

class IntHistogram {
 public:
  void add(int64_t value, int64_t count = 1) {
    if (value >= 0 && value < kDense) {
      if (static_cast<size_t>(value) >= dense_.size())
        dense_.resize(static_cast<size_t>(value) + 1, 0);
      dense_[static_cast<size_t>(value)] += count;
    } else {
      sparse_[value] += count;
    }
    n_ += count;
  }
  void merge(const IntHistogram& o) {
    if (o.dense_.size() > dense_.size()) dense_.resize(o.dense_.size(), 0);
    for (size_t i = 0; i < o.dense_.size(); ++i) dense_[i] += o.dense_[i];
    for (const auto& [v, c] : o.sparse_) sparse_[v] += c;
    n_ += o.n_;
  }
  int64_t count() const { return n_; }

  // Calls f(value, count) for every value with count > 0, in increasing order.
  template <class F>
  void for_each(F&& f) const {
    auto it = sparse_.begin();
    for (; it != sparse_.end() && it->first < 0; ++it) f(it->first, it->second);
    for (size_t i = 0; i < dense_.size(); ++i)
      if (dense_[i]) f(static_cast<int64_t>(i), dense_[i]);
    for (; it != sparse_.end(); ++it) f(it->first, it->second);
  }

 private:
  static constexpr int64_t kDense = 1 << 16;
  std::vector<int64_t> dense_;
  std::map<int64_t, int64_t> sparse_;  // negative values (paired differences) and very large ones
  int64_t n_ = 0;
};

}  // namespace pk
