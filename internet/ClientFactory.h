// Mirrors twisted.internet.protocol.ClientFactory, and the typed link between
// a factory and its protocols that Python gets for free: a factory that
// builds one protocol class (Python's `protocol = PoetryProtocol`), whose
// protocols call their factory's own methods (`self.factory.poem_finished`).
// Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <memory>
#include <type_traits>

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

/// A protocol built by a factory of class @p F, which it can call: its
/// `factory` is that factory, with its own type (Python's `self.factory`).
/// @tparam F the factory class, derived from FactoryOf<ThisProtocol, F>
template <class F>
class ProtocolOf : public Protocol {
 public:
  F* factory = nullptr;  ///< the factory that built us; set by FactoryOf
};

/// A factory (@p Base: Factory, or ClientFactory by default) that builds
/// protocols of class @p P, as Python's `protocol = P` says. If @p P derives
/// from ProtocolOf<F>, each one's `factory` points back here, with the type
/// @p F. So neither side ever casts.
/// @tparam P the protocol class, default-constructible
/// @tparam F the factory class itself: class F : public FactoryOf<P, F>
/// @tparam Base Factory or ClientFactory
template <class P, class F, class Base = ClientFactory>
class FactoryOf : public Base {
  static_assert(std::is_base_of_v<Factory, Base>, "Base is Factory or ClientFactory");

 public:
  /// Builds a @p P for the new connection (Factory::buildProtocol()).
  std::unique_ptr<Protocol> buildProtocol(const Address& address) override {
    return makeProtocol(address);
  }

 protected:
  /// What buildProtocol() does, with the protocol's own type, for an
  /// override that sets more fields: Python's
  /// `proto = ClientFactory.buildProtocol(self, address)`.
  /// @return a new @p P whose `factory` (if it has one) is this factory
  std::unique_ptr<P> makeProtocol(const Address& /*address*/) {
    static_assert(std::is_base_of_v<FactoryOf, F>, "F must derive from FactoryOf<P, F>");
    auto built = std::make_unique<P>();
    if constexpr (std::is_base_of_v<ProtocolOf<F>, P>) {
      built->factory = static_cast<F*>(this);  // we are an F: checked above
    }
    return built;
  }
};

/// A ClientFactory that builds protocols of class @p P; see FactoryOf.
template <class P, class F>
using ClientFactoryOf = FactoryOf<P, F, ClientFactory>;

}  // namespace internet
