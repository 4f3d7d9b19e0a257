// Mirrors twisted.internet.interfaces: the contracts between the reactor and
// the objects it drives. Contracts only; no code lives here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "internet/Address.h"
#include "internet/Failure.h"

namespace internet {

/// Something the reactor can watch: a file descriptor and a way to hear that
/// it has gone (IFileDescriptor and ILoggingContext in Twisted).
///
/// The reactor never owns a descriptor it is given: whoever adds it keeps it
/// alive until it has been removed.
class IFileDescriptor {
 public:
  virtual ~IFileDescriptor() = default;
  IFileDescriptor(const IFileDescriptor&) = delete;
  IFileDescriptor& operator=(const IFileDescriptor&) = delete;

  /// @return the file descriptor to watch, or -1 if it has been closed.
  virtual int fileno() const = 0;

  /// Called once, after the reactor has stopped watching this descriptor,
  /// because doRead() or doWrite() returned a reason to disconnect.
  /// @param reason why the connection ended (ConnectionDone for a clean close)
  virtual void connectionLost(const Failure& reason) = 0;

  /// @return a short name for log and trace lines.
  virtual std::string logPrefix() const { return "-"; }

 protected:
  IFileDescriptor() = default;
};

/// A descriptor the reactor tells when it can be read (IReadDescriptor).
class IReadDescriptor : public virtual IFileDescriptor {
 public:
  /// Called by the reactor when fileno() is readable.
  /// @return nothing if all is well, or a reason that makes the reactor remove
  ///         this descriptor and call connectionLost(reason).
  virtual std::optional<Failure> doRead() = 0;
};

/// A descriptor the reactor tells when it can be written (IWriteDescriptor).
class IWriteDescriptor : public virtual IFileDescriptor {
 public:
  /// Called by the reactor when fileno() is writable.
  /// @return nothing if all is well, or a reason to disconnect, as doRead().
  virtual std::optional<Failure> doWrite() = 0;
};

/// The protocol's view of a connection (ITransport).
class ITransport {
 public:
  virtual ~ITransport() = default;

  /// Queues @p data to be sent, in order, without blocking. The bytes are
  /// copied: @p data may go away as soon as the call returns.
  virtual void write(std::string_view data) = 0;

  /// Queues @p data to be sent, in order, without blocking and without
  /// copying it: the transport keeps a reference until the last byte is sent.
  /// Hand the same buffer to many transports and they all send from it.
  /// A null @p data is nothing to send.
  virtual void write(std::shared_ptr<const std::string> data) = 0;

  /// Queues @p bytes to be sent, in order, without blocking and without
  /// copying them, as write(shared_ptr) does: @p owner keeps them alive (a
  /// mapped file, say) and the transport holds it until the last byte is
  /// sent. This default copies them, for transports that cannot share.
  virtual void writeShared(const std::shared_ptr<const void>& /*owner*/,
                           std::string_view bytes) {
    write(bytes);
  }

  /// Closes the connection once everything written has been sent.
  virtual void loseConnection() = 0;

  /// @return the address of the other side.
  virtual Address getPeer() const = 0;

  /// @return the address of this side.
  virtual Address getHost() const = 0;
};

/// A connection attempt and its outcome (IConnector).
class IConnector {
 public:
  virtual ~IConnector() = default;

  /// Gives up a connection attempt that is still in progress; the factory
  /// hears clientConnectionFailed() with a reason of kind ErrorKind::Other
  /// ("the connection attempt was stopped"; Twisted's UserError).
  virtual void stopConnecting() = 0;

  /// @return the destination as it was given to connectTCP (the host as typed).
  virtual Address getDestination() const = 0;
};

/// A listening socket (IListeningPort).
class IListeningPort {
 public:
  virtual ~IListeningPort() = default;

  /// Stops accepting new connections and closes the socket.
  virtual void stopListening() = 0;

  /// @return the address actually bound (the real port when 0 was asked for).
  virtual Address getHost() const = 0;
};

}  // namespace internet
