// A slow poetry server for a test, on a free loopback port, and a port where
// nothing listens. Both are gone when the test ends.
#pragma once

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/Process.h"

namespace testing_support {

/// Where the build put the programs and the sample poems (set by CMake).
std::string programPath(const std::string& name);
std::string poemPath(const std::string& name);

/// Reads a whole file.
std::string readFile(const std::string& path);

/// A running poetry server (`slowpoetry` unless told otherwise) on 127.0.0.1
/// and a port the kernel chose.
class PoetryServer {
 public:
  /// Starts serving @p poemFile; @p extraArgs go before the file name.
  /// Throws if the server does not say its port in time.
  /// @param program the server, relative to the build directory
  explicit PoetryServer(const std::string& poemFile,
                        const std::vector<std::string>& extraArgs = {"--delay", "0.05"},
                        const std::string& program = "poetry-server/slowpoetry");

  std::uint16_t port() const { return port_; }
  Process& process() { return *process_; }

 private:
  std::unique_ptr<Process> process_;
  std::uint16_t port_ = 0;
};

/// Starts one server for each file in @p poems (names in poetry/), all with
/// @p args, on free ports.
std::vector<std::unique_ptr<PoetryServer>> startServers(
    const std::vector<std::string>& poems, const std::vector<std::string>& args);

/// The servers' ports, as command-line arguments.
std::vector<std::string> portArgs(
    const std::vector<std::unique_ptr<PoetryServer>>& servers);

/// Connects a plain blocking socket to 127.0.0.1:@p port; reads on it give up
/// after 10 s of silence. @return the socket, or -1 if the connect failed
int connectToLoopback(std::uint16_t port);

/// Connects to 127.0.0.1:@p port with a plain blocking socket and reads until
/// the server closes, or at most @p maxBytes, giving up after 10 s of silence.
std::string fetchPoem(std::uint16_t port, std::size_t maxBytes = SIZE_MAX);

/// A loopback port that refuses connections: a socket bound to it that does
/// not listen. Held for the object's lifetime, so no one else can take it.
class RefusingPort {
 public:
  /// @param ipv6 on ::1 rather than 127.0.0.1
  explicit RefusingPort(bool ipv6 = false);
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  int sock_ = -1;
  std::uint16_t port_ = 0;
};

/// A loopback port where connects hang: a listener whose accept queue is
/// full, so that the kernel drops new SYNs. Held for the object's lifetime.
class StalledListener {
 public:
  StalledListener();
  ~StalledListener();
  StalledListener(const StalledListener&) = delete;
  StalledListener& operator=(const StalledListener&) = delete;

  std::uint16_t port() const { return port_; }

  /// Waits, at most 60 s, until some socket on this machine is trying to
  /// connect here (SYN sent, as /proc/net/tcp shows). @return true if one is
  bool waitForConnectAttempt() const;

 private:
  int sock_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> fillers_;                  // the connections that fill the queue
  std::vector<std::string> fillerAddresses_;  // theirs, as /proc/net/tcp prints them
};

/// A loopback server for one client, from a thread of its own: it sends
/// @p text and hangs up.
class HangingUpServer {
 public:
  /// How it hangs up.
  enum class HangUp {
    Close,          ///< a clean close (FIN) right behind the text
    Reset,          ///< a reset (RST) right behind the text: the client finds
                    ///< the text and the reset waiting together
    ResetOnceRead,  ///< a reset once the client has read the text, as when a
                    ///< server dies mid-poem
  };

  HangingUpServer(std::string text, HangUp how);
  ~HangingUpServer();
  HangingUpServer(const HangingUpServer&) = delete;
  HangingUpServer& operator=(const HangingUpServer&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  void serveOne(const std::string& text, HangUp how, const sockaddr_in& address) const;

  int sock_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace testing_support
