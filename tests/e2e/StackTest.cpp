// End-to-end tests of the stack-trace editions of client 1.0 and client 2.0
// (both get-poetry-stack), and of compare-stacks (e2e).
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/Stack.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"

namespace {

using namespace testing_support;
using workbook::StackFrame;

/// Runs @p program with @p args against a fresh server and returns the stack
/// it printed; the test fails unless it exits 0 soon after the first byte.
std::string captureStack(const std::string& program, std::vector<std::string> args) {
  PoetryServer server(poemPath("small-hours.txt"), {"--delay", "0.01"});
  args.push_back(std::to_string(server.port()));
  Process client(program, args);
  EXPECT_EQ(client.wait(), 0) << client.err();
  EXPECT_EQ(client.out(), "");
  return client.err();
}

std::vector<StackFrame> parse(const std::string& text) {
  std::istringstream in(text);
  return workbook::parseStack(in);
}

/// The position of the first frame at or after @p from whose function starts
/// with @p name, or stack.size().
std::size_t find(const std::vector<StackFrame>& stack, const std::string& name,
                 std::size_t from = 0) {
  while (from < stack.size() && !stack[from].function.starts_with(name)) ++from;
  return from;
}

/// Asserts that @p names appear in @p stack in this order (gaps allowed).
void expectInOrder(const std::vector<StackFrame>& stack,
                   const std::vector<std::string>& names, const std::string& text) {
  std::size_t at = 0;
  for (const auto& name : names) {
    at = find(stack, name, at);
    ASSERT_LT(at, stack.size()) << "no " << name << " (in order) in:\n" << text;
    ++at;
  }
}

TEST(Stack, Client2ShowsTheReactorLibeventDoReadAndDataReceived) {
  const std::string text = captureStack(kStack, {});
  const auto stack = parse(text);
  ASSERT_FALSE(stack.empty()) << text;
  expectInOrder(stack,
                {"main", "poetryMain", "internet::ReactorBase::run()", "event_base_loop",
                 "internet::ReactorBase::doReadOrWrite",
                 "internet::tcp::Connection::doRead()", "PoetryProtocol::dataReceived"},
                text);
  EXPECT_EQ(stack.front().function, "main");
  EXPECT_TRUE(stack.back().function.starts_with("PoetryProtocol::dataReceived")) << text;
  // Our frames carry file:line; library frames name their shared object.
  EXPECT_EQ(stack.back().file, "part05-client2-stack/main.cpp");
  EXPECT_GT(stack.back().line, 0);
  const auto& loop = stack[find(stack, "event_base_loop")];
  EXPECT_TRUE(loop.library.starts_with("libevent")) << loop.library;
  EXPECT_TRUE(loop.file.empty());
  EXPECT_NE(text.find("File \"internet/tcp/Connection.cpp\", line "), std::string::npos);
}

TEST(Stack, Client1ShowsItsOwnDoRead) {
  const std::string text = captureStack(kClient1Stack, {});
  const auto stack = parse(text);
  expectInOrder(stack,
                {"main", "poetryMain", "internet::ReactorBase::run()", "event_base_loop",
                 "internet::ReactorBase::doReadOrWrite", "PoetrySocket::doRead()"},
                text);
  EXPECT_EQ(find(stack, "internet::tcp::Connection::doRead"), stack.size()) << text;
  EXPECT_EQ(stack.back().file, "part04-client1-stack/main.cpp");
}

/// Saves @p text in the temporary folder under @p name, prefixed with the
/// running test's name: tests run side by side must not share a file.
std::string saveToFile(const std::string& text, const std::string& name) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string path = ::testing::TempDir() + test->name() + "-" + name;
  std::ofstream(path) << text;
  return path;
}

TEST(CompareStacks, MarksTheSharedFramesAndWhereTheyPart) {
  const std::string one = saveToFile(captureStack(kClient1Stack, {}), "stack1.txt");
  const std::string two = saveToFile(captureStack(kStack, {}), "stack2.txt");
  Process compare(kCompare, {one, two});
  ASSERT_EQ(compare.wait(), 0) << compare.err();
  const std::string& out = compare.out();
  const auto shared = out.find(" =  ReactorBase::run  [the shim]");
  const auto dispatch = out.find(" =  ReactorBase::doReadOrWrite  [the shim]");
  const auto parting = out.find("here the stacks part");
  const auto doReads = out.find(" |  PoetrySocket::doRead  [YOUR CODE]");
  const auto dataReceived = out.find(" >  ");
  EXPECT_NE(shared, std::string::npos) << out;
  EXPECT_LT(shared, dispatch) << out;
  EXPECT_LT(dispatch, parting) << out;
  EXPECT_LT(parting, doReads) << out;
  EXPECT_NE(out.find("tcp::Connection::doRead  [the shim]", doReads), std::string::npos)
      << out;
  EXPECT_LT(doReads, dataReceived) << out;
  EXPECT_NE(out.find("PoetryProtocol::dataReceived  [YOUR CODE]", dataReceived),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("To the reactor, the transport is just one more IReadDescriptor."),
            std::string::npos);
  std::remove(one.c_str());
  std::remove(two.c_str());
}

TEST(CompareStacks, DrawsTheStacksColouredByLayerJoinedWhereShared) {
  const std::string one = saveToFile(captureStack(kClient1Stack, {}), "stack1.txt");
  const std::string two = saveToFile(captureStack(kStack, {}), "stack2.txt");
  for (const std::string format : {"--svg", "--html"}) {
    Process compare(kCompare, {format, one, two});
    ASSERT_EQ(compare.wait(), 0) << compare.err();
    const std::string& out = compare.out();
    EXPECT_EQ(out.starts_with("<svg"), format == "--svg") << out;
    EXPECT_EQ(out.starts_with("<!DOCTYPE html>"), format == "--html") << out;
    // A shared frame is one box across both columns; the first frame of
    // each stack's own comes after the mark, in its layer's colour.
    const auto run = out.find(">ReactorBase::run</text>");
    const auto parting = out.find("here the stacks part");
    const auto socket = out.find(">PoetrySocket::doRead</text>");
    const auto transport = out.find(">tcp::Connection::doRead</text>");
    EXPECT_LT(run, parting) << out;
    EXPECT_LT(parting, socket) << out;
    EXPECT_LT(parting, transport) << out;
    EXPECT_EQ(out.find(">ReactorBase::run</text>", run + 1), std::string::npos) << out;
    EXPECT_NE(out.rfind("fill='#fcd9a8'", socket), std::string::npos);     // your code
    EXPECT_NE(out.rfind("fill='#c9def5'", transport), std::string::npos);  // the shim
  }
  std::remove(one.c_str());
  std::remove(two.c_str());
}

TEST(CompareStacks, BadArgumentsAreUsageErrors) {
  Process none(kCompare, {});
  EXPECT_EQ(none.wait(), 2);
  Process missing(kCompare, {"/nonexistent/a.txt", "/nonexistent/b.txt"});
  EXPECT_EQ(missing.wait(), 2);
  EXPECT_EQ(lines(missing.err()).size(), 1U) << missing.err();
}

}  // namespace
