#include "tests/support/Scan.h"

#include <cctype>
#include <string>

namespace testing_support {

std::optional<int> takeNumber(std::string_view& text) {
  std::size_t n = 0;
  while (n < text.size() && n < 9 && std::isdigit(static_cast<unsigned char>(text[n])))
    ++n;
  if (n == 0) return std::nullopt;
  const int value = std::stoi(std::string(text.substr(0, n)));
  text.remove_prefix(n);
  return value;
}

bool takePrefix(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

}  // namespace testing_support
