// The command line the poetry servers share, and what they do with it before
// serving: find the interface to listen on (the poem is Poem.h's); and how
// they print a client's address. Tested by
// tests/e2e/SlowPoetryTest.cpp and tests/e2e/FastPoetryTest.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace poetry_server {

/// What a poetry server was asked to do.
struct ServerOptions {
  std::uint16_t port = 0;           ///< 0: let the kernel pick a free port
  std::string iface = "localhost";  ///< where to listen, a name or an address
  double delay = 0.7;               ///< seconds between chunks (slowpoetry)
  std::size_t numBytes = 10;        ///< characters per chunk (slowpoetry)
  std::size_t resetAfter = 0;       ///< slowpoetry: reset the connection after this
                                    ///< many chunks; 0 to close it cleanly at the end
  std::string poetryFile;           ///< the poem, as typed
};

/// Parses a server's command line: `--port`, `--iface` and one poetry file,
/// and, when @p paced, `--delay`, `--num-bytes` and `--reset-after`. Values may follow
/// their option as the next word or after '=', as Python's optparse allows. With
/// -h/--help prints @p help and exits 0.
/// @throws workbook::UsageError with the one-line reason
ServerOptions parseServerArgs(int argc, char* argv[], std::string_view help, bool paced);

/// @return the numeric address of the interface called @p iface, as text:
///         a name ("localhost") resolves to its IPv4 address in dotted-quad
///         form ("127.0.0.1"); an IPv6 address ("::1") comes back as IPv6.
/// @throws workbook::UsageError if there is none
std::string resolveInterface(const std::string& iface);

/// @return a client's address the way Python prints one: "('127.0.0.1', 55718)",
///         or for IPv6 "('::1', 55718, 0, 0)".
std::string pythonAddress(const std::string& host, std::uint16_t port);

}  // namespace poetry_server
