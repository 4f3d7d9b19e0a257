#include "internet/tcp/Connection.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

#include "internet/ReactorBase.h"
#include "internet/ReactorObserver.h"

namespace internet::tcp {

namespace {

// One read buffer for every connection: dataReceived() must copy what it
// keeps, so 10,000 idle connections cost no 64 KiB each.
thread_local std::array<char, Connection::kReadSize> readBuffer;

Address socketAddress(int fd, int (*query)(int, sockaddr*, socklen_t*)) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  query(fd, reinterpret_cast<sockaddr*>(&address), &length);
  return addressFromSockaddr(reinterpret_cast<const sockaddr&>(address));
}

}  // namespace

Connection::Connection(ReactorBase& reactor, int fd) : reactor_(reactor), fd_(fd) {
  if (fd_ != -1) recordAddresses();
}

void Connection::recordAddresses() {
  peer_ = socketAddress(fd_, &getpeername);
  host_ = socketAddress(fd_, &getsockname);
}

Connection::~Connection() {
  // The reactor is being torn down (or the connection never started): close
  // quietly, no callbacks into code that may already be gone.
  reactor_.removeReader(this);
  reactor_.removeWriter(this);
  closeSocket();
}

//! [startProtocol]
void Connection::startProtocol(std::unique_ptr<Protocol> protocol) {
  if (!protocol) {
    // Refused by the factory: nobody to talk to, so close right away.
    protocol_ = std::make_unique<Protocol>();
    loseConnection();
    return;
  }
  protocol_ = std::move(protocol);
  startReading();
  if (auto* observer = reactor_.observer()) observer->makingConnection(*this, *protocol_);
  protocol_->makeConnection(this);
}
//! [startProtocol]

//! [doRead]
std::optional<Failure> Connection::doRead() {
  const ssize_t n = recv(fd_, readBuffer.data(), readBuffer.size(), 0);
  if (n == 0) return Failure::connectionDone();  // the peer closed cleanly
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::nullopt;
    return Failure::fromErrno(ErrorKind::ConnectionLost, errno);
  }
  if (auto* observer = reactor_.observer()) {
    observer->dataReceived(*this, *protocol_, static_cast<std::size_t>(n));
  }
  protocol_->dataReceived(
      std::string_view(readBuffer.data(), static_cast<std::size_t>(n)));
  return std::nullopt;
}
//! [doRead]

std::optional<Failure> Connection::doWrite() {
  while (queuedBytes_ > 0) {
    const ssize_t n = sendQueued();
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return std::nullopt;  // wait for room
      if (errno == EINTR) continue;
      return Failure::fromErrno(ErrorKind::ConnectionLost, errno);
    }
    consume(static_cast<std::size_t>(n));
    if (auto* observer = reactor_.observer()) {
      observer->sent(*this, static_cast<std::size_t>(n), queuedBytes_);
    }
  }
  stopWriting();
  // Everything is sent: if we were asked to close, this is the moment.
  if (disconnecting_) return Failure::connectionDone();
  return std::nullopt;
}

ssize_t Connection::sendQueued() {
  // Slices of the pieces themselves, not a copy of them: the kernel takes as
  // much as the socket has room for, straight from the poem's own bytes.
  std::array<iovec, kMaxSlices> slices{};
  std::size_t count = 0;
  for (const Piece& piece : writeQueue_) {
    if (count == slices.size()) break;
    const std::string_view bytes = piece.unsent();
    // sendmsg() only reads the bytes; iovec just has no const.
    slices[count++] = {const_cast<char*>(bytes.data()), bytes.size()};
  }
  msghdr message{};
  message.msg_iov = slices.data();
  message.msg_iovlen = count;
  // MSG_NOSIGNAL: a peer that has gone must give us EPIPE, not SIGPIPE.
  return sendmsg(fd_, &message, MSG_NOSIGNAL);
}

void Connection::consume(std::size_t n) {
  queuedBytes_ -= n;
  while (n > 0) {
    Piece& front = writeQueue_.front();
    const std::size_t left = front.unsent().size();
    if (n < left) {
      front.sent += n;  // resumed from here on the next send
      return;
    }
    n -= left;
    // Sent whole: drop our copy, or our share of a shared buffer. Nothing is
    // ever erased from the front of a big string.
    writeQueue_.pop_front();
  }
}

std::string_view Connection::Piece::unsent() const {
  return (owner ? shared : std::string_view(copied)).substr(sent);
}

void Connection::write(std::string_view data) {
  if (disconnected_ || fd_ == -1 || data.empty()) return;
  // Small writes join the last copied piece, so that many little writes go
  // out in one send; a big one gets a piece of its own.
  if (!writeQueue_.empty() && !writeQueue_.back().owner &&
      writeQueue_.back().copied.size() + data.size() <= kPieceSize) {
    writeQueue_.back().copied.append(data);
  } else {
    writeQueue_.push_back(Piece{std::string(data), nullptr, {}, 0});
  }
  queuedBytes_ += data.size();
  startWriting();
}

void Connection::write(std::shared_ptr<const std::string> data) {
  if (!data) return;
  writeShared(data, *data);
}

void Connection::writeShared(const std::shared_ptr<const void>& owner,
                             std::string_view bytes) {
  if (disconnected_ || fd_ == -1 || !owner || bytes.empty()) return;
  queuedBytes_ += bytes.size();
  writeQueue_.push_back(Piece{{}, owner, bytes, 0});
  startWriting();
}

void Connection::loseConnection() {
  if (disconnected_ || disconnecting_) return;
  disconnecting_ = true;
  stopReading();
  // doWrite() flushes what is left and then reports ConnectionDone.
  startWriting();
}

//! [connectionLost]
void Connection::connectionLost(const Failure& reason) {
  if (disconnected_) return;
  disconnected_ = true;
  stopReading();
  stopWriting();
  closeSocket();
  if (protocol_) {
    if (auto* observer = reactor_.observer()) observer->connectionLost(*this, *protocol_);
    protocol_->connected = false;
    protocol_->connectionLost(reason);
  }
  // Whoever keeps us lets go of us, but not now: callers up the stack (a
  // tcp::Client telling its factory) still use us. The protocol goes with
  // us, so a pointer to it held by the factory stays valid until then too.
  reportFinished();
}
//! [connectionLost]

void Connection::reportFinished() {
  // Moved out first: the callback runs once, and from a copy that stays
  // alive whatever the callback does with us.
  if (FinishedCallback finished = std::exchange(finished_, nullptr)) finished(*this);
}

std::string Connection::logPrefix() const {
  return "tcp.Connection " + hostOf(peer_) + ":" + std::to_string(portOf(peer_));
}

void Connection::startReading() { reactor_.addReader(this); }
void Connection::stopReading() { reactor_.removeReader(this); }
void Connection::startWriting() { reactor_.addWriter(this); }
void Connection::stopWriting() { reactor_.removeWriter(this); }

void Connection::closeSocket() {
  if (fd_ != -1) close(fd_);
  fd_ = -1;
}

}  // namespace internet::tcp
