// The one CSV reader and the one CSV writer (RFC 4180): pkrisk's own
// --per-replication rows and `run --format csv`, and the UN fatality table it
// calibrates against. A field in double quotes may hold the separator, line
// breaks and "" for a quote; CR LF and LF both end a record.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pk {

struct CsvOptions {
  char separator = ',';
  // Skip records that are empty or blank and lines that start with '#' (comments).
  bool skip_blank_and_comments = false;
};

struct CsvRecord {
  int line = 0;  // of the record's first character, from 1
  std::vector<std::string> fields;
};

// Splits `text` into records; false with `error` (naming the line) when a
// quoted field is never closed or a closing quote is followed by text.
inline bool read_csv(std::string_view text, std::vector<CsvRecord>& records, std::string& error,
                     const CsvOptions& options = {}) {
  records.clear();
  CsvRecord record;
  std::string field;
  int line = 1;
  bool quoted = false, was_quoted = false, at_record_start = true;
  const auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  const auto end_record = [&] {
    end_field();
    const bool blank =
        record.fields.size() == 1 && record.fields[0].find_first_not_of(" \t") == std::string::npos;
    if (!(options.skip_blank_and_comments && blank)) records.push_back(std::move(record));
    record = CsvRecord{};
    at_record_start = true;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (at_record_start) {
      record.line = line;
      at_record_start = false;
      if (options.skip_blank_and_comments && c == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
        ++line;
        at_record_start = true;
        continue;
      }
    }
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
        if (c == '\n') ++line;
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == options.separator) {
      end_field();
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      end_record();
      ++line;
    } else if (was_quoted) {
      error = "line " + std::to_string(line) + ": text after a closing quote";
      return false;
    } else {
      field += c;
    }
  }
  if (quoted) {
    error = "line " + std::to_string(record.line) + ": a quoted field is never closed";
    return false;
  }
  if (!at_record_start) end_record();
  return true;
}

// The fields of one line (an empty line gives one empty field); the whole
// line as one field when its quotes are malformed.
inline std::vector<std::string> csv_fields(std::string_view line, char separator = ',') {
  std::vector<CsvRecord> records;
  std::string error;
  if (!read_csv(line, records, error, {separator, false})) return {std::string(line)};
  return records.empty() ? std::vector<std::string>{std::string()} : records.front().fields;
}

// One cell as written: text a spreadsheet would run as a formula (it begins
// with =, +, -, @, a tab or a CR, and is not a plain number) gets a leading '
// so that it stays text; a cell holding the separator, a quote or a line break
// is quoted, with "" for a quote. Names come from scenario files, which may be
// hostile: a name must never become a formula or shift the columns after it.
inline std::string csv_cell(std::string_view text, char separator = ',') {
  std::string cell(text);
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    // Numbers such as -1.5 or +3e2 stay numbers; everything else is neutralised.
    char* end = nullptr;
    const bool number = (cell[0] == '-' || cell[0] == '+') && cell.size() > 1 &&
                        cell.find_first_of(" \t\r\n") == std::string::npos &&
                        (std::strtod(cell.c_str(), &end), end == cell.c_str() + cell.size());
    if (!number) cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string::npos) return cell;
  std::string quoted = "\"";
  for (const char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

// Appends one record (cells joined by the separator, then LF) to `out`.
inline void csv_row(std::string& out, std::initializer_list<std::string_view> cells,
                    char separator = ',') {
  bool first = true;
  for (const std::string_view c : cells) {
    if (!first) out += separator;
    first = false;
    out += csv_cell(c, separator);
  }
  out += '\n';
}

template <class Range>
void csv_row(std::string& out, const Range& cells, char separator = ',') {
  bool first = true;
  for (const auto& c : cells) {
    if (!first) out += separator;
    first = false;
    out += csv_cell(std::string_view(c), separator);
  }
  out += '\n';
}

// A table of labels and numbers, one "label<TAB>number" a line, '#' lines
// comments (the truths files of the studies: tests/data/select/*.truths.tsv).
// Empty when `text` is not such a table.
inline std::map<std::string, double> read_labelled_numbers(std::string_view text) {
  std::map<std::string, double> out;
  std::vector<CsvRecord> records;
  std::string error;
  if (!read_csv(text, records, error, {.separator = '\t', .skip_blank_and_comments = true}))
    return out;
  for (const CsvRecord& r : records)
    if (r.fields.size() == 2) out[r.fields[0]] = std::strtod(r.fields[1].c_str(), nullptr);
  return out;
}

}  // namespace pk
