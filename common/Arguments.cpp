#include "common/Arguments.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <iostream>

namespace workbook {

std::uint16_t parsePort(std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < 1 || value > 65535) {
    throw UsageError("bad port '" + std::string(text) +
                     "': expected a number from 1 to 65535");
  }
  return static_cast<std::uint16_t>(value);
}

ServerAddress parseServerAddress(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return {"127.0.0.1", parsePort(text)};
  const std::string_view host = text.substr(0, colon);
  if (host.empty())
    throw UsageError("missing host before ':' in '" + std::string(text) + "'");
  return {std::string(host), parsePort(text.substr(colon + 1))};
}

std::string programName(const char* argv0) {
  const std::string_view path(argv0 != nullptr ? argv0 : "poetry");
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

namespace {

void printHelp(const std::string& program, std::string_view about,
               const std::vector<ClientFlag>& flags) {
  std::cout << "usage: " << program << (flags.empty() ? "" : " [options]")
            << " [host:]port ...\n\n"
            << about << "\n\n"
            << "Each argument names a poetry server: a port on 127.0.0.1, or\n"
            << "host:port. For example, with servers on ports 10001 to 10003:\n\n"
            << "  " << program << " 10001 10002 10003\n";
  if (!flags.empty()) std::cout << "\noptions:\n";
  for (const auto& flag : flags)
    std::cout << "  " << flag.name << "  " << flag.help << '\n';
}

// Sets the flag called @p arg. @return false if there is none of that name.
bool setFlag(std::string_view arg, const std::vector<ClientFlag>& flags) {
  const auto flag = std::ranges::find(flags, arg, &ClientFlag::name);
  if (flag == flags.end()) return false;
  *flag->value = true;
  return true;
}

}  // namespace

std::vector<ServerAddress> parseClientArgs(int argc, char* argv[], std::string_view about,
                                           const std::vector<ClientFlag>& flags) {
  const std::string program = programName(argc > 0 ? argv[0] : nullptr);
  std::vector<ServerAddress> addresses;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string_view arg = argv[i];
      if (arg == "-h" || arg == "--help") {
        printHelp(program, about, flags);
        std::exit(EXIT_SUCCESS);
      }
      if (setFlag(arg, flags)) continue;
      if (arg.starts_with('-'))
        throw UsageError("unknown option '" + std::string(arg) + "'");
      addresses.push_back(parseServerAddress(arg));
    }
  } catch (const UsageError& e) {
    std::cerr << program << ": error: " << e.what() << " (see --help)\n";
    std::exit(kUsageError);
  }
  if (addresses.empty()) {
    printHelp(program, about, flags);
    std::exit(EXIT_SUCCESS);
  }
  return addresses;
}

}  // namespace workbook
