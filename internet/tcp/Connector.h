// Mirrors twisted.internet.tcp.Connector (with base.BaseConnector, whose
// calls from the client BaseConnector.h declares): the handle connectTCP()
// returns. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "internet/ClientFactory.h"
#include "internet/DelayedCall.h"
#include "internet/interfaces.h"
#include "internet/tcp/BaseConnector.h"
#include "internet/tcp/Connection.h"

namespace internet {
class ReactorBase;
enum class FactoryCall;
}  // namespace internet

namespace internet::tcp {

class Client;

/// One connection attempt to one destination, and the go-between of its
/// Client (the transport) and its ClientFactory: it tells the factory when
/// the attempt starts, fails or, once made, ends.
///
/// Made by the TCP layer (tcp::Owner) and kept as long as the reactor lives,
/// so the reference connectTCP() returns stays valid. Does not own the factory,
/// nor the clients it starts: it hands each to whoever made it to adopt.
class Connector : public BaseConnector {
 public:
  /// A connector; nothing happens until connect().
  /// @param reactor the reactor that runs its clients
  /// @param host the host as given to connectTCP(), a name or an address
  /// @param port the port to connect to
  /// @param factory builds the protocol and hears the outcome; not owned
  /// @param timeout seconds allowed for each attempt, lookup included
  /// @param adopt keeps each Client it starts until that client is finished
  Connector(ReactorBase& reactor, std::string host, std::uint16_t port,
            ClientFactory& factory, double timeout, AdoptConnection adopt);
  ~Connector() override;

  /// Starts the attempt: makes a Client, arms the timeout and calls
  /// factory.startedConnecting(). Does nothing unless disconnected.
  void connect();

  /// Gives up an attempt still in progress (clientConnectionFailed follows).
  void stopConnecting() override;

  /// @return the destination as given: the host as typed, e.g. 'localhost'.
  Address getDestination() const override { return destinationAddress(host_, port_); }

  /// Called by the Client once connected: builds the protocol with the factory.
  std::unique_ptr<Protocol> buildProtocol(const Address& address) override;

  /// Called by the Client when the attempt failed.
  void connectionFailed(const Failure& reason) override;

  /// Called by the Client when the connection it made has ended.
  void connectionLost(const Failure& reason) override;

 private:
  enum class State { Disconnected, Connecting, Connected };

  void cancelTimeout();
  /// Tells the reactor's observer, if any, that factory_ hears @p call next.
  void announce(FactoryCall call) const;

  ReactorBase& reactor_;
  AdoptConnection adopt_;
  std::string host_;
  std::uint16_t port_;
  ClientFactory& factory_;
  double timeout_;
  State state_ = State::Disconnected;
  Client* client_ = nullptr;  // kept by whoever adopted it; null when disconnected
  std::optional<DelayedCall> timeoutCall_;
};

}  // namespace internet::tcp
