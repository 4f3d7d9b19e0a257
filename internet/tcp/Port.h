// Mirrors twisted.internet.tcp.Port: a listening socket that accepts
// connections and gives each a protocol. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "internet/Factory.h"
#include "internet/interfaces.h"

namespace internet {
class Reactor;
}

namespace internet::tcp {

/// A listening TCP socket: the reactor calls doRead() when connections are
/// waiting; each accepted one becomes a Connection with a protocol from the
/// factory.
///
/// Owned by the reactor and kept as long as it lives, so the reference
/// listenTCP() returns stays valid. Does not own the factory.
class Port : public IReadDescriptor, public IListeningPort {
 public:
  /// Binds and listens on @p interface : @p port (0 picks a free port).
  /// @throws error::CannotListenError if that fails
  Port(Reactor& reactor, std::uint16_t port, Factory& factory,
       const std::string& interface, int backlog);
  ~Port() override;

  int fileno() const override { return fd_; }
  /// Accepts the waiting connections (up to a hundred per call).
  std::optional<Failure> doRead() override;
  void connectionLost(const Failure& reason) override;
  std::string logPrefix() const override;

  void stopListening() override;
  Address getHost() const override { return host_; }

 private:
  /// Accepts one connection. @return false when none is left waiting
  bool acceptOne();
  /// Stops watching and closes the listening socket; harmless twice.
  void closeSocket();

  Reactor& reactor_;
  Factory& factory_;
  int fd_ = -1;
  Address host_;
};

}  // namespace internet::tcp
