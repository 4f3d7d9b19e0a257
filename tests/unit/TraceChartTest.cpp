// Reading trace files back, drawing them and checking their shape
// (trace-chart/TraceChart.h), on small traces written by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "trace-chart/TraceChart.h"

namespace {

using workbook::chart::BadTrace;
using workbook::chart::checkShape;
using workbook::chart::Part;
using workbook::chart::readRun;
using workbook::chart::writeMsc;

/// A trace of the given events, one "ph name cat" each, a microsecond apart.
workbook::chart::Run runOf(const std::vector<std::string>& events) {
  std::ostringstream text;
  text << R"({"traceEvents":[)";
  int time = 0;
  for (const auto& event : events) {
    ++time;
    std::istringstream words(event);
    std::string phase, name, lane;
    words >> phase >> name >> lane;
    text << (time == 1 ? "" : ",") << R"({"ph":")" << phase << R"(","name":")" << name
         << R"(","cat":")" << lane << R"(","ts":)" << time
         << R"(,"args":{"connection":1,"bytes":5}})";
  }
  text << "]}";
  std::istringstream in(text.str());
  return readRun(in);
}

const std::vector<std::string> kGoodConnection = {
    "B doReadOrWrite reactor",
    "B tcp::Client::doWrite transport",
    "B F::buildProtocol factory",
    "E F::buildProtocol factory",
    "B P::makeConnection protocol",
    "B P::connectionMade protocol",
    "E P::connectionMade protocol",
    "E P::makeConnection protocol",
    "E tcp::Client::doWrite transport",
    "E doReadOrWrite reactor",
    "B doReadOrWrite reactor",
    "B tcp::Client::doRead transport",
    "B P::dataReceived protocol",
    "E P::dataReceived protocol",
    "E tcp::Client::doRead transport",
    "E doReadOrWrite reactor",
    "B doReadOrWrite reactor",
    "B tcp::Client::doRead transport",
    "E tcp::Client::doRead transport",
    "B tcp::Client::connectionLost transport",
    "B P::connectionLost protocol",
    "E P::connectionLost protocol",
    "E tcp::Client::connectionLost transport",
    "E doReadOrWrite reactor"};

TEST(TraceChart, ReadsEachTurnWithItsCallsNested) {
  const auto run = runOf(kGoodConnection);
  ASSERT_EQ(run.turns.size(), 3U);
  const auto& read = run.turns[1].calls.at(0);
  EXPECT_EQ(read.owner(), "tcp::Client");
  EXPECT_EQ(read.method(), "doRead");
  EXPECT_EQ(read.calls.at(0).method(), "dataReceived");
  EXPECT_EQ(read.calls.at(0).args.at("bytes"), "5");
}

TEST(TraceChart, AGoodRunKeepsTheShape) {
  EXPECT_TRUE(checkShape(runOf(kGoodConnection)).empty());
}

TEST(TraceChart, DataReceivedNotCalledByDoReadBreaksTheShape) {
  auto events = kGoodConnection;
  events[11] = "B tcp::Client::doWrite transport";
  events[14] = "E tcp::Client::doWrite transport";
  EXPECT_EQ(checkShape(runOf(events)).size(), 1U);
}

TEST(TraceChart, ConnectionLostInsideDoReadBreaksTheShape) {
  std::vector<std::string> events(kGoodConnection.begin(), kGoodConnection.begin() + 18);
  for (const char* event :
       {"B P::connectionLost protocol", "E P::connectionLost protocol",
        "E tcp::Client::doRead transport", "E doReadOrWrite reactor"}) {
    events.emplace_back(event);
  }
  EXPECT_EQ(checkShape(runOf(events)).size(), 1U);
}

TEST(TraceChart, DataBeforeTheProtocolMeetsItsTransportBreaksTheShape) {
  std::vector<std::string> events(kGoodConnection.begin() + 10, kGoodConnection.end());
  events.insert(events.end(), kGoodConnection.begin(), kGoodConnection.begin() + 10);
  EXPECT_FALSE(checkShape(runOf(events)).empty());
}

TEST(TraceChart, AnEndWithoutItsBeginIsNotATrace) {
  EXPECT_THROW(runOf({"B doReadOrWrite reactor", "E other reactor"}), BadTrace);
  std::istringstream notJson("{\"traceEvents\": [");
  EXPECT_THROW(readRun(notJson), BadTrace);
}

TEST(TraceChart, ALongRunIsSummarised) {
  std::vector<std::string> events;
  for (int i = 0; i < 5; ++i) {
    events.emplace_back("B callLater reactor");
    events.emplace_back("E callLater reactor");
  }
  std::ostringstream chart;
  writeMsc(chart, runOf(events), Part::All, 2);
  EXPECT_NE(chart.str().find("... 3 more turns of the loop"), std::string::npos)
      << chart.str();
  std::ostringstream part;
  EXPECT_THROW(writeMsc(part, runOf(events), Part::Data, 2), BadTrace);
}

/// readRun() on @p text.
workbook::chart::Run runOfText(const std::string& text) {
  std::istringstream in(text);
  return readRun(in);
}

TEST(TraceChart, EventsThatAreNotObjectsAreNotATrace) {
  EXPECT_THROW(runOfText(R"({"traceEvents":[1,"B",null]})"), BadTrace);
  EXPECT_THROW(runOfText(R"({"traceEvents":[{"ph":"B","name":7,"ts":1}]})"), BadTrace);
  EXPECT_THROW(runOfText(R"({"otherData":3,"traceEvents":[{"ph":5,"ts":1}]})"), BadTrace);
}

TEST(TraceChart, CallsNestedTooDeeplyAreRefusedNotWalked) {
  // 100,000 calls begun and none ended would nest as deep as that.
  std::string text = R"({"traceEvents":[)";
  for (int time = 1; time <= 100000; ++time) {
    text += (time == 1 ? "" : ",") + std::string(R"({"ph":"B","name":"f","ts":)") +
            std::to_string(time) + "}";
  }
  text += "]}";
  try {
    runOfText(text);
    FAIL() << "read";
  } catch (const BadTrace& e) {
    EXPECT_STREQ(e.what(), "calls nested deeper than 64");
  }
}

TEST(TraceChart, DeeplyNestedJsonIsRefused) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  EXPECT_THROW(
      runOfText(R"({"traceEvents":[{"ph":"i","ts":1,"args":{"a":)" + deep + "}}]}"),
      BadTrace);
}

TEST(TraceChart, ADirectoryOrAHugeFileIsABadTrace) {
  EXPECT_THROW(workbook::chart::readRunFile(::testing::TempDir()), BadTrace);
  const std::string huge = ::testing::TempDir() + "huge-trace.json";
  std::filesystem::remove(huge);
  { std::ofstream create(huge); }
  std::filesystem::resize_file(huge, workbook::chart::kMaxTraceBytes + 1);  // sparse
  EXPECT_THROW(workbook::chart::readRunFile(huge), BadTrace);
  std::filesystem::remove(huge);
}

TEST(TraceChart, ALastLineCutShortIsReadPast) {
  // What a process killed mid-write leaves: the shim writes an event a line.
  const std::string whole =
      "{\"traceEvents\":[\n"
      R"({"ph":"B","name":"doReadOrWrite","cat":"reactor","ts":1},)"
      "\n"
      R"({"ph":"E","name":"doReadOrWrite","cat":"reactor","ts":2},)"
      "\n";
  const auto run = runOfText(whole + R"({"ph":"B","name":"doRe)");
  ASSERT_EQ(run.turns.size(), 1U);
  EXPECT_EQ(run.turns[0].name, "doReadOrWrite");
  EXPECT_EQ(runOfText(whole).turns.size(), 1U);
  EXPECT_THROW(runOfText(R"({"traceEvents":[{"ph":"B")"), BadTrace);
}

TEST(TraceChart, HostileNamesCannotBreakOutOfTheChartsSyntax) {
  // A newline in the command, a name ending in a backslash, a lane named
  // with mscgen's own syntax: none may add an arc of its own.
  const auto run = runOfText(
      R"({"otherData":{"command":"get-poetry\nreactor => factory [label=\"evil\"];"},)"
      R"("traceEvents":[)"
      R"({"ph":"B","name":"doReadOrWrite","cat":"reactor","ts":1},)"
      R"({"ph":"B","name":"X::doRead\\","cat":"t [label=\"x\"]; factory => reactor","ts":2},)"
      R"({"ph":"E","name":"X::doRead\\","cat":"t","ts":3},)"
      R"({"ph":"E","name":"doReadOrWrite","cat":"reactor","ts":4}]})");
  std::ostringstream chart;
  writeMsc(chart, run, Part::All, 12);
  const std::regex lane("(libevent|reactor|transport|protocol|factory)");
  const std::regex safeLine(
      R"(# [^\n]*|msc \{|  hscale="1.8", arcgradient="0";|)"
      R"(  (libevent|reactor|transport|protocol|factory) \[label="[^"\\]*"\].*;|)"
      R"(  (libevent|reactor|transport|protocol|factory) (=>|>>|rbox) )"
      R"((libevent|reactor|transport|protocol|factory) \[label="[^"\\]*"\];|\}|)");
  std::istringstream lines(chart.str());
  std::string line;
  int comments = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, safeLine)) << line << "\nin\n" << chart.str();
    comments += line.starts_with("#") ? 1 : 0;
  }
  EXPECT_EQ(comments, 1) << chart.str();
  EXPECT_EQ(chart.str().find("evil\"]"), std::string::npos) << chart.str();
}

}  // namespace
