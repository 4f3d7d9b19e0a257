// A loopback server that does to its one client exactly what a script says:
// send these bytes, pause, stall until the client hangs up, close, reset.
// The grading matrix (tests/exercises/Matrix.cpp) runs the reference and the
// candidate each on servers built from the same script, so that both meet the
// same behaviour. It runs on a thread of the test program: no server program
// need be visible to a sandboxed grader.
#pragma once

#include <netinet/in.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace testing_support {

/// One thing a scripted server does.
struct ServerStep {
  enum class Kind {
    Send,   ///< send `bytes` (one write)
    Pause,  ///< wait `pause`
    Stall,  ///< send nothing more; wait until the client hangs up
    Close,  ///< a clean close (FIN)
    Reset,  ///< a reset (RST): close with SO_LINGER 0
  };
  Kind kind = Kind::Close;
  std::string bytes;
  std::chrono::milliseconds pause{0};

  static ServerStep send(std::string bytes) { return {Kind::Send, std::move(bytes), {}}; }
  static ServerStep wait(std::chrono::milliseconds pause) {
    return {Kind::Pause, {}, pause};
  }
  static ServerStep stall() { return {Kind::Stall, {}, {}}; }
  static ServerStep close() { return {Kind::Close, {}, {}}; }
  static ServerStep reset() { return {Kind::Reset, {}, {}}; }
};

/// Serves one client on 127.0.0.1 and a free port, following a script; a
/// script that ends without Close or Reset closes cleanly. Stops waiting
/// (accept, pause, stall) when destroyed.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<ServerStep> script);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  void serve(const std::vector<ServerStep>& script);
  int acceptOne() const;
  /// Waits @p pause, or less if the server is being destroyed. @return false then
  bool pauseFor(std::chrono::milliseconds pause) const;
  /// Waits until the client on @p client hangs up, or the server is destroyed.
  void waitForHangUp(int client) const;

  int sock_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace testing_support
