// Client 2.0, stack-trace edition (Part 5): at the first piece of poetry,
// print the call stack and exit. The stack answers the question "who calls
// dataReceived()?": the reactor's loop, through libevent, calls the TCP
// transport's doRead(), and that calls us. Compare it with client 1.0's
// (`./workbook stacks`): the doRead() there was our own code.
#include <iostream>

#include "common/Arguments.h"
#include "common/Output.h"
#include "common/Stack.h"
#include "internet/ClientFactory.h"
#include "internet/Protocol.h"
#include "internet/Reactor.h"

namespace {

//! [PoetryProtocol]
class PoetryProtocol : public internet::Protocol {
 public:
  void dataReceived(std::string_view /*data*/) override {
    workbook::printStackAndExit();  // traceback.print_stack(); os._exit(0)
  }
};
//! [PoetryProtocol]

/// Builds PoetryProtocols; stops the reactor if no server can be reached.
class PoetryClientFactory : public internet::ClientFactory {
 public:
  PoetryClientFactory(internet::Reactor& reactor, int poetryCount)
      : reactor_(reactor), poetryCount_(poetryCount) {
    setProtocol<PoetryProtocol>();
  }

  void clientConnectionFailed(internet::IConnector& connector,
                              const internet::Failure& /*reason*/) override {
    std::cout << "Failed to connect to: " << connector.getDestination() << std::endl;
    if (--poetryCount_ == 0) reactor_.stop();
  }

 private:
  internet::Reactor& reactor_;
  int poetryCount_;
};

int poetryMain(int argc, char* argv[]) {
  const auto addresses = workbook::parseClientArgs(
      argc, argv,
      "Get Poetry Now! client 2.0, stack edition: prints the call stack at the first\n"
      "dataReceived() and exits.");
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
