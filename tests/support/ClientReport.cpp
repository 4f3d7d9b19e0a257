#include "tests/support/ClientReport.h"

#include <algorithm>
#include <regex>

#include "tests/support/Process.h"

namespace testing_support {

ClientReport parseClientReport(const std::string& out) {
  const std::regex got(R"(Task (\d+): got (\d+) bytes of poetry from (.+))");
  const std::regex finished(R"(Task (\d+) finished)");
  const std::regex characters(R"(Task (\d+): (\d+) characters of poetry)");
  const std::regex failed(R"(Failed to connect to: (.+))");
  const std::regex summary(R"(Got \d+ poems in \d+:\d\d:\d\d(\.\d{6})?)");
  ClientReport report;
  for (const auto& line : lines(out)) {
    std::smatch m;
    if (std::regex_match(line, m, got)) {
      const int task = std::stoi(m[1]);
      report.bytesPerTask[task] += std::stoi(m[2]);
      report.peerOfTask[task] = m[3];
      report.readOrder.push_back(task);
      std::erase(report.lastReadOrder, task);
      report.lastReadOrder.push_back(task);
    } else if (std::regex_match(line, m, finished)) {
      report.finished.push_back(std::stoi(m[1]));
    } else if (std::regex_match(line, m, characters)) {
      report.characters.emplace_back(std::stoi(m[1]), std::stoi(m[2]));
    } else if (std::regex_match(line, m, failed)) {
      report.failedToConnect.push_back(m[1]);
    } else if (std::regex_match(line, summary)) {
      report.gotLine = line;
    } else {
      report.unexpected.push_back(line);
    }
  }
  return report;
}

int ClientReport::charactersOf(int task) const {
  for (const auto& [t, count] : characters) {
    if (t == task) return count;
  }
  return -1;
}

bool ClientReport::downloadsOverlapped() const {
  if (readOrder.empty()) return false;
  // Where the last task to start got its first piece, and where the first
  // task to finish got its last one.
  std::size_t lastStart = 0;
  std::size_t firstEnd = readOrder.size();
  for (const auto& [task, bytes] : bytesPerTask) {
    const auto first = std::find(readOrder.begin(), readOrder.end(), task);
    const auto last = std::find(readOrder.rbegin(), readOrder.rend(), task);
    lastStart = std::max(lastStart, static_cast<std::size_t>(first - readOrder.begin()));
    firstEnd = std::min(firstEnd, readOrder.size() - 1 -
                                      static_cast<std::size_t>(last - readOrder.rbegin()));
  }
  return lastStart < firstEnd;
}

}  // namespace testing_support
