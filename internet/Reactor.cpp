#include "internet/Reactor.h"

#include "internet/tcp/Connector.h"
#include "internet/tcp/Port.h"
#include "internet/trace/Trace.h"

namespace internet {

// The observer is chosen here, at the top, and handed down: the core and the
// TCP layer announce what they do to it, and know nothing of the trace.
Reactor::Reactor() : ReactorBase(trace::fromEnvironment()), tcp_(*this) {}

Reactor::~Reactor() = default;

//! [connectTCP]
IConnector& Reactor::connectTCP(const std::string& host, std::uint16_t port,
                                ClientFactory& factory, double timeout) {
  tcp::Connector& connector = tcp_.makeConnector(host, port, factory, timeout);
  connector.connect();
  return connector;
}
//! [connectTCP]

IListeningPort& Reactor::listenTCP(std::uint16_t port, Factory& factory,
                                   const std::string& interface, int backlog) {
  return tcp_.makePort(port, factory, interface, backlog);
}

}  // namespace internet
