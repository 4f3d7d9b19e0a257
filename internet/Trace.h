// The live reactor trace: with REACTOR_TRACE=1 in the environment the shim
// prints one line to stderr for each turn of its machinery (a descriptor
// woke, a method ran, what came of it), so that a student can watch the loop
// go round. Tested by tests/e2e/TraceTest.cpp.
#pragma once

#include <string>
#include <string_view>
#include <typeinfo>

namespace internet::trace {

/// True when REACTOR_TRACE is set to anything but "" or "0"; read once, at
/// start-up. Every trace point is `if (trace::enabled) ...`: one branch when off.
extern const bool enabled;

/// Prints "reactor: " and @p text on a line of its own to stderr.
void line(std::string_view text);

/// The readable name of a class, e.g. "PoetryProtocol", for trace lines.
std::string className(const std::type_info& type);

}  // namespace internet::trace
