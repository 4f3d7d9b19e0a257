// The shim's own error messages, as Twisted's log.err: an exception a
// callback let through, a warning from libevent, a port that cannot accept
// for a while. One function, so that every such message is written the same
// way. Tested by tests/unit/LogTest.cpp, and through its callers by
// tests/unit/ReactorTest.cpp and tests/unit/TcpTest.cpp.
#pragma once

#include <initializer_list>
#include <string_view>

namespace internet {

/// Writes @p parts, one after the other, as one line on stderr, e.g.
/// `logError({"Unhandled error in ", where, ": ", e.what()})`.
///
/// What it promises:
/// - no prefix is added: each message says where it comes from itself
///   ("Unhandled error in tcp.Port 10000: ...", "Error in libevent: ...");
/// - a newline ends it, and the line goes to stderr in one write, flushed,
///   so that lines from the program or the trace never cut into it;
/// - it never throws, not even for want of memory: it is called from catch
///   blocks and from libevent's C code, where an exception must not escape.
///   A message that cannot be written is lost.
void logError(std::initializer_list<std::string_view> parts) noexcept;

}  // namespace internet
