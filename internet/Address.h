// Mirrors twisted.internet.address. Tested by tests/unit/AddressTest.cpp.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

struct sockaddr_in;

namespace internet {

/// An IPv4 endpoint, as twisted.internet.address.IPv4Address.
///
/// Printing it gives Twisted's text exactly:
/// `IPv4Address(type='TCP', host='127.0.0.1', port=10000)`.
struct IPv4Address {
  std::string type = "TCP";  ///< the transport, always "TCP" here
  std::string host;          ///< dotted-quad address, or the host as typed
  std::uint16_t port = 0;    ///< port number

  /// The address stored in a socket address structure.
  static IPv4Address fromSockaddr(const sockaddr_in& address);

  /// Addresses are equal when type, host and port are.
  friend bool operator==(const IPv4Address&, const IPv4Address&) = default;
};

std::ostream& operator<<(std::ostream& out, const IPv4Address& address);

/// The printed form, as a string.
std::string toString(const IPv4Address& address);

}  // namespace internet
