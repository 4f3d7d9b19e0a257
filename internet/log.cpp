#include "internet/log.h"

#include <iostream>
#include <string>

namespace internet {

void logError(std::initializer_list<std::string_view> parts) noexcept {
  try {
    std::string line;
    for (const std::string_view part : parts) line.append(part);
    line += '\n';
    // One string, one write: another line cannot land in the middle of it.
    std::cerr << line << std::flush;
  } catch (...) {
    // Out of memory, or a stderr set to throw: reporting an error must not
    // become an error of its own.
  }
}

}  // namespace internet
