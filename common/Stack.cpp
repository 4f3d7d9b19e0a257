#include "common/Stack.h"

#include <dlfcn.h>
#include <unistd.h>

#include <boost/stacktrace.hpp>
#include <charconv>
#include <climits>
#include <fstream>
#include <iostream>
#include <optional>
#include <string_view>
#include <utility>

#include "common/Text.h"

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

// Reading a stack back. printStack() writes two shapes of frame line:
//   `  File "FILE", line N, in FUNCTION`
//   `  [LIBRARY] in FUNCTION`
// They are read by hand, piece by piece, rather than with std::regex, whose
// matching recurses once per character and overflows the stack on a long line.

/// If @p text starts with @p prefix, takes it off and says so.
bool consume(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

/// What @p text holds before the first @p separator, which is taken off with
/// it; nothing (and @p text untouched) if there is no separator.
std::optional<std::string_view> takeUntil(std::string_view& text,
                                          std::string_view separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string_view before = text.substr(0, at);
  text.remove_prefix(at + separator.size());
  return before;
}

bool isNumber(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

/// The line number @p digits (a number) on line @p where of the input.
/// @throws BadStack if it is more than an int holds
int lineNumberOf(std::string_view digits, std::size_t where) {
  int number = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error != std::errc() || end != digits.data() + digits.size()) {
    throw BadStack("line " + std::to_string(where) + ": the line number " +
                   shortened(digits) + " is too large (at most " +
                   std::to_string(INT_MAX) + ")");
  }
  return number;
}

/// `  File "FILE", line N, in FUNCTION` (line @p where of the input), or nothing.
std::optional<StackFrame> parseOurFrame(std::string_view text, std::size_t where) {
  if (!consume(text, "  File \"")) return std::nullopt;
  const auto file = takeUntil(text, "\", line ");
  const auto digits = takeUntil(text, ", in ");
  if (!file || file->empty() || !digits || !isNumber(*digits) || text.empty()) {
    return std::nullopt;
  }
  return StackFrame{std::string(text), std::string(*file), lineNumberOf(*digits, where),
                    ""};
}

/// `  [LIBRARY] in FUNCTION`, or nothing. printStack() writes "?" for a
/// library it could not name.
std::optional<StackFrame> parseLibraryFrame(std::string_view text) {
  if (!consume(text, "  [")) return std::nullopt;
  const auto library = takeUntil(text, "] in ");
  if (!library || library->empty() || text.empty()) return std::nullopt;
  return StackFrame{std::string(text), "", 0,
                    *library == "?" ? "" : std::string(*library)};
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
  std::vector<StackFrame> stack;
  std::size_t where = 0;  // the line of the input we are on
  for (std::string line; std::getline(in, line);) {
    ++where;
    auto frame = parseOurFrame(line, where);
    if (!frame) frame = parseLibraryFrame(line);
    if (frame) stack.push_back(std::move(*frame));
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
