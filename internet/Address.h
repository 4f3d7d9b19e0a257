// Mirrors twisted.internet.address. Tested by tests/unit/FailureAddressTest.cpp.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>

namespace internet {

/// An IPv4 endpoint, as twisted.internet.address.IPv4Address.
///
/// Printing it gives Twisted's text exactly:
/// ``IPv4Address(type='TCP', host='127.0.0.1', port=10000)``.
struct IPv4Address {
  std::string type = "TCP";  ///< the transport, always "TCP" here
  std::string host;          ///< dotted-quad address, or the host name as typed
  std::uint16_t port = 0;    ///< port number

  /// Addresses are equal when type, host and port are.
  friend bool operator==(const IPv4Address&, const IPv4Address&) = default;
};

/// An IPv6 endpoint, as twisted.internet.address.IPv6Address; prints as
/// ``IPv6Address(type='TCP', host='::1', port=10000)``.
struct IPv6Address {
  std::string type = "TCP";  ///< the transport, always "TCP" here
  std::string host;          ///< the address in its short text form, e.g. "::1", with its
                             ///< scope if it has one, e.g. "fe80::1%lo"
  std::uint16_t port = 0;    ///< port number

  /// Addresses are equal when type, host and port are.
  friend bool operator==(const IPv6Address&, const IPv6Address&) = default;
};

/// An endpoint of either kind: what getPeer(), getHost() and
/// getDestination() return, as Twisted returns one class or the other.
using Address = std::variant<IPv4Address, IPv6Address>;

/// @return the endpoint stored in @p address, an AF_INET or AF_INET6 socket
///         address.
Address addressFromSockaddr(const sockaddr& address);

/// A socket address ready for bind() or connect(), of either family.
struct SocketAddress {
  sockaddr_storage storage{};  ///< a sockaddr_in or a sockaddr_in6
  socklen_t length = 0;        ///< how much of storage is used

  /// @return the address, for the socket calls.
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  /// @return AF_INET or AF_INET6.
  int family() const { return storage.ss_family; }
};

/// @return the socket address of @p host, a numeric IPv4 or IPv6 address
///         (IPv6 with or without a scope: "fe80::1%lo", "::1%1"), and @p port;
///         nothing if @p host is not a numeric address, or its scope names no
///         interface of this machine.
std::optional<SocketAddress> numericAddress(const std::string& host, std::uint16_t port);

/// @return a destination as given to connectTCP(): an IPv6Address when
///         @p host is an IPv6 literal such as "::1", an IPv4Address otherwise
///         (host names included: like Twisted, names resolve to IPv4).
Address destinationAddress(const std::string& host, std::uint16_t port);

/// @return true if @p host is written as an IPv6 address, with or without a
///         scope ("::1", "fe80::1%lo").
bool isIPv6Literal(const std::string& host);

/// @return the host of an address of either kind.
const std::string& hostOf(const Address& address);

/// @return the port of an address of either kind.
std::uint16_t portOf(const Address& address);

/// Prints Twisted's text for the address.
std::ostream& operator<<(std::ostream& out, const IPv4Address& address);
/// Prints Twisted's text for the address.
std::ostream& operator<<(std::ostream& out, const IPv6Address& address);
/// Prints Twisted's text for whichever kind the address is.
std::ostream& operator<<(std::ostream& out, const Address& address);

/// The printed form, as a string.
std::string toString(const Address& address);

}  // namespace internet
