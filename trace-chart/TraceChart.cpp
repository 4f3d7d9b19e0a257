#include "trace-chart/TraceChart.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string_view>

namespace workbook::chart {

namespace {

using nlohmann::json;

std::string textOf(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// How deeply the JSON of a trace may nest: the shim's files nest four deep.
constexpr int kMaxJsonDepth = 16;

/// The string @p key of @p event: "" if it has none.
/// @throws BadTrace if it is there and not a string
std::string stringField(const json& event, const char* key) {
  const auto found = event.find(key);
  if (found == event.end()) return "";
  if (!found->is_string())
    throw BadTrace(std::string("an event whose \"") + key + "\" is not a string");
  return found->get<std::string>();
}

double timeOf(const json& event) {
  const auto ts = event.find("ts");
  if (ts == event.end() || !ts->is_number()) throw BadTrace("an event without a time");
  return ts->get<double>();
}

Call callOf(const json& event, bool moment) {
  Call call;
  call.name = stringField(event, "name");
  call.lane = stringField(event, "cat");
  call.begin = call.end = timeOf(event);
  call.moment = moment;
  if (const auto args = event.find("args"); args != event.end() && args->is_object()) {
    for (const auto& [key, value] : args->items()) call.args[key] = textOf(value);
  }
  return call;
}

/// "ConnectionDone" for "ConnectionDone: the connection was closed cleanly".
std::string kindOf(const std::string& reason) {
  return reason.substr(0, reason.find(':'));
}

std::string argOr(const Call& call, const std::string& key,
                  const std::string& otherwise) {
  const auto found = call.args.find(key);
  return found == call.args.end() ? otherwise : found->second;
}

/// "0" for "0.0", "30" for "30.0".
std::string seconds(std::string delay) {
  if (delay.ends_with(".0")) delay.resize(delay.size() - 2);
  return delay;
}

/// @p text safe inside mscgen's syntax, whatever the trace held: a '"'
/// would end a quoted string and a '\\' escape its closing quote, so they
/// become '\'' and '/'; a control character (a newline would end a comment)
/// becomes a space.
std::string safeForMsc(std::string text) {
  for (char& c : text) {
    if (c == '"') {
      c = '\'';
    } else if (c == '\\') {
      c = '/';
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  return text;
}

/// @p text as an mscgen quoted string.
std::string quoted(const std::string& text) { return '"' + safeForMsc(text) + '"'; }

/// The chart's lanes, in order. A chart names no other: a call the trace
/// puts on a lane of another name is drawn on the reactor's.
constexpr const char* kLanes[] = {"libevent", "reactor", "transport", "protocol",
                                  "factory"};

/// The lane of the chart @p lane names: itself if it is one, else "reactor".
std::string laneOf(const std::string& lane) {
  for (const char* known : kLanes) {
    if (lane == known) return lane;
  }
  return "reactor";
}

bool isRead(const Call& call) {
  return call.lane == "transport" &&
         (call.method() == "doRead" || call.method() == "doWrite");
}

bool isProtocolLost(const Call& call) {
  return call.lane == "protocol" && call.method() == "connectionLost";
}

/// Calls @p visit on each call under @p calls, depth first, with its parent
/// (nullptr for a turn) and its turn.
void walk(const std::vector<Call>& calls, const Call* parent, const Call* turn,
          const std::function<void(const Call&, const Call*, const Call&)>& visit) {
  for (const Call& call : calls) {
    const Call& itsTurn = turn == nullptr ? call : *turn;
    visit(call, parent, itsTurn);
    walk(call.calls, &call, &itsTurn, visit);
  }
}

bool contains(const Call& call, const std::function<bool(const Call&)>& wanted) {
  if (wanted(call)) return true;
  return std::any_of(call.calls.begin(), call.calls.end(),
                     [&](const Call& inner) { return contains(inner, wanted); });
}

/// @p call with only its calls up to and including the first @p last.
Call cutAfter(const Call& call, const std::function<bool(const Call&)>& last,
              bool& done) {
  Call kept = call;
  kept.calls.clear();
  for (const Call& inner : call.calls) {
    if (done) break;
    kept.calls.push_back(cutAfter(inner, last, done));
  }
  if (last(call)) done = true;
  return kept;
}

/// The text of @p parts one after the other, for a line of checkShape().
template <class... Parts>
std::string joined(const Parts&... parts) {
  std::ostringstream text;
  (text << ... << parts);
  return text.str();
}

/// Writes the arrows of one chart.
class MscWriter {
 public:
  MscWriter(std::ostream& out, const std::vector<Call>& turns) : out_(out) {
    walk(turns, nullptr, nullptr, [this](const Call& call, const Call*, const Call&) {
      const std::string lane = laneOf(call.lane);
      if (!call.owner().empty() && !labels_.contains(lane)) labels_[lane] = call.owner();
      used_.insert(lane);
    });
  }

  void header(const std::string& command) {
    out_ << "# " << safeForMsc(command)
         << "\nmsc {\n  hscale=\"1.8\", arcgradient=\"0\";\n\n  ";
    std::string separator;
    for (const std::string lane : kLanes) {
      if (lane != "libevent" && lane != "reactor" && !used_.contains(lane)) continue;
      std::string label = lane == "reactor" ? "Reactor" : lane;
      if (labels_.contains(lane)) label = labels_[lane];
      out_ << separator << lane << " [label=" << quoted(label) << "]";
      separator = ", ";
    }
    out_ << ";\n\n";
  }

  void turn(const Call& call) {
    if (call.moment) {
      moment(call);
      return;
    }
    if (call.name == "doReadOrWrite") {
      arrow("libevent", "reactor",
            "fd " + argOr(call, "fd", "?") + " " + argOr(call, "event", "ready") +
                ": doReadOrWrite()");
    } else if (call.name == "callLater") {
      arrow("libevent", "reactor",
            "timer: callLater(" + seconds(argOr(call, "delay", "?")) + ") is due");
    } else if (call.name == "destroyLater") {
      arrow("libevent", "reactor", "timer: destroyLater(...) is due");
    } else {
      arrow("reactor", "reactor", call.name + "()");
    }
    calls(call, "");
  }

  void more(std::size_t count, const std::string& what) {
    out_ << "  --- [label=" << quoted("... " + std::to_string(count) + " more " + what)
         << "];\n";
  }

  void footer() { out_ << "}\n"; }

 private:
  void calls(const Call& caller, const std::string& reason) {
    for (std::size_t i = 0; i < caller.calls.size(); ++i) {
      const Call& call = caller.calls[i];
      if (call.moment) {
        moment(call);
        continue;
      }
      arrow(laneOf(caller.lane), laneOf(call.lane), label(call, reason));
      calls(call, argOr(call, "reason", reason));
      // doRead() returned a reason: the reactor takes it from here.
      if (isRead(call) && i + 1 < caller.calls.size() &&
          caller.calls[i + 1].method() == "connectionLost") {
        out_ << "  " << laneOf(call.lane) << " >> " << laneOf(caller.lane) << " [label="
             << quoted("returns " + kindOf(argOr(caller.calls[i + 1], "reason", "?")))
             << "];\n";
      }
    }
  }

  static std::string label(const Call& call, const std::string& reason) {
    const std::string method = call.method();
    if (method == "dataReceived") {
      return "dataReceived(" + argOr(call, "bytes", "?") + " bytes)";
    }
    if (method == "buildProtocol")
      return "buildProtocol(" + argOr(call, "peer", "") + ")";
    if (method == "connectionLost" || method == "clientConnectionLost" ||
        method == "clientConnectionFailed") {
      return method + "(" + kindOf(argOr(call, "reason", reason)) + ")";
    }
    return method + "()";
  }

  void moment(const Call& call) {
    if (call.name == "connectTCP") {
      // Across the reactor and the transport it will make: wide enough for
      // an address, which one lane is not.
      out_ << "  reactor rbox transport [label="
           << quoted("connectTCP(" + argOr(call, "destination", "?") + ")") << "];\n";
    } else if (laneOf(call.lane) == "libevent") {
      out_ << "  libevent rbox libevent [label=" << quoted(argOr(call, "message", ""))
           << "];\n";
    }
  }

  void arrow(const std::string& from, const std::string& to, const std::string& text) {
    out_ << "  " << from << " => " << to << " [label=" << quoted(text) << "];\n";
  }

  std::ostream& out_;
  std::map<std::string, std::string> labels_;
  std::set<std::string> used_;
};

}  // namespace

std::string Call::method() const {
  const auto colons = name.rfind("::");
  return colons == std::string::npos ? name : name.substr(colons + 2);
}

std::string Call::owner() const {
  const auto colons = name.rfind("::");
  return colons == std::string::npos ? "" : name.substr(0, colons);
}

namespace {

/// @return how deeply the arrays and objects of the JSON @p text nest, its
/// strings skipped (malformed text gives some number; the parser refuses it).
int nestingOf(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  bool escaped = false;
  for (const char c : text) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

/// @p text with its last line, cut short by a process killed mid-write,
/// dropped and the events closed (the shim writes one event a line, and
/// "]}" after them): Chrome's trace viewer reads such a file too.
std::string withoutCutLastLine(std::string text) {
  const auto lastBreak = text.rfind('\n');
  if (lastBreak == std::string::npos) return text;  // the header: nothing to save
  text.resize(lastBreak);
  while (!text.empty() && (text.back() == ',' || text.back() == '\r')) text.pop_back();
  return text + "]}";
}

/// Parses @p in, refusing JSON nested deeper than kMaxJsonDepth before the
/// recursion of printing or freeing it could overflow the stack. (Measured
/// apart: nlohmann's parser callback takes time quadratic in an array.)
json parseBounded(std::istream& in) {
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  if (nestingOf(text) > kMaxJsonDepth) {
    throw BadTrace("JSON nested deeper than " + std::to_string(kMaxJsonDepth));
  }
  try {
    if (!json::accept(text)) {
      const std::string repaired = withoutCutLastLine(text);
      if (json::accept(repaired)) return json::parse(repaired);
    }
    return json::parse(text);
  } catch (const json::exception& e) {
    throw BadTrace(std::string("not JSON: ") + e.what());
  }
}

/// The command line the trace's header records, "" if it records none.
std::string commandOf(const json& document) {
  const auto other = document.find("otherData");
  if (other == document.end() || !other->is_object()) return "";
  const auto command = other->find("command");
  return command == other->end() ? "" : textOf(*command);
}

/// Builds the turns of a run from its events, one after the other.
class RunBuilder {
 public:
  void add(const json& event) {
    if (!event.is_object()) throw BadTrace("an event that is not an object");
    const std::string phase = stringField(event, "ph");
    if (phase != "B" && phase != "E" && phase != "i") return;  // metadata, spans
    const double time = timeOf(event);
    if (time <= last_) throw BadTrace("two events at the same time, or out of order");
    last_ = time;
    if (phase == "B") {
      if (open_.size() == kMaxCallDepth) {
        throw BadTrace("calls nested deeper than " + std::to_string(kMaxCallDepth));
      }
      open_.push_back(callOf(event, false));
    } else if (phase == "i") {
      place(callOf(event, true));
    } else {
      endCall(stringField(event, "name"), time);
    }
  }

  /// The run, once every event is in. A process that ended without warning
  /// leaves calls open: they end with the trace.
  std::vector<Call> finish() {
    while (!open_.empty()) endCall(open_.back().name, last_);
    return std::move(turns_);
  }

 private:
  void endCall(const std::string& name, double time) {
    if (open_.empty() || open_.back().name != name) {
      throw BadTrace("\"" + name + "\" ends a call it did not begin");
    }
    Call call = std::move(open_.back());
    open_.pop_back();
    call.end = time;
    place(std::move(call));
  }

  void place(Call call) {
    (open_.empty() ? turns_ : open_.back().calls).push_back(std::move(call));
  }

  std::vector<Call> turns_;
  std::vector<Call> open_;  // the calls begun and not yet ended, outermost first
  double last_ = 0;
};

}  // namespace

Run readRun(std::istream& in) {
  const json document = parseBounded(in);
  const auto events =
      document.is_object() ? document.find("traceEvents") : document.end();
  if (events == document.end() || !events->is_array()) {
    throw BadTrace("not a trace: no traceEvents");
  }
  Run run;
  run.command = commandOf(document);
  RunBuilder builder;
  for (const json& event : *events) builder.add(event);
  run.turns = builder.finish();
  return run;
}

Run readRunFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw BadTrace("not a regular file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) throw BadTrace("cannot be read: " + error.message());
  if (size > kMaxTraceBytes) {
    throw BadTrace("larger than " + std::to_string(kMaxTraceBytes >> 20U) +
                   " MiB, more than any trace the shim writes");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw BadTrace("cannot be read");
  // Through the stream, which turns a read error into a state rather than
  // an exception; a file that grows meanwhile is read up to its size.
  std::string text(static_cast<std::size_t>(size), '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) throw BadTrace("cannot be read");
  text.resize(static_cast<std::size_t>(file.gcount()));
  std::istringstream in(std::move(text));
  return readRun(in);
}

Part partNamed(const std::string& name) {
  static const std::map<std::string, Part> kParts = {{"all", Part::All},
                                                     {"born", Part::Born},
                                                     {"meets", Part::Meets},
                                                     {"data", Part::Data},
                                                     {"lost", Part::Lost}};
  const auto found = kParts.find(name);
  if (found == kParts.end()) {
    throw std::invalid_argument("no part '" + name +
                                "' (all, born, meets, data or lost)");
  }
  return found->second;
}

void writeMsc(std::ostream& out, const Run& run, Part part, std::size_t maxTurns) {
  std::vector<Call> turns;
  if (part == Part::All) {
    turns = run.turns;
  } else {
    const auto wanted = [part](const Call& call) {
      switch (part) {
        case Part::Born:
          return call.method() == "buildProtocol";
        case Part::Meets:
          return call.method() == "makeConnection";
        case Part::Data:
          return call.method() == "dataReceived";
        default:
          return isProtocolLost(call);
      }
    };
    const auto found =
        std::find_if(run.turns.begin(), run.turns.end(),
                     [&](const Call& turn) { return contains(turn, wanted); });
    if (found == run.turns.end()) throw BadTrace("the run has no such part");
    bool done = false;
    turns.push_back(part == Part::Born ? cutAfter(*found, wanted, done) : *found);
  }

  MscWriter writer(out, turns);
  writer.header(run.command);
  std::size_t shown = 0;
  std::size_t left = 0;
  for (const Call& turn : turns) {
    if (shown == maxTurns) {
      left += turn.moment ? 0 : 1;
      continue;
    }
    writer.turn(turn);
    shown += turn.moment ? 0 : 1;
  }
  if (left > 0) writer.more(left, left == 1 ? "turn of the loop" : "turns of the loop");
  writer.footer();
}

std::vector<std::string> checkShape(const Run& run) {
  std::vector<std::string> broken;
  // For each connection, when each of its first steps began.
  std::map<std::string, std::map<std::string, double>> firsts;
  walk(
      run.turns, nullptr, nullptr,
      [&](const Call& call, const Call* parent, const Call& turn) {
        const std::string method = call.method();
        const std::string connection = argOr(call, "connection", "");
        if (!connection.empty() && !call.moment && !firsts[connection].contains(method)) {
          firsts[connection][method] = call.begin;
        }
        if (method == "dataReceived" &&
            (parent == nullptr || parent->method() != "doRead")) {
          broken.push_back(
              joined(call.name, " at ", call.begin, " us is not called by a doRead()"));
        }
        if (isProtocolLost(call)) {
          const bool afterReads = std::all_of(
              turn.calls.begin(), turn.calls.end(),
              [&](const Call& step) { return !isRead(step) || step.end < call.begin; });
          if (!afterReads || (parent != nullptr && isRead(*parent))) {
            broken.push_back(joined(call.name, " at ", call.begin,
                                    " us runs before doRead() has returned"));
          }
        }
      });
  const char* order[] = {"buildProtocol", "makeConnection", "connectionMade",
                         "dataReceived"};
  for (const auto& [connection, steps] : firsts) {
    if (!steps.contains("dataReceived")) continue;
    std::optional<std::pair<std::string, double>> before;
    for (const std::string step : order) {
      const auto found = steps.find(step);
      // A connection a server accepted is built without a connector's call.
      if (found == steps.end()) {
        if (step != "buildProtocol") {
          broken.push_back(
              joined("connection ", connection, " receives data without ", step));
        }
        continue;
      }
      if (before && found->second <= before->second) {
        broken.push_back(joined("connection ", connection, ": ", step, " comes before ",
                                before->first));
      }
      before = {step, found->second};
    }
  }
  return broken;
}

}  // namespace workbook::chart
