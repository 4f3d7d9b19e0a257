#include "poetry-server/ServerOptions.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstdlib>
#include <exception>
#include <iostream>
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

bool takesValue(const std::string& option, bool paced) {
  return option == "--port" || option == "--iface" ||
         (paced &&
          (option == "--delay" || option == "--num-bytes" || option == "--reset-after"));
}

/// @return true for an address TCP cannot listen on, though bind() takes
/// it: IPv4's broadcast 255.255.255.255 and a multicast address of either
/// family.
bool acceptsNoConnection(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    const in_addr_t ip =
        ntohl(reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr);
    return ip == INADDR_BROADCAST || IN_MULTICAST(ip);
  }
  if (address.sa_family == AF_INET6) {
    return IN6_IS_ADDR_MULTICAST(
        &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr);
  }
  return false;
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

std::string pythonAddress(const std::string& host, std::uint16_t port) {
  const bool ipv6 = internet::isIPv6Literal(host);
  return "('" + host + "', " + std::to_string(port) + (ipv6 ? ", 0, 0)" : ")");
}

std::string resolveInterface(const std::string& iface) {
  // A numeric address as it is: glibc's getaddrinfo() takes a scope by
  // name ("::1%lo") only on a link-local address.
  if (const auto numeric = internet::numericAddress(iface, 0)) {
    if (acceptsNoConnection(*numeric->get())) {
      throw workbook::UsageError(
          "bad --iface " + workbook::quoted(iface) +
          ": a broadcast or multicast address takes no connection");
    }
    return internet::hostOf(internet::addressFromSockaddr(*numeric->get()));
  }
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
  if (acceptsNoConnection(*found->ai_addr)) {
    freeaddrinfo(found);
    throw workbook::UsageError("bad --iface " + workbook::quoted(iface) +
                               ": a broadcast or multicast address takes no connection");
  }
  std::array<char, NI_MAXHOST> text{};
  getnameinfo(found->ai_addr, found->ai_addrlen, text.data(), text.size(), nullptr, 0,
              NI_NUMERICHOST);
  freeaddrinfo(found);
  return text.data();
}

}  // namespace poetry_server
