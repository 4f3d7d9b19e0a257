// A stack edition is its client with one change, as in the tutorial, where
// get-poetry-stack.py is get-poetry.py with a new dataReceived(). This test
// keeps it so: part05-client2-stack/main.cpp may differ from
// part05-client2/main.cpp only in its opening comment, the helper it
// includes, its help text and the body of PoetryProtocol::dataReceived();
// part04-client1-stack/main.cpp from part04-client1/main.cpp the same way,
// with PoetrySocket::doRead().
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
/// must share: all but the regions allowed to differ. @p changed starts the
/// one function that may differ; it ends at the closing brace indented as
/// its first line.
std::vector<NumberedLine> sharedLines(const std::string& file,
                                      const std::string& changed) {
  std::ifstream source(std::string(WORKBOOK_SOURCE_DIR) + "/" + file);
  EXPECT_TRUE(source) << "cannot read " << file;
  std::vector<NumberedLine> shared;
  bool inOpeningComment = true;
  bool inHelpText = false;
  bool inChanged = false;
  std::string closingBrace;
  std::string previous;
  int number = 0;
  for (std::string line; std::getline(source, line); previous = line) {
    ++number;
    inOpeningComment = inOpeningComment && line.starts_with("//");
    // The help text: the string literal(s) after parseClientArgs(argc, argv,
    inHelpText = (inHelpText || previous.ends_with("argc, argv,")) && startsAString(line);
    if (!inChanged && line.find(changed) != std::string::npos) {
      inChanged = true;
      closingBrace = line.substr(0, line.find_first_not_of(' ')) + "}";
    }
    const bool differs = inOpeningComment || inHelpText || inChanged ||
                         line == "#include \"common/Stack.h\"";
    if (inChanged && line == closingBrace) inChanged = false;
    if (!differs) shared.emplace_back(number, line);
  }
  return shared;
}

/// Compares @p client with its stack edition @p stack outside the allowed
/// regions; the failure names the first line where they part.
void expectSameOutside(const std::string& client, const std::string& stack,
                       const std::string& changed) {
  const auto clientLines = sharedLines(client, changed);
  const auto stackLines = sharedLines(stack, changed);
  ASSERT_GT(clientLines.size(), 50U) << "too few shared lines: did the regions move?";
  for (std::size_t i = 0; i < std::min(clientLines.size(), stackLines.size()); ++i) {
    ASSERT_EQ(clientLines[i].second, stackLines[i].second)
        << "first difference outside the allowed regions: " << client << " line "
        << clientLines[i].first << ", " << stack << " line " << stackLines[i].first;
  }
  ASSERT_EQ(clientLines.size(), stackLines.size())
      << "one file has more lines at the end";
}

TEST(StackEdition, IsClient2WithOnlyItsCommentHelpAndDataReceivedChanged) {
  expectSameOutside("part05-client2/main.cpp", "part05-client2-stack/main.cpp",
                    "void dataReceived(");
}

TEST(StackEdition, IsClient1WithOnlyItsCommentHelpAndDoReadChanged) {
  expectSameOutside("part04-client1/main.cpp", "part04-client1-stack/main.cpp",
                    "PoetrySocket::doRead() {");
}

}  // namespace
