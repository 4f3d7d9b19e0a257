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
///         after one line on stderr, if @p path cannot be written or is not
///         a regular file (a FIFO, a device): a symbolic link is never
///         followed. The file holds one event a line; it is valid JSON after
///         every turn of the loop, and complete once the observer is
///         destroyed (at the end of the process, for the one
///         fromEnvironment() chose). A process killed mid-turn leaves at
///         most its last line cut short, which trace-chart reads past, as
///         Chrome's trace viewer does. A write that fails is one line on
///         stderr, and the trace stops there. The file stops growing at
///         64 MiB (REACTOR_TRACE_MAX_BYTES=N for another cap): its last
///         event is then a note "trace size cap reached".
std::unique_ptr<ReactorObserver> jsonFile(const std::string& path);

}  // namespace internet::trace
