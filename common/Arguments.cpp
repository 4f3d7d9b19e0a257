#include "common/Arguments.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "common/Text.h"

namespace workbook {

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;
  if (text.size() <= kShown) return "'" + visible(text) + "'";
  return "'" + echoed(text, kShown) + "' (" + std::to_string(text.size()) + " bytes)";
}

std::uint16_t parsePort(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < 1 || value > 65535) {
    throw UsageError("bad port " + quoted(text) + ": expected a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

ServerAddress parseServerAddress(std::string_view text) {
  if (text.starts_with('[')) {  // [IPv6 address]:port, as in a URL
    // The first ']' ends the address, and a ':' must follow it: "[::1]]:80"
    // names no host "::1]".
    const auto close = text.find(']');
    if (close == std::string_view::npos || close == 1 || text.substr(close, 2) != "]:" ||
        text.substr(1, close - 1).find('[') != std::string_view::npos) {
      throw UsageError("bad address " + quoted(text) + ": expected [address]:port");
    }
    return {std::string(text.substr(1, close - 1)), parsePort(text.substr(close + 2))};
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return {"127.0.0.1", parsePort(text)};
  // "::1:80" could be ::1 port 80 or ::1:80 with no port: brackets decide.
  if (text.find(':') != colon) {
    throw UsageError("bad address " + quoted(text) +
                     ": write an IPv6 address in brackets, as in [::1]:10000");
  }
  const std::string_view host = text.substr(0, colon);
  if (host.empty()) throw UsageError("missing host before ':' in " + quoted(text));
  return {std::string(host), parsePort(text.substr(colon + 1))};
}

std::string programName(const char* argv0) {
  const std::string_view path(argv0 != nullptr ? argv0 : "poetry");
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

double parseSeconds(std::string_view text) {
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !(value > 0) ||
      value > kMaxSeconds) {
    throw UsageError("bad number of seconds " + quoted(text) +
                     ": expected more than 0, " + "at most " +
                     std::to_string(static_cast<int>(kMaxSeconds)));
  }
  return value;
}

namespace {

void printHelp(const std::string& program, std::string_view about,
               const std::vector<ClientOption>& options, std::string_view exitStatus) {
  std::cout << "usage: " << program << (options.empty() ? "" : " [options]")
            << " [host:]port ...\n\n"
            << about << "\n\n"
            << "Each argument names a poetry server: a port on 127.0.0.1, host:port,\n"
            << "or [IPv6 address]:port. For example, with servers on ports 10001 to\n"
            << "10003:\n\n"
            << "  " << program << " 10001 10002 10003\n";
  if (!options.empty()) std::cout << "\noptions:\n";
  for (const auto& option : options) {
    std::cout << "  " << option.name << (option.seconds != nullptr ? " SECONDS" : "")
              << "  " << option.help << '\n';
  }
  std::cout << '\n' << exitStatus << '\n';
}

/// Applies the option at argv[i], if it is one, taking its value from the
/// same word ("--timeout=2") or the next ("--timeout 2").
/// @return false if argv[i] names none of @p options
bool applyOption(int argc, char* argv[], int& i,
                 const std::vector<ClientOption>& options) {
  std::string_view arg = argv[i];
  std::optional<std::string_view> value;
  if (const auto eq = arg.find('=');
      arg.starts_with("--") && eq != std::string_view::npos) {
    value = arg.substr(eq + 1);
    arg = arg.substr(0, eq);
  }
  const auto option = std::ranges::find(options, arg, &ClientOption::name);
  if (option == options.end()) return false;
  if (option->flag != nullptr) {
    if (value) throw UsageError(std::string(arg) + " takes no value");
    *option->flag = true;
    return true;
  }
  if (!value) {
    if (i + 1 == argc) throw UsageError(std::string(arg) + " needs a value");
    value = argv[++i];
  }
  *option->seconds = parseSeconds(*value);
  return true;
}

}  // namespace

std::vector<ServerAddress> parseClientArgs(int argc, char* argv[], std::string_view about,
                                           const std::vector<ClientOption>& options,
                                           std::string_view exitStatus) {
  const std::string program = programName(argc > 0 ? argv[0] : nullptr);
  std::vector<ServerAddress> addresses;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (arg == "-h" || arg == "--help") {
        printHelp(program, about, options, exitStatus);
        std::exit(EXIT_SUCCESS);
      }
      if (applyOption(argc, argv, i, options)) continue;
      if (arg.starts_with('-')) {
        throw UsageError("unknown option " + quoted(arg));
      }
      addresses.push_back(parseServerAddress(arg));
    }
  } catch (const UsageError& e) {
    std::cerr << program << ": error: " << e.what() << " (see --help)\n";
    std::exit(kUsageError);
  }
  if (addresses.empty()) {
    printHelp(program, about, options, exitStatus);
    std::exit(EXIT_SUCCESS);
  }
  return addresses;
}

}  // namespace workbook
