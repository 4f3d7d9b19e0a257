#include "tests/exercises/Printable.h"

#include <array>
#include <cstdio>

namespace grading {

namespace {

bool isContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

std::string hexByte(unsigned char byte) {
  std::array<char, 8> text{};
  std::snprintf(text.data(), text.size(), "\\x%02x", byte);
  return text.data();
}

}  // namespace

std::size_t utf8CharacterLength(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // the bounds of the second byte, as RFC 3629 sets them
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing past U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (!isContinuation(byte(at + i))) return 0;
  }
  return length;
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const auto byte = static_cast<unsigned char>(text[at]);
    const std::size_t length = utf8CharacterLength(text, at);
    if (length == 0 || (byte < 0x20 && byte != '\t') || byte == 0x7F) {
      out += hexByte(byte);
      ++at;
    } else {
      out.append(text.substr(at, length));
      at += length;
    }
  }
  return out;
}

std::string printableLine(std::string_view line, std::size_t most) {
  if (line.size() <= most) return printable(line);
  // Cut at a character boundary: back off over continuation bytes.
  std::size_t cut = most;
  while (cut > 0 && isContinuation(static_cast<unsigned char>(line[cut]))) --cut;
  return printable(line.substr(0, cut)) + "...(" + std::to_string(line.size()) +
         " bytes in all)";
}

}  // namespace grading
