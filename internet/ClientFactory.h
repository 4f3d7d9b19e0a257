// Mirrors twisted.internet.protocol.ClientFactory. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include "internet/Factory.h"
#include "internet/Failure.h"
#include "internet/interfaces.h"

namespace internet {

/// A factory for connections we start with Reactor::connectTCP(). Besides
/// building protocols it hears how each connection attempt goes. Every
/// default does nothing.
class ClientFactory : public Factory {
 public:
  /// Called when a connection attempt starts.
  virtual void startedConnecting(IConnector& connector) { (void)connector; }

  /// Called when a connection could not be made: refused, unknown host,
  /// timed out. No protocol was built for it.
  virtual void clientConnectionFailed(IConnector& connector, const Failure& reason) {
    (void)connector;
    (void)reason;
  }

  /// Called when a connection that was made has ended, after its protocol's
  /// connectionLost().
  virtual void clientConnectionLost(IConnector& connector, const Failure& reason) {
    (void)connector;
    (void)reason;
  }
};

}  // namespace internet
