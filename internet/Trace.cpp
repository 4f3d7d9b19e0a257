#include "internet/Trace.h"

#include <cxxabi.h>

#include <cstdlib>
#include <iostream>
#include <memory>

namespace internet::trace {

namespace {

bool readEnvironment() {
  const char* value = std::getenv("REACTOR_TRACE");
  return value != nullptr && *value != '\0' && std::string_view(value) != "0";
}

}  // namespace

const bool enabled = readEnvironment();

void line(std::string_view text) {
  // One write per line, so that lines from the program and from the trace
  // do not break into each other.
  std::cerr << (std::string("reactor: ").append(text) + '\n') << std::flush;
}

std::string className(const std::type_info& type) {
  int status = 0;
  const std::unique_ptr<char, decltype(&std::free)> demangled(
      abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
  std::string name = status == 0 ? demangled.get() : type.name();
  constexpr std::string_view kAnonymous = "(anonymous namespace)::";
  if (name.starts_with(kAnonymous)) name.erase(0, kAnonymous.size());
  return name;
}

}  // namespace internet::trace
