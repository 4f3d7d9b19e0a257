// The fast poetry server: the asynchronous server of the tutorial's later
// parts, built on the shim. Each client gets the whole poem at once, as fast
// as the network takes it, and any number of clients are served at the same
// time by one thread: the reactor interleaves them. The benchmarks use it.
#include <sys/socket.h>

#include <iostream>
#include <memory>
#include <string>

#include "common/Arguments.h"
#include "common/Output.h"
#include "internet/ClientFactory.h"
#include "internet/Protocol.h"
#include "internet/Reactor.h"
#include "internet/error.h"
#include "poetry-server/Poem.h"
#include "poetry-server/ServerOptions.h"

namespace {

constexpr int kServerError = 1;

constexpr std::string_view kHelp =
    "usage: fastpoetry [options] poetry-file\n\n"
    "An asynchronous poetry server: sends the whole poem to every client at\n"
    "once, serving any number of clients at the same time.\n\n"
    "options:\n"
    "  --port P       port to listen on (default: a random free port)\n"
    "  --iface I      interface to listen on (default: localhost)\n"
    "  -h, --help     show this help\n\n"
    "exit status: 0 when stopped by Ctrl-C or SIGTERM, 1 if it cannot listen\n"
    "or cannot hold the poem in memory, 2 for bad arguments or an unreadable\n"
    "poem, 3 if standard output could not be written\n";

class PoetryServerFactory;

//! [PoetryServerProtocol]
/// Sends the poem as soon as a client connects, then hangs up.
class PoetryServerProtocol : public internet::ProtocolOf<PoetryServerFactory> {
 public:
  void connectionMade() override;
};
//! [PoetryServerProtocol]

/// Builds a PoetryServerProtocol for every connection; holds the poem, and
/// stops the server if its log cannot be written.
class PoetryServerFactory
    : public internet::FactoryOf<PoetryServerProtocol, PoetryServerFactory,
                                 internet::Factory> {
 public:
  PoetryServerFactory(internet::Reactor& reactor, poetry_server::MappedPoem poem)
      : reactor_(reactor), poem_(std::move(poem)) {}

  /// The poem, mapped once and shared by every connection that sends it.
  const poetry_server::MappedPoem& poem() const { return poem_; }

  /// Standard output failed: a server that cannot say whom it serves stops.
  void outputLost() {
    if (!lostOutput) reactor_.stop();
    lostOutput = true;
  }

  bool lostOutput = false;

 private:
  internet::Reactor& reactor_;
  poetry_server::MappedPoem poem_;
};

//! [connectionMade]
void PoetryServerProtocol::connectionMade() {
  const auto peer = transport->getPeer();
  std::cout << "Somebody at "
            << poetry_server::pythonAddress(internet::hostOf(peer),
                                            internet::portOf(peer))
            << " wants poetry!" << std::endl;
  if (!std::cout) factory->outputLost();
  // Shared, not copied: every client is sent the factory's one mapped poem,
  // and a client that does not read costs its socket's buffers, no more.
  transport->writeShared(factory->poem().owner, factory->poem().bytes);
  transport->loseConnection();  // once everything is sent
}
//! [connectionMade]

int serve(const poetry_server::ServerOptions& options) {
  internet::Reactor reactor;
  PoetryServerFactory factory(reactor, poetry_server::mapPoem(options.poetryFile));
  // A long accept queue: thousands of clients may arrive in one burst.
  auto& port = reactor.listenTCP(
      options.port, factory, poetry_server::resolveInterface(options.iface), SOMAXCONN);
  std::cout << "Serving " << options.poetryFile << " on port "
            << internet::portOf(port.getHost()) << "." << std::endl;
  // Nobody would learn the port: serving on would help no one.
  if (!workbook::outputWritten()) return workbook::reportLostOutput("fastpoetry");
  reactor.run();  // until SIGINT or SIGTERM, or standard output fails
  if (factory.lostOutput || !workbook::outputWritten()) {
    return workbook::reportLostOutput("fastpoetry");
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  workbook::ignoreBrokenPipes();  // a closed stdout is reported, not fatal
  try {
    return serve(poetry_server::parseServerArgs(argc, argv, kHelp, /*paced=*/false));
  } catch (const workbook::UsageError& e) {
    std::cerr << "fastpoetry: error: " << e.what() << '\n';
    return workbook::kUsageError;
  } catch (const internet::error::CannotListenError& e) {
    std::cerr << "fastpoetry: " << e.what() << '\n';
    return kServerError;
  } catch (const poetry_server::PoemTooLargeError& e) {
    std::cerr << "fastpoetry: " << e.what() << '\n';
    return kServerError;
  }
}
