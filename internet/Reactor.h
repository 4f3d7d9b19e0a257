// Mirrors twisted.internet.reactor (base.ReactorBase and posixbase): one event
// loop over one libevent event_base. Tested by tests/unit/ReactorTest.cpp.
#pragma once

#include <event2/util.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "internet/DelayedCall.h"
#include "internet/interfaces.h"

struct event;
struct event_base;
struct evdns_base;

namespace internet {

class ClientFactory;
class Factory;
namespace tcp {
class Connector;
}

/// The reactor: waits for events and calls whoever is interested in them.
///
/// Descriptors added with addReader()/addWriter() are not owned: the caller
/// keeps them alive until they are removed. Anything may be added or removed
/// from inside any callback, including the descriptor whose callback is running.
class Reactor {
 public:
  Reactor();
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  /// Runs the event loop until stop() is called (or SIGINT/SIGTERM arrives).
  /// Calls registered with callWhenRunning() run first, in order. When the
  /// loop ends, every descriptor still watched is removed and hears
  /// connectionLost() with ConnectionLost, as in Twisted's shutdown.
  /// @throws error::ReactorAlreadyRunning if called from inside the loop.
  void run();

  /// Asks the loop to exit once the callbacks of the current turn are done.
  /// Safe to call from inside any callback; ignored while run() is telling
  /// the remaining descriptors that the reactor stopped.
  /// @throws error::ReactorNotRunning if the reactor is not running, or stop()
  ///         was already called.
  void stop();

  /// @return true between run() and the end of the loop.
  bool running() const { return running_; }

  /// Calls @p f as soon as the reactor runs (at once if it already does).
  void callWhenRunning(std::function<void()> f);

  /// The longest delay callLater() takes: about 68 years, as much as a
  /// libevent timer holds on every platform.
  static constexpr double kMaxDelay = 2147483647.0;

  /// Calls @p f from the loop after @p seconds.
  /// @param seconds the delay, from 0 to kMaxDelay (fractions allowed)
  /// @param f what to call; exceptions it throws are logged to stderr
  /// @throws std::invalid_argument for a delay out of that range, or NaN
  /// @return a handle to cancel the call or ask whether it is still pending
  DelayedCall callLater(double seconds, std::function<void()> f);

  /// @return the current time in seconds since the epoch (reactor.seconds()).
  static double seconds();

  /// Starts calling @p reader's doRead() whenever its fileno() is readable.
  /// Adding a reader twice is harmless.
  void addReader(IReadDescriptor* reader);
  /// Stops watching @p reader; harmless if it is not watched.
  void removeReader(IReadDescriptor* reader);
  /// @return the readers being watched, in no particular order.
  std::vector<IReadDescriptor*> getReaders() const;

  /// Starts calling @p writer's doWrite() whenever its fileno() is writable.
  void addWriter(IWriteDescriptor* writer);
  /// Stops watching @p writer; harmless if it is not watched.
  void removeWriter(IWriteDescriptor* writer);
  /// @return the writers being watched, in no particular order.
  std::vector<IWriteDescriptor*> getWriters() const;

  /// Connects to @p host : @p port and, once connected, runs a protocol from
  /// @p factory on the connection (reactor.connectTCP). The host may be a
  /// name (looked up without blocking) or a numeric IPv4 address.
  /// Every outcome reaches the factory from the loop, never from inside
  /// this call: clientConnectionFailed() with ConnectionRefused,
  /// DNSLookupError or Timeout, or buildProtocol() and later
  /// clientConnectionLost().
  /// @param host a host name or a numeric IPv4 address
  /// @param port the port to connect to
  /// @param factory builds the protocol and hears the outcome; not owned, it
  ///        must outlive the connection
  /// @param timeout seconds allowed for the lookup and the connect together
  /// @return the connector, valid as long as the reactor
  IConnector& connectTCP(const std::string& host, std::uint16_t port,
                         ClientFactory& factory, double timeout = 30);

  /// Listens on @p interface : @p port and runs a protocol from @p factory on
  /// every connection accepted (reactor.listenTCP).
  /// @param port the port, or 0 for a free one (see getHost() on the result)
  /// @param factory builds a protocol for each connection; not owned
  /// @param interface the IPv4 address to bind; loopback unless you say otherwise
  /// @param backlog how many connections may wait to be accepted
  /// @throws error::CannotListenError if the port cannot be bound
  /// @return the listening port, valid as long as the reactor
  IListeningPort& listenTCP(std::uint16_t port, Factory& factory,
                            const std::string& interface = "127.0.0.1", int backlog = 50);

  /// Takes ownership of @p descriptor (a connection, a listening port) until
  /// destroyLater() is called for it or the reactor is destroyed.
  /// @return the descriptor
  template <class Descriptor>
  Descriptor& own(std::unique_ptr<Descriptor> descriptor) {
    Descriptor* owned = descriptor.get();
    adopt(std::move(descriptor));
    // The object lives on in the reactor; cppcheck takes it for a local.
    // cppcheck-suppress returnReference
    return *owned;
  }

  /// Destroys @p owned, a descriptor given to own(), on a later turn of the
  /// loop, once every callback now on the stack has returned (Twisted's
  /// callLater(0, ...) for teardown; muduo's queueInLoop). Does nothing for a
  /// descriptor the reactor does not own.
  void destroyLater(IFileDescriptor* owned);

  /// The libevent loop underneath, for the shim's own classes.
  event_base* eventBase() const { return base_; }

  /// The name resolver on this loop (created on first use from
  /// /etc/resolv.conf and /etc/hosts; a name server that does not answer
  /// fails the lookup after two tries of 2 s each), for the shim's own
  /// classes and tests.
  evdns_base* resolver();

 private:
  struct Registration;
  using Registry = std::unordered_map<IFileDescriptor*, std::unique_ptr<Registration>>;

  static void onReady(evutil_socket_t fd, short what, void* arg);
  static void onTimer(evutil_socket_t fd, short what, void* arg);
  static void onSignal(evutil_socket_t signal, short what, void* arg);

  void add(Registry& registry, IFileDescriptor* selectable, IReadDescriptor* reader,
           IWriteDescriptor* writer);
  void doReadOrWrite(IReadDescriptor* reader, IWriteDescriptor* writer);
  void disconnectSelectable(IFileDescriptor& selectable, const Failure& why);
  void disconnectAll();
  void runDelayedCall(DelayedCall::State& call);
  void cancelDelayedCall(DelayedCall::State& call);
  void runStartupCalls();
  void adopt(std::unique_ptr<IFileDescriptor> descriptor);

  friend class DelayedCall;

  event_base* base_ = nullptr;
  bool running_ = false;
  bool stopping_ = false;
  bool shuttingDown_ = false;
  Registry readers_;
  Registry writers_;
  std::unordered_map<DelayedCall::State*, std::shared_ptr<DelayedCall::State>>
      delayedCalls_;
  std::vector<std::function<void()>> startupCalls_;
  std::unordered_map<IFileDescriptor*, std::unique_ptr<IFileDescriptor>> owned_;
  std::vector<std::unique_ptr<tcp::Connector>> connectors_;
  evdns_base* resolver_ = nullptr;
};

}  // namespace internet
