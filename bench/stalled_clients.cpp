// stalled-clients: clients that connect and never read, for the benchmarks'
// memory figure. Opens N connections to 127.0.0.1:PORT, waits until the
// server has sent something on every one (so it has queued its reply for
// each), prints "ready" and then holds them, reading nothing, until killed.
//
//   stalled-clients N PORT
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char* argv[]) {
  if (argc != 3) {
    std::cerr << "usage: stalled-clients N PORT\n";
    return 2;
  }
  const int count = std::stoi(argv[1]);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(std::stoi(argv[2])));
  std::vector<pollfd> clients;
  for (int i = 0; i < count; ++i) {
    const int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      std::cerr << "stalled-clients: cannot connect: " << std::strerror(errno) << '\n';
      return 1;
    }
    clients.push_back({sock, POLLIN, 0});
  }
  // Readable means the server has started sending to that client.
  for (auto& client : clients) {
    while (poll(&client, 1, -1) < 0 && errno == EINTR) {
    }
  }
  std::cout << "ready" << std::endl;
  while (true) pause();
}
