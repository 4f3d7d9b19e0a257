#include "internet/tcp/Connector.h"

#include <sstream>
#include <utility>

#include "internet/ReactorBase.h"
#include "internet/ReactorObserver.h"
#include "internet/tcp/Client.h"

namespace internet::tcp {

Connector::Connector(ReactorBase& reactor, std::string host, std::uint16_t port,
                     ClientFactory& factory, double timeout, AdoptConnection adopt)
    : reactor_(reactor),
      adopt_(std::move(adopt)),
      host_(std::move(host)),
      port_(port),
      factory_(factory),
      timeout_(timeout) {}

Connector::~Connector() { cancelTimeout(); }

//! [connect]
void Connector::connect() {
  if (state_ != State::Disconnected) return;
  state_ = State::Connecting;
  auto client = std::make_unique<Client>(reactor_, *this, host_, port_);
  client_ = client.get();
  adopt_(std::move(client));
  timeoutCall_ = reactor_.callLater(timeout_, [this] {
    std::ostringstream message;
    message << "no connection after " << timeout_ << " s";
    client_->failIfNotConnected(Failure(ErrorKind::Timeout, message.str()));
  });
  announce(FactoryCall::StartedConnecting);
  factory_.startedConnecting(*this);
}
//! [connect]

void Connector::stopConnecting() {
  if (state_ != State::Connecting) return;
  client_->failIfNotConnected(
      Failure(ErrorKind::Other, "the connection attempt was stopped"));
}

std::unique_ptr<Protocol> Connector::buildProtocol(const Address& address) {
  state_ = State::Connected;
  cancelTimeout();
  announce(FactoryCall::BuildProtocol);
  return factory_.buildProtocol(address);
}

void Connector::connectionFailed(const Failure& reason) {
  cancelTimeout();
  announce(FactoryCall::ClientConnectionFailed);
  client_ = nullptr;
  state_ = State::Disconnected;
  factory_.clientConnectionFailed(*this, reason);
}

void Connector::connectionLost(const Failure& reason) {
  announce(FactoryCall::ClientConnectionLost);
  client_ = nullptr;
  state_ = State::Disconnected;
  factory_.clientConnectionLost(*this, reason);
}

void Connector::announce(FactoryCall call) const {
  auto* observer = reactor_.observer();
  if (observer != nullptr && client_ != nullptr) {
    observer->callingFactory(call, factory_, *this, *client_);
  }
}

void Connector::cancelTimeout() {
  if (timeoutCall_ && timeoutCall_->active()) timeoutCall_->cancel();
  timeoutCall_.reset();
}

}  // namespace internet::tcp
