// Mirrors twisted.internet.reactor (base.ReactorBase and posixbase): one event
// loop over one libevent event_base. Tested by tests/unit/ReactorTest.cpp.
#pragma once

#include <event2/util.h>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "internet/DelayedCall.h"
#include "internet/interfaces.h"

struct event;
struct event_base;

namespace internet {

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
  /// Calls registered with callWhenRunning() run first, in order.
  /// @throws error::ReactorAlreadyRunning if called from inside the loop.
  void run();

  /// Asks the loop to exit once the callbacks of the current turn are done.
  /// Safe to call from inside any callback.
  /// @throws error::ReactorNotRunning if the reactor is not running, or stop()
  ///         was already called.
  void stop();

  /// @return true between run() and the end of the loop.
  bool running() const { return running_; }

  /// Calls @p f as soon as the reactor runs (at once if it already does).
  void callWhenRunning(std::function<void()> f);

  /// Calls @p f from the loop after @p seconds.
  /// @param seconds the delay, >= 0 (fractions allowed)
  /// @throws std::invalid_argument for a negative or non-finite delay
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

  /// Takes ownership of @p doomed and destroys it on a later turn of the loop,
  /// once every callback now on the stack has returned (Twisted's
  /// callLater(0, ...) for teardown; muduo's queueInLoop).
  void destroyLater(std::unique_ptr<IFileDescriptor> doomed);

  /// The libevent loop underneath, for the shim's own classes (evdns).
  event_base* eventBase() const { return base_; }

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
  void runDelayedCall(DelayedCall::State& call);
  void cancelDelayedCall(DelayedCall::State& call);
  void runStartupCalls();

  friend class DelayedCall;

  event_base* base_;
  bool running_ = false;
  bool stopping_ = false;
  Registry readers_;
  Registry writers_;
  std::unordered_map<DelayedCall::State*, std::shared_ptr<DelayedCall::State>>
      delayedCalls_;
  std::vector<std::function<void()>> startupCalls_;
};

}  // namespace internet
