#include "internet/Protocol.h"

namespace internet {

void Protocol::makeConnection(ITransport* newTransport) {
  transport = newTransport;
  connected = true;
  connectionMade();
}

}  // namespace internet
