// The blocking connect() of client 1.0 and its exercises: one line in the
// tutorial's Python (sock.connect(address)), a few more in C++, and no part
// of the lesson. Tested by tests/e2e/Client1Test.cpp.
#pragma once

#include <stdexcept>
#include <string>

#include "common/Arguments.h"

namespace workbook {

/// A blocking connect that failed; what() names the address and the reason,
/// e.g. "cannot connect to 127.0.0.1:10009: Connection refused".
class ConnectError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Connects to @p address and waits until that is done. Host names resolve
/// to IPv4; IPv6 addresses are accepted written out ("::1").
/// @return the connected socket, still blocking
/// @throws ConnectError
int connectBlocking(const ServerAddress& address);

/// @return "host:port", with brackets round an IPv6 address: "[::1]:10000".
std::string formatHostPort(const ServerAddress& address);

}  // namespace workbook
