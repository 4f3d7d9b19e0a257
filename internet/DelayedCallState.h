// Internal to the shim: what a DelayedCall handle points at. Only the reactor
// core and DelayedCall.cpp include this.
#pragma once

#include <functional>

#include "internet/DelayedCall.h"
#include "internet/UniqueEvent.h"

namespace internet {

class IFileDescriptor;
class ReactorBase;

/// The state shared by every handle of one scheduled call.
struct DelayedCall::State {
  /// Takes the call off the reactor's timers (Twisted's `canceller`): the
  /// reactor sets it, so that a DelayedCall needs to know nothing of it.
  /// Empty once the reactor is gone.
  std::function<void(State&)> canceller;
  ReactorBase* reactor = nullptr;  ///< who runs it when it is due

  UniqueEvent timer;  ///< null once the call has run or been cancelled
  std::function<void()> callable;
  double time = 0;   ///< when it runs, as ReactorBase::seconds()
  double delay = 0;  ///< the delay it was given, for the observer
  /// For a call that destroys a descriptor later: the descriptor, so that the
  /// observer can name it. It lives until the call has run.
  const IFileDescriptor* doomed = nullptr;
  bool called = false;
  bool cancelled = false;
};

}  // namespace internet
