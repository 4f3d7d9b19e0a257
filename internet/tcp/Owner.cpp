#include "internet/tcp/Owner.h"

#include <utility>

#include "internet/ReactorBase.h"
#include "internet/tcp/Connection.h"
#include "internet/tcp/Connector.h"
#include "internet/tcp/Port.h"

namespace internet::tcp {

Owner::Owner(ReactorBase& reactor) : reactor_(reactor) {}

Owner::~Owner() {
  connections_.clear();
  ports_.clear();
  connectors_.clear();
}

Port& Owner::makePort(std::uint16_t port, Factory& factory, const std::string& interface,
                      int backlog) {
  auto adopt = [this](std::unique_ptr<Connection> accepted) {
    adoptConnection(std::move(accepted));
  };
  return *ports_.emplace_back(
      std::make_unique<Port>(reactor_, port, factory, interface, backlog, adopt));
}

Connector& Owner::makeConnector(const std::string& host, std::uint16_t port,
                                ClientFactory& factory, double timeout) {
  auto adopt = [this](std::unique_ptr<Connection> client) {
    adoptConnection(std::move(client));
  };
  return *connectors_.emplace_back(
      std::make_unique<Connector>(reactor_, host, port, factory, timeout, adopt));
}

Connection& Owner::adoptConnection(std::unique_ptr<Connection> connection) {
  Connection* adopted = connection.get();
  adopted->setFinishedCallback([this](Connection& finished) { release(finished); });
  connections_.emplace(adopted, std::move(connection));
  // The connection lives on in connections_; cppcheck takes it for a local.
  // cppcheck-suppress returnReference
  return *adopted;
}

void Owner::release(Connection& connection) {
  auto node = connections_.extract(&connection);
  if (!node.empty()) reactor_.destroyLater(std::move(node.mapped()));
}

}  // namespace internet::tcp
