#include "stats/frontier.hpp"

#include <algorithm>

namespace pk {

std::vector<size_t> cost_order(const std::vector<double>& cost,
                               const std::vector<double>& benefit) {
  std::vector<size_t> order(cost.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return cost[a] < cost[b] || (cost[a] == cost[b] && benefit[a] > benefit[b]);
  });
  return order;
}

std::vector<size_t> pareto_front(const std::vector<double>& cost,
                                 const std::vector<double>& benefit) {
  std::vector<size_t> front;
  for (size_t i : cost_order(cost, benefit))
    if (front.empty() || benefit[i] > benefit[front.back()]) front.push_back(i);
  return front;
}

}  // namespace pk
