#include "internet/Address.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <array>
#include <sstream>

namespace internet {

namespace {

template <class Kind>
std::ostream& print(std::ostream& out, const char* className, const Kind& address) {
  return out << className << "(type='" << address.type << "', host='" << address.host
             << "', port=" << address.port << ")";
}

/// Reads @p host, an IPv6 address with or without a scope ("::1", "fe80::1%lo",
/// "fe80::1%2"), into @p address. @return false if it is none, or if its
/// scope names no interface of this machine
bool parseIPv6(const std::string& host, sockaddr_in6& address) {
  const auto percent = host.find('%');
  if (inet_pton(AF_INET6, host.substr(0, percent).c_str(), &address.sin6_addr) != 1) {
    return false;
  }
  if (percent == std::string::npos) return true;
  const std::string scope = host.substr(percent + 1);
  unsigned index = scope.empty() ? 0 : if_nametoindex(scope.c_str());
  if (index == 0 && !scope.empty() &&
      scope.find_first_not_of("0123456789") == std::string::npos && scope.size() < 10) {
    index = static_cast<unsigned>(std::stoul(scope));
  }
  address.sin6_scope_id = index;
  return index != 0;
}

/// "%lo" for an address scoped to the loopback interface, "" for none.
std::string scopeSuffix(const sockaddr_in6& address) {
  if (address.sin6_scope_id == 0) return "";
  std::array<char, IF_NAMESIZE> name{};
  if (if_indextoname(address.sin6_scope_id, name.data()) != nullptr) {
    return std::string("%") + name.data();
  }
  return "%" + std::to_string(address.sin6_scope_id);
}

}  // namespace

Address addressFromSockaddr(const sockaddr& address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (address.sa_family == AF_INET6) {
    const auto& ipv6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &ipv6.sin6_addr, text.data(), text.size());
    return IPv6Address{"TCP", text.data() + scopeSuffix(ipv6), ntohs(ipv6.sin6_port)};
  }
  const auto& ipv4 = reinterpret_cast<const sockaddr_in&>(address);
  inet_ntop(AF_INET, &ipv4.sin_addr, text.data(), text.size());
  return IPv4Address{"TCP", text.data(), ntohs(ipv4.sin_port)};
}

std::optional<SocketAddress> numericAddress(const std::string& host, std::uint16_t port) {
  SocketAddress result;
  auto& ipv4 = reinterpret_cast<sockaddr_in&>(result.storage);
  if (inet_pton(AF_INET, host.c_str(), &ipv4.sin_addr) == 1) {
    ipv4.sin_family = AF_INET;
    ipv4.sin_port = htons(port);
    result.length = sizeof ipv4;
    return result;
  }
  auto& ipv6 = reinterpret_cast<sockaddr_in6&>(result.storage);
  if (parseIPv6(host, ipv6)) {
    ipv6.sin6_family = AF_INET6;
    ipv6.sin6_port = htons(port);
    result.length = sizeof ipv6;
    return result;
  }
  return std::nullopt;
}

bool isIPv6Literal(const std::string& host) {
  sockaddr_in6 ignored{};
  return parseIPv6(host, ignored);
}

Address destinationAddress(const std::string& host, std::uint16_t port) {
  if (isIPv6Literal(host)) return IPv6Address{"TCP", host, port};
  return IPv4Address{"TCP", host, port};
}

const std::string& hostOf(const Address& address) {
  return std::visit([](const auto& kind) -> const std::string& { return kind.host; },
                    address);
}

std::uint16_t portOf(const Address& address) {
  return std::visit([](const auto& kind) { return kind.port; }, address);
}

std::ostream& operator<<(std::ostream& out, const IPv4Address& address) {
  return print(out, "IPv4Address", address);
}

std::ostream& operator<<(std::ostream& out, const IPv6Address& address) {
  return print(out, "IPv6Address", address);
}

std::ostream& operator<<(std::ostream& out, const Address& address) {
  std::visit([&out](const auto& kind) { out << kind; }, address);
  return out;
}

std::string toString(const Address& address) {
  std::ostringstream text;
  text << address;
  return text.str();
}

}  // namespace internet
