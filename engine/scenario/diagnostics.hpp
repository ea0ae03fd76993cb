// Errors are values: every problem found in a file is collected as a
// Diagnostic and printed as `FILE:LINE:COL: error: PATH: message`.
#pragma once

#include <string>
#include <vector>

namespace pk {

// A place in a source file; 1-based. line == 0 means "no place in the file".
struct Mark {
  int line = 0;
  int col = 0;
};

struct Diagnostic {
  enum class Severity { kError, kWarning } severity = Severity::kError;
  std::string file;
  Mark mark;
  std::string path;  // key path, e.g. zones[north].ied.lifetime_days; may be empty
  std::string message;

  // FILE:LINE:COL: error: PATH: message  (place and path omitted when absent)
  std::string format() const;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::string file = {}) : file_(std::move(file)) {}
  void error(Mark m, std::string path, std::string message);
  void warning(Mark m, std::string path, std::string message);
  bool has_errors() const { return errors_ > 0; }
  int error_count() const { return errors_; }
  const std::vector<Diagnostic>& all() const { return items_; }
  const std::string& file() const { return file_; }
  // Appends another list (e.g. an arm's), keeping order.
  void append(const Diagnostics& other);

 private:
  std::string file_;
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

}  // namespace pk
