// The readable name of a class, for the traces: "PoetryProtocol", not a
// mangled name. Used by Trace.cpp and TraceJson.cpp.
#pragma once

#include <string>
#include <typeinfo>

namespace internet::trace {

/// The readable name of a class, e.g. "PoetryProtocol", for trace lines.
std::string className(const std::type_info& type);

}  // namespace internet::trace
