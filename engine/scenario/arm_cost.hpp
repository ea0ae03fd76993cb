// What an arm (a mitigation package) costs, on one basis for every output:
// its cost per year of mission — for a purchase, the equivalent annual cost of
// the capital over its service life — and that times the years simulated
// (docs/model.md §6, "Costs").
#pragma once

#include <string>

#include "scenario/diagnostics.hpp"

namespace pk {

// How the scenario file states an arm's cost.
enum class CostBasis {
  kHorizon,           // cost_usd: the package over the horizon (format version 1's first meaning)
  kPerYear,           // cost_usd: the package per year of mission
  kEquivalentAnnual,  // cost: {capital, service life, O&M, running costs}
};

// Who pays: the UN's peacekeeping budget or the contributing country.
enum class Payer { kUnstated, kUnBudget, kContributor };

// The scenario-wide rate at which costs are discounted when a purchase is
// spread over its service life, when the file states none: 3% a year, the
// rate health-economic evaluations conventionally use.
inline constexpr double kDefaultDiscountRate = 0.03;

struct ArmCost {
  CostBasis basis = CostBasis::kHorizon;
  double written_usd = 0;  // cost_usd as written (kHorizon, kPerYear)

  // kEquivalentAnnual:
  double capital_usd = 0;         // paid once, at the start of the service life
  double service_life_years = 1;  // >= 1
  double discount_rate = kDefaultDiscountRate;
  double annual_om_usd = 0;              // operation, maintenance, leases, crews: per year
  double per_vehicle_km_usd = 0;         // running cost of each km the arm adds of vehicle_type
  std::string vehicle_type;              // empty when per_vehicle_km_usd is 0
  double added_vehicle_km_per_year = 0;  // on the schedules: arm minus baseline
  Payer payer = Payer::kUnstated;
  Mark mark;  // of the arm's cost (or cost_usd), for errors found after loading

  // The capital as a level payment at the start of each year of its service
  // life, discounted at discount_rate: equal in present value to the capital.
  double capital_per_year_usd() const;
  double running_per_year_usd() const { return per_vehicle_km_usd * added_vehicle_km_per_year; }
  // The cost per year of mission, whatever the basis (`years`: the horizon in years).
  double per_year_usd(double years) const;
  // The cost over the horizon simulated: what a cost per fatality averted
  // divides by the fatalities averted over that horizon.
  double horizon_usd(double years) const;
};

// Payment per unit of capital at the start of each of `life_years` years at
// `rate`: r / ((1 + r)(1 - (1 + r)^-L)), 1 / L at r = 0, and 1 for L = 1.
double annuity_due_factor(double rate, double life_years);

// "horizon", "per_year" or "equivalent_annual".
const char* cost_basis_name(CostBasis b);
// "unstated", "un_budget" or "contributor".
const char* payer_name(Payer p);

}  // namespace pk
