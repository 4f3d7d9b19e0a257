// The command line every poetry client shares: a list of `port` or
// `host:port`. Tested by tests/unit/CommonTest.cpp.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace workbook {

/// Exit status of a program given bad arguments (Python's optparse uses 2).
inline constexpr int kUsageError = 2;

/// Where a poetry server is, as the user typed it.
struct ServerAddress {
  std::string host;
  std::uint16_t port = 0;
};

/// A command line that cannot be understood; what() is the one-line reason.
class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The longest wait a command line may ask for, in seconds: one day. Longer
/// ones are surely typing mistakes.
inline constexpr double kMaxSeconds = 86400;

/// @return @p text in quotes for an error message, cut short (with its size
///         in bytes) if it is long: a 100 KB argument is not echoed whole;
///         control characters escaped (visible()), so the message stays one line.
std::string quoted(std::string_view text);

/// Parses "port", "host:port" or "[IPv6 address]:port"; the host defaults to
/// 127.0.0.1.
/// @throws UsageError if the port is not a number from 1 to 65535, the host is
///         empty, or an IPv6 address is not in brackets ("::1:80")
ServerAddress parseServerAddress(std::string_view text);

/// Parses a port number from 1 to 65535. @throws UsageError otherwise
std::uint16_t parsePort(std::string_view text);

/// An option a client accepts besides its addresses: a yes/no flag such as
/// --stack, or a number of seconds such as --timeout 2.5. Set one of the two
/// pointers.
struct ClientOption {
  std::string_view name;      ///< as typed, e.g. "--stack"
  std::string_view help;      ///< one line for --help
  bool* flag = nullptr;       ///< set to true when the option is given
  double* seconds = nullptr;  ///< set to the value that follows it (> 0)
};

/// What a Part 5 client's --help says about its exit status.
inline constexpr std::string_view kClientExitStatus =
    "exit status: 0 when done (also when a server could not be reached, or after\n"
    "Ctrl-C), 2 for bad arguments, 3 if standard output could not be written";

/// What client 1.0's --help says: one unreachable server ends it.
inline constexpr std::string_view kClient1ExitStatus =
    "exit status: 0 when done (also after Ctrl-C), 1 if a server could not be\n"
    "reached (or Ctrl-C came while still connecting), 2 for bad arguments, 3 if\n"
    "standard output could not be written";

/// Parses a client's command line, the way the tutorial's parse_args() does.
///
/// With no addresses, or with -h/--help, prints the help to stdout and exits 0.
/// On a bad argument prints one line to stderr and exits with kUsageError.
/// @param about what the program does, shown in the help
/// @param options the options it accepts besides -h/--help
/// @param exitStatus what --help says about the exit status
/// @return the addresses, in the order given
std::vector<ServerAddress> parseClientArgs(
    int argc, char* argv[], std::string_view about,
    const std::vector<ClientOption>& options = {},
    std::string_view exitStatus = kClientExitStatus);

/// Parses a number of seconds greater than 0 and at most kMaxSeconds.
/// @throws UsageError otherwise
double parseSeconds(std::string_view text);

/// The program's name for messages: argv[0] without its directories.
std::string programName(const char* argv0);

}  // namespace workbook
