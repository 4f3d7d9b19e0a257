// The trace file: with REACTOR_TRACE=FILE.json in the environment the shim
// writes its run to FILE.json in the Chrome trace event format, which
// Perfetto's UI (ui.perfetto.dev) and chrome://tracing open. One track shows
// the reactor loop: a slice for each dispatch or delayed call, with the
// calls it led to nested inside it (doReadOrWrite, then doRead, then
// dataReceived); each connection is an async span from connectTCP() to its
// connectionLost(). Like the line printer (Trace.h), it is only a
// ReactorObserver. Tested by tests/e2e/TraceJsonTest.cpp.
#pragma once

#include <memory>
#include <string>

#include "internet/ReactorObserver.h"

namespace internet::trace {

/// @return an observer that writes what it hears to @p path, or nullptr,
///         after one line on stderr, if @p path cannot be written. The file
///         is valid JSON after every turn of the loop, and complete once the
///         observer is destroyed (at the end of the process, for the one
///         fromEnvironment() chose).
std::unique_ptr<ReactorObserver> jsonFile(const std::string& path);

}  // namespace internet::trace
