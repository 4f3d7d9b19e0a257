#include "internet/trace/TraceJson.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

#include "internet/Factory.h"
#include "internet/Failure.h"
#include "internet/Protocol.h"
#include "internet/interfaces.h"
#include "internet/log.h"
#include "internet/trace/ClassName.h"

namespace internet::trace {

namespace {

using nlohmann::json;

/// Who a slice belongs to: its "cat" in the file, its lane in a chart.
enum class Lane { Reactor, Transport, Protocol, Factory };

const char* laneName(Lane lane) {
  switch (lane) {
    case Lane::Reactor:
      return "reactor";
    case Lane::Transport:
      return "transport";
    case Lane::Protocol:
      return "protocol";
    case Lane::Factory:
      return "factory";
  }
  return "?";
}

/// A class as the trace names it: "tcp::Client", "PoetryProtocol".
template <class T>
std::string nameOf(const T& object) {
  std::string name = className(typeid(object));
  constexpr std::string_view kShim = "internet::";
  if (name.starts_with(kShim)) name.erase(0, kShim.size());
  return name;
}

/// @p value as JSON text. Arguments, file names and addresses may hold bytes
/// that are not UTF-8 (a poem named "poem\xff.txt"): they become U+FFFD
/// rather than an exception that would abort the traced program.
std::string dumped(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string text(const Failure& failure) {
  std::ostringstream out;
  out << failure;
  return out.str();
}

/// "127.0.0.1:10001" for a transport, "" for a descriptor that is none.
std::string peerOf(const IFileDescriptor& descriptor) {
  const auto* transport = dynamic_cast<const ITransport*>(&descriptor);
  if (transport == nullptr) return "";
  const Address peer = transport->getPeer();
  return hostOf(peer) + ":" + std::to_string(portOf(peer));
}

/// The command line of this process, for the file's header.
std::string commandLine() {
  std::ifstream file("/proc/self/cmdline", std::ios::binary);
  std::string words((std::istreambuf_iterator<char>(file)), {});
  while (!words.empty() && words.back() == '\0') words.pop_back();
  std::replace(words.begin(), words.end(), '\0', ' ');
  return words;
}

/// Writes the events as the Chrome trace event format's "B"/"E" slices on
/// one track, which nest by their order in the file.
class TraceFile : public ReactorObserver {
 public:
  TraceFile(std::FILE* file, std::string path, std::size_t maxBytes)
      : file_(file), path_(std::move(path)), maxBytes_(maxBytes), pid_(getpid()) {
    // The object format, its traceEvents last: the file is the header, the
    // events, and a closing "]}" that each checkpoint writes and the next
    // event overwrites.
    const json header = {{"displayTimeUnit", "ms"},
                         {"otherData", {{"command", commandLine()}}},
                         {"traceEvents", json::array()}};
    std::string opening = dumped(header);
    opening.resize(opening.size() - std::strlen(kTrailer));  // "...[", open
    put(opening);
    write({{"ph", "M"}, {"name", "process_name"}, {"args", {{"name", commandLine()}}}});
    write({{"ph", "M"}, {"name", "thread_name"}, {"args", {{"name", "reactor loop"}}}});
    checkpoint();
  }

  ~TraceFile() override {
    closeAll();
    for (auto& [descriptor, span] : spans_) {
      if (!span.ended) endSpan(span, "unfinished: the run ended");
    }
    put(kTrailer);
    put("\n");
    if (std::fclose(file_) != 0) failed();
  }

  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  void dispatching(const IFileDescriptor& selectable, bool reading) override {
    closeAll();
    begin("doReadOrWrite", Lane::Reactor, nullptr,
          {{"fd", selectable.fileno()}, {"event", reading ? "readable" : "writable"}});
    json args = {{"descriptor", selectable.logPrefix()}};
    if (const Span* span = spanOf(selectable)) args["connection"] = span->id;
    begin(nameOf(selectable) + (reading ? "::doRead" : "::doWrite"), Lane::Transport,
          &selectable, std::move(args));
  }

  void callDue(double delay, const IFileDescriptor* doomed) override {
    closeAll();
    if (doomed != nullptr) {
      begin("destroyLater", Lane::Reactor, nullptr,
            {{"descriptor", doomed->logPrefix()}});
    } else {
      begin("callLater", Lane::Reactor, nullptr, {{"delay", delay}});
    }
  }

  void returned() override {
    closeAll();
    checkpoint();
  }

  void dataReceived(const IFileDescriptor& transport, const Protocol& protocol,
                    std::size_t bytes) override {
    closeAbove(&transport, Lane::Transport);
    Span& span = spanFor(transport);
    span.received += bytes;
    begin(nameOf(protocol) + "::dataReceived", Lane::Protocol, &transport,
          {{"bytes", bytes}, {"connection", span.id}, {"peer", peerOf(transport)}});
  }

  void disconnecting(const IFileDescriptor& selectable, const Failure& why) override {
    // doRead() or doWrite() has returned its reason; at shutdown there is
    // no dispatch: run() itself tells whatever is left.
    if (!closeAbove(nullptr, Lane::Reactor))
      begin("disconnectAll", Lane::Reactor, nullptr);
    begin(nameOf(selectable) + "::connectionLost", Lane::Transport, &selectable,
          {{"reason", text(why)}});
  }

  void connectionLost(const IFileDescriptor& transport,
                      const Protocol& protocol) override {
    closeAbove(&transport, Lane::Transport);
    Span& span = spanFor(transport);
    begin(nameOf(protocol) + "::connectionLost", Lane::Protocol, &transport,
          {{"connection", span.id}, {"bytes received", span.received}});
    endSpan(span, "");
  }

  void sent(const IFileDescriptor& transport, std::size_t bytes,
            std::size_t left) override {
    spanFor(transport).sent += bytes;
    instant("sent", Lane::Transport, {{"bytes", bytes}, {"left", left}});
  }

  void connected(const IFileDescriptor& /*client*/) override {
    // buildProtocol, next, says it.
  }

  void connectFailed(const IFileDescriptor& client, const Failure& reason) override {
    if (Span* span = spanOf(client)) span->reason = text(reason);
  }

  void libeventSaid(std::string_view message, bool fromResolver) override {
    write({{"ph", "i"},
           {"s", "t"},
           {"name", fromResolver ? "evdns" : "libevent"},
           {"cat", "libevent"},
           {"ts", now()},
           {"args", {{"message", message}}}});
  }

  void callingFactory(FactoryCall call, const Factory& factory,
                      const IConnector& connector,
                      const IFileDescriptor& client) override {
    const std::string factoryName = nameOf(factory);
    switch (call) {
      case FactoryCall::StartedConnecting: {
        const Address destination = connector.getDestination();
        const Span& span = startSpan(
            client, hostOf(destination) + ":" + std::to_string(portOf(destination)));
        instant("connectTCP", Lane::Reactor,
                {{"destination", span.destination},
                 {"connection", span.id},
                 {"factory", factoryName}});
        return;
      }
      case FactoryCall::BuildProtocol:
        closeAbove(&client, Lane::Transport);
        begin(factoryName + "::buildProtocol", Lane::Factory, &client,
              {{"connection", spanFor(client).id}, {"peer", peerOf(client)}});
        return;
      case FactoryCall::ClientConnectionFailed: {
        Span& span = spanFor(client);
        begin(factoryName + "::clientConnectionFailed", Lane::Factory, &client,
              {{"connection", span.id}, {"reason", span.reason}});
        endSpan(span, span.reason);
        return;
      }
      case FactoryCall::ClientConnectionLost:
        closeAbove(&client, Lane::Transport);
        begin(factoryName + "::clientConnectionLost", Lane::Factory, &client,
              {{"connection", spanFor(client).id}});
        return;
    }
  }

  void makingConnection(const IFileDescriptor& transport,
                        const Protocol& protocol) override {
    // buildProtocol() has returned: here is its protocol.
    while (!stack_.empty() && stack_.back().about == &transport &&
           stack_.back().lane == Lane::Factory) {
      end();
    }
    // A connection a server accepted has no span yet; nor has one whose
    // object reuses the memory of a connection gone before.
    const Span* span = spanOf(transport);
    const int id = span != nullptr && !span->ended
                       ? span->id
                       : startSpan(transport, peerOf(transport)).id;
    begin(nameOf(protocol) + "::makeConnection", Lane::Protocol, &transport,
          {{"connection", id}, {"peer", peerOf(transport)}});
    // Protocol::makeConnection() is not virtual and ends by calling
    // connectionMade(): that call is nested in it.
    begin(nameOf(protocol) + "::connectionMade", Lane::Protocol, &transport,
          {{"connection", id}});
  }

 private:
  /// A slice begun and not yet ended.
  struct Open {
    std::string name;
    Lane lane;
    const IFileDescriptor* about;  // the descriptor it concerns, if any
  };

  /// A connection's async span.
  struct Span {
    int id = 0;
    std::string destination;
    std::string reason;  // why the connect failed, if it did
    std::size_t received = 0;
    std::size_t sent = 0;
    bool ended = false;  // kept after its end, for the factory's calls that follow
  };

  static constexpr char kTrailer[] = "]}";

  /// Microseconds since the trace began; each one later than the last, so
  /// that no two events share a time and every slice nests strictly.
  double now() {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    const double micros = std::chrono::duration<double, std::micro>(elapsed).count();
    last_ = std::max(micros, last_ + 0.001);
    return last_;
  }

  /// Writes @p event on a line of its own, unless the file has reached its
  /// cap: then a last note says so, and nothing more is written.
  void write(json event) {
    if (full_) return;
    event["pid"] = pid_;
    event["tid"] = pid_;
    std::string line = (first_ ? "\n" : ",\n") + dumped(event);
    if (written_ + line.size() + std::strlen(kTrailer) > maxBytes_) {
      full_ = true;
      const json note = {{"ph", "i"},
                         {"s", "g"},
                         {"name", "trace size cap reached"},
                         {"cat", "trace"},
                         {"ts", now()},
                         {"pid", pid_},
                         {"tid", pid_},
                         {"args", {{"bytes", maxBytes_}}}};
      line = (first_ ? "\n" : ",\n") + dumped(note);
    }
    first_ = false;
    put(line);
  }

  /// Writes @p text as it is; the first failure is one warning, and the
  /// trace stops there rather than go on writing into a hole.
  void put(std::string_view text) {
    if (broken_) return;
    // The caller's string outlives this call; cppcheck 2.10 takes the view
    // for one kept past it.
    // cppcheck-suppress invalidLifetime
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) {
      failed();
      return;
    }
    written_ += text.size();
  }

  void failed() {
    if (broken_) return;
    broken_ = true;
    full_ = true;
    logError({"REACTOR_TRACE: cannot write ", path_, ": ", std::strerror(errno),
              "; the trace stops here"});
  }

  void begin(std::string name, Lane lane, const IFileDescriptor* about,
             json args = json::object()) {
    json event = {{"ph", "B"}, {"name", name}, {"cat", laneName(lane)}, {"ts", now()}};
    if (!args.empty()) event["args"] = std::move(args);
    write(std::move(event));
    stack_.push_back({std::move(name), lane, about});
  }

  void end() {
    const Open& top = stack_.back();
    write({{"ph", "E"}, {"name", top.name}, {"cat", laneName(top.lane)}, {"ts", now()}});
    stack_.pop_back();
  }

  void closeAll() {
    while (!stack_.empty()) end();
  }

  /// Ends the slices above the innermost one of @p lane about @p about.
  /// @return false, ending nothing, if no such slice is open
  bool closeAbove(const IFileDescriptor* about, Lane lane) {
    const auto found = std::find_if(
        stack_.rbegin(), stack_.rend(),
        [&](const Open& open) { return open.about == about && open.lane == lane; });
    if (found == stack_.rend()) return false;
    const auto keep = static_cast<std::size_t>(stack_.rend() - found);
    while (stack_.size() > keep) end();
    return true;
  }

  void instant(const char* name, Lane lane, json args) {
    write({{"ph", "i"},
           {"s", "t"},
           {"name", name},
           {"cat", laneName(lane)},
           {"ts", now()},
           {"args", std::move(args)}});
  }

  Span* spanOf(const IFileDescriptor& descriptor) {
    const auto found = spans_.find(&descriptor);
    return found == spans_.end() ? nullptr : &found->second;
  }

  /// The span of @p descriptor; one is started for a connection that no
  /// connectTCP() started (one a server accepted).
  Span& spanFor(const IFileDescriptor& descriptor) {
    if (Span* span = spanOf(descriptor)) return *span;
    return startSpan(descriptor, peerOf(descriptor));
  }

  Span& startSpan(const IFileDescriptor& descriptor, std::string destination) {
    Span& span = spans_[&descriptor];
    span = Span{nextId_++, std::move(destination), "", 0, 0, false};
    write({{"ph", "b"},
           {"cat", "connection"},
           {"name", spanName(span)},
           {"id", span.id},
           {"ts", now()},
           {"args", {{"destination", span.destination}}}});
    return span;
  }

  void endSpan(Span& span, const std::string& reason) {
    if (span.ended) return;
    span.ended = true;
    json args = {{"bytes received", span.received}, {"bytes sent", span.sent}};
    if (!reason.empty()) args["reason"] = reason;
    write({{"ph", "e"},
           {"cat", "connection"},
           {"name", spanName(span)},
           {"id", span.id},
           {"ts", now()},
           {"args", std::move(args)}});
  }

  static std::string spanName(const Span& span) {
    return "connection " + std::to_string(span.id) + " to " + span.destination;
  }

  /// Makes the file whole as it stands (the closing "]}") and steps back
  /// over it, so that a process that ends without warning still leaves
  /// valid JSON behind.
  void checkpoint() {
    if (broken_) return;
    const long at = std::ftell(file_);
    if (std::fputs(kTrailer, file_) == EOF || std::fflush(file_) != 0) {
      failed();
      return;
    }
    if (at >= 0) std::fseek(file_, at, SEEK_SET);
  }

  std::FILE* file_;
  std::string path_;
  std::size_t maxBytes_;  // the cap on the file's size
  std::size_t written_ = 0;
  bool full_ = false;    // the cap is reached: no more events
  bool broken_ = false;  // a write failed: nothing more at all
  int pid_;
  bool first_ = true;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_ = 0;
  std::vector<Open> stack_;
  std::unordered_map<const IFileDescriptor*, Span> spans_;
  int nextId_ = 1;
};

}  // namespace

namespace {

constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20U;

/// The cap on the file's size: REACTOR_TRACE_MAX_BYTES if set to a number,
/// else 64 MiB.
std::size_t maxBytes() {
  const char* value = std::getenv("REACTOR_TRACE_MAX_BYTES");
  if (value == nullptr) return kDefaultMaxBytes;
  char* end = nullptr;
  const unsigned long long bytes = std::strtoull(value, &end, 10);
  if (end == value || *end != '\0' || bytes == 0) return kDefaultMaxBytes;
  return static_cast<std::size_t>(bytes);
}

/// Opens @p path for the trace: never through a symbolic link (whose
/// target would be overwritten), never waiting on a FIFO, and only a
/// regular file. @return the file, or nullptr after one warning
std::FILE* openRegularFile(const std::string& path) {
  const auto refuse = [&](const char* why) -> std::FILE* {
    logError(
        {"REACTOR_TRACE: cannot write ", path, ": ", why, "; running without a trace"});
    return nullptr;
  };
  const int fd =
      open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
  if (fd == -1) return refuse(std::strerror(errno));
  struct stat status {};
  if (fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    close(fd);
    return refuse("not a regular file");
  }
  // Emptied only now that it is known to be a regular file of our own.
  std::FILE* file = ftruncate(fd, 0) == 0 ? fdopen(fd, "w") : nullptr;
  if (file == nullptr) {
    const int error = errno;
    close(fd);
    return refuse(std::strerror(error));
  }
  return file;
}

}  // namespace

std::unique_ptr<ReactorObserver> jsonFile(const std::string& path) {
  std::FILE* file = openRegularFile(path);
  if (file == nullptr) return nullptr;
  return std::make_unique<TraceFile>(file, path, maxBytes());
}

}  // namespace internet::trace
