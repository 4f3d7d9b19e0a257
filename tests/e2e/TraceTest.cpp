// End-to-end tests of the live reactor trace, REACTOR_TRACE=1 (e2e).
#include <gtest/gtest.h>

#include <regex>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

TEST(Trace, ShowsEachReadableFdDoReadAndDataReceivedThenConnectionLost) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.005", "--num-bytes", "100"});
  const std::string port = std::to_string(server.port());
  Process client(kClient2, {port}, {"REACTOR_TRACE=1"});
  ASSERT_EQ(client.wait(), 0) << client.err();

  const std::regex readable(
      "reactor: fd (\\d+) readable: tcp\\.Connection 127\\.0\\.0\\.1:" + port +
      " -> doRead\\(\\)");
  const std::regex read(
      R"(reactor:   doRead: read (\d+) bytes -> PoetryProtocol::dataReceived\(\))");
  const auto trace = lines(client.err());
  int bytes = 0;
  int wakeUps = 0;
  std::size_t lost = trace.size();
  for (std::size_t i = 0; i < trace.size(); ++i) {
    std::smatch match;
    if (std::regex_match(trace[i], match, read)) {
      // Every read comes right after the line saying which fd woke.
      ASSERT_GT(i, 0U);
      EXPECT_TRUE(std::regex_match(trace[i - 1], readable)) << trace[i - 1];
      bytes += std::stoi(match[1]);
    }
    if (std::regex_match(trace[i], readable)) ++wakeUps;
    if (trace[i].find("-> connectionLost(ConnectionDone: ") != std::string::npos)
      lost = i;
  }
  EXPECT_EQ(bytes, 622);
  EXPECT_GE(wakeUps, 2);
  ASSERT_LT(lost, trace.size()) << client.err();
  EXPECT_NE(trace[lost].find("removed tcp.Connection 127.0.0.1:" + port),
            std::string::npos);
  ASSERT_LT(lost + 1, trace.size());
  EXPECT_EQ(trace[lost + 1],
            "reactor:   connectionLost: socket closed -> "
            "PoetryProtocol::connectionLost()");
}

TEST(Trace, ShowsAFailedConnectionWithItsReason) {
  RefusingPort refusing;
  Process client(kClient2, {std::to_string(refusing.port())}, {"REACTOR_TRACE=1"});
  ASSERT_EQ(client.wait(), 0);
  EXPECT_NE(client.err().find("-> clientConnectionFailed(ConnectionRefusedError: "),
            std::string::npos)
      << client.err();
}

TEST(Trace, IsOffUnlessAskedFor) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "300"});
  for (const char* off : {"REACTOR_TRACE=", "REACTOR_TRACE=0"}) {
    Process client(kClient2, {std::to_string(server.port())}, {off});
    ASSERT_EQ(client.wait(), 0);
    EXPECT_EQ(client.err(), "") << off;
  }
}

}  // namespace
