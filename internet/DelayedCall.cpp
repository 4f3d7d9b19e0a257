#include "internet/DelayedCall.h"

#include "internet/error.h"

namespace internet {

void DelayedCall::cancel() {
  if (state_->called) throw error::AlreadyCalled("DelayedCall::cancel(): already called");
  if (state_->cancelled) {
    throw error::AlreadyCancelled("DelayedCall::cancel(): already cancelled");
  }
  state_->cancelled = true;
  if (state_->canceller) state_->canceller(*state_);
}

bool DelayedCall::active() const { return !state_->called && !state_->cancelled; }

double DelayedCall::getTime() const { return state_->time; }

}  // namespace internet
