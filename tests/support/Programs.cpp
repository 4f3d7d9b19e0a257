#include "tests/support/Programs.h"

namespace testing_support {

std::unique_ptr<Process> throughShell(const std::string& shell,
                                      const std::string& program,
                                      const std::vector<std::string>& args) {
  std::vector<std::string> shellArgs = {"-c", shell, program};
  shellArgs.insert(shellArgs.end(), args.begin(), args.end());
  return std::make_unique<Process>("/bin/sh", shellArgs);
}

std::unique_ptr<Process> withFileLimit(int limit, const std::string& program,
                                       const std::vector<std::string>& args) {
  return throughShell("exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; ulimit -n " +
                          std::to_string(limit) + R"( && exec "$0" "$@")",
                      program, args);
}

}  // namespace testing_support
