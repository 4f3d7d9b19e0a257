// The owner of every TCP object of one reactor: its listening ports, its
// connectors and the connections they make. Part of the TCP layer, not of
// the reactor core, which only watches descriptors it does not own.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

namespace internet {
class ReactorBase;
}

namespace internet::tcp {

class Connection;
class Connector;
class Port;

/// Keeps ports and connectors for as long as it lives, so that the
/// references connectTCP() and listenTCP() return stay valid, and each
/// connection until it is finished.
///
/// Destroyed before the reactor core it was built with: connections first
/// (their destructors stop watching their sockets), then ports, then
/// connectors (whose timeouts are pending calls).
class Owner {
 public:
  /// An owner of nothing yet, for the TCP objects of @p reactor.
  explicit Owner(ReactorBase& reactor);
  ~Owner();
  Owner(const Owner&) = delete;
  Owner& operator=(const Owner&) = delete;

  /// Takes @p connection until release(). @return the connection
  Connection& adoptConnection(std::unique_ptr<Connection> connection);
  /// Takes @p port for good. @return the port
  Port& adoptPort(std::unique_ptr<Port> port);
  /// Takes @p connector for good. @return the connector
  Connector& adoptConnector(std::unique_ptr<Connector> connector);

  /// Lets go of a finished @p connection: the reactor destroys it once every
  /// callback now on the stack has returned. Does nothing for a connection
  /// this owner does not hold.
  void release(Connection* connection);

 private:
  ReactorBase& reactor_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::vector<std::unique_ptr<Port>> ports_;
  std::vector<std::unique_ptr<Connector>> connectors_;
};

}  // namespace internet::tcp
