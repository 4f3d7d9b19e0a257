// trace-chart: draws a trace file the shim wrote (REACTOR_TRACE=FILE.json)
// as an mscgen message sequence chart, or checks its shape.
//
//   REACTOR_TRACE=run.json part05-client2/get-poetry PORT...
//   trace-chart run.json > run.msc && mscgen -T svg -i run.msc -o run.svg
//
// `./workbook trace STAGE` does all of this for you; the docs build draws
// its figures with it.
#include <charconv>
#include <iostream>
#include <string>
#include <vector>

#include "common/Arguments.h"
#include "common/Text.h"
#include "trace-chart/TraceChart.h"

namespace {

constexpr const char* kHelp =
    "usage: trace-chart [--part PART] [--turns N] TRACE.json\n"
    "       trace-chart --check TRACE.json\n\n"
    "Writes the run a trace file holds (REACTOR_TRACE=TRACE.json) to standard\n"
    "output as an mscgen message sequence chart: lanes for libevent, the\n"
    "reactor, the transport, the protocol and the factory, an arrow per call.\n\n"
    "  --part PART  all (default): the run from its start; born: the turn that\n"
    "               builds the first protocol, up to buildProtocol(); meets: that\n"
    "               whole turn; data: the first turn that calls dataReceived();\n"
    "               lost: the first turn that calls a protocol's connectionLost()\n"
    "  --turns N    show at most N turns of the loop, then \"... N more\" (12)\n"
    "  --check      check the shape the docs describe instead: buildProtocol,\n"
    "               makeConnection, connectionMade, then dataReceived, called by\n"
    "               doRead; connectionLost once doRead has returned\n\n"
    "exit status: 0 when done (the shape holds), 1 the shape does not hold,\n"
    "2 bad arguments or a file that is not a trace (not a regular file, over\n"
    "128 MiB, not JSON, or calls nested deeper than 64)\n";

struct Options {
  workbook::chart::Part part = workbook::chart::Part::All;
  std::size_t turns = 12;
  bool check = false;
  std::string path;
};

Options parse(const std::vector<std::string>& args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool hasValue = i + 1 < args.size();
    if (arg == "--check") {
      options.check = true;
    } else if (arg == "--part" && hasValue) {
      try {
        options.part = workbook::chart::partNamed(args[++i]);
      } catch (const std::invalid_argument& e) {
        throw workbook::UsageError(workbook::visible(e.what()));
      }
    } else if (arg == "--turns" && hasValue) {
      const std::string& value = args[++i];
      const auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), options.turns);
      if (error != std::errc() || end != value.data() + value.size() ||
          options.turns == 0) {
        throw workbook::UsageError("--turns takes a number from 1 up, not " +
                                   workbook::quoted(value));
      }
    } else if (arg.starts_with("-") || !options.path.empty()) {
      throw workbook::UsageError("unexpected argument " + workbook::quoted(arg) +
                                 " (see --help)");
    } else {
      options.path = arg;
    }
  }
  if (options.path.empty()) throw workbook::UsageError("no trace file (see --help)");
  return options;
}

}  // namespace

int main(int argc, char* argv[]) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) {
    std::cout << kHelp;
    return 0;
  }
  try {
    const Options options = parse(args);
    const auto run = workbook::chart::readRunFile(options.path);
    if (options.check) {
      const auto broken = workbook::chart::checkShape(run);
      for (const auto& line : broken) {
        std::cout << workbook::echoed(options.path) << ": " << workbook::visible(line)
                  << '\n';
      }
      if (!broken.empty()) return 1;
      std::cout << workbook::echoed(options.path) << ": the shape holds ("
                << run.turns.size() << " turns)\n";
      return 0;
    }
    workbook::chart::writeMsc(std::cout, run, options.part, options.turns);
  } catch (const workbook::UsageError& e) {
    std::cerr << "trace-chart: error: " << e.what() << '\n';
    return workbook::kUsageError;
  } catch (const workbook::chart::BadTrace& e) {
    std::cerr << "trace-chart: error: " << workbook::echoed(args.back()) << ": "
              << workbook::echoed(e.what()) << '\n';
    return workbook::kUsageError;
  } catch (const std::exception& e) {
    // Whatever else a hostile file provokes (std::bad_alloc): still one line.
    std::cerr << "trace-chart: error: " << workbook::echoed(args.back())
              << ": cannot be read: " << workbook::echoed(e.what()) << '\n';
    return workbook::kUsageError;
  }
  return 0;
}
