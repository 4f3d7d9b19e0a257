// Tests of the helpers the clients share: arguments, characters, timedelta (unit).
#include <gtest/gtest.h>

#include "common/Arguments.h"
#include "common/Connect.h"
#include "common/Text.h"
#include "tests/support/PoetryServer.h"

namespace {

using namespace std::chrono_literals;
using workbook::UsageError;

TEST(Arguments, APortAloneMeansLoopback) {
  const auto address = workbook::parseServerAddress("10001");
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 10001);
}

TEST(Arguments, HostAndPortKeepTheHostAsTyped) {
  const auto address = workbook::parseServerAddress("localhost:65535");
  EXPECT_EQ(address.host, "localhost");
  EXPECT_EQ(address.port, 65535);
}

TEST(Arguments, BracketsMarkAnIPv6Address) {
  const auto address = workbook::parseServerAddress("[::1]:10000");
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 10000);
  for (const char* bad :
       {"[::1]", "[]:80", "[::1]:", "[::1]x80", "[::1]:0", "[::1]]:80", "[[::1]:80"}) {
    EXPECT_THROW(workbook::parseServerAddress(bad), UsageError) << bad;
  }
}

TEST(Arguments, BadPortsAreUsageErrors) {
  for (const char* bad :
       {"0", "65536", "abc", "12a", "", "-1", "host:", ":80", "99999999999"}) {
    EXPECT_THROW(workbook::parseServerAddress(bad), UsageError) << bad;
  }
}

TEST(Arguments, AnIPv6AddressWithoutBracketsIsAUsageError) {
  for (const char* bad : {"::1:80", "::1", "fe80::1", "1:2:3"}) {
    try {
      workbook::parseServerAddress(bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("in brackets, as in [::1]:10000"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(Arguments, SecondsMustBePositiveNumbersThatFit) {
  EXPECT_DOUBLE_EQ(workbook::parseSeconds("2.5"), 2.5);
  EXPECT_DOUBLE_EQ(workbook::parseSeconds("30"), 30);
  EXPECT_DOUBLE_EQ(workbook::parseSeconds("86400"), workbook::kMaxSeconds);
  for (const char* bad :
       {"0", "-1", "abc", "", "1s", "nan", "inf", "1e19", "86400.5", "1e308"}) {
    EXPECT_THROW(workbook::parseSeconds(bad), UsageError) << bad;
  }
}

TEST(Arguments, ABadValueIsEchoedWithItsControlCharactersEscaped) {
  EXPECT_EQ(workbook::quoted("1\x1b[2J\n2"), "'1\\x1b[2J\\x0a2'");
  try {
    workbook::parseServerAddress("host:\r80");
    ADD_FAILURE() << "a port with a carriage return was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("'\\x0d80'"), std::string::npos) << e.what();
  }
}

TEST(Arguments, ALongBadValueIsShownCutShort) {
  EXPECT_EQ(workbook::quoted("abc"), "'abc'");
  const std::string huge(100000, '7');
  EXPECT_EQ(workbook::quoted(huge), "'" + huge.substr(0, 40) + "...' (100000 bytes)");
  try {
    workbook::parseServerAddress(huge);
    ADD_FAILURE() << "a 100 KB port was accepted";
  } catch (const UsageError& e) {
    EXPECT_LT(std::string(e.what()).size(), 120U) << e.what();
  }
  // Never half a character: 14 Korean syllables are 42 bytes.
  const std::string korean = "가나다라마바사아자차카타파하";
  EXPECT_EQ(workbook::quoted(korean), "'" + korean.substr(0, 39) + "...' (42 bytes)");
}

TEST(Connect, ABlockingConnectGivesUpAfterItsTimeout) {
  testing_support::StalledListener stalled;
  const workbook::ServerAddress address{"127.0.0.1", stalled.port()};
  try {
    workbook::connectBlocking(address, 0.2);
    ADD_FAILURE() << "connected to a listener whose queue is full";
  } catch (const workbook::ConnectError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot connect to 127.0.0.1:" + std::to_string(stalled.port()) +
                  ": Connection timed out");
  }
}

TEST(Text, CountsCodePointsNotBytes) {
  EXPECT_EQ(workbook::countCharacters("poem"), 4U);
  EXPECT_EQ(workbook::countCharacters("시"), 1U);  // three bytes, one character
  EXPECT_EQ(workbook::countCharacters("밤 하늘\n"), 5U);
  EXPECT_EQ(workbook::countCharacters(""), 0U);
}

TEST(Text, BadUtf8CountsAsPythonsReplaceDoes) {
  // Expected values from Python: len(b"...".decode("utf-8", "replace")).
  EXPECT_EQ(workbook::countUtf8("\xff").characters, 1U);  // a byte that starts nothing
  EXPECT_EQ(workbook::countUtf8("a\x80"
                                "b")
                .characters,
            3U);                                              // a stray continuation byte
  EXPECT_EQ(workbook::countUtf8("\xe2\x82").characters, 1U);  // a cut-off euro sign
  EXPECT_EQ(workbook::countUtf8("\xe2\x82"
                                "x")
                .characters,
            2U);  // ... followed by text
  EXPECT_EQ(workbook::countUtf8("\xed\xa0\x80").characters,
            3U);  // a surrogate: 3 bad bytes
  EXPECT_EQ(workbook::countUtf8("\xf0\x80\x80").characters, 3U);  // overlong
  EXPECT_EQ(workbook::countUtf8("\xc3\xa9").replacements, 0U);    // é, fine
  const auto count = workbook::countUtf8("ok\xffok\xe2\x82");
  EXPECT_EQ(count.characters, 6U);
  EXPECT_EQ(count.replacements, 2U);
}

TEST(Text, VisibleEscapesControlCharactersAndNothingElse) {
  using workbook::visible;
  EXPECT_EQ(visible("poem.txt"), "poem.txt");
  EXPECT_EQ(visible("a\x1b[2J\tb\n\x7f"), "a\\x1b[2J\\x09b\\x0a\\x7f");
  EXPECT_EQ(visible(std::string("\0", 1)), "\\x00");
  // C1 controls (U+0080 to U+009F) are two bytes in UTF-8; other text stays.
  EXPECT_EQ(visible("\xc2\x9b"
                    "31m"),
            "\\xc2\\x9b31m");
  EXPECT_EQ(visible("\xc2\xa0시 \\x"), "\xc2\xa0시 \\x");
  EXPECT_EQ(visible("\xc2"), "\xc2");  // a lone lead byte is no control character
}

TEST(Text, EchoedIsShortenedThenVisible) {
  EXPECT_EQ(workbook::echoed("a\nb"), "a\\x0ab");
  EXPECT_EQ(workbook::echoed(std::string(300, '\x1b'), 2), "\\x1b\\x1b...");
}

TEST(Text, FormatsElapsedTimeAsPythonTimedelta) {
  EXPECT_EQ(workbook::formatTimedelta(2104515us), "0:00:02.104515");
  EXPECT_EQ(workbook::formatTimedelta(2s), "0:00:02");
  EXPECT_EQ(workbook::formatTimedelta(1h + 2min + 3s + 4us), "1:02:03.000004");
  EXPECT_EQ(workbook::formatTimedelta(std::chrono::days(2) + 5s), "2 days, 0:00:05");
  EXPECT_EQ(workbook::formatTimedelta(std::chrono::days(1)), "1 day, 0:00:00");
}

}  // namespace
