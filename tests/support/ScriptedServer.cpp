#include "tests/support/ScriptedServer.h"

#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace testing_support {

namespace {

// How often a waiting server looks whether it is being destroyed.
constexpr int kSliceMs = 20;

void sendAll(int client, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    const ssize_t n =
        send(client, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client has gone: the rest of the script still runs
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

ScriptedServer::ScriptedServer(std::vector<ServerStep> script)
    : sock_(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(sock_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(sock_, 4) != 0 ||
      getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(sock_);
    throw std::runtime_error("cannot listen on loopback");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this, script = std::move(script)] { serve(script); });
}

ScriptedServer::~ScriptedServer() {
  stopping_ = true;
  thread_.join();
  close(sock_);
}

int ScriptedServer::acceptOne() const {
  pollfd ready{sock_, POLLIN, 0};
  while (!stopping_) {
    if (poll(&ready, 1, kSliceMs) == 1)
      return accept4(sock_, nullptr, nullptr, SOCK_CLOEXEC);
  }
  return -1;
}

bool ScriptedServer::pauseFor(std::chrono::milliseconds pause) const {
  const auto end = std::chrono::steady_clock::now() + pause;
  while (!stopping_) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    poll(nullptr, 0, static_cast<int>(std::min<long>(left.count(), kSliceMs)));
  }
  return false;
}

void ScriptedServer::waitForHangUp(int client) const {
  std::array<char, 4096> sink{};
  pollfd ready{client, POLLIN, 0};
  while (!stopping_) {
    if (poll(&ready, 1, kSliceMs) != 1) continue;
    if (read(client, sink.data(), sink.size()) <= 0) return;  // FIN, RST or error
  }
}

void ScriptedServer::serve(const std::vector<ServerStep>& script) {
  const int client = acceptOne();
  if (client == -1) return;
  bool reset = false;
  for (const auto& step : script) {
    using Kind = ServerStep::Kind;
    if (step.kind == Kind::Send) sendAll(client, step.bytes);
    if (step.kind == Kind::Pause && !pauseFor(step.pause)) break;
    if (step.kind == Kind::Stall) waitForHangUp(client);
    if (step.kind == Kind::Reset) reset = true;
    if (step.kind == Kind::Close || step.kind == Kind::Reset) break;
  }
  if (reset) {
    const linger abort{1, 0};  // close with RST, not FIN
    setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  close(client);
}

}  // namespace testing_support
