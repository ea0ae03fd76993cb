// The scenario format, declared once: every key with its type, unit, default,
// valid range and one help line. The loader validates against this table,
// `pkrisk schema` prints it as JSON Schema, and docs/scenario-format.md is
// generated from it — so the three can never disagree.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pk {

struct ObjectInfo;

// The most characters an id may have. Arm overrides name an element by its id
// in a YAML key (`movements[ID].vehicles[ID].count`), and yaml-cpp refuses a
// key longer than 1024 bytes ("illegal map value"): with two ids of 100
// characters of up to four bytes each, a key still fits with room to spare,
// where a longer id could be declared but never overridden.
inline constexpr size_t kMaxIdLength = 100;

enum class FieldType {
  kNumber,      // finite real
  kInteger,     // whole number (written without a fraction, or with .0)
  kBool,        // true | false
  kString,      // free text
  kEnum,        // one of `choices`
  kId,          // identifier of this element, unique within its list
  kRef,         // the id of an element of list `ref` (e.g. zones)
  kRefList,     // a list of such ids
  kObject,      // a mapping described by `object`
  kObjectList,  // a list of mappings described by `object`
  kPairList,    // a list of [number, number] pairs (dow_curve)
  kOverrides,   // a mapping from path (docs/model.md §5) to any value
  kValueList,   // a list of values of any type (sweep values)
};

struct FieldInfo {
  std::string key;
  FieldType type = FieldType::kNumber;
  std::string help;
  std::string unit;        // as written in YAML (e.g. "days", "per km per day")
  double to_engine = 1.0;  // multiplies the YAML value into engine units (hours, per hour, per km)
  bool required = false;
  std::optional<double> default_number;  // for numbers, integers and booleans (0/1)
  std::string default_text;              // what absence means, for the docs
  std::optional<double> min;
  bool min_exclusive = false;
  std::optional<double> max;
  std::vector<std::string> choices;    // kEnum
  std::string ref;                     // kRef, kRefList: the list referred to
  const ObjectInfo* object = nullptr;  // kObject, kObjectList
  bool multiline = false;              // kString: free text, may hold line breaks and tabs

  // "in [0, 1]", "> 0", ... for messages and docs ("at most 100 characters"
  // for an id); empty when unbounded.
  std::string range_text() const;
};

struct ObjectInfo {
  std::string name;  // e.g. "zone"
  std::string help;
  std::vector<FieldInfo> fields;

  const FieldInfo* field(std::string_view key) const;
};

// The root of the format (`pkrisk: 1`, scenario, vehicle_types, ...).
const ObjectInfo& scenario_spec();

// A vehicle catalogue file: just `vehicle_types:`.
const ObjectInfo& catalogue_spec();

// JSON Schema (draft-07) of the format.
std::string scenario_json_schema();

// A Markdown reference of every key, generated from the table.
std::string scenario_format_markdown();

}  // namespace pk
