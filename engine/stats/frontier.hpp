// The Pareto frontier of options by cost and benefit: those that no other
// option beats on both (no costlier one is better, no cheaper one as good).
// `decide` goes on to set aside the extendedly dominated; `select`, whose
// packages cannot be mixed, stops here.
#pragma once

#include <cstddef>
#include <vector>

namespace pk {

// Indices of the options on the frontier, by increasing cost (and benefit);
// ties in cost keep the better, ties in both the first listed.
std::vector<size_t> pareto_front(const std::vector<double>& cost,
                                 const std::vector<double>& benefit);

// Every option by increasing cost, the better first at equal cost: the order
// in which the frontier is walked.
std::vector<size_t> cost_order(const std::vector<double>& cost, const std::vector<double>& benefit);

}  // namespace pk
