// What the reactor core and the TCP transport announce as they work, for
// whoever wants to watch: the live trace (trace/Trace.h) is one such watcher.
// The classes that announce know nothing of how, or whether, it is shown:
// whoever builds the reactor hands its core the observer (internet::Reactor
// hands it the one REACTOR_TRACE asks for).
#pragma once

#include <cstddef>
#include <string_view>

namespace internet {

class Factory;
class Failure;
class IConnector;
class IFileDescriptor;
class Protocol;

/// The ClientFactory methods a connector calls, for callingFactory().
enum class FactoryCall {
  StartedConnecting,       ///< connectTCP() started an attempt
  BuildProtocol,           ///< the connect succeeded: a protocol is wanted
  ClientConnectionFailed,  ///< the attempt failed
  ClientConnectionLost,    ///< the connection it made has ended
};

/// Hears the named events of a reactor and its transports. Every method is
/// called just before the step it names, from inside the loop (or from
/// connectTCP(), which may run before it). The events below libeventSaid()
/// do nothing unless overridden: the line printer (trace/Trace.h) does not
/// show them, the trace file (trace/TraceJson.h) needs them to close what it
/// opened.
class ReactorObserver {
 public:
  virtual ~ReactorObserver() = default;

  /// @p selectable is ready: its doRead() (if @p reading) or doWrite() is
  /// called next.
  virtual void dispatching(const IFileDescriptor& selectable, bool reading) = 0;

  /// doRead() or doWrite() returned @p why: @p selectable is removed and
  /// hears connectionLost(@p why) next.
  virtual void disconnecting(const IFileDescriptor& selectable, const Failure& why) = 0;

  /// A call given to callLater(@p delay) is due and runs next. @p doomed is
  /// set when the call is the deferred destruction of that descriptor.
  virtual void callDue(double delay, const IFileDescriptor* doomed) = 0;

  /// @p transport read @p bytes and hands them to @p protocol's dataReceived().
  virtual void dataReceived(const IFileDescriptor& transport, const Protocol& protocol,
                            std::size_t bytes) = 0;

  /// @p transport closed its socket and tells @p protocol: connectionLost().
  virtual void connectionLost(const IFileDescriptor& transport,
                              const Protocol& protocol) = 0;

  /// @p transport handed the kernel @p bytes; @p left are still queued.
  virtual void sent(const IFileDescriptor& transport, std::size_t bytes,
                    std::size_t left) = 0;

  /// @p client's connect() completed: its protocol is built next.
  virtual void connected(const IFileDescriptor& client) = 0;

  /// @p client could not connect: its factory hears
  /// clientConnectionFailed(@p reason) next.
  virtual void connectFailed(const IFileDescriptor& client, const Failure& reason) = 0;

  /// libevent (or its resolver, when @p fromResolver) said @p message: not an
  /// error, only what it is doing.
  virtual void libeventSaid(std::string_view message, bool fromResolver) = 0;

  /// The dispatch or delayed call announced last (dispatching(), callDue())
  /// has returned: the loop waits for the next event.
  virtual void returned() {}

  /// @p connector calls @p factory's method @p call next, about the
  /// connection @p client.
  virtual void callingFactory(FactoryCall /*call*/, const Factory& /*factory*/,
                              const IConnector& /*connector*/,
                              const IFileDescriptor& /*client*/) {}

  /// @p transport hands itself to @p protocol next: makeConnection(), which
  /// sets `transport` and calls connectionMade().
  virtual void makingConnection(const IFileDescriptor& /*transport*/,
                                const Protocol& /*protocol*/) {}
};

}  // namespace internet
