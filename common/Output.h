// What every program does about its standard output: a closed pipe or a full
// disk is reported and ends the program with kOutputError, never a silent
// death by SIGPIPE nor an exit status of 0 with the poems lost. Tested by
// tests/e2e/BadInputTest.cpp.
#pragma once

#include <string>

namespace workbook {

/// Exit status of a program whose standard output could not be written.
inline constexpr int kOutputError = 3;

/// Makes writing to a closed pipe an error the program sees (EPIPE) rather
/// than a signal that kills it, as Python does at start-up.
void ignoreBrokenPipes();

/// Flushes std::cout. @return true if everything written to it so far
///         arrived; false once any write has failed.
bool outputWritten();

/// Prints "PROGRAM: error: cannot write to standard output ..." to stderr.
/// @return kOutputError
int reportLostOutput(const std::string& program);

/// Runs a client's @p poetryMain with broken pipes ignored, then checks that
/// all it printed was written.
/// @return poetryMain's status, or kOutputError if output was lost
int runWithOutputCheck(int (*poetryMain)(int, char*[]), int argc, char* argv[]);

}  // namespace workbook
