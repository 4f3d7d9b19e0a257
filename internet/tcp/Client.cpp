#include "internet/tcp/Client.h"

#include <arpa/inet.h>
#include <event2/dns.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "internet/ReactorBase.h"
#include "internet/ReactorObserver.h"

namespace internet::tcp {

Client::Client(ReactorBase& reactor, BaseConnector& connector, std::string host,
               std::uint16_t port)
    : Connection(reactor, -1),
      connector_(connector),
      hostName_(std::move(host)),
      port_(port),
      start_(reactor.callLater(0, [this] { resolveAddress(); })) {}

Client::~Client() {
  if (start_ && start_->active()) start_->cancel();
  // Cancelling calls onResolved() with EVUTIL_EAI_CANCEL, which ignores it.
  if (lookup_ != nullptr) evdns_getaddrinfo_cancel(lookup_);
}

void Client::resolveAddress() {
  if (const auto address = numericAddress(hostName_, port_)) {
    startConnecting(*address);  // an IPv4 or IPv6 address: nothing to look up
    return;
  }
  evutil_addrinfo hints{};
  hints.ai_family = AF_INET;  // names resolve to IPv4, as in Twisted's connectTCP
  hints.ai_socktype = SOCK_STREAM;
  // Answers from /etc/hosts come back at once, inside this call; answers
  // from a name server come back later, from the loop.
  lookup_ = evdns_getaddrinfo(reactor_.resolver(), hostName_.c_str(), nullptr, &hints,
                              &Client::onResolved, this);
}

void Client::onResolved(int result, evutil_addrinfo* found, void* arg) {
  if (result == EVUTIL_EAI_CANCEL) return;  // we are being destroyed
  auto& client = *static_cast<Client*>(arg);
  client.lookup_ = nullptr;
  if (result != 0 || found == nullptr) {
    client.failIfNotConnected(Failure(
        ErrorKind::DNSLookupError,
        "address '" + client.hostName_ + "' not found: " + evutil_gai_strerror(result)));
    return;
  }
  SocketAddress address;
  std::memcpy(&address.storage, found->ai_addr, found->ai_addrlen);
  address.length = static_cast<socklen_t>(found->ai_addrlen);
  reinterpret_cast<sockaddr_in&>(address.storage).sin_port = htons(client.port_);
  evutil_freeaddrinfo(found);
  client.startConnecting(address);
}

void Client::startConnecting(const SocketAddress& address) {
  const int fd = socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd == -1) {
    failIfNotConnected(Failure::fromErrno(ErrorKind::Other, errno));
    return;
  }
  setSocket(fd);
  destination_ = address;
  if (connect(fd, address.get(), address.length) != 0 && errno != EINPROGRESS) {
    failIfNotConnected(Failure::connectError(errno));
    return;
  }
  // The socket becomes writable when the connect() has succeeded or failed.
  startWriting();
}

std::optional<Failure> Client::doWrite() {
  if (connecting_) return doConnect();
  return Connection::doWrite();
}

//! [doConnect]
std::optional<Failure> Client::doConnect() {
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(fileno(), SOL_SOCKET, SO_ERROR, &error, &length);
  // A refused connect() is ECONNREFUSED; a reset is only ever the end of a
  // connection that was made, whose bytes may be waiting to be read.
  if (error == ECONNRESET) {
    resetOnceConnected_ = true;
    error = 0;
  }
  if (error != 0) {
    failIfNotConnected(Failure::connectError(error));
    return std::nullopt;  // failIfNotConnected() has cleaned up already
  }
  connectDone();
  return std::nullopt;
}
//! [doConnect]

//! [connectDone]
void Client::connectDone() {
  if (auto* observer = reactor_.observer()) observer->connected(*this);
  connecting_ = false;
  stopWriting();
  recordAddresses();
  // A reset socket has forgotten its peer: it is the one we connected to.
  if (portOf(getPeer()) == 0) setPeer(addressFromSockaddr(*destination_.get()));
  startProtocol(connector_.buildProtocol(getPeer()));
}
//! [connectDone]

void Client::failIfNotConnected(const Failure& reason) {
  if (!connecting_) return;
  if (auto* observer = reactor_.observer()) observer->connectFailed(*this, reason);
  connecting_ = false;
  markDisconnected();  // whatever the factory does next, we are done
  if (start_ && start_->active()) start_->cancel();
  if (lookup_ != nullptr) {
    evdns_getaddrinfo_cancel(lookup_);
    lookup_ = nullptr;
  }
  stopReading();
  stopWriting();
  closeSocket();
  connector_.connectionFailed(reason);
  reportFinished();
}

void Client::connectionLost(const Failure& reason) {
  if (connecting_) {
    failIfNotConnected(reason);
    return;
  }
  if (disconnected()) return;
  // Reading SO_ERROR cleared the reset: the socket ends as if closed cleanly.
  const Failure why = resetOnceConnected_ && reason.check(ErrorKind::ConnectionDone)
                          ? Failure::fromErrno(ErrorKind::ConnectionLost, ECONNRESET)
                          : reason;
  Connection::connectionLost(why);
  connector_.connectionLost(why);
}

std::string Client::logPrefix() const {
  if (portOf(getPeer()) != 0) return Connection::logPrefix();  // it was connected
  return std::string(connecting_ ? "tcp.Client connecting to " : "tcp.Client to ") +
         hostName_ + ":" + std::to_string(port_);
}

}  // namespace internet::tcp
