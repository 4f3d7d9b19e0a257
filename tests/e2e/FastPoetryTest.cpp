// End-to-end tests of the fast poetry server, fastpoetry (e2e).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

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
  PoetryServer server(poemPath("slow-postman-ko.txt"), {}, kFastPoetryName);
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
  const std::string program = kFastPoetry;
  Process none(program, {});
  EXPECT_EQ(none.wait(), 2);
  EXPECT_EQ(none.err(), "fastpoetry: error: Provide exactly one poetry file.\n");
  Process pacing(program, {"--delay", "1", poemPath("small-hours.txt")});
  EXPECT_EQ(pacing.wait(), 2);  // no pacing: it is the fast one
  Process missing(program, {"nowhere.txt"});
  EXPECT_EQ(missing.wait(), 2);
  EXPECT_EQ(missing.err(), "fastpoetry: error: No such file: nowhere.txt\n");
}

TEST(FastPoetry, AnUnreadablePoemIsAnErrorNotAnEmptyPoem) {
  const std::string program = kFastPoetry;
  const std::string directory = ::testing::TempDir() + "fastpoetry-a-directory";
  mkdir(directory.c_str(), 0700);
  Process notAFile(program, {directory});
  EXPECT_EQ(notAFile.wait(), 2);
  EXPECT_EQ(notAFile.err(), "fastpoetry: error: not a regular file: " + directory + "\n");
  EXPECT_EQ(notAFile.out(), "") << "it must not serve";
  rmdir(directory.c_str());
  // It opens, but read() fails (there is nothing mapped at address 0).
  Process unreadable(program, {"/proc/self/mem"});
  EXPECT_EQ(unreadable.wait(), 2);
  EXPECT_EQ(unreadable.err(),
            "fastpoetry: error: cannot read /proc/self/mem: Input/output error\n");
  EXPECT_EQ(unreadable.out(), "") << "it must not serve";
}

TEST(FastPoetry, APoemTooBigForMemoryIsAnErrorNotAShortPoem) {
#ifdef WORKBOOK_SANITIZED
  // The sanitizers reserve far more address space than the limit leaves.
  GTEST_SKIP() << "needs an address-space limit the sanitizers cannot run under";
#endif
  // A sparse file: a gibibyte to fstat(), hardly any disk.
  const std::string path = ::testing::TempDir() + "fastpoetry-a-huge-poem.txt";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_NE(fd, -1);
  ASSERT_EQ(ftruncate(fd, off_t{1} << 30), 0);
  close(fd);
  // 256 MiB of address space: room for the program, not for the poem.
  Process server("/bin/sh",
                 {"-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", kFastPoetry, path});
  EXPECT_EQ(server.wait(), 1);
  EXPECT_EQ(server.err(),
            "fastpoetry: cannot hold " + path + " in memory: it is 1073741824 bytes\n");
  EXPECT_EQ(server.out(), "") << "it must not serve part of the poem";
  unlink(path.c_str());
}

TEST(FastPoetry, APoemThatShrinksWhileServedEndsThatConnectionNotTheServer) {
  // fastpoetry maps the poem: once the file is cut short, the pages past its
  // new end are gone. The kernel refuses to send them; the server must not
  // touch them itself (SIGBUS) and must go on serving.
  const std::string path = ::testing::TempDir() + "fastpoetry-a-shrinking-poem.txt";
  const std::string poem(std::size_t{4} << 20, 'x');
  {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_NE(fd, -1);
    ASSERT_EQ(write(fd, poem.data(), poem.size()), static_cast<ssize_t>(poem.size()));
    close(fd);
  }
  PoetryServer server(path, {}, kFastPoetryName);
  ASSERT_EQ(truncate(path.c_str(), 4096), 0);
  // A server that died on the first client refuses the second.
  for (int client = 0; client < 2; ++client) {
    const int sock = connectToLoopback(server.port());
    ASSERT_NE(sock, -1) << "the server no longer accepts";
    EXPECT_LT(readAll(sock).size(), poem.size()) << "bytes past the end cannot be sent";
  }
  unlink(path.c_str());
}

TEST(FastPoetry, ABusyPortIsAnError) {
  PoetryServer first(poemPath("small-hours.txt"), {}, kFastPoetryName);
  Process second(kFastPoetry,
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
