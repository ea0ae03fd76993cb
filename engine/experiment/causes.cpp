#include "experiment/causes.hpp"

namespace pk {

namespace {

constexpr std::array<CauseInfo, kCauseCount> kCauses = {{
    {Cause::kIed, "ied", "IED", "roadside improvised explosive devices on routes (§2.1)",
     "#D55E00"},
    {Cause::kMine, "mine", "mine", "mines laid on routes (§2.2)", "#E69F00"},
    {Cause::kAmbush, "ambush", "ambush", "direct-fire ambushes on movements (§2.3)", "#CC79A7"},
    {Cause::kIdf, "idf", "indirect fire", "rockets and mortars on sites (§2.4)", "#0072B2"},
    {Cause::kVbied, "vbied", "VBIED", "vehicle-borne and suicide attacks on sites (§2.5)",
     "#009E73"},
}};

constexpr bool in_cause_order() {
  for (int i = 0; i < kCauseCount; ++i)
    if (static_cast<int>(kCauses[i].cause) != i) return false;
  return true;
}
static_assert(in_cause_order(), "declare causes in the order of enum Cause");

}  // namespace

const std::array<CauseInfo, kCauseCount>& causes() {
  return kCauses;
}

const CauseInfo* find_cause(std::string_view name) {
  for (const CauseInfo& c : kCauses)
    if (name == c.name) return &c;
  return nullptr;
}

std::string cause_label(std::string_view name) {
  const CauseInfo* c = find_cause(name);
  return c ? c->label : std::string(name);
}

}  // namespace pk
