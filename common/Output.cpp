#include "common/Output.h"

#include <csignal>
#include <iostream>

#include "common/Arguments.h"

namespace workbook {

void ignoreBrokenPipes() { std::signal(SIGPIPE, SIG_IGN); }

bool outputWritten() {
  std::cout.flush();
  return static_cast<bool>(std::cout);
}

int reportLostOutput(const std::string& program) {
  std::cerr << program
            << ": error: cannot write to standard output (closed, or the disk is full); "
               "what it printed is lost\n";
  return kOutputError;
}

int runWithOutputCheck(int (*poetryMain)(int, char*[]), int argc, char* argv[]) {
  ignoreBrokenPipes();
  const int status = poetryMain(argc, argv);
  if (!outputWritten()) return reportLostOutput(programName(argc > 0 ? argv[0] : nullptr));
  return status;
}

}  // namespace workbook
