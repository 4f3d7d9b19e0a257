// Mirrors twisted.internet.protocol.Factory. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <functional>
#include <memory>

#include "internet/Address.h"
#include "internet/Protocol.h"

namespace internet {

/// Makes a protocol for each new connection.
///
/// In Twisted a factory names its protocol class (`protocol = PoetryProtocol`);
/// here it holds a function that makes one, set with setProtocol<P>().
class Factory {
 public:
  Factory() = default;
  virtual ~Factory() = default;
  Factory(const Factory&) = delete;
  Factory& operator=(const Factory&) = delete;

  /// Makes this factory build a default-constructed @p P for each connection.
  template <class P>
  void setProtocol() {
    protocol = [] { return std::make_unique<P>(); };
  }

  /// Builds the protocol for a new connection to or from @p address: by
  /// default a new `protocol()`. Override it to set more fields, calling
  /// this one first (or, in a FactoryOf, makeProtocol()).
  /// @return the protocol, or nullptr to refuse the connection (it is closed)
  /// @throws std::logic_error if no protocol was set
  virtual std::unique_ptr<Protocol> buildProtocol(const Address& address);

  /// What buildProtocol() builds (the protocol class, in Twisted).
  std::function<std::unique_ptr<Protocol>()> protocol;
};

}  // namespace internet
