#include "internet/trace/Trace.h"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <string_view>

#include "internet/Failure.h"
#include "internet/Protocol.h"
#include "internet/interfaces.h"
#include "internet/trace/ClassName.h"
#include "internet/trace/TraceJson.h"

namespace internet::trace {

namespace {

/// Prints "reactor: " and @p text on a line of its own to stderr, in one
/// write, so that lines from the program and from the trace do not break
/// into each other.
void line(std::string_view text) {
  std::cerr << (std::string("reactor: ").append(text) + '\n') << std::flush;
}

/// Says, one line per event, what the reactor and its transports do.
class LinePrinter : public ReactorObserver {
 public:
  void dispatching(const IFileDescriptor& selectable, bool reading) override {
    line("fd " + std::to_string(selectable.fileno()) +
         (reading ? " readable: " : " writable: ") + selectable.logPrefix() +
         (reading ? " -> doRead()" : " -> doWrite()"));
  }

  void disconnecting(const IFileDescriptor& selectable, const Failure& why) override {
    std::ostringstream text;
    text << "removed " << selectable.logPrefix() << " -> connectionLost(" << why << ")";
    line(text.str());
  }

  void callDue(double delay, const IFileDescriptor* doomed) override {
    std::ostringstream what;
    if (doomed != nullptr) {
      what << "destroyLater(" << doomed->logPrefix() << ")";
    } else {
      what << "callLater(" << delay << ")";
    }
    line("timer: " + what.str() + " is due -> run it");
  }

  void dataReceived(const IFileDescriptor& /*transport*/, const Protocol& protocol,
                    std::size_t bytes) override {
    handOver("doRead: read " + std::to_string(bytes) + " bytes", protocol,
             "dataReceived");
  }

  void connectionLost(const IFileDescriptor& /*transport*/,
                      const Protocol& protocol) override {
    handOver("connectionLost: socket closed", protocol, "connectionLost");
  }

  void sent(const IFileDescriptor& /*transport*/, std::size_t bytes,
            std::size_t left) override {
    line("  doWrite: sent " + std::to_string(bytes) + " bytes, " + std::to_string(left) +
         " left");
  }

  void connected(const IFileDescriptor& client) override {
    line("  doWrite: " + client.logPrefix() + " is connected -> buildProtocol()");
  }

  void connectFailed(const IFileDescriptor& client, const Failure& reason) override {
    std::ostringstream text;
    text << client.logPrefix() << ": failed -> clientConnectionFailed(" << reason << ")";
    line(text.str());
  }

  void libeventSaid(std::string_view message, bool fromResolver) override {
    line(std::string(fromResolver ? "evdns: " : "libevent: ").append(message));
  }

 private:
  static void handOver(const std::string& what, const Protocol& protocol,
                       const char* method) {
    // typeid of the object, not of the pointer: the protocol's own class.
    line("  " + what + " -> " + className(typeid(protocol)) + "::" + method + "()");
  }
};

/// The observer REACTOR_TRACE asks for: none, the trace file for a name
/// ending in ".json", or else the line printer.
std::unique_ptr<ReactorObserver> chooseObserver() {
  const char* value = std::getenv("REACTOR_TRACE");
  if (value == nullptr || *value == '\0' || std::string_view(value) == "0")
    return nullptr;
  if (std::string_view(value).ends_with(".json")) return jsonFile(value);
  return std::make_unique<LinePrinter>();
}

}  // namespace

ReactorObserver* fromEnvironment() {
  // Destroyed at exit, which completes a trace file.
  static const std::unique_ptr<ReactorObserver> chosen = chooseObserver();
  return chosen.get();
}

}  // namespace internet::trace
