// Mirrors the reactor errors of twisted.internet.error: misuse of the
// reactor or of a DelayedCall is a programming error, so these are thrown.
// Tested by tests/unit/ReactorTest.cpp and tests/unit/DelayedCallTest.cpp.
#pragma once

#include <stdexcept>

namespace internet::error {

/// stop() was called on a reactor that is not running (or already stopping).
class ReactorNotRunning : public std::logic_error {
  using std::logic_error::logic_error;
};

/// run() was called on a reactor that is already running.
class ReactorAlreadyRunning : public std::logic_error {
  using std::logic_error::logic_error;
};

/// cancel() was called on a DelayedCall that has already run.
class AlreadyCalled : public std::logic_error {
  using std::logic_error::logic_error;
};

/// cancel() was called on a DelayedCall that was already cancelled.
class AlreadyCancelled : public std::logic_error {
  using std::logic_error::logic_error;
};

/// listenTCP() could not bind or listen; what() says where and why.
class CannotListenError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// libevent could not allocate what the reactor needs to watch a descriptor
/// or to run a timer (out of memory); what() says which. The reactor has
/// already logged it (logError).
class OutOfResources : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace internet::error
