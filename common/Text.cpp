#include "common/Text.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace workbook {

namespace {

/// The length of the sequence @p lead starts and the range its second byte
/// must be in (RFC 3629, Table 3-7 of the Unicode standard); 0 if @p lead can
/// start none.
struct SequenceRule {
  std::size_t length;
  unsigned char secondMin;
  unsigned char secondMax;
};

SequenceRule ruleFor(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};  // no UTF-16 surrogates
  if (lead >= 0xE1 && lead <= 0xEF) return {3, 0x80, 0xBF};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF};
  if (lead == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
  return {0, 0, 0};
}

/// A byte that goes on with a UTF-8 character (10xxxxxx) rather than starting one.
bool isContinuation(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0U) == 0x80U;
}

}  // namespace

Utf8Count countUtf8(std::string_view bytes) {
  Utf8Count count;
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    ++count.characters;
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const SequenceRule rule = ruleFor(lead);
    // How many bytes of the sequence are well formed, the lead included.
    std::size_t good = 1;
    while (rule.length != 0 && good < rule.length && i + good < bytes.size()) {
      const auto next = static_cast<unsigned char>(bytes[i + good]);
      const bool fits = good == 1 ? next >= rule.secondMin && next <= rule.secondMax
                                  : next >= 0x80 && next <= 0xBF;
      if (!fits) break;
      ++good;
    }
    if (good != rule.length) ++count.replacements;  // one U+FFFD for the whole bad run
    i += good;
  }
  return count;
}

std::size_t countCharacters(std::string_view utf8) { return countUtf8(utf8).characters; }

std::size_t charactersForReport(int taskNum, std::string_view poem) {
  const Utf8Count count = countUtf8(poem);
  if (count.replacements != 0) {
    std::cerr << "warning: the poem of task " << taskNum << " is not valid UTF-8; "
              << count.replacements << " bad sequence(s) counted as U+FFFD\n";
  }
  return count.characters;
}

std::string shortened(std::string_view text, std::size_t most) {
  if (text.size() <= most) return std::string(text);
  // Back off over continuation bytes (10xxxxxx), so as not to cut a character
  // in two; three at most, as a UTF-8 character is at most four bytes.
  std::size_t cut = most;
  for (int i = 0; i < 3 && cut > 0 && isContinuation(text[cut]); ++i) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string visible(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const auto escape = [&out](unsigned char byte) {
    out += {'\\', 'x', kHex[byte >> 4U], kHex[byte & 0xFU]};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0U;
    if (byte < 0x20 || byte == 0x7F) {
      escape(byte);
    } else if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) {  // U+0080 to U+009F
      escape(byte);
      escape(next);
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string echoed(std::string_view text, std::size_t most) {
  return visible(shortened(text, most));
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

std::string elapsedSince(std::chrono::steady_clock::time_point start) {
  return formatTimedelta(std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start));
}

}  // namespace workbook
