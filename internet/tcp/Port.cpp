#include "internet/tcp/Port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "internet/ReactorBase.h"
#include "internet/error.h"
#include "internet/log.h"
#include "internet/tcp/Connection.h"

namespace internet::tcp {

namespace {

constexpr int kMaxAcceptsPerRead = 100;
constexpr double kFirstAcceptPause = 0.01;   // seconds
constexpr double kLongestAcceptPause = 1.0;  // seconds

[[noreturn]] void cannotListen(int fd, const std::string& where, int err) {
  if (fd != -1) close(fd);
  throw error::CannotListenError("cannot listen on " + where + ": " + std::strerror(err));
}

}  // namespace

Port::Port(ReactorBase& reactor, std::uint16_t port, Factory& factory,
           const std::string& interface, int backlog, AdoptConnection adopt)
    : reactor_(reactor), adopt_(std::move(adopt)), factory_(factory) {
  const std::string where = interface + ":" + std::to_string(port);
  const auto address = numericAddress(interface, port);
  if (!address) cannotListen(-1, where, EINVAL);
  fd_ = socket(address->family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ == -1) cannotListen(fd_, where, errno);
  const int yes = 1;
  setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (bind(fd_, address->get(), address->length) != 0 || listen(fd_, backlog) != 0) {
    cannotListen(fd_, where, errno);
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length);
  host_ = addressFromSockaddr(reinterpret_cast<const sockaddr&>(bound));
  reactor_.addReader(this);
}

Port::~Port() { closeSocket(); }

//! [Port::doRead]
std::optional<Failure> Port::doRead() {
  for (int i = 0; i < kMaxAcceptsPerRead; ++i) {
    try {
      if (!acceptOne()) break;
    } catch (const std::exception& e) {
      // One connection went wrong (std::bad_alloc, a factory's bug): the
      // others, and those still to come, must not pay for it.
      logError({"Unhandled error in ", logPrefix(), ": ", e.what()});
    }
  }
  return std::nullopt;
}
//! [Port::doRead]

bool Port::acceptOne() {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  const int fd = accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &length,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd == -1) {
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      pauseAccepting(errno);
    }
    // Otherwise nothing is waiting (EAGAIN), or the client left before we
    // took it (ECONNABORTED): either way, no connection this time.
    return false;
  }
  if (acceptPause_ > 0) {
    logError({logPrefix(), ": accepting again"});
    acceptPause_ = 0;
  }
  // The connection owns the socket from here on: if building the protocol
  // throws, its destructor closes the socket.
  auto connection = std::make_unique<Connection>(reactor_, fd);
  auto protocol = factory_.buildProtocol(
      addressFromSockaddr(reinterpret_cast<const sockaddr&>(peer)));
  Connection& accepted = *connection;
  adopt_(std::move(connection));
  accepted.startProtocol(std::move(protocol));
  return true;
}

void Port::pauseAccepting(int err) {
  if (acceptPause_ == 0) {
    logError({logPrefix(), ": accept failed: ", std::strerror(err),
              "; clients wait until it works again"});
  }
  acceptPause_ = acceptPause_ == 0 ? kFirstAcceptPause
                                   : std::min(acceptPause_ * 2, kLongestAcceptPause);
  reactor_.removeReader(this);
  resumeCall_ = reactor_.callLater(acceptPause_, [this] { resumeAccepting(); });
}

void Port::resumeAccepting() {
  resumeCall_.reset();
  if (fd_ != -1) reactor_.addReader(this);
}

void Port::connectionLost(const Failure& /*reason*/) { closeSocket(); }

void Port::stopListening() { closeSocket(); }

void Port::closeSocket() {
  if (resumeCall_ && resumeCall_->active()) resumeCall_->cancel();
  resumeCall_.reset();
  if (fd_ == -1) return;
  reactor_.removeReader(this);
  close(fd_);
  fd_ = -1;
}

std::string Port::logPrefix() const {
  return "tcp.Port " + std::to_string(portOf(host_));
}

}  // namespace internet::tcp
