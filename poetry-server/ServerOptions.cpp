#include "poetry-server/ServerOptions.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>
#include <vector>

#include "common/Arguments.h"
#include "internet/Address.h"

namespace poetry_server {

namespace {

double parseDelay(const std::string& text) {
  std::size_t used = 0;
  double delay = -1;
  try {
    delay = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  // inf and 1e19 would not fit a sleep: they must not become no delay at all.
  if (used != text.size() || !(delay >= 0) || delay > workbook::kMaxSeconds) {
    throw workbook::UsageError("bad --delay " + workbook::quoted(text) +
                               ": expected seconds from 0 to " +
                               std::to_string(static_cast<int>(workbook::kMaxSeconds)));
  }
  return delay;
}

/// A count of at least 1, for @p option.
std::size_t parseCount(const std::string& option, const std::string& text) {
  std::size_t used = 0;
  unsigned long n = 0;
  try {
    n = std::stoul(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || n == 0 || text.starts_with('-')) {
    throw workbook::UsageError("bad " + option + " " + workbook::quoted(text) +
                               ": expected a number >= 1");
  }
  return n;
}

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
  if (error == ENOENT) throw workbook::UsageError("No such file: " + path);
  throw workbook::UsageError("cannot read " + path + ": " + std::strerror(error));
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
    throw workbook::UsageError("cannot read " + path + ": it shrank while being read");
  }
  // A file that grew meanwhile, or one that reports no size (under /proc):
  // read on to its end. Nothing more to read is the usual case.
  std::array<char, std::size_t{64} * 1024> more{};
  while (const std::size_t n = readInto(fd, path, more.data(), more.size())) {
    poem.append(more.data(), n);
  }
  return poem;
}

bool takesValue(const std::string& option, bool paced) {
  return option == "--port" || option == "--iface" ||
         (paced &&
          (option == "--delay" || option == "--num-bytes" || option == "--reset-after"));
}

}  // namespace

ServerOptions parseServerArgs(int argc, char* argv[], std::string_view help, bool paced) {
  ServerOptions options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (takesValue(arg, paced)) {
      if (i + 1 == argc)
        throw workbook::UsageError(workbook::quoted(arg) + " needs a value");
      value = argv[++i];
    }
    if (arg == "-h" || arg == "--help") {
      std::cout << help;
      std::exit(EXIT_SUCCESS);
    } else if (arg == "--port") {
      options.port = value == "0" ? 0 : workbook::parsePort(value);
    } else if (arg == "--iface") {
      options.iface = value;
    } else if (paced && arg == "--delay") {
      options.delay = parseDelay(value);
    } else if (paced && arg == "--num-bytes") {
      options.numBytes = parseCount(arg, value);
    } else if (paced && arg == "--reset-after") {
      options.resetAfter = parseCount(arg, value);
    } else if (arg.starts_with('-') && arg != "-") {
      throw workbook::UsageError("no such option: " + workbook::quoted(arg));
    } else {
      files.push_back(arg);
    }
  }
  if (files.size() != 1) throw workbook::UsageError("Provide exactly one poetry file.");
  options.poetryFile = files.front();
  return options;
}

std::string readPoem(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  const OpenFile file{open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd == -1) cannotRead(path, errno);
  struct stat status {};
  if (fstat(file.fd, &status) != 0) cannotRead(path, errno);
  if (!S_ISREG(status.st_mode)) throw workbook::UsageError("not a regular file: " + path);
  try {
    return readWhole(file.fd, path, static_cast<std::size_t>(status.st_size));
  } catch (const std::bad_alloc&) {
    throw PoemTooLargeError(path, static_cast<std::size_t>(status.st_size));
  } catch (const std::length_error&) {
    throw PoemTooLargeError(path, static_cast<std::size_t>(status.st_size));
  }
}

PoemTooLargeError::PoemTooLargeError(const std::string& path, std::size_t size)
    : std::runtime_error("cannot hold " + path + " in memory: it is " +
                         std::to_string(size) + " bytes") {}

std::string pythonAddress(const std::string& host, std::uint16_t port) {
  const bool ipv6 = internet::isIPv6Literal(host);
  return "('" + host + "', " + std::to_string(port) + (ipv6 ? ", 0, 0)" : ")");
}

std::string resolveInterface(const std::string& iface) {
  addrinfo hints{};
  // Names resolve to IPv4; an IPv6 interface is given as an address ("::1").
  hints.ai_family = internet::isIPv6Literal(iface) ? AF_INET6 : AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(iface.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    throw workbook::UsageError("bad --iface " + workbook::quoted(iface) +
                               ": unknown address");
  }
  std::array<char, NI_MAXHOST> text{};
  getnameinfo(found->ai_addr, found->ai_addrlen, text.data(), text.size(), nullptr, 0,
              NI_NUMERICHOST);
  freeaddrinfo(found);
  return text.data();
}

}  // namespace poetry_server
