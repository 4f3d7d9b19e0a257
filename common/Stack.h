// Prints the current call stack the way Python's traceback.print_stack()
// does, oldest call first, for the stack-trace stages. Symbolized with
// Boost.Stacktrace. Tested by tests/e2e/StackTest.cpp; reading a stack back
// by tests/unit/StackParseTest.cpp and fuzz/stack_fuzzer.cpp.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace workbook {

/// One call on the stack.
struct StackFrame {
  std::string function;  ///< demangled name, e.g. "internet::ReactorBase::run()"
  std::string file;      ///< source file relative to the workbook, "" if unknown
  int line = 0;          ///< line in file, 0 if unknown
  std::string library;   ///< the shared object, for frames outside our code
};

/// The calls on the stack from main() (first) to the caller of this function
/// (last), leaving out the innermost @p skip of them.
std::vector<StackFrame> currentStack(std::size_t skip = 0);

/// Prints @p stack, one frame per entry, as Python does: our own frames as
/// `  File "internet/ReactorBase.cpp", line N, in internet::ReactorBase::run()`
/// (N the line of the call) followed by that source line, library frames as
/// `  [libevent_core-2.1.so.7] in event_base_loop`.
void printStack(std::ostream& out, const std::vector<StackFrame>& stack);

/// A stack that cannot be read back. what() says where: "line 3: ...".
class BadStack : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads back what printStack() printed (other lines are skipped).
/// @throws BadStack for a frame whose line number does not fit in an int
std::vector<StackFrame> parseStack(std::istream& in);

/// Prints the stack of the caller to stderr, like traceback.print_stack(),
/// then ends the process at once with status 0, like os._exit(0).
///
/// Deliberately not declared [[noreturn]]: a call the compiler knows never
/// returns may be the last instruction of the caller, and the caller's frame
/// would then be symbolized as whatever function comes next.
void printStackAndExit();

}  // namespace workbook
