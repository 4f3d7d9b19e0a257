// Mirrors twisted.internet.tcp.Client (with BaseClient): a connection we
// start ourselves. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <event2/util.h>

#include <cstdint>
#include <optional>
#include <string>

#include "internet/DelayedCall.h"
#include "internet/tcp/BaseConnector.h"
#include "internet/tcp/Connection.h"

struct evdns_getaddrinfo_request;

namespace internet::tcp {

/// The client side of a TCP connection, from the first step to the last:
/// it looks the host up (libevent's evdns; numeric addresses need no lookup),
/// starts a non-blocking connect(), waits for the socket to become writable
/// (the reactor calls doWrite()), and then becomes an ordinary Connection.
///
/// Owned, as every connection, by whoever adopted it (tcp::Owner). Reports to
/// its connector, which outlives it, through BaseConnector: the client knows
/// only those three calls, not the tcp::Connector that makes it.
class Client : public Connection {
 public:
  /// Starts connecting to @p host : @p port on the next turn of the loop, so
  /// that a failure never reaches the factory before connectTCP() returns.
  /// @param reactor watches the socket for us
  /// @param connector hears how the attempt ends; it must outlive us
  /// @param host the host as given to connectTCP(), a name or an address
  /// @param port the port to connect to
  Client(ReactorBase& reactor, BaseConnector& connector, std::string host,
         std::uint16_t port);
  ~Client() override;

  /// While connecting: checks how the connect() went. Afterwards: writes.
  std::optional<Failure> doWrite() override;

  /// Tells the connector the connection is over (clientConnectionLost), or,
  /// if it never was made, that it failed (clientConnectionFailed).
  void connectionLost(const Failure& reason) override;

  std::string logPrefix() const override;

  /// Gives up if still connecting: closes the socket and reports @p reason to
  /// the connector (clientConnectionFailed). Does nothing once connected.
  void failIfNotConnected(const Failure& reason);

 private:
  void resolveAddress();
  static void onResolved(int result, evutil_addrinfo* found, void* arg);
  void startConnecting(const SocketAddress& address);
  std::optional<Failure> doConnect();
  void connectDone();

  BaseConnector& connector_;
  std::string hostName_;
  std::uint16_t port_;
  bool connecting_ = true;
  std::optional<DelayedCall> start_;
  evdns_getaddrinfo_request* lookup_ = nullptr;
  SocketAddress destination_{};  // where connect() went, once it has started
  // The connect succeeded and the peer reset the connection before
  // doConnect() ran: its end of stream is that reset, not a clean close.
  bool resetOnceConnected_ = false;
};

}  // namespace internet::tcp
