// libFuzzer target: reading a stack back (workbook::parseStack), which
// compare-stacks does with whatever file it is given. Checks what must hold
// for any bytes: no crash; a bad stack is one short line that says where; and
// every frame read has one of the two shapes printStack() writes, and written
// out in that shape reads back the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/Stack.h"

namespace {

using workbook::StackFrame;

/// @p frame as printStack() writes its frame line. Written out here rather
/// than by printStack(), which would open the frame's file to quote a line.
std::string frameLine(const StackFrame& frame) {
  if (frame.file.empty()) {
    return "  [" + (frame.library.empty() ? std::string("?") : frame.library) + "] in " +
           frame.function;
  }
  return "  File \"" + frame.file + "\", line " + std::to_string(frame.line) + ", in " +
         frame.function;
}

bool same(const StackFrame& a, const StackFrame& b) {
  return a.function == b.function && a.file == b.file && a.line == b.line &&
         a.library == b.library;
}

void checkError(std::string_view message) {
  if (!message.starts_with("line ") || message.find('\n') != std::string_view::npos ||
      message.size() > 200) {
    std::abort();
  }
}

void checkFrame(const StackFrame& frame) {
  if (frame.function.empty() || frame.line < 0) std::abort();
  if (frame.file.empty() && frame.line != 0) std::abort();
  if (!frame.file.empty() && !frame.library.empty()) std::abort();
  std::istringstream again(frameLine(frame));
  const std::vector<StackFrame> reread = workbook::parseStack(again);
  if (reread.size() != 1 || !same(reread.front(), frame)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<StackFrame> stack;
  try {
    stack = workbook::parseStack(in);
  } catch (const workbook::BadStack& e) {
    checkError(e.what());
    return 0;
  }
  for (const StackFrame& frame : stack) checkFrame(frame);
  return 0;
}
