// epoll-reader: the benchmarks' baseline client. Connects to
// 127.0.0.1:PORT and, each time epoll says the socket is readable, recv()s
// into one 64 KiB buffer, until the server closes: what any event-loop
// client must do at the least, with nothing around it. Prints the byte count.
//
//   epoll-reader PORT
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "epoll-reader: " << what << ": " << std::strerror(errno) << '\n';
  std::exit(1);
}

int connectToLoopback(const char* port) {
  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(port)));
  if (connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    fail(std::string("cannot connect to port ") + port);
  }
  return sock;
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: epoll-reader PORT\n";
    return 2;
  }
  const int sock = connectToLoopback(argv[1]);
  const int epoll = epoll_create1(EPOLL_CLOEXEC);
  epoll_event watched{};
  watched.events = EPOLLIN;
  watched.data.fd = sock;
  epoll_ctl(epoll, EPOLL_CTL_ADD, sock, &watched);
  static std::array<char, 64 * 1024> buffer;
  std::size_t received = 0;
  while (true) {
    epoll_event ready{};
    if (epoll_wait(epoll, &ready, 1, -1) < 0) {
      if (errno == EINTR) continue;
      fail("epoll_wait");
    }
    const ssize_t n = recv(sock, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n == 0) break;  // the server is done
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) fail("recv");
    received += static_cast<std::size_t>(n);
  }
  std::cout << received << '\n';
}
