// Mirrors the part of twisted.internet.base.BaseConnector that a client
// calls: buildProtocol(), connectionFailed() and connectionLost(). Declared
// here, below tcp::Client, so that a client reports to its connector without
// knowing the class built on top of it (tcp::Connector implements these).
#pragma once

#include <memory>

#include "internet/Address.h"
#include "internet/Failure.h"
#include "internet/Protocol.h"
#include "internet/interfaces.h"

namespace internet::tcp {

/// A connector as its Client sees it: the three calls Twisted's
/// tcp.BaseClient makes on its connector, one for each way an attempt ends.
class BaseConnector : public IConnector {
 public:
  /// The connect succeeded. @return the protocol for the connection to
  ///         @p address, from the factory; nullptr refuses the connection
  virtual std::unique_ptr<Protocol> buildProtocol(const Address& address) = 0;

  /// The attempt failed for @p reason (the factory hears
  /// clientConnectionFailed()).
  virtual void connectionFailed(const Failure& reason) = 0;

  /// The connection the attempt made has ended for @p reason (the factory
  /// hears clientConnectionLost()).
  virtual void connectionLost(const Failure& reason) = 0;
};

}  // namespace internet::tcp
