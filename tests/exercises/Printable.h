// Student output as a failure message may show it: any bytes, any length.
// googletest's JSON report (which ./workbook reads) carries a message as it
// is, so invalid UTF-8 and control bytes are escaped here (\xff), and a very
// long line is cut with its length said.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace grading {

/// @p text with each byte that is not part of valid UTF-8, and each control
/// byte but tab, written as \xNN. Newlines are escaped too: one line stays one.
std::string printable(std::string_view text);

/// printable(), cut to about @p most bytes: "...(N bytes in all)" follows a cut.
std::string printableLine(std::string_view line, std::size_t most = 160);

/// How many bytes of @p text from @p at form one valid UTF-8 character
/// (1 to 4), or 0 if the byte there does not start one.
std::size_t utf8CharacterLength(std::string_view text, std::size_t at);

}  // namespace grading
