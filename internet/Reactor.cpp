#include "internet/Reactor.h"

#include <event2/dns.h>
#include <event2/event.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "internet/DelayedCallState.h"
#include "internet/Trace.h"
#include "internet/error.h"
#include "internet/tcp/Connector.h"
#include "internet/tcp/Port.h"

namespace internet {

namespace {

timeval toTimeval(double seconds) {
  const double whole = std::floor(seconds);
  return timeval{static_cast<time_t>(whole),
                 static_cast<suseconds_t>((seconds - whole) * 1e6)};
}

// libevent's own messages. Its errors and warnings are real (no descriptor
// left for its signal pipe, say) and go to stderr as ours do; its chatter
// ("Nameserver ... has failed" while a lookup retries) is for the trace
// only: the outcome reaches the factory as a Failure anyway.
void logFromLibevent(int severity, const char* message) {
  if (severity >= EVENT_LOG_WARN) {
    std::cerr << "Error in libevent: " << message << '\n';
  } else if (trace::enabled) {
    trace::line(std::string("libevent: ") + message);
  }
}

void logFromEvdns(int /*isWarning*/, const char* message) {
  if (trace::enabled) trace::line(std::string("evdns: ") + message);
}

// A callback that throws must not unwind through libevent's C frames; Twisted
// logs such errors and carries on, and so do we.
void logUnhandled(const char* where, const std::exception& e) {
  std::cerr << "Unhandled error in " << where << ": " << e.what() << '\n';
}

}  // namespace

/// One watched direction of one descriptor: the libevent event and the object
/// to call. Exactly one of reader and writer is set.
struct Reactor::Registration {
  Reactor* reactor;
  IReadDescriptor* reader;
  IWriteDescriptor* writer;
  UniqueEvent ev;
};

Reactor::Reactor() {
  // Before event_base_new(), which may already have something to say.
  event_set_log_callback(&logFromLibevent);
  evdns_set_log_fn(&logFromEvdns);
  base_ = event_base_new();
  if (base_ == nullptr) throw std::runtime_error("event_base_new failed");
}

Reactor::~Reactor() {
  // Connections and ports first: their destructors still talk to us (they
  // remove themselves and cancel their calls). Then the connectors, whose
  // timeouts are pending calls.
  owned_.clear();
  connectors_.clear();
  // Calls may outlive us through their handles; their timers may not. The
  // states die here unless a handle keeps them, and with them anything a
  // pending destroyLater() still holds.
  auto pending = std::move(delayedCalls_);
  delayedCalls_.clear();
  for (auto& [raw, call] : pending) {
    call->timer.reset();
    call->reactor = nullptr;
  }
  pending.clear();
  readers_.clear();
  writers_.clear();
  if (resolver_ != nullptr) evdns_base_free(resolver_, 0);
  event_base_free(base_);
}

//! [run]
void Reactor::run() {
  if (running_) throw error::ReactorAlreadyRunning("Reactor::run(): already running");
  running_ = true;
  stopping_ = false;

  // Twisted installs handlers for these so that Ctrl-C stops the loop cleanly.
  UniqueEvent sigint(evsignal_new(base_, SIGINT, &Reactor::onSignal, this));
  UniqueEvent sigterm(evsignal_new(base_, SIGTERM, &Reactor::onSignal, this));
  event_add(sigint.get(), nullptr);
  event_add(sigterm.get(), nullptr);

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
void Reactor::disconnectAll() {
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

void Reactor::stop() {
  // A connectionLost() called while shutting down may well say "stop": it
  // is stopping already, and that is not the caller's mistake.
  if (shuttingDown_) return;
  if (!running_ || stopping_) {
    throw error::ReactorNotRunning("Reactor::stop(): the reactor is not running");
  }
  stopping_ = true;
  event_base_loopexit(base_, nullptr);
}

void Reactor::callWhenRunning(std::function<void()> f) {
  if (running_) {
    f();
  } else {
    startupCalls_.push_back(std::move(f));
  }
}

void Reactor::runStartupCalls() {
  for (auto& f : std::exchange(startupCalls_, {})) {
    try {
      f();
    } catch (const std::exception& e) {
      logUnhandled("a startup call", e);
    }
  }
}

double Reactor::seconds() {
  using Seconds = std::chrono::duration<double>;
  return std::chrono::duration_cast<Seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

DelayedCall Reactor::callLater(double seconds, std::function<void()> f) {
  // Written so that NaN fails too. A longer delay would overflow the timer
  // and fire at once.
  if (!(seconds >= 0 && seconds <= kMaxDelay)) {
    throw std::invalid_argument("Reactor::callLater(): delay must be from 0 to " +
                                std::to_string(static_cast<long>(kMaxDelay)) + " seconds");
  }
  auto call = std::make_shared<DelayedCall::State>();
  call->reactor = this;
  call->callable = std::move(f);
  call->time = Reactor::seconds() + seconds;
  if (trace::enabled) {
    std::ostringstream what;
    what << "callLater(" << seconds << ")";
    call->what = what.str();
  }
  call->timer.reset(evtimer_new(base_, &Reactor::onTimer, call.get()));
  const timeval delay = toTimeval(seconds);
  evtimer_add(call->timer.get(), &delay);
  delayedCalls_.emplace(call.get(), call);
  return DelayedCall(call);
}

void Reactor::onTimer(evutil_socket_t /*fd*/, short /*what*/, void* arg) {
  auto* call = static_cast<DelayedCall::State*>(arg);
  call->reactor->runDelayedCall(*call);
}

void Reactor::runDelayedCall(DelayedCall::State& call) {
  // Holding our own reference keeps the call alive while it runs, even if it
  // drops the last handle on itself.
  std::shared_ptr<DelayedCall::State> running = delayedCalls_.extract(&call).mapped();
  running->called = true;
  if (trace::enabled) trace::line("timer: " + running->what + " is due -> run it");
  try {
    running->callable();
  } catch (const std::exception& e) {
    logUnhandled("a delayed call", e);
  }
}

void Reactor::cancelDelayedCall(DelayedCall::State& call) {
  call.cancelled = true;
  call.timer.reset();
  delayedCalls_.erase(&call);
}

void Reactor::onSignal(evutil_socket_t /*signal*/, short /*what*/, void* arg) {
  auto* reactor = static_cast<Reactor*>(arg);
  if (reactor->running_ && !reactor->stopping_) reactor->stop();
}

void Reactor::add(Registry& registry, IFileDescriptor* selectable,
                  IReadDescriptor* reader, IWriteDescriptor* writer) {
  if (registry.contains(selectable)) return;
  const int fd = selectable->fileno();
  if (fd < 0) throw std::invalid_argument("Reactor: cannot watch a closed descriptor");
  auto registration =
      std::make_unique<Registration>(Registration{this, reader, writer, {}});
  const auto what =
      static_cast<short>((reader != nullptr ? EV_READ : EV_WRITE) | EV_PERSIST);
  registration->ev.reset(
      event_new(base_, fd, what, &Reactor::onReady, registration.get()));
  event_add(registration->ev.get(), nullptr);
  registry.emplace(selectable, std::move(registration));
}

void Reactor::addReader(IReadDescriptor* reader) {
  add(readers_, reader, reader, nullptr);
}

void Reactor::addWriter(IWriteDescriptor* writer) {
  add(writers_, writer, nullptr, writer);
}

// Erasing frees the libevent event, which is safe even from inside that
// event's own callback: libevent copied what it needed before calling us.
void Reactor::removeReader(IReadDescriptor* reader) { readers_.erase(reader); }

void Reactor::removeWriter(IWriteDescriptor* writer) { writers_.erase(writer); }

std::vector<IReadDescriptor*> Reactor::getReaders() const {
  std::vector<IReadDescriptor*> readers;
  for (const auto& [selectable, registration] : readers_) {
    readers.push_back(registration->reader);
  }
  return readers;
}

std::vector<IWriteDescriptor*> Reactor::getWriters() const {
  std::vector<IWriteDescriptor*> writers;
  for (const auto& [selectable, registration] : writers_) {
    writers.push_back(registration->writer);
  }
  return writers;
}

//! [onReady]
void Reactor::onReady(evutil_socket_t /*fd*/, short /*what*/, void* arg) {
  // Copy out what we need: the registration may be freed by the call below.
  const auto& registration = *static_cast<Registration*>(arg);
  registration.reactor->doReadOrWrite(registration.reader, registration.writer);
}
//! [onReady]

//! [doReadOrWrite]
void Reactor::doReadOrWrite(IReadDescriptor* reader, IWriteDescriptor* writer) {
  IFileDescriptor& selectable = reader != nullptr
                                    ? static_cast<IFileDescriptor&>(*reader)
                                    : static_cast<IFileDescriptor&>(*writer);
  if (trace::enabled) {
    trace::line("fd " + std::to_string(selectable.fileno()) +
                (reader != nullptr ? " readable: " : " writable: ") +
                selectable.logPrefix() +
                (reader != nullptr ? " -> doRead()" : " -> doWrite()"));
  }
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
void Reactor::disconnectSelectable(IFileDescriptor& selectable, const Failure& why) {
  // Stop watching first, so that connectionLost() sees a reactor without us
  // (client 1.0 counts the readers that are left).
  readers_.erase(&selectable);
  writers_.erase(&selectable);
  if (trace::enabled) {
    std::ostringstream text;
    text << "removed " << selectable.logPrefix() << " -> connectionLost(" << why << ")";
    trace::line(text.str());
  }
  try {
    selectable.connectionLost(why);
  } catch (const std::exception& e) {
    logUnhandled("connectionLost", e);
  }
}
//! [disconnectSelectable]

void Reactor::adopt(std::unique_ptr<IFileDescriptor> descriptor) {
  IFileDescriptor* key = descriptor.get();
  owned_.emplace(key, std::move(descriptor));
}

void Reactor::destroyLater(IFileDescriptor* owned) {
  auto node = owned_.extract(owned);
  if (node.empty()) return;
  // std::function needs a copyable callable, hence the shared_ptr; the
  // descriptor dies with the call's state, after the call has run.
  const std::string what =
      trace::enabled ? "destroyLater(" + owned->logPrefix() + ")" : "";
  auto call = callLater(
      0, [doomed = std::shared_ptr<IFileDescriptor>(std::move(node.mapped()))] {});
  if (trace::enabled) call.state_->what = what;
}

//! [connectTCP]
IConnector& Reactor::connectTCP(const std::string& host, std::uint16_t port,
                                ClientFactory& factory, double timeout) {
  auto& connector = *connectors_.emplace_back(
      std::make_unique<tcp::Connector>(*this, host, port, factory, timeout));
  connector.connect();
  return connector;
}
//! [connectTCP]

IListeningPort& Reactor::listenTCP(std::uint16_t port, Factory& factory,
                                   const std::string& interface, int backlog) {
  return own(std::make_unique<tcp::Port>(*this, port, factory, interface, backlog));
}

evdns_base* Reactor::resolver() {
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
