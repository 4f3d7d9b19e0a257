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

TEST(Address, PrintsAsTwistedDoes) {
  EXPECT_EQ(internet::toString(internet::IPv4Address{"TCP", "127.0.0.1", 10000}),
            "IPv4Address(type='TCP', host='127.0.0.1', port=10000)");
  EXPECT_EQ(internet::toString(internet::IPv6Address{"TCP", "::1", 10000}),
            "IPv6Address(type='TCP', host='::1', port=10000)");
}

TEST(Address, ComesFromASockaddrOfEitherFamily) {
  sockaddr_in ipv4{};
  ipv4.sin_family = AF_INET;
  ipv4.sin_port = htons(10009);
  ipv4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(internet::addressFromSockaddr(reinterpret_cast<const sockaddr&>(ipv4)),
            internet::Address(internet::IPv4Address{"TCP", "127.0.0.1", 10009}));
  sockaddr_in6 ipv6{};
  ipv6.sin6_family = AF_INET6;
  ipv6.sin6_port = htons(10010);
  ipv6.sin6_addr = in6addr_loopback;
  EXPECT_EQ(internet::addressFromSockaddr(reinterpret_cast<const sockaddr&>(ipv6)),
            internet::Address(internet::IPv6Address{"TCP", "::1", 10010}));
}

TEST(Address, NumericAddressesOfBothFamilies) {
  EXPECT_EQ(internet::numericAddress("127.0.0.1", 1)->family(), AF_INET);
  EXPECT_EQ(internet::numericAddress("::1", 1)->family(), AF_INET6);
  EXPECT_FALSE(internet::numericAddress("localhost", 1));
  // A destination keeps the host as typed; only IPv6 literals make IPv6Addresses.
  EXPECT_EQ(internet::destinationAddress("localhost", 7),
            internet::Address(internet::IPv4Address{"TCP", "localhost", 7}));
  EXPECT_EQ(internet::destinationAddress("::1", 7),
            internet::Address(internet::IPv6Address{"TCP", "::1", 7}));
}

TEST(Address, AScopedIPv6AddressKeepsItsScope) {
  for (const std::string host : {"fe80::1%lo", "::1%lo"}) {
    const auto numeric = internet::numericAddress(host, 10000);
    ASSERT_TRUE(numeric) << host;
    EXPECT_TRUE(internet::isIPv6Literal(host)) << host;
    EXPECT_EQ(internet::toString(internet::destinationAddress(host, 10000)),
              "IPv6Address(type='TCP', host='" + host + "', port=10000)");
    EXPECT_EQ(internet::toString(internet::addressFromSockaddr(*numeric->get())),
              "IPv6Address(type='TCP', host='" + host + "', port=10000)");
  }
  EXPECT_FALSE(internet::numericAddress("fe80::1%no-such-interface", 1));
  EXPECT_FALSE(internet::numericAddress("fe80::1%", 1));
}

}  // namespace
