#include "internet/trace/ClassName.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string_view>

namespace internet::trace {

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
