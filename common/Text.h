// Small text helpers the clients share: counting characters the way Python
// counts a str, and printing a duration the way Python prints a timedelta.
// Tested by tests/unit/CommonTest.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace workbook {

/// What a UTF-8 decoder made of some bytes.
struct Utf8Count {
  std::size_t characters = 0;    ///< code points, replacement characters included
  std::size_t replacements = 0;  ///< U+FFFD put in for bytes that were not UTF-8
};

/// Decodes @p bytes as UTF-8 the way Python's decode("utf-8", "replace")
/// does: each maximal ill-formed subsequence becomes one U+FFFD.
Utf8Count countUtf8(std::string_view bytes);

/// @return how many Unicode code points the UTF-8 text @p utf8 holds (what
///         Python's len() gives for the decoded poem; bad bytes count as
///         replacement characters).
std::size_t countCharacters(std::string_view utf8);

/// countCharacters() for a client's report: when the poem of task
/// @p taskNum is not valid UTF-8, also prints a one-line warning to stderr.
std::size_t charactersForReport(int taskNum, std::string_view poem);

/// @p text as it may be echoed in a message: whole if it is at most @p most
/// bytes long, else its first @p most bytes or a little fewer (never half a
/// UTF-8 character) followed by "...". A bad value of 40 KB is no message.
std::string shortened(std::string_view text, std::size_t most = 60);

/// @p text safe to echo on one line of a terminal: each control character
/// (C0, DEL, and C1 as UTF-8 writes it) shown as \\xNN of its bytes, so a
/// typed argument can neither break the line nor move the cursor.
std::string visible(std::string_view text);

/// @p text as an error message echoes something typed or read (a path, a
/// value, a line of a file): shortened() to @p most bytes, then visible().
std::string echoed(std::string_view text, std::size_t most = 256);

/// Formats @p elapsed as Python's str(timedelta): "0:00:02.104515", or
/// "0:00:02" when the microseconds are 0, with "N day(s), " in front past a day.
std::string formatTimedelta(std::chrono::microseconds elapsed);

/// @return the time since @p start, as formatTimedelta() prints it.
std::string elapsedSince(std::chrono::steady_clock::time_point start);

}  // namespace workbook
