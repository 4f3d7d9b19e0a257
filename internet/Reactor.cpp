#include "internet/Reactor.h"

#include <memory>

#include "internet/tcp/Connector.h"
#include "internet/tcp/Port.h"

namespace internet {

Reactor::Reactor() : tcp_(*this) {}

Reactor::~Reactor() = default;

//! [connectTCP]
IConnector& Reactor::connectTCP(const std::string& host, std::uint16_t port,
                                ClientFactory& factory, double timeout) {
  auto& connector = tcp_.adoptConnector(
      std::make_unique<tcp::Connector>(*this, tcp_, host, port, factory, timeout));
  connector.connect();
  return connector;
}
//! [connectTCP]

IListeningPort& Reactor::listenTCP(std::uint16_t port, Factory& factory,
                                   const std::string& interface, int backlog) {
  return tcp_.adoptPort(
      std::make_unique<tcp::Port>(*this, tcp_, port, factory, interface, backlog));
}

}  // namespace internet
