// compare-stacks: prints two stacks saved from the stack-trace stages side
// by side, lines up the calls they share and marks where they part.
//
//   part04-client1-stack/get-poetry-stack PORT 2> client1.txt
//   part05-client2-stack/get-poetry-stack PORT 2> client2.txt
//   compare-stacks client1.txt client2.txt
//
// `./workbook stacks` does all of this for you.
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "common/Arguments.h"
#include "common/Stack.h"
#include "common/Text.h"

namespace {

using workbook::StackFrame;

// Names from a stack file are shown shortened (workbook::shortened): a file
// no program of ours wrote may hold a name of any length.

/// Who wrote the code a frame runs.
std::string ownerOf(const StackFrame& frame) {
  if (frame.file.starts_with("internet/")) return "the shim";
  if (frame.file.starts_with("common/")) return "workbook helper";
  if (frame.file.starts_with("part")) return "YOUR CODE";
  if (frame.library.starts_with("libevent")) return "libevent";
  if (!frame.library.empty()) {
    return workbook::shortened(frame.library.substr(0, frame.library.find(".so")));
  }
  return "?";
}

/// "internet::ReactorBase::run()" without its parameter list: "ReactorBase::run".
std::string shortName(const StackFrame& frame) {
  std::string name = frame.function.substr(0, frame.function.find('('));
  if (name.starts_with("internet::")) name.erase(0, std::string("internet::").size());
  return workbook::shortened(name.empty() ? frame.function : name);
}

/// What one column shows for a frame: its name, then whose code it is.
std::string cell(const StackFrame& frame) {
  const std::string name =
      frame.function.starts_with("(") ? "(internal)" : shortName(frame);
  return name + "  [" + ownerOf(frame) + "]";
}

/// "tcp::Connection::doRead [the shim]"
std::string named(const StackFrame& frame) {
  return shortName(frame) + " [" + ownerOf(frame) + "]";
}

/// The stage a stack came from: the folder of its main().
std::string stageOf(const std::vector<StackFrame>& stack) {
  if (stack.empty() || stack.front().file.empty()) return "?";
  return workbook::shortened(stack.front().file.substr(0, stack.front().file.find('/')));
}

std::vector<StackFrame> readStack(const std::string& path) {
  const std::string shownPath = workbook::shortened(path, 256);  // whole, unless absurd
  std::ifstream file(path);
  if (!file) throw workbook::UsageError("cannot read " + shownPath);
  try {
    auto stack = workbook::parseStack(file);
    if (stack.empty()) throw workbook::UsageError("no stack trace in " + shownPath);
    return stack;
  } catch (const workbook::BadStack& e) {
    throw workbook::UsageError(shownPath + ", " + e.what());  // "FILE, line 3: ..."
  }
}

void printRow(char mark, const std::string& left, const std::string& right,
              std::size_t width) {
  std::cout << ' ' << mark << "  " << std::left << std::setw(static_cast<int>(width))
            << left << "  " << right << '\n';
}

void compare(const std::vector<StackFrame>& left, const std::vector<StackFrame>& right) {
  std::size_t shared = 0;
  while (shared < left.size() && shared < right.size() &&
         left[shared].function == right[shared].function) {
    ++shared;
  }
  std::size_t width = 0;
  for (const auto& frame : left) width = std::max(width, cell(frame).size());

  std::cout << "Two stacks, oldest call first. '=' marks a call both make.\n\n";
  printRow(' ', stageOf(left), stageOf(right), width);
  printRow(' ', std::string(width, '-'), std::string(width, '-'), width);
  for (std::size_t i = 0; i < shared; ++i)
    printRow('=', cell(left[i]), cell(right[i]), width);
  if (shared < std::max(left.size(), right.size())) {
    std::cout << "    " << std::string(10, '-') << " here the stacks part "
              << std::string(10, '-') << '\n';
  }
  for (std::size_t i = shared; i < std::max(left.size(), right.size()); ++i) {
    printRow(i < left.size() && i < right.size() ? '|' : (i < left.size() ? '<' : '>'),
             i < left.size() ? cell(left[i]) : "", i < right.size() ? cell(right[i]) : "",
             width);
  }
  if (shared == 0 || shared == left.size() || shared == right.size()) return;

  std::cout << "\nBoth stacks are the same down to " << shortName(left[shared - 1])
            << ":\nthe reactor's loop, libevent and the dispatch. There they part:\n"
            << "  " << stageOf(left) << ": " << named(left[shared]) << '\n'
            << "  " << stageOf(right) << ": " << named(right[shared]);
  if (shared + 1 < right.size())
    std::cout << "\n    which calls " << named(right[shared + 1]);
  std::cout << '\n';
  if (left[shared].function.ends_with("doRead()") &&
      right[shared].function.ends_with("doRead()")) {
    std::cout
        << "\nThe reactor cannot tell the two doRead()s apart: each belongs to an\n"
           "IReadDescriptor. In the second stack that IReadDescriptor is the shim's TCP\n"
           "transport, and the code you write has moved up a layer, to dataReceived().\n"
           "The transport is an IReadDescriptor in disguise.\n";
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc == 2 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help")) {
    std::cout
        << "usage: compare-stacks STACK1 STACK2\n\n"
           "Prints two stacks saved from the stack editions of client 1.0 and client\n"
           "2.0 (both get-poetry-stack) side by side, lining up the calls they share.\n\n"
           "exit status: 0 when done, 2 for bad arguments or a file without a readable\n"
           "stack\n";
    return 0;
  }
  try {
    if (argc != 3) throw workbook::UsageError("expected two files (see --help)");
    compare(readStack(argv[1]), readStack(argv[2]));
  } catch (const workbook::UsageError& e) {
    std::cerr << "compare-stacks: error: " << e.what() << '\n';
    return workbook::kUsageError;
  }
  return 0;
}
