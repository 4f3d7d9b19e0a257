#include "tests/support/Process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace testing_support {

namespace {

void closeFd(int& fd) {
  if (fd != -1) close(fd);
  fd = -1;
}

}  // namespace

Process::Process(const std::string& program, const std::vector<std::string>& args,
                 const std::vector<std::string>& env) {
  std::array<int, 2> outPipe{};
  std::array<int, 2> errPipe{};
  if (pipe2(outPipe.data(), O_CLOEXEC) != 0 || pipe2(errPipe.data(), O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe2 failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);

  std::vector<std::string> argStrings{program};
  argStrings.insert(argStrings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argStrings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // Ours replace any inherited entry of the same name.
  const auto overridden = [&env](std::string_view entry) {
    const auto name = entry.substr(0, entry.find('=') + 1);
    return std::any_of(env.begin(), env.end(),
                       [&name](const std::string& e) { return e.starts_with(name); });
  };
  std::vector<std::string> envStrings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!overridden(*e)) envStrings.emplace_back(*e);
  }
  envStrings.insert(envStrings.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& entry : envStrings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int rc =
      posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(outPipe[1]);
  close(errPipe[1]);
  outFd_ = outPipe[0];
  errFd_ = errPipe[0];
  if (rc != 0) {
    closeFd(outFd_);
    closeFd(errFd_);
    throw std::runtime_error("cannot start " + program + ": " + std::strerror(rc));
  }
}

Process::~Process() {
  if (!status_) {
    kill(SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  closeFd(outFd_);
  closeFd(errFd_);
}

void Process::kill(int signal) const { ::kill(pid_, signal); }

bool Process::pump(std::chrono::steady_clock::time_point deadline) {
  std::array<pollfd, 2> fds{{{outFd_, POLLIN, 0}, {errFd_, POLLIN, 0}}};
  if (outFd_ == -1 && errFd_ == -1) return false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return true;
  if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) <= 0) return true;

  std::array<char, 65536> buffer{};
  const auto drain = [&buffer](const pollfd& p, int& fd, std::string& sink) {
    if (fd == -1 || (p.revents & (POLLIN | POLLHUP | POLLERR)) == 0) return;
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n > 0) {
      sink.append(buffer.data(), static_cast<std::size_t>(n));
    } else {
      closeFd(fd);
    }
  };
  drain(fds[0], outFd_, out_);
  drain(fds[1], errFd_, err_);
  return true;
}

std::optional<std::string> Process::waitForLine(
    const std::function<bool(const std::string&)>& match,
    std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (auto newline = out_.find('\n', scanned_); newline != std::string::npos;
         newline = out_.find('\n', scanned_)) {
      std::string line = out_.substr(scanned_, newline - scanned_);
      scanned_ = newline + 1;
      if (match(line)) return line;
    }
    if (std::chrono::steady_clock::now() >= deadline || !pump(deadline))
      return std::nullopt;
  }
}

bool Process::waitForError(const std::string& part, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (err_.find(part) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline || !pump(deadline)) return false;
  }
  return true;
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && pump(deadline)) {
  }
  int status = 0;
  rusage usage{};
  pid_t done = wait4(pid_, &status, WNOHANG, &usage);
  while (done == 0 && std::chrono::steady_clock::now() < deadline) {
    // The pipes are closed but the process has not exited yet: poll briefly.
    poll(nullptr, 0, 5);
    done = wait4(pid_, &status, WNOHANG, &usage);
  }
  if (done != pid_) return std::nullopt;
  // It may have exited with output still in the pipes (a short @p timeout
  // ends the reading above first): read the rest, which is there already.
  const auto drained = std::chrono::steady_clock::now() + 2s;
  while (std::chrono::steady_clock::now() < drained && pump(drained)) {
  }
  peakMemory_ = usage.ru_maxrss * 1024L;  // Linux reports KiB
  status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return status_;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) result.push_back(line);
  return result;
}

}  // namespace testing_support
