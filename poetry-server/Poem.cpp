#include "poetry-server/Poem.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "common/Arguments.h"
#include "common/Text.h"

namespace poetry_server {

namespace {

/// Closes a file descriptor when it goes out of scope.
struct OpenFile {
  explicit OpenFile(int descriptor) : fd(descriptor) {}
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  ~OpenFile() {
    if (fd != -1) close(fd);
  }
  const int fd;
};

[[noreturn]] void cannotRead(const std::string& path, int error) {
  // The wording DESIGN.md gives for a missing poem; the system's own for the rest.
  if (error == ENOENT)
    throw workbook::UsageError("No such file: " + workbook::echoed(path));
  throw workbook::UsageError("cannot read " + workbook::echoed(path) + ": " +
                             std::strerror(error));
}

/// Reads from @p fd into @p size bytes at @p at, until they are full or the
/// file ends. @return how many bytes were read
std::size_t readInto(int fd, const std::string& path, char* at, std::size_t size) {
  std::size_t got = 0;
  while (got < size) {
    const ssize_t n = read(fd, at + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) cannotRead(path, errno);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

/// Reads the whole file: one read of the @p size fstat() reported into a
/// string of that size, not a buffer doubling its way up to it.
/// @throws std::bad_alloc if the poem does not fit in memory
std::string readWhole(int fd, const std::string& path, std::size_t size) {
  std::string poem(size, '\0');
  if (readInto(fd, path, poem.data(), size) < size) {
    throw workbook::UsageError("cannot read " + workbook::echoed(path) +
                               ": it shrank while being read");
  }
  // A file that grew meanwhile, or one that reports no size (under /proc):
  // read on to its end. Nothing more to read is the usual case.
  std::array<char, std::size_t{64} * 1024> more{};
  while (const std::size_t n = readInto(fd, path, more.data(), more.size())) {
    poem.append(more.data(), n);
  }
  return poem;
}

/// Opens the poem at @p path, a regular file. @return its size
std::size_t openPoem(const OpenFile& file, const std::string& path) {
  if (file.fd == -1) cannotRead(path, errno);
  struct stat status {};
  if (fstat(file.fd, &status) != 0) cannotRead(path, errno);
  if (!S_ISREG(status.st_mode))
    throw workbook::UsageError("not a regular file: " + workbook::echoed(path));
  return static_cast<std::size_t>(status.st_size);
}

/// open() for a poem. O_NONBLOCK: opening a FIFO must not wait for a
/// writer; openPoem() refuses it.
int openForReading(const std::string& path) {
  return open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

}  // namespace

std::string readPoem(const std::string& path) {
  const OpenFile file{openForReading(path)};
  const std::size_t size = openPoem(file, path);
  try {
    return readWhole(file.fd, path, size);
  } catch (const std::bad_alloc&) {
    throw PoemTooLargeError(path, size);
  } catch (const std::length_error&) {
    throw PoemTooLargeError(path, size);
  }
}

MappedPoem mapPoem(const std::string& path) {
  const OpenFile file{openForReading(path)};
  const std::size_t size = openPoem(file, path);
  if (size == 0) {
    // Nothing to map; and a file that says it is empty may not be (under
    // /proc): readPoem() reads on past the size it reports.
    auto text = std::make_shared<const std::string>(readPoem(path));
    return {text, *text};
  }
  void* start = mmap(nullptr, size, PROT_READ, MAP_SHARED, file.fd, 0);
  if (start == MAP_FAILED) {
    if (errno == ENOMEM) throw PoemTooLargeError(path, size);
    cannotRead(path, errno);
  }
  // The mapping outlives the descriptor, which is closed on return.
  std::shared_ptr<const void> owner(
      start, [size](const void* at) { munmap(const_cast<void*>(at), size); });
  return {owner, std::string_view(static_cast<const char*>(start), size)};
}

PoemTooLargeError::PoemTooLargeError(const std::string& path, std::size_t size)
    : std::runtime_error("cannot hold " + workbook::echoed(path) + " in memory: it is " +
                         std::to_string(size) + " bytes") {}

}  // namespace poetry_server
