// What `pkrisk calibrate` prints (a table or JSON) and writes (--write).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "experiment/calibrate.hpp"

namespace pk::cli {

struct CalibrationReport {
  const LoadedScenario& ls;
  std::string observed, mission, column, write, posterior_out;  // as given on the command line
  const CalibrationConfig& cfg;
  const CalibrationResult& r;
};

void print_calibration_json(const CalibrationReport& c);
void print_calibration_table(const CalibrationReport& c);

// --write: the scenario file `file` with the fitted values written over the
// originals, to `out` atomically. An exit code (messages on stderr).
int write_calibrated(const std::string& file, const std::string& out, const CalibrationResult& r,
                     const std::string& provenance);

}  // namespace pk::cli
