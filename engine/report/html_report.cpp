#include "report/html_report.hpp"

#include "report/run_report.hpp"
#include "report/sweep_report.hpp"

namespace pk {

std::string html_report(const nlohmann::json& summary) {
  if (summary.contains("points")) return html::sweep_report(summary);
  return html::run_report(summary);
}

}  // namespace pk
