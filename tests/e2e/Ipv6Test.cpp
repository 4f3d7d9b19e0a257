// End-to-end tests over IPv6 loopback (::1): servers on --iface ::1, every
// client given [::1]:port (e2e).
#include <gtest/gtest.h>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

const std::vector<std::string> kFast = {"--iface", "::1",         "--delay",
                                        "0.001",   "--num-bytes", "300"};

std::string ipv6(std::uint16_t port) {
  return "IPv6Address(type='TCP', host='::1', port=" + std::to_string(port) + ")";
}

TEST(Ipv6, SlowPoetryServesOnIPv6Loopback) {
  PoetryServer server(poemPath("small-hours.txt"), kFast);
  Process client(kClient1, {"[::1]:" + std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_NE(
      client.out().find("bytes of poetry from [::1]:" + std::to_string(server.port())),
      std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
  // Python prints an IPv6 peer as a 4-tuple.
  ASSERT_TRUE(server.process().waitForLine([](const std::string& l) {
    return l.starts_with("Somebody at ('::1', ") && l.ends_with(", 0, 0) wants poetry!");
  })) << server.process().out();
}

TEST(Ipv6, Client2PrintsIPv6Addresses) {
  PoetryServer server(poemPath("small-hours.txt"), kFast);
  RefusingPort refusing(/*ipv6=*/true);
  Process client(kClient2, {"[::1]:" + std::to_string(server.port()),
                            "[::1]:" + std::to_string(refusing.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_NE(client.out().find("bytes of poetry from " + ipv6(server.port())),
            std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Failed to connect to: " + ipv6(refusing.port())),
            std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
}

TEST(Ipv6, Client21AndTheStackEditionConnectOverIPv6) {
  PoetryServer server(poemPath("small-hours.txt"), kFast);
  const std::string address = "[::1]:" + std::to_string(server.port());
  Process simple(kClient21, {address});
  ASSERT_EQ(simple.wait(), 0) << simple.err();
  EXPECT_EQ(simple.out(), readFile(poemPath("small-hours.txt")) + "\n");
  Process stack(kStack, {address});
  ASSERT_EQ(stack.wait(), 0);
  EXPECT_NE(stack.err().find("PoetryProtocol::dataReceived"), std::string::npos);
}

TEST(Ipv6, FastPoetryServesOnIPv6Loopback) {
  PoetryServer server(poemPath("slow-postman-ko.txt"), {"--iface", "::1"},
                      "poetry-server/fastpoetry");
  Process client(kClient21, {"[::1]:" + std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_EQ(client.out(), readFile(poemPath("slow-postman-ko.txt")) + "\n");
}

TEST(Ipv6, AScopedAddressIsAcceptedAndPrintedAsIPv6) {
  // "::1%lo": the loopback address scoped to the loopback interface.
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--iface", "::1%lo", "--delay", "0.001", "--num-bytes", "300"});
  const std::string address = "[::1%lo]:" + std::to_string(server.port());
  Process client1(kClient1, {address});
  ASSERT_EQ(client1.wait(), 0) << client1.err();
  EXPECT_NE(client1.out().find("Task 1: 622 characters of poetry"), std::string::npos)
      << client1.out();
  RefusingPort refusing(/*ipv6=*/true);
  Process client2(kClient2, {address, "[::1%lo]:" + std::to_string(refusing.port())});
  ASSERT_EQ(client2.wait(), 0) << client2.err();
  EXPECT_NE(client2.out().find("Task 1: 622 characters of poetry"), std::string::npos)
      << client2.out();
  EXPECT_NE(client2.out().find("Failed to connect to: IPv6Address(type='TCP', "
                               "host='::1%lo', port=" +
                               std::to_string(refusing.port()) + ")"),
            std::string::npos)
      << client2.out();
}

}  // namespace
