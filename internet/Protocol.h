// Mirrors twisted.internet.protocol.Protocol (with BaseProtocol).
// Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <string_view>

#include "internet/Failure.h"
#include "internet/interfaces.h"

namespace internet {

/// The application's side of one connection: override the events you care
/// about. Every default does nothing, as in Twisted.
///
/// A protocol is owned by its connection (its transport) and is destroyed
/// after its connectionLost() has returned. `transport` is a plain pointer
/// to the connection. A protocol that talks to the factory that built it
/// derives from ProtocolOf<ItsFactory> (ClientFactory.h), which adds a
/// `factory` pointer of the factory's own class.
class Protocol {
 public:
  Protocol() = default;
  virtual ~Protocol() = default;
  Protocol(const Protocol&) = delete;
  Protocol& operator=(const Protocol&) = delete;

  /// Connects this protocol to @p transport: stores it in `transport`, sets
  /// `connected` and calls connectionMade(). Called by the transport.
  void makeConnection(ITransport* transport);

  /// Called once, when the connection is made; `transport` is set by then.
  virtual void connectionMade() {}

  /// Called with each piece of data as it arrives. Pieces are not messages:
  /// a poem may come in any number of them, cut anywhere.
  /// @param data valid only during the call; copy what you want to keep
  virtual void dataReceived(std::string_view data) { (void)data; }

  /// Called once, when the connection is over; `connected` is false by then.
  /// @param reason ConnectionDone for a clean close, another kind otherwise
  virtual void connectionLost(const Failure& reason) { (void)reason; }

  ITransport* transport = nullptr;  ///< the connection; set by makeConnection()
  bool connected = false;           ///< true between connectionMade and connectionLost
};

}  // namespace internet
