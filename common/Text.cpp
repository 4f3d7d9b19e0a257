#include "common/Text.h"

#include <algorithm>
#include <cstdio>

namespace workbook {

std::size_t countCharacters(std::string_view utf8) {
  // Every code point has exactly one byte that is not a continuation byte
  // (continuation bytes look like 10xxxxxx).
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string formatTimedelta(std::chrono::microseconds elapsed) {
  using std::chrono::duration_cast;
  const auto days = duration_cast<std::chrono::days>(elapsed);
  elapsed -= days;
  const auto hours = duration_cast<std::chrono::hours>(elapsed);
  elapsed -= hours;
  const auto minutes = duration_cast<std::chrono::minutes>(elapsed);
  elapsed -= minutes;
  const auto seconds = duration_cast<std::chrono::seconds>(elapsed);
  elapsed -= seconds;

  std::string text;
  if (days.count() != 0) {
    text = std::to_string(days.count()) + (days.count() == 1 ? " day, " : " days, ");
  }
  char clock[32];
  std::snprintf(clock, sizeof clock, "%d:%02d:%02d", static_cast<int>(hours.count()),
                static_cast<int>(minutes.count()), static_cast<int>(seconds.count()));
  text += clock;
  if (elapsed.count() != 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof fraction, ".%06d", static_cast<int>(elapsed.count()));
    text += fraction;
  }
  return text;
}

}  // namespace workbook
