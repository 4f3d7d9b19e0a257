// The stack edition is client 2.0 with one change, as in the tutorial, where
// get-poetry-stack.py is get-poetry.py with a new dataReceived(). This test
// keeps it so: part05-client2-stack/main.cpp may differ from
// part05-client2/main.cpp only in its opening comment, the helper it
// includes, its help text and the body of PoetryProtocol::dataReceived().
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

/// A line of a source file and its line number.
using NumberedLine = std::pair<int, std::string>;

bool startsAString(const std::string& line) {
  const auto first = line.find_first_not_of(' ');
  return first != std::string::npos && line[first] == '"';
}

/// The lines of @p file (relative to the source tree) that both editions
/// must share: all but the regions allowed to differ.
std::vector<NumberedLine> sharedLines(const std::string& file) {
  std::ifstream source(std::string(WORKBOOK_SOURCE_DIR) + "/" + file);
  EXPECT_TRUE(source) << "cannot read " << file;
  std::vector<NumberedLine> shared;
  bool inOpeningComment = true;
  bool inHelpText = false;
  bool inDataReceived = false;
  std::string previous;
  int number = 0;
  for (std::string line; std::getline(source, line); previous = line) {
    ++number;
    inOpeningComment = inOpeningComment && line.starts_with("//");
    // The help text: the string literal(s) after parseClientArgs(argc, argv,
    inHelpText = (inHelpText || previous.ends_with("argc, argv,")) && startsAString(line);
    if (line.find("void dataReceived(") != std::string::npos) inDataReceived = true;
    const bool differs = inOpeningComment || inHelpText || inDataReceived ||
                         line == "#include \"common/Stack.h\"";
    if (inDataReceived && line == "  }") inDataReceived = false;  // its closing brace
    if (!differs) shared.emplace_back(number, line);
  }
  return shared;
}

TEST(StackEdition, IsClient2WithOnlyItsCommentHelpAndDataReceivedChanged) {
  const auto client2 = sharedLines("part05-client2/main.cpp");
  const auto stack = sharedLines("part05-client2-stack/main.cpp");
  ASSERT_GT(client2.size(), 50U) << "too few shared lines: did the regions move?";
  for (std::size_t i = 0; i < std::min(client2.size(), stack.size()); ++i) {
    ASSERT_EQ(client2[i].second, stack[i].second)
        << "first difference outside the allowed regions: part05-client2/main.cpp line "
        << client2[i].first << ", part05-client2-stack/main.cpp line " << stack[i].first;
  }
  ASSERT_EQ(client2.size(), stack.size()) << "one file has more lines at the end";
}

}  // namespace
