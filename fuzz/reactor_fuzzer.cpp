// libFuzzer target: the reactor and the TCP transport under random sequences
// of operations over socketpairs: connections made and written to, peers
// writing and hanging up, loseConnection(), timers set and cancelled, readers
// added and removed, the loop run a turn at a time and stopped. Whatever the
// order, nothing may crash, leak or touch freed memory (ASan and UBSan watch).
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "internet/Protocol.h"
#include "internet/Reactor.h"
#include "internet/tcp/Connection.h"
#include "internet/tcp/Owner.h"

namespace {

/// Reads its bytes into the input, one operation per byte.
class Script {
 public:
  Script(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  std::uint8_t next() { return done() ? 0 : data_[at_++]; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

/// A protocol that may act from its own callbacks, as the script says.
class FuzzProtocol : public internet::Protocol {
 public:
  explicit FuzzProtocol(bool* alive, std::uint8_t mood) : alive_(alive), mood_(mood) {}
  void dataReceived(std::string_view data) override {
    received_ += data.size();
    if ((mood_ & 1U) != 0) transport->write(data);  // echo
    if ((mood_ & 2U) != 0 && received_ > 64) transport->loseConnection();
  }
  void connectionLost(const internet::Failure& /*reason*/) override { *alive_ = false; }

 private:
  bool* alive_;
  std::uint8_t mood_;
  std::size_t received_ = 0;
};

/// One socketpair: a shim connection on one end, a raw peer on the other.
struct Pair {
  internet::tcp::Connection* connection = nullptr;  // owned by the reactor
  std::unique_ptr<bool> alive = std::make_unique<bool>(true);
  int peer = -1;
};

/// A bare reader that drains its socket.
class Drain : public internet::IReadDescriptor {
 public:
  explicit Drain(int fd) : fd_(fd) {}
  int fileno() const override { return fd_; }
  std::optional<internet::Failure> doRead() override {
    char buffer[512];
    if (read(fd_, buffer, sizeof buffer) == 0) return internet::Failure::connectionDone();
    return std::nullopt;
  }
  void connectionLost(const internet::Failure& /*reason*/) override {}

 private:
  int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Script script(data, size);
  std::vector<Pair> pairs;
  std::vector<internet::DelayedCall> calls;
  int drainFds[2] = {-1, -1};
  socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, drainFds);
  {
    internet::Reactor reactor;
    internet::tcp::Owner owner(
        reactor);  // holds the connections; gone before the reactor
    Drain drain(drainFds[0]);
    int fired = 0;
    while (!script.done()) {
      const std::uint8_t op = script.next();
      const std::uint8_t arg = script.next();
      Pair* pair = pairs.empty() ? nullptr : &pairs[arg % pairs.size()];
      const bool live = pair != nullptr && *pair->alive;
      switch (op % 10) {
        case 0: {  // a new connection
          if (pairs.size() >= 8) break;
          int fds[2];
          if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) break;
          Pair fresh;
          fresh.peer = fds[1];
          fresh.connection = &owner.adoptConnection(
              std::make_unique<internet::tcp::Connection>(reactor, fds[0]));
          fresh.connection->startProtocol(
              std::make_unique<FuzzProtocol>(fresh.alive.get(), arg));
          pairs.push_back(std::move(fresh));
          break;
        }
        case 1:  // the peer writes
          if (pair != nullptr && pair->peer != -1) {
            const std::string bytes(arg % 200 + 1, static_cast<char>(arg));
            (void)send(pair->peer, bytes.data(), bytes.size(), MSG_NOSIGNAL);
          }
          break;
        case 2:  // the peer hangs up
          if (pair != nullptr && pair->peer != -1) {
            close(pair->peer);
            pair->peer = -1;
          }
          break;
        case 3:  // we write
          if (live) pair->connection->write(std::string(arg * 37U + 1U, 'w'));
          break;
        case 4:  // we close
          if (live) pair->connection->loseConnection();
          break;
        case 5:  // a timer
          calls.push_back(
              reactor.callLater(arg % 3 == 0 ? 0 : 0.0001, [&fired] { ++fired; }));
          break;
        case 6:  // cancel one, if it has not run
          if (!calls.empty() && calls[arg % calls.size()].active())
            calls[arg % calls.size()].cancel();
          break;
        case 7:
          reactor.addReader(&drain);
          break;
        case 8:
          reactor.removeReader(&drain);
          break;
        case 9:  // one turn of the loop
          reactor.callLater(0, [&reactor] { reactor.stop(); });
          reactor.run();
          break;
      }
    }
    reactor.removeReader(&drain);
  }  // the reactor, and every connection it owns, goes here
  for (auto& pair : pairs) {
    if (pair.peer != -1) close(pair.peer);
  }
  close(drainFds[0]);
  close(drainFds[1]);
  return 0;
}
