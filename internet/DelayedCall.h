// Mirrors twisted.internet.base.DelayedCall. Tested by tests/unit/DelayedCallTest.cpp.
#pragma once

#include <functional>
#include <memory>

namespace internet {

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

}  // namespace internet
