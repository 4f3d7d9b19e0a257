// The poem a poetry server serves, with the errors a server reports for it:
// read whole from its file (slowpoetry, which cuts it into characters), or
// mapped (fastpoetry, which only hands it to the kernel). Tested by
// tests/e2e/SlowPoetryTest.cpp and tests/e2e/FastPoetryTest.cpp.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

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

/// A poem mapped into memory, not copied: the page cache's own pages, so
/// that a server is serving as soon as it has opened the file. The bytes
/// live as long as a copy of owner does.
struct MappedPoem {
  std::shared_ptr<const void> owner;  ///< unmaps the file when the last copy goes
  std::string_view bytes;             ///< the whole file
};

/// Maps the poem at @p path read-only; the same checks and errors as
/// readPoem(). If the file shrinks later, the bytes past its new end are
/// gone: the kernel refuses to send them (EFAULT) and that one connection
/// ends with an error. Nothing in the server reads them itself, so the
/// server never meets SIGBUS.
MappedPoem mapPoem(const std::string& path);

}  // namespace poetry_server
