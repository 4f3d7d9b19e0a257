// Client 1.0, stack-trace edition (Part 4): client 1.0 with one change. At
// the first piece of poetry, doRead() prints the call stack and exits. The
// stack answers "who calls doRead()?": the reactor's loop, through libevent,
// calls our PoetrySocket directly, for here we wrote doRead() ourselves.
// Compare it with client 2.0's (`./workbook stacks`).
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
#include "common/Stack.h"
#include "common/Text.h"
#include "internet/Reactor.h"

namespace {

/// Exit status when a server cannot be reached: client 1.0 cannot go on.
constexpr int kConnectFailed = 1;

//! [PoetrySocket]
/// One download: a socket the reactor watches for us.
class PoetrySocket : public internet::IReadDescriptor {
 public:
  PoetrySocket(internet::Reactor& reactor, int taskNum, workbook::ServerAddress address)
      : reactor_(reactor), taskNum_(taskNum), address_(std::move(address)) {
    sock_ = workbook::connectBlocking(address_);  // the tutorial's sock.connect()
    // From now on the socket must never block: the reactor tells us when to read.
    fcntl(sock_, F_SETFL, fcntl(sock_, F_GETFL) | O_NONBLOCK);
    reactor_.addReader(this);
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

 private:
  std::string formatAddr() const { return workbook::formatHostPort(address_); }

  internet::Reactor& reactor_;
  int taskNum_;
  workbook::ServerAddress address_;
  int sock_ = -1;
  std::string poem_;
};
//! [PoetrySocket]

//! [doRead]
std::optional<internet::Failure> PoetrySocket::doRead() {
  workbook::printStackAndExit();  // traceback.print_stack(); os._exit(0)
  return std::nullopt;            // never reached
}
//! [doRead]

//! [connectionLost]
void PoetrySocket::connectionLost(const internet::Failure& /*reason*/) {
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
  const auto addresses = workbook::parseClientArgs(
      argc, argv,
      "Get Poetry Now! client 1.0, stack edition: prints the call stack at the\n"
      "first doRead() and exits.",
      {}, workbook::kClient1ExitStatus);

  const auto start = std::chrono::steady_clock::now();
  internet::Reactor reactor;
  std::vector<std::unique_ptr<PoetrySocket>> sockets;
  try {
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      sockets.push_back(
          std::make_unique<PoetrySocket>(reactor, static_cast<int>(i + 1), addresses[i]));
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
              << " characters of poetry\n";
  }
  std::cout << "Got " << addresses.size() << " poems in " << elapsed << std::endl;
  return 0;
}
//! [poetryMain]

}  // namespace

int main(int argc, char* argv[]) {
  return workbook::runWithOutputCheck(poetryMain, argc, argv);
}
