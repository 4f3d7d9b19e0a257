#include "tests/support/PoetryServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace testing_support {

std::string programPath(const std::string& name) {
  return std::string(WORKBOOK_BINARY_DIR) + "/" + name;
}

std::string poemPath(const std::string& name) {
  return std::string(WORKBOOK_SOURCE_DIR) + "/poetry/" + name;
}

std::string readFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

PoetryServer::PoetryServer(const std::string& poemFile,
                           const std::vector<std::string>& extraArgs,
                           const std::string& program) {
  std::vector<std::string> args = extraArgs;
  args.push_back(poemFile);
  process_ = std::make_unique<Process>(programPath(program), args);
  const std::regex serving(R"(Serving .* on port (\d+)\.)");
  // Generous: a busy machine may take long to start a server on a big poem.
  const auto line = process_->waitForLine(
      [&](const std::string& l) { return std::regex_match(l, serving); }, 60s);
  if (!line) throw std::runtime_error(program + " did not start: " + process_->err());
  std::smatch match;
  std::regex_match(*line, match, serving);
  port_ = static_cast<std::uint16_t>(std::stoi(match[1]));
}

std::vector<std::unique_ptr<PoetryServer>> startServers(
    const std::vector<std::string>& poems, const std::vector<std::string>& args) {
  std::vector<std::unique_ptr<PoetryServer>> servers;
  for (const auto& poem : poems) {
    servers.push_back(std::make_unique<PoetryServer>(poemPath(poem), args));
  }
  return servers;
}

std::vector<std::string> portArgs(
    const std::vector<std::unique_ptr<PoetryServer>>& servers) {
  std::vector<std::string> ports;
  for (const auto& server : servers) ports.push_back(std::to_string(server->port()));
  return ports;
}

int connectToLoopback(std::uint16_t port) {
  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  const timeval patience{10, 0};
  setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(sock);
    return -1;
  }
  return sock;
}

std::string fetchPoem(std::uint16_t port, std::size_t maxBytes) {
  const int sock = connectToLoopback(port);
  std::string poem;
  if (sock != -1) {
    char buffer[4096];
    ssize_t n = 0;
    while (poem.size() < maxBytes && (n = read(sock, buffer, sizeof buffer)) > 0) {
      poem.append(buffer, static_cast<std::size_t>(n));
    }
    close(sock);
  }
  return poem;
}

RefusingPort::RefusingPort(bool ipv6)
    : sock_(socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in6 address{};  // large enough for either family
  socklen_t length = 0;
  if (ipv6) {
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    length = sizeof(sockaddr_in6);
  } else {
    auto& ipv4 = reinterpret_cast<sockaddr_in&>(address);
    ipv4.sin_family = AF_INET;
    ipv4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    length = sizeof(sockaddr_in);
  }
  if (bind(sock_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot bind a loopback port");
  }
  port_ = ntohs(address.sin6_port);  // at the same place in both families
}

RefusingPort::~RefusingPort() { close(sock_); }

namespace {

/// One line of /proc/net/tcp: a TCP socket on this machine.
constexpr int kSynSent = 2;  // a state in /proc/net/tcp

struct SocketEntry {
  std::string local;         // address:port, as the table prints them
  std::string remote;        // e.g. 0100007F:9111
  int state = 0;             // 1 established, 2 SYN sent, ...
  unsigned long unread = 0;  // received, not yet read by its program
};

std::vector<SocketEntry> tcpSockets() {
  std::vector<SocketEntry> sockets;
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, state, queues;
    SocketEntry entry;
    fields >> slot >> entry.local >> entry.remote >> state >> queues;
    entry.state = std::stoi(state, nullptr, 16);
    entry.unread = std::stoul(queues.substr(queues.find(':') + 1), nullptr, 16);
    sockets.push_back(entry);
  }
  return sockets;
}

/// An address the way /proc/net/tcp prints it: the hex of its 32-bit value
/// in host order, then the port in hex: 0100007F:9111.
std::string tableAddress(const sockaddr_in& a) {
  char text[16];
  std::snprintf(text, sizeof text, "%08X:%04X", a.sin_addr.s_addr, ntohs(a.sin_port));
  return text;
}

/// @return how many bytes the loopback socket bound to @p local and connected
///         to @p remote has received but its program not yet read, or nothing
///         if there is no such socket.
std::optional<unsigned long> unreadBytes(const sockaddr_in& local,
                                         const sockaddr_in& remote) {
  for (const auto& entry : tcpSockets()) {
    if (entry.local == tableAddress(local) && entry.remote == tableAddress(remote)) {
      return entry.unread;
    }
  }
  return std::nullopt;
}

/// Waits, at most 60 s, until @p done is true; looks again every 5 ms.
bool waitUntil(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    poll(nullptr, 0, 5);  // the other side is another process or thread
  }
  return true;
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  return address;
}

/// Waits, at most 60 s, until the client at @p client has read everything
/// the server at @p server sent it.
void waitUntilRead(const sockaddr_in& client, const sockaddr_in& server) {
  waitUntil([&] { return unreadBytes(client, server).value_or(0) == 0; });
}

}  // namespace

StalledListener::StalledListener() : sock_(socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (bind(sock_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(sock_, 0) != 0 ||
      getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot listen on loopback");
  }
  port_ = ntohs(address.sin_port);
  // Never accepted: these fill the queue, and later connects hang.
  for (int i = 0; i < 3; ++i) {
    const int filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    (void)connect(filler, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers_.push_back(filler);
    sockaddr_in local{};
    socklen_t localLength = sizeof local;
    getsockname(filler, reinterpret_cast<sockaddr*>(&local), &localLength);
    fillerAddresses_.push_back(tableAddress(local));
  }
}

StalledListener::~StalledListener() {
  for (const int filler : fillers_) close(filler);
  close(sock_);
}

bool StalledListener::waitForConnectAttempt() const {
  const std::string here = tableAddress(loopback(port_));
  return waitUntil([&] {
    const auto sockets = tcpSockets();
    return std::any_of(sockets.begin(), sockets.end(), [&](const SocketEntry& entry) {
      return entry.remote == here && entry.state == kSynSent &&
             std::find(fillerAddresses_.begin(), fillerAddresses_.end(), entry.local) ==
                 fillerAddresses_.end();
    });
  });
}

HangingUpServer::HangingUpServer(std::string text, HangUp how)
    : sock_(socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  // accept() gives up after this long, so a test whose client never comes
  // cannot hang here.
  const timeval patience{60, 0};
  setsockopt(sock_, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience);
  if (bind(sock_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(sock_, 1) != 0 ||
      getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("cannot listen on loopback");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread(
      [this, text = std::move(text), how, address] { serveOne(text, how, address); });
}

void HangingUpServer::serveOne(const std::string& text, HangUp how,
                               const sockaddr_in& address) const {
  sockaddr_in peer{};
  socklen_t peerLength = sizeof peer;
  const int client = accept(sock_, reinterpret_cast<sockaddr*>(&peer), &peerLength);
  if (client == -1) return;
  for (std::size_t sent = 0; sent < text.size();) {
    const ssize_t n = send(client, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  // A reset that comes before the client has even seen its connect()
  // complete is a failed connection, not a lost one: wait for the client to
  // have read the text, when that is the point.
  if (how == HangUp::ResetOnceRead) waitUntilRead(peer, address);
  if (how != HangUp::Close) {
    const linger abort{1, 0};  // close with RST, not FIN
    setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  close(client);
}

HangingUpServer::~HangingUpServer() {
  shutdown(sock_, SHUT_RDWR);  // wakes an accept() still waiting
  thread_.join();
  close(sock_);
}

}  // namespace testing_support
