// Reading a client's output by hand, a piece at a time. Not std::regex:
// libstdc++'s matcher recurses per character, and a line may be megabytes.
#pragma once

#include <optional>
#include <string_view>

namespace testing_support {

/// The number at the front of @p text, dropped from it; at most 9 digits,
/// so that it always fits. @return nothing if @p text starts with no digit
std::optional<int> takeNumber(std::string_view& text);

/// Drops @p prefix from the front of @p text. @return false, leaving @p text
/// as it was, if @p text does not start with it
bool takePrefix(std::string_view& text, std::string_view prefix);

}  // namespace testing_support
