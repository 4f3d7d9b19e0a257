// libFuzzer target: reading a trace file back (workbook::chart::readRun), which
// trace-chart does with whatever file it is given. Checks what must hold for
// any bytes: no crash and no stack overflow; a bad file is a BadTrace; a run
// that is read draws as a chart and has its shape checked without either
// throwing anything but a BadTrace (a chart of a part the run lacks).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "trace-chart/TraceChart.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  workbook::chart::Run run;
  try {
    run = workbook::chart::readRun(in);
  } catch (const workbook::chart::BadTrace&) {
    return 0;
  }
  workbook::chart::checkShape(run);
  for (const auto part : {workbook::chart::Part::All, workbook::chart::Part::Data}) {
    std::ostringstream chart;
    try {
      workbook::chart::writeMsc(chart, run, part, 12);
    } catch (const workbook::chart::BadTrace&) {
    }
  }
  return 0;
}
