// The programs of the build the end-to-end tests run, named by their role,
// and the ways of starting one that more than one test file needs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/PoetryServer.h"
#include "tests/support/Process.h"

namespace testing_support {

/// The clients, by stage.
inline const std::string kClient1 = programPath("part04-client1/get-poetry");
inline const std::string kClient1Stack =
    programPath("part04-client1-stack/get-poetry-stack");
inline const std::string kClient2 = programPath("part05-client2/get-poetry");
inline const std::string kClient21 =
    programPath("part05-client2-simple/get-poetry-simple");
inline const std::string kStack = programPath("part05-client2-stack/get-poetry-stack");

/// The servers, as PoetryServer names them (relative to the build) and as paths.
inline const std::string kFastPoetryName = "poetry-server/fastpoetry";
inline const std::string kFastPoetry = programPath(kFastPoetryName);
inline const std::string kSlowPoetry = programPath("poetry-server/slowpoetry");

/// The tools beside the stages, and the solution with a --timeout option.
inline const std::string kCompare = programPath("part05-client2-stack/compare-stacks");
inline const std::string kTraceChart = programPath("trace-chart/trace-chart");
inline const std::string kTimeoutSolution =
    programPath("solutions/03-client2-timeout/get-poetry");

/// Runs @p program with @p args through /bin/sh, as the script @p shell
/// says: `exec "$0" "$@"` in it runs the program (after a redirection, say).
std::unique_ptr<Process> throughShell(const std::string& shell,
                                      const std::string& program,
                                      const std::vector<std::string>& args);

/// Runs @p program with @p args under an open-files limit of @p limit, with
/// only the standard descriptors inherited, so that the limit means the same
/// whoever started the test.
std::unique_ptr<Process> withFileLimit(int limit, const std::string& program,
                                       const std::vector<std::string>& args);

}  // namespace testing_support
