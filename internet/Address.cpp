#include "internet/Address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <sstream>

namespace internet {

IPv4Address IPv4Address::fromSockaddr(const sockaddr_in& address) {
  std::array<char, INET_ADDRSTRLEN> text{};
  inet_ntop(AF_INET, &address.sin_addr, text.data(), text.size());
  return IPv4Address{"TCP", text.data(), ntohs(address.sin_port)};
}

std::ostream& operator<<(std::ostream& out, const IPv4Address& address) {
  return out << "IPv4Address(type='" << address.type << "', host='" << address.host
             << "', port=" << address.port << ")";
}

std::string toString(const IPv4Address& address) {
  std::ostringstream text;
  text << address;
  return text.str();
}

}  // namespace internet
