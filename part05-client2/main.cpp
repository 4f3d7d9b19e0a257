// Client 2.0 (Part 5, "Twistier Poetry"): the same downloads as client 1.0,
// written with the shim's abstractions. The reactor, the TCP transport and
// connectTCP do the socket work; this file holds only what is about poetry:
// a Protocol that collects one poem and a ClientFactory that builds protocols
// and keeps count. A server that is not there no longer ends the program.
#include <chrono>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "common/Arguments.h"
#include "common/Output.h"
#include "common/Text.h"
#include "internet/ClientFactory.h"
#include "internet/Protocol.h"
#include "internet/Reactor.h"

namespace {

class PoetryClientFactory;

//! [PoetryProtocol]
/// Collects one poem from one connection.
class PoetryProtocol : public internet::ProtocolOf<PoetryClientFactory> {
 public:
  void dataReceived(std::string_view data) override {
    poem += data;
    std::cout << "Task " << taskNum << ": got " << data.size() << " bytes of poetry from "
              << transport->getPeer() << std::endl;
  }

  void connectionLost(const internet::Failure& /*reason*/) override {
    poemReceived(std::move(poem));  // done with it: hand it over, no copy
  }

  void poemReceived(std::string finished);

  std::string poem;
  int taskNum = 0;
};
//! [PoetryProtocol]

//! [PoetryClientFactory]
/// Builds a numbered PoetryProtocol for each connection that succeeds, and
/// stops the reactor when every address has either delivered or failed.
class PoetryClientFactory
    // Python: protocol = PoetryProtocol
    : public internet::ClientFactoryOf<PoetryProtocol, PoetryClientFactory> {
 public:
  PoetryClientFactory(internet::Reactor& reactor, int poetryCount)
      : reactor_(reactor), poetryCount_(poetryCount) {}

  std::unique_ptr<internet::Protocol> buildProtocol(
      const internet::Address& address) override {
    auto proto = makeProtocol(address);  // Python: ClientFactory.buildProtocol(...)
    proto->taskNum = taskNum_++;
    return proto;
  }

  void poemFinished(int taskNum, std::string poem) {
    poems_.emplace_back(taskNum, std::move(poem));
    countDown();
  }

  void clientConnectionFailed(internet::IConnector& connector,
                              const internet::Failure& /*reason*/) override {
    std::cout << "Failed to connect to: " << connector.getDestination() << std::endl;
    countDown();
  }

 private:
  void countDown() {
    if (--poetryCount_ == 0) {
      report();
      reactor_.stop();
    }
  }

  void report() const {
    for (const auto& [taskNum, poem] : poems_) {
      std::cout << "Task " << taskNum << ": "
                << workbook::charactersForReport(taskNum, poem)
                << " characters of poetry\n";
    }
  }

  internet::Reactor& reactor_;
  int poetryCount_;
  int taskNum_ = 1;
  std::vector<std::pair<int, std::string>> poems_;  // in the order they finished
};
//! [PoetryClientFactory]

// Here, below the factory's class: the protocol calls one of its methods.
void PoetryProtocol::poemReceived(std::string finished) {
  factory->poemFinished(taskNum, std::move(finished));
}

//! [poetryMain]
int poetryMain(int argc, char* argv[]) {
  const auto addresses = workbook::parseClientArgs(
      argc, argv,
      "Get Poetry Now! client 2.0: downloads poems with a Protocol and a Factory.");

  const auto start = std::chrono::steady_clock::now();
  internet::Reactor reactor;
  PoetryClientFactory factory(reactor, static_cast<int>(addresses.size()));
  for (const auto& [host, port] : addresses) {
    reactor.connectTCP(host, port, factory);
  }
  reactor.run();

  const std::string elapsed = workbook::elapsedSince(start);
  std::cout << "Got " << addresses.size() << " poems in " << elapsed << std::endl;
  return 0;
}
//! [poetryMain]

}  // namespace

int main(int argc, char* argv[]) {
  return workbook::runWithOutputCheck(poetryMain, argc, argv);
}
