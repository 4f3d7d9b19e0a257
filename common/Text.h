// Small text helpers the clients share: counting characters the way Python
// counts a str, and printing a duration the way Python prints a timedelta.
// Tested by tests/unit/TextTest.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace workbook {

/// @return how many Unicode code points the UTF-8 text @p utf8 holds (what
///         Python's len() gives for the decoded poem).
std::size_t countCharacters(std::string_view utf8);

/// Formats @p elapsed as Python's str(timedelta): "0:00:02.104515", or
/// "0:00:02" when the microseconds are 0, with "N day(s), " in front past a day.
std::string formatTimedelta(std::chrono::microseconds elapsed);

}  // namespace workbook
