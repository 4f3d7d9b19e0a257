// Tests of internet::Failure and internet::IPv4Address (unit).
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cerrno>
#include <sstream>

#include "internet/Address.h"
#include "internet/Failure.h"

namespace {

using internet::ErrorKind;
using internet::Failure;

TEST(Failure, ConnectErrorMapsErrnoToKind) {
  EXPECT_TRUE(Failure::connectError(ECONNREFUSED).check(ErrorKind::ConnectionRefused));
  EXPECT_TRUE(Failure::connectError(ETIMEDOUT).check(ErrorKind::Timeout));
  const Failure other = Failure::connectError(ENETUNREACH);
  EXPECT_TRUE(other.check(ErrorKind::Other));
  EXPECT_EQ(other.osError(), ENETUNREACH);
}

TEST(Failure, PrintsItsKindAndMessage) {
  std::ostringstream text;
  text << Failure::connectError(ECONNREFUSED);
  EXPECT_EQ(text.str(), "ConnectionRefusedError: Connection refused");
  EXPECT_FALSE(Failure::connectionDone().check(ErrorKind::ConnectionLost));
}

TEST(IPv4Address, PrintsAsTwistedDoes) {
  const internet::IPv4Address address{"TCP", "127.0.0.1", 10000};
  EXPECT_EQ(internet::toString(address),
            "IPv4Address(type='TCP', host='127.0.0.1', port=10000)");
}

TEST(IPv4Address, ComesFromASockaddr) {
  sockaddr_in raw{};
  raw.sin_family = AF_INET;
  raw.sin_port = htons(10009);
  raw.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(internet::IPv4Address::fromSockaddr(raw),
            (internet::IPv4Address{"TCP", "127.0.0.1", 10009}));
}

}  // namespace
