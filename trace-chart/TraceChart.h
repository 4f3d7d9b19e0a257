// Reading back a trace file the shim wrote (REACTOR_TRACE=FILE.json, see
// internet/trace/TraceJson.h) as the calls of each turn of the loop, drawing it as
// an mscgen message sequence chart, and checking its shape: the figures of
// the docs are drawn from real runs, and a test checks that those runs still
// go the way the pages say. Used by trace-chart (trace-chart.cpp). Tested by
// tests/unit/TraceChartTest.cpp.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace workbook::chart {

/// One call the trace recorded, with the calls it made.
struct Call {
  std::string
      name;  ///< "doReadOrWrite", "tcp::Client::doRead", "PoetryProtocol::dataReceived"
  std::string lane;  ///< who was called: "reactor", "transport", "protocol", "factory"
  std::map<std::string, std::string>
      args;                 ///< what the trace says of it: "bytes" -> "200"
  double begin = 0;         ///< microseconds since the trace began
  double end = 0;           ///< when it returned; begin for a moment ("connectTCP")
  bool moment = false;      ///< a moment, not a call: nothing returns
  std::vector<Call> calls;  ///< the calls it made, in order

  /// The method: "doRead" for "tcp::Client::doRead".
  std::string method() const;
  /// The class: "tcp::Client" for "tcp::Client::doRead"; "" for "doReadOrWrite".
  std::string owner() const;
};

/// A whole run: what the loop did, turn by turn.
struct Run {
  std::string command;      ///< the command line that was traced
  std::vector<Call> turns;  ///< each dispatch or delayed call, and the moments between
};

/// A trace that cannot be read. what() says why.
class BadTrace : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The largest trace file read: twice the shim's own cap on what it writes
/// (internet/trace/TraceJson.h), so that any file it wrote is read, and a
/// file of any other size is refused before it fills the memory.
constexpr std::size_t kMaxTraceBytes = 128U << 20U;

/// How deeply calls may nest (a call inside a call...): far more than any
/// run of the shim makes, few enough for the recursive drawing and checking.
constexpr std::size_t kMaxCallDepth = 64;

/// Reads a trace file.
/// @throws BadTrace if it is not JSON, not a trace, its slices do not nest,
///         or they nest deeper than kMaxCallDepth
Run readRun(std::istream& in);

/// Reads the trace file at @p path.
/// @throws BadTrace if it is not a regular file, cannot be read, is larger
///         than kMaxTraceBytes, or readRun() refuses what it holds
Run readRunFile(const std::string& path);

/// Which part of a run a chart shows.
enum class Part {
  All,    ///< every turn (up to the limit)
  Born,   ///< the first turn that builds a protocol, up to buildProtocol()
  Meets,  ///< that whole turn: buildProtocol, makeConnection, connectionMade
  Data,   ///< the first turn that calls dataReceived()
  Lost,   ///< the first turn that calls a protocol's connectionLost()
};

/// @return the part named @p name ("all", "born", "meets", "data", "lost").
/// @throws std::invalid_argument for another name
Part partNamed(const std::string& name);

/// Writes @p run as an mscgen chart: a lane each for libevent, the reactor,
/// the transport, the protocol and the factory (those the run used). Shows
/// at most @p maxTurns turns of @p part, then "... N more".
/// @throws BadTrace if the run has no such part
void writeMsc(std::ostream& out, const Run& run, Part part, std::size_t maxTurns);

/// Checks the shape the docs describe: for each connection buildProtocol()
/// before makeConnection() before connectionMade() before the first
/// dataReceived(); every dataReceived() called directly by a doRead(); a
/// protocol's connectionLost() only once the doRead() or doWrite() of its
/// turn has returned.
/// @return one line for each way @p run breaks it; none if it keeps it
std::vector<std::string> checkShape(const Run& run);

}  // namespace workbook::chart
