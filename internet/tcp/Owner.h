// The owner of every TCP object of one reactor: its listening ports, its
// connectors and the connections they make. The top of the TCP layer: it
// makes the others and hands each, as a callback, what it needs to give back
// (a new connection to keep; word that a connection is finished), so that
// none of them knows it. The reactor core below only watches descriptors it
// does not own.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace internet {
class ClientFactory;
class Factory;
class ReactorBase;
}  // namespace internet

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

  /// Makes a listening Port, kept for good; it hands every connection it
  /// accepts to adoptConnection(). The parameters are Port's.
  /// @throws error::CannotListenError if the port cannot be bound
  /// @return the port
  Port& makePort(std::uint16_t port, Factory& factory, const std::string& interface,
                 int backlog);

  /// Makes a Connector, kept for good; nothing happens until its connect(),
  /// and every Client it starts goes to adoptConnection(). The parameters
  /// are Connector's. @return the connector
  Connector& makeConnector(const std::string& host, std::uint16_t port,
                           ClientFactory& factory, double timeout);

  /// Takes @p connection and keeps it until it is finished: sets its finished
  /// callback, which lets go of it (the reactor destroys it once every
  /// callback then on the stack has returned). @return the connection
  Connection& adoptConnection(std::unique_ptr<Connection> connection);

 private:
  /// Lets go of a finished @p connection, through ReactorBase::destroyLater().
  /// Does nothing for a connection this owner does not hold.
  void release(Connection& connection);

  ReactorBase& reactor_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::vector<std::unique_ptr<Port>> ports_;
  std::vector<std::unique_ptr<Connector>> connectors_;
};

}  // namespace internet::tcp
