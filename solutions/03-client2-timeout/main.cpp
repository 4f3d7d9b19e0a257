// Exercise 3 (Part 5), solved: client 2.0 with --timeout. Each protocol arms
// a callLater() when its connection is made; if it fires first, the protocol
// asks its transport to loseConnection() and the poem is reported as timed
// out, with what had arrived. A poem that finishes in time cancels its timer.
#include <chrono>
#include <iostream>
#include <optional>
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

/// Collects one poem from one connection.
class PoetryProtocol : public internet::ProtocolOf<PoetryClientFactory> {
 public:
  void dataReceived(std::string_view data) override {
    poem += data;
    std::cout << "Task " << taskNum << ": got " << data.size() << " bytes of poetry from "
              << transport->getPeer() << std::endl;
  }

  //! [timeout]
  void connectionMade() override {
    if (timeout > 0) timeoutCall = reactor->callLater(timeout, [this] { timeOut(); });
  }

  void timeOut() {
    std::cout << "Task " << taskNum << " timed out" << std::endl;
    timedOut = true;
    transport->loseConnection();  // connectionLost() follows, from the reactor
  }

  void connectionLost(const internet::Failure& /*reason*/) override {
    // Finished in time: the timer must not fire later, on a protocol that is gone.
    if (timeoutCall && timeoutCall->active()) timeoutCall->cancel();
    poemReceived(std::move(poem));  // done with it: hand it over, no copy
  }
  //! [timeout]

  void poemReceived(std::string finished);

  std::string poem;
  int taskNum = 0;
  internet::Reactor* reactor = nullptr;  // set by the factory
  double timeout = 0;                    // seconds; 0 for no limit
  bool timedOut = false;
  std::optional<internet::DelayedCall> timeoutCall;
};

/// Builds a numbered PoetryProtocol for each connection that succeeds, and
/// stops the reactor when every address has either delivered or failed.
class PoetryClientFactory
    // Python: protocol = PoetryProtocol
    : public internet::ClientFactoryOf<PoetryProtocol, PoetryClientFactory> {
 public:
  PoetryClientFactory(internet::Reactor& reactor, int poetryCount, double timeout)
      : reactor_(reactor), poetryCount_(poetryCount), timeout_(timeout) {}

  std::unique_ptr<internet::Protocol> buildProtocol(
      const internet::Address& address) override {
    auto proto = makeProtocol(address);  // Python: ClientFactory.buildProtocol(...)
    proto->taskNum = taskNum_++;
    proto->reactor = &reactor_;
    proto->timeout = timeout_;
    return proto;
  }

  void poemFinished(int taskNum, std::string poem, bool timedOut) {
    poems_.push_back({taskNum, std::move(poem), timedOut});
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
    for (const auto& [taskNum, poem, timedOut] : poems_) {
      std::cout << "Task " << taskNum << ": "
                << workbook::charactersForReport(taskNum, poem) << " characters of poetry"
                << (timedOut ? " (timed out)" : "") << '\n';
    }
  }

  internet::Reactor& reactor_;
  int poetryCount_;
  double timeout_;
  int taskNum_ = 1;
  struct Poem {
    int taskNum;
    std::string text;
    bool timedOut;
  };
  std::vector<Poem> poems_;  // in the order they finished
};

// Here, below the factory's class: the protocol calls one of its methods.
void PoetryProtocol::poemReceived(std::string finished) {
  factory->poemFinished(taskNum, std::move(finished), timedOut);
}

//! [poetryMain]
int poetryMain(int argc, char* argv[]) {
  double timeout = 0;
  const auto addresses = workbook::parseClientArgs(
      argc, argv, "Client 2.0 that gives up on a poem after a timeout.",
      {{.name = "--timeout",
        .help = "give up on a poem after this many seconds",
        .seconds = &timeout}});

  const auto start = std::chrono::steady_clock::now();
  internet::Reactor reactor;
  PoetryClientFactory factory(reactor, static_cast<int>(addresses.size()), timeout);
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
