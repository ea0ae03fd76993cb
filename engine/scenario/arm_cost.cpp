#include "scenario/arm_cost.hpp"

#include <cmath>

namespace pk {

double annuity_due_factor(double rate, double life_years) {
  if (rate == 0) return 1 / life_years;
  // expm1/log1p keep the factor exact for small rates, where 1 - (1 + r)^-L cancels.
  const double discounted = -std::expm1(-life_years * std::log1p(rate));  // 1 - (1 + r)^-L
  return rate / ((1 + rate) * discounted);
}

double ArmCost::capital_per_year_usd() const {
  return capital_usd * annuity_due_factor(discount_rate, service_life_years);
}

double ArmCost::per_year_usd(double years) const {
  switch (basis) {
    case CostBasis::kHorizon:
      return years > 0 ? written_usd / years : 0;
    case CostBasis::kPerYear:
      return written_usd;
    case CostBasis::kEquivalentAnnual:
      return capital_per_year_usd() + annual_om_usd + running_per_year_usd();
  }
  return 0;
}

double ArmCost::horizon_usd(double years) const {
  return basis == CostBasis::kHorizon ? written_usd : per_year_usd(years) * years;
}

const char* cost_basis_name(CostBasis b) {
  switch (b) {
    case CostBasis::kHorizon:
      return "horizon";
    case CostBasis::kPerYear:
      return "per_year";
    case CostBasis::kEquivalentAnnual:
      return "equivalent_annual";
  }
  return "horizon";
}

const char* payer_name(Payer p) {
  switch (p) {
    case Payer::kUnstated:
      return "unstated";
    case Payer::kUnBudget:
      return "un_budget";
    case Payer::kContributor:
      return "contributor";
  }
  return "unstated";
}

}  // namespace pk
