// The live reactor trace: with REACTOR_TRACE=1 in the environment the shim
// prints one line to stderr for each step of its machinery (a descriptor
// woke, a method ran, what came of it), so that a student can watch the loop
// go round. It is a ReactorObserver: the reactor and the transports announce
// events, and this file alone turns them into text. Tested by
// tests/e2e/TraceTest.cpp.
#pragma once

#include <string>

#include "internet/ReactorObserver.h"

namespace internet::trace {

/// @return the observer REACTOR_TRACE asks for: none when it is unset, ""
///         or "0"; the trace file (TraceJson.h) when it names a file ending
///         in ".json"; otherwise the line printer. Read once, by the first
///         internet::Reactor built, which hands the result to its core; the
///         same observer for every reactor of the process.
ReactorObserver* fromEnvironment();

}  // namespace internet::trace
