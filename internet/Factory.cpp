#include "internet/Factory.h"

#include <stdexcept>

namespace internet {

//! [buildProtocol]
std::unique_ptr<Protocol> Factory::buildProtocol(const Address& /*address*/) {
  if (!protocol) {
    throw std::logic_error(
        "Factory::buildProtocol(): no protocol; call setProtocol<P>()");
  }
  std::unique_ptr<Protocol> built = protocol();
  built->factory = this;
  return built;
}
//! [buildProtocol]

}  // namespace internet
