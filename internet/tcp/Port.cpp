#include "internet/tcp/Port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "internet/Reactor.h"
#include "internet/error.h"
#include "internet/tcp/Connection.h"

namespace internet::tcp {

namespace {

constexpr int kMaxAcceptsPerRead = 100;

[[noreturn]] void cannotListen(int fd, const std::string& where, int err) {
  if (fd != -1) close(fd);
  throw error::CannotListenError("cannot listen on " + where + ": " + std::strerror(err));
}

}  // namespace

Port::Port(Reactor& reactor, std::uint16_t port, Factory& factory,
           const std::string& interface, int backlog)
    : reactor_(reactor), factory_(factory) {
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

std::optional<Failure> Port::doRead() {
  for (int i = 0; i < kMaxAcceptsPerRead && acceptOne(); ++i) {
  }
  return std::nullopt;
}

bool Port::acceptOne() {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  const int fd = accept4(fd_, reinterpret_cast<sockaddr*>(&peer), &length,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd == -1) {
    // EMFILE and friends: leave the connection waiting and say so; the
    // listening socket itself is fine.
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      std::cerr << logPrefix() << ": accept failed: " << std::strerror(errno) << '\n';
    }
    return false;
  }
  auto& connection = reactor_.own(std::make_unique<Connection>(reactor_, fd));
  connection.startProtocol(factory_.buildProtocol(
      addressFromSockaddr(reinterpret_cast<const sockaddr&>(peer))));
  return true;
}

void Port::connectionLost(const Failure& /*reason*/) { closeSocket(); }

void Port::stopListening() { closeSocket(); }

void Port::closeSocket() {
  if (fd_ == -1) return;
  reactor_.removeReader(this);
  close(fd_);
  fd_ = -1;
}

std::string Port::logPrefix() const {
  return "tcp.Port " + std::to_string(portOf(host_));
}

}  // namespace internet::tcp
