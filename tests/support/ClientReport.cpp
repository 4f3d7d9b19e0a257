#include "tests/support/ClientReport.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "tests/support/Process.h"
#include "tests/support/Scan.h"

namespace testing_support {

namespace {

/// "H:MM:SS" or "H:MM:SS.ffffff", as Python prints a timedelta under a day.
bool isElapsed(std::string_view text) {
  const auto hours = takeNumber(text);
  const auto twoDigits = [&text] {
    if (text.size() < 2 || !std::isdigit(static_cast<unsigned char>(text[0])) ||
        !std::isdigit(static_cast<unsigned char>(text[1]))) {
      return false;
    }
    text.remove_prefix(2);
    return true;
  };
  if (!hours || !takePrefix(text, ":") || !twoDigits() || !takePrefix(text, ":") ||
      !twoDigits()) {
    return false;
  }
  if (text.empty()) return true;
  return text.size() == 7 && text[0] == '.' &&
         std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

/// Reads "Task N..." lines into @p report. @return false if @p line is none.
bool readTaskLine(std::string_view line, ClientReport& report) {
  if (!takePrefix(line, "Task ")) return false;
  const auto task = takeNumber(line);
  if (!task) return false;
  if (line == " finished") {
    report.finished.push_back(*task);
    return true;
  }
  if (!takePrefix(line, ": ")) return false;
  if (takePrefix(line, "got ")) {
    const auto bytes = takeNumber(line);
    if (!bytes || !takePrefix(line, " bytes of poetry from ") || line.empty())
      return false;
    report.bytesPerTask[*task] += *bytes;
    report.peerOfTask[*task] = std::string(line);
    report.readOrder.push_back(*task);
    std::erase(report.lastReadOrder, *task);
    report.lastReadOrder.push_back(*task);
    return true;
  }
  const auto characters = takeNumber(line);
  if (!characters || !line.starts_with(" characters of poetry")) return false;
  report.characters.emplace_back(*task, *characters);
  return true;
}

}  // namespace

ClientReport parseClientReport(const std::string& out) {
  ClientReport report;
  for (const auto& line : lines(out)) {
    std::string_view rest = line;
    if (readTaskLine(line, report)) continue;
    if (takePrefix(rest, "Failed to connect to: ") && !rest.empty()) {
      report.failedToConnect.emplace_back(rest);
      continue;
    }
    rest = line;
    if (takePrefix(rest, "Got ") && takeNumber(rest) && takePrefix(rest, " poems in ") &&
        isElapsed(rest)) {
      report.gotLine = line;
      continue;
    }
    report.unexpected.push_back(line);
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
    firstEnd =
        std::min(firstEnd, readOrder.size() - 1 -
                               static_cast<std::size_t>(last - readOrder.rbegin()));
  }
  return lastStart < firstEnd;
}

}  // namespace testing_support
