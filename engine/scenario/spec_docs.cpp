// The spec table rendered for readers: the JSON Schema that editors validate
// against (`pkrisk schema`) and the Markdown reference docs/scenario-format.md
// (`pkrisk schema --markdown`). Both derive from the table alone.
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scenario/spec.hpp"

namespace pk {

namespace {

using nlohmann::json;
using T = FieldType;

json schema_of(const ObjectInfo& o);

json schema_of_field(const FieldInfo& f) {
  json s;
  switch (f.type) {
    case T::kNumber:
      s["type"] = "number";
      break;
    case T::kInteger:
      s["type"] = "integer";
      break;
    case T::kBool:
      s["type"] = "boolean";
      break;
    case T::kString:
      s["type"] = "string";
      break;
    case T::kEnum:
      s["enum"] = f.choices;
      break;
    case T::kId:
      s["type"] = "string", s["maxLength"] = kMaxIdLength;
      break;
    case T::kRef:
      s["type"] = "string";
      break;
    case T::kRefList:
      s["type"] = "array", s["items"] = {{"type", "string"}};
      break;
    case T::kObject:
      s = schema_of(*f.object);
      break;
    case T::kObjectList:
      s["type"] = "array", s["items"] = schema_of(*f.object);
      break;
    case T::kPairList:
      s["type"] = "array";
      s["minItems"] = 1;
      s["items"] = {{"type", "array"},
                    {"items", {{"type", "number"}, {"minimum", 0}}},
                    {"minItems", 2},
                    {"maxItems", 2}};
      break;
    case T::kOverrides:
      s["type"] = "object";
      break;
    case T::kValueList:
      s["type"] = "array", s["minItems"] = 1;
      break;
  }
  if (f.type == T::kNumber || f.type == T::kInteger) {
    if (f.min) s[f.min_exclusive ? "exclusiveMinimum" : "minimum"] = *f.min;
    if (f.max) s["maximum"] = *f.max;
    if (f.default_number) s["default"] = *f.default_number;
  }
  if (f.type == T::kBool && f.default_number) s["default"] = *f.default_number != 0;
  std::string d = f.help;
  if (!f.unit.empty()) d += " [" + f.unit + "]";
  s["description"] = d;
  return s;
}

json schema_of(const ObjectInfo& o) {
  json s = {{"type", "object"}, {"additionalProperties", false}, {"description", o.help}};
  json props = json::object();
  json req = json::array();
  for (const auto& f : o.fields) {
    props[f.key] = schema_of_field(f);
    if (f.required) req.push_back(f.key);
  }
  s["properties"] = props;
  if (!req.empty()) s["required"] = req;
  return s;
}

const char* type_word(const FieldInfo& f) {
  switch (f.type) {
    case T::kNumber:
      return "number";
    case T::kInteger:
      return "integer";
    case T::kBool:
      return "true/false";
    case T::kString:
      return "text";
    case T::kEnum:
      return "choice";
    case T::kId:
      return "id";
    case T::kRef:
      return "reference";
    case T::kRefList:
      return "list of references";
    case T::kObject:
      return "mapping";
    case T::kObjectList:
      return "list of mappings";
    case T::kPairList:
      return "list of [x, y]";
    case T::kOverrides:
      return "path: value mapping";
    case T::kValueList:
      return "list";
  }
  return "?";
}

void markdown_of(const ObjectInfo& o, const std::string& path, std::ostringstream& out,
                 std::vector<const ObjectInfo*>& seen) {
  out << "\n### `" << (path.empty() ? "(top level)" : path) << "` — " << o.name << "\n\n"
      << o.help << "\n\n";
  out << "| key | type | unit | default | valid | meaning |\n|---|---|---|---|---|---|\n";
  for (const auto& f : o.fields) {
    std::string type = type_word(f);
    if (f.type == T::kRef || f.type == T::kRefList) type += " to `" + f.ref + "`";
    if (f.type == T::kEnum) {
      type = "one of";
      for (size_t i = 0; i < f.choices.size(); ++i) type += (i ? ", `" : " `") + f.choices[i] + "`";
    }
    std::string def;
    if (f.required)
      def = "required";
    else if (f.default_number && f.type == T::kBool)
      def = *f.default_number ? "true" : "false";
    else if (f.default_number) {
      std::ostringstream d;
      d << *f.default_number;
      def = d.str();
    } else
      def = f.default_text;
    out << "| `" << f.key << "` | " << type << " | " << f.unit << " | " << def << " | "
        << f.range_text() << " | " << f.help << " |\n";
  }
  for (const auto& f : o.fields) {
    if (!f.object) continue;
    const std::string child = path.empty() ? f.key : path + "." + f.key;
    const std::string child_path = f.type == T::kObjectList ? child + "[]" : child;
    markdown_of(*f.object, child_path, out, seen);
  }
}

}  // namespace

std::string scenario_json_schema() {
  json s = schema_of(scenario_spec());
  s["$schema"] = "http://json-schema.org/draft-07/schema#";
  s["$id"] = "https://pkrisk.org/schema/scenario-1.json";
  s["title"] = "pkrisk scenario, format version 1";
  return s.dump(2) + "\n";
}

std::string scenario_format_markdown() {
  std::ostringstream out;
  out << "# The scenario format, version 1\n\n"
         "Generated by `pkrisk schema --markdown` from the declaration tables in "
         "`engine/scenario/spec.cpp` and, for the threat blocks of a zone, "
         "`engine/scenario/threats.cpp`; do not edit by hand. Units are as written in YAML; the "
         "engine converts them once at load (days to hours, per day to per hour, per 1000 km "
         "to per km). Every number must be finite; unknown keys are errors.\n";
  std::vector<const ObjectInfo*> seen;
  markdown_of(scenario_spec(), "", out, seen);
  return out.str();
}

}  // namespace pk
