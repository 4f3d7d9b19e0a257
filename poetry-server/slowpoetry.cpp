// The slow poetry server, blocking edition: serves one poem, a few characters
// at a time with a pause between, to one client after another. Every client
// stage of the workbook is run against it. It deliberately uses no reactor:
// it is the kind of program Part 1 of the tutorial starts from.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/Arguments.h"

namespace {

constexpr int kServerError = 1;

struct Options {
  std::uint16_t port = 0;  // 0: let the kernel pick a free port
  std::string iface = "localhost";
  double delay = 0.7;
  std::size_t numBytes = 10;
  std::string poetryFile;
};

void printHelp() {
  std::cout << "usage: slowpoetry [options] poetry-file\n\n"
               "A blocking poetry server: sends the poem, --num-bytes characters\n"
               "at a time with --delay seconds between, to one client at a time.\n\n"
               "options:\n"
               "  --port P       port to listen on (default: a random free port)\n"
               "  --iface I      interface to listen on (default: localhost)\n"
               "  --delay S      seconds between chunks (default: 0.7)\n"
               "  --num-bytes N  characters per chunk (default: 10)\n"
               "  -h, --help     show this help\n";
}

double parseDelay(const std::string& text) {
  std::size_t used = 0;
  double delay = -1;
  try {
    delay = std::stod(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || !(delay >= 0)) {
    throw workbook::UsageError("bad --delay '" + text + "': expected seconds >= 0");
  }
  return delay;
}

std::size_t parseNumBytes(const std::string& text) {
  std::size_t used = 0;
  unsigned long n = 0;
  try {
    n = std::stoul(text, &used);
  } catch (const std::exception&) {
  }
  if (used != text.size() || n == 0 || text.starts_with('-')) {
    throw workbook::UsageError("bad --num-bytes '" + text + "': expected a number >= 1");
  }
  return n;
}

// Accepts "--flag value" and "--flag=value", as Python's optparse does.
Options parseArgs(int argc, char* argv[]) {
  Options options;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (arg == "--port" || arg == "--iface" || arg == "--delay" ||
               arg == "--num-bytes") {
      if (i + 1 == argc) throw workbook::UsageError(arg + " needs a value");
      value = argv[++i];
    }
    if (arg == "-h" || arg == "--help") {
      printHelp();
      std::exit(EXIT_SUCCESS);
    } else if (arg == "--port") {
      options.port = value == "0" ? 0 : workbook::parsePort(value);
    } else if (arg == "--iface") {
      options.iface = value;
    } else if (arg == "--delay") {
      options.delay = parseDelay(value);
    } else if (arg == "--num-bytes") {
      options.numBytes = parseNumBytes(value);
    } else if (arg.starts_with('-') && arg != "-") {
      throw workbook::UsageError("no such option: " + arg);
    } else {
      files.push_back(arg);
    }
  }
  if (files.size() != 1) throw workbook::UsageError("Provide exactly one poetry file.");
  options.poetryFile = files.front();
  return options;
}

std::string readPoem(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw workbook::UsageError("No such file: " + path);
  std::ostringstream poem;
  poem << file.rdbuf();
  return poem.str();
}

// Splits the poem into chunks of numBytes characters (not bytes: a Korean
// syllable is one character and three bytes), as Python's text read(n) does.
std::vector<std::string> splitIntoChunks(const std::string& poem, std::size_t numBytes) {
  std::vector<std::string> chunks;
  std::size_t start = 0;
  while (start < poem.size()) {
    std::size_t end = start;
    for (std::size_t chars = 0; chars < numBytes && end < poem.size(); ++chars) {
      ++end;
      while (end < poem.size() &&
             (static_cast<unsigned char>(poem[end]) & 0xC0U) == 0x80U) {
        ++end;
      }
    }
    chunks.push_back(poem.substr(start, end - start));
    start = end;
  }
  return chunks;
}

int listenOn(const Options& options) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(options.iface.c_str(), nullptr, &hints, &found) != 0) {
    throw workbook::UsageError("bad --iface '" + options.iface + "': unknown address");
  }
  sockaddr_in address = *reinterpret_cast<sockaddr_in*>(found->ai_addr);
  freeaddrinfo(found);
  address.sin_port = htons(options.port);

  const int sock = socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(sock, 5) != 0) {
    throw std::runtime_error("cannot listen on " + options.iface + ":" +
                             std::to_string(options.port) + ": " + std::strerror(errno));
  }
  return sock;
}

std::uint16_t boundPort(int sock) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  getsockname(sock, reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.sin_port);
}

bool sendAll(int sock, const std::string& data) {
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

void sendPoetry(int sock, const std::vector<std::string>& chunks, double delay) {
  for (const auto& chunk : chunks) {
    std::cout << "Sending " << chunk.size() << " bytes" << std::endl;
    if (!sendAll(sock, chunk)) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
  close(sock);
}

[[noreturn]] void serve(int listenSock, const std::vector<std::string>& chunks,
                        double delay) {
  while (true) {
    sockaddr_in peer{};
    socklen_t length = sizeof peer;
    const int sock = accept(listenSock, reinterpret_cast<sockaddr*>(&peer), &length);
    if (sock < 0) continue;
    char host[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &peer.sin_addr, host, sizeof host);
    std::cout << "Somebody at ('" << host << "', " << ntohs(peer.sin_port)
              << ") wants poetry!" << std::endl;
    sendPoetry(sock, chunks, delay);
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  Options options;
  std::vector<std::string> chunks;
  int listenSock = -1;
  try {
    options = parseArgs(argc, argv);
    chunks = splitIntoChunks(readPoem(options.poetryFile), options.numBytes);
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
  serve(listenSock, chunks, options.delay);
}
