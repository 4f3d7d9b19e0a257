#include "internet/ReactorBase.h"

#include <event2/dns.h>
#include <event2/event.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <iterator>
#include <stdexcept>
#include <utility>
#include <vector>

#include "internet/ReactorObserver.h"
#include "internet/error.h"
#include "internet/log.h"

namespace internet {

namespace {

timeval toTimeval(double seconds) {
  const double whole = std::floor(seconds);
  return timeval{static_cast<time_t>(whole),
                 static_cast<suseconds_t>((seconds - whole) * 1e6)};
}

// The observers of the reactors alive, oldest first, leaving out the reactors
// built without one. libevent has one log callback for the whole process and
// does not say which event_base a message is about; the newest observer
// hears it.
std::vector<ReactorObserver*>& libeventListeners() {
  static std::vector<ReactorObserver*> listeners;
  return listeners;
}

ReactorObserver* newestListener() {
  const auto& listeners = libeventListeners();
  return listeners.empty() ? nullptr : listeners.back();
}

void forget(ReactorObserver* observer) {
  auto& listeners = libeventListeners();
  const auto found = std::find(listeners.rbegin(), listeners.rend(), observer);
  if (found != listeners.rend()) listeners.erase(std::next(found).base());
}

// libevent's own messages. Its errors and warnings are real (no descriptor
// left for its signal pipe, say) and go to stderr as ours do; its chatter
// ("Nameserver ... has failed" while a lookup retries) is for the trace
// only: the outcome reaches the factory as a Failure anyway.
void logFromLibevent(int severity, const char* message) {
  if (severity >= EVENT_LOG_WARN) {
    logError({"Error in libevent: ", message});
  } else if (ReactorObserver* observer = newestListener()) {
    observer->libeventSaid(message, /*fromResolver=*/false);
  }
}

void logFromEvdns(int /*isWarning*/, const char* message) {
  if (ReactorObserver* observer = newestListener()) {
    observer->libeventSaid(message, /*fromResolver=*/true);
  }
}

// A callback that throws must not unwind through libevent's C frames; Twisted
// logs such errors and carries on, and so do we.
void logUnhandled(const char* where, const std::exception& e) {
  logError({"Unhandled error in ", where, ": ", e.what()});
}

}  // namespace

/// One watched direction of one descriptor: the libevent event and the object
/// to call. Exactly one of reader and writer is set.
struct ReactorBase::Registration {
  ReactorBase* reactor;
  IReadDescriptor* reader;
  IWriteDescriptor* writer;
  UniqueEvent ev;
};

ReactorBase::ReactorBase(ReactorObserver* observer) : observer_(observer) {
  // Before event_base_new(), which may already have something to say.
  if (observer_ != nullptr) libeventListeners().push_back(observer_);
  event_set_log_callback(&logFromLibevent);
  evdns_set_log_fn(&logFromEvdns);
  base_ = event_base_new();
  if (base_ != nullptr) {
    recovery_.reset(event_new(base_, -1, 0, &ReactorBase::onUnwatchable, this));
  }
  if (base_ == nullptr || !recovery_) {
    // No destructor runs for a constructor that throws.
    if (base_ != nullptr) event_base_free(base_);
    forget(observer_);
    throw std::runtime_error("event_base_new failed");
  }
}

ReactorBase::~ReactorBase() {
  // Whoever built on us (the TCP layer of internet::Reactor) is gone by now.
  // Calls may outlive us through their handles; their timers may not. The
  // states die here unless a handle keeps them, and with them anything a
  // pending destroyLater() still holds.
  auto pending = std::move(delayedCalls_);
  delayedCalls_.clear();
  for (auto& [raw, call] : pending) {
    call->timer.reset();
    call->canceller = nullptr;
    call->reactor = nullptr;
  }
  pending.clear();
  unburied_.clear();
  recovery_.reset();
  readers_.clear();
  writers_.clear();
  if (resolver_ != nullptr) evdns_base_free(resolver_, 0);
  event_base_free(base_);
  forget(observer_);  // last: freeing the resolver may still say something
}

//! [run]
void ReactorBase::run() {
  if (running_) throw error::ReactorAlreadyRunning("ReactorBase::run(): already running");
  running_ = true;
  stopping_ = false;

  // Twisted installs handlers for these so that Ctrl-C stops the loop cleanly.
  UniqueEvent sigint(evsignal_new(base_, SIGINT, &ReactorBase::onSignal, this));
  UniqueEvent sigterm(evsignal_new(base_, SIGTERM, &ReactorBase::onSignal, this));
  // Without memory for them (logged by libevent) the loop still runs.
  if (sigint) event_add(sigint.get(), nullptr);
  if (sigterm) event_add(sigterm.get(), nullptr);

  // Startup calls run before anything else; one of them may already stop us.
  runStartupCalls();
  if (!stopping_) {
    // Without NO_EXIT_ON_EMPTY libevent returns as soon as nothing is watched;
    // Twisted's reactor runs until it is told to stop.
    event_base_loop(base_, EVLOOP_NO_EXIT_ON_EMPTY);
  }
  disconnectAll();

  running_ = false;
  stopping_ = false;
}

//! [disconnectAll]
void ReactorBase::disconnectAll() {
  // As Twisted does at shutdown: whatever is still watched hears that it is
  // over, so that a protocol interrupted by Ctrl-C still reports what it has.
  shuttingDown_ = true;
  std::vector<IFileDescriptor*> remaining;
  for (const auto& [selectable, registration] : readers_) remaining.push_back(selectable);
  for (const auto& [selectable, registration] : writers_) {
    if (!readers_.contains(selectable)) remaining.push_back(selectable);
  }
  const Failure why(ErrorKind::ConnectionLost, "the reactor stopped");
  for (IFileDescriptor* selectable : remaining) {
    // An earlier connectionLost() may have removed this one already.
    if (readers_.contains(selectable) || writers_.contains(selectable)) {
      disconnectSelectable(*selectable, why);
    }
  }
  shuttingDown_ = false;
}
//! [disconnectAll]
//! [run]

void ReactorBase::stop() {
  // A connectionLost() called while shutting down may well say "stop": it
  // is stopping already, and that is not the caller's mistake.
  if (shuttingDown_) return;
  if (!running_ || stopping_) {
    throw error::ReactorNotRunning("ReactorBase::stop(): the reactor is not running");
  }
  stopping_ = true;
  event_base_loopexit(base_, nullptr);
}

void ReactorBase::callWhenRunning(std::function<void()> f) {
  if (running_) {
    f();
  } else {
    startupCalls_.push_back(std::move(f));
  }
}

void ReactorBase::runStartupCalls() {
  for (auto& f : std::exchange(startupCalls_, {})) {
    try {
      f();
    } catch (const std::exception& e) {
      logUnhandled("a startup call", e);
    }
  }
}

double ReactorBase::seconds() {
  using Seconds = std::chrono::duration<double>;
  return std::chrono::duration_cast<Seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

DelayedCall ReactorBase::callLater(double seconds, std::function<void()> f) {
  // Written so that NaN fails too. A longer delay would overflow the timer
  // and fire at once.
  if (!(seconds >= 0 && seconds <= kMaxDelay)) {
    throw std::invalid_argument("ReactorBase::callLater(): delay must be from 0 to " +
                                std::to_string(static_cast<long>(kMaxDelay)) +
                                " seconds");
  }
  return DelayedCall(schedule(seconds, std::move(f)));
}

std::shared_ptr<DelayedCall::State> ReactorBase::schedule(double seconds,
                                                          std::function<void()> f) {
  auto call = std::make_shared<DelayedCall::State>();
  call->reactor = this;
  call->canceller = [this](DelayedCall::State& state) { cancelDelayedCall(state); };
  call->callable = std::move(f);
  call->delay = seconds;
  call->time = ReactorBase::seconds() + seconds;
  call->timer.reset(evtimer_new(base_, &ReactorBase::onTimer, call.get()));
  if (!call->timer) {
    logError({"ReactorBase: libevent cannot allocate a timer (out of memory)"});
    throw error::OutOfResources("callLater(): libevent cannot allocate a timer");
  }
  const timeval delay = toTimeval(seconds);
  evtimer_add(call->timer.get(), &delay);
  delayedCalls_.emplace(call.get(), call);
  return call;
}

void ReactorBase::onTimer(evutil_socket_t /*fd*/, short /*what*/, void* arg) {
  auto* call = static_cast<DelayedCall::State*>(arg);
  call->reactor->runDelayedCall(*call);
}

void ReactorBase::runDelayedCall(DelayedCall::State& call) {
  // Holding our own reference keeps the call alive while it runs, even if it
  // drops the last handle on itself.
  std::shared_ptr<DelayedCall::State> running = delayedCalls_.extract(&call).mapped();
  running->called = true;
  if (observer_ != nullptr) observer_->callDue(running->delay, running->doomed);
  try {
    running->callable();
  } catch (const std::exception& e) {
    logUnhandled("a delayed call", e);
  }
  if (observer_ != nullptr) observer_->returned();
}

void ReactorBase::cancelDelayedCall(DelayedCall::State& call) {
  call.timer.reset();
  delayedCalls_.erase(&call);
}

void ReactorBase::onSignal(evutil_socket_t /*signal*/, short /*what*/, void* arg) {
  auto* reactor = static_cast<ReactorBase*>(arg);
  if (reactor->running_ && !reactor->stopping_) reactor->stop();
}

void ReactorBase::add(Registry& registry, IFileDescriptor* selectable,
                      IReadDescriptor* reader, IWriteDescriptor* writer) {
  if (registry.contains(selectable)) return;
  const int fd = selectable->fileno();
  if (fd < 0)
    throw std::invalid_argument("ReactorBase: cannot watch a closed descriptor");
  auto registration =
      std::make_unique<Registration>(Registration{this, reader, writer, {}});
  const auto what =
      static_cast<short>((reader != nullptr ? EV_READ : EV_WRITE) | EV_PERSIST);
  registration->ev.reset(
      event_new(base_, fd, what, &ReactorBase::onReady, registration.get()));
  if (!registration->ev) {
    // Not watched: the loop tells it so, as it tells a failed read, once
    // whoever added it has returned.
    logError({"ReactorBase: libevent cannot allocate an event for ",
              selectable->logPrefix(), " (out of memory)"});
    unwatchable_.push_back(selectable);
    event_active(recovery_.get(), EV_READ, 0);
    return;
  }
  event_add(registration->ev.get(), nullptr);
  registry.emplace(selectable, std::move(registration));
}

void ReactorBase::addReader(IReadDescriptor* reader) {
  add(readers_, reader, reader, nullptr);
}

void ReactorBase::addWriter(IWriteDescriptor* writer) {
  add(writers_, writer, nullptr, writer);
}

// Erasing frees the libevent event, which is safe even from inside that
// event's own callback: libevent copied what it needed before calling us.
void ReactorBase::removeReader(IReadDescriptor* reader) {
  readers_.erase(reader);
  forgetUnwatchable(reader);
}

void ReactorBase::removeWriter(IWriteDescriptor* writer) {
  writers_.erase(writer);
  forgetUnwatchable(writer);
}

void ReactorBase::forgetUnwatchable(IFileDescriptor* selectable) {
  std::erase(unwatchable_, selectable);
}

void ReactorBase::onUnwatchable(evutil_socket_t /*fd*/, short /*what*/, void* arg) {
  static_cast<ReactorBase*>(arg)->loseUnwatchable();
}

void ReactorBase::loseUnwatchable() {
  unburied_.clear();
  // One at a time: each connectionLost() may remove others from the list.
  while (!unwatchable_.empty()) {
    IFileDescriptor* selectable = unwatchable_.front();
    std::erase(unwatchable_, selectable);
    disconnectSelectable(
        *selectable,
        Failure(ErrorKind::ConnectionLost,
                "libevent cannot allocate an event to watch it (out of memory)"));
    if (observer_ != nullptr) observer_->returned();
  }
}

std::vector<IReadDescriptor*> ReactorBase::getReaders() const {
  std::vector<IReadDescriptor*> readers;
  for (const auto& [selectable, registration] : readers_) {
    readers.push_back(registration->reader);
  }
  return readers;
}

std::vector<IWriteDescriptor*> ReactorBase::getWriters() const {
  std::vector<IWriteDescriptor*> writers;
  for (const auto& [selectable, registration] : writers_) {
    writers.push_back(registration->writer);
  }
  return writers;
}

//! [onReady]
void ReactorBase::onReady(evutil_socket_t /*fd*/, short /*what*/, void* arg) {
  // Copy out what we need: the call below may remove the descriptor, and
  // its registration is freed with it.
  const auto& registration = *static_cast<Registration*>(arg);
  ReactorBase& reactor = *registration.reactor;
  IReadDescriptor* reader = registration.reader;
  IWriteDescriptor* writer = registration.writer;
  if (reactor.observer_ != nullptr) {
    const IFileDescriptor& selectable =
        reader != nullptr ? static_cast<const IFileDescriptor&>(*reader)
                          : static_cast<const IFileDescriptor&>(*writer);
    reactor.observer_->dispatching(selectable, reader != nullptr);
  }
  reactor.doReadOrWrite(reader, writer);
  if (reactor.observer_ != nullptr) reactor.observer_->returned();
}
//! [onReady]

//! [doReadOrWrite]
void ReactorBase::doReadOrWrite(IReadDescriptor* reader, IWriteDescriptor* writer) {
  IFileDescriptor& selectable = reader != nullptr
                                    ? static_cast<IFileDescriptor&>(*reader)
                                    : static_cast<IFileDescriptor&>(*writer);
  std::optional<Failure> why;
  try {
    if (selectable.fileno() == -1) {
      why = Failure(ErrorKind::ConnectionLost, "the file descriptor was closed");
    } else if (reader != nullptr) {
      why = reader->doRead();
    } else {
      why = writer->doWrite();
    }
  } catch (const std::exception& e) {
    logUnhandled(reader != nullptr ? "doRead" : "doWrite", e);
    why = Failure(ErrorKind::Other, e.what());
  }
  if (why) disconnectSelectable(selectable, *why);
}
//! [doReadOrWrite]

//! [disconnectSelectable]
void ReactorBase::disconnectSelectable(IFileDescriptor& selectable, const Failure& why) {
  // Stop watching first, so that connectionLost() sees a reactor without us
  // (client 1.0 counts the readers that are left).
  readers_.erase(&selectable);
  writers_.erase(&selectable);
  if (observer_ != nullptr) observer_->disconnecting(selectable, why);
  try {
    selectable.connectionLost(why);
  } catch (const std::exception& e) {
    logUnhandled("connectionLost", e);
  }
}
//! [disconnectSelectable]

void ReactorBase::destroyLater(std::unique_ptr<IFileDescriptor> doomed) {
  const IFileDescriptor* named = doomed.get();
  // std::function needs a copyable callable, hence the shared_ptr; the
  // descriptor dies with the call's state, after the call has run.
  std::shared_ptr<IFileDescriptor> dying(std::move(doomed));
  try {
    schedule(0, [dying] {})->doomed = named;
  } catch (const error::OutOfResources&) {
    // Never on the spot, whatever happens: the loop buries it instead.
    unburied_.push_back(std::move(dying));
    event_active(recovery_.get(), EV_READ, 0);
  }
}

evdns_base* ReactorBase::resolver() {
  if (resolver_ == nullptr) {
    resolver_ = evdns_base_new(base_, EVDNS_BASE_INITIALIZE_NAMESERVERS);
    if (resolver_ == nullptr) resolver_ = evdns_base_new(base_, 0);
    // libevent's defaults (5 s, 3 tries) make a name server that never
    // answers cost 15 s; two tries of 2 s fail a lookup within 4.
    evdns_base_set_option(resolver_, "timeout:", "2");
    evdns_base_set_option(resolver_, "attempts:", "2");
  }
  return resolver_;
}

}  // namespace internet
