// sendfile-server: the benchmarks' baseline server. Serves one file to one
// client after another with sendfile(2), straight from the page cache to the
// socket, copying nothing through user space: the fastest a server on this
// machine can send a file, so that a client measured against it is what
// limits the download, not the server.
//
//   sendfile-server FILE
//
// Listens on a free loopback port and prints "Serving FILE on port P." as
// the poetry servers do (bench/servers.sh reads it); serves until killed.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "sendfile-server: " << what << ": " << std::strerror(errno) << '\n';
  std::exit(1);
}

int listenOnLoopback() {
  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(sock, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
      listen(sock, SOMAXCONN) != 0) {
    fail("cannot listen");
  }
  getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
  std::cout << ntohs(address.sin_port);
  return sock;
}

// Sends the whole file, or as much as the client takes before it hangs up.
void serveOne(int client, int file, off_t size) {
  off_t offset = 0;
  while (offset < size) {
    const ssize_t n =
        sendfile(client, file, &offset, static_cast<std::size_t>(size - offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
  }
  close(client);
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc != 2) {
    std::cerr << "usage: sendfile-server FILE\n";
    return 2;
  }
  const int file = open(argv[1], O_RDONLY | O_CLOEXEC);
  struct stat status {};
  if (file == -1 || fstat(file, &status) != 0)
    fail(std::string("cannot read ") + argv[1]);
  std::signal(SIGPIPE, SIG_IGN);  // a client that leaves early is not fatal
  std::cout << "Serving " << argv[1] << " on port ";
  const int sock = listenOnLoopback();
  std::cout << "." << std::endl;
  while (true) {
    const int client = accept(sock, nullptr, nullptr);
    if (client >= 0) serveOne(client, file, status.st_size);
  }
}
