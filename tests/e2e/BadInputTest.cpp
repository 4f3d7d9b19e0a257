// Hostile input for every program: values that do not fit, addresses that
// cannot be read one way only, an argument of 100 KB, a standard output that
// is closed or full, a server out of descriptors. Each gets one clear line
// and a documented exit status: never a crash, a hang, a spin or silent loss
// (e2e).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <regex>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;

const std::vector<std::string> kClients = {kClient1, kClient2, kClient21, kStack};

int count(const std::string& text, const std::string& part) {
  int found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++found;
  }
  return found;
}

TEST(BadInput, AnIPv6AddressWithoutBracketsIsAUsageError) {
  for (const auto& client : kClients) {
    for (const char* bad : {"::1:80", "::1", "fe80::1"}) {
      Process process(client, {bad});
      EXPECT_EQ(process.wait(), 2) << client << ' ' << bad;
      EXPECT_EQ(lines(process.err()).size(), 1U) << process.err();
      EXPECT_NE(process.err().find("as in [::1]:10000"), std::string::npos)
          << process.err();
    }
  }
}

TEST(BadInput, AHundredKilobyteArgumentIsNotEchoedWhole) {
  const std::string huge(100 * 1024, '9');
  for (const auto& client : kClients) {
    Process process(client, {huge});
    EXPECT_EQ(process.wait(), 2) << client;
    EXPECT_EQ(lines(process.err()).size(), 1U);
    EXPECT_LT(process.err().size(), 200U) << process.err();
  }
  for (const auto& server : {kSlowPoetry, kFastPoetry}) {
    Process process(server, {"--port", huge, poemPath("small-hours.txt")});
    EXPECT_EQ(process.wait(), 2) << server;
    EXPECT_LT(process.err().size(), 200U) << process.err();
  }
}

/// Whether @p err is one line whose text holds no control character: what
/// was typed, escape sequences and newlines included, was echoed escaped.
::testing::AssertionResult oneEscapedLine(const std::string& err) {
  const std::string text = err.ends_with('\n') ? err.substr(0, err.size() - 1) : err;
  const bool control = std::any_of(text.begin(), text.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (err.ends_with('\n') && !control && text.find("\\x1b") != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "not one escaped line: " << ::testing::PrintToString(err);
}

TEST(BadInput, WhatWasTypedIsEchoedEscapedOnOneLine) {
  const std::string typed = "9\x1b[2J\nrm\r";
  for (const auto& client : kClients) {
    Process process(client, {typed});
    EXPECT_EQ(process.wait(), 2) << client;
    EXPECT_TRUE(oneEscapedLine(process.err())) << client;
  }
  for (const auto& server : {kSlowPoetry, kFastPoetry}) {
    Process badPort(server, {"--port", typed, poemPath("small-hours.txt")});
    EXPECT_EQ(badPort.wait(), 2) << server;
    EXPECT_TRUE(oneEscapedLine(badPort.err())) << server;
    Process badPoem(server, {"--port", "0", typed});
    EXPECT_EQ(badPoem.wait(), 2) << server;
    EXPECT_TRUE(oneEscapedLine(badPoem.err())) << server;
  }
  for (const std::vector<std::string>& args : {std::vector<std::string>{typed},
                                               {"--turns", typed, "trace.json"},
                                               {"--part", typed, "x"},
                                               {"trace.json", typed}}) {
    Process chart(kTraceChart, args);
    EXPECT_EQ(chart.wait(), 2) << args.front();
    EXPECT_TRUE(oneEscapedLine(chart.err())) << args.front();
  }
  Process compare(kCompare, {typed, typed});
  EXPECT_EQ(compare.wait(), 2);
  EXPECT_TRUE(oneEscapedLine(compare.err()));
}

TEST(BadInput, DelaysAndTimeoutsThatDoNotFitAreUsageErrors) {
  for (const char* bad : {"1e19", "inf", "86401"}) {
    Process server(kSlowPoetry, {"--delay", bad, poemPath("small-hours.txt")});
    EXPECT_EQ(server.wait(), 2) << bad;
    EXPECT_NE(server.err().find(std::string("bad --delay '") + bad + "'"),
              std::string::npos)
        << server.err();
    Process client(kTimeoutSolution, {"--timeout", bad, "10000"});
    EXPECT_EQ(client.wait(), 2) << bad;
    EXPECT_NE(client.err().find(std::string("bad number of seconds '") + bad + "'"),
              std::string::npos)
        << client.err();
  }
}

TEST(BadInput, AClientWhoseOutputIsFullSaysSoAndExits3) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "200"});
  for (const auto& client : {kClient1, kClient2, kClient21}) {
    auto process = throughShell(R"(exec "$0" "$@" > /dev/full)", client,
                                {std::to_string(server.port())});
    EXPECT_EQ(process->wait(), 3) << client << ": " << process->err();
    EXPECT_NE(process->err().find(": error: cannot write to standard output"),
              std::string::npos)
        << process->err();
  }
}

TEST(BadInput, AServerThatCannotSayItsPortExits3AtOnce) {
  // Nobody would learn its port: it must not wait for a client to find out.
  for (const auto& [program, name] :
       {std::pair{kSlowPoetry, "slowpoetry"}, std::pair{kFastPoetry, "fastpoetry"}}) {
    auto server = throughShell(R"(exec "$0" "$@" > /dev/full)", program,
                               {poemPath("small-hours.txt")});
    EXPECT_EQ(server->wait(), 3) << name << ": " << server->err();
    EXPECT_NE(server->err().find(std::string(name) +
                                 ": error: cannot write to standard output"),
              std::string::npos)
        << server->err();
  }
}

TEST(BadInput, ABroadcastOrMulticastInterfaceIsAUsageError) {
  for (const auto& program : {kSlowPoetry, kFastPoetry}) {
    for (const char* iface : {"255.255.255.255", "224.0.0.1", "ff02::1"}) {
      Process server(program, {"--iface", iface, poemPath("small-hours.txt")});
      EXPECT_EQ(server.wait(), 2) << iface << ": " << server.out();
      EXPECT_EQ(lines(server.err()).size(), 1U) << server.err();
      EXPECT_NE(server.err().find("broadcast or multicast"), std::string::npos)
          << server.err();
    }
  }
}

TEST(BadInput, AServerWhoseOutputIsClosedSaysSoAndExits3) {
  for (const auto& [program, name] :
       {std::pair{kSlowPoetry, "slowpoetry"}, std::pair{kFastPoetry, "fastpoetry"}}) {
    // `slowpoetry ... | head -1`: head prints the "Serving" line and leaves.
    // bash, for the server's own status in the pipeline (PIPESTATUS).
    Process server("/bin/bash",
                   {"-c", R"("$0" "$@" | head -1; echo "status ${PIPESTATUS[0]}" >&2)",
                    program, poemPath("small-hours.txt")});
    const auto serving = server.waitForLine(
        [](const std::string& l) { return l.find("Serving ") == 0; }, 60s);
    ASSERT_TRUE(serving) << server.err();
    std::smatch port;
    ASSERT_TRUE(std::regex_search(*serving, port, std::regex(R"(port (\d+)\.)")));
    // The next line it prints, for this client, finds nobody reading.
    fetchPoem(static_cast<std::uint16_t>(std::stoi(port[1])));
    ASSERT_EQ(server.wait(), 0) << server.err();
    EXPECT_NE(
        server.err().find(std::string(name) + ": error: cannot write to standard output"),
        std::string::npos)
        << server.err();
    EXPECT_NE(server.err().find("status 3"), std::string::npos) << server.err();
  }
}

TEST(BadInput, AFastServerOutOfDescriptorsPausesInsteadOfSpinning) {
#ifdef WORKBOOK_SANITIZED
  // UBSan checks a pointer's memory through a pipe of its own: with no
  // descriptor left it reports memory it could not check as bad. The dev
  // suite runs these faults.
  GTEST_SKIP() << "needs descriptors the sanitizers would take";
#endif
  // A poem bigger than the socket buffers keeps each connection open while
  // its client does not read; a dozen descriptors run out after a few.
  const std::string big = ::testing::TempDir() + "big-poem-for-emfile.txt";
  { std::ofstream(big, std::ios::binary) << std::string(8 << 20, 'x'); }
  auto server = withFileLimit(16, kFastPoetry, {big});
  const auto serving = server->waitForLine(
      [](const std::string& l) { return l.find("Serving ") == 0; }, 60s);
  ASSERT_TRUE(serving) << server->err();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(*serving, match, std::regex(R"(port (\d+)\.)")));
  const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));

  std::vector<int> clients;
  for (int i = 0; i < 24; ++i) clients.push_back(connectToLoopback(port));
  ASSERT_TRUE(server->waitForError("accept failed: Too many open files"))
      << server->err();
  // Read every poem: the server's descriptors free up, and those who waited
  // in the queue are served too.
  for (const int sock : clients) {
    ASSERT_NE(sock, -1);
    std::size_t total = 0;
    char buffer[65536];
    for (ssize_t n; (n = read(sock, buffer, sizeof buffer)) > 0;) {
      total += static_cast<std::size_t>(n);
    }
    close(sock);
    EXPECT_EQ(total, std::size_t{8} << 20);
  }
  ASSERT_TRUE(server->waitForError("accepting again")) << server->err();
  // Said once per episode (each ends with an accept that works), not once
  // per try: a busy loop would say it thousands of times.
  const int failed = count(server->err(), "accept failed");
  EXPECT_LE(failed, count(server->err(), "accepting again") + 1);
  EXPECT_LE(failed, static_cast<int>(clients.size())) << server->err().substr(0, 2000);
  std::remove(big.c_str());
}

TEST(BadInput, ASlowServerOutOfDescriptorsSaysSoOnce) {
#ifdef WORKBOOK_SANITIZED
  // UBSan checks a pointer's memory through a pipe of its own: with no
  // descriptor left it reports memory it could not check as bad. The dev
  // suite runs these faults.
  GTEST_SKIP() << "needs descriptors the sanitizers would take";
#endif
  // Descriptors 0 to 3: the listening socket takes the last one, and every
  // accept() fails.
  auto server = withFileLimit(4, kSlowPoetry, {poemPath("small-hours.txt")});
  const auto serving = server->waitForLine(
      [](const std::string& l) { return l.find("Serving ") == 0; }, 60s);
  ASSERT_TRUE(serving) << server->err();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(*serving, match, std::regex(R"(port (\d+)\.)")));
  const int sock = connectToLoopback(static_cast<std::uint16_t>(std::stoi(match[1])));
  ASSERT_TRUE(server->waitForError("accept failed: Too many open files"))
      << server->err();
  server->kill(SIGTERM);
  server->wait();
  close(sock);
  EXPECT_EQ(count(server->err(), "accept failed"), 1) << server->err().substr(0, 2000);
}

}  // namespace
