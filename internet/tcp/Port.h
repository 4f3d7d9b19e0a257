// Mirrors twisted.internet.tcp.Port: a listening socket that accepts
// connections and gives each a protocol. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "internet/DelayedCall.h"
#include "internet/Factory.h"
#include "internet/interfaces.h"
#include "internet/tcp/Connection.h"

namespace internet {
class ReactorBase;
}

namespace internet::tcp {

/// A listening TCP socket: the reactor calls doRead() when connections are
/// waiting; each accepted one becomes a Connection with a protocol from the
/// factory.
///
/// Made by the TCP layer (tcp::Owner) and kept as long as the reactor lives,
/// so the reference listenTCP() returns stays valid. Does not own the factory,
/// nor the connections it accepts: it hands each to whoever made it to adopt.
class Port : public IReadDescriptor, public IListeningPort {
 public:
  /// Binds and listens on @p interface : @p port (0 picks a free port).
  /// @param reactor tells us when connections are waiting
  /// @param port the port, or 0 for a free one
  /// @param factory builds a protocol for each connection; not owned
  /// @param interface the numeric IPv4 or IPv6 address to bind
  /// @param backlog how many connections may wait to be accepted
  /// @param adopt keeps each accepted connection until it is finished
  /// @throws error::CannotListenError if that fails
  Port(ReactorBase& reactor, std::uint16_t port, Factory& factory,
       const std::string& interface, int backlog, AdoptConnection adopt);
  ~Port() override;

  int fileno() const override { return fd_; }
  /// Accepts the waiting connections (up to a hundred per call). Keeps
  /// listening whatever happens to one connection: an exception while
  /// setting it up is logged and that connection closed, as Twisted's
  /// Port.doRead logs and goes on. When the process runs out of descriptors
  /// (or memory), stops accepting for a while instead of spinning: the
  /// clients wait in the queue.
  std::optional<Failure> doRead() override;
  void connectionLost(const Failure& reason) override;
  std::string logPrefix() const override;

  void stopListening() override;
  Address getHost() const override { return host_; }

 private:
  /// Accepts one connection. @return false when none is left waiting, or
  ///         accepting has paused
  bool acceptOne();
  /// Stops accepting for a pause that doubles, up to a second, each time
  /// accept() fails for want of resources; says so once per episode.
  void pauseAccepting(int err);
  /// Starts accepting again after a pause.
  void resumeAccepting();
  /// Stops watching and closes the listening socket; harmless twice.
  void closeSocket();

  ReactorBase& reactor_;
  AdoptConnection adopt_;
  Factory& factory_;
  int fd_ = -1;
  Address host_;
  double acceptPause_ = 0;                 // seconds; 0 while accept() works
  std::optional<DelayedCall> resumeCall_;  // pending while paused
};

}  // namespace internet::tcp
