#include "internet/Protocol.h"

namespace internet {

//! [makeConnection]
void Protocol::makeConnection(ITransport* newTransport) {
  transport = newTransport;
  connected = true;
  connectionMade();
}
//! [makeConnection]

}  // namespace internet
