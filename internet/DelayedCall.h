// Mirrors twisted.internet.base.DelayedCall. Tested by tests/unit/DelayedCallTest.cpp.
#pragma once

#include <functional>
#include <memory>

#include "internet/UniqueEvent.h"

namespace internet {

class IFileDescriptor;
class ReactorBase;

/// A handle on a call scheduled with ReactorBase::callLater().
///
/// Handles are cheap to copy; all copies speak of the same call. Dropping every
/// handle does not cancel the call: the reactor keeps it until it runs.
class DelayedCall {
 public:
  /// Stops the call from running.
  /// @throws error::AlreadyCalled if it has run, error::AlreadyCancelled if it
  ///         was cancelled before.
  void cancel();

  /// @return true while the call has neither run nor been cancelled.
  bool active() const;

  /// @return when the call runs, in seconds since the epoch (ReactorBase::seconds()).
  double getTime() const;

 private:
  friend class ReactorBase;
  struct State;
  explicit DelayedCall(std::shared_ptr<State> state) : state_(std::move(state)) {}

  std::shared_ptr<State> state_;
};

/// The state shared by every handle of one scheduled call: the reactor core's
/// own business, here only so that DelayedCall.cpp can reach it.
struct DelayedCall::State {
  /// Takes the call off the reactor's timers (Twisted's `canceller`): the
  /// reactor sets it, so that a DelayedCall needs to know nothing of it.
  /// Empty once the reactor is gone.
  std::function<void(State&)> canceller;
  ReactorBase* reactor = nullptr;  ///< who runs it when it is due

  UniqueEvent timer;               ///< null once the call has run or been cancelled
  std::function<void()> callable;  ///< what to call when it is due
  double time = 0;                 ///< when it runs, as ReactorBase::seconds()
  double delay = 0;                ///< the delay it was given, for the observer
  /// For a call that destroys a descriptor later: the descriptor, so that the
  /// observer can name it. It lives until the call has run.
  const IFileDescriptor* doomed = nullptr;
  bool called = false;     ///< it has run (or is running)
  bool cancelled = false;  ///< cancel() was called before it ran
};

}  // namespace internet
