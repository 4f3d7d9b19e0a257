// The poem a poetry server serves: read whole from its file before serving,
// with the errors a server reports for it. Tested by
// tests/e2e/SlowPoetryTest.cpp and tests/e2e/FastPoetryTest.cpp.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace poetry_server {

/// A poem the server cannot hold in memory; what() names it and its size.
/// Serving part of it instead would be worse: the clients could not tell.
class PoemTooLargeError : public std::runtime_error {
 public:
  PoemTooLargeError(const std::string& path, std::size_t size);
};

/// Reads the poem: the whole of @p path, a regular file, or an error.
/// @return its contents, byte for byte
/// @throws workbook::UsageError "No such file: X" if there is none, "not a
///         regular file: X" for a directory, FIFO or device, "cannot read X:
///         REASON" (the system's reason) if it cannot be opened or read
/// @throws PoemTooLargeError if it does not fit in memory
std::string readPoem(const std::string& path);

}  // namespace poetry_server
