// Hostile input: servers that hang up at awkward moments and stack files no
// program of ours would write. Whatever comes, a program ends with its
// documented status and never crashes, hangs or floods the terminal (e2e).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "common/Text.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

TEST(HostileServer, StackEditionEndsWhenAServerClosesWithoutSending) {
  // No data means no dataReceived() and no stack; like client 2.0 (and the
  // Python original), the program counts an empty poem and ends.
  HangingUpServer server("", HangingUpServer::HangUp::Close);
  Process client(kStack, {std::to_string(server.port())});
  ASSERT_EQ(client.wait(60s), 0) << "still running, or failed:\n" << client.err();
  EXPECT_NE(client.out().find("Task 1: 0 characters of poetry"), std::string::npos)
      << client.out();
  EXPECT_NE(client.out().find("Got 1 poems in "), std::string::npos) << client.out();
}

TEST(HostileServer, Client1KeepsTheBytesReadWithAReset) {
  // 5000 bytes and a reset right behind them: one doRead() reads the bytes
  // and then meets ECONNRESET. The bytes did arrive; they count.
  const std::string text(5000, 'x');
  for (int attempt = 0; attempt < 3; ++attempt) {  // each attempt races the reset anew
    HangingUpServer server(text, HangingUpServer::HangUp::Reset);
    Process client(kClient1, {std::to_string(server.port())});
    ASSERT_EQ(client.wait(60s), 0) << client.err();
    EXPECT_NE(client.out().find("Task 1: got 5000 bytes of poetry from "),
              std::string::npos)
        << client.out();
    ASSERT_NE(client.out().find("Task 1: 5000 characters of poetry"), std::string::npos)
        << "attempt " << attempt << ":\n"
        << client.out();
  }
}

TEST(HostileServer, Client2KeepsTheBytesThatArriveWithAReset) {
  // The reset may come before the reactor hands the client its connect: the
  // connect succeeded all the same, and the bytes that came first count.
  const std::string text(5000, 'x');
  for (int attempt = 0; attempt < 40; ++attempt) {  // each attempt races the reset anew
    HangingUpServer server(text, HangingUpServer::HangUp::Reset);
    Process client(kClient2, {std::to_string(server.port())});
    ASSERT_EQ(client.wait(60s), 0) << client.err();
    EXPECT_EQ(client.out().find("Failed to connect"), std::string::npos) << client.out();
    ASSERT_NE(client.out().find("Task 1: 5000 characters of poetry"), std::string::npos)
        << "attempt " << attempt << ":\n"
        << client.out();
  }
}

std::string writeStackFile(const std::string& name, const std::string& frameLine) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << "Traceback (oldest call first):\n"
                      << "  File \"part05-client2/main.cpp\", line 120, in main\n"
                      << frameLine << '\n';
  return path;
}

/// The longest line of @p text.
std::size_t longestLine(const std::string& text) {
  std::size_t longest = 0;
  for (const auto& line : lines(text)) longest = std::max(longest, line.size());
  return longest;
}

TEST(HostileStackFile, ALineNumberPastIntMaxIsABadStackNamingFileAndLine) {
  const std::string tooBig = std::to_string(static_cast<long long>(INT_MAX) + 1);
  const std::string bad =
      writeStackFile("too-big.txt", "  File \"x.cpp\", line " + tooBig + ", in f()");
  const std::string good = writeStackFile("good.txt", "  [libc.so.6] in f");
  Process compare(kCompare, {good, bad});
  ASSERT_EQ(compare.wait(60s), 2) << compare.err();
  ASSERT_EQ(lines(compare.err()).size(), 1U) << compare.err();
  EXPECT_NE(compare.err().find(bad + ", line 3:"), std::string::npos) << compare.err();
  EXPECT_NE(compare.err().find(tooBig), std::string::npos) << compare.err();
  EXPECT_EQ(compare.out(), "");
}

TEST(HostileStackFile, AFortyKilobyteLineNumberIsEchoedShortened) {
  const std::string bad =
      writeStackFile("long-number.txt",
                     "  File \"x.cpp\", line " + std::string(40000, '9') + ", in f()");
  Process compare(kCompare, {bad, bad});
  ASSERT_EQ(compare.wait(60s), 2) << compare.err().substr(0, 300);
  EXPECT_EQ(lines(compare.err()).size(), 1U);
  EXPECT_LT(compare.err().size(), 300U) << compare.err().substr(0, 300);
  EXPECT_NE(compare.err().find("99999..."), std::string::npos) << compare.err();
}

TEST(HostileStackFile, FortyKilobyteFrameLinesAreReadAndShownShortened) {
  const std::string name(40000, 'f');
  const std::string ours =
      writeStackFile("long-ours.txt", "  File \"x.cpp\", line 7, in " + name + "()");
  const std::string library =
      writeStackFile("long-library.txt", "  [" + name + ".so] in " + name);
  Process compare(kCompare, {ours, library});
  ASSERT_EQ(compare.wait(60s), 0) << compare.err().substr(0, 300);
  EXPECT_LT(longestLine(compare.out()), 300U) << compare.out().substr(0, 300);
  EXPECT_NE(compare.out().find("fff..."), std::string::npos) << compare.out();
}

/// A frame line whose function holds a NUL, control characters, markup and
/// bytes that are not UTF-8.
const std::string kHostileFrame =
    std::string(
        "  File \"part05-client2/main.cpp\", line 12, in f\x01<b>&\x1b[2J\xff\xc0") +
    std::string(1, '\0') + "x()";

TEST(HostileStackFile, SvgAndHtmlAreWellFormedWhateverAFrameHolds) {
  const std::string path = writeStackFile("hostile-frame.txt", kHostileFrame);
  for (const std::string format : {"--svg", "--html"}) {
    Process compare(kCompare, {format, path, path});
    ASSERT_EQ(compare.wait(), 0) << compare.err();
    const std::string& page = compare.out();
    EXPECT_EQ(workbook::countUtf8(page).replacements, 0U) << "not UTF-8";
    EXPECT_TRUE(std::none_of(page.begin(), page.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20 && c != '\n';
    })) << "a control character";
    EXPECT_EQ(page.find("<b>"), std::string::npos) << page;
    EXPECT_NE(page.find("f\xEF\xBF\xBD&lt;b&gt;&amp;"), std::string::npos) << page;
  }
}

TEST(HostileStackFile, TextShowsControlCharactersEscaped) {
  const std::string path = writeStackFile("hostile-frame-text.txt", kHostileFrame);
  Process compare(kCompare, {path, path});
  ASSERT_EQ(compare.wait(), 0) << compare.err();
  EXPECT_NE(compare.out().find("f\\x01<b>&\\x1b[2J"), std::string::npos) << compare.out();
  EXPECT_EQ(compare.out().find('\x1b'), std::string::npos);
}

TEST(HostileStackFile, AnEndlessFileIsRefusedWithStatusTwo) {
  Process compare(kCompare, {"/dev/zero", "/dev/zero"});
  ASSERT_EQ(compare.wait(), 2) << compare.err();
  EXPECT_EQ(
      lines(compare.err()),
      std::vector<std::string>{
          "compare-stacks: error: /dev/zero is larger than 4 MiB: not a stack file"});
}

/// Runs trace-chart on @p path and expects one line on stderr and status 2.
void expectRefused(const std::string& path) {
  Process chart(kTraceChart, {path});
  ASSERT_EQ(chart.wait(), 2) << chart.err();
  EXPECT_EQ(lines(chart.err()).size(), 1U) << chart.err();
  EXPECT_TRUE(chart.err().starts_with("trace-chart: error: ")) << chart.err();
}

std::string writeTraceFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(HostileTraceFile, ADirectoryIsOneLineAndStatusTwo) {
  expectRefused(::testing::TempDir());
}

TEST(HostileTraceFile, EventsThatAreNotObjectsAreOneLineAndStatusTwo) {
  expectRefused(writeTraceFile("not-objects.json", R"({"traceEvents":[1,2,3]})"));
}

TEST(HostileTraceFile, AHundredThousandUnendedCallsAreOneLineAndStatusTwo) {
  std::string text = R"({"traceEvents":[)";
  for (int time = 1; time <= 100000; ++time) {
    text += (time == 1 ? "" : ",") + std::string(R"({"ph":"B","name":"f","ts":)") +
            std::to_string(time) + "}";
  }
  expectRefused(writeTraceFile("unended.json", text + "]}"));
}

TEST(HostileTraceFile, DeeplyNestedJsonIsOneLineAndStatusTwo) {
  expectRefused(writeTraceFile("nested.json",
                               std::string(1000000, '[') + std::string(1000000, ']')));
}

}  // namespace
