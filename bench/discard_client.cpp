// discard-client: the shim's own throughput, for the benchmarks' analysis. A
// protocol that counts what arrives and keeps none of it, so that what is
// measured is the reactor, the transport and the socket, not the storing of
// a poem. Prints the byte count.
//
//   discard-client PORT
#include <iostream>

#include "common/Arguments.h"
#include "internet/ClientFactory.h"
#include "internet/Reactor.h"

namespace {

class CountingProtocol : public internet::Protocol {
 public:
  void dataReceived(std::string_view data) override { received += data.size(); }
  void connectionLost(const internet::Failure& /*reason*/) override {
    std::cout << received << '\n';
  }
  std::size_t received = 0;
};

class CountingFactory : public internet::ClientFactory {
 public:
  explicit CountingFactory(internet::Reactor& reactor) : reactor_(reactor) {
    setProtocol<CountingProtocol>();
  }
  void clientConnectionLost(internet::IConnector& /*connector*/,
                            const internet::Failure& /*reason*/) override {
    reactor_.stop();
  }
  void clientConnectionFailed(internet::IConnector& /*connector*/,
                              const internet::Failure& reason) override {
    std::cerr << "discard-client: " << reason << '\n';
    reactor_.stop();
  }

 private:
  internet::Reactor& reactor_;
};

}  // namespace

int main(int argc, char* argv[]) {
  const auto addresses = workbook::parseClientArgs(
      argc, argv,
      "Downloads from one poetry server and keeps nothing (benchmarks only).");
  internet::Reactor reactor;
  CountingFactory factory(reactor);
  reactor.connectTCP(addresses.front().host, addresses.front().port, factory);
  reactor.run();
}
