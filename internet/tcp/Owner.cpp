#include "internet/tcp/Owner.h"

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

Connection& Owner::adoptConnection(std::unique_ptr<Connection> connection) {
  Connection* adopted = connection.get();
  connections_.emplace(adopted, std::move(connection));
  // The connection lives on in connections_; cppcheck takes it for a local.
  // cppcheck-suppress returnReference
  return *adopted;
}

Port& Owner::adoptPort(std::unique_ptr<Port> port) {
  return *ports_.emplace_back(std::move(port));
}

Connector& Owner::adoptConnector(std::unique_ptr<Connector> connector) {
  return *connectors_.emplace_back(std::move(connector));
}

void Owner::release(Connection* connection) {
  auto node = connections_.extract(connection);
  if (!node.empty()) reactor_.destroyLater(std::move(node.mapped()));
}

}  // namespace internet::tcp
