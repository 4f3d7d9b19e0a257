// Mirrors twisted.internet.base.ReactorBase (with posixbase's descriptor
// dispatch): the reactor core. One event loop over one libevent event_base:
// timers, readers and writers, and the deferred destruction of what a
// callback has finished with. It knows nothing of TCP; internet::Reactor
// adds connectTCP() and listenTCP() on top. Nor does it know the trace: it
// tells whatever ReactorObserver it was built with. Tested by
// tests/unit/ReactorTest.cpp.
#pragma once

#include <event2/util.h>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "internet/DelayedCall.h"
#include "internet/UniqueEvent.h"
#include "internet/interfaces.h"

struct event_base;
struct evdns_base;

namespace internet {

class ReactorObserver;

/// The reactor core: waits for events and calls whoever is interested in them.
///
/// Descriptors added with addReader()/addWriter() are not owned: the caller
/// keeps them alive until they are removed. Anything may be added or removed
/// from inside any callback, including the descriptor whose callback is running.
class ReactorBase {
 public:
  /// A reactor that tells @p observer what it does (nothing if nullptr).
  /// @param observer not owned; it must outlive the reactor. libevent's own
  ///        chatter, which names no reactor, goes to the observer of the
  ///        newest reactor alive that has one.
  explicit ReactorBase(ReactorObserver* observer = nullptr);
  ~ReactorBase();
  ReactorBase(const ReactorBase&) = delete;
  ReactorBase& operator=(const ReactorBase&) = delete;

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
  /// @throws error::OutOfResources if libevent cannot allocate the timer
  ///         (out of memory), after one line on stderr
  /// @return a handle to cancel the call or ask whether it is still pending
  DelayedCall callLater(double seconds, std::function<void()> f);

  /// @return the current time in seconds since the epoch (reactor.seconds()).
  static double seconds();

  /// Starts calling @p reader's doRead() whenever its fileno() is readable.
  /// Adding a reader twice is harmless. If libevent cannot allocate the
  /// event to watch it (out of memory), one line goes to stderr and, on the
  /// next turn of the loop, the reader is removed and its connectionLost()
  /// called with a ConnectionLost that says so (likewise for a writer).
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

  /// Destroys @p doomed on a later turn of the loop, once every callback now
  /// on the stack has returned (Twisted's callLater(0, ...) for teardown;
  /// muduo's queueInLoop). For the owners of descriptors, such as tcp::Owner.
  void destroyLater(std::unique_ptr<IFileDescriptor> doomed);

  /// The name resolver on this loop (created on first use from
  /// /etc/resolv.conf and /etc/hosts; a name server that does not answer
  /// fails the lookup after two tries of 2 s each), for the TCP client.
  evdns_base* resolver();

  /// @return who hears what this reactor and its transports do (the live
  ///         trace), as given to the constructor; nullptr when nobody listens.
  ReactorObserver* observer() const { return observer_; }

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
  std::shared_ptr<DelayedCall::State> schedule(double seconds, std::function<void()> f);
  void runDelayedCall(DelayedCall::State& call);
  void cancelDelayedCall(DelayedCall::State& call);
  void runStartupCalls();
  static void onUnwatchable(evutil_socket_t fd, short what, void* arg);
  void loseUnwatchable();
  void forgetUnwatchable(IFileDescriptor* selectable);

  event_base* base_ = nullptr;
  ReactorObserver* observer_ = nullptr;
  bool running_ = false;
  bool stopping_ = false;
  bool shuttingDown_ = false;
  Registry readers_;
  Registry writers_;
  std::unordered_map<DelayedCall::State*, std::shared_ptr<DelayedCall::State>>
      delayedCalls_;
  std::vector<std::function<void()>> startupCalls_;
  evdns_base* resolver_ = nullptr;
  // What could not be watched or buried for want of memory, and the event,
  // allocated up front, that deals with it from the loop: activating it
  // allocates nothing.
  UniqueEvent recovery_;
  std::vector<IFileDescriptor*> unwatchable_;
  std::vector<std::shared_ptr<IFileDescriptor>> unburied_;
};

}  // namespace internet
