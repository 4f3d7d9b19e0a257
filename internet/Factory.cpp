#include "internet/Factory.h"

#include <stdexcept>

namespace internet {

std::unique_ptr<Protocol> Factory::buildProtocol(const Address& /*address*/) {
  if (!protocol) {
    throw std::logic_error(
        "Factory::buildProtocol(): no protocol; call setProtocol<P>()");
  }
  return protocol();
}

}  // namespace internet
