// End-to-end tests of the trace file, REACTOR_TRACE=FILE.json (e2e): the
// programs write a Chrome trace event file whose slices nest and whose calls
// have the shape the docs' figures show.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/support/PoetryServer.h"
#include "tests/support/Programs.h"
#include "trace-chart/TraceChart.h"

namespace {

using namespace testing_support;
using nlohmann::json;

/// A file name in the temporary directory, removed when the test ends.
class TraceFile {
 public:
  explicit TraceFile(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              (name + "-" + std::to_string(getpid()) + ".json")) {}
  ~TraceFile() { std::filesystem::remove(path_); }
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  std::string path() const { return path_.string(); }
  std::string env() const { return "REACTOR_TRACE=" + path(); }
  json parsed() const {
    std::ifstream in(path_);
    return json::parse(in);  // throws if it is not whole, valid JSON
  }
  workbook::chart::Run run() const {
    std::ifstream in(path_);
    return workbook::chart::readRun(in);
  }

 private:
  std::filesystem::path path_;
};

TEST(TraceJson, WritesNestedSlicesOnOneTrackAndASpanPerConnection) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.005", "--num-bytes", "100"});
  RefusingPort refusing;
  TraceFile trace("trace-client2");
  Process client(kClient2,
                 {std::to_string(server.port()), std::to_string(refusing.port())},
                 {trace.env()});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_EQ(client.err(), "");

  const json file = trace.parsed();
  int depth = 0;
  int spans = 0;
  std::size_t bytes = 0;
  double last = 0;
  std::set<long long> tracks;
  for (const json& event : file.at("traceEvents")) {
    const std::string phase = event.at("ph");
    if (phase == "M") continue;
    tracks.insert(event.at("tid").get<long long>());
    const double time = event.at("ts");
    EXPECT_GT(time, last) << event.dump();
    last = time;
    if (phase == "B") ++depth;
    if (phase == "E") {
      ASSERT_GE(--depth, 0) << event.dump();
    }
    if (phase == "b") ++spans;
    if (phase == "e") --spans;
    if (phase == "B" && event.at("name") == "PoetryProtocol::dataReceived") {
      bytes += event.at("args").at("bytes").get<std::size_t>();
      EXPECT_EQ(event.at("args").at("peer"),
                "127.0.0.1:" + std::to_string(server.port()));
    }
  }
  EXPECT_EQ(depth, 0);
  EXPECT_EQ(spans, 0);
  EXPECT_EQ(tracks.size(), 1U);
  EXPECT_EQ(bytes, 622U);

  const auto run = trace.run();
  EXPECT_EQ(workbook::chart::checkShape(run), std::vector<std::string>{});
  std::ostringstream chart;
  workbook::chart::writeMsc(chart, run, workbook::chart::Part::All, 100);
  EXPECT_NE(chart.str().find("clientConnectionFailed(ConnectionRefusedError)"),
            std::string::npos)
      << chart.str();
}

TEST(TraceJson, AFileThatCannotBeWrittenCostsOneWarning) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "300"});
  Process client(kClient2, {std::to_string(server.port())},
                 {"REACTOR_TRACE=/no/such/dir/x.json"});
  ASSERT_EQ(client.wait(), 0);
  EXPECT_EQ(
      lines(client.err()),
      std::vector<std::string>{"REACTOR_TRACE: cannot write /no/such/dir/x.json: No "
                               "such file or directory; running without a trace"});
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
}

TEST(TraceJson, CtrlCLeavesACompleteFile) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "10", "--num-bytes", "10"});
  TraceFile trace("trace-interrupted");
  Process client(kClient2, {std::to_string(server.port())}, {trace.env()});
  ASSERT_TRUE(client.waitForLine(
      [](const std::string& line) { return line.starts_with("Task 1: got 10 bytes"); }));
  client.kill(SIGINT);
  ASSERT_EQ(client.wait(), 0) << client.err();

  const json file = trace.parsed();
  const auto& events = file.at("traceEvents");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().at("ph"), "E");
  const auto run = trace.run();
  ASSERT_FALSE(run.turns.empty());
  EXPECT_EQ(run.turns.back().name, "disconnectAll");
  EXPECT_EQ(workbook::chart::checkShape(run), std::vector<std::string>{});
}

TEST(TraceJson, AProgramThatEndsAtOnceStillLeavesValidJson) {
  // The stack edition ends itself inside its first dataReceived(), as
  // os._exit() would: no destructor finishes the file.
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.005", "--num-bytes", "100"});
  TraceFile trace("trace-stack");
  Process client(kStack, {std::to_string(server.port())}, {trace.env()});
  ASSERT_EQ(client.wait(), 0);
  const json file = trace.parsed();
  EXPECT_FALSE(file.at("traceEvents").empty());
}

TEST(TraceJson, ANameThatIsNotUtf8IsWrittenReplacedNotFatal) {
  // A poem file named "poem\xff.txt" goes into the file's command line.
  const std::filesystem::path poem = std::filesystem::temp_directory_path() /
                                     ("poem\xff-" + std::to_string(getpid()) + ".txt");
  std::filesystem::copy_file(poemPath("small-hours.txt"), poem,
                             std::filesystem::copy_options::overwrite_existing);
  TraceFile trace("trace-not-utf8");
  Process server(kFastPoetry, {poem.string()}, {trace.env()});
  const auto serving = server.waitForLine(
      [](const std::string& line) { return line.starts_with("Serving "); });
  std::filesystem::remove(poem);
  ASSERT_TRUE(serving) << server.err();
  server.kill(SIGINT);
  // 0 once its loop runs; 128 + SIGINT if the signal comes just before.
  // Never 134: nothing aborts.
  const auto status = server.wait();
  ASSERT_TRUE(status == 0 || status == 128 + SIGINT) << server.err();
  const json file = trace.parsed();
  const std::string command = file.at("otherData").at("command");
  EXPECT_NE(command.find("poem\xEF\xBF\xBD-"), std::string::npos) << command;
}

/// The one line a trace file that cannot be used costs, for @p path.
bool isTheWarningFor(const std::string& line, const std::string& path) {
  return line.starts_with("REACTOR_TRACE: cannot write " + path + ": ") &&
         line.ends_with("; running without a trace");
}

TEST(TraceJson, AFifoIsRefusedWithOneWarningAndTheProgramRunsUntraced) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "300"});
  TraceFile trace("trace-fifo");
  ASSERT_EQ(mkfifo(trace.path().c_str(), 0600), 0);
  Process client(kClient2, {std::to_string(server.port())}, {trace.env()});
  ASSERT_EQ(client.wait(), 0) << client.err();  // a FIFO nobody reads never blocks it
  ASSERT_EQ(lines(client.err()).size(), 1U) << client.err();
  EXPECT_TRUE(isTheWarningFor(lines(client.err())[0], trace.path())) << client.err();
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
}

TEST(TraceJson, ASymbolicLinkIsNotFollowed) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "300"});
  TraceFile target("trace-link-target");
  TraceFile trace("trace-link");
  std::ofstream(target.path()) << "precious";
  std::filesystem::create_symlink(target.path(), trace.path());
  Process client(kClient2, {std::to_string(server.port())}, {trace.env()});
  ASSERT_EQ(client.wait(), 0) << client.err();
  ASSERT_EQ(lines(client.err()).size(), 1U) << client.err();
  EXPECT_TRUE(isTheWarningFor(lines(client.err())[0], trace.path())) << client.err();
  std::ifstream in(target.path());
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "precious");
}

TEST(TraceJson, AWriteThatFailsIsOneWarningAndTheFileStillReads) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "10"});
  TraceFile trace("trace-too-large");
  // A file size limit of 2 KiB, and SIGXFSZ ignored: writes past it fail
  // with EFBIG, as on a full disk.
  Process client("/bin/sh",
                 {"-c", "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"", kClient2,
                  std::to_string(server.port())},
                 {trace.env()});
  ASSERT_EQ(client.wait(), 0) << client.err();
  ASSERT_EQ(lines(client.err()).size(), 1U) << client.err();
  EXPECT_TRUE(lines(client.err())[0].starts_with("REACTOR_TRACE: cannot write " +
                                                 trace.path() + ": "))
      << client.err();
  EXPECT_NE(client.out().find("Task 1: 622 characters of poetry"), std::string::npos);
  EXPECT_NO_THROW(trace.run());  // its last line cut short, as by a SIGKILL
}

TEST(TraceJson, TheFileStopsAtItsCapWithANote) {
  PoetryServer server(poemPath("small-hours.txt"),
                      {"--delay", "0.001", "--num-bytes", "10"});
  TraceFile trace("trace-capped");
  Process client(kClient2, {std::to_string(server.port())},
                 {trace.env(), "REACTOR_TRACE_MAX_BYTES=4096"});
  ASSERT_EQ(client.wait(), 0) << client.err();
  EXPECT_EQ(client.err(), "");
  EXPECT_LE(std::filesystem::file_size(trace.path()), 4096U + 512U);
  const json file = trace.parsed();
  EXPECT_EQ(file.at("traceEvents").back().at("name"), "trace size cap reached");
  EXPECT_NO_THROW(trace.run());
}

}  // namespace
