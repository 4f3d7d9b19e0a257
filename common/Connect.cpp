#include "common/Connect.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace workbook {

std::string formatHostPort(const ServerAddress& address) {
  const bool ipv6 = address.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + address.host + "]" : address.host) + ":" +
         std::to_string(address.port);
}

int connectBlocking(const ServerAddress& address) {
  const std::string where = formatHostPort(address);
  addrinfo hints{};
  hints.ai_family = address.host.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found);
      rc != 0) {
    throw ConnectError("cannot resolve " + where + ": " + gai_strerror(rc));
  }
  const int sock = socket(found->ai_family, SOCK_STREAM, 0);
  if (sock == -1) {  // out of descriptors, most likely
    const int socketErrno = errno;
    freeaddrinfo(found);
    throw ConnectError("cannot connect to " + where + ": " + std::strerror(socketErrno));
  }
  const int rc = connect(sock, found->ai_addr, found->ai_addrlen);
  const int connectErrno = errno;
  freeaddrinfo(found);
  if (rc != 0) {
    close(sock);
    throw ConnectError("cannot connect to " + where + ": " + std::strerror(connectErrno));
  }
  return sock;
}

}  // namespace workbook
