// Exercise 4 (Part 5): who calls connectionLost()? Make this client print
// the call stack in PoetryProtocol::connectionLost() and in
// PoetryClientFactory::clientConnectionLost(), then answer the questions of
// README.md in answers.txt from what it prints.
#include <iostream>
#include <string>
#include <string_view>

#include "common/Arguments.h"
#include "common/Output.h"
#include "common/Stack.h"
#include "common/Text.h"
#include "internet/ClientFactory.h"
#include "internet/Protocol.h"
#include "internet/Reactor.h"

namespace {

//! [printStackHere]
/// Prints "--- where(reason) ---" and the stack of our caller to stderr.
void printStackHere(std::string_view where, const internet::Failure& reason) {
  std::cerr << "--- " << where << "(" << reason << ") ---\n";
  // TODO(exercise 4): print the stack of our caller here (see common/Stack.h:
  // currentStack() and printStack()). Leave this function's own frame out.
}
//! [printStackHere]

class PoetryProtocol : public internet::Protocol {
 public:
  void dataReceived(std::string_view data) override { poem += data; }

  //! [connectionLost]
  void connectionLost(const internet::Failure& reason) override {
    // TODO(exercise 4): call printStackHere("PoetryProtocol::connectionLost", reason).
    std::cout << "Got " << workbook::countCharacters(poem) << " characters from "
              << transport->getPeer() << ", then " << reason << std::endl;
  }
  //! [connectionLost]

  std::string poem;
};

class PoetryClientFactory
    // Python: protocol = PoetryProtocol
    : public internet::ClientFactoryOf<PoetryProtocol, PoetryClientFactory> {
 public:
  PoetryClientFactory(internet::Reactor& reactor, int poetryCount)
      : reactor_(reactor), poetryCount_(poetryCount) {}

  //! [clientConnectionLost]
  void clientConnectionLost(internet::IConnector& /*connector*/,
                            const internet::Failure& reason) override {
    // TODO(exercise 4): call printStackHere() here too, with this method's name.
    (void)reason;
    countDown();
  }
  //! [clientConnectionLost]

  void clientConnectionFailed(internet::IConnector& connector,
                              const internet::Failure& /*reason*/) override {
    std::cout << "Failed to connect to: " << connector.getDestination() << std::endl;
    countDown();
  }

 private:
  void countDown() {
    if (--poetryCount_ == 0) reactor_.stop();
  }

  internet::Reactor& reactor_;
  int poetryCount_;
};

int poetryMain(int argc, char* argv[]) {
  const auto addresses = workbook::parseClientArgs(
      argc, argv, "Client 2.0 that prints who calls connectionLost().");
  internet::Reactor reactor;
  PoetryClientFactory factory(reactor, static_cast<int>(addresses.size()));
  for (const auto& [host, port] : addresses) {
    reactor.connectTCP(host, port, factory);
  }
  reactor.run();
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  return workbook::runWithOutputCheck(poetryMain, argc, argv);
}
