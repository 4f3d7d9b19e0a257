// Internal to the shim: what a DelayedCall handle points at. Only Reactor.cpp
// and DelayedCall.cpp include this.
#pragma once

#include <event2/event.h>

#include <functional>
#include <memory>
#include <string>

#include "internet/DelayedCall.h"

namespace internet {

/// Frees a libevent event when its owner goes.
struct EventFree {
  void operator()(event* ev) const { event_free(ev); }
};
using UniqueEvent = std::unique_ptr<event, EventFree>;

/// The state shared by every handle of one scheduled call.
struct DelayedCall::State {
  Reactor* reactor = nullptr;  ///< null once the reactor is gone
  UniqueEvent timer;           ///< null once the call has run or been cancelled
  std::function<void()> callable;
  double time = 0;   ///< when it runs, as Reactor::seconds()
  std::string what;  ///< what the call is for, in trace lines (set only when tracing)
  bool called = false;
  bool cancelled = false;
};

}  // namespace internet
