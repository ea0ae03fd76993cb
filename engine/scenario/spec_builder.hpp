// The fluent builder the format's declaration tables are written with, so that
// each key reads as one line of the format (scenario/spec.cpp for the
// scenario's blocks, scenario/threats.cpp for the threat blocks of a zone).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "scenario/scenario.hpp"
#include "scenario/spec.hpp"

namespace pk::spec_builder {

// A small fluent builder so each declaration reads as one line of the format.
struct F {
  FieldInfo f;
  F(std::string key, FieldType type, std::string help) {
    f.key = std::move(key);
    f.type = type;
    f.help = std::move(help);
  }
  F& unit(std::string u, double scale = 1.0) {
    return f.unit = std::move(u), f.to_engine = scale, *this;
  }
  F& req() { return f.required = true, *this; }
  F& def(double v) { return f.default_number = v, *this; }
  F& absent(std::string text) { return f.default_text = std::move(text), *this; }
  F& lines() { return f.multiline = true, *this; }
  F& ge(double v) { return f.min = v, f.min_exclusive = false, *this; }
  F& gt(double v) { return f.min = v, f.min_exclusive = true, *this; }
  F& le(double v) { return f.max = v, *this; }
  F& prob() { return ge(0).le(1); }
  F& ref(std::string list) { return f.ref = std::move(list), *this; }
  F& obj(const ObjectInfo& o) { return f.object = &o, *this; }
  F& choices(std::vector<std::string> c) { return f.choices = std::move(c), *this; }
  operator FieldInfo() const { return f; }
};

using T = FieldType;
inline constexpr double kPerDay = 1.0 / kHoursPerDay;
inline constexpr double kPerYear = 1.0 / (kHoursPerDay * kDaysPerYear);

// The two keys of a window of the day, [from_hour, to_hour): departure
// windows and time-of-day profiles read them alike.
inline FieldInfo from_hour_key(std::string help) {
  return F("from_hour", T::kNumber, std::move(help)).unit("hours").ge(0).le(24).req();
}
inline FieldInfo to_hour_key(std::string help) {
  return F("to_hour", T::kNumber, std::move(help)).unit("hours").gt(0).le(24).req();
}

}  // namespace pk::spec_builder
