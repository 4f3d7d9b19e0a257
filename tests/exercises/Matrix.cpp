#include "tests/exercises/Matrix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/Stack.h"
#include "tests/exercises/Printable.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Scan.h"
#include "tests/support/ScriptedServer.h"

namespace grading {

namespace {

using namespace std::chrono_literals;
using testing_support::lines;
using testing_support::Process;
using testing_support::ServerStep;
using testing_support::takeNumber;
using testing_support::takePrefix;

constexpr double kNever = 1e9;
// Events of a scenario closer in time than this may come in either order on
// a loaded machine; the scenarios keep events they order further apart.
constexpr double kSameMoment = 0.45;

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// ---------------------------------------------------------------------------
// Server behaviours: what a server does, and when, in seconds after the
// client connects.

struct Behaviour {
  std::string what;  ///< told in the story
  bool refused = false;
  std::vector<ServerStep> script;
  double firstData = kNever;  ///< when it sends its first bytes
  double lastData = kNever;   ///< when it sends its last bytes
  double endsAfter = kNever;  ///< when it ends the connection by itself
};

std::string poem(const std::string& file) {
  return testing_support::readFile(testing_support::poemPath(file));
}

/// @p text in pieces of @p bytes, one write each, @p pauseMs apart; then @p last.
Behaviour paced(std::string what, const std::string& text, std::size_t bytes, int pauseMs,
                ServerStep last, std::size_t pieces = SIZE_MAX) {
  Behaviour b;
  b.what = std::move(what);
  std::size_t sent = 0;
  for (std::size_t at = 0; at < text.size() && sent < pieces; at += bytes, ++sent) {
    if (sent > 0)
      b.script.push_back(ServerStep::wait(std::chrono::milliseconds(pauseMs)));
    b.script.push_back(ServerStep::send(text.substr(at, bytes)));
  }
  b.script.push_back(std::move(last));
  b.firstData = 0;
  b.lastData = sent == 0 ? kNever : (sent - 1) * pauseMs / 1000.0;
  b.endsAfter = b.script.back().kind == ServerStep::Kind::Stall ? kNever : b.lastData;
  return b;
}

Behaviour atOnce(const std::string& file, int characters) {
  return paced("sends " + file + " (" + std::to_string(characters) +
                   " characters) at once, then closes",
               poem(file), SIZE_MAX, 0, ServerStep::close());
}

/// small-hours.txt, 100 characters every 0.2 s: about 1.2 s in all.
Behaviour slow() {
  return paced(
      "sends small-hours.txt (622 characters), 100 every 0.2 s, then closes: "
      "about 1.2 s",
      poem("small-hours.txt"), 100, 200, ServerStep::close());
}

/// patient-socket.txt, 5 characters every 0.05 s: about 8.5 s in all.
Behaviour steady() {
  return paced("sends patient-socket.txt (850 characters), 5 every 0.05 s: about 8.5 s",
               poem("patient-socket.txt"), 5, 50, ServerStep::close());
}

/// The first 400 characters of patient-socket.txt, 5 every 0.05 s: about 4 s.
Behaviour steadyShort() {
  return paced(
      "sends the first 400 characters of patient-socket.txt, 5 every 0.05 s: about 4 s",
      poem("patient-socket.txt").substr(0, 400), 5, 50, ServerStep::close());
}

/// @p b, begun @p ms later: it waits before its first step.
Behaviour later(Behaviour b, int ms) {
  b.what = "waits " + std::to_string(ms) + " ms, then " + b.what;
  b.script.insert(b.script.begin(), ServerStep::wait(std::chrono::milliseconds(ms)));
  for (double* moment : {&b.firstData, &b.lastData, &b.endsAfter}) {
    if (*moment < kNever) *moment += ms / 1000.0;
  }
  return b;
}

Behaviour silentFromTheStart() {
  Behaviour b;
  b.what = "accepts the connection, then sends nothing";
  b.script = {ServerStep::stall()};
  return b;
}

Behaviour silentMidPoem() {
  return paced("sends the first 20 characters of patient-socket.txt, then nothing",
               poem("patient-socket.txt"), 20, 0, ServerStep::stall(), 1);
}

/// Two pieces of 20 characters, then a reset (RST) @p resetMs after the last.
Behaviour resetMidPoem(int pauseMs, int resetMs) {
  Behaviour b = paced("sends 2 pieces of 20 characters of small-hours.txt " +
                          std::to_string(pauseMs) +
                          " ms apart, then resets the "
                          "connection (RST) " +
                          std::to_string(resetMs) + " ms later",
                      poem("small-hours.txt"), 20, pauseMs, ServerStep::reset(), 2);
  b.script.insert(b.script.end() - 1,
                  ServerStep::wait(std::chrono::milliseconds(resetMs)));
  b.endsAfter = b.lastData + resetMs / 1000.0;
  return b;
}

Behaviour closedAtOnce() {
  Behaviour b;
  b.what = "accepts the connection and closes it at once: an empty poem";
  b.script = {ServerStep::close()};
  b.endsAfter = 0;
  return b;
}

/// The Korean poem in writes of 50 bytes: most cut a 3-byte character in two.
Behaviour koreanSplit() {
  return paced(
      "sends slow-postman-ko.txt (364 characters, 856 bytes of UTF-8) in writes "
      "of 50 bytes, 5 ms apart, most of them cutting a character in two",
      poem("slow-postman-ko.txt"), 50, 5, ServerStep::close());
}

/// A poem in Latin-1, not UTF-8, and a stray byte: the report warns on
/// stderr, naming the poem's task.
Behaviour notUtf8() {
  return paced("sends a line in Latin-1 and a stray 0xff byte (not UTF-8), then closes",
               "Caf\xe9 cr\xe8me, d\xe9j\xe0 froid.\n\xff\n", SIZE_MAX, 0,
               ServerStep::close());
}

/// The first 12 characters of small-hours.txt one byte at a time, 30 ms
/// apart: most reads get a single byte.
Behaviour byteByByte() {
  return paced(
      "sends the first 12 characters of small-hours.txt one byte every 30 ms, then "
      "closes",
      poem("small-hours.txt").substr(0, 12), 1, 30, ServerStep::close());
}

Behaviour refused() {
  Behaviour b;
  b.what = "nothing listens: the connection is refused";
  b.refused = true;
  b.endsAfter = 0;
  return b;
}

// ---------------------------------------------------------------------------
// The scenarios.

enum class Client { One, Two };  // client 1.0 numbers tasks by argument, 2.0 by connect

struct Scenario {
  std::string exercise;
  std::string name;
  bool guard = false;  ///< the untouched starter already behaves as the reference
  std::vector<Behaviour> servers;
  double timeout = 0;       ///< 0: no --timeout
  std::string timeoutText;  ///< as typed
  std::string lookAt;       ///< where a difference most likely comes from

  Client client() const {
    return exercise.starts_with("01") || exercise.starts_with("02") ? Client::One
                                                                    : Client::Two;
  }
  std::string suite() const {
    return "Exercise" + exercise.substr(0, 2) + (guard ? "Guard" : "");
  }
  std::string testName() const { return "SameAsTheSolution_" + name; }
};

const char* kEx1 = "01-survive-refusal";
const char* kEx2 = "02-client1-timeout";
const char* kEx3 = "03-client2-timeout";
const char* kEx4 = "04-connection-lost-stack";

const std::string kRefusalAdvice =
    "a refused address: report it when the connect fails (before the reactor "
    "runs), go on with the others, and end with the 'Got N poems in ...' line.";
const std::string kTimeoutAdvice =
    "the timer: armed once, when the connection starts, with --timeout's "
    "seconds; when it fires, the poem ends there (nothing more is read or "
    "printed for it); a poem that ends first, however it ends, cancels it.";

std::vector<Scenario> timeoutScenarios(const std::string& exercise) {
  std::vector<Scenario> all;
  all.push_back({exercise,
                 "NoTimeout_FastSlowResetAndEmpty",
                 true,
                 {atOnce("three-lighthouses.txt", 875), slow(), resetMidPoem(50, 200),
                  closedAtOnce()},
                 0,
                 "",
                 "without --timeout nothing may time out."});
  all.push_back({exercise,
                 "NoTimeout_OneByteByByteAndNotUtf8",
                 true,
                 {byteByByte(), notUtf8()},
                 0,
                 "",
                 "without --timeout nothing may time out; the report names each task."});
  all.push_back({exercise,
                 "TimeoutLongerThanThePoems_KoreanAndEmpty",
                 true,
                 {koreanSplit(), closedAtOnce(), slow()},
                 3,
                 "3",
                 kTimeoutAdvice});
  all.push_back(
      {exercise,
       "FractionalTimeout_SilentStalledSteadyAndFast",
       false,
       {silentFromTheStart(), silentMidPoem(), steady(), atOnce("small-hours.txt", 622)},
       0.5,
       "0.5",
       kTimeoutAdvice});
  all.push_back({exercise,
                 "ResetBeforeTheDeadline",
                 false,
                 {resetMidPoem(50, 200), silentFromTheStart()},
                 1.25,
                 "1.25",
                 kTimeoutAdvice});
  all.push_back({exercise,
                 "ResetAfterTheDeadline",
                 false,
                 {resetMidPoem(50, 1400), atOnce("small-hours.txt", 622)},
                 0.75,
                 "0.75",
                 kTimeoutAdvice});
  all.push_back({exercise,
                 "TimeoutShorterThanASlowPoem",
                 false,
                 {slow(), koreanSplit()},
                 0.6,
                 "0.6",
                 kTimeoutAdvice});
  return all;
}

std::vector<Scenario> allScenarios() {
  std::vector<Scenario> all = {
      {kEx1,
       "RefusedBetweenTwoPoems",
       false,
       {atOnce("small-hours.txt", 622), refused(), atOnce("three-lighthouses.txt", 875)},
       0,
       "",
       kRefusalAdvice},
      {kEx1, "RefusedThenASlowPoem", false, {refused(), slow()}, 0, "", kRefusalAdvice},
      {kEx1, "EveryAddressRefused", false, {refused(), refused()}, 0, "", kRefusalAdvice},
      {kEx1,
       "RefusedAndAKoreanPoemInSplitWrites",
       false,
       {koreanSplit(), refused()},
       0,
       "",
       "the report counts characters (Unicode code points), not bytes."},
      {kEx1,
       "RefusedAPoemNotInUtf8AndOneByteByByte",
       false,
       {atOnce("small-hours.txt", 622), refused(), notUtf8(), byteByByte()},
       0,
       "",
       "the report: a line per task, each task with its own number (the warning for a "
       "poem that is not UTF-8 names it)."},
      // A client that blocks in recv() reads the steady poem to its end first.
      {kEx1,
       "RefusedASteadyPoemAndASlowOneThatStartsLater",
       false,
       {steadyShort(), refused(), later(slow(), 300)},
       0,
       "",
       "reading: never wait for a socket's data (the socket must not block); the "
       "reactor says which socket has some."},
      {kEx1,
       "KoreanResetAndEmpty",
       true,
       {koreanSplit(), resetMidPoem(50, 200), closedAtOnce()},
       0,
       "",
       "the report counts characters (Unicode code points), not bytes."},
      {kEx4,
       "CleanCloseAndARefusal",
       false,
       {atOnce("small-hours.txt", 622), refused()},
       0,
       "",
       "printStackHere() and the two methods that call it."},
      {kEx4,
       "Reset",
       false,
       {resetMidPoem(10, 200)},
       0,
       "",
       "printStackHere() and the two methods that call it."},
  };
  for (const auto* exercise : {kEx2, kEx3}) {
    for (auto& scenario : timeoutScenarios(exercise)) all.push_back(std::move(scenario));
  }
  // Client 1.0, which exercise 2 builds on, ends at a refusal (exit status 1).
  all.push_back({kEx2,
                 "ARefusalEndsClient1",
                 true,
                 {refused(), slow()},
                 1,
                 "1",
                 "a refusal: client 1.0 still ends at once, as before the exercise."});
  // Client 2.0 reports a refusal as it happens; the others go on.
  all.push_back({kEx3,
                 "RefusedASlowPoemAndAStalledOne",
                 false,
                 {refused(), slow(), silentMidPoem()},
                 2.5,
                 "2.5",
                 kRefusalAdvice});
  all.push_back({kEx3,
                 "EveryAddressRefused",
                 true,
                 {refused(), refused()},
                 1,
                 "1",
                 kRefusalAdvice});
  return all;
}

// ---------------------------------------------------------------------------
// One run of a program on a scenario's servers.

struct Run {
  std::string out;
  std::string err;
  std::optional<int> status;       ///< none: it did not end, and was stopped
  double stoppedAfter = 0;         ///< seconds, when it did not end
  std::vector<std::string> ports;  ///< of the servers, in argument order
};

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// Runs @p program on fresh servers for @p scenario, and stops it once
/// @p giveUp, asked with the seconds it has run so far, says so.
Run runOn(const Scenario& scenario, const std::string& program,
          const std::function<bool(double)>& giveUp) {
  Run run;
  std::vector<std::unique_ptr<testing_support::ScriptedServer>> servers;
  std::vector<std::unique_ptr<testing_support::RefusingPort>> refusing;
  std::vector<std::string> args;
  if (scenario.timeout > 0) args = {"--timeout", scenario.timeoutText};
  for (const auto& behaviour : scenario.servers) {
    std::uint16_t port = 0;
    if (behaviour.refused) {
      refusing.push_back(std::make_unique<testing_support::RefusingPort>());
      port = refusing.back()->port();
    } else {
      servers.push_back(
          std::make_unique<testing_support::ScriptedServer>(behaviour.script));
      port = servers.back()->port();
    }
    run.ports.push_back(std::to_string(port));
    args.push_back(run.ports.back());
  }
  const auto start = std::chrono::steady_clock::now();
  Process process(program, args, {"REACTOR_TRACE=1"});
  while (!run.status) {
    run.status = process.wait(100ms);
    if (!run.status && giveUp(secondsSince(start))) {
      run.stoppedAfter = secondsSince(start);
      process.kill(SIGKILL);
      process.wait(5s);
      break;
    }
  }
  run.out = process.out();
  run.err = process.err();
  return run;
}

// ---------------------------------------------------------------------------
// A run, normalised: the lines both programs must agree on, by section.

struct Line {
  std::string section;
  std::string text;
  bool operator==(const Line&) const = default;
};

/// Python's str(timedelta): "0:00:02.104515" or "0:00:02".
bool isDuration(std::string_view text) {
  return !text.empty() && text.size() < 40 &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' ||
                  c == ',' || c == ' ' || c == 'd' || c == 'a' || c == 'y' || c == 's';
         });
}

class Normaliser {
 public:
  Normaliser(const Scenario& scenario, const Run& run)
      : scenario_(scenario), run_(run), classes_(momentClasses()) {
    mapTasks();
  }

  std::vector<Line> transcript() {
    std::vector<Line> all;
    readStdout();
    addTaskLines(all);
    addMilestones(all);
    addStderr(all);
    addStacks(all);
    addTrace(all);
    all.push_back({"exit", exitText()});
    return all;
  }

 private:
  enum class Kind { Read, Finished, TimedOut, Report, Refusal, Summary, Other };
  struct Printed {
    Kind kind;
    int server;  ///< 0-based argument position; -1 for none
    std::string text;
  };

  // -- times and classes ----------------------------------------------------

  double deadline() const { return scenario_.timeout > 0 ? scenario_.timeout : kNever; }
  double lastRead(int s) const {
    const auto& b = scenario_.servers[s];
    return std::min(b.lastData, deadline());
  }
  double endOf(int s) const {
    return std::min(scenario_.servers[s].endsAfter, deadline());
  }
  bool countRaces(int s) const {
    const auto& b = scenario_.servers[s];
    return b.firstData < deadline() && b.lastData > deadline();
  }

  /// The moments of the scenario, grouped: events closer than kSameMoment
  /// share a class and may be printed in either order.
  std::map<double, int> momentClasses() const {
    std::set<double> moments = {0};
    for (int s = 0; s < static_cast<int>(scenario_.servers.size()); ++s) {
      moments.insert(lastRead(s));
      moments.insert(endOf(s));
    }
    std::map<double, int> classes;
    int current = 0;
    double previous = 0;
    for (const double moment : moments) {
      if (moment - previous > kSameMoment) ++current;
      classes[moment] = current;
      previous = moment;
    }
    return classes;
  }
  int classOf(double moment) const { return classes_.at(moment); }

  // -- who is who -------------------------------------------------------------

  int serverOfPort(std::string_view port) const {
    for (std::size_t i = 0; i < run_.ports.size(); ++i) {
      if (run_.ports[i] == port) return static_cast<int>(i);
    }
    return -1;
  }

  /// Client 1.0 numbers tasks by argument; client 2.0 in the order its
  /// connections are made, which the trace shows (buildProtocol()).
  void mapTasks() {
    if (scenario_.client() == Client::One) {
      for (std::size_t i = 0; i < run_.ports.size(); ++i) serverOfTask_[i + 1] = i;
      return;
    }
    int task = 1;
    for (const auto& line : lines(run_.err)) {
      const auto at = line.find("doWrite: tcp.Client connecting to ");
      if (at == std::string::npos || !has(line, "is connected -> buildProtocol()"))
        continue;
      const auto colon = line.find(':', at + 35);
      const auto space = line.find(' ', colon);
      if (colon == std::string::npos || space == std::string::npos) continue;
      const int server =
          serverOfPort(std::string_view(line).substr(colon + 1, space - colon - 1));
      if (server >= 0) serverOfTask_[task] = server;
      ++task;
    }
  }

  static std::string label(int server) { return "#" + std::to_string(server + 1); }

  std::string taskLabel(long task) const {
    const auto found = serverOfTask_.find(static_cast<int>(task));
    return found == serverOfTask_.end() ? "?" + std::to_string(task)
                                        : label(found->second);
  }

  /// @p text with each server's port replaced by its label: ports differ
  /// from run to run.
  std::string withLabels(std::string_view text) const {
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
      if (!std::isdigit(static_cast<unsigned char>(text[at]))) {
        out += text[at++];
        continue;
      }
      std::size_t end = at;
      while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])))
        ++end;
      const int server = serverOfPort(text.substr(at, end - at));
      out += server >= 0 ? label(server) : std::string(text.substr(at, end - at));
      at = end;
    }
    return out;
  }

  int serverIn(std::string_view text) const {
    for (std::size_t i = 0; i < run_.ports.size(); ++i) {
      const auto& port = run_.ports[i];
      for (auto at = text.find(port); at != std::string_view::npos;
           at = text.find(port, at + 1)) {
        const bool bounded =
            (at == 0 || !std::isdigit(static_cast<unsigned char>(text[at - 1]))) &&
            (at + port.size() == text.size() ||
             !std::isdigit(static_cast<unsigned char>(text[at + port.size()])));
        if (bounded) return static_cast<int>(i);
      }
    }
    return -1;
  }

  // -- stdout ---------------------------------------------------------------

  Printed classify(const std::string& line) const {
    std::string_view rest(line);
    if (takePrefix(rest, "Task ")) {
      std::string_view after = rest;
      if (const auto task = takeNumber(after)) {
        const auto found = serverOfTask_.find(static_cast<int>(*task));
        const int server = found == serverOfTask_.end() ? -1 : found->second;
        return classifyTaskLine(server, "Task " + taskLabel(*task), after);
      }
    }
    rest = line;
    if (takePrefix(rest, "Failed to connect to: ")) {
      return {Kind::Refusal, serverIn(rest), withLabels(line)};
    }
    if (takePrefix(rest, "Got ")) {
      std::string_view after = rest;
      if (const auto count = takeNumber(after);
          count && takePrefix(after, " poems in ")) {
        return {Kind::Summary, -1,
                "Got " + std::to_string(*count) + " poems in " +
                    (isDuration(after) ? "(a duration)" : withLabels(after))};
      }
    }
    return {Kind::Other, -1, withLabels(line)};
  }

  Printed classifyTaskLine(int server, const std::string& task,
                           std::string_view rest) const {
    if (rest.starts_with(": got ") && has(rest, " bytes of poetry from ")) {
      const auto from = rest.find(" from ");
      return {Kind::Read, server,
              task + ": got (some) bytes of poetry" + withLabels(rest.substr(from))};
    }
    if (rest == " finished") return {Kind::Finished, server, task + " finished"};
    if (rest == " timed out") return {Kind::TimedOut, server, task + " timed out"};
    if (rest == ": failed") return {Kind::Report, server, task + ": failed"};
    if (rest.starts_with(": cannot connect to ")) {
      return {Kind::Refusal, server, task + withLabels(rest)};
    }
    std::string_view after = rest;
    if (takePrefix(after, ": ")) {
      if (const auto count = takeNumber(after);
          count && after.starts_with(" characters of poetry")) {
        const bool masked = server >= 0 && countRaces(server);
        return {Kind::Report, server,
                task + ": " +
                    (masked ? std::string("(what arrived in time)")
                            : std::to_string(*count)) +
                    withLabels(after)};
      }
    }
    return {Kind::Other, server, task + withLabels(rest)};
  }

  void readStdout() {
    for (const auto& line : lines(run_.out)) printed_.push_back(classify(line));
  }

  /// Each task's lines in order, runs of reads as one line: nothing of a
  /// task may come after its end.
  void addTaskLines(std::vector<Line>& all) const {
    for (int s = 0; s < static_cast<int>(scenario_.servers.size()); ++s) {
      const std::string section = "task " + label(s);
      std::string previous;
      bool any = false;
      for (const auto& p : printed_) {
        if (p.server != s || p.kind == Kind::Refusal) continue;
        if (p.kind == Kind::Read && p.text == previous) continue;
        all.push_back({section, p.text});
        previous = p.text;
        any = true;
      }
      if (!any) all.push_back({section, "(nothing)"});
    }
  }

  /// The lines whose order the scenario fixes, in order; lines of the same
  /// moment (kSameMoment) sorted, as they may come either way.
  void addMilestones(std::vector<Line>& all) const {
    struct Milestone {
      std::pair<int, int> key;
      std::string text;
    };
    std::vector<Milestone> order;
    std::map<int, std::size_t> lastReadAt;
    for (std::size_t i = 0; i < printed_.size(); ++i) {
      if (printed_[i].kind == Kind::Read && printed_[i].server >= 0) {
        lastReadAt[printed_[i].server] = i;
      }
    }
    const int unique = 1000;
    for (std::size_t i = 0; i < printed_.size(); ++i) {
      const auto& p = printed_[i];
      const int s = p.server;
      const int at = unique + static_cast<int>(i);
      switch (p.kind) {
        case Kind::Read:
          if (s >= 0 && lastReadAt[s] == i) {
            order.push_back(
                {{0, classOf(lastRead(s))}, "Task " + label(s) + ": its last read"});
          }
          break;
        case Kind::Refusal:
          order.push_back({{0, classOf(0)}, p.text});
          break;
        case Kind::Finished:
          order.push_back({{0, s >= 0 ? classOf(endOf(s)) : at}, p.text});
          break;
        case Kind::TimedOut:
          order.push_back({{0, classOf(deadline() < kNever ? deadline() : 0)}, p.text});
          break;
        case Kind::Report: {
          // Client 1.0 reports in task order; client 2.0 as the poems ended.
          const bool byEnd = scenario_.client() == Client::Two && s >= 0;
          order.push_back({{1, byEnd ? classOf(endOf(s)) : at}, p.text});
          break;
        }
        case Kind::Summary:
          order.push_back({{2, 0}, p.text});
          break;
        case Kind::Other:
          order.push_back({{3, at}, p.text});
          break;
      }
    }
    for (std::size_t i = 0; i < order.size();) {
      std::size_t end = i + 1;
      while (end < order.size() && order[end].key == order[i].key) ++end;
      std::vector<std::string> same;
      for (std::size_t j = i; j < end; ++j) same.push_back(order[j].text);
      std::sort(same.begin(), same.end());
      for (auto& text : same) all.push_back({"stdout, in order", std::move(text)});
      i = end;
    }
  }

  // -- stderr -----------------------------------------------------------------

  static bool isTrace(const std::string& line) { return line.starts_with("reactor: "); }
  static bool isStackLine(const std::string& line) {
    return line.starts_with("  ") || line.starts_with("Traceback (");
  }

  /// The stderr lines other than the trace and the stacks' frames, sorted:
  /// the kinds of things said, not when.
  void addStderr(std::vector<Line>& all) const {
    std::vector<std::string> said;
    for (const auto& line : lines(run_.err)) {
      if (isTrace(line) || isStackLine(line)) continue;
      std::string text = withLabels(line);
      // "the poem of task 2": which task is which is the trace's business.
      if (const auto at = text.find("of task "); at != std::string::npos) {
        std::string_view number = std::string_view(text).substr(at + 8);
        if (const auto task = takeNumber(number)) {
          text = text.substr(0, at + 8) + taskLabel(*task) + std::string(number);
        }
      }
      said.push_back(std::move(text));
    }
    std::sort(said.begin(), said.end());
    if (said.empty()) said.emplace_back("(nothing)");
    for (auto& text : said) all.push_back({"stderr", std::move(text)});
  }

  /// The stacks printed (exercise 4): each one's functions, from main down.
  void addStacks(std::vector<Line>& all) const {
    std::string header;
    std::string body;
    const auto flush = [&] {
      if (header.empty()) return;
      std::istringstream in(body);
      std::string names;
      for (const auto& frame : workbook::parseStack(in)) {
        names += (names.empty() ? "" : " > ") + withoutParameters(frame.function);
      }
      all.push_back(
          {"stacks", withLabels(header) + " " + (names.empty() ? "(no stack)" : names)});
    };
    for (const auto& line : lines(run_.err)) {
      if (isTrace(line)) continue;
      if (line.starts_with("--- ")) {
        flush();
        header = line;
        body.clear();
      } else if (isStackLine(line)) {
        body += line + "\n";
      }
    }
    flush();
  }

  /// "f(int, char**)" -> "f": a name reads the same whatever the types.
  static std::string withoutParameters(const std::string& function) {
    if (!function.ends_with(')')) return function;
    int depth = 0;
    for (std::size_t i = function.size(); i-- > 0;) {
      if (function[i] == ')') ++depth;
      if (function[i] == '(' && --depth == 0)
        return i == 0 ? function : function.substr(0, i);
    }
    return function;
  }

  // -- the trace --------------------------------------------------------------

  /// From REACTOR_TRACE: which connections the reactor closed, after what
  /// (a read: the server ended it; a write: loseConnection()), with which
  /// reason, before or after the deadline; which connects failed; how many
  /// timers of each delay fired.
  void addTrace(std::vector<Line>& all) const {
    std::map<std::string, int> fired;
    std::vector<std::string> facts;
    bool pastDeadline = false;
    std::string previous;
    for (const auto& line : lines(run_.err)) {
      if (!isTrace(line)) continue;
      std::string_view rest(line);
      rest.remove_prefix(9);
      if (takePrefix(rest, "timer: callLater(")) {
        const auto close = rest.find(')');
        const std::string delay(rest.substr(0, close));
        ++fired[delay];
        if (scenario_.timeout > 0 && delay == scenario_.timeoutText) pastDeadline = true;
      } else if (takePrefix(rest, "removed ")) {
        const int s = serverIn(rest.substr(0, rest.find(" -> ")));
        const auto reason = rest.find("connectionLost(");
        std::string why = reason == std::string_view::npos
                              ? "?"
                              : std::string(rest.substr(
                                    reason + 15, rest.find(':', reason) - reason - 15));
        const std::string after =
            has(previous, "readable:")   ? "after a read (the server's end)"
            : has(previous, "writable:") ? "after a write (the client's loseConnection())"
                                         : "after something else";
        facts.push_back("connection " + (s >= 0 ? label(s) : "?") +
                        ": the reactor calls "
                        "connectionLost(" +
                        why + ") " + after +
                        (scenario_.timeout > 0 ? (pastDeadline ? ", after the deadline"
                                                               : ", before the deadline")
                                               : ""));
      } else if (has(rest, ": failed -> clientConnectionFailed(")) {
        const int s = serverIn(rest.substr(0, rest.find(": failed")));
        const auto at = rest.find("clientConnectionFailed(");
        facts.push_back("connection " + (s >= 0 ? label(s) : "?") + ": " +
                        std::string(rest.substr(at, rest.find(':', at + 23) - at)) + ")");
      }
      previous = line;
    }
    std::sort(facts.begin(), facts.end());
    for (auto& fact : facts) all.push_back({"trace", std::move(fact)});
    for (const auto& [delay, count] : fired) {
      all.push_back({"trace", "timers of callLater(" + delay +
                                  ") that fired: " + std::to_string(count)});
    }
  }

  std::string exitText() const {
    if (!run_.status) return "did not end: stopped by the test";
    if (*run_.status > 128)
      return "killed by signal " + std::to_string(*run_.status - 128);
    return "exit status " + std::to_string(*run_.status);
  }

  const Scenario& scenario_;
  const Run& run_;
  std::map<double, int> classes_;
  std::map<int, int> serverOfTask_;
  std::vector<Printed> printed_;
};

// ---------------------------------------------------------------------------
// The verdict and its story.

struct Outcome {
  Run reference;
  Run candidate;
  std::vector<Line> expected;
  std::vector<Line> got;
  std::string error;  ///< a run that could not be made at all
};

Outcome runScenario(const Scenario& scenario, const std::string& candidateProgram) {
  Outcome outcome;
  // The candidate may take four times what the reference took, and 4 s
  // more, before the test decides it will not end: generous on a loaded
  // machine, short for a student waiting on a program that hangs.
  std::atomic<double> referenceTook{-1};
  constexpr double kAtMost = 60;
  const std::string reference =
      testing_support::programPath("solutions/" + scenario.exercise + "/get-poetry");
  auto referenceRun = std::async(std::launch::async, [&] {
    const auto start = std::chrono::steady_clock::now();
    Run run = runOn(scenario, reference, [](double took) { return took > kAtMost; });
    referenceTook = secondsSince(start);
    return run;
  });
  try {
    outcome.candidate = runOn(scenario, candidateProgram, [&](double took) {
      const double r = referenceTook;
      return took > kAtMost || (r >= 0 && took > 4 * r + 4);
    });
  } catch (const std::exception& e) {
    outcome.error = e.what();
  }
  try {
    outcome.reference = referenceRun.get();
  } catch (const std::exception& e) {
    outcome.error = std::string("the reference could not run: ") + e.what();
  }
  if (!outcome.reference.status && outcome.error.empty()) {
    outcome.error = "the reference (" + reference + ") did not end";
  }
  if (!outcome.error.empty()) return outcome;
  outcome.expected = Normaliser(scenario, outcome.reference).transcript();
  outcome.got = Normaliser(scenario, outcome.candidate).transcript();
  return outcome;
}

/// One row of the two transcripts side by side: a section's i-th line of each.
struct Row {
  std::string section;
  std::optional<std::string> expected;  ///< the solution's; none past its end
  std::optional<std::string> got;       ///< the candidate's
  bool differs() const { return expected != got; }
};

/// The two transcripts aligned section by section, in the order of sections
/// the solution printed (then any only the candidate has).
std::vector<Row> alignedRows(const Outcome& o) {
  std::vector<std::string> order;
  for (const auto* all : {&o.expected, &o.got}) {
    for (const auto& line : *all) {
      if (std::find(order.begin(), order.end(), line.section) == order.end()) {
        order.push_back(line.section);
      }
    }
  }
  const auto linesOf = [](const std::vector<Line>& all, const std::string& section) {
    std::vector<std::string> found;
    for (const auto& line : all) {
      if (line.section == section) found.push_back(line.text);
    }
    return found;
  };
  std::vector<Row> rows;
  for (const auto& section : order) {
    const auto left = linesOf(o.expected, section);
    const auto right = linesOf(o.got, section);
    for (std::size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
      Row row{section, {}, {}};
      if (i < left.size()) row.expected = left[i];
      if (i < right.size()) row.got = right[i];
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

/// @p text in a column @p width characters wide: cut with "~", or padded.
std::string fitted(const std::string& text, std::size_t width) {
  const std::string shown = printableLine(text, width + 40);
  std::size_t characters = 0;
  std::size_t at = 0;
  while (at < shown.size() && characters < width) {
    at += std::max<std::size_t>(1, utf8CharacterLength(shown, at));
    ++characters;
  }
  if (at < shown.size()) return shown.substr(0, at) + "~";
  return shown + std::string(width - characters + 1, ' ');
}

std::string sideBySide(const std::vector<Row>& rows, std::size_t parting) {
  constexpr std::size_t kWidth = 56;
  std::string text = "    " + fitted("the solution", kWidth) + "| yours\n";
  std::string section;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    if (row.section != section) {
      text += "    [" + row.section + "]\n";
      section = row.section;
    }
    text += std::string(i == parting    ? "  > "
                        : row.differs() ? "  ! "
                                        : "    ") +
            fitted(row.expected.value_or("(nothing)"), kWidth) + "| " +
            printableLine(row.got.value_or("(nothing)"), 200) + "\n";
  }
  return text;
}

std::string rawOutput(const std::string& text, bool trace, std::size_t most) {
  std::vector<std::string> kept;
  for (const auto& line : lines(text)) {
    if (line.starts_with("reactor: ") == trace) kept.push_back(line);
  }
  std::string out;
  const std::size_t from = kept.size() > most ? kept.size() - most : 0;
  if (from > 0) out += "    | ... " + std::to_string(from) + " lines before these\n";
  for (std::size_t i = from; i < kept.size(); ++i) {
    out += "    | " + printableLine(kept[i], 300) + "\n";
  }
  return out.empty() ? "    (nothing)\n" : out;
}

/// What to look at, from what the two transcripts show: a thrown cancel()
/// first (it is the cause of what follows), then a crash or a hang, then the
/// section where they part.
std::string advice(const Scenario& scenario, const Run& c, const std::string& section) {
  if (has(c.err, "AlreadyCalled") || has(c.err, "AlreadyCancelled") ||
      has(c.err, "cancel(): already")) {
    return "cancel() throws when the call has already run (AlreadyCalled) or was "
           "cancelled (AlreadyCancelled): ask active() first. The timer that timed a "
           "poem out has run by the time the poem's connection ends.";
  }
  if (!c.status) {
    return "your program never ended (it was stopped after " +
           std::to_string(static_cast<int>(c.stoppedAfter)) +
           " s): something it waits for never comes. A connection nobody closes? A "
           "timer never armed (a silent server sends no data to arm it on)? The last "
           "trace lines below show what it did last.";
  }
  if (*c.status > 128) {
    return "your program crashed. Most often an object is used after it was destroyed: "
           "a timer that fires on a protocol or socket that is gone (cancel it when the "
           "poem ends, however it ends: after a reset too). The last trace lines below "
           "show what ran last.";
  }
  if (section.starts_with("task")) {
    return "what that task printed, in order: nothing of a poem comes after it has "
           "ended (timed out, finished, failed). " +
           scenario.lookAt;
  }
  if (section == "stdout, in order") {
    return "when each line is printed: a refusal is known at once and said at once; "
           "the report comes once every poem has ended, and 'Got N poems in ...' last, "
           "in every run. " +
           scenario.lookAt;
  }
  if (section == "trace") {
    return "who closes each connection, and when (REACTOR_TRACE=1 shows it). " +
           scenario.lookAt;
  }
  return scenario.lookAt;
}

std::string story(const Scenario& scenario, const Outcome& o) {
  const auto rows = alignedRows(o);
  std::size_t parting = 0;
  while (parting < rows.size() && !rows[parting].differs()) ++parting;
  const Row& where = rows[parting];
  std::string command = "get-poetry";
  if (scenario.timeout > 0) command += " --timeout " + scenario.timeoutText;
  for (std::size_t i = 0; i < scenario.servers.size(); ++i) {
    command += " #" + std::to_string(i + 1);
  }
  std::string text =
      "Expected: your program does what the official solution does on this scenario. "
      "It does not.\n";
  text += "Look at:  " + advice(scenario, o.candidate, where.section) + "\n";
  text +=
      "What ran (each program on servers of its own): REACTOR_TRACE=1 " + command + "\n";
  for (std::size_t i = 0; i < scenario.servers.size(); ++i) {
    text += "    #" + std::to_string(i + 1) + ": " + scenario.servers[i].what + "\n";
  }
  text += "Where they part, in [" + where.section + "]:\n    the solution: " +
          printableLine(where.expected.value_or("(nothing)"), 300) +
          "\n    yours:        " + printableLine(where.got.value_or("(nothing)"), 300) +
          "\n";
  text +=
      "Both, side by side (normalised: #k is the k-th address given, and its port; "
      "a run of reads is one line; read sizes and durations masked; lines of the "
      "same moment sorted; > where they part, ! other differences):\n" +
      sideBySide(rows, parting);
  text += "Your program's stdout:\n" + rawOutput(o.candidate.out, false, 40);
  text += "Its stderr (without REACTOR_TRACE):\n" + rawOutput(o.candidate.err, false, 20);
  const bool broke = !o.candidate.status || *o.candidate.status > 128;
  if (broke) {
    text += "Its last lines of REACTOR_TRACE:\n" + rawOutput(o.candidate.err, true, 15);
  }
  return text;
}

// ---------------------------------------------------------------------------
// Running the scenarios side by side, once each.

class Matrix {
 public:
  explicit Matrix(ProgramOf candidate) : candidate_(std::move(candidate)) {}

  void add(Scenario scenario) { scenarios_.push_back(std::move(scenario)); }
  const std::vector<Scenario>& scenarios() const { return scenarios_; }

  /// The outcome of scenario @p index. The first call for an exercise starts
  /// every scenario of it that this run selected, side by side.
  Outcome outcome(std::size_t index) {
    std::unique_lock lock(mutex_);
    if (!started_.contains(index)) startExercise(scenarios_[index].exercise);
    auto future = started_.at(index);
    lock.unlock();
    return future.get();
  }

  /// Starts the selected scenarios of exercise @p number ("03"), unless
  /// they are running already: called as its first suite starts, they run
  /// while the exercise's other tests do.
  void startEarly(const std::string& number) {
    std::lock_guard lock(mutex_);
    for (const auto& scenario : scenarios_) {
      if (scenario.exercise.starts_with(number)) {
        startExercise(scenario.exercise);
        return;
      }
    }
  }

 private:
  static bool selected(const Scenario& scenario) {
    const auto* unit = testing::UnitTest::GetInstance();
    for (int i = 0; i < unit->total_test_suite_count(); ++i) {
      const auto* suite = unit->GetTestSuite(i);
      if (suite->name() != scenario.suite()) continue;
      for (int j = 0; j < suite->total_test_count(); ++j) {
        const auto* info = suite->GetTestInfo(j);
        if (info->name() == scenario.testName()) return info->should_run();
      }
    }
    return false;
  }

  void startExercise(const std::string& exercise) {
    std::string program;
    std::string missing;
    try {
      program = candidate_(exercise);
    } catch (const std::exception& e) {
      missing = e.what();
    }
    for (std::size_t i = 0; i < scenarios_.size(); ++i) {
      const Scenario& s = scenarios_[i];
      if (s.exercise != exercise || started_.contains(i)) continue;
      if (!missing.empty()) {
        std::promise<Outcome> none;
        Outcome o;
        o.error = missing;
        none.set_value(std::move(o));
        started_[i] = none.get_future().share();
      } else if (selected(s)) {
        started_[i] = std::async(std::launch::async, runScenario, s, program).share();
      }
    }
  }
  ProgramOf candidate_;
  std::vector<Scenario> scenarios_;
  std::mutex mutex_;
  std::map<std::size_t, std::shared_future<Outcome>> started_;
};

class MatrixTest : public testing::Test {
 public:
  MatrixTest(Matrix& matrix, std::size_t index) : matrix_(matrix), index_(index) {}

  void TestBody() override {
    const Scenario& scenario = matrix_.scenarios()[index_];
    const Outcome o = matrix_.outcome(index_);
    if (!o.error.empty()) {
      ADD_FAILURE() << "Expected: your program runs on the scenario; it could not: "
                    << printable(o.error);
      return;
    }
    if (o.expected == o.got) return;
    ADD_FAILURE() << story(scenario, o);
  }

 private:
  Matrix& matrix_;
  std::size_t index_;
};

}  // namespace

/// Starts an exercise's scenarios as the first of its suites starts.
class StartsTheMatrixEarly : public testing::EmptyTestEventListener {
 public:
  explicit StartsTheMatrixEarly(Matrix& matrix) : matrix_(matrix) {}

  void OnTestSuiteStart(const testing::TestSuite& suite) override {
    const std::string_view name = suite.name();  // "Exercise03", "Exercise03Guard"
    if (name.starts_with("Exercise") && name.size() >= 10) {
      matrix_.startEarly(std::string(name.substr(8, 2)));
    }
  }

 private:
  Matrix& matrix_;
};

void registerMatrixTests(ProgramOf candidate) {
  static Matrix matrix(std::move(candidate));
  for (auto& scenario : allScenarios()) matrix.add(std::move(scenario));
  for (std::size_t i = 0; i < matrix.scenarios().size(); ++i) {
    const Scenario& s = matrix.scenarios()[i];
    testing::RegisterTest(s.suite().c_str(), s.testName().c_str(), nullptr, nullptr,
                          __FILE__, __LINE__,
                          [i]() -> testing::Test* { return new MatrixTest(matrix, i); });
  }
  testing::UnitTest::GetInstance()->listeners().Append(new StartsTheMatrixEarly(matrix));
}

}  // namespace grading
