// End-to-end tests of the fast poetry server, fastpoetry (e2e).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/PoetryServer.h"

namespace {

using namespace testing_support;

const std::string kFastPoetry = "poetry-server/fastpoetry";

std::string readAll(int sock) {
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = read(sock, buffer, sizeof buffer)) > 0;) {
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(sock);
  return text;
}

TEST(FastPoetry, ServesManyClientsAtOnce) {
  PoetryServer server(poemPath("slow-postman-ko.txt"), {}, kFastPoetry);
  const std::string poem = readFile(poemPath("slow-postman-ko.txt"));
  std::vector<int> clients;
  for (int i = 0; i < 20; ++i) clients.push_back(connectToLoopback(server.port()));
  // Read the last client first: a server that served one client at a time
  // would keep it waiting behind the other nineteen, and the read would time out.
  for (auto it = clients.rbegin(); it != clients.rend(); ++it) {
    EXPECT_EQ(readAll(*it), poem);
  }
  ASSERT_TRUE(server.process().waitForLine(
      [](const std::string& l) { return l.find("wants poetry!") != std::string::npos; }));
}

TEST(FastPoetry, ArgumentErrors) {
  const std::string program = programPath(kFastPoetry);
  Process none(program, {});
  EXPECT_EQ(none.wait(), 2);
  EXPECT_EQ(none.err(), "fastpoetry: error: Provide exactly one poetry file.\n");
  Process pacing(program, {"--delay", "1", poemPath("small-hours.txt")});
  EXPECT_EQ(pacing.wait(), 2);  // no pacing: it is the fast one
  Process missing(program, {"nowhere.txt"});
  EXPECT_EQ(missing.wait(), 2);
  EXPECT_EQ(missing.err(), "fastpoetry: error: No such file: nowhere.txt\n");
}

TEST(FastPoetry, ABusyPortIsAnError) {
  PoetryServer first(poemPath("small-hours.txt"), {}, kFastPoetry);
  Process second(programPath(kFastPoetry),
                 {"--port", std::to_string(first.port()), poemPath("small-hours.txt")});
  EXPECT_EQ(second.wait(), 1);
  EXPECT_NE(second.err().find("cannot listen on 127.0.0.1:"), std::string::npos)
      << second.err();
}

}  // namespace

namespace {

TEST(Help, EveryProgramStatesItsExitStatus) {
  for (const char* program :
       {"poetry-server/slowpoetry", "poetry-server/fastpoetry",
        "part04-client1/get-poetry", "part05-client2/get-poetry",
        "part05-client2-simple/get-poetry-simple",
        "part05-client2-stack/get-poetry-stack", "part05-client2-stack/compare-stacks"}) {
    testing_support::Process help(testing_support::programPath(program), {"--help"});
    EXPECT_EQ(help.wait(), 0) << program;
    EXPECT_NE(help.out().find("exit status: "), std::string::npos)
        << program << help.out();
  }
}

}  // namespace
