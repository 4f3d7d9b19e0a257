// libFuzzer target: the UTF-8 counter. Checks what must hold for any bytes:
// every byte belongs to exactly one character, a character is at most four
// bytes, and text cut in two counts the same as whole, give or take the one
// character the cut may split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/Text.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const workbook::Utf8Count whole = workbook::countUtf8(bytes);
  if (whole.characters > size || whole.characters * 4 < size) std::abort();
  if (whole.replacements > whole.characters) std::abort();
  if (whole.replacements == 0) {
    // Valid UTF-8: one character per byte that is not a continuation byte.
    std::size_t leads = 0;
    for (const char c : bytes) leads += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    if (leads != whole.characters) std::abort();
  }
  const std::size_t cut = size / 2;
  const std::size_t halves = workbook::countCharacters(bytes.substr(0, cut)) +
                             workbook::countCharacters(bytes.substr(cut));
  if (halves < whole.characters || halves > whole.characters + 3) std::abort();
  return 0;
}
