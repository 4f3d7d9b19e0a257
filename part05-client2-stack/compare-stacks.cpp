// compare-stacks: prints two stacks saved from the stack-trace stages side
// by side, lines up the calls they share and marks where they part.
//
//   part04-client1-stack/get-poetry-stack PORT 2> client1.txt
//   part05-client2-stack/get-poetry-stack PORT 2> client2.txt
//   compare-stacks client1.txt client2.txt
//
// `./workbook stacks` does all of this for you. With --svg (or --html) the
// two stacks are drawn instead: a box per frame, coloured by whose code it
// is, the frames both share as one box across, and where they part marked.
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/Arguments.h"
#include "common/Stack.h"
#include "common/Text.h"

namespace {

using workbook::StackFrame;
// A frame's text is shown with its control characters escaped, which could
// otherwise move the cursor or clear the screen.
using workbook::visible;

// Names from a stack file are shown shortened (workbook::shortened): a file
// no program of ours wrote may hold a name of any length.

/// Who wrote the code a frame runs.
std::string ownerOf(const StackFrame& frame) {
  if (frame.file.starts_with("internet/")) return "the shim";
  if (frame.file.starts_with("common/")) return "workbook helper";
  if (frame.file.starts_with("part")) return "YOUR CODE";
  if (frame.library.starts_with("libevent")) return "libevent";
  if (!frame.library.empty()) {
    return workbook::shortened(frame.library.substr(0, frame.library.find(".so")));
  }
  return "?";
}

/// "internet::ReactorBase::run()" without its parameter list: "ReactorBase::run".
std::string shortName(const StackFrame& frame) {
  std::string name = frame.function.substr(0, frame.function.find('('));
  if (name.starts_with("internet::")) name.erase(0, std::string("internet::").size());
  return workbook::shortened(name.empty() ? frame.function : name);
}

/// What one column shows for a frame: its name, then whose code it is.
std::string cell(const StackFrame& frame) {
  const std::string name =
      frame.function.starts_with("(") ? "(internal)" : shortName(frame);
  return name + "  [" + ownerOf(frame) + "]";
}

/// "tcp::Connection::doRead [the shim]"
std::string named(const StackFrame& frame) {
  return shortName(frame) + " [" + ownerOf(frame) + "]";
}

/// The stage a stack came from: the folder of its main().
std::string stageOf(const std::vector<StackFrame>& stack) {
  if (stack.empty() || stack.front().file.empty()) return "?";
  return workbook::shortened(stack.front().file.substr(0, stack.front().file.find('/')));
}

/// The largest stack file read: a stack of a thousand frames is some 200 KB;
/// anything much larger (/dev/zero) is no stack and is refused.
constexpr std::size_t kMaxStackBytes = std::size_t{4} << 20U;

/// The bytes of the file at @p path, at most kMaxStackBytes.
/// @throws workbook::UsageError if it cannot be read or is larger
std::string readBounded(const std::string& path, const std::string& shownPath) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw workbook::UsageError("cannot read " + shownPath);
  std::string bytes(kMaxStackBytes + 1, '\0');
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (file.bad()) throw workbook::UsageError("cannot read " + shownPath);
  bytes.resize(static_cast<std::size_t>(file.gcount()));
  if (bytes.size() > kMaxStackBytes) {
    throw workbook::UsageError(shownPath + " is larger than 4 MiB: not a stack file");
  }
  return bytes;
}

std::vector<StackFrame> readStack(const std::string& path) {
  const std::string shownPath = workbook::echoed(path);
  std::istringstream file(readBounded(path, shownPath));
  try {
    auto stack = workbook::parseStack(file);
    if (stack.empty()) throw workbook::UsageError("no stack trace in " + shownPath);
    return stack;
  } catch (const workbook::BadStack& e) {
    throw workbook::UsageError(shownPath + ", " + e.what());  // "FILE, line 3: ..."
  }
}

/// How many frames, from the oldest, both stacks share.
std::size_t sharedFrames(const std::vector<StackFrame>& left,
                         const std::vector<StackFrame>& right) {
  std::size_t shared = 0;
  while (shared < left.size() && shared < right.size() &&
         left[shared].function == right[shared].function) {
    ++shared;
  }
  return shared;
}

/// The fill of a frame's box: whose code it runs.
const char* colourOf(const StackFrame& frame) {
  const std::string owner = ownerOf(frame);
  if (owner == "YOUR CODE") return "#fcd9a8";
  if (owner == "the shim") return "#c9def5";
  if (owner == "libevent") return "#cdebc5";
  if (owner == "workbook helper") return "#e4e4e4";
  return "#ffffff";
}

/// The length of the valid UTF-8 character at the start of @p bytes, or 0
/// if it starts with none (RFC 3629: no overlong forms, no surrogates).
std::size_t utf8Length(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;  // the range of the byte after the lead
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (bytes.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return length;
}

/// @p text for an SVG or HTML page, always well-formed XML: the markup
/// characters escaped, a control character (NUL included), which XML
/// forbids, and bytes that are not UTF-8 each shown as U+FFFD.
std::string escaped(const std::string& text) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8Length(std::string_view(text).substr(at));
    const char c = text[at];
    if (length == 0 || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += "\xEF\xBF\xBD";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else {
      out.append(text, at, length);
    }
    at += length == 0 ? 1 : length;
  }
  return out;
}

/// Draws the two stacks as an SVG picture, oldest call at the top.
void drawSvg(std::ostream& out, const std::vector<StackFrame>& left,
             const std::vector<StackFrame>& right) {
  constexpr int kColumn = 420;  // the width of a stack's column
  constexpr int kGap = 40;      // between the columns
  constexpr int kRow = 30;      // from one frame to the next
  constexpr int kBox = 24;      // the height of a frame's box
  constexpr int kTop = 80;      // where the oldest frame is drawn
  constexpr int kMargin = 10;
  const std::size_t shared = sharedFrames(left, right);
  const std::size_t rows = std::max(left.size(), right.size());
  const int width = 2 * kColumn + kGap + 2 * kMargin;
  const int parting = kTop + static_cast<int>(shared) * kRow;
  const int height = parting + 30 + static_cast<int>(rows - shared) * kRow + kMargin;
  const auto box = [&](int x, int y, int w, const StackFrame& frame) {
    out << "<g><title>" << escaped(frame.function) << "</title>"
        << "<rect x='" << x << "' y='" << y << "' width='" << w << "' height='" << kBox
        << "' rx='4' fill='" << colourOf(frame) << "' stroke='#555'/>"
        << "<text x='" << x + 8 << "' y='" << y + 16 << "'>" << escaped(shortName(frame))
        << "</text></g>\n";
  };
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='"
      << height << "' font-family='Helvetica, Arial, sans-serif' font-size='12'>\n"
      << "<rect width='100%' height='100%' fill='white'/>\n";
  // The legend, then the two stages' names over their columns.
  int x = kMargin;
  for (const auto& [label, frame] :
       {std::pair<const char*, StackFrame>{"your code", {"", "part", 0, ""}},
        {"the shim", {"", "internet/", 0, ""}},
        {"libevent", {"", "", 0, "libevent"}},
        {"workbook helper", {"", "common/", 0, ""}}}) {
    out << "<rect x='" << x << "' y='10' width='14' height='14' fill='" << colourOf(frame)
        << "' stroke='#555'/><text x='" << x + 20 << "' y='22'>" << label << "</text>\n";
    x += 140;
  }
  for (const auto& [column, stack] : {std::pair{0, &left}, std::pair{1, &right}}) {
    out << "<text x='" << kMargin + column * (kColumn + kGap) << "' y='" << kTop - 14
        << "' font-weight='bold'>" << escaped(stageOf(*stack)) << "</text>\n";
  }
  // Oldest call first: the frames both make, joined into one box across.
  for (std::size_t i = 0; i < shared; ++i) {
    box(kMargin, kTop + static_cast<int>(i) * kRow, 2 * kColumn + kGap, left[i]);
  }
  if (shared < rows) {
    out << "<line x1='" << kMargin << "' y1='" << parting + 2 << "' x2='"
        << width - kMargin << "' y2='" << parting + 2
        << "' stroke='#c00' stroke-dasharray='6 4'/>\n"
        << "<text x='" << width / 2 << "' y='" << parting + 18
        << "' text-anchor='middle' fill='#c00'>here the stacks part</text>\n";
  }
  for (std::size_t i = shared; i < rows; ++i) {
    const int y = parting + 30 + static_cast<int>(i - shared) * kRow;
    if (i < left.size()) box(kMargin, y, kColumn, left[i]);
    if (i < right.size()) box(kMargin + kColumn + kGap, y, kColumn, right[i]);
  }
  out << "</svg>\n";
}

void printRow(char mark, const std::string& left, const std::string& right,
              std::size_t width) {
  std::cout << ' ' << mark << "  " << std::left << std::setw(static_cast<int>(width))
            << visible(left) << "  " << visible(right) << '\n';
}

void compare(const std::vector<StackFrame>& left, const std::vector<StackFrame>& right) {
  const std::size_t shared = sharedFrames(left, right);
  std::size_t width = 0;
  for (const auto& frame : left) width = std::max(width, visible(cell(frame)).size());

  std::cout << "Two stacks, oldest call first. '=' marks a call both make.\n\n";
  printRow(' ', stageOf(left), stageOf(right), width);
  printRow(' ', std::string(width, '-'), std::string(width, '-'), width);
  for (std::size_t i = 0; i < shared; ++i)
    printRow('=', cell(left[i]), cell(right[i]), width);
  if (shared < std::max(left.size(), right.size())) {
    std::cout << "    " << std::string(10, '-') << " here the stacks part "
              << std::string(10, '-') << '\n';
  }
  for (std::size_t i = shared; i < std::max(left.size(), right.size()); ++i) {
    printRow(i < left.size() && i < right.size() ? '|' : (i < left.size() ? '<' : '>'),
             i < left.size() ? cell(left[i]) : "", i < right.size() ? cell(right[i]) : "",
             width);
  }
  if (shared == 0 || shared == left.size() || shared == right.size()) return;

  std::cout << "\nBoth stacks are the same down to "
            << visible(shortName(left[shared - 1]))
            << ":\nthe reactor's loop, libevent and the dispatch. There they part:\n"
            << "  " << visible(stageOf(left)) << ": " << visible(named(left[shared]))
            << '\n'
            << "  " << visible(stageOf(right)) << ": " << visible(named(right[shared]));
  if (shared + 1 < right.size())
    std::cout << "\n    which calls " << visible(named(right[shared + 1]));
  std::cout << '\n';
  if (left[shared].function.ends_with("doRead()") &&
      right[shared].function.ends_with("doRead()")) {
    std::cout
        << "\nThe reactor cannot tell the two doRead()s apart: each belongs to an\n"
           "IReadDescriptor. In the second stack that IReadDescriptor is the shim's TCP\n"
           "transport, and the code you write has moved up a layer, to dataReceived().\n"
           "To the reactor, the transport is just one more IReadDescriptor.\n";
  }
}

}  // namespace

int main(int argc, char* argv[]) {
  if (argc == 2 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help")) {
    std::cout
        << "usage: compare-stacks [--svg | --html] STACK1 STACK2\n\n"
           "Prints two stacks saved from the stack editions of client 1.0 and client\n"
           "2.0 (both get-poetry-stack) side by side, lining up the calls they share.\n"
           "--svg draws them instead, as an SVG picture on standard output: a box\n"
           "per frame, coloured by whose code it is (yours, the shim, libevent), the\n"
           "frames both share joined across, where they part marked. --html writes\n"
           "the same picture in a web page.\n\n"
           "exit status: 0 when done, 2 for bad arguments or a file without a readable\n"
           "stack (or larger than 4 MiB)\n";
    return 0;
  }
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string format = "text";
    if (!args.empty() && (args[0] == "--svg" || args[0] == "--html")) {
      format = args[0].substr(2);
      args.erase(args.begin());
    }
    if (args.size() != 2) throw workbook::UsageError("expected two files (see --help)");
    const auto left = readStack(args[0]);
    const auto right = readStack(args[1]);
    if (format == "text") {
      compare(left, right);
    } else {
      if (format == "html") {
        std::cout << "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
                     "<title>Two stacks</title></head><body>\n";
      }
      drawSvg(std::cout, left, right);
      if (format == "html") std::cout << "</body></html>\n";
    }
  } catch (const workbook::UsageError& e) {
    std::cerr << "compare-stacks: error: " << e.what() << '\n';
    return workbook::kUsageError;
  }
  return 0;
}
