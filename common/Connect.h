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

/// How long connectBlocking() waits by default, in seconds (as connectTCP).
inline constexpr double kConnectTimeout = 30;

/// Connects to @p address and waits until that is done, at most @p timeout
/// seconds. Host names resolve to IPv4; IPv6 addresses are accepted written
/// out ("::1"). Ctrl-C while waiting ends the wait (the ConnectError says
/// "interrupted (Ctrl-C)").
/// @return the connected socket, blocking
/// @throws ConnectError
int connectBlocking(const ServerAddress& address, double timeout = kConnectTimeout);

/// @return "host:port", with brackets round an IPv6 address: "[::1]:10000".
std::string formatHostPort(const ServerAddress& address);

}  // namespace workbook
