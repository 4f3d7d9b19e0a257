// An exercise is its stage with a few functions changed, and students compare
// the two: every function the exercise's solution shares with its stage must
// read the same, but for the ones the exercise is about. (Starters are kept
// in step with their solutions by ./workbook patches check.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace {

/// A function of a source file: its lines, from its signature to its
/// closing brace, and the line number where it starts.
struct Function {
  int line = 0;
  std::vector<std::string> text;
};

bool startsWithWord(const std::string& text, const std::string& word) {
  return text.starts_with(word + " ") || text.starts_with(word + "(") || text == word;
}

/// The name a signature defines ("doRead" in "... PoetrySocket::doRead() {"),
/// or "" for what is no function: a class, a control statement, a lambda.
std::string functionName(const std::string& signature) {
  const auto first = signature.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  const std::string text = signature.substr(first);
  for (const char* word : {"if", "for", "while", "switch", "else", "do", "try", "catch",
                           "namespace", "class", "struct", "enum", "return"}) {
    if (startsWithWord(text, word)) return "";
  }
  const auto open = text.find('(');
  if (open == std::string::npos || text.find('=') < open || text.find('[') < open) {
    return "";
  }
  auto end = open;
  auto begin = end;
  while (begin > 0 &&
         (std::isalnum(static_cast<unsigned char>(text[begin - 1])) != 0 ||
          text[begin - 1] == '_' || text[begin - 1] == ':' || text[begin - 1] == '~')) {
    --begin;
  }
  return text.substr(begin, end - begin);
}

/// The functions of @p file (relative to the source tree), by name; the
/// opening comment and snippet markers are no part of any.
std::map<std::string, Function> functionsOf(const std::string& file) {
  std::ifstream source(std::string(WORKBOOK_SOURCE_DIR) + "/" + file);
  EXPECT_TRUE(source) << "cannot read " << file;
  std::vector<std::string> lines;
  for (std::string line; std::getline(source, line);) lines.push_back(line);

  std::map<std::string, Function> functions;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].ends_with("{")) continue;
    // The signature may run over several lines: back up to its first.
    std::size_t start = i;
    while (start > 0) {
      const std::string& before = lines[start - 1];
      const auto last = before.find_last_not_of(' ');
      if (last == std::string::npos || before.find("//") != std::string::npos ||
          std::string(";{}:").find(before[last]) != std::string::npos) {
        break;
      }
      --start;
    }
    std::string signature;
    for (std::size_t j = start; j <= i; ++j) signature += lines[j];
    const std::string name = functionName(signature);
    if (name.empty()) continue;
    const std::string indent =
        lines[start].substr(0, lines[start].find_first_not_of(' '));
    Function function{static_cast<int>(start + 1), {}};
    std::size_t end = start;
    for (; end < lines.size(); ++end) {
      if (!lines[end].starts_with("//! [")) function.text.push_back(lines[end]);
      if (end > i && lines[end] == indent + "}") break;
    }
    functions.emplace(name, function);
    i = end;
  }
  return functions;
}

/// Expects every function of @p stage that @p solution also defines to read
/// the same in both, except those named in @p changed.
void expectInStep(const std::string& stage, const std::string& solution,
                  const std::set<std::string>& changed) {
  const auto stageFunctions = functionsOf(stage + "/main.cpp");
  const auto solutionFunctions = functionsOf(solution + "/main.cpp");
  int compared = 0;
  for (const auto& [name, theirs] : stageFunctions) {
    const auto ours = solutionFunctions.find(name);
    if (ours == solutionFunctions.end() || changed.contains(name)) continue;
    ++compared;
    const auto& a = theirs.text;
    const auto& b = ours->second.text;
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      const std::string left = i < a.size() ? a[i] : "(nothing)";
      const std::string right = i < b.size() ? b[i] : "(nothing)";
      ASSERT_EQ(left, right) << name << "() has drifted apart: " << stage
                             << "/main.cpp line " << theirs.line + static_cast<int>(i)
                             << ", " << solution << "/main.cpp line "
                             << ours->second.line + static_cast<int>(i)
                             << ". Change both, or name it among the exercise's changes.";
    }
  }
  std::string names;
  for (const auto& [name, function] : solutionFunctions) names += " " + name;
  EXPECT_GE(compared, 2) << "too few shared functions: did the names change? " << solution
                         << " defines" << names;
  for (const auto& name : changed) {
    EXPECT_TRUE(solutionFunctions.contains(name))
        << solution << " no longer defines " << name
        << "(): take it off the list (it defines" << names << ")";
  }
}

TEST(SourcesInStep, Exercise1IsClient1WithItsMainChanged) {
  expectInStep("part04-client1", "solutions/01-survive-refusal", {"poetryMain"});
}

TEST(SourcesInStep, Exercise2IsClient1WithATimeout) {
  expectInStep("part04-client1", "solutions/02-client1-timeout",
               {"PoetrySocket", "PoetrySocket::connectionLost", "poetryMain"});
}

TEST(SourcesInStep, Exercise3IsClient2WithATimeout) {
  expectInStep("part05-client2", "solutions/03-client2-timeout",
               {"connectionLost", "buildProtocol", "poemFinished", "report",
                "PoetryProtocol::poemReceived", "poetryMain"});
}

TEST(SourcesInStep, Exercise4IsClient2PrintingStacks) {
  expectInStep("part05-client2", "solutions/04-connection-lost-stack",
               {"connectionLost", "clientConnectionLost", "countDown", "poetryMain"});
}

}  // namespace
