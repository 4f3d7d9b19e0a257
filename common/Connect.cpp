#include "common/Connect.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "internet/Address.h"

namespace workbook {

std::string formatHostPort(const ServerAddress& address) {
  return (internet::isIPv6Literal(address.host) ? "[" + address.host + "]"
                                                : address.host) +
         ":" + std::to_string(address.port);
}

namespace {

void ignoreSignal(int /*signal*/) {}

/// While alive, Ctrl-C interrupts a waiting system call (it fails with EINTR)
/// instead of killing the process, so that the caller can say what it was
/// doing. The disposition before is restored afterwards.
class CtrlCInterrupts {
 public:
  CtrlCInterrupts() {
    struct sigaction action {};
    action.sa_handler = &ignoreSignal;  // no SA_RESTART: poll() returns EINTR
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &before_);
  }
  ~CtrlCInterrupts() { sigaction(SIGINT, &before_, nullptr); }
  CtrlCInterrupts(const CtrlCInterrupts&) = delete;
  CtrlCInterrupts& operator=(const CtrlCInterrupts&) = delete;

 private:
  struct sigaction before_ {};
};

/// Waits until the connect() started on non-blocking @p sock is done, at
/// most @p timeout seconds. @return 0, or the errno that ended it
int finishConnect(int sock, double timeout) {
  const CtrlCInterrupts interruptible;
  pollfd writable{sock, POLLOUT, 0};
  const int ready = poll(&writable, 1, static_cast<int>(timeout * 1000));
  if (ready < 0) return errno;  // EINTR: Ctrl-C
  if (ready == 0) return ETIMEDOUT;
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(sock, SOL_SOCKET, SO_ERROR, &error, &length);
  // A reset can only end a connection that was made: the server accepted,
  // perhaps sent something, and hung up before we looked. What it sent is
  // still there to read, as it would be after a blocking connect().
  return error == ECONNRESET ? 0 : error;
}

/// The socket address of @p address: a numeric one as it is (glibc's
/// getaddrinfo() takes a scope by name, "::1%lo", only on a link-local
/// address), a name looked up.
/// @throws ConnectError if the name is not found
internet::SocketAddress resolve(const ServerAddress& address, const std::string& where) {
  if (const auto numeric = internet::numericAddress(address.host, address.port)) {
    return *numeric;
  }
  addrinfo hints{};
  hints.ai_family = internet::isIPv6Literal(address.host) ? AF_INET6 : AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found);
      rc != 0) {
    throw ConnectError("cannot resolve " + where + ": " + gai_strerror(rc));
  }
  internet::SocketAddress result;
  std::memcpy(&result.storage, found->ai_addr, found->ai_addrlen);
  result.length = found->ai_addrlen;
  freeaddrinfo(found);
  return result;
}

}  // namespace

int connectBlocking(const ServerAddress& address, double timeout) {
  const std::string where = formatHostPort(address);
  const internet::SocketAddress destination = resolve(address, where);
  // Non-blocking only while connecting: so that the wait has a bound and
  // Ctrl-C can end it.
  const int sock = socket(destination.family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (sock == -1) {  // out of descriptors, most likely
    throw ConnectError("cannot connect to " + where + ": " + std::strerror(errno));
  }
  int err = connect(sock, destination.get(), destination.length) == 0 ? 0 : errno;
  if (err == EINPROGRESS) err = finishConnect(sock, timeout);
  if (err != 0) {
    close(sock);
    throw ConnectError("cannot connect to " + where + ": " +
                       (err == EINTR ? "interrupted (Ctrl-C)" : std::strerror(err)));
  }
  fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) & ~O_NONBLOCK);
  return sock;
}

}  // namespace workbook
