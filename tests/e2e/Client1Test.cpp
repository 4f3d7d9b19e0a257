// End-to-end tests of client 1.0 (part04-client1) against slow servers (e2e).
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <regex>

#include "common/Text.h"
#include "tests/support/PoetryServer.h"

namespace {

using namespace testing_support;

const std::string kClient = programPath("part04-client1/get-poetry");

/// What a client printed, taken apart line by line.
struct Report {
  std::map<int, int> bytesPerTask;     // from "Task N: got M bytes ..." lines
  std::map<int, std::string> peers;    // the "from ..." part of those lines
  std::vector<int> finished;           // from "Task N finished"
  std::map<int, int> charactersPerTask;
  std::string gotLine;
  std::vector<std::string> unexpected;
};

Report parseReport(const std::string& out) {
  const std::regex got(R"(Task (\d+): got (\d+) bytes of poetry from (.+))");
  const std::regex finished(R"(Task (\d+) finished)");
  const std::regex characters(R"(Task (\d+): (\d+) characters of poetry)");
  const std::regex summary(R"(Got \d+ poems in \d+:\d\d:\d\d(\.\d{6})?)");
  Report report;
  for (const auto& line : lines(out)) {
    std::smatch m;
    if (std::regex_match(line, m, got)) {
      report.bytesPerTask[std::stoi(m[1])] += std::stoi(m[2]);
      report.peers[std::stoi(m[1])] = m[3];
    } else if (std::regex_match(line, m, finished)) {
      report.finished.push_back(std::stoi(m[1]));
    } else if (std::regex_match(line, m, characters)) {
      report.charactersPerTask[std::stoi(m[1])] = std::stoi(m[2]);
    } else if (std::regex_match(line, summary)) {
      report.gotLine = line;
    } else {
      report.unexpected.push_back(line);
    }
  }
  return report;
}

/// Seconds in a "Got N poems in H:MM:SS.ffffff" line.
double elapsedSeconds(const std::string& gotLine) {
  std::smatch m;
  const std::regex clock(R"((\d+):(\d\d):(\d\d(\.\d+)?)$)");
  if (!std::regex_search(gotLine, m, clock)) return -1;
  return std::stoi(m[1]) * 3600 + std::stoi(m[2]) * 60 + std::stod(m[3]);
}

TEST(Client1, DownloadsThreePoemsAtOnce) {
  const std::vector<std::string> poems = {"patient-socket.txt", "slow-postman-ko.txt",
                                          "small-hours.txt"};
  // About 0.45 s each when downloaded alone (30 characters every 30 ms).
  std::vector<std::unique_ptr<PoetryServer>> servers;
  std::vector<std::string> args;
  for (const auto& poem : poems) {
    servers.push_back(std::make_unique<PoetryServer>(
        poemPath(poem), std::vector<std::string>{"--delay", "0.03", "--num-bytes", "30"}));
    args.push_back(std::to_string(servers.back()->port()));
  }
  Process client(kClient, args);
  ASSERT_EQ(client.wait(), 0) << client.err();

  const Report report = parseReport(client.out());
  EXPECT_TRUE(report.unexpected.empty()) << report.unexpected.front();
  EXPECT_EQ(report.finished.size(), 3U);
  for (int task = 1; task <= 3; ++task) {
    const std::string text = readFile(poemPath(poems[task - 1]));
    EXPECT_EQ(report.bytesPerTask.at(task), static_cast<int>(text.size()));
    EXPECT_EQ(report.charactersPerTask.at(task),
              static_cast<int>(workbook::countCharacters(text)));
    EXPECT_EQ(report.peers.at(task), "127.0.0.1:" + args[task - 1]);
  }
  EXPECT_EQ(report.charactersPerTask.at(2), 364);  // Korean: fewer characters than bytes
  ASSERT_TRUE(report.gotLine.starts_with("Got 3 poems in ")) << client.out();
  // Concurrent, not one after another: well under the 1.35 s the three
  // downloads would take in a row.
  EXPECT_LT(elapsedSeconds(report.gotLine), 1.0);
  EXPECT_GT(elapsedSeconds(report.gotLine), 0.3);
}

TEST(Client1, HostAndPortWork) {
  PoetryServer server(poemPath("small-hours.txt"), {"--delay", "0.001", "--num-bytes", "200"});
  Process client(kClient, {"localhost:" + std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
  EXPECT_NE(client.out().find("from localhost:" + std::to_string(server.port())),
            std::string::npos);
}

TEST(Client1, ARefusedConnectionEndsItWithOneLineAndStatus1) {
  PoetryServer server(poemPath("small-hours.txt"));
  RefusingPort refusing;
  Process client(kClient, {std::to_string(server.port()), std::to_string(refusing.port())});
  EXPECT_EQ(client.wait(), 1);
  EXPECT_EQ(client.err(), "get-poetry: cannot connect to 127.0.0.1:" +
                              std::to_string(refusing.port()) + ": Connection refused\n");
}

TEST(Client1, NoArgumentsPrintsHelp) {
  Process client(kClient, {});
  EXPECT_EQ(client.wait(), 0);
  EXPECT_TRUE(client.out().starts_with("usage: get-poetry")) << client.out();
}

TEST(Client1, BadPortsAreUsageErrors) {
  for (const char* bad : {"abc", "0", "65536", "localhost:x", "--frobnicate"}) {
    Process client(kClient, {"10000", bad});
    EXPECT_EQ(client.wait(), 2) << bad;
    EXPECT_EQ(lines(client.err()).size(), 1U) << client.err();
    EXPECT_TRUE(client.err().starts_with("get-poetry: error: ")) << client.err();
  }
}

TEST(Client1, CtrlCStillPrintsWhatArrived) {
  // A server that sends one chunk and then stalls for a minute.
  PoetryServer server(poemPath("small-hours.txt"), {"--delay", "60", "--num-bytes", "20"});
  Process client(kClient, {std::to_string(server.port())});
  ASSERT_TRUE(client.waitForLine([](const std::string& l) { return l.find(" got ") != std::string::npos; }));
  client.kill(SIGINT);
  ASSERT_EQ(client.wait(), 0);
  EXPECT_NE(client.out().find("Task 1: 20 characters of poetry"), std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Got 1 poems in "), std::string::npos);
}

}  // namespace
