// Runs a program under test with its stdout and stderr captured, and waits on
// what it prints, or on its exit, with a bound: tests never sleep blindly.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace testing_support {

using namespace std::chrono_literals;

/// A child process with captured output. Killed on destruction if still running.
class Process {
 public:
  /// Starts @p program with @p args (argv[0] is added); "NAME=value" entries
  /// in @p env are added to the environment, replacing inherited ones.
  Process(const std::string& program, const std::vector<std::string>& args,
          const std::vector<std::string>& env = {});
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Reads output until a whole stdout line satisfies @p match, the process
  /// closes its output, or @p timeout passes.
  /// @return the first matching line, or nothing
  std::optional<std::string> waitForLine(
      const std::function<bool(const std::string&)>& match,
      std::chrono::milliseconds timeout = 30s);

  /// Reads output until stderr contains @p part, the process closes its
  /// output, or @p timeout passes. @return true if stderr contains @p part
  bool waitForError(const std::string& part, std::chrono::milliseconds timeout = 30s);

  /// Reads all output and waits for the process to exit, at most @p timeout.
  /// @return the exit status (128 + N for death by signal N), or nothing if it
  ///         was still running (it is then killed)
  std::optional<int> wait(std::chrono::milliseconds timeout = 60s);

  /// Sends @p signal to the process.
  void kill(int signal) const;

  /// @return the peak resident memory of the process in bytes, once wait()
  ///         has seen it exit.
  long peakMemoryBytes() const { return peakMemory_; }

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }

 private:
  /// Reads what is available, waiting at most until @p deadline.
  /// @return false once both pipes are closed
  bool pump(std::chrono::steady_clock::time_point deadline);

  pid_t pid_ = -1;
  int outFd_ = -1;
  int errFd_ = -1;
  std::string out_;
  std::string err_;
  std::size_t scanned_ = 0;  // how much of out_ waitForLine() has looked at
  std::optional<int> status_;
  long peakMemory_ = 0;
};

/// Splits @p text into lines (without the newlines).
std::vector<std::string> lines(const std::string& text);

}  // namespace testing_support
