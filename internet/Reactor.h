// Mirrors the reactor students import (twisted.internet.reactor): the core
// of ReactorBase with TCP on top, as posixbase.PosixReactorBase adds
// IReactorTCP to base.ReactorBase. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "internet/ReactorBase.h"
#include "internet/interfaces.h"
#include "internet/tcp/Owner.h"

namespace internet {

class ClientFactory;
class Factory;

/// The reactor: the event loop of ReactorBase, and TCP connections made with
/// it. Everything connectTCP() and listenTCP() create is owned by the TCP
/// layer (tcp::Owner) and lives at most as long as the reactor.
class Reactor : public ReactorBase {
 public:
  /// A reactor whose core tells the observer REACTOR_TRACE asks for
  /// (trace::fromEnvironment()) what it does; none when the variable is unset.
  Reactor();
  ~Reactor();

  /// Connects to @p host : @p port and, once connected, runs a protocol from
  /// @p factory on the connection (reactor.connectTCP). The host may be a
  /// name (looked up without blocking) or a numeric IPv4 or IPv6 address.
  /// Every outcome reaches the factory from the loop, never from inside
  /// this call: clientConnectionFailed() with ConnectionRefused,
  /// DNSLookupError or Timeout, or buildProtocol() and later
  /// clientConnectionLost().
  /// @param host a host name, or a numeric IPv4 or IPv6 address
  /// @param port the port to connect to
  /// @param factory builds the protocol and hears the outcome; not owned, it
  ///        must outlive the connection
  /// @param timeout seconds allowed for the lookup and the connect together
  /// @return the connector, valid as long as the reactor
  IConnector& connectTCP(const std::string& host, std::uint16_t port,
                         ClientFactory& factory, double timeout = 30);

  /// Listens on @p interface : @p port and runs a protocol from @p factory on
  /// every connection accepted (reactor.listenTCP).
  /// @param port the port, or 0 for a free one (see getHost() on the result)
  /// @param factory builds a protocol for each connection; not owned
  /// @param interface the numeric IPv4 or IPv6 address to bind; loopback
  ///        unless you say otherwise
  /// @param backlog how many connections may wait to be accepted
  /// @throws error::CannotListenError if the port cannot be bound
  /// @return the listening port, valid as long as the reactor
  IListeningPort& listenTCP(std::uint16_t port, Factory& factory,
                            const std::string& interface = "127.0.0.1", int backlog = 50);

 private:
  tcp::Owner tcp_;  // destroyed before the core: connections still talk to it
};

}  // namespace internet
