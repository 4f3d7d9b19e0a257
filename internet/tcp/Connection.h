// Mirrors twisted.internet.tcp.Connection (with abstract.FileDescriptor):
// the TCP transport. Tested by tests/unit/TcpTest.cpp.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "internet/Protocol.h"
#include "internet/interfaces.h"

namespace internet {
class ReactorBase;
}

namespace internet::tcp {

/// One TCP connection: a read descriptor, a write descriptor and a transport
/// in one object. The reactor calls doRead() when the socket is readable, and
/// doRead() hands the bytes to the protocol's dataReceived(): the same doRead()
/// that client 1.0 wrote by hand, now written once for every protocol.
///
/// Owned by whoever adopted it (tcp::Owner), which also set its finished
/// callback; it owns its socket and its protocol. When the connection ends it
/// closes the socket, tells the protocol, and calls that callback: the owner
/// hands it to the reactor, which destroys it (and the protocol with it) on a
/// later turn of the loop, once every callback now on the stack has returned.
class Connection : public IReadDescriptor, public IWriteDescriptor, public ITransport {
 public:
  /// What a finished connection calls, with itself, as the last thing it
  /// does (muduo's close callback): the code that keeps it learns that it
  /// may let go, and the connection needs to know nothing of that code.
  using FinishedCallback = std::function<void(Connection&)>;

  /// Takes over the connected, non-blocking socket @p fd; call
  /// startProtocol() next. @p fd is -1 for a client still connecting.
  /// @param reactor watches the socket for us
  /// @param fd the socket, or -1
  Connection(ReactorBase& reactor, int fd);
  ~Connection() override;

  /// Sets what to call once the connection is finished: after
  /// connectionLost(), or after a client's connect has failed. Called at most
  /// once; nothing is called if it is never set.
  void setFinishedCallback(FinishedCallback finished) { finished_ = std::move(finished); }

  /// Starts reading and connects @p protocol to this transport
  /// (makeConnection). A null @p protocol closes the connection.
  void startProtocol(std::unique_ptr<Protocol> protocol);

  // IFileDescriptor, IReadDescriptor, IWriteDescriptor
  int fileno() const override { return fd_; }
  std::optional<Failure> doRead() override;
  std::optional<Failure> doWrite() override;
  void connectionLost(const Failure& reason) override;
  std::string logPrefix() const override;

  // ITransport
  void write(std::string_view data) override;
  void write(std::shared_ptr<const std::string> data) override;
  void writeShared(const std::shared_ptr<const void>& owner,
                   std::string_view bytes) override;
  void loseConnection() override;
  Address getPeer() const override { return peer_; }
  Address getHost() const override { return host_; }

  /// The most a single doRead() takes from the socket.
  static constexpr std::size_t kReadSize = std::size_t{64} * 1024;

  /// Small copied writes are gathered into pieces of up to this size.
  static constexpr std::size_t kPieceSize = std::size_t{64} * 1024;

  /// The most pieces a single send hands the kernel.
  static constexpr std::size_t kMaxSlices = 64;

 protected:
  /// Asks the reactor to call doRead() when the socket is readable.
  void startReading();
  /// Asks the reactor to stop calling doRead().
  void stopReading();
  /// Asks the reactor to call doWrite() when the socket is writable.
  void startWriting();
  /// Asks the reactor to stop calling doWrite().
  void stopWriting();
  /// Closes the socket and forgets it; fileno() is -1 afterwards.
  void closeSocket();
  /// Sets the socket once a connect() has been started on it.
  void setSocket(int fd) { fd_ = fd; }
  /// Asks the socket for both ends' addresses, for getPeer() and getHost().
  void recordAddresses();
  /// Sets the peer's address, for a socket that no longer knows it (reset).
  void setPeer(Address peer) { peer_ = std::move(peer); }
  /// Records that the connection is over without the usual teardown, for a
  /// client whose connect failed: a later connectionLost() does nothing.
  void markDisconnected() { disconnected_ = true; }
  /// @return true once connectionLost() has run.
  bool disconnected() const { return disconnected_; }
  /// Calls the finished callback, if set and not called yet. It may hand us
  /// to ReactorBase::destroyLater(), never destroy us on the spot.
  void reportFinished();

  ReactorBase& reactor_;  ///< the reactor that watches our socket

 private:
  /// One piece of the write queue: bytes write() copied, or bytes shared
  /// with whoever else holds them, kept alive by their owner (never both),
  /// and how much of it is sent.
  struct Piece {
    std::string copied;
    std::shared_ptr<const void> owner;
    std::string_view shared;
    std::size_t sent = 0;
    /// @return the bytes of this piece still to send.
    std::string_view unsent() const;
  };

  /// Hands the kernel the front of the queue, up to kMaxSlices pieces in
  /// one sendmsg(). @return what sendmsg() returned; errno is set if < 0
  ssize_t sendQueued();
  /// Forgets the first @p n bytes of the queue, which the kernel has taken,
  /// and drops every piece sent whole.
  void consume(std::size_t n);

  int fd_;
  FinishedCallback finished_;
  std::unique_ptr<Protocol> protocol_;
  // What write() queued, oldest first, sent from the front. A list, not a
  // deque: an empty deque already allocates, and a client may hold 10,000
  // connections that never write.
  std::list<Piece> writeQueue_;
  std::size_t queuedBytes_ = 0;  // unsent bytes in writeQueue_
  bool disconnecting_ = false;   // loseConnection() was called
  bool disconnected_ = false;    // connectionLost() has run
  Address peer_;
  Address host_;
};

/// Takes a new connection and keeps it until it is finished: what tcp::Owner
/// gives each Port and Connector it makes, so that they can hand over the
/// connections they make without knowing who keeps them.
using AdoptConnection = std::function<void(std::unique_ptr<Connection>)>;

}  // namespace internet::tcp
