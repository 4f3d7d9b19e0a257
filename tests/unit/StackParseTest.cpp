// Reading a printed stack back (workbook::parseStack), and shortening text
// for a message (workbook::shortened) (unit).
#include <gtest/gtest.h>

#include <climits>
#include <sstream>

#include "common/Stack.h"
#include "common/Text.h"

namespace {

using workbook::BadStack;
using workbook::StackFrame;

std::vector<StackFrame> parse(const std::string& text) {
  std::istringstream in(text);
  return workbook::parseStack(in);
}

/// The message parse() throws for @p text, or "" if it throws none.
std::string errorOf(const std::string& text) {
  try {
    parse(text);
  } catch (const BadStack& e) {
    return e.what();
  }
  return "";
}

TEST(ParseStack, ReadsBackWhatPrintStackPrinted) {
  const std::vector<StackFrame> printed = {
      {"main", "part05-client2/main.cpp", 120, ""},
      {"event_base_loop", "", 0, "libevent_core-2.1.so.7"},
      {"(a function with no public name)", "", 0, ""},
      {"PoetryProtocol::dataReceived(std::string_view)", "nowhere/x.cpp", 0, ""},
  };
  std::ostringstream out;
  workbook::printStack(out, printed);
  const auto read = parse(out.str());
  ASSERT_EQ(read.size(), printed.size()) << out.str();
  for (std::size_t i = 0; i < read.size(); ++i) {
    EXPECT_EQ(read[i].function, printed[i].function) << i;
    EXPECT_EQ(read[i].file, printed[i].file) << i;
    EXPECT_EQ(read[i].line, printed[i].line) << i;
    EXPECT_EQ(read[i].library, printed[i].library) << i;
  }
}

TEST(ParseStack, SkipsLinesThatAreNotFrames) {
  for (const char* other : {
           "Traceback (oldest call first):",
           "    reactor.run();",  // a source line under a frame
           "",
           "  File \"x.cpp\", line , in f",
           "  File \"x.cpp\", line -3, in f",
           "  File \"x.cpp\", line 1x, in f",
           "  File \"x.cpp\", line 7, in ",
           "  File \"\", line 7, in f",
           "  File \"x.cpp, line 7, in f",
           "  [] in f",
           "  [libc.so.6] in ",
           "  [libc.so.6]",
       }) {
    EXPECT_TRUE(parse(other).empty()) << other;
  }
}

TEST(ParseStack, TakesTheLargestLineNumberAnIntHolds) {
  const auto stack =
      parse("  File \"x.cpp\", line " + std::to_string(INT_MAX) + ", in f");
  ASSERT_EQ(stack.size(), 1U);
  EXPECT_EQ(stack[0].line, INT_MAX);
}

TEST(ParseStack, ALineNumberPastIntMaxIsABadStackSayingWhere) {
  const std::string tooBig = std::to_string(static_cast<long long>(INT_MAX) + 1);
  const std::string error = errorOf(
      "Traceback (oldest call first):\n  File \"x.cpp\", line " + tooBig + ", in f\n");
  EXPECT_EQ(error, "line 2: the line number " + tooBig + " is too large (at most " +
                       std::to_string(INT_MAX) + ")");
}

TEST(ParseStack, ALongLineNumberIsShortenedInTheError) {
  const std::string error =
      errorOf("  File \"x.cpp\", line " + std::string(40000, '7') + ", in f");
  EXPECT_LT(error.size(), 150U) << error.substr(0, 200);
  EXPECT_NE(error.find("line 1: the line number 7777"), std::string::npos) << error;
  EXPECT_NE(error.find("... is too large"), std::string::npos) << error;
}

TEST(ParseStack, ReadsFortyKilobyteFrameLines) {
  const std::string name(40000, 'n');
  const auto stack = parse("  File \"" + name + ".cpp\", line 7, in " + name + "\n" +
                           "  [" + name + ".so] in " + name + "\n");
  ASSERT_EQ(stack.size(), 2U);
  EXPECT_EQ(stack[0].file, name + ".cpp");
  EXPECT_EQ(stack[0].function, name);
  EXPECT_EQ(stack[1].library, name + ".so");
  EXPECT_EQ(stack[1].function, name);
}

TEST(ParseStack, TheFunctionIsEverythingAfterTheFirstSeparator) {
  // A C++ name may hold the separators; a file or library name does not.
  const auto stack = parse(
      "  File \"x.cpp\", line 3, in f<\", line 4, in g>()\n"
      "  [libc.so.6] in operator[] in h\n");
  ASSERT_EQ(stack.size(), 2U);
  EXPECT_EQ(stack[0].file, "x.cpp");
  EXPECT_EQ(stack[0].line, 3);
  EXPECT_EQ(stack[0].function, "f<\", line 4, in g>()");
  EXPECT_EQ(stack[1].library, "libc.so.6");
  EXPECT_EQ(stack[1].function, "operator[] in h");
}

TEST(Shortened, LeavesShortTextAlone) {
  EXPECT_EQ(workbook::shortened("line 7"), "line 7");
  EXPECT_EQ(workbook::shortened(std::string(60, 'a')), std::string(60, 'a'));
  EXPECT_EQ(workbook::shortened("", 0), "");
}

TEST(Shortened, CutsLongTextAndSaysSo) {
  EXPECT_EQ(workbook::shortened(std::string(40000, 'a')), std::string(60, 'a') + "...");
  EXPECT_EQ(workbook::shortened("abcdef", 3), "abc...");
}

TEST(Shortened, NeverCutsACharacterInTwo) {
  // "시" is three bytes: a cut after four bytes would fall inside the second.
  EXPECT_EQ(workbook::shortened("시시시", 4), "시...");
  // Bytes that are not UTF-8 are cut where they are, give or take three.
  EXPECT_EQ(workbook::shortened(std::string(10, '\x80'), 5),
            std::string(2, '\x80') + "...");
}

}  // namespace
