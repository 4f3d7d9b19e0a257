// End-to-end tests of the slow poetry server: what it sends, what it prints,
// how it treats bad arguments and clients that leave early (e2e).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <regex>
#include <utility>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

int sendingTotal(const std::string& out) {
  const std::regex sending(R"(Sending (\d+) bytes)");
  int total = 0;
  for (const auto& line : lines(out)) {
    std::smatch match;
    if (std::regex_match(line, match, sending)) total += std::stoi(match[1]);
  }
  return total;
}

TEST(SlowPoetry, ServesThePoemByteForByte) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "64"});
  EXPECT_EQ(fetchPoem(server.port()), readFile(poemPath("small-hours.txt")));
}

TEST(SlowPoetry, AnnouncesItselfAndEveryClientAndChunk) {
  const std::string poem = poemPath("three-lighthouses.txt");
  PoetryServer server(poem, {"--delay", "0.001", "--num-bytes", "100"});
  ASSERT_FALSE(fetchPoem(server.port()).empty());
  auto& process = server.process();
  ASSERT_TRUE(
      process.waitForLine([](const std::string& l) { return l == "Sending 75 bytes"; }));
  const auto all = lines(process.out());
  ASSERT_GE(all.size(), 3U);
  EXPECT_EQ(all[0],
            "Serving " + poem + " on port " + std::to_string(server.port()) + ".");
  EXPECT_TRUE(std::regex_match(
      all[1], std::regex(R"(Somebody at \('127\.0\.0\.1', \d+\) wants poetry!)")))
      << all[1];
  EXPECT_EQ(all[2], "Sending 100 bytes");
  EXPECT_EQ(sendingTotal(process.out()), 875);
}

TEST(SlowPoetry, ChunksAreCharactersNotBytes) {
  PoetryServer server(poemPath("slow-postman-ko.txt"), {"--delay", "0.001"});
  EXPECT_EQ(fetchPoem(server.port()), readFile(poemPath("slow-postman-ko.txt")));
  // The first ten characters, "느린 우체부\n\n우리", take 24 bytes.
  const auto first = server.process().waitForLine(
      [](const std::string& l) { return l.starts_with("Sending"); });
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, "Sending 24 bytes");
}

TEST(SlowPoetry, SurvivesAClientThatHangsUpMidPoem) {
  PoetryServer server(poemPath("patient-socket.txt"), {"--delay", "0.01"});
  EXPECT_EQ(fetchPoem(server.port(), 5).size(), 10U);  // one chunk, then we leave
  EXPECT_EQ(fetchPoem(server.port()), readFile(poemPath("patient-socket.txt")));
}

TEST(SlowPoetry, NoFileIsAUsageError) {
  Process process(kSlowPoetry, {});
  EXPECT_EQ(process.wait(), 2);
  EXPECT_EQ(process.err(), "slowpoetry: error: Provide exactly one poetry file.\n");
}

TEST(SlowPoetry, AMissingFileIsAUsageError) {
  Process process(kSlowPoetry, {"no-such-poem.txt"});
  EXPECT_EQ(process.wait(), 2);
  EXPECT_EQ(process.err(), "slowpoetry: error: No such file: no-such-poem.txt\n");
}

// A poem that cannot be read is reported, never served as an empty poem.
// The tests run as root, who may read any file, so these are failures no
// permission bit makes.

TEST(SlowPoetry, ADirectoryOrAFifoIsNotAPoem) {
  const std::string directory = ::testing::TempDir() + "slowpoetry-a-directory";
  const std::string fifo = ::testing::TempDir() + "slowpoetry-a-fifo";
  mkdir(directory.c_str(), 0700);
  mkfifo(fifo.c_str(), 0600);  // opening it for reading would wait for a writer
  for (const auto& path : {directory, fifo}) {
    Process process(kSlowPoetry, {path});
    EXPECT_EQ(process.wait(), 2) << path;
    EXPECT_EQ(process.err(), "slowpoetry: error: not a regular file: " + path + "\n");
    EXPECT_EQ(process.out(), "") << "it must not serve";
  }
  unlink(fifo.c_str());
  rmdir(directory.c_str());
}

TEST(SlowPoetry, AnUnreadablePoemIsReportedWithTheSystemsReason) {
  const std::string loop = ::testing::TempDir() + "slowpoetry-a-symlink-loop";
  unlink(loop.c_str());
  ASSERT_EQ(symlink(loop.c_str(), loop.c_str()), 0);
  const std::vector<std::pair<std::string, std::string>> unreadable = {
      {poemPath("small-hours.txt") + "/verse", "Not a directory"},  // open() fails
      {loop, "Too many levels of symbolic links"},                  // open() fails
      {"/proc/self/mem", "Input/output error"},  // opens; read() at 0 fails
  };
  for (const auto& [path, reason] : unreadable) {
    Process process(kSlowPoetry, {path});
    EXPECT_EQ(process.wait(), 2) << path;
    EXPECT_EQ(process.err(),
              "slowpoetry: error: cannot read " + path + ": " + reason + "\n");
    EXPECT_EQ(process.out(), "") << "it must not serve";
  }
  unlink(loop.c_str());
}

TEST(SlowPoetry, BadOptionValuesAreUsageErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {"--delay", "soon"},
      {"--delay", "-1"},
      {"--num-bytes", "0"},
      {"--port", "70000"},
      {"--port"},
      {"--colour", "red"},
      {"--reset-after", "0"},
      {"--reset-after", "x"},
  };
  for (auto args : bad) {
    args.push_back(poemPath("small-hours.txt"));
    Process process(kSlowPoetry, args);
    EXPECT_EQ(process.wait(), 2) << args[0];
    EXPECT_EQ(lines(process.err()).size(), 1U) << process.err();
  }
}

TEST(SlowPoetry, ResetAfterEndsEachConnectionWithAReset) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "20", "--reset-after", "2"});
  for (int client = 0; client < 2; ++client) {
    const int sock = connectToLoopback(server.port());
    ASSERT_GE(sock, 0);
    std::array<char, 1024> buffer{};
    ssize_t n = 0;
    std::size_t total = 0;
    while ((n = recv(sock, buffer.data(), buffer.size(), 0)) > 0) {
      total += static_cast<std::size_t>(n);
    }
    const int error = errno;
    close(sock);
    EXPECT_EQ(n, -1) << "a clean close after " << total << " bytes, not a reset";
    EXPECT_EQ(error, ECONNRESET);
    EXPECT_LE(total, 40U);
  }
  EXPECT_TRUE(server.process().waitForLine(
      [](const std::string& l) { return l == "Resetting the connection"; }));
}

TEST(SlowPoetry, AHugePoemIsHeldOnceNotInChunks) {
  // 30 MB in the default 10-character chunks: stored as 3 million strings,
  // it took more than three times its size before the server even started.
  const std::string path = ::testing::TempDir() + "huge-poem.txt";
  constexpr std::size_t kSize = std::size_t{30} << 20U;
  {
    std::ofstream poem(path);
    const std::string line = std::string(63, 'x') + '\n';
    for (std::size_t written = 0; written < kSize; written += line.size()) poem << line;
  }
  Process server(kSlowPoetry, {"--delay", "0", path});
  const auto serving = server.waitForLine(
      [](const std::string& line) { return line.starts_with("Serving "); }, 120s);
  std::filesystem::remove(path);
  ASSERT_TRUE(serving) << server.err();
  server.kill(SIGTERM);
  server.wait();
  EXPECT_LT(server.peakMemoryBytes(), static_cast<long>(2 * kSize));
}

TEST(SlowPoetry, HelpExitsZero) {
  Process process(kSlowPoetry, {"--help"});
  EXPECT_EQ(process.wait(), 0);
  EXPECT_NE(process.out().find("--num-bytes"), std::string::npos);
}

}  // namespace
