// End-to-end tests of client 2.0 (part05-client2) and client 2.1
// (part05-client2-simple) against slow servers and a refused port (e2e).
#include <gtest/gtest.h>

#include "common/Text.h"
#include "tests/support/ClientReport.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

std::string ipv4(const std::string& host, const std::string& port) {
  return "IPv4Address(type='TCP', host='" + host + "', port=" + port + ")";
}

TEST(Client2, ThreeServersAndARefusedPort) {
  const std::vector<std::string> poems = {"patient-socket.txt", "slow-postman-ko.txt",
                                          "small-hours.txt"};
  const auto servers = startServers(poems, {"--delay", "0.03", "--num-bytes", "30"});
  RefusingPort refusing;
  const std::string refused = std::to_string(refusing.port());
  auto args = portArgs(servers);
  // The refused port comes first: it must not take task number 1.
  args.insert(args.begin(), refused);

  Process client(kClient2, args);
  ASSERT_EQ(client.wait(), 0) << client.err();
  const ClientReport report = parseClientReport(client.out());

  EXPECT_TRUE(report.unexpected.empty()) << report.unexpected.front();
  EXPECT_EQ(report.failedToConnect, std::vector<std::string>{ipv4("127.0.0.1", refused)});
  ASSERT_EQ(report.bytesPerTask.size(), 3U);
  // Task numbers go to connections in the order they are made, which need
  // not be the order of the arguments: find each task's server by its port.
  for (int task = 1; task <= 3; ++task) {
    const std::string& peer = report.peerOfTask.at(task);
    std::size_t server = 0;
    while (server < 3 && peer != ipv4("127.0.0.1", args[server + 1])) ++server;
    ASSERT_LT(server, 3U) << peer;
    const std::string text = readFile(poemPath(poems[server]));
    EXPECT_EQ(report.bytesPerTask.at(task), static_cast<int>(text.size()));
    EXPECT_EQ(report.charactersOf(task),
              static_cast<int>(workbook::countCharacters(text)));
  }
  ASSERT_TRUE(report.gotLine.starts_with("Got 4 poems in ")) << client.out();
  // At the same time, not one after another: every poem had started
  // arriving before the first one was complete.
  EXPECT_TRUE(report.downloadsOverlapped()) << client.out();
}

TEST(Client2, ReportsInFinishingOrder) {
  auto slow = std::make_unique<PoetryServer>(
      poemPath("three-lighthouses.txt"),
      std::vector<std::string>{"--delay", "0.05", "--num-bytes", "200"});
  auto fast = std::make_unique<PoetryServer>(
      poemPath("small-hours.txt"),
      std::vector<std::string>{"--delay", "0.001", "--num-bytes", "200"});
  Process client(kClient2, {std::to_string(slow->port()), std::to_string(fast->port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  const ClientReport report = parseClientReport(client.out());
  ASSERT_EQ(report.characters.size(), 2U) << client.out();
  // The order of the totals is the order in which the poems finished.
  EXPECT_EQ(report.characters[0].first, report.lastReadOrder[0]);
  EXPECT_EQ(report.characters[1].first, report.lastReadOrder[1]);
  EXPECT_EQ(report.charactersOf(report.lastReadOrder[0]), 622);
}

TEST(Client2, FailedHostIsShownAsTypedAndReadsShowThePeer) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "200"});
  RefusingPort refusing;
  const std::string port = std::to_string(server.port());
  const std::string refused = std::to_string(refusing.port());
  Process client(kClient2, {"localhost:" + port, "localhost:" + refused});
  ASSERT_EQ(client.wait(), 0) << client.err();
  const ClientReport report = parseClientReport(client.out());
  EXPECT_EQ(report.failedToConnect, std::vector<std::string>{ipv4("localhost", refused)});
  EXPECT_EQ(report.peerOfTask.at(1), ipv4("127.0.0.1", port));
  EXPECT_TRUE(report.gotLine.starts_with("Got 2 poems in ")) << client.out();
}

TEST(Client2, EveryServerRefusedStillEndsCleanly) {
  RefusingPort first;
  RefusingPort second;
  Process client(kClient2, {std::to_string(first.port()), std::to_string(second.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  const ClientReport report = parseClientReport(client.out());
  EXPECT_EQ(report.failedToConnect.size(), 2U);
  EXPECT_TRUE(report.characters.empty());
  EXPECT_TRUE(report.gotLine.starts_with("Got 2 poems in ")) << client.out();
}

TEST(Client2, ArgumentErrorsAndHelp) {
  for (const std::string& program : {kClient2, kClient21}) {
    Process help(program, {});
    EXPECT_EQ(help.wait(), 0);
    EXPECT_TRUE(help.out().starts_with("usage: ")) << help.out();
    Process bad(program, {"10000", "70000"});
    EXPECT_EQ(bad.wait(), 2);
    EXPECT_EQ(lines(bad.err()).size(), 1U) << bad.err();
  }
}

TEST(Client21, PrintsEachPoemInFinishingOrder) {
  auto slow = std::make_unique<PoetryServer>(
      poemPath("slow-postman-ko.txt"),
      std::vector<std::string>{"--delay", "0.05", "--num-bytes", "100"});
  auto fast = std::make_unique<PoetryServer>(
      poemPath("small-hours.txt"),
      std::vector<std::string>{"--delay", "0.001", "--num-bytes", "200"});
  RefusingPort refusing;
  const std::string refused = std::to_string(refusing.port());
  Process client(kClient21,
                 {std::to_string(slow->port()), refused, std::to_string(fast->port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  const std::string expected = "Failed to connect to: " + ipv4("127.0.0.1", refused) +
                               "\n" + readFile(poemPath("small-hours.txt")) + "\n" +
                               readFile(poemPath("slow-postman-ko.txt")) + "\n";
  EXPECT_EQ(client.out(), expected);
}

}  // namespace
