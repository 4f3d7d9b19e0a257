// The slow poetry server, blocking edition: serves one poem, a few characters
// at a time with a pause between, to one client after another. Every client
// stage of the workbook is run against it. It deliberately uses no reactor:
// it is the kind of program Part 1 of the tutorial starts from.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "common/Arguments.h"
#include "common/Output.h"
#include "internet/Address.h"
#include "poetry-server/Poem.h"
#include "poetry-server/ServerOptions.h"

namespace {

constexpr int kServerError = 1;

constexpr std::string_view kHelp =
    "usage: slowpoetry [options] poetry-file\n\n"
    "A blocking poetry server: sends the poem, --num-bytes characters\n"
    "at a time with --delay seconds between, to one client at a time.\n\n"
    "options:\n"
    "  --port P       port to listen on (default: a random free port)\n"
    "  --iface I      interface to listen on (default: localhost)\n"
    "  --delay S      seconds between chunks (default: 0.7)\n"
    "  --num-bytes N  characters per chunk (default: 10)\n"
    "  --reset-after N\n"
    "                 reset each connection (RST, not a clean close) after N\n"
    "                 chunks (default: close cleanly after the whole poem)\n"
    "  -h, --help     show this help\n\n"
    "exit status: 1 if it cannot listen or cannot hold the poem in memory,\n"
    "2 for bad arguments or an unreadable poem, 3 if standard output could not\n"
    "be written; otherwise it serves until it is killed\n";

// Where the chunk that starts at @p start ends: numBytes characters on (not
// bytes: a Korean syllable is one character and three bytes), as Python's
// text read(n) does. Chunks are found as they are sent, never stored: a
// 100 MB poem in 10-byte strings would take three times its size.
std::size_t chunkEnd(std::string_view poem, std::size_t start, std::size_t numBytes) {
  std::size_t end = start;
  for (std::size_t chars = 0; chars < numBytes && end < poem.size(); ++chars) {
    ++end;
    while (end < poem.size() &&
           (static_cast<unsigned char>(poem[end]) & 0xC0U) == 0x80U) {
      ++end;
    }
  }
  return end;
}

int listenOn(const poetry_server::ServerOptions& options) {
  const auto address = internet::numericAddress(
      poetry_server::resolveInterface(options.iface), options.port);
  const int sock = socket(address->family(), SOCK_STREAM, 0);
  const int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (bind(sock, address->get(), address->length) != 0 || listen(sock, 5) != 0) {
    throw std::runtime_error("cannot listen on " + options.iface + ":" +
                             std::to_string(options.port) + ": " + std::strerror(errno));
  }
  return sock;
}

std::uint16_t boundPort(int sock) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
  return internet::portOf(
      internet::addressFromSockaddr(reinterpret_cast<const sockaddr&>(address)));
}

bool sendAll(int sock, std::string_view data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    // MSG_NOSIGNAL: a client that hangs up must not kill us with SIGPIPE.
    const ssize_t n = send(sock, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

/// Closes @p sock with a reset: SO_LINGER with a zero timeout makes close()
/// send RST instead of FIN, and the client's next recv() fails with
/// ECONNRESET. (Killing the server would not do: its kernel closes cleanly.)
void resetConnection(int sock) {
  const linger abort{.l_onoff = 1, .l_linger = 0};
  setsockopt(sock, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  close(sock);
}

/// Sends @p poem in chunks of @p numBytes characters with a pause between; after @p
/// resetAfter chunks (if not 0), resets the connection. @return false if standard output
/// failed (the client is then left as it is: the server is stopping).
bool sendPoetry(int sock, std::string_view poem, std::size_t numBytes, double delay,
                std::size_t resetAfter) {
  std::size_t sent = 0;
  for (std::size_t start = 0; start < poem.size();) {
    const std::size_t end = chunkEnd(poem, start, numBytes);
    const std::string_view chunk = poem.substr(start, end - start);
    start = end;
    std::cout << "Sending " << chunk.size() << " bytes" << std::endl;
    if (!std::cout) break;
    if (!sendAll(sock, chunk)) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    if (++sent == resetAfter) {
      std::cout << "Resetting the connection" << std::endl;
      resetConnection(sock);
      return static_cast<bool>(std::cout);
    }
  }
  close(sock);
  return static_cast<bool>(std::cout);
}

/// Accepts the next client. When the process is out of descriptors (or
/// memory), the waiting client stays in the queue: say so once, then try
/// again after a pause that grows up to a second, instead of spinning.
int acceptClient(int listenSock, sockaddr_storage& peer) {
  auto pause = std::chrono::milliseconds(10);
  bool reported = false;
  while (true) {
    socklen_t length = sizeof peer;
    const int sock = accept(listenSock, reinterpret_cast<sockaddr*>(&peer), &length);
    if (sock >= 0) return sock;
    if (errno == EINTR || errno == ECONNABORTED) continue;  // the next one, then
    if (!reported) {
      std::cerr << "slowpoetry: accept failed: " << std::strerror(errno)
                << "; clients wait until it works again\n";
      reported = true;
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

/// Serves one client after another. @return only if standard output fails:
///         kOutputError
int serve(int listenSock, std::string_view poem, std::size_t numBytes, double delay,
          std::size_t resetAfter) {
  while (true) {
    sockaddr_storage peer{};
    const int sock = acceptClient(listenSock, peer);
    const auto address =
        internet::addressFromSockaddr(reinterpret_cast<const sockaddr&>(peer));
    std::cout << "Somebody at "
              << poetry_server::pythonAddress(internet::hostOf(address),
                                              internet::portOf(address))
              << " wants poetry!" << std::endl;
    if (!std::cout || !sendPoetry(sock, poem, numBytes, delay, resetAfter)) {
      return workbook::reportLostOutput("slowpoetry");
    }
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  workbook::ignoreBrokenPipes();  // a closed stdout is reported, not fatal
  poetry_server::ServerOptions options;
  std::string poem;
  int listenSock = -1;
  try {
    options = poetry_server::parseServerArgs(argc, argv, kHelp, /*paced=*/true);
    poem = poetry_server::readPoem(options.poetryFile);
    listenSock = listenOn(options);
  } catch (const workbook::UsageError& e) {
    std::cerr << "slowpoetry: error: " << e.what() << '\n';
    return workbook::kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "slowpoetry: " << e.what() << '\n';
    return kServerError;
  }
  std::cout << "Serving " << options.poetryFile << " on port " << boundPort(listenSock)
            << "." << std::endl;
  // Nobody would learn the port: serving on would help no one.
  if (!workbook::outputWritten()) return workbook::reportLostOutput("slowpoetry");
  return serve(listenSock, poem, options.numBytes, options.delay, options.resetAfter);
}
