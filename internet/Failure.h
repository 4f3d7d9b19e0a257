// Mirrors twisted.python.failure.Failure and the connection errors of
// twisted.internet.error. Tested by tests/unit/FailureAddressTest.cpp.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

namespace internet {

/// Why a connection ended or could not start (twisted.internet.error).
enum class ErrorKind {
  ConnectionDone,     ///< The peer closed the connection cleanly (end of stream).
  ConnectionLost,     ///< The connection broke: reset, or another socket error.
  ConnectionRefused,  ///< Nobody listens at the destination (ECONNREFUSED).
  DNSLookupError,     ///< The host name could not be resolved.
  Timeout,            ///< The connect did not complete in time.
  Other,              ///< Anything else; errno() and message say what.
};

/// The Twisted class name of an error kind, e.g. "ConnectionRefusedError".
std::string_view errorKindName(ErrorKind kind);

/// A reason handed to connectionLost() and clientConnectionFailed().
///
/// Twisted wraps an exception; the shim carries the same facts as a value:
/// what kind of error, the errno behind it (0 if none) and a message.
class Failure {
 public:
  /// @param kind what went wrong
  /// @param message a human-readable description, shown by getErrorMessage()
  /// @param osError the errno behind it, or 0
  Failure(ErrorKind kind, std::string message, int osError = 0);

  /// A failure of @p kind whose message is strerror(@p osError).
  static Failure fromErrno(ErrorKind kind, int osError);

  /// The reason for a clean close, twisted.internet.main.CONNECTION_DONE.
  static Failure connectionDone();

  /// The failure a failed connect() with @p osError stands for
  /// (twisted.internet.error.getConnectError): ECONNREFUSED is ConnectionRefused,
  /// ETIMEDOUT is Timeout, anything else is Other.
  static Failure connectError(int osError);

  /// @return what kind of error this is.
  ErrorKind kind() const { return kind_; }
  /// @return the errno behind it, or 0 if there is none.
  int osError() const { return osError_; }

  /// @return true if this failure is of @p kind (Twisted's check(), as a bool).
  bool check(ErrorKind kind) const { return kind_ == kind; }

  /// @return the message alone, e.g. "Connection refused".
  const std::string& getErrorMessage() const { return message_; }

 private:
  ErrorKind kind_;
  std::string message_;
  int osError_;
};

/// Prints "ConnectionRefusedError: Connection refused".
std::ostream& operator<<(std::ostream& out, const Failure& failure);

}  // namespace internet
