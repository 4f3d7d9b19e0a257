// libFuzzer target: the command-line parsers must answer any input with a
// result or a UsageError, never a crash, and every result must make sense.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/Arguments.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto address = workbook::parseServerAddress(text);
    if (address.host.empty() || address.port == 0) std::abort();
  } catch (const workbook::UsageError&) {
  }
  try {
    if (workbook::parsePort(text) == 0) std::abort();
  } catch (const workbook::UsageError&) {
  }
  try {
    if (!(workbook::parseSeconds(text) > 0)) std::abort();
  } catch (const workbook::UsageError&) {
  }
  return 0;
}
