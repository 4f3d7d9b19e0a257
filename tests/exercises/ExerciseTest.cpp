// The grading tests of the exercises. One suite per exercise, run against the
// programs in the folder named by EXERCISE_PROGRAMS: the solutions (CTest
// label `solutions`) or a student's exercises (label `exercise`). Failure
// messages say what is still missing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "common/Stack.h"
#include "common/Text.h"
#include "tests/support/ClientReport.h"
#include "tests/support/PoetryServer.h"

namespace {

using namespace testing_support;

/// The program of @p exercise in the build being graded.
std::string program(const std::string& exercise) {
  const char* root = std::getenv("EXERCISE_PROGRAMS");
  if (root == nullptr) throw std::runtime_error("EXERCISE_PROGRAMS is not set");
  return std::string(root) + "/" + exercise + "/get-poetry";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// How many trace lines say a callLater(@p seconds) fired.
int timersFired(const std::string& trace, const std::string& seconds) {
  int fired = 0;
  for (const auto& line : lines(trace)) {
    if (line == "reactor: timer: callLater(" + seconds + ") is due -> run it") ++fired;
  }
  return fired;
}

const std::vector<std::string> kFast = {"--delay", "0.001", "--num-bytes", "200"};
// One chunk of 20 characters, then a pause of an hour: a server that stalls.
const std::vector<std::string> kStalled = {"--delay", "3600", "--num-bytes", "20"};

// How long a client that should give up (on a stalled server, or on nothing
// to read) may take before the test decides it never will: far beyond the
// 1 s timeouts below, even on a loaded machine.
constexpr auto kGivesUpWithin = 20s;

// ---------------------------------------------------------------------------
// Exercise 1 (Part 4): client 1.0 survives a refused connection.

TEST(Exercise01, ARefusedAddressIsReportedAndTheOtherPoemsArrive) {
  PoetryServer first(poemPath("small-hours.txt"), kFast);
  RefusingPort refusing;
  PoetryServer third(poemPath("three-lighthouses.txt"), kFast);
  const std::string refused = std::to_string(refusing.port());
  Process client(program("01-survive-refusal"),
                 {std::to_string(first.port()), refused, std::to_string(third.port())});
  ASSERT_EQ(client.wait(), 0)
      << "The client should finish with exit status 0 even when a server cannot be "
         "reached.\nIts stderr:\n"
      << client.err();
  const std::string& out = client.out();
  EXPECT_TRUE(has(
      out, "Task 2: cannot connect to 127.0.0.1:" + refused + ": Connection refused\n"))
      << "Report the refused address as 'Task 2: ' followed by the ConnectError's "
         "what().\nThe output was:\n"
      << out;
  EXPECT_TRUE(has(out, "Task 1: 622 characters of poetry\n")) << out;
  EXPECT_TRUE(has(out, "Task 2: failed\n"))
      << "In the final report, print 'Task 2: failed' for the refused address.\n"
      << out;
  EXPECT_TRUE(has(out, "Task 3: 875 characters of poetry\n")) << out;
  EXPECT_TRUE(has(out, "Got 3 poems in ")) << out;
}

TEST(Exercise01, WhenNoServerCanBeReachedItEndsAtOnce) {
  RefusingPort first;
  RefusingPort second;
  Process client(program("01-survive-refusal"),
                 {std::to_string(first.port()), std::to_string(second.port())});
  ASSERT_EQ(client.wait(kGivesUpWithin), 0)
      << "With every address refused there is nothing to read: do not run the reactor "
         "(nothing would stop it), and exit with status 0.\n"
      << client.out() << client.err();
  EXPECT_TRUE(has(client.out(), "Task 1: failed\nTask 2: failed\n")) << client.out();
}

// ---------------------------------------------------------------------------
// Exercise 2 (Part 4): client 1.0 with a timeout.

TEST(Exercise02, AStalledPoemTimesOutAndTheOthersFinish) {
  PoetryServer fast(poemPath("small-hours.txt"), kFast);
  PoetryServer stalled(poemPath("patient-socket.txt"), kStalled);
  Process client(
      program("02-client1-timeout"),
      {"--timeout", "1", std::to_string(fast.port()), std::to_string(stalled.port())},
      {"REACTOR_TRACE=1"});
  ASSERT_EQ(client.wait(kGivesUpWithin), 0)
      << "With --timeout 1 the client should give up on the stalled poem after a second "
         "and finish.\n"
      << client.out();
  const std::string& out = client.out();
  EXPECT_TRUE(has(out, "Task 2 timed out\n"))
      << "Print 'Task 2 timed out' when the timer fires.\n"
      << out;
  EXPECT_TRUE(has(out, "Task 2: 20 characters of poetry (timed out)\n"))
      << "Report a timed-out poem with what had arrived and ' (timed out)'.\n"
      << out;
  EXPECT_TRUE(has(out, "Task 1: 622 characters of poetry\n")) << out;
  EXPECT_FALSE(has(out, "Task 1 timed out")) << out;
  EXPECT_EQ(timersFired(client.err(), "1"), 1)
      << "Exactly one timer should fire, the stalled poem's: cancel the timer of a poem "
         "that finishes in time.";
}

TEST(Exercise02, PoemsThatFinishInTimeAreNotTimedOut) {
  PoetryServer fast(poemPath("small-hours.txt"), kFast);
  Process client(program("02-client1-timeout"),
                 {"--timeout", "30", std::to_string(fast.port())});
  ASSERT_EQ(client.wait(), 0) << client.out();
  EXPECT_TRUE(has(client.out(), "Task 1: 622 characters of poetry\n")) << client.out();
  EXPECT_FALSE(has(client.out(), "timed out")) << client.out();
}

TEST(Exercise02, ABadTimeoutIsAUsageError) {
  Process client(program("02-client1-timeout"), {"--timeout", "0", "10000"});
  EXPECT_EQ(client.wait(), 2);
}

// ---------------------------------------------------------------------------
// Exercise 3 (Part 5): client 2.0 with --timeout.

TEST(Exercise03, AStalledPoemTimesOutWithWhatArrived) {
  PoetryServer fast(poemPath("small-hours.txt"), kFast);
  PoetryServer stalled(poemPath("patient-socket.txt"), kStalled);
  const std::string stalledPort = std::to_string(stalled.port());
  Process client(program("03-client2-timeout"),
                 {"--timeout", "1", std::to_string(fast.port()), stalledPort},
                 {"REACTOR_TRACE=1"});
  ASSERT_EQ(client.wait(kGivesUpWithin), 0)
      << "With --timeout 1 the client should give up on the stalled poem after a second "
         "and finish.\n"
      << client.out();
  const ClientReport report = parseClientReport(client.out());
  int stalledTask = 0;
  for (const auto& [task, peer] : report.peerOfTask) {
    if (has(peer, "port=" + stalledPort + ")")) stalledTask = task;
  }
  ASSERT_NE(stalledTask, 0) << client.out();
  const std::string task = "Task " + std::to_string(stalledTask);
  EXPECT_TRUE(has(client.out(), task + " timed out\n"))
      << "Print '" << task << " timed out' when its timer fires.\n"
      << client.out();
  EXPECT_TRUE(has(client.out(), task + ": 20 characters of poetry (timed out)\n"))
      << "Report a timed-out poem with what had arrived and ' (timed out)'.\n"
      << client.out();
  EXPECT_TRUE(has(client.out(), ": 622 characters of poetry\n")) << client.out();
  EXPECT_TRUE(has(client.out(), "Got 2 poems in ")) << client.out();
  EXPECT_EQ(timersFired(client.err(), "1"), 1)
      << "Exactly one timer should fire, the stalled poem's: cancel the timer in "
         "connectionLost() when a poem finishes in time.";
}

TEST(Exercise03, PoemsThatFinishInTimeAreNotTimedOut) {
  PoetryServer fast(poemPath("small-hours.txt"), kFast);
  Process client(program("03-client2-timeout"),
                 {"--timeout=30", std::to_string(fast.port())});
  ASSERT_EQ(client.wait(), 0) << client.out();
  EXPECT_TRUE(has(client.out(), "Task 1: 622 characters of poetry\n")) << client.out();
  EXPECT_FALSE(has(client.out(), "timed out")) << client.out();
}

// ---------------------------------------------------------------------------
// Exercise 4 (Part 5): who calls connectionLost()?

/// The stacks a client printed, by the header line above each.
std::map<std::string, std::vector<workbook::StackFrame>> stacksByHeader(
    const std::string& err) {
  std::map<std::string, std::vector<workbook::StackFrame>> stacks;
  std::string header;
  std::string body;
  const auto flush = [&] {
    if (header.empty()) return;
    std::istringstream in(body);
    stacks[header] = workbook::parseStack(in);
  };
  for (const auto& line : lines(err)) {
    if (line.starts_with("--- ")) {
      flush();
      header = line;
      body.clear();
    } else {
      body += line + "\n";
    }
  }
  flush();
  return stacks;
}

/// The stack under the first header that starts with @p prefix.
std::vector<workbook::StackFrame> stackUnder(const std::string& err,
                                             const std::string& prefix) {
  for (const auto& [header, stack] : stacksByHeader(err)) {
    if (header.starts_with(prefix)) return stack;
  }
  return {};
}

/// Checks that @p names appear in @p stack in this order.
void expectCalls(const std::vector<workbook::StackFrame>& stack,
                 const std::vector<std::string>& names, const std::string& where) {
  std::size_t at = 0;
  for (const auto& name : names) {
    while (at < stack.size() && !stack[at].function.starts_with(name)) ++at;
    ASSERT_LT(at, stack.size()) << "The stack printed in " << where << " should show "
                                << name << " (after the calls before it).";
    ++at;
  }
}

void expectConnectionLostStacks(const std::string& err, const std::string& reason) {
  const auto inProtocol = stackUnder(err, "--- PoetryProtocol::connectionLost(" + reason);
  ASSERT_FALSE(inProtocol.empty())
      << "Print '--- PoetryProtocol::connectionLost(" << reason
      << "...) ---' and the stack, from PoetryProtocol::connectionLost().\nstderr was:\n"
      << err;
  expectCalls(
      inProtocol,
      {"main", "internet::ReactorBase::run", "internet::ReactorBase::doReadOrWrite",
       "internet::ReactorBase::disconnectSelectable", "internet::tcp::Client::connectionLost",
       "internet::tcp::Connection::connectionLost", "PoetryProtocol::connectionLost"},
      "PoetryProtocol::connectionLost");
  EXPECT_EQ(inProtocol.back().function.substr(0, 30), "PoetryProtocol::connectionLost")
      << "Leave printStackHere()'s own frame out of the stack.";
  for (const auto& frame : inProtocol) {
    EXPECT_FALSE(frame.function.starts_with("internet::tcp::Connection::doRead"))
        << "doRead() has returned by the time connectionLost() runs";
  }

  const auto inFactory =
      stackUnder(err, "--- PoetryClientFactory::clientConnectionLost(" + reason);
  ASSERT_FALSE(inFactory.empty())
      << "Print '--- PoetryClientFactory::clientConnectionLost(" << reason
      << "...) ---' and the stack, from clientConnectionLost().\nstderr was:\n"
      << err;
  expectCalls(
      inFactory,
      {"internet::ReactorBase::disconnectSelectable", "internet::tcp::Client::connectionLost",
       "internet::tcp::Connector::connectionLost",
       "PoetryClientFactory::clientConnectionLost"},
      "PoetryClientFactory::clientConnectionLost");
}

TEST(Exercise04, StacksForACleanClose) {
  PoetryServer server(poemPath("small-hours.txt"), kFast);
  Process client(program("04-connection-lost-stack"), {std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  expectConnectionLostStacks(client.err(), "ConnectionDone");
}

TEST(Exercise04, StacksForAReset) {
  ResettingServer server("half a po");
  Process client(program("04-connection-lost-stack"), {std::to_string(server.port())});
  ASSERT_EQ(client.wait(), 0) << client.err();
  expectConnectionLostStacks(client.err(), "ConnectionLost");
}

}  // namespace
