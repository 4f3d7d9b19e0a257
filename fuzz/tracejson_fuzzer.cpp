// libFuzzer target: the trace file's writer (internet::trace::jsonFile), fed
// bytes of any kind where a run brings strings of its own: a message from
// libevent, the reason of a failure. Checks what must hold for any bytes: no
// crash, and a file that parses as JSON (UTF-8 included) once the observer
// is gone.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "internet/Failure.h"
#include "internet/interfaces.h"
#include "internet/trace/TraceJson.h"

namespace {

/// A descriptor that is nothing but a name in the trace.
class Quiet : public internet::IFileDescriptor {
 public:
  int fileno() const override { return -1; }
  void connectionLost(const internet::Failure& /*reason*/) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const std::string path = "/tmp/tracejson-fuzz-" + std::to_string(getpid()) + ".json";
  {
    auto observer = internet::trace::jsonFile(path);
    if (!observer) return 0;
    const Quiet descriptor;
    observer->libeventSaid(bytes, size % 2 == 0);
    observer->disconnecting(descriptor,
                            internet::Failure(internet::ErrorKind::Other, bytes, 0));
  }
  std::ifstream file(path);
  const auto parsed = nlohmann::json::parse(file, nullptr, /*allow_exceptions=*/false);
  std::remove(path.c_str());
  if (parsed.is_discarded()) __builtin_trap();
  return 0;
}
