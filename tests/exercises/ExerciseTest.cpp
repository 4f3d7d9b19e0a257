// The grading tests of the exercises. One suite per exercise, run against the
// programs in the folder named by EXERCISE_PROGRAMS: the solutions (CTest
// label `solutions`), a student's exercises (label `exercise`, and
// `./workbook check N`), the pristine starters and the wrong solutions that
// must fail (solutions/NN-name/*.patch). Suites named ExerciseNNGuard hold the
// tests that pass on the untouched starter on purpose: they guard against a
// solution that breaks what already worked. Every other test fails on the
// starter (CI checks it).
//
// A failure tells the whole story in plain words: what was run against which
// servers, what was expected, what happened, and what to look at next.
// Matrix.cpp adds, per exercise, the differential tests: the same scenarios
// run on the official solution and on the program graded, compared.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>

#include "common/Stack.h"
#include "common/Text.h"
#include "tests/exercises/Matrix.h"
#include "tests/exercises/Printable.h"
#include "tests/support/ClientReport.h"
#include "tests/support/PoetryServer.h"
#include "tests/support/Scan.h"

namespace {

using namespace testing_support;
using grading::printableLine;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool exists(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0;
}

/// The folder of @p exercise in the build being graded.
std::string programFolder(const std::string& exercise) {
  const char* root = std::getenv("EXERCISE_PROGRAMS");
  if (root == nullptr) throw std::runtime_error("EXERCISE_PROGRAMS is not set");
  return std::string(root) + "/" + exercise;
}

/// The program of @p exercise in the build being graded. A program that did
/// not build is reported with the compiler's words, when the grader kept them.
std::string program(const std::string& exercise) {
  const std::string path = programFolder(exercise) + "/get-poetry";
  if (exists(path)) return path;
  const std::string log = programFolder(exercise) + "/build-error.txt";
  if (exists(log)) {
    throw std::runtime_error(exercise + " does not build. The compiler said:\n" +
                             readFile(log));
  }
  throw std::runtime_error("there is no program " + path +
                           ": build it first (./workbook check N builds it)");
}

/// A file of @p exercise's sources (EXERCISE_SOURCES), such as answers.txt.
std::string sourceFile(const std::string& exercise, const std::string& name) {
  const char* root = std::getenv("EXERCISE_SOURCES");
  if (root == nullptr) throw std::runtime_error("EXERCISE_SOURCES is not set");
  return std::string(root) + "/" + exercise + "/" + name;
}

/// "killed by SIGSEGV", "exit status 3": what a Process::wait() status means.
std::string describeStatus(int status) {
  static const std::map<int, std::string> kSignals = {
      {SIGSEGV,
       "SIGSEGV (a crash: a bad pointer, or an object used after it was destroyed)"},
      {SIGABRT, "SIGABRT (an abort: a failed assertion, or an exception nobody caught)"},
      {SIGBUS, "SIGBUS (a crash)"},
      {SIGFPE, "SIGFPE (an arithmetic error)"},
      {SIGILL, "SIGILL (a crash)"},
      {SIGKILL, "SIGKILL"},
      {SIGTERM, "SIGTERM"},
      {SIGPIPE, "SIGPIPE"}};
  if (status > 128) {
    const auto found = kSignals.find(status - 128);
    return "it was killed by " + (found != kSignals.end()
                                      ? found->second
                                      : "signal " + std::to_string(status - 128));
  }
  return "it exited with status " + std::to_string(status);
}

/// @p value as a command line would give it: "1", "0.5".
std::string seconds(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

/// For "Task N: M characters of poetry...": M, and what follows it in @p rest.
/// Read by hand, not by std::regex: a line may be megabytes long.
std::optional<int> reportedCharacters(std::string_view line, std::string_view& rest) {
  if (!line.starts_with("Task ")) return std::nullopt;
  line.remove_prefix(5);
  if (!takeNumber(line) || !line.starts_with(": ")) return std::nullopt;
  line.remove_prefix(2);
  const auto count = takeNumber(line);
  if (!count || !line.starts_with(" characters of poetry")) return std::nullopt;
  rest = line.substr(21);
  return count;
}

/// Whether @p line is "Task N: failed".
bool isFailedLine(std::string_view line) {
  if (!line.starts_with("Task ")) return false;
  line.remove_prefix(5);
  return takeNumber(line) && line == ": failed";
}

/// For "Task N: got M bytes of poetry from ..." ending in @p port (":PORT" or
/// "port=PORT)"): M.
std::optional<int> bytesReadFrom(std::string_view line, const std::string& port) {
  if (!line.starts_with("Task ")) return std::nullopt;
  line.remove_prefix(5);
  if (!takeNumber(line) || !line.starts_with(": got ")) return std::nullopt;
  line.remove_prefix(6);
  const auto bytes = takeNumber(line);
  if (!bytes || !line.starts_with(" bytes of poetry from ")) return std::nullopt;
  if (!line.ends_with(":" + port) && !line.ends_with("=" + port + ")"))
    return std::nullopt;
  return bytes;
}

/// Indents every line of @p text, to set program output apart; a run of
/// the same line is shown once, with how many more there were. Bytes that
/// are not UTF-8 are shown escaped, a very long line cut (Printable.h).
std::string indented(const std::string& text) {
  if (text.empty()) return "    (nothing)\n";
  std::string out;
  const auto all = lines(text);
  for (std::size_t i = 0; i < all.size();) {
    std::size_t same = i + 1;
    while (same < all.size() && all[same] == all[i]) ++same;
    out += "    | " + printableLine(all[i], 300) + "\n";
    if (same - i > 2) {
      out += "    | ... and " + std::to_string(same - i - 1) + " more lines like it\n";
      i = same;
    } else {
      ++i;
    }
  }
  return out;
}

/// The shim's trace lines (REACTOR_TRACE=1) are many; the story leaves them
/// out of stderr and says how many there were.
std::string withoutTrace(const std::string& err, int& traceLines) {
  std::string out;
  traceLines = 0;
  for (const auto& line : lines(err)) {
    if (line.starts_with("reactor: ")) {
      ++traceLines;
    } else {
      out += line + "\n";
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The trace, read. These are the only places that know its wording.

/// How many trace lines say a callLater(@p seconds) fired.
int timersFired(const std::string& trace, const std::string& seconds) {
  int fired = 0;
  for (const auto& line : lines(trace)) {
    if (line == "reactor: timer: callLater(" + seconds + ") is due -> run it") ++fired;
  }
  return fired;
}

/// How many times the reactor took the connection to @p port off its lists
/// and called its connectionLost() with a reason that starts with @p reason.
int reactorEnded(const std::string& trace, const std::string& port,
                 const std::string& reason) {
  int ended = 0;
  for (const auto& line : lines(trace)) {
    if (line.starts_with("reactor: removed tcp.Connection ") &&
        has(line, ":" + port + " -> connectionLost(" + reason)) {
      ++ended;
    }
  }
  return ended;
}

// ---------------------------------------------------------------------------
// A scene: the servers, the client run against them, and the story of it.

/// Chunk sizes and pauses of the servers the tests start.
const std::vector<std::string> kFast = {"--delay", "0.001", "--num-bytes", "200"};
// One chunk of 20 characters, then a pause of an hour: a server that stalls.
const std::vector<std::string> kStalled = {"--delay", "3600", "--num-bytes", "20"};
// 5 characters every 0.05 s: a poem that keeps coming, for about 8 s. A
// timeout must cut it short; a client still reading it long after the timeout
// proves at once that its timer does not work.
const std::vector<std::string> kSteady = {"--delay", "0.05", "--num-bytes", "5"};
constexpr int kSteadyCharsPerSecond = 100;

// How long a client that should end may take before the test decides it never
// will: far beyond the timeouts below, even on a loaded machine.
constexpr auto kEndsWithin = 20s;

/// One test's world: the servers it starts, the exercise's program run
/// against them, and the story a failed check tells about it.
class Scene {
 public:
  explicit Scene(std::string exercise) : exercise_(std::move(exercise)) {}

  /// Starts a slowpoetry server; @return its port, as an argument.
  std::string serve(const std::string& poem, const std::vector<std::string>& args,
                    const std::string& how) {
    servers_.push_back(std::make_unique<PoetryServer>(poemPath(poem), args));
    const std::string port = std::to_string(servers_.back()->port());
    told_ += "    " + port + ": " + how + "\n";
    return port;
  }
  std::string fast(const std::string& poem, int characters) {
    return serve(
        poem, kFast,
        "serves " + poem + " (" + std::to_string(characters) + " characters) fast");
  }
  std::string stalled() {
    return serve("patient-socket.txt", kStalled,
                 "sends the first 20 characters of patient-socket.txt, then stalls");
  }
  std::string steady() {
    steadyPort_ = serve("patient-socket.txt", kSteady,
                        "serves patient-socket.txt (850 characters), 5 characters every "
                        "0.05 s: about 8 s in all");
    return steadyPort_;
  }
  std::string refusing() {
    refusing_.push_back(std::make_unique<RefusingPort>());
    const std::string port = std::to_string(refusing_.back()->port());
    told_ += "    " + port + ": nothing listens; a connect is refused\n";
    return port;
  }
  /// Runs the exercise's program with @p args (and REACTOR_TRACE=1 if @p trace).
  void run(const std::vector<std::string>& args, bool trace = false) {
    command_ = "get-poetry";
    for (const auto& arg : args) command_ += " " + arg;
    if (trace) command_ = "REACTOR_TRACE=1 " + command_;
    std::vector<std::string> env;
    if (trace) env.emplace_back("REACTOR_TRACE=1");
    client_ = std::make_unique<Process>(program(exercise_), args, env);
  }

  /// Waits until the program exits, at most @p bound. Stops early, with the
  /// proof, when the program cannot be right any more:
  /// - with a steady server and a timeout, once the program is seen reading
  ///   that poem well past the timeout: twice, in two reads, past what the
  ///   server sent in twice the timeout (a working timer cuts it off first);
  /// - once it has printed "Unhandled error" and then does not end within a
  ///   few seconds.
  /// @return true if it exited
  bool finish(double timeout = 0, std::chrono::milliseconds bound = kEndsWithin) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + bound;
    const int limit = static_cast<int>(2 * timeout * kSteadyCharsPerSecond);
    int got = 0;
    int lateReads = 0;
    const auto lateRead = [&](const std::string& line) {
      if (timeout <= 0 || steadyPort_.empty()) return false;
      const auto bytes = bytesReadFrom(line, steadyPort_);
      if (!bytes) return false;
      got += *bytes;
      if (got > limit) ++lateReads;
      return lateReads >= 2;
    };
    while (Clock::now() < deadline) {
      const auto slice = Clock::now();
      if (client_->waitForLine(lateRead, 250ms)) {
        client_->kill(SIGKILL);
        client_->wait();
        happened_ = "it was still reading the poem from " + steadyPort_ + " (" +
                    std::to_string(got) + " characters in) long after --timeout " +
                    seconds(timeout) + " should have cut it off, so the test stopped it";
        return false;
      }
      if (Clock::now() - slice < 200ms) break;  // its output is closed: it is ending
      if (has(client_->err(), "Unhandled error")) {
        const auto status = client_->wait(3s);
        if (!status) {
          happened_ =
              "after the \"Unhandled error\" on its stderr it did not end within "
              "3 s, so the test stopped it";
          return false;
        }
        status_ = *status;
        happened_ = describeStatus(*status);
        return true;
      }
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const auto status = client_->wait(std::max(left, std::chrono::milliseconds(1000)));
    if (!status) {
      happened_ = "it was still running after " +
                  std::to_string(
                      std::chrono::duration_cast<std::chrono::seconds>(bound).count()) +
                  " s, so the test stopped it";
      return false;
    }
    status_ = *status;
    happened_ = describeStatus(*status);
    return true;
  }

  const std::string& out() const { return client_->out(); }
  const std::string& err() const { return client_->err(); }
  std::optional<int> status() const { return status_; }

  /// What was run, against what, and what happened, with the output.
  std::string story() const {
    int traceLines = 0;
    const std::string err = withoutTrace(client_->err(), traceLines);
    std::string text = "What ran: " + command_ + "\n  (" + exercise_ + "/get-poetry)\n";
    if (!told_.empty()) text += "The servers:\n" + told_;
    text += "What happened: " + happened_ + ".\n";
    text += "Its stdout:\n" + indented(client_->out());
    text += "Its stderr";
    if (traceLines > 0) {
      text += " (without the " + std::to_string(traceLines) + " lines of REACTOR_TRACE)";
    }
    text += ":\n" + indented(err);
    if (crashedOrHung()) text += "Its last lines of REACTOR_TRACE:\n" + traceTail(15);
    return text;
  }

  /// Whether the program was killed by a signal, or stopped because it did
  /// not end: then the trace's last lines show where it was.
  bool crashedOrHung() const { return !status_ || *status_ > 128; }

  /// The last @p count trace lines, indented; "(none)" without the trace.
  std::string traceTail(std::size_t count) const {
    std::vector<std::string> trace;
    for (const auto& line : lines(client_->err())) {
      if (line.starts_with("reactor: ")) trace.push_back(line);
    }
    if (trace.empty()) return "    (none: the test ran it without REACTOR_TRACE)\n";
    std::string text;
    for (std::size_t i = trace.size() > count ? trace.size() - count : 0;
         i < trace.size(); ++i) {
      text += "    | " + printableLine(trace[i], 300) + "\n";
    }
    return text;
  }

  /// Records a failure: what was expected, what to look at, and (the first
  /// time in a test) the story.
  void fail(const std::string& expected, const std::string& lookAt) {
    std::string message = "Expected: " + expected + "\n";
    if (!lookAt.empty()) message += "Look at:  " + lookAt + "\n";
    if (!storyTold_) message += story();
    storyTold_ = true;
    ADD_FAILURE() << message;
  }

  /// fail() unless @p ok. @return ok
  bool check(bool ok, const std::string& expected, const std::string& lookAt = "") {
    if (!ok) fail(expected, lookAt);
    return ok;
  }

  /// check()s that the program exited with @p status. What to look at is
  /// @p lookAt unless stderr or the way it ended names a likelier cause.
  bool exitedWith(int status, const std::string& lookAt = "") {
    return check(status_ == status,
                 "the program ends with exit status " + std::to_string(status) + ".",
                 likelyCause(lookAt));
  }

  /// The advice that fits what went wrong: a cancel() that threw, a crash,
  /// a hang; else @p otherwise.
  std::string likelyCause(const std::string& otherwise) const {
    const std::string& err = client_->err();
    if (has(err, "cancel(): already called") || has(err, "AlreadyCalled")) {
      return "cancel() threw AlreadyCalled: the timer had already run (it is what "
             "timed the poem out). Ask active() before cancel().";
    }
    if (has(err, "cancel(): already cancelled") || has(err, "AlreadyCancelled")) {
      return "cancel() threw AlreadyCancelled: the timer was cancelled before. Ask "
             "active() before cancel().";
    }
    if (status_ && *status_ > 128) {
      return "the crash. Most often an object used after it was destroyed: a timer "
             "that fires on a socket or protocol that is gone (cancel it however the "
             "poem ends, a reset too). The trace's last lines below show what ran last.";
    }
    if (!status_) {
      return "why it never ends: a connection nobody closes, a timer never armed, a "
             "reactor nobody stops. The trace's last lines below show what it did last.";
    }
    return otherwise;
  }

  /// check()s that stderr reports no error from a callback: the shim prints
  /// "Unhandled error in ..." for an exception a callback let through.
  bool noUnhandledError() {
    return check(!has(client_->err(), "Unhandled error"),
                 "no \"Unhandled error\" on stderr: no callback may throw.",
                 "the error's words on stderr; cancel() throws when the call has "
                 "already run or was cancelled, and stop() when the reactor is "
                 "already stopping.");
  }

 private:
  std::string exercise_;
  std::vector<std::unique_ptr<PoetryServer>> servers_;
  std::vector<std::unique_ptr<RefusingPort>> refusing_;
  std::string told_;
  std::string steadyPort_;
  std::string command_;
  std::unique_ptr<Process> client_;
  std::optional<int> status_;
  std::string happened_ = "it has not ended yet";
  bool storyTold_ = false;
};

/// The lines of the final report ("Task N: failed", "Task N: M characters of
/// poetry...") in the order printed.
std::vector<std::string> reportLines(const std::string& out) {
  std::vector<std::string> found;
  for (const auto& line : lines(out)) {
    std::string_view rest;
    if (isFailedLine(line) || reportedCharacters(line, rest)) found.push_back(line);
  }
  return found;
}

/// How many times @p line appears, whole, in @p out.
int countLines(const std::string& out, const std::string& line) {
  int n = 0;
  for (const auto& each : lines(out)) n += each == line ? 1 : 0;
  return n;
}

/// The task number client 2.0 gave the connection to @p port, or 0.
int taskOfPort(const std::string& out, const std::string& port) {
  for (const auto& [task, peer] : parseClientReport(out).peerOfTask) {
    if (has(peer, "port=" + port + ")")) return task;
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Exercise 1 (Part 4): client 1.0 survives a refused connection.

constexpr const char* kEx1 = "01-survive-refusal";
constexpr const char* kEx1Files = "exercises/01-survive-refusal/main.cpp, poetryMain()";

TEST(Exercise01, ARefusedAddressIsReportedAndTheOtherPoemsArrive) {
  Scene scene(kEx1);
  const std::string first = scene.fast("small-hours.txt", 622);
  const std::string refused = scene.refusing();
  const std::string third = scene.fast("three-lighthouses.txt", 875);
  scene.run({first, refused, third});
  scene.finish();
  if (!scene.exitedWith(0, std::string(kEx1Files) +
                               ": catch ConnectError around one address, not around "
                               "the whole loop.")) {
    return;
  }
  const std::string line =
      "Task 2: cannot connect to 127.0.0.1:" + refused + ": Connection refused";
  if (has(scene.err(), line)) {
    scene.fail("the line '" + line + "' on stdout.",
               "it went to stderr: print it with std::cout, as the other Task lines.");
  } else {
    scene.check(countLines(scene.out(), line) == 1,
                "the line '" + line +
                    "' on stdout, once: 'Task 2: ' and the "
                    "ConnectError's what().",
                kEx1Files);
  }
  scene.check(has(scene.out(), "Task 1: 622 characters of poetry\n"),
              "'Task 1: 622 characters of poetry' in the report.");
  scene.check(has(scene.out(), "Task 2: failed\n"),
              "'Task 2: failed' in the report, for the refused address.");
  scene.check(has(scene.out(), "Task 3: 875 characters of poetry\n"),
              "'Task 3: 875 characters of poetry' in the report.");
  scene.check(has(scene.out(), "Got 3 poems in "),
              "'Got 3 poems in ...': every address counts, the refused one too.");
}

TEST(Exercise01, TheReportListsEveryTaskInTaskOrder) {
  Scene scene(kEx1);
  const std::string refused = scene.refusing();
  const std::string second = scene.fast("small-hours.txt", 622);
  const std::string refusedToo = scene.refusing();
  scene.run({refused, second, refusedToo});
  scene.finish();
  if (!scene.exitedWith(0)) return;
  const std::vector<std::string> want = {
      "Task 1: failed", "Task 2: 622 characters of poetry", "Task 3: failed"};
  scene.check(reportLines(scene.out()) == want,
              "the report, in task order:\n    Task 1: failed\n    Task 2: 622 "
              "characters of poetry\n    Task 3: failed",
              "the loop that prints the report: one line per address, failed or not, "
              "in the order of the arguments.");
}

TEST(Exercise01, WhenNoServerCanBeReachedItEndsAtOnce) {
  Scene scene(kEx1);
  const std::string first = scene.refusing();
  const std::string second = scene.refusing();
  scene.run({first, second});
  scene.finish();
  if (!scene.exitedWith(0,
                        "with every address refused there is nothing to read: do "
                        "not run the reactor (nothing would ever stop it).")) {
    return;
  }
  scene.check(has(scene.out(), "Task 1: failed\nTask 2: failed\n"),
              "'Task 1: failed' and 'Task 2: failed' in the report.");
}

TEST(Exercise01, TheHelpNoLongerSaysARefusalEndsTheProgram) {
  Scene scene(kEx1);
  scene.run({"--help"});
  scene.finish();
  if (!scene.exitedWith(0)) return;
  scene.check(!has(scene.out(), "1 if a server could not be"),
              "--help no longer promises exit status 1 when a server cannot be reached: "
              "it is not true any more.",
              "the last argument of parseClientArgs() in poetryMain(): what the help "
              "says about the exit status (see common/Arguments.h).");
}

// ---------------------------------------------------------------------------
// Exercises 2 and 3: the timeout. Client 1.0 (exercise 2) and client 2.0
// (exercise 3) must behave the same; what differs is how they close.

constexpr const char* kEx2 = "02-client1-timeout";
constexpr const char* kEx3 = "03-client2-timeout";

/// The task a poem got: client 1.0 numbers them by argument, client 2.0 by
/// the order its connections were made.
int taskOf(const Scene& scene, const std::string& exercise, const std::string& port,
           int argumentPosition) {
  return exercise == kEx2 ? argumentPosition : taskOfPort(scene.out(), port);
}

/// The ports of a timeout test's three servers.
struct ThreePorts {
  std::string fast, stalled, steady;
};

/// Starts a fast server (small-hours.txt), a stalled one and a steady one,
/// runs @p scene's client on them with --timeout 1 and the trace on, and
/// waits for it as a client with a 1 s timeout may take.
ThreePorts runFastStalledAndSteady(Scene& scene) {
  ThreePorts ports{scene.fast("small-hours.txt", 622), scene.stalled(), scene.steady()};
  scene.run({"--timeout", "1", ports.fast, ports.stalled, ports.steady}, true);
  scene.finish(1);
  return ports;
}

/// A fast poem, a stalled one and a steady one, with --timeout 1: the
/// stalled and the steady poems time out, with what arrived; the fast one
/// does not; exactly two timers fire; no callback throws.
void stalledPoemsTimeOut(const std::string& exercise) {
  Scene scene(exercise);
  const auto [fast, stalled, steady] = runFastStalledAndSteady(scene);
  if (!scene.exitedWith(0,
                        "with --timeout 1 the client gives up on the stalled and "
                        "the steady poem after a second, and ends.")) {
    return;
  }
  const int stalledTask = taskOf(scene, exercise, stalled, 2);
  const int steadyTask = taskOf(scene, exercise, steady, 3);
  const int fastTask = taskOf(scene, exercise, fast, 1);
  if (!scene.check(stalledTask != 0 && steadyTask != 0 && fastTask != 0,
                   "a 'Task N: got M bytes of poetry from ...' line for every server.")) {
    return;
  }
  const std::string s = "Task " + std::to_string(stalledTask);
  const std::string w = "Task " + std::to_string(steadyTask);
  const std::string f = "Task " + std::to_string(fastTask);
  scene.check(countLines(scene.out(), s + " timed out") == 1,
              "'" + s + " timed out', once, when the stalled poem's timer fires.",
              "timeOut().");
  scene.check(countLines(scene.out(), s + ": 20 characters of poetry (timed out)") == 1,
              "'" + s +
                  ": 20 characters of poetry (timed out)' in the report, once: "
                  "what arrived, and that it timed out.");
  scene.check(countLines(scene.out(), w + " timed out") == 1,
              "'" + w +
                  " timed out', once: the steady poem takes about 8 s, and "
                  "--timeout 1 limits the whole poem, not the wait for the next chunk.",
              "where the timer is armed: once per poem, when it starts; never again.");
  const auto steadyCount = [&]() -> std::optional<int> {
    for (const auto& line : lines(scene.out())) {
      std::string_view rest;
      const auto count = reportedCharacters(line, rest);
      if (count && line.starts_with(w + ": ") && rest == " (timed out)") return count;
    }
    return std::nullopt;
  }();
  scene.check(steadyCount && *steadyCount < 850,
              "'" + w +
                  ": N characters of poetry (timed out)', with N < 850: the part "
                  "of the steady poem that arrived in time.");
  scene.check(countLines(scene.out(), f + ": 622 characters of poetry") == 1,
              "'" + f +
                  ": 622 characters of poetry' in the report, once: the fast "
                  "poem finishes and is not timed out.");
  scene.check(!has(scene.out(), f + " timed out"),
              "no '" + f + " timed out': the fast poem was done long before.",
              "connectionLost(): cancel the timer of a poem that is done.");
  scene.check(timersFired(scene.err(), "1") == 2,
              "exactly two timers fire (REACTOR_TRACE shows " +
                  std::to_string(timersFired(scene.err(), "1")) +
                  "): the stalled poem's and the steady poem's.",
              "connectionLost(): cancel the timer if it is still active.");
  scene.check(reportLines(scene.out()).size() == 3,
              "three lines in the final report, one per poem.");
  scene.check(has(scene.out(), "Got 3 poems in "), "'Got 3 poems in ...' at the end.");
  scene.noUnhandledError();
}

/// --timeout 0.5: the timer is armed with exactly that value.
void fractionalTimeoutIsHonoured(const std::string& exercise) {
  Scene scene(exercise);
  const std::string stalled = scene.stalled();
  const std::string steady = scene.steady();
  scene.run({"--timeout", "0.5", stalled, steady}, true);
  scene.finish(0.5);
  if (!scene.exitedWith(0,
                        "with --timeout 0.5 the client gives up on both poems "
                        "after half a second.")) {
    return;
  }
  scene.check(timersFired(scene.err(), "0.5") == 2,
              "two timers of 0.5 s fire (REACTOR_TRACE: 'callLater(0.5) is due'); "
              "the trace shows " +
                  std::to_string(timersFired(scene.err(), "0.5")) + ".",
              "the value you hand to callLater(): --timeout's seconds, as a double, "
              "not rounded and not a fixed number.");
  scene.noUnhandledError();
}

/// A fast poem and --timeout 30: no timer fires, nothing times out.
void finishedPoemsDoNotTimeOut(const std::string& exercise) {
  Scene scene(exercise);
  const std::string fast = scene.fast("small-hours.txt", 622);
  scene.run({"--timeout=30", fast}, true);
  scene.finish();
  if (!scene.exitedWith(0)) return;
  scene.check(has(scene.out(), "Task 1: 622 characters of poetry\n"),
              "'Task 1: 622 characters of poetry' in the report.");
  scene.check(!has(scene.out(), "timed out"), "nothing times out.");
  scene.noUnhandledError();
}

/// No --timeout at all: no limit, so nothing times out.
void withoutTimeoutNothingTimesOut(const std::string& exercise) {
  Scene scene(exercise);
  const std::string first = scene.fast("small-hours.txt", 622);
  const std::string second = scene.fast("three-lighthouses.txt", 875);
  scene.run({first, second}, true);
  scene.finish();
  if (!scene.exitedWith(0)) return;
  scene.check(!has(scene.out(), "timed out"),
              "nothing times out: without --timeout there is no limit.",
              "arm the timer only when timeout > 0.");
  scene.check(reportLines(scene.out()).size() == 2 &&
                  has(scene.out(), ": 622 characters of poetry\n") &&
                  has(scene.out(), ": 875 characters of poetry\n"),
              "both poems whole in the report: 622 and 875 characters.");
  scene.noUnhandledError();
}

// ---------------------------------------------------------------------------
// Exercise 2 (Part 4): client 1.0 with a timeout.

TEST(Exercise02, StalledPoemsTimeOutWithWhatArrivedAndTheOthersFinish) {
  stalledPoemsTimeOut(kEx2);
}

TEST(Exercise02, AFractionalTimeoutIsHonoured) { fractionalTimeoutIsHonoured(kEx2); }

TEST(Exercise02Guard, PoemsThatFinishInTimeAreNotTimedOut) {
  finishedPoemsDoNotTimeOut(kEx2);
}

TEST(Exercise02Guard, WithoutTimeoutNothingTimesOut) {
  withoutTimeoutNothingTimesOut(kEx2);
}

TEST(Exercise02Guard, ABadTimeoutIsAUsageError) {
  Scene scene(kEx2);
  scene.run({"--timeout", "0", "10000"});
  scene.finish();
  scene.exitedWith(2, "the option parsing, which was right before you started.");
}

// ---------------------------------------------------------------------------
// Exercise 3 (Part 5): client 2.0 with --timeout.

TEST(Exercise03, StalledPoemsTimeOutWithWhatArrivedAndTheOthersFinish) {
  stalledPoemsTimeOut(kEx3);
}

TEST(Exercise03, ATimedOutConnectionIsClosedByTheTransportAndTheReactor) {
  Scene scene(kEx3);
  const auto [fast, stalled, steady] = runFastStalledAndSteady(scene);
  if (!scene.exitedWith(0)) return;
  for (const auto& port : {stalled, steady}) {
    const int task = taskOfPort(scene.out(), port);
    const int ended = reactorEnded(scene.err(), port, "ConnectionDone");
    scene.check(ended == 1,
                "the connection to " + port + " (task " + std::to_string(task) +
                    ") ends exactly once, in the reactor: REACTOR_TRACE shows 'removed "
                    "tcp.Connection 127.0.0.1:" +
                    port + " -> connectionLost(ConnectionDone...)' once; it shows it " +
                    std::to_string(ended) + " times.",
                ended == 0
                    ? "timeOut(): call transport->loseConnection(), not "
                      "connectionLost(): the reactor never closed this connection, so "
                      "its socket stayed open. The transport closes the socket and the "
                      "reactor calls connectionLost() for you."
                    : "timeOut(): call transport->loseConnection() and nothing else; "
                      "the reactor calls connectionLost() once, by itself.");
    scene.check(
        countLines(scene.out(), "Task " + std::to_string(task) + " timed out") == 1,
        "'Task " + std::to_string(task) + " timed out', once.");
  }
  scene.check(reportLines(scene.out()).size() == 3,
              "three lines in the final report: each protocol hands its poem over "
              "once, in connectionLost().");
  scene.noUnhandledError();
}

TEST(Exercise03, AFractionalTimeoutIsHonoured) { fractionalTimeoutIsHonoured(kEx3); }

TEST(Exercise03Guard, PoemsThatFinishInTimeAreNotTimedOut) {
  finishedPoemsDoNotTimeOut(kEx3);
}

TEST(Exercise03Guard, WithoutTimeoutNothingTimesOut) {
  withoutTimeoutNothingTimesOut(kEx3);
}

// ---------------------------------------------------------------------------
// Exercise 4 (Part 5): who calls connectionLost()?

constexpr const char* kEx4 = "04-connection-lost-stack";

/// The stacks a client printed, in the order printed, with the header line
/// above each.
std::vector<std::pair<std::string, std::vector<workbook::StackFrame>>> stacksInOrder(
    const std::string& err) {
  std::vector<std::pair<std::string, std::vector<workbook::StackFrame>>> stacks;
  std::string header;
  std::string body;
  const auto flush = [&] {
    if (header.empty()) return;
    std::istringstream in(body);
    stacks.emplace_back(header, workbook::parseStack(in));
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

/// Where in @p stacks the first header starting with @p prefix is, or -1.
int stackIndex(
    const std::vector<std::pair<std::string, std::vector<workbook::StackFrame>>>& stacks,
    const std::string& prefix) {
  for (std::size_t i = 0; i < stacks.size(); ++i) {
    if (stacks[i].first.starts_with(prefix)) return static_cast<int>(i);
  }
  return -1;
}

/// Whether a frame's function is @p name. The reactor's loop lives in
/// internet::Reactor or, once the shim splits it, internet::ReactorBase:
/// either counts.
bool isCall(const workbook::StackFrame& frame, const std::string& name) {
  if (frame.function.starts_with(name)) return true;
  const std::string reactor = "internet::Reactor::";
  return name.starts_with(reactor) &&
         frame.function.starts_with("internet::ReactorBase::" +
                                    name.substr(reactor.size()));
}

/// The first of @p names that is not in @p stack, in this order; or "".
std::string missingCall(const std::vector<workbook::StackFrame>& stack,
                        const std::vector<std::string>& names) {
  std::size_t at = 0;
  for (const auto& name : names) {
    while (at < stack.size() && !isCall(stack[at], name)) ++at;
    if (at == stack.size()) return name;
    ++at;
  }
  return "";
}

/// Checks one printed stack: the whole chain from main() down to @p self,
/// which must be its last frame, and no doRead().
void checkStack(Scene& scene, const std::vector<workbook::StackFrame>& stack,
                const std::vector<std::string>& chain, const std::string& self) {
  std::vector<std::string> names = {
      "main", "internet::Reactor::run", "internet::Reactor::doReadOrWrite",
      "internet::Reactor::disconnectSelectable", "internet::tcp::Client::connectionLost"};
  names.insert(names.end(), chain.begin(), chain.end());
  names.push_back(self);
  const std::string missing = missingCall(stack, names);
  scene.check(missing.empty(),
              "the stack printed in " + self + " shows " + missing +
                  " (after the calls before it: main, the reactor's loop, down to " +
                  self + ").",
              "printStackHere(): print the stack of its caller (common/Stack.h), "
              "called from " +
                  self + "() itself.");
  if (!missing.empty()) return;
  scene.check(stack.back().function.starts_with(self),
              "the last frame of the stack printed in " + self + " is " + self +
                  " itself; it is " + stack.back().function + ".",
              "currentStack(1) leaves printStackHere()'s own frame out; call "
              "printStackHere() right from " +
                  self + "().");
  for (const auto& frame : stack) {
    if (frame.function.starts_with("internet::tcp::Connection::doRead")) {
      scene.fail(
          "no doRead() on the stack: it has returned by the time connectionLost() "
          "runs.",
          "");
      break;
    }
  }
}

void expectConnectionLostStacks(Scene& scene, const std::string& reason) {
  const auto stacks = stacksInOrder(scene.err());
  const std::string protocolHeader = "--- PoetryProtocol::connectionLost(" + reason;
  const std::string factoryHeader =
      "--- PoetryClientFactory::clientConnectionLost(" + reason;
  const int inProtocol = stackIndex(stacks, protocolHeader);
  const int inFactory = stackIndex(stacks, factoryHeader);
  if (scene.check(inProtocol >= 0 && !stacks[inProtocol].second.empty(),
                  "'" + protocolHeader + "...) ---' on stderr and the stack under it.",
                  "PoetryProtocol::connectionLost(): call printStackHere(), and "
                  "printStackHere() must print the stack.")) {
    checkStack(scene, stacks[inProtocol].second,
               {"internet::tcp::Connection::connectionLost"},
               "PoetryProtocol::connectionLost");
  }
  if (scene.check(inFactory >= 0 && !stacks[inFactory].second.empty(),
                  "'" + factoryHeader + "...) ---' on stderr and the stack under it.",
                  "PoetryClientFactory::clientConnectionLost(): call printStackHere() "
                  "with this method's name.")) {
    checkStack(scene, stacks[inFactory].second,
               {"internet::tcp::Connector::connectionLost"},
               "PoetryClientFactory::clientConnectionLost");
  }
  if (inProtocol >= 0 && inFactory >= 0) {
    scene.check(inProtocol < inFactory,
                "the protocol's stack first, then the factory's: the protocol hears of "
                "the end first.");
  }
}

TEST(Exercise04, StacksForACleanClose) {
  Scene scene(kEx4);
  const std::string port = scene.fast("small-hours.txt", 622);
  scene.run({port});
  scene.finish();
  if (!scene.exitedWith(0)) return;
  expectConnectionLostStacks(scene, "ConnectionDone");
}

TEST(Exercise04, StacksForAReset) {
  Scene scene(kEx4);
  const std::string port = scene.serve(
      "small-hours.txt", {"--delay", "0.01", "--num-bytes", "20", "--reset-after", "2"},
      "sends 2 chunks of 20 characters of small-hours.txt, then resets the "
      "connection (slowpoetry --reset-after 2)");
  scene.run({port});
  scene.finish();
  if (!scene.exitedWith(0)) return;
  expectConnectionLostStacks(scene, "ConnectionLost");
}

// ---------------------------------------------------------------------------
// answers.txt, read by hand: a line is at most one answer, whatever its length.

constexpr int kQuestions = 4;

/// What answers.txt says to one question: its letter, or why it has none.
struct Answer {
  char letter = 0;    ///< 'a' to 'd'; 0 if the answer is not one letter
  std::string fault;  ///< "hedged: ...", "answered twice: ...", ...
};

std::string_view trimmedFront(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  return text;
}

/// The first word of @p text (up to a space or tab), and drops it from @p text.
std::string_view takeWord(std::string_view& text) {
  text = trimmedFront(text);
  std::size_t end = 0;
  while (end < text.size() && text[end] != ' ' && text[end] != '\t') ++end;
  const auto word = text.substr(0, end);
  text.remove_prefix(end);
  return word;
}

/// @return the letter if @p word is one choice, "b", "b)" or "b.", else 0.
char choiceLetter(std::string_view word) {
  if (word.size() == 2 && (word[1] == ')' || word[1] == '.' || word[1] == ',')) {
    word.remove_suffix(1);
  }
  if (word.size() != 1) return 0;
  const char letter =
      static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
  return letter >= 'a' && letter <= 'd' ? letter : 0;
}

/// Reads one "N: letter notes..." line. @return the question's number, or 0
/// if the line is not an answer (a comment, a note of its own).
int readAnswerLine(std::string_view line, Answer& answer) {
  std::string_view rest = trimmedFront(line);
  std::size_t digits = 0;
  while (digits < rest.size() && digits < 3 &&
         std::isdigit(static_cast<unsigned char>(rest[digits]))) {
    ++digits;
  }
  if (digits == 0) return 0;
  const int number = std::stoi(std::string(rest.substr(0, digits)));
  rest = trimmedFront(rest.substr(digits));
  if (rest.empty() || (rest[0] != ':' && rest[0] != '.' && rest[0] != ')')) return 0;
  rest.remove_prefix(1);
  const std::string_view word = takeWord(rest);
  answer.letter = choiceLetter(word);
  std::string_view after = rest;
  const std::string_view next = takeWord(after);
  const bool joined = next == "or" || next == "and" || next == "/";
  if (answer.letter == 0) {
    const bool several = word.size() > 1 && choiceLetter(word.substr(0, 1)) != 0 &&
                         word.find_first_of("/,|") != std::string_view::npos;
    answer.fault =
        several ? "more than one letter ('" + printableLine(word, 20) + "'): choose one"
                : "no letter a to d after the number ('" + printableLine(line, 60) + "')";
  } else if (joined && choiceLetter(takeWord(after)) != 0) {
    answer.letter = 0;
    answer.fault = "hedged ('" + printableLine(line, 40) + "'): choose one letter";
  }
  return number;
}

/// The answers in answers.txt, by question number; a question answered on
/// two lines is a fault, whatever the two say.
std::map<int, Answer> readAnswers(const std::string& text) {
  std::map<int, Answer> answers;
  for (const auto& line : lines(text)) {
    Answer answer;
    const int number = readAnswerLine(line, answer);
    if (number < 1 || number > kQuestions) continue;
    if (answers.contains(number)) {
      answers[number] = {0, "answered twice: one answer per question"};
    } else {
      answers[number] = answer;
    }
  }
  return answers;
}

TEST(Exercise04, TheAnswersGetTheKeyFacts) {
  const std::string path = sourceFile(kEx4, "answers.txt");
  if (!exists(path)) {
    ADD_FAILURE() << "Expected: your answers in " << path
                  << " (the starter has the file; answer each question with a letter).";
    return;
  }
  const auto answers = readAnswers(readFile(path));
  // The key facts; README.md asks the questions.
  const std::vector<std::pair<char, std::string>> key = {
      {'b', "who calls PoetryProtocol::connectionLost()"},
      {'c', "why doRead() is not on the stack"},
      {'a', "what differs between a clean close and a reset"},
      {'b', "in which order the protocol and the factory hear of the end"}};
  std::string which;
  for (int n = 1; n <= kQuestions; ++n) {
    const auto found = answers.find(n);
    const std::string topic = key[n - 1].second;
    std::string why;
    if (found == answers.end()) {
      why = " (no answer yet: write '" + std::to_string(n) + ": x')";
    } else if (!found->second.fault.empty()) {
      why = " (" + found->second.fault + ")";
    } else if (found->second.letter != key[n - 1].first) {
      why = "";
    } else {
      continue;
    }
    which += "\n    question " + std::to_string(n) + ": " + topic + why;
  }
  if (which.empty()) return;
  ADD_FAILURE() << "Expected: answers.txt answers each of the four questions with one "
                   "letter, and gets all four right; these are not answered, not "
                   "answered with one letter, or not right yet:"
                << which
                << "\nLook at:  the two stacks your program prints, and README.md's "
                   "questions.";
}

}  // namespace

int main(int argc, char* argv[]) {
  testing::InitGoogleTest(&argc, argv);
  grading::registerMatrixTests(program);
  return RUN_ALL_TESTS();
}
