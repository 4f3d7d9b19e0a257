// End-to-end tests of client 1.0 (part04-client1) against slow servers (e2e).
#include <gtest/gtest.h>

#include <csignal>

#include "common/Text.h"
#include "tests/support/ClientReport.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

TEST(Client1, DownloadsThreePoemsAtOnce) {
  const std::vector<std::string> poems = {"patient-socket.txt", "slow-postman-ko.txt",
                                          "small-hours.txt"};
  // About 0.45 s each when downloaded alone (30 characters every 30 ms).
  const auto servers = startServers(poems, {"--delay", "0.03", "--num-bytes", "30"});
  const auto args = portArgs(servers);
  Process client(kClient1, args);
  ASSERT_EQ(client.wait(), 0) << client.err();

  const ClientReport report = parseClientReport(client.out());
  EXPECT_TRUE(report.unexpected.empty()) << report.unexpected.front();
  EXPECT_EQ(report.finished.size(), 3U);
  for (int task = 1; task <= 3; ++task) {
    const std::string text = readFile(poemPath(poems[task - 1]));
    EXPECT_EQ(report.bytesPerTask.at(task), static_cast<int>(text.size()));
    EXPECT_EQ(report.charactersOf(task),
              static_cast<int>(workbook::countCharacters(text)));
    EXPECT_EQ(report.peerOfTask.at(task), "127.0.0.1:" + args[task - 1]);
  }
  EXPECT_EQ(report.charactersOf(2), 364);  // Korean: fewer characters than bytes
  ASSERT_TRUE(report.gotLine.starts_with("Got 3 poems in ")) << client.out();
  // At the same time, not one after another: every poem had started
  // arriving before the first one was complete.
  EXPECT_TRUE(report.downloadsOverlapped()) << client.out();
}

TEST(Client1, HostAndPortWork) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "200"});
  Process client(kClient1, {"localhost:" + std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
  EXPECT_NE(client.out().find("from localhost:" + std::to_string(server.port())),
            std::string::npos);
}

TEST(Client1, ARefusedConnectionEndsItWithOneLineAndStatus1) {
  PoetryServer server(poemPath("small-hours.txt"));
  RefusingPort refusing;
  Process client(kClient1,
                 {std::to_string(server.port()), std::to_string(refusing.port())});
  EXPECT_EQ(client.wait(), 1);
  EXPECT_EQ(client.err(), "get-poetry: cannot connect to 127.0.0.1:" +
                              std::to_string(refusing.port()) + ": Connection refused\n");
}

TEST(Client1, NoArgumentsPrintsHelp) {
  Process client(kClient1, {});
  EXPECT_EQ(client.wait(), 0);
  EXPECT_TRUE(client.out().starts_with("usage: get-poetry")) << client.out();
}

TEST(Client1, BadPortsAreUsageErrors) {
  for (const char* bad : {"abc", "0", "65536", "localhost:x", "--frobnicate"}) {
    Process client(kClient1, {"10000", bad});
    EXPECT_EQ(client.wait(), 2) << bad;
    EXPECT_EQ(lines(client.err()).size(), 1U) << client.err();
    EXPECT_TRUE(client.err().starts_with("get-poetry: error: ")) << client.err();
  }
}

TEST(Client1, CtrlCWhileConnectingEndsItWithOneLineAndStatus1) {
  StalledListener stalled;  // its connect never completes
  Process client(kClient1, {std::to_string(stalled.port())});
  ASSERT_TRUE(stalled.waitForConnectAttempt());
  client.kill(SIGINT);
  EXPECT_EQ(client.wait(), 1) << client.err();
  EXPECT_EQ(client.err(),
            "get-poetry: cannot connect to 127.0.0.1:" + std::to_string(stalled.port()) +
                ": interrupted (Ctrl-C)\n");
}

TEST(Client1, CtrlCStillPrintsWhatArrived) {
  // A server that sends one chunk and then stalls for a minute.
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "60", "--num-bytes", "20"});
  Process client(kClient1, {std::to_string(server.port())});
  ASSERT_TRUE(client.waitForLine(
      [](const std::string& l) { return l.find(" got ") != std::string::npos; }));
  client.kill(SIGINT);
  ASSERT_EQ(client.wait(), 0);
  EXPECT_NE(client.out().find("Task 1: 20 characters of poetry"), std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Got 1 poems in "), std::string::npos);
}

}  // namespace
