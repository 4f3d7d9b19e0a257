// Takes apart what a poetry client printed, line by line, so that e2e tests
// can check every line's format and the numbers in it.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace testing_support {

struct ClientReport {
  std::map<int, int> bytesPerTask;        ///< summed from "Task N: got M bytes ..." lines
  std::map<int, std::string> peerOfTask;  ///< the "from ..." part of those lines
  std::vector<int> readOrder;             ///< the task of every "got" line, in order
  std::vector<int> lastReadOrder;         ///< tasks, in the order of their last read
  std::vector<int> finished;              ///< from "Task N finished" (client 1.0)
  std::vector<std::pair<int, int>> characters;  ///< (task, count), in printed order
  std::vector<std::string> failedToConnect;     ///< the address part of those lines
  std::string gotLine;                          ///< "Got N poems in H:MM:SS[.ffffff]"
  std::vector<std::string> unexpected;          ///< any other line

  /// The count printed for @p task, or -1.
  int charactersOf(int task) const;
  /// @return true if every task got its first piece before any task got its
  ///         last: the downloads were under way at the same time, not one
  ///         after another.
  bool downloadsOverlapped() const;
};

ClientReport parseClientReport(const std::string& out);

}  // namespace testing_support
