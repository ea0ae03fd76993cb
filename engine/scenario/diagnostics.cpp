#include "scenario/diagnostics.hpp"

#include "util/text.hpp"

namespace pk {

std::string Diagnostic::format() const {
  std::string out = file;
  if (mark.line > 0) {
    out += ':';
    out += std::to_string(mark.line);
    out += ':';
    out += std::to_string(mark.col);
  }
  out += severity == Severity::kError ? ": error: " : ": warning: ";
  if (!path.empty()) out += path + ": ";
  out += message;
  // Paths, keys and values quoted in messages come from the file.
  return printable(out);
}

void Diagnostics::error(Mark m, std::string path, std::string message) {
  items_.push_back({Diagnostic::Severity::kError, file_, m, std::move(path), std::move(message)});
  ++errors_;
}

void Diagnostics::warning(Mark m, std::string path, std::string message) {
  items_.push_back({Diagnostic::Severity::kWarning, file_, m, std::move(path), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.items_) {
    items_.push_back(d);
    if (d.severity == Diagnostic::Severity::kError) ++errors_;
  }
}

}  // namespace pk
