#include "internet/Failure.h"

#include <cerrno>
#include <cstring>
#include <ostream>
#include <utility>

namespace internet {

std::string_view errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::ConnectionDone:
      return "ConnectionDone";
    case ErrorKind::ConnectionLost:
      return "ConnectionLost";
    case ErrorKind::ConnectionRefused:
      return "ConnectionRefusedError";
    case ErrorKind::DNSLookupError:
      return "DNSLookupError";
    case ErrorKind::Timeout:
      return "TimeoutError";
    case ErrorKind::Other:
      break;
  }
  return "Error";
}

Failure::Failure(ErrorKind kind, std::string message, int osError)
    : kind_(kind), message_(std::move(message)), osError_(osError) {}

Failure Failure::fromErrno(ErrorKind kind, int osError) {
  return Failure(kind, std::strerror(osError), osError);
}

Failure Failure::connectionDone() {
  return Failure(ErrorKind::ConnectionDone, "the connection was closed cleanly");
}

Failure Failure::connectError(int osError) {
  switch (osError) {
    case ECONNREFUSED:
      return fromErrno(ErrorKind::ConnectionRefused, osError);
    case ETIMEDOUT:
      return fromErrno(ErrorKind::Timeout, osError);
    default:
      return fromErrno(ErrorKind::Other, osError);
  }
}

std::ostream& operator<<(std::ostream& out, const Failure& failure) {
  return out << errorKindName(failure.kind()) << ": " << failure.getErrorMessage();
}

}  // namespace internet
