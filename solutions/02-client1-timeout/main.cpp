// Exercise 2 (Part 4), solved: client 1.0 with a timeout. Each PoetrySocket
// arms a callLater() when it starts; if the poem is not done when it fires,
// the socket stops reading, closes and reports the poem as timed out. A poem
// that finishes in time cancels its timer.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "common/Arguments.h"
#include "common/Connect.h"
#include "common/Output.h"
#include "common/Text.h"
#include "internet/Reactor.h"

namespace {

/// Exit status when a server cannot be reached: client 1.0 cannot go on.
constexpr int kConnectFailed = 1;

/// One download: a socket the reactor watches for us.
class PoetrySocket : public internet::IReadDescriptor {
 public:
  /// @param timeout seconds the poem may take, or 0 for no limit
  PoetrySocket(internet::Reactor& reactor, int taskNum, workbook::ServerAddress address,
               double timeout)
      : reactor_(reactor), taskNum_(taskNum), address_(std::move(address)) {
    sock_ = workbook::connectBlocking(address_);  // the tutorial's sock.connect()
    // From now on the socket must never block: the reactor tells us when to read.
    fcntl(sock_, F_SETFL, fcntl(sock_, F_GETFL) | O_NONBLOCK);
    reactor_.addReader(this);
    if (timeout > 0) timeoutCall_ = reactor_.callLater(timeout, [this] { timeOut(); });
  }

  ~PoetrySocket() override {
    reactor_.removeReader(this);
    if (sock_ != -1) close(sock_);
  }

  int fileno() const override { return sock_; }

  std::optional<internet::Failure> doRead() override;
  void connectionLost(const internet::Failure& reason) override;
  std::string logPrefix() const override { return "PoetrySocket " + formatAddr(); }

  const std::string& poem() const { return poem_; }
  bool timedOut() const { return timedOut_; }

 private:
  void timeOut();
  std::string formatAddr() const { return workbook::formatHostPort(address_); }

  internet::Reactor& reactor_;
  int taskNum_;
  workbook::ServerAddress address_;
  int sock_ = -1;
  std::string poem_;
  std::optional<internet::DelayedCall> timeoutCall_;
  bool timedOut_ = false;
};

std::optional<internet::Failure> PoetrySocket::doRead() {
  std::string bytes;
  std::optional<internet::Failure> lost;  // why reading failed, if it did
  std::array<char, 1024> chunk{};
  while (!lost) {  // read until the socket would block or fail
    const ssize_t n = recv(sock_, chunk.data(), chunk.size(), 0);
    if (n > 0) {
      bytes.append(chunk.data(), static_cast<std::size_t>(n));
    } else if (n == 0 || errno == EWOULDBLOCK || errno == EAGAIN) {
      break;  // end of stream, or nothing more for now
    } else if (errno != EINTR) {
      lost = internet::Failure::fromErrno(internet::ErrorKind::ConnectionLost, errno);
    }
  }

  if (bytes.empty()) {
    if (lost) return lost;
    std::cout << "Task " << taskNum_ << " finished" << std::endl;
    return internet::Failure::connectionDone();
  }
  std::cout << "Task " << taskNum_ << ": got " << bytes.size() << " bytes of poetry from "
            << formatAddr() << std::endl;
  poem_ += bytes;  // kept even if reading then failed: the Python original loses it
  return lost;
}

//! [timeOut]
void PoetrySocket::timeOut() {
  std::cout << "Task " << taskNum_ << " timed out" << std::endl;
  timedOut_ = true;
  // Stop reading and close, as the reactor does when doRead() returns a reason.
  reactor_.removeReader(this);
  connectionLost(
      internet::Failure(internet::ErrorKind::Timeout, "the poem took too long"));
}
//! [timeOut]

//! [connectionLost]
void PoetrySocket::connectionLost(const internet::Failure& /*reason*/) {
  // Finished in time (or timed out just now): the timer must not fire later.
  if (timeoutCall_ && timeoutCall_->active()) timeoutCall_->cancel();
  close(sock_);
  sock_ = -1;
  reactor_.removeReader(this);  // the reactor did this already; it is harmless

  // Are any other poetry sockets still being read?
  for (internet::IReadDescriptor* reader : reactor_.getReaders()) {
    if (dynamic_cast<PoetrySocket*>(reader) != nullptr) return;
  }
  reactor_.stop();  // no more poetry
}
//! [connectionLost]

//! [poetryMain]
int poetryMain(int argc, char* argv[]) {
  double timeout = 0;
  const auto addresses = workbook::parseClientArgs(
      argc, argv, "Client 1.0 that gives up on a poem after a timeout.",
      {{.name = "--timeout",
        .help = "give up on a poem after this many seconds",
        .seconds = &timeout}},
      workbook::kClient1ExitStatus);

  const auto start = std::chrono::steady_clock::now();
  internet::Reactor reactor;
  std::vector<std::unique_ptr<PoetrySocket>> sockets;
  try {
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      sockets.push_back(std::make_unique<PoetrySocket>(reactor, static_cast<int>(i + 1),
                                                       addresses[i], timeout));
    }
  } catch (const workbook::ConnectError& e) {
    std::cerr << workbook::programName(argv[0]) << ": " << e.what() << '\n';
    return kConnectFailed;
  }

  reactor.run();

  const std::string elapsed = workbook::elapsedSince(start);
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    std::cout << "Task " << i + 1 << ": "
              << workbook::charactersForReport(static_cast<int>(i + 1),
                                               sockets[i]->poem())
              << " characters of poetry" << (sockets[i]->timedOut() ? " (timed out)" : "")
              << '\n';
  }
  std::cout << "Got " << addresses.size() << " poems in " << elapsed << std::endl;
  return 0;
}
//! [poetryMain]

}  // namespace

int main(int argc, char* argv[]) {
  return workbook::runWithOutputCheck(poetryMain, argc, argv);
}
