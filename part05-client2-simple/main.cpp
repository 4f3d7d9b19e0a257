// Client 2.1 (Part 5): client 2.0 with the bookkeeping taken out. No task
// numbers, no timing: the protocol collects a poem; after the last one the
// factory prints every poem and stops the reactor.
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "common/Arguments.h"
#include "common/Output.h"
#include "internet/ClientFactory.h"
#include "internet/Protocol.h"
#include "internet/Reactor.h"

namespace {

class PoetryClientFactory;

//! [PoetryProtocol]
/// Collects one poem from one connection.
class PoetryProtocol : public internet::ProtocolOf<PoetryClientFactory> {
 public:
  void dataReceived(std::string_view data) override { poem += data; }

  void connectionLost(const internet::Failure& /*reason*/) override {
    poemReceived(std::move(poem));  // done with it: hand it over, no copy
  }

  void poemReceived(std::string finished);

  std::string poem;
};
//! [PoetryProtocol]

//! [PoetryClientFactory]
/// Builds a PoetryProtocol for each connection (the default buildProtocol)
/// and prints the poems once every address has delivered or failed.
class PoetryClientFactory
    // Python: protocol = PoetryProtocol
    : public internet::ClientFactoryOf<PoetryProtocol, PoetryClientFactory> {
 public:
  PoetryClientFactory(internet::Reactor& reactor, int poetryCount)
      : reactor_(reactor), poetryCount_(poetryCount) {}

  void poemFinished(std::string poem) {
    poems_.push_back(std::move(poem));
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
    for (const auto& poem : poems_) std::cout << poem << '\n';
    std::cout.flush();
  }

  internet::Reactor& reactor_;
  int poetryCount_;
  std::vector<std::string> poems_;  // in the order they finished
};
//! [PoetryClientFactory]

// Here, below the factory's class: the protocol calls one of its methods.
void PoetryProtocol::poemReceived(std::string finished) {
  factory->poemFinished(std::move(finished));
}

//! [poetryMain]
int poetryMain(int argc, char* argv[]) {
  const auto addresses = workbook::parseClientArgs(
      argc, argv, "Get Poetry Now! client 2.1: prints the poems it downloads.");

  internet::Reactor reactor;
  PoetryClientFactory factory(reactor, static_cast<int>(addresses.size()));
  for (const auto& [host, port] : addresses) {
    reactor.connectTCP(host, port, factory);
  }
  reactor.run();
  return 0;
}
//! [poetryMain]

}  // namespace

int main(int argc, char* argv[]) {
  return workbook::runWithOutputCheck(poetryMain, argc, argv);
}
