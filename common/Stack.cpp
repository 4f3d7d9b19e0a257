#include "common/Stack.h"

#include <dlfcn.h>
#include <unistd.h>

#include <boost/stacktrace.hpp>
#include <fstream>
#include <iostream>
#include <regex>
#include <string_view>
#include <utility>

namespace workbook {

namespace {

// Set by CMake: paths under it are shown relative to it.
constexpr std::string_view kSourceDir = WORKBOOK_SOURCE_DIR "/";

std::string libraryOf(const void* address) {
  Dl_info info{};
  if (dladdr(address, &info) == 0 || info.dli_fname == nullptr) return "";
  const std::string_view path = info.dli_fname;
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// "(anonymous namespace)::PoetryProtocol::dataReceived" says more than a
// student needs; Python would print "dataReceived".
// Likewise the full spelling of the standard string types.
std::string readableName(std::string name) {
  constexpr std::pair<std::string_view, std::string_view> kShorter[] = {
      {"(anonymous namespace)::", ""},
      {"std::basic_string_view<char, std::char_traits<char> >", "std::string_view"},
      {"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >",
       "std::string"},
  };
  for (const auto& [longer, shorter] : kShorter) {
    for (auto at = name.find(longer); at != std::string::npos;
         at = name.find(longer, at)) {
      name.replace(at, longer.size(), shorter);
    }
  }
  return name;
}

// The text of line @p number of our source file @p file, trimmed; "" if the
// source tree is not where it was built.
std::string sourceLine(const std::string& file, int number) {
  std::ifstream source(std::string(kSourceDir) + file);
  std::string text;
  for (int i = 0; i < number && std::getline(source, text); ++i) {
  }
  const auto first = text.find_first_not_of(" \t");
  return first == std::string::npos ? "" : text.substr(first);
}

StackFrame describe(const boost::stacktrace::frame& returnAddress) {
  // Each address on the stack is where a call returns to: the instruction
  // after the call, which may belong to the next line or even to the next
  // function. One byte back is inside the call itself.
  const boost::stacktrace::frame frame(static_cast<const char*>(returnAddress.address()) -
                                       1);
  StackFrame described{readableName(frame.name()), frame.source_file(),
                       static_cast<int>(frame.source_line()), ""};
  if (described.file.starts_with(kSourceDir)) {
    described.file.erase(0, kSourceDir.size());
  } else {
    // Not ours: a library (or a system header inlined into us). Name the
    // shared object, as the line number would mean nothing to a student.
    described.file.clear();
    described.line = 0;
    described.library = libraryOf(frame.address());
  }
  if (described.function.empty()) described.function = "(a function with no public name)";
  return described;
}

}  // namespace

std::vector<StackFrame> currentStack(std::size_t skip) {
  // Skip this function's own frame too; boost's frames are not counted.
  const boost::stacktrace::stacktrace trace(skip + 1, static_cast<std::size_t>(-1));
  std::vector<StackFrame> stack;
  for (const auto& frame : trace) {
    StackFrame described = describe(frame);
    const bool isMain = described.function == "main";
    stack.push_back(std::move(described));
    if (isMain) break;  // what runs before main() is no part of the lesson
  }
  return {stack.rbegin(), stack.rend()};  // oldest call first, as Python prints
}

void printStack(std::ostream& out, const std::vector<StackFrame>& stack) {
  out << "Traceback (oldest call first):\n";
  for (const auto& frame : stack) {
    if (!frame.file.empty()) {
      out << "  File \"" << frame.file << "\", line " << frame.line << ", in "
          << frame.function << '\n';
      if (const std::string text = sourceLine(frame.file, frame.line); !text.empty()) {
        out << "    " << text << '\n';
      }
    } else {
      out << "  [" << (frame.library.empty() ? "?" : frame.library) << "] in "
          << frame.function << '\n';
    }
  }
}

std::vector<StackFrame> parseStack(std::istream& in) {
  // The two shapes of frame line printStack() writes.
  const std::regex ours(R"re(  File "(.+)", line (\d+), in (.+))re");
  const std::regex library(R"re(  \[(.+)\] in (.+))re");
  std::vector<StackFrame> stack;
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, match, ours)) {
      stack.push_back({match[3], match[1], std::stoi(match[2]), ""});
    } else if (std::regex_match(line, match, library)) {
      stack.push_back({match[2], "", 0, match[1] == "?" ? "" : std::string(match[1])});
    }
  }
  return stack;
}

void printStackAndExit() {
  std::cout.flush();
  printStack(std::cerr, currentStack(1));  // from our caller on
  std::cerr.flush();
  _exit(0);  // at once: no destructors, no more callbacks, as os._exit(0)
}

}  // namespace workbook
