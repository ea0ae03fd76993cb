// libFuzzer target: any bytes through the whole loader (limits, parser,
// validation, arms and their overrides). It must never crash, hang or leak;
// every input either loads or yields diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pk::Diagnostics diags("fuzz.yaml");
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto loaded = pk::load_scenario_text(text, diags);
  if (!loaded && !diags.has_errors()) __builtin_trap();  // a refusal must say why
  for (const auto& d : diags.all()) (void)d.format();
  return 0;
}
