// Fault injection: each test breaks something on purpose and pins what the
// programs do about it. Nothing that did arrive may be lost, and nothing may
// crash (e2e).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <regex>

#include "common/Text.h"
#include "tests/support/ClientReport.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

std::string writeTempFile(const std::string& name, const std::string& contents) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(Fault, OutOfDescriptorsWithThreeHundredAddresses) {
#ifdef WORKBOOK_SANITIZED
  // UBSan checks a pointer's memory through a pipe of its own: with no
  // descriptor left it reports memory it could not check as bad. The dev
  // suite runs this fault.
  GTEST_SKIP() << "needs descriptors the sanitizers would take";
#endif
  PoetryServer server(poemPath("small-hours.txt"), {}, kFastPoetryName);
  const std::vector<std::string> args(300, std::to_string(server.port()));
  auto client = withFileLimit(64, kClient2, args);
  ASSERT_EQ(client->wait(60s), 0) << client->err();
  const ClientReport report = parseClientReport(client->out());
  // Every address is accounted for: a poem, or a failure with its reason.
  EXPECT_EQ(report.characters.size() + report.failedToConnect.size(), 300U)
      << client->out();
  EXPECT_GT(report.failedToConnect.size(), 0U) << "the limit was never reached";
  EXPECT_GT(report.characters.size(), 0U);
  for (const auto& [task, count] : report.characters) EXPECT_EQ(count, 622) << task;
  EXPECT_TRUE(report.gotLine.starts_with("Got 300 poems in ")) << report.gotLine;

  // Client 1.0 cannot go on without a socket: one line and status 1.
  auto client1 = withFileLimit(64, kClient1, args);
  EXPECT_EQ(client1->wait(60s), 1);
  EXPECT_EQ(lines(client1->err()).size(), 1U) << client1->err();
  EXPECT_NE(client1->err().find("Too many open files"), std::string::npos)
      << client1->err();
}

TEST(Fault, AServerResetMidPoemKeepsWhatArrived) {
  for (const std::string& program : {kClient1, kClient2}) {
    HangingUpServer server("half a po", HangingUpServer::HangUp::ResetOnceRead);
    Process client(program, {std::to_string(server.port())});
    ASSERT_EQ(client.wait(), 0) << program << client.err();
    EXPECT_NE(client.out().find("Task 1: got 9 bytes of poetry from "), std::string::npos)
        << program << client.out();
    EXPECT_NE(client.out().find("Task 1: 9 characters of poetry"), std::string::npos)
        << program << client.out();
  }
}

TEST(Fault, CtrlCWhileAServerStallsReportsWhatArrived) {
  // One chunk of 20 characters, then a minute of silence.
  PoetryServer stalled(poemPath("small-hours.txt"),
                       {"--delay", "60", "--num-bytes", "20"});
  Process client(kClient2, {std::to_string(stalled.port())});
  ASSERT_TRUE(client.waitForLine(
      [](const std::string& l) { return l.find(" got ") != std::string::npos; }));
  client.kill(SIGINT);
  ASSERT_EQ(client.wait(), 0) << "Ctrl-C is a normal way to end a client: status 0";
  EXPECT_NE(client.out().find("Task 1: 20 characters of poetry"), std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Got 1 poems in "), std::string::npos) << client.out();
}

TEST(Fault, WritingToAPeerThatHungUpDoesNotKillTheServer) {
  // Bigger than the socket buffers, so that the server is still writing
  // when each of these clients resets the connection.
  const std::string big = writeTempFile("big-poem.txt", std::string(8 << 20, 'x'));
  PoetryServer server(big, {}, kFastPoetryName);
  for (int i = 0; i < 5; ++i) {
    const int sock = connectToLoopback(server.port());
    ASSERT_NE(sock, -1);
    char first[1024];
    ASSERT_GT(read(sock, first, sizeof first), 0);  // it has started writing
    const linger abort{1, 0};
    setsockopt(sock, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    close(sock);
  }
  EXPECT_EQ(fetchPoem(server.port()).size(), std::size_t{8} << 20);  // still serving
}

TEST(Fault, APoemThatIsNotUtf8IsCountedWithAWarning) {
  // Python: len(data.decode("utf-8", "replace")) == 13 for these bytes.
  const std::string bytes = "caf\xc3\xa9 \xff\xfe bad \xe2\x82";
  ASSERT_EQ(workbook::countCharacters(bytes), 13U);
  const std::string poem = writeTempFile("not-utf8.txt", bytes);
  PoetryServer server(poem, {"--delay", "0.001", "--num-bytes", "100"});
  Process client(kClient2, {std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_NE(client.out().find("Task 1: 13 characters of poetry"), std::string::npos)
      << client.out();
  EXPECT_EQ(
      client.err(),
      "warning: the poem of task 1 is not valid UTF-8; 3 bad sequence(s) counted as "
      "U+FFFD\n");
}

}  // namespace
